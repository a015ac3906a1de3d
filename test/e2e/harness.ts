// The real-editor harness: the demo vault, code-server (VS Code 1.100) with the packaged VSIX
// installed into a fresh profile, and Chromium driven by Playwright. Everything binds to 127.0.0.1
// and is stopped as a process group. Screenshots go to test-results/e2e/ (not in git).

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { freePort, prepareWorkspace, root, startCodeServer, startDemoVault, type CodeServer, type DemoVault } from '../../scripts/editor.mjs';

export const SHOTS = path.join(root, 'test-results', 'e2e');

export interface Editor {
  vault: DemoVault;
  editor: CodeServer;
  workspace: string;
  context: BrowserContext;
  page: Page;
  scratch: string;
  shot(name: string): Promise<string>;
  stop(): Promise<void>;
}

export interface EditorOptions {
  /** Reuse a running vault instead of starting one. */
  vault?: DemoVault;
  /** Give the extension host the vault URL and an admin key through the environment (the demo's way). */
  envToken?: boolean;
  settings?: Record<string, unknown>;
}

export async function startVault(scratch: string): Promise<DemoVault> {
  return startDemoVault({ dataDir: path.join(scratch, 'vault'), port: await freePort() });
}

/** Starts code-server on the demo workspace and opens it in Chromium; resolves once the workbench is up. */
export async function openEditor(options: EditorOptions = {}): Promise<Editor> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'sv-e2e-'));
  mkdirSync(SHOTS, { recursive: true });
  const ownVault = !options.vault;
  const vault = options.vault ?? (await startVault(scratch));
  const workspace = prepareWorkspace(path.join(scratch, 'workspace'), { vaultUrl: vault.url, fresh: true });
  const env: Record<string, string> = { SECRETS_VAULT_URL: vault.url };
  if (options.envToken !== false) env.SECRETS_VAULT_TOKEN = vault.adminKey;
  const editor = await startCodeServer({
    stateDir: path.join(scratch, 'code-server'),
    port: await freePort(),
    folder: workspace,
    env,
    settings: { 'editor.quickSuggestionsDelay': 0, 'window.restoreWindows': 'none', ...(options.settings ?? {}) },
  });
  const context = await chromium.launchPersistentContext(path.join(scratch, 'chromium'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: editor.url });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(editor.folderUrl);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  return {
    vault,
    editor,
    workspace,
    context,
    page,
    scratch,
    async shot(name) {
      const file = path.join(SHOTS, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async stop() {
      await context.close().catch(() => {});
      await editor.stop();
      if (ownVault) await vault.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

// ---- driving the workbench ----

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor();
  await page.keyboard.press('Enter');
}

export async function openFile(page: Page, relative: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(relative);
  await page.locator('.quick-input-widget .monaco-list-row').first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[aria-label*="${path.basename(relative)}"]`).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/** Puts the cursor at the first occurrence of `text` in the active editor (+ offset characters). */
export async function gotoText(page: Page, text: string, offset = 0): Promise<void> {
  await page.keyboard.press('Control+F');
  const find = page.locator('.find-widget textarea, .find-widget input').first();
  await find.fill(text);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  // The match is selected; collapse to its start, then move.
  await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < offset; i++) await page.keyboard.press('ArrowRight');
}

export function activityBarItem(page: Page, title: string): Locator {
  return page.locator(`.activitybar .action-item a[aria-label^="${title}"]`);
}

export function webviewFrame(page: Page, title: string): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator(`iframe#active-frame[title="${title}"]`);
}

export async function problemsRows(page: Page): Promise<string[]> {
  return page.locator('.markers-panel .monaco-list-row').allInnerTexts();
}

/** Polls `read` until `accept` holds (states, not sleeps); fails with the last value seen. */
export async function until<T>(read: () => Promise<T>, accept: (v: T) => boolean, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
    last = await read();
  }
  return last;
}
