// Running code as an agent in an environment-style account (UPPER_CASE names, injected as variables
// as the platform's sandbox does): a function that reads os.environ gets the Run lens, and its run
// and the agent terminal see the agent's granted values as environment variables, and only those:
// credential-shaped names, and another only when the project opts into it ("inject" in
// secrets-vault.json), with a warning naming it and saying how.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { freePort, startDemoVault, type DemoVault } from '../../scripts/editor.mjs';
import {
  activityBarItem,
  answerInputBox,
  codeLenses,
  codeLensLink,
  filesHolding,
  fingerprint,
  notification,
  openEditor,
  openFile,
  runCommand,
  runtimeRead,
  terminalShows,
  until,
  type Editor,
} from './harness';

/** The demo project's agent: the project_id in vault/demo/workspace/project.yaml. */
const AGENT = 'PROJECT-BK7QF2MA';
const FILE = 'functions/env_probe.py';

let vaultDir: string;
let vault: DemoVault;
let ed: Editor;
let page: Page;
let sendgrid: string;
/** Granted to the agent, named like no credential: injected only when the project opts into it. */
const REGION = 'eu-west-region-e2e-41c9';

beforeAll(async () => {
  vaultDir = mkdtempSync(path.join(tmpdir(), 'sv-e2e-env-'));
  vault = await startDemoVault({ dataDir: path.join(vaultDir, 'vault'), port: await freePort(), naming: 'UPPER_CASE' });
  ed = await openEditor({ vault, settings: { 'terminal.integrated.gpuAcceleration': 'off' } });
  page = ed.page;
  writeFileSync(
    path.join(ed.workspace, FILE),
    [
      'import hashlib',
      'import os',
      '',
      '',
      'def env_probe(conv) -> dict:',
      '    key = os.environ["SENDGRID_API_KEY"]',
      '    return {',
      '        "sendgrid": hashlib.sha256(key.encode("utf-8")).hexdigest()[:8],',
      '        "stripe injected": "STRIPE_API_KEY" in os.environ,',
      '    }',
      '',
    ].join('\n'),
  );
  const created = await fetch(`${vault.url}/v1/secrets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${vault.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'BOOKING_REGION', value: REGION, agents: [AGENT] }),
  });
  expect(created.status).toBe(201);
  await activityBarItem(page, 'Secrets Vault').click();
  await page.locator('.statusbar-item', { hasText: AGENT }).first().waitFor({ timeout: 60_000 });
  const read = await runtimeRead(vault, vault.agentToken, 'SENDGRID_API_KEY');
  expect(read.status).toBe(200);
  sendgrid = (read.body as { value: string }).value;
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await ed?.shot(`FAILED-run-env-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await ed?.stop();
  await vault?.stop();
  rmSync(vaultDir, { recursive: true, force: true });
});

test("a function reading os.environ gets the lens; its run sees the agent's granted values as variables, not the others", async () => {
  await openFile(page, FILE);
  const rows = await until(() => codeLenses(page), (l) => l.length === 1, 30_000, 'the lens on env_probe');
  // A function of the demo project named like its file: the lens names the project's agent and, with
  // every environment checked, asks for one per run.
  expect(rows[0]).toMatch(/▶ Run as Booking agent \(choose environment\)/);
  await (await codeLensLink(page, 0, 'Run as Booking agent')).click();
  const pick = page.locator('.quick-input-widget');
  await pick.locator('.monaco-list-row[aria-label^="sandbox"]').first().click();
  expect(await answerInputBox(page, `Run env_probe as ${AGENT} (sandbox)`, undefined)).toBe('{}');
  const screen = await terminalShows(page, /env_probe returned/, 'the run to end');
  expect(screen).toContain(`{"sendgrid": "${fingerprint(sendgrid)}", "stripe injected": false}`);
  await ed.shot('16-run-env-style');
});

test('the agent terminal has the granted values as variables', async () => {
  await runCommand(page, 'Secrets Vault: Open Terminal as Agent');
  await terminalShows(page, /Its granted secrets are environment variables/, 'the terminal banner');
  await page.locator('.terminal-wrapper.active .xterm').click();
  await page.keyboard.type(
    `python3 -c "import hashlib, os; print('fp=' + hashlib.sha256(os.environ['SENDGRID_API_KEY'].encode()).hexdigest()[:8], 'stripe' if 'STRIPE_API_KEY' in os.environ else 'no-stripe')"`,
  );
  await page.keyboard.press('Enter');
  await terminalShows(page, new RegExp(`fp=${fingerprint(sendgrid)} no-stripe`), 'the fingerprint in the terminal');
  await runCommand(page, 'Terminal: Kill the Active Terminal Instance');
});

test('a name that does not look like a credential is skipped with a warning saying how to opt in, and injected once the project does', async () => {
  // Compared by fingerprint, so that the value is typed nowhere (a shell keeps a history).
  const probe = `python3 -c "import hashlib, os; print('region=' + hashlib.sha256(os.environ.get('BOOKING_REGION', 'unset').encode()).hexdigest()[:8])"`;
  await runCommand(page, 'Secrets Vault: Open Terminal as Agent');
  const warning = notification(page, 'Not injected: BOOKING_REGION.');
  await warning.waitFor({ timeout: 30_000 });
  expect(await warning.textContent()).toContain('"inject" in secrets-vault.json');
  await ed.shot('inject-warning');
  await page.locator('.terminal-wrapper.active .xterm').click();
  await page.keyboard.type(probe);
  await page.keyboard.press('Enter');
  await terminalShows(page, new RegExp(`region=${fingerprint('unset')}`), 'the skipped name in the terminal');
  await runCommand(page, 'Terminal: Kill the Active Terminal Instance');
  // The project opts into it.
  const file = path.join(ed.workspace, 'secrets-vault.json');
  const config = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, JSON.stringify({ ...config, inject: ['BOOKING_REGION'] }));
  await runCommand(page, 'Secrets Vault: Open Terminal as Agent');
  await terminalShows(page, /Its granted secrets are environment variables/, 'the terminal banner');
  await page.locator('.terminal-wrapper.active .xterm').click();
  await page.keyboard.type(probe);
  await page.keyboard.press('Enter');
  await terminalShows(page, new RegExp(`region=${fingerprint(REGION)}`), 'the opted-in name in the terminal');
  await runCommand(page, 'Terminal: Kill the Active Terminal Instance');
});

test('the injected value is in no file of the editor, its logs or the browser profile', async () => {
  expect(filesHolding(ed.scratch, [sendgrid, REGION])).toEqual([]);
});
