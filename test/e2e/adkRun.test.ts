// Run as AGENT on an Agent Studio function, in a real editor. The workspace holds, beside the demo
// project, the runtime fixture project (test/fixtures/adk-runtime: laid out as `poly pull` leaves
// it, with a `_gen/` that fails to import on this Python) and one more flow function of the test's
// own, which logs with conv.log, reads a secret, calls flow.goto_step and returns a value. The vault
// knows the project's agent and grants it the secret. With `live` chosen in the status bar, the
// lens above the flow function names the project and the environment; clicking Run runs it as the
// agent: the terminal shows its log line, the recorded transition, the return value and the
// changed state in that order, then the footer; the run token is revoked (the vault answers 401
// for it, and its audit has the revocation); the project's `_gen/` is byte-identical afterwards.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { AuditRecord } from '../../protocol/api';
import type { DemoVault } from '../../scripts/editor.mjs';
import { activityBarItem, answerInputBox, codeLenses, codeLensLink, filesUnder, openEditor, openFile, runtimeRead, startVault, terminalShows, until, type Editor } from './harness';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'adk-runtime');
/** Where the fixture project goes in the demo workspace (a project nested in the demo's). */
const PROJECT = 'agents/runtime';
const AGENT = 'PROJECT-RUNTIME1';
/** The project's project_name: the lens names the agent by it (the vault has no other name for it). */
const PROJECT_NAME = 'Runtime fixture';
const FLOW_FUNCTION = `${PROJECT}/flows/booking/functions/hold_table.py`;
const CREDS = { API_KEY: 'ak-7Qm2Vx9Lr4Tz8Wb1', BASE_URL: 'https://bookings.example.test/v2' };

const HOLD_TABLE = [
  'from _gen import *  # <AUTO GENERATED>',
  'import os',
  '',
  '',
  '@func_description("Hold a table while the caller confirms.")',
  'def hold_table(conv: Conversation, flow: Flow, party: int, out: str):',
  '    conv.log.info("holding a table", party=party, env=conv.env)',
  '    creds = conv.utils.get_secret("booking_creds")',
  '    # Hands the run token to the test, which checks it is revoked after the run.',
  '    with open(out, "w") as f:',
  '        f.write(os.environ["SECRETS_VAULT_TOKEN"])',
  '    conv.state.held_for = party',
  '    flow.goto_step("Confirm Hold")',
  '    return {"held": party, "env": conv.env, "keys": sorted(creds)}',
  '',
].join('\n');

let scratch: string;
let vault: DemoVault;
let ed: Editor;
let page: Page;

async function api(method: string, route: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const r = await fetch(`${vault.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${vault.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? (JSON.parse(text) as unknown) : null };
}

/** Every file under the project's `_gen/` with the SHA-256 of its bytes. */
function genHashes(workspace: string): Record<string, string> {
  const gen = path.join(workspace, PROJECT, '_gen');
  return Object.fromEntries(filesUnder(gen).map((f) => [path.relative(gen, f), createHash('sha256').update(readFileSync(f)).digest('hex')]));
}

/** The environment item in the status bar (its codicon), showing `text` when given. */
const environmentItem = (text?: string) =>
  page.locator('.statusbar-item', { has: page.locator('.codicon-server-environment'), ...(text === undefined ? {} : { hasText: new RegExp(`^\\s*${text}\\s*$`) }) }).first();

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'sv-e2e-adk-run-'));
  vault = await startVault(scratch);
  // The project's agent as `poly pull` users add it (no name of its own), and its secret.
  expect((await api('POST', '/v1/agents', { id: AGENT })).status).toBe(201);
  expect((await api('POST', '/v1/secrets', { name: 'booking_creds', value: CREDS, description: 'Booking API', agents: [AGENT] })).status).toBe(201);
  ed = await openEditor({
    vault,
    prepare: (workspace) => {
      cpSync(FIXTURE, path.join(workspace, PROJECT), { recursive: true });
      writeFileSync(path.join(workspace, FLOW_FUNCTION), HOLD_TABLE);
    },
    // The DOM renderer, so the run's terminal can be read.
    settings: { 'terminal.integrated.gpuAcceleration': 'off' },
  });
  page = ed.page;
  await activityBarItem(page, 'Secrets Vault').click();
  await page.locator('.statusbar-item', { hasText: 'PROJECT-BK7QF2MA' }).first().waitFor({ timeout: 60_000 });
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await ed?.shot(`FAILED-adk-run-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await ed?.stop();
  await vault?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('the project’s _gen does not import on this Python by itself (the run must not need it)', () => {
  const tried = spawnSync('python3', ['-c', 'import _gen'], { cwd: path.join(ed.workspace, PROJECT), encoding: 'utf8' });
  expect(tried.status).not.toBe(0);
  expect(tried.stderr).toMatch(/Error/);
});

test('with live chosen, Run on a flow function runs it as the project’s agent: its log, the recorded transition, the return value and state, then the token is revoked', async () => {
  // Choose live in the status bar, as a person does.
  await environmentItem('all').waitFor({ timeout: 30_000 });
  await environmentItem().click();
  const box = page.locator('.quick-input-widget');
  await box.locator('.quick-input-title', { hasText: 'Choose Environment' }).waitFor({ timeout: 20_000 });
  await box.locator('.monaco-list-row[aria-label^="live"]').first().click();
  await box.waitFor({ state: 'hidden' });
  await environmentItem('live').waitFor({ timeout: 20_000 });

  const genBefore = genHashes(ed.workspace);
  expect(Object.keys(genBefore).length).toBeGreaterThan(3);
  await openFile(page, FLOW_FUNCTION);
  // The lens names the project (its project_name) and the environment; it reads no other function.
  const rows = await until(() => codeLenses(page), (l) => l.length === 1 && l[0]!.includes('(live)'), 30_000, 'the flow function’s lens');
  expect(rows[0]).toMatch(new RegExp(`▶ Run as ${PROJECT_NAME} \\(live\\)\\s*\\|\\s*Debug as ${PROJECT_NAME} \\(live\\)`));
  await ed.shot('adk-run-01-lens');

  const audited = (await api('GET', '/v1/audit?limit=200')).json as { records: AuditRecord[] };
  const before = audited.records.length;
  const out = path.join(scratch, 'hold-table-token.txt');
  await (await codeLensLink(page, 0, `Run as ${PROJECT_NAME} (live)`)).click();
  // flow is passed by the runner: the box offers the parameters after conv and flow.
  expect(await answerInputBox(page, `Run hold_table as ${AGENT} (live)`, JSON.stringify({ party: 4, out }))).toBe('{"party":0,"out":""}');
  const screen = await terminalShows(page, /hold_table returned[\s\S]*Run token revoked\./, 'the run to end', 60_000);
  await ed.shot('adk-run-02-output');

  // The header's first line may have scrolled away; the command it ran is shown.
  expect(screen).toContain(`$ python3 -m secrets_vault call ${FLOW_FUNCTION}:hold_table`);
  expect(screen).toContain("conv.env is 'live' (the environment chosen in the editor)");
  // In order: the function's log line, the recorded transition, the return value, the changed state, the footer.
  const order = [
    screen.search(/\[conv\.log INFO\] holding a table/),
    screen.indexOf('Recorded platform actions'),
    screen.indexOf("flow.goto_step('Confirm Hold')"),
    screen.indexOf('{"held": 4, "env": "live", "keys": ["API_KEY", "BASE_URL"]}'),
    screen.indexOf('conv.state changed:'),
    screen.search(/held_for = 4/),
    screen.indexOf('hold_table returned'),
  ];
  expect(order.every((i) => i >= 0), `${order.join(',')}\n${screen}`).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(screen).toMatch(/\[conv\.log INFO\] holding a table .*env="live"/);
  // No value the run read is printed.
  expect(screen).not.toContain(CREDS.API_KEY);

  // The run token is revoked: the vault refuses it, and its audit has the mint, the read and the revocation.
  const token = readFileSync(out, 'utf8');
  expect(token).toMatch(/^sva_/);
  expect((await runtimeRead(vault, token, 'booking_creds')).status).toBe(401);
  const all = ((await api('GET', '/v1/audit?limit=200')).json as { records: AuditRecord[] }).records;
  // Newest first: the records since the run started.
  const after = all.slice(0, all.length - before);
  expect(after.map((r) => r.action)).toEqual(expect.arrayContaining(['agent.runtoken.create', 'runtime.read', 'agent.runtoken.revoke']));
  expect(after.find((r) => r.action === 'runtime.read')).toMatchObject({ actor: AGENT, actorType: 'agent', target: 'booking_creds', outcome: 'success' });

  // The project's _gen/ is as it was: same files, same bytes (no __pycache__ either).
  expect(genHashes(ed.workspace)).toEqual(genBefore);
});
