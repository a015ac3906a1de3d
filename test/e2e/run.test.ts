// Running code as the agent, in a real editor. The CodeLens above a demo function runs it
// with the demo agent's secrets (the function returns a fingerprint of the key, which the test
// compares with one computed from the value the vault gives that agent), an ungranted read shows
// MissingAccess, each run's token is revoked when it ends (the vault answers 401 for it), Debug
// says plainly that no Python debugger is installed, the agent terminal reads through the shim
// and its token dies with it. Last, no run token and no value is in any file of the editor.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { AuditRecord } from '../../protocol/api';
import {
  activityBarItem,
  answerInputBox,
  codeLenses,
  codeLensLink,
  dismiss,
  filesHolding,
  fingerprint,
  notification,
  openEditor,
  openFile,
  runCommand,
  runtimeRead,
  terminalScreen,
  terminalShows,
  until,
  type Editor,
} from './harness';

/** The demo project's agent: the project_id in vault/demo/workspace/project.yaml. */
const AGENT = 'PROJECT-BK7QF2MA';
/** Written by the test: a function that also hands its run token to the test, and one that reads an ungranted secret. */
const PROBE = 'functions/run_probe.py';

let ed: Editor;
let page: Page;
/** Where the probe function and the terminal write the run tokens they got (outside the profile, left out of the leak scan). */
let tokenDir: string;
const runTokens: string[] = [];
const values: string[] = [];

/** The value the agent reads, through the demo's own agent token (not through the editor). */
async function valueOf(name: string): Promise<unknown> {
  const r = await runtimeRead(ed.vault, ed.vault.agentToken, name);
  expect(r.status).toBe(200);
  return (r.body as { value: unknown }).value;
}

async function audit(): Promise<AuditRecord[]> {
  const r = await fetch(`${ed.vault.url}/v1/audit?limit=200`, { headers: { authorization: `Bearer ${ed.vault.adminKey}` } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { records: AuditRecord[] }).records;
}

beforeAll(async () => {
  ed = await openEditor({
    settings: {
      // The DOM renderer, so the terminal's text can be read; sessions persisted (the default), to
      // show the run terminals are not; the language server's messages in the log the scan reads.
      'terminal.integrated.gpuAcceleration': 'off',
      'terminal.integrated.enablePersistentSessions': true,
      'secretsVault.trace.server': 'verbose',
    },
  });
  page = ed.page;
  tokenDir = path.join(ed.scratch, 'tokens-out');
  mkdirSync(tokenDir);
  writeFileSync(
    path.join(ed.workspace, PROBE),
    [
      '"""Written by the end-to-end test: hands its run token to the test, which checks it is revoked after the run."""',
      'import hashlib',
      'import os',
      '',
      '',
      'def token_probe(conv, out: str) -> str:',
      '    key = conv.utils.get_secret("sendgrid_api_key")',
      '    with open(out, "w") as f:',
      '        f.write(os.environ["SECRETS_VAULT_TOKEN"])',
      '    return "sendgrid " + hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]',
      '',
      '',
      'def refund(conv) -> str:',
      '    return conv.utils.get_secret("stripe_api_key")[:4]',
      '',
    ].join('\n'),
  );
  await activityBarItem(page, 'Secrets Vault').click();
  await page.locator('.statusbar-item', { hasText: AGENT }).first().waitFor({ timeout: 60_000 });
  const hotel = (await valueOf('hotel_api')) as Record<string, string>;
  values.push(hotel.api_key!, (await valueOf('sendgrid_api_key')) as string);
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await ed?.shot(`FAILED-run-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await ed?.stop();
});

test('the CodeLens offers Run and Debug as the agent above each demo function that reads secrets', async () => {
  await openFile(page, 'functions/check_credentials.py');
  const shown = await until(() => codeLenses(page), (l) => l.length === 2, 30_000, 'two CodeLens rows');
  // fingerprint() reads no secret: no lens; the two functions that do each get Run and Debug.
  for (const row of shown) expect(row).toMatch(new RegExp(`▶ Run as ${AGENT}\\s*\\|\\s*Debug as ${AGENT}`));
  await ed.shot('16-codelens');
});

test("Run calls the function with the agent's secrets and shows what it returns: a fingerprint of the vault's value", async () => {
  const before = (await audit()).length;
  await (await codeLensLink(page, 0, `Run as ${AGENT}`)).click();
  // check_hotel_api(conv) takes no other argument: the box offers {}.
  expect(await answerInputBox(page, `Run check_hotel_api as ${AGENT}`, undefined)).toBe('{}');
  const screen = await terminalShows(page, /check_hotel_api returned/, 'the run to end');
  // What the vault saw, read before the test's own reads below: a run token minted by the editor's
  // key, one read as the agent naming that key, and the revocation.
  const all = await audit();
  const records = all.slice(0, all.length - before);
  expect(records.map((r) => r.action)).toEqual(expect.arrayContaining(['agent.runtoken.create', 'runtime.read', 'agent.runtoken.revoke']));
  const reads = records.filter((r) => r.action === 'runtime.read');
  expect(reads).toHaveLength(1);
  expect(reads[0]).toMatchObject({ actor: AGENT, actorType: 'agent', target: 'hotel_api', outcome: 'success' });
  expect(reads[0]!.detail).toMatch(/^run token minted by Demo admin \(key_/);
  const hotel = (await valueOf('hotel_api')) as Record<string, string>;
  // The runner prints no value it read: the base URL (a value of the secret) shows by its name.
  expect(screen).toContain(`{"base_url": "[secret 'hotel_api' key 'base_url']", "api_key": "${fingerprint(hotel.api_key!)}"}`);
  expect(screen).not.toContain(hotel.base_url!);
  expect(screen).toContain('Run token revoked.');
  expect(screen).not.toContain(hotel.api_key!);
  await ed.shot('16-run-output');
});

test('arguments are asked as JSON, remembered per function, and the run token is revoked when the run ends (401)', async () => {
  await openFile(page, PROBE);
  await until(() => codeLenses(page), (l) => l.length === 2, 30_000, 'the probe file’s lenses');
  const out = path.join(tokenDir, 'run-1.txt');
  // token_probe(conv, out: str): the box offers the parameter.
  expect(await answerArgumentsAfter(0, `Run token_probe as ${AGENT}`, JSON.stringify({ out }))).toBe('{"out":""}');
  await terminalShows(page, /token_probe returned/, 'the probe run to end');
  expect(await terminalScreen(page)).toContain(`"sendgrid ${fingerprint(values[1]!)}"`);
  const token = readFileSync(out, 'utf8');
  expect(token).toMatch(/^sva_/);
  runTokens.push(token);
  // Revoked when the run ended: the vault refuses it now.
  expect((await runtimeRead(ed.vault, token, 'sendgrid_api_key')).status).toBe(401);
  // Run again: the box offers what was typed last time for this function.
  expect(await answerArgumentsAfter(0, `Run token_probe as ${AGENT}`, JSON.stringify({ out: path.join(tokenDir, 'run-2.txt') }))).toBe(JSON.stringify({ out }));
  // A new terminal for the new run: its header names the new file.
  await terminalShows(page, /run-2\.txt[\s\S]*token_probe returned/, 'the second run to end');
  const second = readFileSync(path.join(tokenDir, 'run-2.txt'), 'utf8');
  expect(second).not.toBe(token);
  runTokens.push(second);
  expect((await runtimeRead(ed.vault, second, 'sendgrid_api_key')).status).toBe(401);
});

async function answerArgumentsAfter(lens: number, title: string, typed: string): Promise<string> {
  await (await codeLensLink(page, lens, 'Run as')).click();
  return answerInputBox(page, title, typed);
}

test('an ungranted read fails as it would for the agent: MissingAccess', async () => {
  await (await codeLensLink(page, 1, `Run as ${AGENT}`)).click();
  await answerInputBox(page, `Run refund as ${AGENT}`, '');
  const screen = await terminalShows(page, /refund raised an exception/, 'the ungranted run to end');
  expect(screen).toMatch(/MissingAccess/);
  expect(screen).toContain('stripe_api_key');
  await ed.shot('16-run-missing-access');
});

test('Debug says the Python debugger is missing, and mints nothing', async () => {
  const before = (await audit()).filter((r) => r.action === 'agent.runtoken.create').length;
  await (await codeLensLink(page, 0, `Debug as ${AGENT}`)).click();
  const toast = notification(page, 'Python Debugger extension (ms-python.debugpy)');
  await toast.waitFor({ timeout: 20_000 });
  // Its buttons drawn: the toast has finished sliding in.
  await toast.getByRole('button', { name: 'Install Python Debugger' }).waitFor();
  await toast.getByRole('button', { name: 'Run Instead' }).waitFor();
  await ed.shot('16-debug-no-debugger');
  expect((await audit()).filter((r) => r.action === 'agent.runtoken.create').length).toBe(before);
  await dismiss(page);
  await page.keyboard.press('Control+Shift+P');
  await dismiss(page);
});

test('Open Terminal as Agent: the shell reads as the agent through the shim; closing it revokes its token', async () => {
  await runCommand(page, 'Secrets Vault: Open Terminal as Agent');
  await terminalShows(page, new RegExp(`This terminal runs as ${AGENT}`), 'the terminal banner');
  // Named for the agent, in the panel's title (one terminal) or its tab list (several).
  await page.locator('.part.panel', { hasText: `${AGENT} (agent)` }).first().waitFor({ timeout: 20_000 });
  const out = path.join(tokenDir, 'terminal.txt');
  await page.locator('.terminal-wrapper.active .xterm').click();
  await page.keyboard.type(
    `python3 -c "import hashlib, os; from secrets_vault import get_secret; open('${out}', 'w').write(os.environ['SECRETS_VAULT_TOKEN']); print('fp=' + hashlib.sha256(get_secret('sendgrid_api_key').encode()).hexdigest()[:8])"`,
  );
  await page.keyboard.press('Enter');
  await terminalShows(page, new RegExp(`fp=${fingerprint(values[1]!)}`), 'the fingerprint in the terminal');
  await ed.shot('16-agent-terminal');
  const token = readFileSync(out, 'utf8');
  runTokens.push(token);
  expect((await runtimeRead(ed.vault, token, 'sendgrid_api_key')).status).toBe(200);
  await runCommand(page, 'Terminal: Kill the Active Terminal Instance');
  await until(async () => (await runtimeRead(ed.vault, token, 'sendgrid_api_key')).status, (s) => s === 401, 20_000, 'the terminal’s token to be revoked');
});

test('no run token and no value read in the runs is in any file of the editor, its logs or the browser profile', async () => {
  expect(runTokens.length).toBe(3);
  // The extension's log (with the language server's messages traced into it) names the tokens it
  // minted and revoked, by id only.
  const log = path.join(ed.scratch, 'code-server');
  const logFile = await until(
    async () => filesHolding(log, ['Revoked run token']).find((f) => path.basename(f) === 'Secrets Vault.log'),
    (f) => f !== undefined,
    20_000,
    'the Secrets Vault log',
  );
  expect(readFileSync(logFile!, 'utf8')).toMatch(new RegExp(`Revoked run token \\S+ for ${AGENT}: its terminal closed\\.`));
  expect(readFileSync(logFile!, 'utf8')).toMatch(/Sending notification 'secretsVault\/(snapshot|delta)'/);
  // The probe: the scan finds what is there (the token files it was told to skip hold tokens).
  expect(filesHolding(tokenDir, runTokens).length).toBe(3);
  const leaks = filesHolding(ed.scratch, [...runTokens, ...values], [tokenDir]);
  expect(leaks.map((f) => path.relative(ed.scratch, f))).toEqual([]);
});
