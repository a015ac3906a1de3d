// A vault that cannot be reached says so, in the real editor, and the connection's notification
// goes when its state does. One window starts online and moves its URL to places where no vault
// answers (nothing listening, a web server that is not a vault, HTTPS with an untrusted
// certificate), then back, then loses its vault: the problems and the secrets stay, marked stale,
// and the status bar, the sidebar and the one notification name the URL and the reason. Another
// window starts with a wrong URL and no key: it says "cannot reach", not "sign in"; then the
// right URL, a rejected key and a good sign-in leave no error notification beside the status bar,
// and All Secrets lists every secret. A third signs in as a developer (no All Secrets), then as an admin.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { USER_TOKEN_PREFIX, type SecretMetadata } from '../../protocol/api';
import { freePort } from '../helpers/postgres';
import { selfSignedCert } from '../helpers/tls';
import { activityBarItem, answerInputBox, cli, openEditor, problemsUntil, runCommand, showProblems, treeNames, until, viewPane, type Editor, type EditorOptions, type Problem } from './harness';

const AGENT = 'PROJECT-BK7QF2MA';
const EXPECTED = ['refund_payment.py:9 not-granted', 'send_confirmation.py:10 unknown-secret'];
/** A port nothing listens on (a closed listener's). */
const DEAD_PORT = await freePort();
const brief = (ps: Problem[]) => ps.map((p) => `${p.file}:${p.line} ${p.code}`).sort();

const servers: Server[] = [];
let scratch: string;

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'sv-e2e-conn-'));
});

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections?.();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  rmSync(scratch, { recursive: true, force: true });
});

const statusTexts = (page: Page) => page.locator('.statusbar-item').evaluateAll((items) => items.map((i) => i.textContent ?? ''));
const toasts = (page: Page) => page.locator('.notifications-toasts .notification-toast').evaluateAll((ts) => ts.map((t) => (t.textContent ?? '').replace(/\s+/g, ' ')));
const secretsView = (page: Page) => viewPane(page, 'Secrets');

/** The workbench's message above a tree (TreeView.message). */
const viewMessage = (page: Page) => secretsView(page).locator('.message').first();

async function changeUrl(page: Page, url: string): Promise<void> {
  await runCommand(page, 'Secrets Vault: Change Vault URL…');
  await answerInputBox(page, 'Secrets Vault: Change URL', url);
}

/** A window for the describe block around it: opened with `options`, shot when a test fails, stopped after. */
function editorFor(options: EditorOptions, ready: (page: Page) => Promise<void>): { ed: Editor; page: Page } {
  const it = {} as { ed: Editor; page: Page };
  beforeAll(async () => {
    it.ed = await openEditor(options);
    it.page = it.ed.page;
    await activityBarItem(it.page, 'Secrets Vault').click();
    await ready(it.page);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await it.ed?.shot(`FAILED-connection-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
  });
  afterAll(async () => {
    await it.ed?.stop();
  });
  return it;
}

describe('online, then the URL moves where no vault answers, then the vault stops', () => {
  const it = editorFor({}, (page) => page.locator('.statusbar-item', { hasText: AGENT }).first().waitFor({ timeout: 60_000 }));

  test('nothing listening at the new URL: the status, the sidebar and one notification say so; the problems stay, stale', async () => {
    const { ed, page } = it;
    const found = await problemsUntil(page, (ps) => ps.length >= 2, 'both workspace problems', 60_000);
    expect(brief(found)).toEqual(EXPECTED);
    await until(() => treeNames(secretsView(page)), (n) => n.length === 5, 30_000, 'the Secrets view');

    const dead = `http://127.0.0.1:${await freePort()}`;
    await changeUrl(page, dead);
    const status = await until(() => statusTexts(page), (t) => t.some((s) => s.includes('offline · as of') && s.includes(AGENT)), 30_000, 'the offline status');
    expect(status.some((s) => s.includes('Sign in'))).toBe(false);
    // The sidebar: the URL and the reason above the secrets it still lists.
    const message = await until(() => viewMessage(page).innerText(), (t) => t.includes(dead), 30_000, 'the view’s message');
    expect(message).toBe(`Cannot reach the vault at ${dead}: the connection was refused (nothing listens there: the vault is stopped, or the port is wrong).`);
    expect((await treeNames(secretsView(page))).length).toBe(5);
    // One notification, naming the URL and the reason, with its actions.
    const shown = await until(() => toasts(page), (t) => t.some((s) => s.includes(dead)), 30_000, 'the notification');
    expect(shown.filter((s) => s.includes('Secrets Vault'))).toHaveLength(1);
    expect(shown.find((s) => s.includes(dead))).toMatch(/Retry.*Change URL.*Show Log/);
    // The problems stay (the last known metadata, marked stale).
    const stale = await problemsUntil(page, (ps) => brief(ps).join() === EXPECTED.join(), 'both problems while unreachable', 30_000);
    expect(brief(stale)).toEqual(EXPECTED);
    await showProblems(page);
    await ed.shot('connection-1-unreachable');
    // The tooltip names the URL and the reason, and offers Change URL.
    await page.locator('.statusbar-item', { hasText: 'offline · as of' }).first().hover();
    const tooltip = page.locator('.monaco-hover', { hasText: 'Cannot reach the vault' });
    await tooltip.waitFor({ timeout: 10_000 });
    expect(await tooltip.innerText()).toContain(`Cannot reach the vault at ${dead}: the connection was refused`);
    expect(await tooltip.innerText()).toContain('Change URL');
    await page.mouse.move(700, 400);
  });

  test('a web server that is not a vault, then HTTPS with an untrusted certificate: each replaces the notification', async () => {
    const { ed, page } = it;
    const web = await listen(createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not here</h1>')));
    await changeUrl(page, `http://${web}`);
    await until(() => viewMessage(page).innerText(), (t) => t.includes('not a Secrets Vault'), 30_000, 'not a Secrets Vault');
    const shown = await until(() => toasts(page), (t) => t.some((s) => s.includes(web)), 30_000, 'the replaced notification');
    expect(shown.filter((s) => s.includes('Cannot reach the vault'))).toHaveLength(1);

    const { key, cert } = selfSignedCert(scratch);
    const tls = await listen(createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end('{}')) as unknown as Server);
    await changeUrl(page, `https://${tls}`);
    const message = await until(() => viewMessage(page).innerText(), (t) => t.includes(tls), 30_000, 'the TLS message');
    expect(message).toContain('its TLS certificate is not trusted');
    const after = await until(() => toasts(page), (t) => t.some((s) => s.includes(tls)), 30_000, 'the TLS notification');
    expect(after.filter((s) => s.includes('Cannot reach the vault'))).toHaveLength(1);
    await ed.shot('connection-2-tls');
  });

  test('back to the vault from the notification’s Change URL: connected, the notification closed, the problems current', async () => {
    const { ed, page } = it;
    // From the notification's own Change URL link (a command link in its text).
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'Cannot reach the vault' }).locator('a', { hasText: 'Change URL' }).click();
    await answerInputBox(page, 'Secrets Vault: Change URL', ed.vault.url);
    await page.locator('.statusbar-item', { hasText: AGENT, has: page.locator('.codicon-key') }).first().waitFor({ timeout: 30_000 });
    await until(() => toasts(page), (t) => !t.some((s) => s.includes('Cannot reach the vault')), 30_000, 'the notification to close');
    await until(async () => (await viewMessage(page).count()) === 0 || !(await viewMessage(page).isVisible()), (gone) => gone, 30_000, 'the view’s message to go');
    const found = await problemsUntil(page, (ps) => brief(ps).join() === EXPECTED.join(), 'both problems', 30_000);
    expect(brief(found)).toEqual(EXPECTED);
  });

  test('the vault stops while the editor runs: unreachable, refused; the secrets and problems stay', async () => {
    const { ed, page } = it;
    await ed.vault.stop();
    await until(() => statusTexts(page), (t) => t.some((s) => s.includes('offline · as of') && s.includes(AGENT)), 60_000, 'the offline status');
    const message = await until(() => viewMessage(page).innerText(), (t) => t.includes(ed.vault.url), 30_000, 'the view’s message');
    expect(message).toContain('the connection was refused');
    expect((await treeNames(secretsView(page))).length).toBe(5);
    const found = await problemsUntil(page, (ps) => brief(ps).join() === EXPECTED.join(), 'both problems while the vault is down', 30_000);
    expect(brief(found)).toEqual(EXPECTED);
    await ed.shot('connection-3-vault-stopped');
  });
});

describe('a wrong URL at start with no key, then the right one, a rejected key and a good one', () => {
  // Nothing listens on a port a closed listener just had (freePort).
  const dead = `http://127.0.0.1:${DEAD_PORT}`;
  const it = editorFor({ envToken: false, settings: { 'secretsVault.url': dead } }, async () => undefined);
  const welcome = () => secretsView(it.page).locator('.welcome-view-content');

  test('it says the vault cannot be reached (not "sign in"), and offers Retry and Change URL', async () => {
    const { ed, page } = it;
    const status = await until(() => statusTexts(page), (t) => t.some((s) => s.includes('vault unreachable: connection refused')), 60_000, 'the unreachable status');
    expect(status.some((s) => s.includes('Sign in'))).toBe(false);
    await until(() => welcome().innerText(), (t) => t.includes('the connection was refused'), 30_000, 'the welcome');
    const text = await welcome().innerText();
    expect(text).toContain('Cannot reach the vault: the connection was refused.');
    expect(text).not.toContain('Sign in to the vault');
    expect(await welcome().locator('.monaco-button').allInnerTexts()).toEqual(['Retry', 'Change URL', 'Show Log']);
    // The URL: in the notification (and the status item's tooltip), with the reason.
    const shown = await until(() => toasts(page), (t) => t.some((s) => s.includes(dead)), 30_000, 'the notification');
    expect(shown.find((s) => s.includes(dead))).toContain(`Cannot reach the vault at ${dead}: the connection was refused`);
    await ed.shot('connection-4-wrong-url-at-start');
  });

  test('the right URL: the vault answers, sign in; the unreachable notification goes', async () => {
    const { ed, page } = it;
    await welcome().locator('.monaco-button', { hasText: 'Change URL' }).click();
    await answerInputBox(page, 'Secrets Vault: Change URL', ed.vault.url);
    await until(() => welcome().innerText(), (t) => t.includes('Sign in to the vault'), 30_000, 'the sign-in welcome');
    await until(() => toasts(page), (t) => !t.some((s) => s.includes('Cannot reach the vault')), 30_000, 'the notification to close');
  });

  test('a rejected key, then a good one: no error notification stays beside the green status', async () => {
    const { ed, page } = it;
    const keyInput = page.locator('.quick-input-widget input');
    await welcome().locator('.monaco-button', { hasText: 'Sign In' }).click();
    await keyInput.waitFor();
    await keyInput.fill(`${USER_TOKEN_PREFIX}${'0'.repeat(40)}`);
    await page.keyboard.press('Enter');
    await until(() => toasts(page), (t) => t.some((s) => s.includes('did not accept this API key')), 30_000, 'the rejection');
    await ed.shot('connection-5-rejected-key');

    await welcome().locator('.monaco-button', { hasText: 'Sign In' }).click();
    await keyInput.waitFor();
    await keyInput.fill(ed.vault.adminKey);
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: AGENT, has: page.locator('.codicon-key') }).first().waitFor({ timeout: 30_000 });
    const left = await until(() => toasts(page), (t) => !t.some((s) => /did not accept|Cannot reach|Not connected/.test(s)), 30_000, 'the stale notifications to go');
    expect(left.every((s) => !/did not accept|Cannot reach|Not connected/.test(s))).toBe(true);
    expect(await page.locator('.notifications-toasts .notification-toast .codicon-error').count()).toBe(0);
    await until(() => treeNames(secretsView(page)), (n) => n.length === 5, 30_000, 'the Secrets view');
    // The key is an admin's: All Secrets appears only now (its `when` is secretsVault.isAdmin) and
    // its rows follow the pane by a moment (the workbench asks the extension host for them once the
    // pane exists): a shot taken at once shows an empty pane. Wait for every secret of the vault.
    const all = await vaultSecretNames(ed);
    const shown = await until(() => treeNames(viewPane(page, 'All Secrets')), (n) => n.length === all.length, 60_000, 'the All Secrets rows');
    expect([...shown].sort()).toEqual(all);
    // Off the rows (the pointer is where the Sign In button was): no hover over the shot.
    await page.mouse.move(700, 400);
    await ed.shot('connection-6-signed-in');
  });
});

/** Every secret's name in the window's vault, from the CLI. */
async function vaultSecretNames(ed: Editor): Promise<string[]> {
  const listed = await cli(ed.vault, ['--json', 'secrets', 'list']);
  return (JSON.parse(listed.stdout) as SecretMetadata[]).map((s) => s.name).sort();
}

describe('signed in as a developer, then as an admin', () => {
  const it = editorFor({ envToken: false }, (page) => viewPane(page, 'Secrets').locator('.welcome-view-content').waitFor({ timeout: 60_000 }));

  async function signIn(page: Page, key: string): Promise<void> {
    await runCommand(page, 'Secrets Vault: Sign In');
    const keyInput = page.locator('.quick-input-widget input');
    await keyInput.waitFor();
    await keyInput.fill(key);
    await page.keyboard.press('Enter');
  }

  test('a developer sees no All Secrets; the admin who signs in next sees every secret there', async () => {
    const { ed, page } = it;
    const key = await cli(ed.vault, ['--json', 'keys', 'create', 'Dana (developer)', '--role', 'developer']);
    expect(key.code, key.stderr).toBe(0);
    await signIn(page, (JSON.parse(key.stdout) as { token: string }).token);
    await until(() => treeNames(secretsView(page)), (n) => n.length === 5, 60_000, 'the developer’s Secrets view');
    expect(await viewPane(page, 'All Secrets').count()).toBe(0);

    await signIn(page, ed.vault.adminKey);
    const all = await vaultSecretNames(ed);
    const shown = await until(() => treeNames(viewPane(page, 'All Secrets')), (n) => n.length === all.length, 60_000, 'the All Secrets rows');
    expect([...shown].sort()).toEqual(all);
    expect(await treeNames(secretsView(page))).toHaveLength(5);
    await ed.shot('connection-7-developer-then-admin');
  });
});
