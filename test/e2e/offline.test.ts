// Offline is not clean, in the real editor: with the demo vault, open the workspace and
// wait for the problems; stop the vault; reload the window. The extension starts without a vault
// and works from the last known metadata it kept: the problems are still there, the status item
// and the views say offline and since when, and the sidebar still lists the agent's secrets.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { activeEditor, activityBarItem, editorShows, gotoText, openEditor, openFile, problemsUntil, runCommand, treeNames, until, viewPane, writeClipboard, type Editor, type Problem } from './harness';

/** The demo project's agent: the project_id in vault/demo/workspace/project.yaml. */
const AGENT = 'PROJECT-BK7QF2MA';
const GRANTED = ['amadeus_flights', 'hotel_api', 'hotel_mcp_token', 'openai_api_key', 'sendgrid_api_key'];
const EXPECTED = ['refund_payment.py:9 not-granted', 'send_confirmation.py:10 unknown-secret'];

let ed: Editor;
let page: Page;
const brief = (ps: Problem[]) => ps.map((p) => `${p.file}:${p.line} ${p.code}`).sort();
const secretsView = () => viewPane(page, 'Secrets');
const statusTexts = () => page.locator('.statusbar-item').evaluateAll((items) => items.map((i) => i.textContent ?? ''));

/** Files under `dir` whose name passes `match`, depth first. */
function findFiles(dir: string, match: (name: string) => boolean): string[] {
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
      else if (match(e.name)) found.push(path.join(d, e.name));
    }
  };
  walk(dir);
  return found;
}

/** The Secrets Vault output channel as VS Code writes it to disk (the newest window's). */
function secretsVaultLog(): string {
  const files = findFiles(path.join(ed.scratch, 'code-server', 'user-data', 'logs'), (n) => n === 'Secrets Vault.log');
  files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return files[0] ? readFileSync(files[0], 'utf8') : '';
}

/** Sets a user setting as a person does: in the user settings.json, opened from the palette. */
async function setUserSetting(key: string, value: unknown): Promise<void> {
  const file = path.join(ed.scratch, 'code-server', 'user-data', 'User', 'settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  settings[key] = value;
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  await page.locator('.tab.active[aria-label*="settings.json"]').waitFor();
  await activeEditor(page).locator('.view-lines').click();
  await writeClipboard(page, JSON.stringify(settings, null, 2));
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  await page.keyboard.press('Control+S');
  await until(async () => readFileSync(file, 'utf8'), (t) => t.includes(`"${key}": ${JSON.stringify(value)}`), 10_000, 'settings.json to be saved');
}

/** The offline copies the extension wrote into its global storage (code-server's user data). */
function cacheFiles(): string[] {
  return findFiles(path.join(ed.scratch, 'code-server', 'user-data', 'User', 'globalStorage'), (n) => /^metadata-[0-9a-f]+\.json$/.test(n));
}

beforeAll(async () => {
  ed = await openEditor();
  page = ed.page;
  await activityBarItem(page, 'Secrets Vault').click();
  await page.locator('.statusbar-item', { hasText: AGENT }).first().waitFor({ timeout: 60_000 });
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await ed?.shot(`FAILED-offline-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await ed?.stop();
});

test('online: the problems and the agent’s secrets, and the metadata is kept for offline use', async () => {
  const found = await problemsUntil(page, (ps) => ps.length >= 2, 'both workspace problems', 60_000);
  expect(brief(found)).toEqual(EXPECTED);
  const names = await until(() => treeNames(secretsView()), (n) => n.length === GRANTED.length, 30_000, 'the Secrets view');
  expect([...names].sort()).toEqual(GRANTED);
  // Written a moment after the listing arrived.
  await until(async () => cacheFiles(), (f) => f.length === 1, 30_000, 'the offline copy');
  await ed.shot('offline-1-online');
});

test('Copy Snippet from the palette lists the agent’s secrets first, marked, then the others', async () => {
  await runCommand(page, 'Secrets Vault: Copy Snippet');
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  await rows.first().waitFor();
  const labels = await until(
    () => rows.evaluateAll((rs) => rs.map((r) => (r.textContent ?? '').replace(/\s+/g, ' ').trim())),
    (ls) => ls.length >= 8,
    10_000,
    'the secrets in the picker',
  );
  await ed.shot('offline-0-copy-snippet-picker');
  // The first rows: the granted ones under their separator, each marked with the agent.
  expect(labels[0]).toContain(`Granted to ${AGENT}`);
  for (const name of GRANTED) expect(labels.find((l) => l.includes(name))).toContain(AGENT);
  const other = labels.findIndex((l) => l.includes('Other secrets'));
  expect(other).toBe(GRANTED.length);
  expect(labels.slice(other).some((l) => l.includes('stripe_api_key'))).toBe(true);
  await page.keyboard.press('Escape');
});

test('secretsVault.trace.server on its own: verbose shows the messages in the log, off stops them', async () => {
  await setUserSetting('secretsVault.trace.server', 'verbose');
  await until(async () => secretsVaultLog(), (l) => l.includes('Language server trace: verbose.'), 30_000, 'the setting to apply');
  await openFile(page, 'functions/refund_payment.py');
  // The didOpen notification, traced with its parameters (verbose), names the file.
  const traced = await until(async () => secretsVaultLog(), (l) => /Sending notification 'textDocument\/didOpen'[\s\S]*refund_payment\.py/.test(l), 30_000, 'a traced didOpen');
  expect(traced).toMatch(/Sending notification 'textDocument\/didOpen'/);
  // Switching between editors of the same agent sends the server no metadata at all.
  await openFile(page, 'functions/search_flights.py');
  await until(async () => secretsVaultLog(), (l) => /Sending notification 'textDocument\/didOpen'[\s\S]*search_flights\.py/.test(l), 30_000, 'the second didOpen');
  await openFile(page, 'functions/refund_payment.py');
  const verbose = secretsVaultLog();
  const whileVerbose = verbose.slice(verbose.lastIndexOf('Language server trace: verbose.'));
  expect(whileVerbose).not.toMatch(/Sending notification 'secretsVault\/(snapshot|delta)'/);

  // Typing inside a reference changes the usage counts; the extension answers with no metadata.
  const line = '    stripe_key = conv.utils.get_secret("stripe_api_key")';
  await editorShows(page, line);
  const mark = secretsVaultLog().length;
  await gotoText(page, 'stripe_api_key', 'stripe_api_key'.length);
  await page.keyboard.type('_x');
  await editorShows(page, line.replace('stripe_api_key', 'stripe_api_key_x'));
  // The server reports that stripe_api_key lost its reference (a changed count, not a full list).
  const typed = await until(async () => secretsVaultLog().slice(mark), (l) => /Received notification 'secretsVault\/usageCounts'[\s\S]*"stripe_api_key": 0/.test(l), 30_000, 'the changed count');
  await page.keyboard.press('Escape');
  for (let i = 0; i < 2; i++) await page.keyboard.press('Control+Z');
  await editorShows(page, line);
  await until(async () => secretsVaultLog().slice(mark), (l) => /"stripe_api_key": 1/.test(l), 30_000, 'the count back');
  const afterTyping = secretsVaultLog().slice(mark);
  expect(typed).toMatch(/"full": false/);
  expect(afterTyping).not.toMatch(/Sending notification 'secretsVault\/(snapshot|delta)'/);

  await setUserSetting('secretsVault.trace.server', 'off');
  await until(async () => secretsVaultLog(), (l) => l.includes('Language server trace: off.'), 30_000, 'the setting to apply');
  await openFile(page, 'functions/send_confirmation.py');
  // The server has seen the file once its squiggle shows; nothing about it was traced.
  await until(() => activeEditor(page).locator('.view-overlays .squiggly-error').count(), (n) => n > 0, 30_000, 'the squiggle');
  const log = secretsVaultLog();
  const afterOff = log.slice(log.lastIndexOf('Language server trace: off.'));
  expect(afterOff).not.toMatch(/Sending (notification|request)/);
  expect(afterOff).not.toContain('send_confirmation.py');
});

test('offline after a reload: the problems stay, marked stale, and the sidebar lists the secrets as of the last contact', async () => {
  await ed.vault.stop();
  // Wait for the reload's own navigation first: the old workbench is still in the page for a moment
  // after the command, and reading it then races the navigation that destroys it.
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  // The reloaded workbench: wait for it, then for the extension's status item.
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The agent is the workspace's project's (project.yaml), known once the reloaded extension has found it.
  const status = await until(statusTexts, (t) => t.some((s) => s.includes('offline · as of') && s.includes(AGENT)), 60_000, 'the offline status item naming the agent');
  const offline = status.find((s) => s.includes('offline · as of'))!;
  expect(offline).toMatch(/as of (\d{1,2} \w{3} )?\d\d:\d\d/);

  // The Problems panel still has both, from the kept metadata.
  const found = await problemsUntil(page, (ps) => brief(ps).join() === EXPECTED.join(), 'both problems while offline', 60_000);
  expect(brief(found)).toEqual(EXPECTED);

  // The sidebar: the agent's secrets, with a description that says offline and since when.
  const explorerOrVault = activityBarItem(page, 'Secrets Vault');
  if (!(await secretsView().isVisible())) await explorerOrVault.click();
  const names = await until(() => treeNames(secretsView()), (n) => n.length === GRANTED.length, 30_000, 'the Secrets view offline');
  expect([...names].sort()).toEqual(GRANTED);
  const description = await secretsView().locator('.pane-header .description').first().innerText();
  expect(description).toContain(AGENT);
  expect(description).toMatch(/offline · as of/);
  await ed.shot('offline-2-after-reload');

  // The problems panel with the stale metadata, for the record.
  await page.keyboard.press('Control+Shift+M');
  await ed.shot('offline-3-problems');
});
