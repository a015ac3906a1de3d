// Names and agent ids as real accounts have them, in a real editor. With the demo vault,
// an agent with an Agent Studio id (`PROJECT-DEMO0001`) and a display name is created through the
// API and chosen as the folder's agent from the Choose Agent pick (which shows the name beside the
// id); the admin creates `Prod API Credentials` (key/value) from the Create Secret form, which
// advises snake_case but accepts the name; completion inside `get_secret('` writes the name; the
// sidebar and the status bar show the agent by its display name; Run as agent reads the secret and
// prints a fingerprint of one of its values, never the value. Last, no value typed is in any file
// of the editor, its logs or the browser profile.

import path from 'node:path';
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { SecretMetadata } from '../../protocol/api';
import {
  acceptSuggestion,
  activityBarItem,
  answerInputBox,
  codeLensLink,
  codeLenses,
  connectedStatus,
  dismiss,
  editorLines,
  filesHolding,
  fingerprint,
  gotoText,
  notification,
  openEditor,
  openFile,
  runCommand,
  suggestions,
  terminalShows,
  treeRow,
  until,
  viewPane,
  webviewFrame,
  type Editor,
} from './harness';

const AGENT = 'PROJECT-DEMO0001';
const AGENT_NAME = 'Field Service Template';
const SECRET = 'Prod API Credentials';
/** What the admin types as the pairs' values: each must never appear outside the vault. */
const CLIENT_ID = 'e2e-client-id-5b0e9d2c-never-shown';
const CLIENT_SECRET = 'e2e-client-secret-a41f7e63-never-shown';
/** Written by the test: a function the author completes the read in. */
const FILE = 'functions/field_service.py';

let ed: Editor;
let page: Page;

async function api(method: string, route: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const r = await fetch(`${ed.vault.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${ed.vault.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: await r.json().catch(() => null) };
}

const statusItem = () => page.locator('.statusbar-item', { hasText: `${AGENT} · ${AGENT_NAME}` }).first();

beforeAll(async () => {
  ed = await openEditor({ settings: { 'terminal.integrated.gpuAcceleration': 'off' } });
  page = ed.page;
  writeFileSync(
    path.join(ed.workspace, FILE),
    [
      '"""Written by the end-to-end test: the read is completed in the editor."""',
      'import hashlib',
      '',
      '',
      'def field_service(conv) -> str:',
      // The line the test completes, written with its indentation: a new line typed after the `def`
      // relies on the editor's auto-indent, which a loaded machine once left undone (the line at
      // column 0, and the run then failed on the file's syntax).
      '    creds = conv.utils.get_secret()',
      '    return "client_id " + hashlib.sha256(creds["client_id"].encode("utf-8")).hexdigest()[:8]',
      '',
    ].join('\n'),
  );
  await activityBarItem(page, 'Secrets Vault').click();
  // Connected, not merely showing the folder's agent: Choose Agent is offered only once connected.
  await connectedStatus(page, 'PROJECT-BK7QF2MA').waitFor({ timeout: 60_000 });
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await ed?.shot(`FAILED-33-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await ed?.stop();
});

test('an agent with an Agent Studio id and a display name, made through the API, is chosen from the pick that shows both', async () => {
  const made = await api('POST', '/v1/agents', { id: AGENT, name: AGENT_NAME, description: 'Pulled with the ADK' });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
  // The id is kept exactly as given.
  expect(made.json).toMatchObject({ id: AGENT, name: AGENT_NAME });

  await runCommand(page, 'Secrets Vault: Choose Agent…');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  // The new agent reaches the editor by the event stream; the pick is built from what it has.
  await input.fill(AGENT);
  const row = page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: AGENT });
  await row.waitFor({ timeout: 20_000 });
  expect(await row.innerText()).toContain(AGENT_NAME);
  await ed.shot('33-1-choose-agent');
  await page.keyboard.press('Enter');
  // The status bar names the agent by id (its case kept) and display name.
  await statusItem().waitFor({ timeout: 20_000 });
  await ed.shot('33-2-status-agent');
});

test(`Create Secret: '${SECRET}' is accepted with snake_case advice, with key/value pairs, for the chosen agent`, async () => {
  await dismiss(page);
  await runCommand(page, 'Secrets Vault: Create Secret…');
  const form = webviewFrame(page, 'Create Secret');
  await form.getByLabel('Name', { exact: true }).fill(SECRET);
  const advice = form.locator('.name-advice');
  await advice.waitFor();
  expect(await advice.innerText()).toContain("conv.utils.get_secret('prod_api_credentials')");
  expect(await form.locator('.field .problem:not([hidden])').count()).toBe(0);
  await form.getByRole('radio', { name: /Key\/value pairs/ }).check();
  await form.getByRole('textbox', { name: 'Key 1', exact: true }).fill('client_id');
  await form.getByLabel('Value of client_id', { exact: true }).fill(CLIENT_ID);
  await form.getByRole('button', { name: 'Add key' }).click();
  await form.getByRole('textbox', { name: 'Key 2', exact: true }).fill('client_secret');
  await form.getByLabel('Value of client_secret', { exact: true }).fill(CLIENT_SECRET);
  // The folder's agent is ticked by itself, shown by its display name beside the id.
  const box = form.locator(`input[type=checkbox][value="${AGENT}"]`);
  expect(await box.isChecked()).toBe(true);
  expect(await form.locator(`vscode-checkbox[value="${AGENT}"]`).innerText()).toContain(`${AGENT_NAME}`);
  await ed.shot('33-3-create-form');
  await form.getByRole('button', { name: 'Create' }).click();
  await page.locator('.tab[aria-label*="Create Secret"]').waitFor({ state: 'detached', timeout: 30_000 });
  await notification(page, `Created the secret '${SECRET}'.`).waitFor({ timeout: 20_000 });
  const listed = (await api('GET', '/v1/secrets')).json as { secrets?: SecretMetadata[] } | SecretMetadata[];
  const secrets = Array.isArray(listed) ? listed : (listed.secrets ?? []);
  expect(secrets.find((s) => s.name === SECRET)).toMatchObject({ name: SECRET, kind: 'kv', keys: ['client_id', 'client_secret'], agents: [AGENT] });
});

test('the sidebar shows the secret for the agent by its display name', async () => {
  const secretsView = viewPane(page, 'Secrets');
  await treeRow(secretsView, SECRET).first().waitFor({ timeout: 20_000 });
  // The view's description names the agent with its display name.
  expect(await secretsView.locator('.pane-header').innerText()).toContain(`${AGENT} (${AGENT_NAME})`);
  const all = viewPane(page, 'All Secrets');
  if (!(await all.locator('.pane-body').isVisible())) await all.locator('.pane-header').click();
  const row = treeRow(all, SECRET).first();
  await row.waitFor({ timeout: 20_000 });
  expect(await row.innerText()).toContain(`✓ ${AGENT} (${AGENT_NAME})`);
  expect(await row.getAttribute('aria-label')).toContain(`granted to ${AGENT} (${AGENT_NAME})`);
  await ed.shot('33-4-sidebar');
});

test(`completion inside get_secret(' writes the name: get_secret('${SECRET}')`, async () => {
  await openFile(page, FILE);
  await gotoText(page, 'creds = conv.utils.get_secret(', 'creds = conv.utils.get_secret('.length);
  await page.keyboard.type("'");
  const offered = await suggestions(page);
  expect(offered.some((o) => o.startsWith(`${SECRET},`)), JSON.stringify(offered)).toBe(true);
  await ed.shot('33-5-completion');
  await acceptSuggestion(page, SECRET);
  const expected = `    creds = conv.utils.get_secret('${SECRET}')`;
  await until(() => editorLines(page), (lines) => lines.includes(expected), 10_000, `the editor to show ${expected}`);
  await page.keyboard.press('Control+S');
  await ed.shot('33-6-completed');
});

test('Run as the agent reads the secret: the function prints a fingerprint of client_id, never the value', async () => {
  // A project function named like its file: the lens names the agent by its display name and, with
  // every environment checked, asks for one per run.
  const lens = await until(() => codeLenses(page), (l) => l.some((t) => t.includes(`Run as ${AGENT_NAME}`)), 30_000, 'the Run lens');
  expect(lens.join('\n')).toContain(`Run as ${AGENT_NAME} (choose environment)`);
  await (await codeLensLink(page, 0, `Run as ${AGENT_NAME}`)).click();
  await page.locator('.quick-input-widget .monaco-list-row[aria-label^="sandbox"]').first().click();
  expect(await answerInputBox(page, `Run field_service as ${AGENT} (sandbox)`, undefined)).toBe('{}');
  const screen = await terminalShows(page, /field_service returned/, 'the run to end', 60_000);
  expect(screen).toContain(`client_id ${fingerprint(CLIENT_ID)}`);
  expect(screen).not.toContain(CLIENT_ID);
  expect(screen).not.toContain(CLIENT_SECRET);
  await ed.shot('33-7-run-as-agent');
});

test('no value typed into the form is in any file of the editor, its logs or the browser profile', async () => {
  // The probe: the scan finds what is there.
  const probe = path.join(ed.scratch, 'probe.txt');
  writeFileSync(probe, CLIENT_ID);
  expect(filesHolding(ed.scratch, [CLIENT_ID])).toContain(probe);
  // The vault's own files included: values are stored encrypted.
  const leaks = filesHolding(ed.scratch, [CLIENT_ID, CLIENT_SECRET], [probe]);
  expect(leaks.map((f) => path.relative(ed.scratch, f))).toEqual([]);
});
