// ADK projects in a real editor, with no agent configured: a workspace of two Agent Development Kit
// projects (each with its project.yaml) whose secrets-vault.json names only the vault. The Secrets
// view and the status bar follow the active file's project (before any file, none: the status bar
// says how many projects there are); the same read is clean in the booking project (its agent has
// the secret) and not granted in the help desk project (its own agent); the help desk's agent is not
// in the vault, so the admin gets one notice, which speaks of both projects, creates the agent from
// it with project.yaml's id and name, grants the secret with the quick fix, and the view lists it.
// Then a project created, moved and deleted while the editor is open is followed live, a
// secrets-vault.json naming an agent, written inside a project, wins for the files below it (as
// `secrets-vault check` decides) until it is deleted, and last a secret named in a project's
// configuration (agent_settings/experimental_config.json) is completed, reported and granted.

import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Agent } from '../../protocol/api';
import {
  acceptSuggestion,
  activityBarItem,
  applyQuickFix,
  codeLenses,
  editorShows,
  gotoText,
  notification,
  openEditor,
  openFile,
  problemsUntil,
  quickFixes,
  runCommand,
  suggestions,
  treeNames,
  until,
  viewPane,
  type Editor,
  type Problem,
} from './harness';

const BOOKING = 'PROJECT-BK7QF2MA';
const HELPDESK = 'PROJECT-HELPDSK1';
const BILLING = 'PROJECT-BL8NX3RC';
const BOOKING_FILE = 'agents/booking/functions/book_flight.py';
const HELPDESK_FILE = 'agents/support/helpdesk/functions/answer_call.py';
const NOTICE = `This folder holds 2 Agent Studio projects: 'Booking agent' and 'Help Desk'. The vault does not know the agent of Help Desk (${HELPDESK}) yet. Create the agent so that its functions can be given secrets?`;

const fn = (name: string) =>
  [
    'from _gen import *  # <AUTO GENERATED>',
    '',
    '',
    `def ${name}(conv: Conversation):`,
    "    api_key = conv.utils.get_secret('sendgrid_api_key')",
    '    return {"sent": bool(api_key)}',
    '',
  ].join('\n');

/** Two projects at different depths; the workspace's secrets-vault.json keeps only the vault URL. */
function twoProjects(workspace: string): void {
  const config = JSON.parse(readFileSync(path.join(workspace, 'secrets-vault.json'), 'utf8')) as { vault: string };
  for (const entry of readdirSync(workspace)) rmSync(path.join(workspace, entry), { recursive: true, force: true });
  const files: Record<string, string> = {
    'secrets-vault.json': `${JSON.stringify({ vault: config.vault }, null, 2)}\n`,
    'agents/booking/project.yaml': `project_id: ${BOOKING}\naccount_id: acme-travel\nregion: euw-1\nproject_name: Booking agent\n`,
    'agents/booking/_gen/__init__.py': '# generated\n',
    [BOOKING_FILE]: fn('book_flight'),
    'agents/support/helpdesk/project.yaml': `project_id: ${HELPDESK}\naccount_id: acme-travel\nregion: euw-1\nproject_name: "Help Desk"\n`,
    'agents/support/helpdesk/_gen/__init__.py': '# generated\n',
    [HELPDESK_FILE]: fn('answer_call'),
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
    writeFileSync(path.join(workspace, rel), text);
  }
}

let ed: Editor;
let page: Page;

const secretsView = () => viewPane(page, 'Secrets');
const header = () => secretsView().locator('.pane-header').innerText();
const statusItem = (text: string) => page.locator('.statusbar-item', { hasText: text }).first();

/** The Secrets Vault output channel as VS Code writes it to disk. */
function extensionLog(): string {
  const found: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name === 'Secrets Vault.log') found.push(path.join(d, e.name));
    }
  };
  walk(path.join(ed.scratch, 'code-server', 'user-data', 'logs'));
  found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return found[0] ? readFileSync(found[0], 'utf8') : '';
}

/**
 * A button of a notification: on its toast, or in the notification centre once the toast has hidden
 * itself (information toasts do after a while, as a person may find them).
 */
function noticeButton(text: string, button: string) {
  return {
    async click(): Promise<void> {
      if (!(await notification(page, text).isVisible())) await runCommand(page, 'Notifications: Show Notifications');
      await page.locator('.notification-list-item:visible', { hasText: text }).first().getByRole('button', { name: button }).click();
    },
  };
}

async function vaultAgents(): Promise<Agent[]> {
  const r = await fetch(`${ed.vault.url}/v1/agents`, { headers: { authorization: `Bearer ${ed.vault.adminKey}` } });
  return ((await r.json()) as { agents: Agent[] }).agents;
}

beforeAll(async () => {
  ed = await openEditor({ prepare: twoProjects });
  page = ed.page;
  await activityBarItem(page, 'Secrets Vault').click();
  // Before any file is open: no project (the first found is no more the user's than the other).
  await statusItem('2 projects').waitFor({ timeout: 60_000 });
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await ed?.shot(`FAILED-projects-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await ed?.stop();
});

test('the Secrets view and the status bar follow the active file’s project', async () => {
  // The vault does not know the help desk's agent: one notice, about the workspace's projects.
  await notification(page, NOTICE).getByRole('button', { name: 'Create Agent' }).waitFor({ timeout: 20_000 });
  await openFile(page, BOOKING_FILE);
  await until(header, (h) => h.includes(`Booking agent (${BOOKING})`), 20_000, 'the booking project in the view’s description');
  await until(() => treeNames(secretsView()), (n) => n.includes('sendgrid_api_key') && n.includes('amadeus_flights'), 20_000, 'the booking agent’s secrets');
  await statusItem(`${BOOKING} · Booking agent`).waitFor();
  await ed.shot('projects-1-booking');

  await openFile(page, HELPDESK_FILE);
  await until(header, (h) => h.includes(`Help Desk (${HELPDESK})`), 20_000, 'the help desk project in the view’s description');
  await statusItem(`${HELPDESK} · Help Desk`).waitFor();
  // The view keeps the step the notice offered.
  await until(() => treeNames(secretsView()), (n) => n.includes(`Create agent ${HELPDESK}…`), 20_000, 'the Create agent item');
  await ed.shot('projects-2-helpdesk-missing-agent');
});

test('switching files does not ask again; Create Agent from the notice makes the agent from project.yaml', async () => {
  await openFile(page, BOOKING_FILE);
  await until(header, (h) => h.includes(`Booking agent (${BOOKING})`), 20_000, 'the booking project again');
  await openFile(page, HELPDESK_FILE);
  await until(header, (h) => h.includes(`Help Desk (${HELPDESK})`), 20_000, 'the help desk project again');
  await noticeButton(NOTICE, 'Create Agent').click();
  await notification(page, `Created the agent Help Desk (${HELPDESK}).`).waitFor({ timeout: 20_000 });
  expect((await vaultAgents()).find((a) => a.id === HELPDESK)).toMatchObject({ id: HELPDESK, name: 'Help Desk' });
  // The item is gone with the need for it; the view says the agent has no secret yet.
  await until(() => treeNames(secretsView()), (n) => !n.some((x) => x.startsWith('Create agent')), 20_000, 'the Create agent item to go');
  // Asked once in this window, however often the editor came back to the project.
  const log = await until(async () => extensionLog(), (l) => l.includes(`Created the agent ${HELPDESK}`), 20_000, 'the log of the creation');
  expect(log.split('\n').filter((l) => l.includes('The vault has no agent') && l.includes(HELPDESK))).toHaveLength(1);
  await ed.shot('projects-4-agent-created');
});

test('the same read is clean in one project and not granted in the other, each against its own agent', async () => {
  const found = await problemsUntil(page, (ps) => ps.some((p) => p.code === 'not-granted'), 'the not-granted problem');
  expect(found.map((p) => `${p.file}:${p.line} ${p.code}`)).toEqual(['answer_call.py:5 not-granted']);
  expect(found[0]!.message).toMatch(new RegExp(`^Secret 'sendgrid_api_key' is not granted to agent '${HELPDESK}' \\(granted to: `));
  expect(found[0]!.message).toContain(BOOKING);
  await ed.shot('projects-3-problems');
});

test('the grant quick fix gives the new agent the secret: the problem goes and the view lists it', async () => {
  await openFile(page, HELPDESK_FILE);
  await gotoText(page, 'sendgrid_api_key', 2);
  const title = `Grant '${HELPDESK}' access to 'sendgrid_api_key'`;
  expect(await quickFixes(page)).toContain(title);
  await applyQuickFix(page, title);
  await notification(page, `Agent '${HELPDESK}' can now read 'sendgrid_api_key'.`).waitFor({ timeout: 20_000 });
  await problemsUntil(page, (ps) => ps.length === 0, 'no problems');
  await until(() => treeNames(secretsView()), (n) => n.includes('sendgrid_api_key'), 20_000, 'sendgrid_api_key in the help desk’s Secrets view');
  expect(await header()).toContain(`Help Desk (${HELPDESK})`);
  await ed.shot('projects-5-granted');
});

test('Select Project lists the projects and keeps the view on the one picked until a file of another project', async () => {
  await openFile(page, HELPDESK_FILE);
  await until(header, (h) => h.includes(`Help Desk (${HELPDESK})`), 20_000, 'the help desk project');
  await runCommand(page, 'Secrets Vault: Select Project…');
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  await rows.first().waitFor();
  const labels = await until(() => rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label') ?? '')), (l) => l.length === 2, 10_000, 'two projects');
  expect(labels[0]).toContain('Booking agent');
  expect(labels[0]).toContain(BOOKING);
  expect(labels[1]).toContain(`${HELPDESK} (current)`);
  await ed.shot('projects-6-select-project');
  await page.locator('.quick-input-widget input').fill('Booking');
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Booking agent' }).waitFor();
  await page.keyboard.press('Enter');
  await until(header, (h) => h.includes(`Booking agent (${BOOKING})`), 20_000, 'the picked project');
  await until(() => treeNames(secretsView()), (n) => n.includes('amadeus_flights'), 20_000, 'the booking agent’s secrets');
  // A file of the picked project keeps it; a file of another project ends the pick.
  await openFile(page, BOOKING_FILE);
  await openFile(page, HELPDESK_FILE);
  await until(header, (h) => h.includes(`Help Desk (${HELPDESK})`), 20_000, 'the help desk project after its file');
});

test('a project.yaml created, moved with its folder, or deleted is followed live', async () => {
  // A third project appears (as `poly pull` would write it): its file is checked against its own agent.
  const billing = path.join(ed.workspace, 'agents/billing');
  mkdirSync(path.join(billing, 'functions'), { recursive: true });
  writeFileSync(path.join(billing, 'functions/charge.py'), fn('charge'));
  writeFileSync(path.join(billing, 'project.yaml'), `project_id: ${BILLING}\naccount_id: acme-travel\nregion: euw-1\nproject_name: Billing agent\n`);
  await openFile(page, 'agents/billing/functions/charge.py');
  await until(header, (h) => h.includes(`Billing agent (${BILLING})`), 20_000, 'the new project in the view’s description');
  const found = await problemsUntil(page, (ps) => ps.some((p) => p.file === 'charge.py'), 'the new project’s problem');
  expect(found.filter((p) => p.file === 'charge.py').map((p) => p.message)).toEqual([expect.stringContaining(`is not granted to agent '${BILLING}'`)]);
  await until(() => treeNames(secretsView()), (n) => n.includes('stripe_api_key'), 20_000, 'the billing agent’s secrets in the view');
  await ed.shot('projects-7-new-project');

  // The folder moves: the project goes with it (the watcher sees only the folder). The view shows
  // another project meanwhile, so that it can only come back to Billing through the moved folder.
  await openFile(page, HELPDESK_FILE);
  await until(header, (h) => h.includes(`Help Desk (${HELPDESK})`), 20_000, 'the help desk project');
  renameSync(billing, path.join(ed.workspace, 'agents/payments'));
  await openFile(page, 'agents/payments/functions/charge.py');
  await until(header, (h) => h.includes(`Billing agent (${BILLING})`), 20_000, 'the moved project in the view’s description');

  // Its project.yaml is deleted: the file has no agent any more, and nothing is judged against one.
  rmSync(path.join(ed.workspace, 'agents/payments/project.yaml'));
  await until(header, (h) => !h.includes(BILLING), 20_000, 'the view to leave the deleted project');
  // No agent: the status bar says how many projects there are to choose from.
  await statusItem('2 projects').waitFor({ timeout: 20_000 });
  await problemsUntil(page, (ps) => !ps.some((p) => p.file === 'charge.py'), 'no problem for a file outside every project');
  await ed.shot('projects-8-project-deleted');
});

test('a secrets-vault.json naming an agent inside a project wins below it, as check decides, and is followed live', async () => {
  const legacy = path.join(ed.workspace, 'agents/support/helpdesk/legacy');
  mkdirSync(legacy, { recursive: true });
  writeFileSync(path.join(legacy, 'old_call.py'), fn('old_call'));
  await openFile(page, 'agents/support/helpdesk/legacy/old_call.py');
  // Nothing nearer: the help desk project's agent, which has the secret since the quick fix.
  await until(header, (h) => h.includes(`Help Desk (${HELPDESK})`), 20_000, 'the help desk project for the legacy file');
  await statusItem(`${HELPDESK} · Help Desk`).waitFor({ timeout: 20_000 });

  writeFileSync(path.join(legacy, 'secrets-vault.json'), `${JSON.stringify({ agent: BILLING })}\n`);
  await statusItem(BILLING).waitFor({ timeout: 20_000 });
  const found = await problemsUntil(page, (ps) => ps.some((p) => p.file === 'old_call.py'), 'the legacy file’s problem');
  expect(found.filter((p) => p.file === 'old_call.py').map((p) => p.message)).toEqual([expect.stringContaining(`is not granted to agent '${BILLING}'`)]);
  // Run and Debug follow it too.
  await until(() => codeLenses(page), (l) => l.some((t) => t.includes(`Run as ${BILLING}`)), 30_000, `the Run as ${BILLING} lens`);
  await ed.shot('projects-9-nested-config');
  // The project's other files keep its agent.
  await openFile(page, HELPDESK_FILE);
  await until(header, (h) => h.includes(`Help Desk (${HELPDESK})`), 20_000, 'the help desk project for its own file');

  // Deleted: the project decides there again, and the read is clean.
  rmSync(path.join(legacy, 'secrets-vault.json'));
  await problemsUntil(page, (ps) => !ps.some((p) => p.file === 'old_call.py'), 'no problem once the file naming the agent is gone');
  await openFile(page, 'agents/support/helpdesk/legacy/old_call.py');
  await statusItem(`${HELPDESK} · Help Desk`).waitFor({ timeout: 20_000 });
});

test('a secret name in the project’s configuration: completion inside the string, not granted, the grant quick fix', async () => {
  // agent_settings/experimental_config.json names a webhook's secret; typed up to `sl`.
  const rel = 'agents/booking/agent_settings/experimental_config.json';
  const config = {
    webhooks: { on_deployment: { live: [{ url: 'https://hooks.example.com/deployed', auth: { header: 'X-Hook-Key', secret_name: 'sl' } }] } },
  };
  mkdirSync(path.join(ed.workspace, 'agents/booking/agent_settings'), { recursive: true });
  writeFileSync(path.join(ed.workspace, rel), `${JSON.stringify(config, null, 2)}\n`);
  await openFile(page, rel);
  await until(header, (h) => h.includes(`Booking agent (${BOOKING})`), 20_000, 'the booking project for its configuration');
  await gotoText(page, '"sl"', 3);
  await page.keyboard.press('Control+Space');
  const offered = await suggestions(page);
  expect(offered.some((l) => l.startsWith('slack_webhook_url,'))).toBe(true);
  await ed.shot('projects-10-config-completion');
  await acceptSuggestion(page, 'slack_webhook_url');
  await editorShows(page, `${' '.repeat(12)}"secret_name": "slack_webhook_url"`);

  // Nobody has access to the secret yet: not granted to the project's agent, with the grant fix.
  const inConfig = (ps: Problem[]) => ps.filter((p) => p.file === 'experimental_config.json');
  // (The name typed so far is unknown until the accepted one is checked.)
  const found = await problemsUntil(page, (ps) => inConfig(ps).some((p) => p.code === 'not-granted'), 'the configuration’s problem');
  expect(inConfig(found).map((p) => `${p.code} ${p.message}`)).toEqual([
    `not-granted Secret 'slack_webhook_url' is not granted to agent '${BOOKING}' (no agent has access).`,
  ]);
  await gotoText(page, 'slack_webhook_url', 2);
  const title = `Grant '${BOOKING}' access to 'slack_webhook_url'`;
  expect(await quickFixes(page)).toContain(title);
  await ed.shot('projects-11-config-quick-fix');
  await applyQuickFix(page, title);
  await notification(page, `Agent '${BOOKING}' can now read 'slack_webhook_url'.`).waitFor({ timeout: 20_000 });
  await problemsUntil(page, (ps) => !ps.some((p) => p.file === 'experimental_config.json'), 'no problem in the configuration');
  await until(() => treeNames(secretsView()), (n) => n.includes('slack_webhook_url'), 20_000, 'slack_webhook_url in the booking agent’s view');
  await ed.shot('projects-12-config-granted');
});
