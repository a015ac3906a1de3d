// Names chosen at run time, in a real editor. The demo's ADK project (PROJECT-BK7QF2MA) gets a file
// whose functions choose their secret's name by conv.env: a conditional expression and an if/elif
// chain on `env = str(conv.env or '').lower()`, 'x_prod_api' in live and 'x_uat_api' elsewhere. The vault has the sandbox name, granted to
// the project's agent, and no live name. With every environment followed, the live name's problem
// shows, labelled live; choosing sandbox in the status bar (its item and QuickPick, as a person
// does) clears it, choosing live brings it back, and a run as the agent gets conv.env = live. Then
// the sandbox name's grant is revoked through the vault's API: with all or sandbox chosen a problem
// labelled sandbox shows, with live only the live name's.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { DemoVault } from '../../scripts/editor.mjs';
import {
  activityBarItem,
  answerInputBox,
  codeLenses,
  codeLensLink,
  gotoText,
  hoverAtCursor,
  openEditor,
  openFile,
  problemsUntil,
  startVault,
  terminalShows,
  treeNames,
  until,
  viewPane,
  type Editor,
  type Problem,
} from './harness';

/** The demo project's agent: the project_id in vault/demo/workspace/project.yaml. */
const AGENT = 'PROJECT-BK7QF2MA';
const FILE = 'functions/partner_api.py';
const LIVE = 'x_prod_api';
const SANDBOX = 'x_uat_api';
const SANDBOX_VALUE = 'uat-value-e2e-7c41d2';

const SOURCE = [
  '"""Written by the end-to-end test: the partner API key, chosen by environment."""',
  '',
  '',
  'def partner_key(conv):',
  `    name = '${LIVE}' if conv.env == 'live' else '${SANDBOX}'`,
  '    return conv.utils.get_secret(name)',
  '',
  '',
  'def partner_key_chain(conv):',
  // As PolyAI's templates write it: conv.env normalised once, then tested through the alias.
  "    env = str(conv.env or '').lower()",
  "    if env == 'live':",
  `        name = '${LIVE}'`,
  "    elif env == 'pre-release':",
  `        name = '${SANDBOX}'`,
  '    else:',
  `        name = '${SANDBOX}'`,
  '    return conv.utils.get_secret(name)',
  '',
  '',
  'def which_env(conv):',
  `    conv.utils.get_secret('${SANDBOX}')`,
  '    return conv.env',
  '',
].join('\n');

/** A literal read of the sandbox name inside a branch on conv.env (issue 51): checked in sandbox only. */
const PROBE = 'functions/sandbox_probe.py';
const PROBE_SOURCE = [
  'def sandbox_probe(conv):',
  "    env = str(conv.env or '').lower()",
  "    if env == 'sandbox':",
  `        return conv.utils.get_secret('${SANDBOX}')`,
  '    return None',
  '',
].join('\n');

/** The two computed reads, by line (1-based). */
const READ_LINES = [6, 17];

let scratch: string;
let vault: DemoVault;
let ed: Editor;
let page: Page;

async function api(method: string, route: string, body?: unknown): Promise<number> {
  const r = await fetch(`${vault.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${vault.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await r.body?.cancel();
  return r.status;
}

/** The environment item in the status bar (its codicon), showing `text` when given. */
const environmentItem = (text?: string) =>
  page.locator('.statusbar-item', { has: page.locator('.codicon-server-environment'), ...(text === undefined ? {} : { hasText: new RegExp(`^\\s*${text}\\s*$`) }) }).first();

/** Picks `label` in the status bar's environment picker, as a person does: click the item, then the row. */
async function chooseEnvironment(label: string, shown: string): Promise<void> {
  await environmentItem().click();
  const box = page.locator('.quick-input-widget');
  await box.locator('.quick-input-title', { hasText: 'Choose Environment' }).waitFor({ timeout: 20_000 });
  // The current choice is marked in the list.
  await box.locator('.monaco-list-row', { hasText: 'current' }).first().waitFor();
  await box.locator(`.monaco-list-row[aria-label^="${label}"]`).first().click();
  await box.waitFor({ state: 'hidden' });
  await environmentItem(shown).waitFor({ timeout: 20_000 });
}

const ours = (ps: Problem[]) => ps.filter((p) => p.file === path.basename(FILE));
const about = (ps: Problem[], name: string) => ours(ps).filter((p) => p.message.includes(`'${name}'`));
/** The live name's problem on each computed read, and nothing about the sandbox name. */
const onlyLive = (ps: Problem[]) =>
  about(ps, LIVE).length === READ_LINES.length &&
  READ_LINES.every((l) => about(ps, LIVE).some((p) => p.line === l && /\blive\b/.test(p.message))) &&
  about(ps, SANDBOX).length === 0;

function settingsFile(): Record<string, unknown> {
  const file = path.join(ed.workspace, '.vscode', 'settings.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'sv-e2e-names-'));
  vault = await startVault(scratch);
  // The sandbox name exists and is granted to the project's agent; the live name does not exist.
  expect(await api('POST', '/v1/secrets', { name: SANDBOX, value: SANDBOX_VALUE, description: 'Partner API key (UAT)', agents: [AGENT] })).toBe(201);
  ed = await openEditor({
    vault,
    prepare: (workspace) => {
      writeFileSync(path.join(workspace, FILE), SOURCE);
      writeFileSync(path.join(workspace, PROBE), PROBE_SOURCE);
    },
    // The DOM renderer, so the run's terminal can be read.
    settings: { 'terminal.integrated.gpuAcceleration': 'off' },
  });
  page = ed.page;
  await activityBarItem(page, 'Secrets Vault').click();
  await page.locator('.statusbar-item', { hasText: AGENT }).first().waitFor({ timeout: 60_000 });
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await ed?.shot(`FAILED-names-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await ed?.stop();
  await vault?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('with every environment followed, the live name’s problem shows on both reads, labelled live', async () => {
  await environmentItem('all').waitFor({ timeout: 30_000 });
  await openFile(page, FILE);
  const shown = await problemsUntil(page, onlyLive, `the live name's problem on lines ${READ_LINES.join(', ')} and none about ${SANDBOX}`, 60_000);
  expect(about(shown, LIVE).every((p) => p.code !== '')).toBe(true);
  await ed.shot('names-01-all');
});

test('choosing sandbox in the status bar clears it; choosing live brings back only the live name’s problem', async () => {
  await chooseEnvironment('sandbox', 'sandbox');
  // The choice is the workspace's setting, as Choose Environment writes it.
  expect(settingsFile()['secretsVault.environment']).toBe('sandbox');
  await problemsUntil(page, (ps) => ours(ps).length === 0, 'no problem in the file with sandbox chosen', 30_000);

  await chooseEnvironment('live', 'live');
  expect(settingsFile()['secretsVault.environment']).toBe('live');
  await problemsUntil(page, onlyLive, 'only the live name’s problem with live chosen', 30_000);
  await ed.shot('names-02-live-problems');

  // The hover on a computed read names both candidates.
  await gotoText(page, 'get_secret(name)', 'get_secret('.length);
  const hover = await hoverAtCursor(page);
  expect(hover).toContain(LIVE);
  expect(hover).toContain(SANDBOX);
  await ed.shot('names-03-live-hover');
  await page.keyboard.press('Escape');
});

test('a run as the agent gets the chosen environment as conv.env', async () => {
  await until(() => codeLenses(page), (l) => l.length === 3, 30_000, 'three CodeLens rows');
  await (await codeLensLink(page, 2, `Run as ${AGENT}`)).click();
  expect(await answerInputBox(page, `Run which_env as ${AGENT}`, undefined)).toBe('{}');
  const screen = await terminalShows(page, /which_env returned/, 'the run to end');
  expect(screen).toContain("conv.env is 'live' (the environment chosen in the editor)");
  expect(screen).toMatch(/^"live"$/m);
  expect(screen).not.toContain(SANDBOX_VALUE);
  await ed.shot('names-04-run-live');
});

test('revoking the sandbox name’s grant shows a problem labelled sandbox with all or sandbox chosen, none with live', async () => {
  expect(await api('DELETE', `/v1/secrets/${SANDBOX}/access/${AGENT}`)).toBe(200);
  // The editor has the change when the Secrets view (the agent's granted secrets) drops the name.
  await until(() => treeNames(viewPane(page, 'Secrets')), (n) => n.length > 0 && !n.includes(SANDBOX), 30_000, `the Secrets view to drop ${SANDBOX}`);

  const sandboxProblem = (ps: Problem[]) =>
    READ_LINES.every((l) => about(ps, SANDBOX).some((p) => p.line === l && /\bsandbox\b/.test(p.message)));
  await chooseEnvironment('All environments', 'all');
  const all = await problemsUntil(page, (ps) => sandboxProblem(ps) && about(ps, LIVE).length === READ_LINES.length, 'the sandbox and the live problems with all chosen', 30_000);
  // The direct read of the sandbox name is not granted any more either.
  expect(about(all, SANDBOX).length).toBeGreaterThanOrEqual(READ_LINES.length);
  await ed.shot('names-05-revoked-all');

  await chooseEnvironment('sandbox', 'sandbox');
  await problemsUntil(page, (ps) => sandboxProblem(ps) && about(ps, LIVE).length === 0, 'the sandbox problem alone with sandbox chosen', 30_000);
  await ed.shot('names-06-revoked-sandbox');

  await chooseEnvironment('live', 'live');
  // With live chosen only the live name's problems stay on the computed reads; the direct read of
  // the sandbox name on line 21 is not computed and is reported whatever the environment.
  await problemsUntil(
    page,
    (ps) => READ_LINES.every((l) => about(ps, LIVE).some((p) => p.line === l) && !about(ps, SANDBOX).some((p) => p.line === l)),
    'only the live name’s problems on the computed reads with live chosen',
    30_000,
  );
  await ed.shot('names-07-revoked-live');
});

test('a literal read inside `if env == "sandbox":` is no live problem; with sandbox chosen it is, saying where it runs', async () => {
  const probe = (ps: Problem[]) => ps.filter((p) => p.file === path.basename(PROBE));
  await openFile(page, PROBE);
  // Live is still chosen (the test before): the revoked sandbox name's read runs in sandbox only.
  await environmentItem('live').waitFor({ timeout: 20_000 });
  await problemsUntil(page, (ps) => ours(ps).length > 0 && probe(ps).length === 0, 'no problem in the probe with live chosen', 30_000);

  await chooseEnvironment('sandbox', 'sandbox');
  const shown = await problemsUntil(page, (ps) => probe(ps).some((p) => p.line === 4), 'the probe’s read reported with sandbox chosen', 30_000);
  expect(probe(shown).map((p) => p.message)).toEqual([expect.stringContaining(`In sandbox: secret '${SANDBOX}' is not granted to agent '${AGENT}'`)]);
  await gotoText(page, `get_secret('${SANDBOX}')`, "get_secret('".length + 2);
  expect(await hoverAtCursor(page)).toContain('Read only in sandbox.');
  await ed.shot('names-08-literal-read-in-sandbox-branch');
  await page.keyboard.press('Escape');
});
