// Four user journeys in one real editor (a code-server start costs half a minute here):
// the function author, the reviewer, the admin and live updates, in that order, against the demo
// vault with an admin key from the environment. Each scenario leaves the vault as the next expects
// and says so; every step asserts what the screen shows and saves a screenshot.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { SecretMetadata } from '../../protocol/api';
import {
  acceptSuggestion,
  activeEditor,
  activityBarItem,
  applyQuickFix,
  cli,
  contextMenu,
  dismiss,
  editorLines,
  editorShows,
  filesHolding,
  filesUnder,
  gotoText,
  hoverAtCursor,
  notification,
  openEditor,
  openFile,
  problems,
  problemsUntil,
  quickFixes,
  readClipboard,
  runCommand,
  suggestions,
  treeLabels,
  treeNames,
  treeRow,
  until,
  viewPane,
  webviewFrame,
  writeClipboard,
  type Editor,
  type Problem,
} from './harness';

/** The demo project's agent: the project_id in vault/demo/workspace/project.yaml. */
const AGENT = 'PROJECT-BK7QF2MA';
/** The function the author writes into; created before it is opened, so the index sees it as new. */
const PLAN_TRIP = 'functions/plan_trip.py';
/** What the admin types as the new secret's value: it must never appear outside the vault. */
const NEW_VALUE = 'pk.e2e-value-3f9c1d7a-never-logged';
const NEW_SECRET = 'mapbox_token';
const NEW_DESCRIPTION = 'Mapbox token for trip maps.';

let ed: Editor;
let page: Page;

async function vaultSecrets(): Promise<SecretMetadata[]> {
  const r = await cli(ed.vault, ['--json', 'secrets', 'list']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as SecretMetadata[];
}

async function vaultSecret(name: string): Promise<SecretMetadata | undefined> {
  return (await vaultSecrets()).find((s) => s.name === name);
}

const brief = (ps: Problem[]) => ps.map((p) => `${p.file}:${p.line} ${p.code}`).sort();
const secretsView = () => viewPane(page, 'Secrets');

/**
 * Accepts suggestion `label` where `typed` (the line so far) ends, and checks that the call is
 * well-formed after it and nothing else changed. Whatever followed the cursor (the `')` that
 * auto-closing adds) stays; where the editor did not auto-close what Playwright typed, or closed
 * the quote but not the bracket (both happen under load), accepting the item closes the literal
 * and the call itself, so the line reads the same every way.
 */
async function acceptAndCheck(typed: string, label: string, closing: string): Promise<void> {
  const before = (await editorLines(page)).find((l) => l.startsWith(typed));
  if (before === undefined) throw new Error(`no line starts with ${JSON.stringify(typed)}`);
  const after = before.slice(typed.length);
  // All of `closing`, part of it (the quote but not the bracket), or nothing.
  expect(closing.startsWith(after), `what follows the cursor: ${JSON.stringify(after)}`).toBe(true);
  await acceptSuggestion(page, label);
  await editorShows(page, `${typed}${label}${closing}`);
}

/** The red squiggles drawn in the active editor, with the text under each. */
async function squiggles(): Promise<number> {
  return activeEditor(page).locator('.view-overlays .squiggly-error').count();
}

beforeAll(async () => {
  ed = await openEditor();
  page = ed.page;
  writeFileSync(path.join(ed.workspace, PLAN_TRIP), '"""Plan a trip: the end-to-end tests type into this function."""\n\n\ndef plan_trip(conv):\n    pass\n');
  await activityBarItem(page, 'Secrets Vault').click();
  // Connected: the status bar names the agent.
  await page.locator('.statusbar-item', { hasText: AGENT }).first().waitFor({ timeout: 60_000 });
});

afterEach(async ({ task }) => {
  // What the screen showed when a step failed.
  if (task.result?.state === 'fail') await ed?.shot(`FAILED-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await ed?.stop();
});

// ---- 1. Function author ----

test("1. Function author: the Secrets view lists exactly the agent's secrets", async () => {
  const granted = (await vaultSecrets()).filter((s) => s.agents.includes(AGENT)).map((s) => s.name).sort();
  expect(granted).toEqual(['amadeus_flights', 'hotel_api', 'hotel_mcp_token', 'openai_api_key', 'sendgrid_api_key']);
  const names = await until(() => treeNames(secretsView()), (n) => n.length === granted.length, 30_000, 'the Secrets view');
  expect([...names].sort()).toEqual(granted);
  // The admin's All Secrets view has the rest, marked as not granted.
  const everything = (await vaultSecrets()).map((s) => s.name).sort();
  const all = await until(() => treeNames(viewPane(page, 'All Secrets')), (n) => n.length === everything.length, 30_000, 'the All Secrets view');
  expect([...all].sort()).toEqual(everything);
  // The demo's secret that expires soon carries its mark there, with the days left.
  const labels = await treeLabels(viewPane(page, 'All Secrets'));
  expect(labels.find((l) => l.startsWith('slack_webhook_url,'))).toMatch(/expires in [45] days/);
  await ed.shot('1-author-secrets-view');
});

test("1. Function author: typing get_secret(' offers the agent's secrets first; accepting one inserts it", async () => {
  await openFile(page, PLAN_TRIP);
  await gotoText(page, 'pass', 4);
  await page.keyboard.press('Enter');
  await page.keyboard.type("key = conv.utils.get_secret('");
  const offered = await suggestions(page);
  await ed.shot('1-author-completion');
  const granted = (await vaultSecrets()).filter((s) => s.agents.includes(AGENT)).map((s) => s.name).sort();
  const name = (label: string) => label.split(',')[0]!;
  // Granted secrets first, with their kind; the others after, marked as not granted to the agent.
  const first = offered.slice(0, granted.length);
  expect(first.map(name).sort()).toEqual(granted);
  for (const label of first) expect(label).not.toContain('not granted');
  for (const label of offered.slice(granted.length)) expect(label).toContain(`not granted to ${AGENT}`);
  expect(offered.find((l) => l.startsWith('hotel_api,'))).toContain('key/value, 2 keys');

  await acceptAndCheck("    key = conv.utils.get_secret('", 'openai_api_key', "')");
});

test("1. Function author: ['  after a key/value secret offers its keys", async () => {
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type("hotel = conv.utils.get_secret('hotel_api')");
  await dismiss(page);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type("url = hotel['");
  const keys = await suggestions(page);
  await ed.shot('1-author-key-completion');
  expect(keys.map((l) => l.split(',')[0])).toEqual(['api_key', 'base_url']);
  await acceptAndCheck("    url = hotel['", 'base_url', "']");
  // The platform's own keyword (get_secret(self, secret_name: str)) completes as a positional name does.
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type("mcp = conv.utils.get_secret(secret_name='");
  const byKeyword = await suggestions(page);
  await ed.shot('1-author-secret-name-completion');
  expect(byKeyword.map((l) => l.split(',')[0])).toContain('hotel_mcp_token');
  await acceptAndCheck("    mcp = conv.utils.get_secret(secret_name='", 'hotel_mcp_token', "')");
  await page.keyboard.press('Control+S');
});

test('1. Function author: Copy Snippet puts the snippet on the clipboard', async () => {
  const copyFrom = async (row: ReturnType<typeof treeRow>): Promise<string> => {
    const sentinel = `clipboard before copy ${Date.now()}`;
    await writeClipboard(page, sentinel);
    await row.hover();
    await row.locator('.actions a[aria-label^="Copy Snippet"]').click();
    return until(() => readClipboard(page), (t) => t !== sentinel, 10_000, 'the clipboard to change');
  };
  expect(await copyFrom(treeRow(secretsView(), 'sendgrid_api_key'))).toBe("conv.utils.get_secret('sendgrid_api_key')");
  await ed.shot('1-author-copy-snippet');
  // A key of a key/value secret: expand it, copy from the key's row.
  await treeRow(secretsView(), 'amadeus_flights').locator('.monaco-tl-twistie').click();
  const keyRow = secretsView().locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^client_secret$/ }) });
  await keyRow.waitFor();
  expect(await copyFrom(keyRow)).toBe("conv.utils.get_secret('amadeus_flights')['client_secret']");
  // A key that holds an identifier says it is not sensitive (by default, from its name); a credential says nothing.
  const idRow = secretsView().locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^client_id$/ }) });
  expect(await idRow.locator('.label-description').textContent()).toBe('not sensitive');
  expect((await keyRow.locator('.label-description').count()) === 0 || (await keyRow.locator('.label-description').textContent()) === '').toBe(true);
  await page.mouse.move(0, 0);
  await ed.shot('1-author-key-not-sensitive');
  // Folded again, so that the later steps find their rows in a view that shows a few rows only
  // (the container also holds All Secrets, Access Requests and Access Review).
  await treeRow(secretsView(), 'amadeus_flights').locator('.monaco-tl-twistie').click();
  await keyRow.waitFor({ state: 'detached' });
});

test('1. Function author: hover shows the description and the access list', async () => {
  const hotel = (await vaultSecret('hotel_api'))!;
  await activeEditor(page).locator('.view-lines').click();
  await gotoText(page, "get_secret('hotel_api')", "get_secret('".length + 2);
  const text = await hoverAtCursor(page);
  await ed.shot('1-author-hover');
  expect(text).toContain('hotel_api');
  expect(text).toContain(hotel.description);
  expect(text).toContain('Keys: api_key, base_url');
  // Each agent as its id and display name: `PROJECT-BK7QF2MA (Booking agent)`.
  expect(text).toContain(`Agents with access: ${hotel.agents[0]}`);
  for (const agent of hotel.agents) expect(text).toContain(agent);
  expect(text).toContain(`Granted to ${AGENT}`);
  await dismiss(page);
});

test('1. Function author: Find Usages lists every read of a secret with its project and environments, and in the References view', async () => {
  try {
    await contextMenu(page, treeRow(secretsView(), 'openai_api_key'), 'Find Usages');
    // First the reads as the questions before a delete or a revoke list them, then the References view one pick away.
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    const listed = await until(() => rows.allInnerTexts(), (t) => t.length === 3, 30_000, 'the reads in the pick');
    expect(listed.slice(1).join('\n')).toMatch(/plan_trip\.py:\d+[\s\S]*every environment/);
    expect(listed.slice(1).join('\n')).toMatch(/summarise_call\.py:\d+/);
    await ed.shot('1-author-find-usages-reads');
    await rows.filter({ hasText: 'Open in the References View' }).first().click();
    // The References view (built in) lists the usages our language server answers for the name:
    // a row per file, and the first file expanded to its usage.
    const refs = page.locator('.pane', { has: page.locator('.pane-header[aria-label^="References"]') });
    await until(
      () => refs.locator('.monaco-list-row').allInnerTexts(),
      (texts) => ['plan_trip.py', 'summarise_call.py', 'openai_api_key'].every((t) => texts.join('\n').includes(t)),
      30_000,
      'the References view to list both files and a usage',
    );
    await ed.shot('1-author-find-usages');
    // The view opens summarise_call.py to preview it, without a tab: the live scenario below
    // revokes openai_api_key and expects the problem in that file all the same.
    const tabs = await page.locator('.tab').evaluateAll((ts) => ts.map((t) => t.getAttribute('aria-label') ?? ''));
    expect(tabs.some((t) => t.includes('summarise_call.py'))).toBe(false);
  } finally {
    // Back to the Secrets Vault container for the scenarios that follow, whatever happened here.
    await activityBarItem(page, 'Secrets Vault').click();
  }
});

// ---- 2. Reviewer ----

test('2. Reviewer: the Problems panel shows unknown-secret and not-granted for files that are not open', async () => {
  const tabs = await page.locator('.tab').evaluateAll((ts) => ts.map((t) => t.getAttribute('aria-label') ?? ''));
  expect(tabs.some((t) => t.includes('refund_payment.py') || t.includes('send_confirmation.py'))).toBe(false);
  const found = await problemsUntil(page, (ps) => ps.length >= 2, 'both workspace problems');
  await ed.shot('2-reviewer-problems');
  expect(brief(found)).toEqual(['refund_payment.py:9 not-granted', 'send_confirmation.py:10 unknown-secret']);
  expect(found.find((p) => p.code === 'unknown-secret')?.message).toBe("Secret 'sendgird_api_key' does not exist in the vault. Did you mean 'sendgrid_api_key'?");
  expect(found.find((p) => p.code === 'not-granted')?.message).toBe(`Secret 'stripe_api_key' is not granted to agent '${AGENT}' (granted to: PROJECT-BL8NX3RC).`);
});

test('2. Reviewer: in the editor, only the secret name is squiggled (the URL underline is a detected link)', async () => {
  await openFile(page, 'functions/refund_payment.py');
  await until(squiggles, (n) => n === 1, 20_000, 'one squiggle');
  // The URL on line 9 is underlined by VS Code's link detection, in the string's own colour; it is no diagnostic.
  // Link detection runs a moment after the file opens.
  const link = activeEditor(page).locator('.view-lines .detected-link');
  const links = await until(() => link.allInnerTexts(), (l) => l.length > 0, 20_000, 'the detected link');
  expect(links).toEqual(['https://api.stripe.com/v1/refunds']);
  expect(await squiggles()).toBe(1);
  await ed.shot('2-reviewer-refund-payment');
});

test('2. Reviewer: the did-you-mean quick fix corrects the misspelt name', async () => {
  await openFile(page, 'functions/send_confirmation.py');
  await gotoText(page, 'sendgird_api_key', 2);
  const fixes = await quickFixes(page);
  await ed.shot('2-reviewer-quick-fixes');
  expect(fixes[0]).toBe("Change to 'sendgrid_api_key'");
  expect(fixes).toContain("Create secret 'sendgird_api_key'…");
  await applyQuickFix(page, "Change to 'sendgrid_api_key'");
  const fixed = await until(() => editorLines(page), (ls) => !ls[9]!.includes('sendgird'), 10_000, 'the edit');
  expect(fixed[9]).toBe('    api_key = conv.utils.get_secret("sendgrid_api_key")  # misspelt on purpose');
  await page.keyboard.press('Control+S');
  const left = await problemsUntil(page, (ps) => !ps.some((p) => p.file === 'send_confirmation.py'), 'the unknown-secret problem to go');
  expect(brief(left)).toEqual(['refund_payment.py:9 not-granted']);
  await ed.shot('2-reviewer-fixed');
});

// ---- 3. Admin ----

test('3. Admin: the grant quick fix makes the not-granted problem go away', async () => {
  await openFile(page, 'functions/refund_payment.py');
  await gotoText(page, 'stripe_api_key', 2);
  expect(await quickFixes(page)).toEqual([`Grant '${AGENT}' access to 'stripe_api_key'`]);
  await applyQuickFix(page, `Grant '${AGENT}' access to 'stripe_api_key'`);
  await notification(page, `Agent '${AGENT}' can now read 'stripe_api_key'.`).waitFor();
  await problemsUntil(page, (ps) => ps.length === 0, 'no problems');
  await until(squiggles, (n) => n === 0, 10_000, 'no squiggle');
  await until(() => treeNames(secretsView()), (n) => n.includes('stripe_api_key'), 10_000, 'stripe_api_key in the Secrets view');
  await ed.shot('3-admin-granted');
  expect((await vaultSecret('stripe_api_key'))?.agents.sort()).toEqual(['PROJECT-BL8NX3RC', AGENT].sort());
});

test('3. Admin: Create Secret through its webview: the new secret is in the view and in completion', async () => {
  await dismiss(page);
  await runCommand(page, 'Secrets Vault: Create Secret…');
  const form = webviewFrame(page, 'Create Secret');
  await form.getByLabel('Name', { exact: true }).fill(NEW_SECRET);
  await form.getByLabel('Description (optional)').fill(NEW_DESCRIPTION);
  await form.getByLabel('Value', { exact: true }).fill(NEW_VALUE);
  // The form ticks the current agent by itself.
  expect(await form.locator(`input[type=checkbox][value="${AGENT}"]`).isChecked()).toBe(true);
  await ed.shot('3-admin-create-form');
  await form.getByRole('button', { name: 'Create' }).click();
  await page.locator('.tab[aria-label*="Create Secret"]').waitFor({ state: 'detached', timeout: 30_000 });
  await until(() => treeNames(secretsView()), (n) => n.includes(NEW_SECRET), 10_000, `${NEW_SECRET} in the Secrets view`);
  // A confirmation, and the new secret revealed (selected) in the tree.
  await notification(page, `Created the secret '${NEW_SECRET}'.`).waitFor();
  await treeRow(secretsView(), NEW_SECRET).and(page.locator('.selected')).waitFor();
  await ed.shot('3-admin-created');

  const made = await vaultSecret(NEW_SECRET);
  expect(made).toMatchObject({ name: NEW_SECRET, description: NEW_DESCRIPTION, kind: 'single', agents: [AGENT] });
  // The value stored is the one typed: the agent reads it back at run time.
  const read = await cli(ed.vault, ['runtime', 'get', NEW_SECRET], { token: ed.vault.agentToken });
  expect(read.stdout.trim()).toBe(NEW_VALUE);

  await openFile(page, PLAN_TRIP);
  await gotoText(page, "hotel['base_url']", "hotel['base_url']".length);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type("maps = conv.utils.get_secret('");
  const offered = await suggestions(page);
  expect(offered).toContain(`${NEW_SECRET}, single value, Constant`);
  await ed.shot('3-admin-new-secret-completion');
  await acceptAndCheck("    maps = conv.utils.get_secret('", NEW_SECRET, "')");
  await page.keyboard.press('Control+S');
  // The half-typed '' drew an invalid-name problem for a moment; the accepted name leaves none.
  await problemsUntil(page, (ps) => ps.length === 0, 'no problems');
});

test('3. Admin: Edit Access removing the agent brings the not-granted problem back', async () => {
  await contextMenu(page, treeRow(secretsView(), 'stripe_api_key'), 'Edit Access…');
  // As a person does, the pointer leaves the tree for the form, so the row's tooltip (resolved
  // lazily, it can appear after the form opened) does not cover the form.
  await page.mouse.move(900, 800);
  await page.locator('.context-view .monaco-hover').first().waitFor({ state: 'hidden' });
  const form = webviewFrame(page, 'Edit Access: stripe_api_key');
  const box = form.locator(`input[type=checkbox][value="${AGENT}"]`);
  expect(await box.isChecked()).toBe(true);
  // VS Code's checkbox (@vscode-elements): a click on it, as a person clicks, clears it.
  await form.locator(`vscode-checkbox[value="${AGENT}"]`).click();
  expect(await box.isChecked()).toBe(false);
  await ed.shot('3-admin-edit-access');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.locator('.tab[aria-label*="Edit Access"]').waitFor({ state: 'detached', timeout: 30_000 });
  await notification(page, "Access to 'stripe_api_key': PROJECT-BL8NX3RC.").waitFor();
  const back = await problemsUntil(page, (ps) => ps.length > 0, 'the not-granted problem');
  expect(brief(back)).toEqual(['refund_payment.py:9 not-granted']);
  await until(() => treeNames(secretsView()), (n) => !n.includes('stripe_api_key'), 10_000, 'stripe_api_key to leave the Secrets view');
  await ed.shot('3-admin-access-removed');
  expect((await vaultSecret('stripe_api_key'))?.agents).toEqual(['PROJECT-BL8NX3RC']);
});

test('3. Admin: Delete asks for confirmation, and afterwards the reference is unknown-secret', async () => {
  const dialog = page.locator('.monaco-dialog-box');
  // Cancel first: nothing is deleted.
  await contextMenu(page, treeRow(secretsView(), NEW_SECRET), 'Delete Secret…');
  await dialog.waitFor();
  expect(await dialog.innerText()).toContain(`Delete the secret '${NEW_SECRET}'?`);
  // The agent with its display name beside the id.
  expect(await dialog.innerText()).toContain(`These agents lose it: ${AGENT} (Booking agent).`);
  await ed.shot('3-admin-delete-confirm');
  await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  expect(await vaultSecret(NEW_SECRET)).toBeDefined();

  await contextMenu(page, treeRow(secretsView(), NEW_SECRET), 'Delete Secret…');
  await dialog.waitFor();
  await dialog.locator('.monaco-button', { hasText: 'Delete' }).click();
  await until(() => treeNames(secretsView()), (n) => !n.includes(NEW_SECRET), 10_000, `${NEW_SECRET} to leave the Secrets view`);
  const now = await problemsUntil(page, (ps) => ps.some((p) => p.code === 'unknown-secret'), 'the unknown-secret problem');
  const line = (await editorLines(page)).findIndex((l) => l.includes(NEW_SECRET)) + 1;
  expect(brief(now)).toEqual([`plan_trip.py:${line} unknown-secret`, 'refund_payment.py:9 not-granted']);
  expect(now.find((p) => p.code === 'unknown-secret')?.message).toContain(`Secret '${NEW_SECRET}' does not exist in the vault.`);
  await ed.shot('3-admin-deleted');
  expect(await vaultSecret(NEW_SECRET)).toBeUndefined();
});

// ---- 4. Live ----

test('4. Live: a change made with the CLI shows in the view and the diagnostics without a refresh', async () => {
  const before = await problems(page);
  expect(await treeNames(secretsView())).not.toContain('twilio');

  const grant = await cli(ed.vault, ['access', 'grant', 'twilio', AGENT]);
  expect(grant.code, grant.stderr).toBe(0);
  await until(() => treeNames(secretsView()), (n) => n.includes('twilio'), 20_000, 'twilio in the Secrets view');

  const revoke = await cli(ed.vault, ['access', 'revoke', 'openai_api_key', AGENT]);
  expect(revoke.code, revoke.stderr).toBe(0);
  const after = await problemsUntil(page, (ps) => ps.length === before.length + 2, 'two not-granted problems for openai_api_key');
  await until(() => treeNames(secretsView()), (n) => !n.includes('openai_api_key'), 20_000, 'openai_api_key to leave the Secrets view');
  await ed.shot('4-live');
  const added = brief(after).filter((p) => !brief(before).includes(p));
  // summarise_call.py was never shown in a tab (the References view only previewed it): the
  // workspace diagnostics follow the vault for it too.
  expect(added).toEqual(['plan_trip.py:6 not-granted', 'summarise_call.py:11 not-granted']);
  expect(after.find((p) => p.file === 'summarise_call.py')?.message).toBe(
    `Secret 'openai_api_key' is not granted to agent '${AGENT}' (granted to: PROJECT-BL8NX3RC, PROJECT-SP4TK9WD).`,
  );
});

// ---- Secret values ----

test("Secret values: the value typed into Create Secret is in no file of the editor, its logs or the browser's profile", async () => {
  const files = filesUnder(ed.scratch);
  // The scan covers the browser's profile (webview state, storage) and code-server's logs and state.
  expect(files.some((f) => f.startsWith(path.join(ed.scratch, 'chromium')))).toBe(true);
  expect(files.some((f) => f.startsWith(path.join(ed.scratch, 'code-server')))).toBe(true);
  // The extension's log must have been written after the secret was created: its deletion is logged.
  const log = files.find((f) => path.basename(f) === 'Secrets Vault.log');
  expect(log, 'the Secrets Vault log file').toBeDefined();
  // "Deleted mapbox_token (1 read in the workspace)." when the workspace still reads it.
  await until(async () => readFileSync(log!, 'utf8'), (t) => new RegExp(`Deleted ${NEW_SECRET}( \\(\\d+ reads? in the workspace\\))?\\.`).test(t), 20_000, 'the log to record the deletion');
  const leaks = filesHolding(ed.scratch, [NEW_VALUE]);
  expect(leaks.map((f) => path.relative(ed.scratch, f))).toEqual([]);
});
