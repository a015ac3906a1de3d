// Hard-coded credentials in a real editor: a key pasted into a function shows the hardcoded-secret
// warning; Move to vault creates the secret (checked through the vault's API: the agent reads the
// very value), the line now reads it, the warning is gone, and no file of the editor, its logs, the
// browser's profile, the workspace or the vault's data holds the value. A secret printed is a
// secret-in-log warning with its flow, one passed to a helper that logs it too.

import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import {
  activityBarItem,
  applyQuickFix,
  cli,
  editorShows,
  filesHolding,
  gotoText,
  hoverAtCursor,
  openEditor,
  openFile,
  problemsUntil,
  showProblems,
  quickFixes,
  relatedRows,
  runCommand,
  runtimeRead,
  until,
  webviewFrame,
  type Editor,
  type Problem,
} from './harness';

/** The demo project's agent: the project_id in vault/demo/workspace/project.yaml. */
const AGENT = 'PROJECT-BK7QF2MA';
const FILE = 'functions/pay_vendor.py';
/** A Stripe-format live key, made here: no credential-shaped string is in the repository. */
const PASTED = `sk_live_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`;

let ed: Editor;
let page: Page;

beforeAll(async () => {
  ed = await openEditor({ settings: { 'secretsVault.trace.server': 'verbose' } });
  page = ed.page;
  writeFileSync(
    path.join(ed.workspace, FILE),
    [
      '"""Pay a vendor: written by the end-to-end test, with a key pasted in the way it happens."""',
      'import requests',
      '',
      `STRIPE_KEY = "${PASTED}"`,
      '',
      '',
      'def pay_vendor(conv, amount: int) -> int:',
      '    token = conv.utils.get_secret("sendgrid_api_key")',
      '    print(f"paying with {token}")',
      '    response = requests.post("https://api.stripe.com/v1/transfers", auth=(STRIPE_KEY, ""), data={"amount": amount}, timeout=10)',
      '    return response.status_code',
      '',
    ].join('\n'),
  );
  await activityBarItem(page, 'Secrets Vault').click();
  await page.locator('.statusbar-item', { hasText: AGENT }).first().waitFor({ timeout: 60_000 });
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await ed?.shot(`FAILED-exposures-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await ed?.stop();
});

const mine = (code: string) => (ps: Problem[]) => ps.filter((p) => p.file === 'pay_vendor.py' && p.code === code);

test('a pasted key is a hardcoded-secret warning that names its kind, never the value', async () => {
  await openFile(page, FILE);
  const found = await problemsUntil(page, (ps) => mine('hardcoded-secret')(ps).length === 1, 'the hardcoded-secret warning');
  const [problem] = mine('hardcoded-secret')(found);
  expect(problem!.line).toBe(4);
  expect(problem!.message).toBe("Hard-coded Stripe secret key in 'STRIPE_KEY': anyone who can read this code has it. Move it to the vault and read it with get_secret.");
  expect(JSON.stringify(found)).not.toContain(PASTED.slice(8, 16));
  await ed.shot('17-hardcoded-warning');
});

/** The one secret-in-log warning in `file`: on `line`, its message starting with `message`, its related rows `rows`. */
async function expectLeak(file: string, line: number, message: string, rows: string[]): Promise<void> {
  const leaks = (ps: Problem[]) => ps.filter((p) => p.file === file && p.code === 'secret-in-log');
  const [problem] = leaks(await problemsUntil(page, (ps) => leaks(ps).length === 1, `the secret-in-log warning in ${file}`));
  expect(problem!.line).toBe(line);
  expect(problem!.message).toContain(message);
  // The flow's steps are the problem's related information: rows under it in the Problems panel.
  expect(await relatedRows(page, message)).toEqual(rows);
}

test('a secret printed is a secret-in-log warning, with its flow', async () => {
  await expectLeak('pay_vendor.py', 9, "The value of secret 'sendgrid_api_key' reaches print", [
    "read secret 'sendgrid_api_key' at line 8 and character 13 in pay_vendor.py",
    'assigned to token at line 8 and character 5 in pay_vendor.py',
    'formatted into an f-string at line 9 and character 11 in pay_vendor.py',
    'passed to print at line 9 and character 11 in pay_vendor.py',
  ]);
  await ed.shot('17-secret-in-log');
});

test("a secret passed to a helper that logs it: the warning is at the helper's log, its rows walk through the call", async () => {
  writeFileSync(
    path.join(ed.workspace, 'functions/notify.py'),
    [
      'import logging',
      '',
      'def log_token(label, value):',
      '    logging.info("%s: %s", label, value)',
      '',
      'def notify(conv):',
      '    token = conv.utils.get_secret("sendgrid_api_key")',
      '    log_token("sendgrid", token)',
      '    log_token("length", len(token))',
      '',
    ].join('\n'),
  );
  await openFile(page, 'functions/notify.py');
  await expectLeak('notify.py', 4, "The value of secret 'sendgrid_api_key' reaches logging.info", [
    "read secret 'sendgrid_api_key' at line 7 and character 13 in notify.py",
    'assigned to token at line 7 and character 5 in notify.py',
    'passed to log_token as value at line 8 and character 27 in notify.py',
    'passed to logging.info at line 4 and character 35 in notify.py',
  ]);
  await ed.shot('17-secret-in-log-through-a-call');
});

/** Real-layout functions that log a key/value secret's configuration beside its credential (test/check/fixtures/adk-leaks). */
const LEAK_FIXTURE = path.resolve(__dirname, '../check/fixtures/adk-leaks/functions');
const LEAK_FILES = ['get_order_status.py', 'oms_client.py'];

/** The Problems panel's rows under the headers of `files`: each file's header, its problems and their related rows. */
async function rowsOf(files: readonly string[]): Promise<string[]> {
  const labels = await page.locator('.markers-panel .monaco-list-row').evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label') ?? ''));
  const out: string[] = [];
  let inside = false;
  for (const l of labels) {
    const header = /problems? in file (\S+) of folder/.exec(l);
    if (header) inside = files.includes(header[1]!);
    if (inside) out.push(l);
  }
  return out;
}

test('real-layout functions: each leak once, no finding for BASE_URL, a few rows per leak and the whole path in the hover', async () => {
  for (const name of ['oms_prod_api', 'oms_api', 'oms_mock_api']) {
    const value = JSON.stringify({ BASE_URL: 'https://oms.example.com/v1', API_KEY: randomBytes(16).toString('hex') });
    const r = await cli(ed.vault, ['secrets', 'create', '--kv', '--agent', AGENT, '--description', 'Order system', '--', name], { stdin: value });
    expect(r.code, r.stderr).toBe(0);
  }
  for (const f of LEAK_FILES) copyFileSync(path.join(LEAK_FIXTURE, f), path.join(ed.workspace, 'functions', f));
  await openFile(page, 'functions/oms_client.py');
  await openFile(page, 'functions/get_order_status.py');
  // The Problems panel is a virtual list: only the rows on screen are in the page. Only the real
  // layout's files, in a maximized panel, so that every row is on screen for the reads, the count and
  // the picture (below the other files' rows, oms_client.py's were never drawn).
  await showProblems(page);
  const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
  await filter.fill('**/get_order_status.py, **/oms_client.py');
  await runCommand(page, 'View: Toggle Maximized Panel');
  const leaks = (ps: Problem[]) => ps.filter((p) => LEAK_FILES.includes(p.file) && p.code === 'secret-in-log');
  const found = await problemsUntil(page, (ps) => leaks(ps).length === 3, 'three secret-in-log warnings');
  expect(leaks(found).map((p) => `${p.file}:${p.line} ${p.message.slice(0, p.message.indexOf(' reach'))}`).sort()).toEqual([
    "get_order_status.py:18 The value of key 'API_KEY' of secret 'oms_prod_api'",
    "get_order_status.py:19 The value of secret 'oms_prod_api'",
    "oms_client.py:19 The value of key 'API_KEY' of secret 'oms_mock_api', 'oms_api' or 'oms_prod_api'",
  ]);
  const rows = await until(() => rowsOf(LEAK_FILES), (r) => r.length === 2 + 3 + 5 + 3 + 6, 30_000, 'the leaks and their related rows');
  // Two headers, three leaks; under them the read, at most three steps, the sink, and the other read.
  expect(rows.filter((r) => r.startsWith('Warning: '))).toHaveLength(3);
  expect(rows.some((r) => r.includes('BASE_URL'))).toBe(false);
  await ed.shot('17-secret-in-log-real-layout');
  await runCommand(page, 'View: Toggle Maximized Panel');
  await filter.fill('');
  // The whole path is one hover away, on the warning's range.
  await gotoText(page, 'print(headers)', 7);
  await hoverAtCursor(page);
  // The hover's parts arrive one by one: the problem's at once (with its short path), the language
  // server's after it. Every part's text, until the server's, with the whole path, is there.
  const hoverText = () => page.locator('.monaco-hover:not(.hidden) .markdown-hover').evaluateAll((parts) => parts.map((p) => (p as unknown as { innerText: string }).innerText).join('\n'));
  const hover = await until(hoverText, (t) => t.includes('assigned to creds'), 20_000, 'the whole path in the hover');
  expect(hover).toContain('the whole path');
  expect(hover).toContain('assigned to creds');
  expect(hover).toContain('assigned to headers');
});

test('Move to vault: the form has the value masked; Create stores it, the line reads the secret, the warning goes', async () => {
  await openFile(page, FILE);
  await gotoText(page, 'sk_live_', 3);
  const fixes = await quickFixes(page);
  expect(fixes).toContain("Move to vault as 'stripe_key'…");
  await applyQuickFix(page, "Move to vault as 'stripe_key'…");
  const form = webviewFrame(page, 'Create Secret: stripe_key');
  const name = form.getByRole('textbox', { name: 'Name', exact: true });
  await name.waitFor({ timeout: 30_000 });
  expect(await name.inputValue()).toBe('stripe_key');
  const value = form.getByLabel('Value', { exact: true });
  expect(await value.getAttribute('type')).toBe('password');
  expect(await form.locator('.move-from').innerText()).toBe("From functions/pay_vendor.py:4. On Create, the literal there is replaced with conv.utils.get_secret('stripe_key').");
  // The key was pasted at module level, where conv does not exist: the form says what to do after.
  expect(await form.locator('.move-note').innerText()).toBe(
    'functions/pay_vendor.py:4 is outside any function, where conv does not exist when the module loads: move the read into the function that receives conv.',
  );
  expect(await form.getByRole('checkbox', { name: new RegExp(AGENT) }).isChecked()).toBe(true);
  await ed.shot('17-move-to-vault-form');
  await form.getByRole('button', { name: 'Create' }).click();
  // One edit: the literal became the read, nothing else on the line or in the file changed.
  await editorShows(page, "STRIPE_KEY = conv.utils.get_secret('stripe_key')", 30_000);
  // Through the API: the agent reads exactly the pasted value.
  const token = ed.vault.agentToken;
  const read = await until(() => runtimeRead(ed.vault, token, 'stripe_key'), (r) => r.status === 200, 20_000, 'the new secret to be readable');
  expect((read.body as { value: string }).value).toBe(PASTED);
  await problemsUntil(page, (ps) => mine('hardcoded-secret')(ps).length === 0, 'the warning to go');
  await ed.shot('17-moved');
  // Undo puts the literal back in one step (one undoable edit).
  await page.keyboard.press('Control+Z');
  await editorShows(page, `STRIPE_KEY = "${PASTED}"`);
  await page.keyboard.press('Control+Shift+Z');
  await editorShows(page, "STRIPE_KEY = conv.utils.get_secret('stripe_key')");
  await page.keyboard.press('Control+S');
  await until(async () => readFileSync(path.join(ed.workspace, FILE), 'utf8'), (t) => !t.includes(PASTED), 20_000, 'the file to be saved');
});

test('the moved value is nowhere but the vault: no file of the editor, the browser, the workspace or the vault data holds it', async () => {
  // The probe: the search finds the value where it is put on purpose.
  writeFileSync(path.join(ed.scratch, 'probe.txt'), PASTED);
  expect(filesHolding(ed.scratch, [PASTED]).map((f) => path.relative(ed.scratch, f))).toEqual(['probe.txt']);
  expect(filesHolding(ed.scratch, [PASTED], [path.join(ed.scratch, 'probe.txt')])).toEqual([]);
});
