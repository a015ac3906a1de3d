// The signed-out user journey: a person with no key. The extension host gets the vault's URL but no
// SECRETS_VAULT_TOKEN, so the Secrets view starts on its welcome content and Sign In is the way in.

import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { USER_TOKEN_PREFIX, type SecretMetadata } from '../../protocol/api';
import { activityBarItem, cli, notification, openEditor, treeNames, until, viewPane, type Editor } from './harness';

let ed: Editor;
let page: Page;

beforeAll(async () => {
  ed = await openEditor({ envToken: false });
  page = ed.page;
  await activityBarItem(page, 'Secrets Vault').click();
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await ed?.shot(`FAILED-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await ed?.stop();
});

const secretsView = () => viewPane(page, 'Secrets');
const welcome = () => secretsView().locator('.welcome-view-content');
const keyInput = () => page.locator('.quick-input-widget input');

async function signInWith(key: string): Promise<void> {
  await welcome().locator('.monaco-button', { hasText: 'Sign In' }).click();
  await keyInput().waitFor();
  await keyInput().fill(key);
  await page.keyboard.press('Enter');
}

// ---- 5. Signed out ----

test('5. Signed out: the welcome view offers Sign In', async () => {
  await welcome().waitFor({ timeout: 60_000 });
  const text = await welcome().innerText();
  expect(text).toContain('Sign in to the vault to see the secrets your agent can read.');
  expect(await welcome().locator('.monaco-button').allInnerTexts()).toEqual(['Sign In', 'Open Settings']);
  // Signed out: no secrets listed, no admin view, and the status bar asks for a sign-in.
  expect(await treeNames(secretsView())).toEqual([]);
  expect(await viewPane(page, 'All Secrets').count()).toBe(0);
  await page.locator('.statusbar-item', { hasText: 'Sign in to Secrets Vault' }).waitFor();
  await ed.shot('5-signed-out-welcome');
});

test('5. Signed out: the key box is masked and turns away an agent token', async () => {
  await welcome().locator('.monaco-button', { hasText: 'Sign In' }).click();
  await keyInput().waitFor();
  expect(await keyInput().getAttribute('type')).toBe('password');
  expect(await page.locator('.quick-input-widget .quick-input-title').innerText()).toBe(`Sign in to the vault at ${ed.vault.url}`);
  await keyInput().fill(ed.vault.agentToken);
  const message = page.locator('.quick-input-widget .quick-input-message');
  await until(() => message.innerText(), (t) => t.includes('agent token'), 10_000, 'the validation message');
  expect(await message.innerText()).toBe('This is an agent token (run time only); the editor needs a user API key.');
  await ed.shot('5-signed-out-agent-token');
  await page.keyboard.press('Escape');
  await keyInput().waitFor({ state: 'hidden' });
});

test('5. Signed out: a wrong key gets a clear error and stays signed out', async () => {
  await signInWith(`${USER_TOKEN_PREFIX}${'0'.repeat(40)}`);
  const error = notification(page, 'did not accept this API key');
  await error.waitFor({ timeout: 30_000 });
  await ed.shot('5-signed-out-wrong-key');
  expect(await error.innerText()).toContain(`Secrets Vault: the vault at ${ed.vault.url} did not accept this API key.`);
  // The progress toast goes with the failure; the view stays on its welcome.
  await notification(page, 'Checking the API key').waitFor({ state: 'detached', timeout: 10_000 });
  expect(await welcome().isVisible()).toBe(true);
  expect(await treeNames(secretsView())).toEqual([]);
  // It stays until the state changes: the good key of the next test closes it.
});

test('5. Signed out: a good key signs in: the view lists the agent secrets', async () => {
  await signInWith(ed.vault.adminKey);
  const done = notification(page, 'Signed in to');
  await done.waitFor({ timeout: 30_000 });
  expect(await done.innerText()).toMatch(/Signed in to demo as .* \(admin\)\./);
  const names = await until(() => treeNames(secretsView()), (n) => n.length > 0, 30_000, 'the Secrets view');
  const listed = await cli(ed.vault, ['--json', 'secrets', 'list']);
  const granted = (JSON.parse(listed.stdout) as SecretMetadata[]).filter((s) => s.agents.includes('PROJECT-BK7QF2MA')).map((s) => s.name);
  expect([...names].sort()).toEqual(granted.sort());
  expect(granted).toHaveLength(5);
  await page.locator('.statusbar-item', { hasText: 'PROJECT-BK7QF2MA' }).first().waitFor();
  expect(await welcome().isVisible()).toBe(false);
  // The key is an admin's: the All Secrets view appears and lists every secret.
  const all = (JSON.parse(listed.stdout) as SecretMetadata[]).map((s) => s.name).sort();
  const shown = await until(() => treeNames(viewPane(page, 'All Secrets')), (n) => n.length === all.length, 20_000, 'the All Secrets view');
  expect([...shown].sort()).toEqual(all);
  // The rejection was about a state that no longer holds: it went with the sign-in.
  expect(await notification(page, 'did not accept this API key').count()).toBe(0);
  await ed.shot('5-signed-in');
});
