// A secret's life in real editors. Two code-servers on one demo vault, a developer's and
// an admin's, as the two people would sit: the developer asks for access from the quick fix, the
// admin approves it in the Access Requests view, and the developer's problem goes away by itself
// (events, no reload). Then the admin rolls a bad rotation back from the Secrets view (the agent's
// run-time read returns the old value again), and a secret that expired shows its error where it is
// read. Every step asserts what the screen shows and saves a screenshot.

import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { AccessRequest, SecretMetadata } from '../../protocol/api';
import {
  activeEditor,
  activityBarItem,
  webviewFrame,
  answerInputBox,
  applyQuickFix,
  cli,
  contextMenu,
  dismiss,
  gotoText,
  hoverAtCursor,
  notification,
  openEditor,
  openFile,
  problemsUntil,
  quickFixes,
  runtimeRead,
  startVault,
  treeLabels,
  treeRow,
  until,
  viewPane,
  type Editor,
} from './harness';
import type { DemoVault } from '../../scripts/editor.mjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The demo project's agent: the project_id in vault/demo/workspace/project.yaml. */
const AGENT = 'PROJECT-BK7QF2MA';
const REASON = 'Refunds for cancelled bookings (ticket OPS-142)';
/** What the admin types for the requested secret: the agent must read exactly this. */
const NEW_SECRET_VALUE = 'SG.e2e-requested-value-5b1e';

let scratch: string;
let vault: DemoVault;
let dev: Editor;
let admin: Editor;
let developerKey: string;

async function api<T>(method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const r = await fetch(`${vault.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${vault.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json().catch(() => null)) as T };
}

async function secret(name: string): Promise<SecretMetadata> {
  const r = await api<SecretMetadata>('GET', `/v1/secrets/${name}`);
  expect(r.status).toBe(200);
  return r.body;
}

async function requests(status = 'pending'): Promise<AccessRequest[]> {
  const r = await api<{ requests: AccessRequest[] }>('GET', `/v1/access-requests?status=${status}`);
  expect(r.status).toBe(200);
  return r.body.requests;
}

/** A modal dialog's button (code-server draws showWarningMessage({ modal: true }) as a dialog box). */
async function answerDialog(page: Page, expectText: RegExp, button: string): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 20_000 });
  const text = await dialog.innerText();
  expect(text).toMatch(expectText);
  await dialog.locator('.monaco-button', { hasText: button }).first().click();
  await dialog.waitFor({ state: 'detached' });
  return text;
}

/** Picks the quick-pick row whose label starts with `label`. */
async function pick(page: Page, label: string): Promise<void> {
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: 20_000 });
  await row.click();
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'sv-e2e-life-'));
  vault = await startVault(scratch);
  const key = await cli(vault, ['--json', 'keys', 'create', 'Dana (developer)', '--role', 'developer']);
  expect(key.code, key.stderr).toBe(0);
  developerKey = (JSON.parse(key.stdout) as { token: string }).token;
  dev = await openEditor({ vault, token: developerKey });
  admin = await openEditor({ vault });
}, 600_000);

afterEach(async () => {
  await dismiss(dev.page).catch(() => {});
  await dismiss(admin.page).catch(() => {});
});

afterAll(async () => {
  await dev?.stop();
  await admin?.stop();
  await vault?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

test('a developer requests access from the quick fix; the problem says it is pending', async () => {
  const page = dev.page;
  await openFile(page, 'functions/refund_payment.py');
  await problemsUntil(page, (ps) => ps.some((p) => p.code === 'not-granted' && p.file === 'refund_payment.py'), 'the not-granted problem');
  await gotoText(page, 'stripe_api_key', 2);
  const fixes = await quickFixes(page);
  await dev.shot('18-developer-quick-fixes');
  // A developer may not grant: the grant fix is replaced by a request.
  expect(fixes).toContain(`Request access for '${AGENT}' to 'stripe_api_key'…`);
  expect(fixes.some((f) => f.startsWith('Grant'))).toBe(false);
  await applyQuickFix(page, `Request access for '${AGENT}' to 'stripe_api_key'…`);
  await answerInputBox(page, 'Why does', REASON);
  await notification(page, 'Access requested').waitFor({ timeout: 20_000 });
  const pending = await requests();
  expect(pending.map((r) => [r.secret, r.agent, r.reason, r.requestedBy, r.newSecret])).toEqual([['stripe_api_key', AGENT, REASON, 'Dana (developer)', false]]);
  const ps = await problemsUntil(page, (p) => p.some((x) => x.code === 'not-granted' && /pending/.test(x.message)), 'the pending note on the problem');
  expect(ps.find((p) => p.code === 'not-granted')!.message).toMatch(/access requested, pending/);
  await dev.shot('18-developer-pending');
  // Asked once: no second request offered while it is pending.
  await gotoText(page, 'stripe_api_key', 2);
  const again = await quickFixes(page, { noneAllowed: true });
  expect(again.some((f) => f.startsWith('Request access'))).toBe(false);
});

test('the admin approves it in the Access Requests view; the developer’s problem disappears', async () => {
  const page = admin.page;
  // The container's icon carries the pending count as a badge (which takes the pointer), so the
  // click goes to the icon whatever is drawn over it.
  await until(() => activityBarItem(page, 'Secrets Vault').getAttribute('aria-label'), (l) => /1 pending access request/.test(l ?? ''), 20_000, 'the badge');
  if (!(await viewPane(page, 'Secrets').isVisible())) await activityBarItem(page, 'Secrets Vault').click({ force: true });
  const view = viewPane(page, 'Access Requests');
  await view.waitFor({ timeout: 20_000 });
  // The view's header may be collapsed under the Secrets view: open it.
  if (!(await view.locator('.pane-body').isVisible())) await view.locator('.pane-header').click();
  const rows = await until(() => treeLabels(view), (ls) => ls.some((l) => l.includes('stripe_api_key')), 20_000, 'the request in the view');
  await admin.shot('18-admin-access-requests');
  expect(rows.find((l) => l.includes('stripe_api_key'))).toMatch(new RegExp(AGENT));
  await contextMenu(page, treeRow(view, 'stripe_api_key'), 'Approve');
  await notification(page, `can now read 'stripe_api_key'`).waitFor({ timeout: 20_000 });
  expect((await secret('stripe_api_key')).agents).toContain(AGENT);
  expect(await requests()).toEqual([]);
  expect((await requests('approved')).map((r) => [r.secret, r.agent, r.decidedBy])).toEqual([['stripe_api_key', AGENT, 'Demo admin']]);
  await until(() => treeLabels(view), (ls) => !ls.some((l) => l.includes('stripe_api_key')), 20_000, 'the request to leave the view');
  // Live on the developer's side: no reload, no save.
  await problemsUntil(dev.page, (ps) => !ps.some((p) => p.file === 'refund_payment.py'), 'the developer’s problem to go', 30_000);
  await dev.shot('18-developer-granted');
});

test('a request for a secret that does not exist: approving opens Create prefilled, and creating it grants and approves', async () => {
  // The developer's file reads a secret nobody has made yet.
  const page = dev.page;
  await openFile(page, 'functions/send_confirmation.py');
  // The open document's own diagnostics first: quick fixes are offered for them.
  await until(() => activeEditor(page).locator('.squiggly-error').count(), (n) => n > 0, 30_000, 'the squiggle under the unknown name');
  await gotoText(page, 'sendgird_api_key', 2);
  const fixes = await quickFixes(page);
  expect(fixes).toContain(`Request secret 'sendgird_api_key' for '${AGENT}'…`);
  expect(fixes.some((f) => f.startsWith('Create secret'))).toBe(false);
  await applyQuickFix(page, `Request secret 'sendgird_api_key' for '${AGENT}'…`);
  await answerInputBox(page, 'need a new secret', 'Confirmation emails from the new sender domain');
  await notification(page, 'Access requested').waitFor({ timeout: 20_000 });
  const [asked] = await requests();
  expect([asked!.secret, asked!.agent, asked!.newSecret, asked!.kind]).toEqual(['sendgird_api_key', AGENT, true, 'single']);
  await problemsUntil(page, (ps) => ps.some((p) => p.file === 'send_confirmation.py' && /pending/.test(p.message)), 'the pending note on the unknown secret');

  const adminPage = admin.page;
  const view = viewPane(adminPage, 'Access Requests');
  await until(() => treeLabels(view), (ls) => ls.some((l) => l.startsWith('sendgird_api_key,')), 20_000, 'the new-secret request in the view');
  await contextMenu(adminPage, treeRow(view, 'sendgird_api_key'), 'Approve');
  const form = webviewFrame(adminPage, 'Create Secret: sendgird_api_key');
  const name = form.getByLabel('Name', { exact: true });
  await name.waitFor({ timeout: 30_000 });
  expect(await name.inputValue()).toBe('sendgird_api_key');
  expect(await form.locator(`input[type=checkbox][value="${AGENT}"]`).isChecked()).toBe(true);
  await form.getByLabel('Value', { exact: true }).fill(NEW_SECRET_VALUE);
  await admin.shot('18-admin-create-from-request');
  await form.getByRole('button', { name: 'Create' }).click();
  await notification(adminPage, `can now read 'sendgird_api_key'`).waitFor({ timeout: 30_000 });
  expect((await secret('sendgird_api_key')).agents).toEqual([AGENT]);
  expect((await requests('approved')).map((r) => r.secret)).toContain('sendgird_api_key');
  expect(await requests()).toEqual([]);
  // The agent reads what the admin typed; the developer's problem goes by itself.
  const read = await runtimeRead(vault, vault.agentToken, 'sendgird_api_key');
  expect((read.body as { value: string }).value).toBe(NEW_SECRET_VALUE);
  await problemsUntil(page, (ps) => !ps.some((p) => p.file === 'send_confirmation.py'), 'the unknown-secret problem to go', 30_000);
  await dev.shot('18-developer-secret-created');
});

test('a rollback from the Secrets view restores the old value for the agent', async () => {
  const before = await runtimeRead(vault, vault.agentToken, 'hotel_api');
  expect(before.status).toBe(200);
  const oldValue = (before.body as { value: Record<string, string> }).value;
  // A bad rotation: a new value, written through the CLI as an operator would.
  const rotated = await cli(vault, ['secrets', 'update', 'hotel_api', '--value', '--kv'], { stdin: JSON.stringify({ ...oldValue, api_key: 'rotated-but-wrong-0001' }) });
  expect(rotated.code, rotated.stderr).toBe(0);
  const after = await runtimeRead(vault, vault.agentToken, 'hotel_api');
  expect((after.body as { value: Record<string, string> }).value.api_key).toBe('rotated-but-wrong-0001');
  const meta = await secret('hotel_api');
  expect(meta.valueVersion).toBe(2);

  const page = admin.page;
  const secrets = viewPane(page, 'Secrets');
  await contextMenu(page, treeRow(secrets, 'hotel_api'), 'Roll Back to Version…');
  await pick(page, 'Version 1');
  await answerDialog(page, /version 1/i, 'Roll Back');
  await notification(page, 'Rolled back').waitFor({ timeout: 20_000 });
  await admin.shot('18-admin-rolled-back');
  const restored = await runtimeRead(vault, vault.agentToken, 'hotel_api');
  expect((restored.body as { value: Record<string, string> }).value).toEqual(oldValue);
  const now = await secret('hotel_api');
  expect(now.valueVersion).toBe(3);
  const versions = await api<{ versions: { version: number; restoredFrom?: number; current: boolean }[] }>('GET', '/v1/secrets/hotel_api/versions');
  expect(versions.body.versions.map((v) => [v.version, v.current, v.restoredFrom ?? null])).toEqual([
    [3, true, 1],
    [2, false, null],
    [1, false, null],
  ]);
  // The edit form says when the value last changed, by whom, and which version it is.
  await contextMenu(page, treeRow(secrets, 'hotel_api'), 'Edit Secret…');
  const form = webviewFrame(page, 'Edit Secret: hotel_api');
  const changed = form.getByText(/Value last changed/);
  await changed.waitFor({ timeout: 30_000 });
  expect(await changed.innerText()).toMatch(/Value last changed .* by Demo admin \(value version 3\)/);
  await expect.poll(() => form.getByLabel(/Expires/).count()).toBeGreaterThan(0);
  await admin.shot('18-admin-edit-form');
  await page.keyboard.press('Control+W');
});

test('an expired secret’s reference shows the error, and its hover says so', async () => {
  const meta = await secret('hotel_api');
  const r = await api('PATCH', '/v1/secrets/hotel_api', { expiresAt: '2026-01-01T00:00:00Z' }, { 'if-match': `"${meta.version}"` });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  // The agent is refused, and learns only that.
  const read = await runtimeRead(vault, vault.agentToken, 'hotel_api');
  expect(read.status).toBe(403);
  expect((read.body as { code: string }).code).toBe('secret_expired');
  const page = dev.page;
  await openFile(page, 'functions/book_hotel.py');
  // Both readers: the open file and the one the workspace index holds.
  const ps = await problemsUntil(
    page,
    (p) => ['book_hotel.py', 'check_credentials.py'].every((f) => p.some((x) => x.code === 'secret-expired' && x.file === f)),
    'the secret-expired problem in both files that read hotel_api',
    30_000,
  );
  expect(ps.find((p) => p.code === 'secret-expired')!.message).toMatch(/hotel_api.*expired on Jan 1, 2026/);
  await gotoText(page, 'hotel_api', 2);
  const hover = await hoverAtCursor(page);
  expect(hover).toMatch(/✗ hotel_api: expired on Jan 1, 2026/);
  // The vault keeps the last successful read (the rollback test's, by the demo's booking agent; the
  // refused one above is none), and the hover says it.
  const parts = () => page.locator('.monaco-hover:not(.hidden) .markdown-hover').evaluateAll((ps) => ps.map((p) => (p as unknown as { innerText: string }).innerText).join('\n'));
  const whole = await until(parts, (t) => /Last read by/.test(t), 20_000, 'the last read in the hover');
  expect(whole).toMatch(/Last read by PROJECT-BK7QF2MA \(Booking agent\) (just now|\d+ minutes? ago)\./);
  await dev.shot('18-developer-expired');
  // The Secrets view marks it too.
  await dismiss(page);
  await activityBarItem(page, 'Secrets Vault').click({ force: true });
  const labels = await until(() => treeLabels(viewPane(page, 'Secrets')), (ls) => ls.some((l) => l.startsWith('hotel_api,') && /expired/.test(l)), 20_000, 'the expired mark');
  expect(labels.find((l) => l.startsWith('hotel_api,'))).toMatch(/expired/);
  // Its row's tooltip says the agent's last read, as the hover does.
  await treeRow(viewPane(page, 'Secrets'), 'hotel_api').hover();
  const tip = page.locator('.context-view .monaco-hover:not(.hidden)', { hasText: 'Last read by' }).first();
  await tip.waitFor({ timeout: 15_000 });
  expect(await tip.innerText()).toMatch(/Last read by PROJECT-BK7QF2MA \(Booking agent\) (just now|\d+ minutes? ago)/);
  await dev.shot('18-developer-expired-sidebar');
  await page.mouse.move(900, 800);
});

test('deleting a secret the workspace reads, with live chosen: the question lists every read, Show Reads opens one; revoking the agent asks with its reads; then it is deleted', async () => {
  // A secret two files read: one by its name, one only when conv.env is sandbox (with live chosen,
  // no problem is shown there, and deleting the secret breaks it all the same). Neither file is open.
  const made = await api('POST', '/v1/secrets', { name: 'loyalty_api_key', value: 'loyalty-e2e-value-31c7', agents: [AGENT] });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const live = await openEditor({
    vault,
    settings: { 'secretsVault.environment': 'live' },
    prepare: (workspace) => {
      writeFileSync(
        path.join(workspace, 'functions', 'loyalty_points.py'),
        'from _gen import *  # <AUTO GENERATED>\n\n\ndef loyalty_points(conv: Conversation) -> str:\n    return conv.utils.get_secret("loyalty_api_key")\n',
      );
      writeFileSync(
        path.join(workspace, 'functions', 'loyalty_sandbox.py'),
        "from _gen import *  # <AUTO GENERATED>\n\n\ndef loyalty_sandbox(conv: Conversation) -> str:\n    name = 'loyalty_api_key' if conv.env == 'sandbox' else 'hotel_api'\n    return conv.utils.get_secret(name)\n",
      );
    },
  });
  try {
    const page = live.page;
    await activityBarItem(page, 'Secrets Vault').click({ force: true });
    const secrets = viewPane(page, 'Secrets');
    await until(() => treeLabels(secrets), (ls) => ls.some((l) => l.startsWith('loyalty_api_key')), 30_000, 'the secret in the view');
    // Asked until the workspace index holds both files (the language server reads them after it starts); Cancel deletes nothing.
    const dialog = page.locator('.monaco-dialog-box');
    const text = await until(
      async () => {
        await contextMenu(page, treeRow(secrets, 'loyalty_api_key'), 'Delete Secret…');
        await dialog.waitFor({ timeout: 20_000 });
        const shown = await dialog.innerText();
        if (!shown.includes('(2 reads)')) {
          await dialog.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
          await dialog.waitFor({ state: 'detached' });
        }
        return shown;
      },
      (t) => t.includes('(2 reads)'),
      90_000,
      'the question to list both reads',
    );
    expect(text).toContain("Delete the secret 'loyalty_api_key'? Code in this workspace reads it (2 reads).");
    expect(text).toContain(`These agents lose it: ${AGENT}`);
    expect(text).toContain(`functions/loyalty_points.py:5 — ${AGENT} (`);
    expect(text).toMatch(new RegExp(`functions/loyalty_sandbox\\.py:5 — ${AGENT}.* — sandbox`));
    expect(text).toContain('every environment');
    await live.shot('reads-delete-confirm');
    // Show Reads: nothing deleted; a pick of the reads, and the one picked opens at its line.
    await dialog.locator('.monaco-button', { hasText: 'Show Reads' }).first().click();
    await dialog.waitFor({ state: 'detached' });
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    const listed = await until(() => rows.allInnerTexts(), (t) => t.length === 2, 20_000, 'the two reads in the pick');
    expect(listed.join('\n')).toMatch(/loyalty_sandbox\.py:5[\s\S]*sandbox/);
    await live.shot('reads-show-reads');
    await pick(page, 'loyalty_sandbox.py:5');
    await until(() => page.locator('.tab.active').getAttribute('aria-label'), (l) => (l ?? '').includes('loyalty_sandbox.py'), 20_000, 'the read to open');
    expect((await secret('loyalty_api_key')).name).toBe('loyalty_api_key');
    // Revoking the project's agent asks too, with the reads that run as it (both, here).
    await contextMenu(page, treeRow(secrets, 'loyalty_api_key'), "Revoke Current Agent's Access");
    const revoked = await answerDialog(page, new RegExp(`Revoke '${AGENT}' from 'loyalty_api_key'\\? Its code reads it \\(2 reads\\)`), 'Revoke');
    expect(revoked).toContain('fails with MissingAccess');
    expect(revoked).toContain('functions/loyalty_sandbox.py:5');
    await until(async () => (await secret('loyalty_api_key')).agents, (a) => a.length === 0, 20_000, 'the grant to go');
    await dismiss(page);
    // Asked again, Delete deletes it: no agent loses it now, the code that reads it still breaks.
    const all = viewPane(page, 'All Secrets');
    await contextMenu(page, treeRow(all, 'loyalty_api_key'), 'Delete Secret…');
    const asked = await answerDialog(page, /2 reads/, 'Delete');
    expect(asked).toContain('No agent has access to it.');
    await until(async () => (await api('GET', '/v1/secrets/loyalty_api_key')).status, (st) => st === 404, 20_000, 'the secret to be deleted');
  } finally {
    await live.stop();
  }
});
