// Two admin tools of the sidebar in a real editor. Agent Tokens… (the
// Secrets view's title menu) lists the agent's live tokens, without their text, and revokes the one
// picked after a modal confirmation: the vault refuses it at once. Deny Several… (the Access
// Requests view's title) denies a flood of requests by requester, or all of them, with one reason
// and a modal confirmation naming how many: the view empties and the vault says denied. One admin
// editor on the demo vault; the requests and the run token come over the vault's API.

import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { AccessRequest, AgentTokenInfo, RunToken } from '../../protocol/api';
import { activityBarItem, answerInputBox, cli, dismiss, notification, openEditor, runCommand, runtimeRead, startVault, treeLabels, until, viewPane, type Editor } from './harness';
import type { DemoVault } from '../../scripts/editor.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The demo project's agent: the project_id in vault/demo/workspace/project.yaml. */
const AGENT = 'PROJECT-BK7QF2MA';
const DENY_REASON = 'Asked in bulk by a script: file one request per need (OPS-311)';

let scratch: string;
let vault: DemoVault;
let admin: Editor;
let page: Page;
/** Two developers: Dana floods the queue, Lee asks once. */
let dana: { id: string; token: string };
let lee: { id: string; token: string };

async function api<T>(method: string, route: string, body?: unknown, token = vault.adminKey): Promise<{ status: number; body: T }> {
  const r = await fetch(`${vault.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json().catch(() => null)) as T };
}

async function agentTokens(): Promise<AgentTokenInfo[]> {
  const r = await api<{ tokens: AgentTokenInfo[] }>('GET', `/v1/agents/${AGENT}/tokens`);
  expect(r.status).toBe(200);
  return r.body.tokens;
}

async function requests(status: string): Promise<AccessRequest[]> {
  const r = await api<{ requests: AccessRequest[] }>('GET', `/v1/access-requests?status=${status}`);
  expect(r.status).toBe(200);
  return r.body.requests;
}

async function developerKey(name: string): Promise<{ id: string; token: string }> {
  const key = await cli(vault, ['--json', 'keys', 'create', name, '--role', 'developer']);
  expect(key.code, key.stderr).toBe(0);
  const { id, token } = JSON.parse(key.stdout) as { id: string; token: string };
  return { id, token };
}

/** Shows the Secrets Vault side bar with `title`'s view expanded. */
async function showView(title: string): Promise<Locator> {
  if (!(await viewPane(page, 'Secrets').isVisible())) await activityBarItem(page, 'Secrets Vault').click({ force: true });
  const view = viewPane(page, title);
  await view.waitFor({ timeout: 20_000 });
  if (!(await view.locator('.pane-body').isVisible())) await view.locator('.pane-header').click();
  await view.locator('.pane-body').waitFor();
  return view;
}

/** A view's title action (drawn when the pointer is over the view), by its title. */
function titleAction(view: Locator, title: string): Locator {
  return view.locator(`.pane-header .actions .action-label[aria-label^="${title}"]`);
}

/** Picks `item` from a view's "More Actions..." menu (the title menu's overflow), as a person does: by pointer. */
async function titleMenu(view: Locator, item: string): Promise<void> {
  await view.locator('.pane-header').hover();
  await titleAction(view, 'More Actions').click();
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor();
  // A dropdown opened by the pointer has no focused item, so the keyboard cannot walk it as
  // contextMenu does; a click that lands while the menu is still being laid out is lost: again.
  const entry = menu.locator('.action-item .action-label', { hasText: item }).first();
  await entry.waitFor();
  await until(
    async () => {
      if (await menu.count()) await entry.click({ timeout: 2_000 }).catch(() => {});
      return menu.count();
    },
    (n) => n === 0,
    15_000,
    `menu item '${item}' to run`,
  );
}

/** The open quick pick's rows, as drawn: label, description and detail of each. */
async function quickPickRows(): Promise<{ label: string; description: string; detail: string }[]> {
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  await rows.first().waitFor({ timeout: 20_000 });
  return rows.evaluateAll((rs) =>
    rs.map((r) => {
      const text = (sel: string) => (r.querySelector(sel)?.textContent ?? '').replace(/\u00a0/g, ' ').trim();
      return { label: text('.monaco-icon-label .label-name'), description: text('.monaco-icon-label .label-description'), detail: text('.quick-input-list-label-meta') };
    }),
  );
}

/**
 * Waits for an information message. VS Code draws at most three toasts in 800 ms (the rest go
 * straight to the notification center), and these steps run faster than a person clicks: a
 * progress toast and its result, twice, is four. So: its toast, or else its row in the center.
 */
async function notified(text: string): Promise<void> {
  try {
    await notification(page, text).waitFor({ timeout: 10_000 });
    return;
  } catch {
    // not drawn as a toast: look in the center
  }
  await runCommand(page, 'Notifications: Show Notifications');
  await page.locator('.notifications-center .monaco-list-row', { hasText: text }).first().waitFor({ timeout: 10_000 });
  await runCommand(page, 'Notifications: Hide Notifications');
  await page.locator('.notifications-center.visible').waitFor({ state: 'detached' });
}

/** A modal dialog's text, then its button (code-server draws showWarningMessage({ modal: true }) as a dialog box). */
async function answerDialog(expectText: RegExp, button: string, shot?: string): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 20_000 });
  const text = await dialog.innerText();
  expect(text).toMatch(expectText);
  if (shot) await admin.shot(shot);
  await dialog.locator('.monaco-button', { hasText: button }).first().click();
  await dialog.waitFor({ state: 'detached' });
  return text;
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'sv-e2e-tokens-'));
  vault = await startVault(scratch);
  dana = await developerKey('Dana (developer)');
  lee = await developerKey('Lee (developer)');
  admin = await openEditor({ vault });
  page = admin.page;
}, 600_000);

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await admin?.shot(`FAILED-tokens-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});

  await dismiss(page).catch(() => {});
});

afterAll(async () => {
  await admin?.stop();
  await vault?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('Agent Tokens… lists the run token without its text; revoking it there makes the vault refuse it', async () => {
  // A run token an admin minted for a local run an hour long, as `secrets-vault run` would.
  const minted = await api<RunToken>('POST', `/v1/agents/${AGENT}/run-tokens`, { ttlSeconds: 3600 });
  expect(minted.status, JSON.stringify(minted.body)).toBe(201);
  const run = minted.body;
  expect((await runtimeRead(vault, run.token, 'hotel_api')).status).toBe(200);
  const before = await agentTokens();
  expect(before.filter((t) => t.kind === 'run').map((t) => t.id)).toEqual([run.id]);

  const secrets = await showView('Secrets');
  await until(() => treeLabels(secrets), (ls) => ls.some((l) => l.startsWith('hotel_api,')), 30_000, 'the Secrets view to list the agent’s secrets');
  // A settled sidebar for the screenshot: just after start the All Secrets list can take a few
  // seconds to draw its rows.
  await until(() => treeLabels(viewPane(page, 'All Secrets')), (ls) => ls.some((l) => l.startsWith('zendesk,')), 30_000, 'the All Secrets view to draw its rows');
  await titleMenu(secrets, 'Agent Tokens…');
  const box = page.locator('.quick-input-widget');
  await box.locator('.quick-input-title', { hasText: `Live tokens of '${AGENT}'` }).waitFor({ timeout: 20_000 });
  const rows = await until(quickPickRows, (rs) => rs.length === before.length, 10_000, 'a row per live token');
  await admin.shot('32-agent-tokens-quick-pick');
  // Run tokens first: kind, minter, created and expiry; an agent token after it.
  const runRow = rows[0]!;
  expect(runRow.label).toBe(run.id);
  expect(runRow.description).toBe(`run token minted by Demo admin (${run.mintedBy.id})`);
  expect(runRow.detail).toMatch(/^created [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M · expires [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M \(in \d+ min\)$/);
  expect(rows.slice(1).map((r) => [r.description, r.detail.replace(/^created .* · /, '')])).toEqual(
    before.filter((t) => t.kind === 'agent').map(() => ['agent token', 'never expires']),
  );
  // Never a token's text, not even its prefix, anywhere in the widget.
  const shown = await box.innerText();
  expect(shown).not.toContain(run.token);
  expect(shown).not.toContain(vault.agentToken);
  expect(shown).not.toMatch(/sva_|svu_/);

  await box.locator('.monaco-list-row', { hasText: run.id }).first().click();
  const asked = await answerDialog(new RegExp(`Revoke the run token ${run.id} minted by Demo admin\\?`), 'Revoke', '32-agent-tokens-confirm');
  expect(asked).toMatch(/stops reading secrets at once/);
  await notified(`Revoked run token ${run.id} of '${AGENT}'`);

  // Refused at once, and gone from the list; the deployment's agent token is untouched.
  expect((await runtimeRead(vault, run.token, 'hotel_api')).status).toBe(401);
  const after = await agentTokens();
  expect(after.filter((t) => t.kind === 'run')).toEqual([]);
  expect(after.map((t) => t.id)).toEqual(before.filter((t) => t.kind === 'agent').map((t) => t.id));
  expect((await runtimeRead(vault, vault.agentToken, 'hotel_api')).status).toBe(200);
});

test('Deny Several… denies one requester’s flood, then all that is left; the view empties', async () => {
  const ask = async (who: { token: string }, secret: string, reason: string) => {
    const r = await api<{ outcome: string; request: AccessRequest }>('POST', '/v1/access-requests', { secret, agent: AGENT, reason }, who.token);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.request;
  };
  const flood = [
    await ask(dana, 'stripe_api_key', 'Refunds from the booking flow'),
    await ask(dana, 'zendesk', 'Open a ticket when a booking fails'),
    await ask(dana, 'twilio', 'Text the traveller their booking'),
  ];
  const single = await ask(lee, 'slack_webhook_url', 'Post failed bookings to #ops');
  expect((await requests('pending')).length).toBe(4);

  const view = await showView('Access Requests');
  await until(() => treeLabels(view), (ls) => ls.length === 4, 30_000, 'the four requests in the view');

  // Dana's first: the choice names each requester and how many they filed.
  await view.locator('.pane-header').hover();
  await titleAction(view, 'Deny Several…').click();
  const box = page.locator('.quick-input-widget');
  await box.locator('input[placeholder="Deny which access requests?"]').waitFor({ timeout: 20_000 });
  const choices = await until(quickPickRows, (rs) => rs.length === 4, 10_000, 'the four choices');
  await admin.shot('32-deny-several-choice');
  expect(choices.map((c) => [c.label, c.description])).toEqual([
    ['All 4 pending requests', ''],
    ['Every request of Dana (developer)', `3 pending · ${dana.id}`],
    ['Every request of Lee (developer)', `1 pending · ${lee.id}`],
    ['Choose requests…', ''],
  ]);
  await box.locator('.monaco-list-row', { hasText: 'Every request of Dana (developer)' }).first().click();
  await answerInputBox(page, 'Deny 3 access requests', DENY_REASON);
  await answerDialog(/Deny 3 pending access requests\?/, 'Deny 3', '32-deny-several-confirm');
  await notified('Denied 3 access requests.');
  const left = await until(() => treeLabels(view), (ls) => ls.length === 1, 20_000, 'only Lee’s request to stay');
  expect(left[0]).toMatch(new RegExp(`^slack_webhook_url, for ${AGENT}\\b.*, requested by Lee \\(developer\\)$`));
  const denied = await requests('denied');
  expect(denied.map((r) => r.id).sort()).toEqual(flood.map((r) => r.id).sort());
  expect(denied.every((r) => r.decisionReason === DENY_REASON && r.decidedBy === 'Demo admin')).toBe(true);
  expect((await requests('pending')).map((r) => r.id)).toEqual([single.id]);

  // Then everything left, with no reason.
  await view.locator('.pane-header').hover();
  await titleAction(view, 'Deny Several…').click();
  await until(quickPickRows, (rs) => rs.length === 3 && rs[0]!.label === 'All 1 pending request', 10_000, 'the choices for one request');
  await box.locator('.monaco-list-row', { hasText: 'All 1 pending request' }).first().click();
  await answerInputBox(page, 'Deny 1 access request', '');
  await answerDialog(/Deny 1 pending access request\?/, 'Deny 1');
  await notified('Denied 1 access request.');
  await until(() => treeLabels(view), (ls) => ls.length === 0, 20_000, 'the view to empty');
  await admin.shot('32-deny-several-empty');
  expect(await requests('pending')).toEqual([]);
  const last = (await requests('denied')).find((r) => r.id === single.id);
  expect([last?.status, last?.decisionReason]).toEqual(['denied', '']);
});
