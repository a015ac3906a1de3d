// The real-editor harness: the demo vault, code-server (VS Code 1.100) with the packaged VSIX
// installed into a fresh profile, and Chromium driven by Playwright. Everything binds to 127.0.0.1
// and is stopped as a process group. Screenshots go to test-results/e2e/ (not in git).

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import type { EditionName } from '../../scripts/code-server.mjs';
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
  /** The key the environment gives (default: the demo admin's). */
  token?: string;
  settings?: Record<string, unknown>;
  /** Changes the prepared workspace before the editor opens it (a test's own files). */
  prepare?: (workspace: string) => void;
  /** Which code-server (scripts/code-server.mjs EDITIONS); the default edition when absent. */
  edition?: EditionName;
  /** More VSIX files to install beside the extension (a test's own). */
  extraVsix?: string[];
  /** More environment for the editor's processes. */
  env?: Record<string, string>;
}

export async function startVault(scratch: string): Promise<DemoVault> {
  return startDemoVault({ dataDir: path.join(scratch, 'vault'), port: await freePort() });
}

/** Starts code-server on the demo workspace and opens it in Chromium; resolves once the workbench is up. */
export async function openEditor(options: EditorOptions = {}): Promise<Editor> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'sv-e2e-'));
  mkdirSync(SHOTS, { recursive: true });
  // What has started so far, stopped in reverse if a later step fails (the test gets no Editor to stop).
  const cleanups: Array<() => Promise<void>> = [async () => rmSync(scratch, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  };
  try {
    const vault = options.vault ?? (await startVault(scratch));
    if (!options.vault) cleanups.push(() => vault.stop());
    const workspace = prepareWorkspace(path.join(scratch, 'workspace'), { vaultUrl: vault.url, fresh: true });
    options.prepare?.(workspace);
    const env: Record<string, string> = { ...options.env, SECRETS_VAULT_URL: vault.url };
    if (options.envToken !== false) env.SECRETS_VAULT_TOKEN = options.token ?? vault.adminKey;
    const editor = await startCodeServer({
      stateDir: path.join(scratch, 'code-server'),
      port: await freePort(),
      folder: workspace,
      env,
      settings: { 'editor.quickSuggestionsDelay': 0, 'window.restoreWindows': 'none', ...(options.settings ?? {}) },
      edition: options.edition,
      extraVsix: options.extraVsix,
    });
    cleanups.push(() => editor.stop());
    const context = await chromium.launchPersistentContext(path.join(scratch, 'chromium'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    cleanups.push(() => context.close());
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
        // Just after a window reload Chromium may have no frame to capture yet: it either says so
        // ("Unable to capture screenshot") or waits for a frame that a busy, freshly loaded
        // renderer never schedules (CI saw page.screenshot hang its whole 30 s once the fonts had
        // loaded). That is the picture not being ready, not a failure of what the test checks: each
        // attempt is bounded, and the page is brought to the front (which asks for a new frame)
        // before the next.
        for (let attempt = 1; ; attempt++) {
          try {
            await page.screenshot({ path: file, timeout: 10_000 });
            return file;
          } catch (err) {
            const message = String((err as Error).message);
            const notReady = message.includes('Unable to capture screenshot') || (err as Error).name === 'TimeoutError';
            if (attempt >= 5 || !notReady) throw err;
            await page.bringToFront();
            await page.waitForTimeout(500);
          }
        }
      },
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

// ---- driving the workbench ----
// Keyboard first: the workbench's own shortcuts are what a person uses, and they do not depend on
// where things happen to be drawn. Every wait is on a state of the page, never a fixed sleep.

const QUICK_INPUT = '.quick-input-widget input';

/** Closes whatever transient widget (suggestions, hover, quick input, find) has the focus. */
export async function dismiss(page: Page): Promise<void> {
  for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
}

/**
 * Runs a command from the palette. A key pressed while the previous command is still closing its
 * widget or disposing the focused part (a terminal being killed) can be lost, and a palette that
 * opened can close again as that part gives up the focus (seen in CI: the palette shown, then hidden
 * before it was typed into). A person would open it again; so does this, a bounded number of times.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator(QUICK_INPUT);
  const row = page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= 4;
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: last ? 30_000 : 5_000 });
      await input.fill(`>${title}`, { timeout: last ? 30_000 : 5_000 });
      // The palette filters as it is told; wait for the row itself, not just any row.
      await row.waitFor({ timeout: last ? 30_000 : 10_000 });
      break;
    } catch (e) {
      if (last) throw e;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}

export async function openFile(page: Page, relative: string): Promise<void> {
  const base = path.basename(relative);
  await page.keyboard.press('Control+P');
  const input = page.locator(QUICK_INPUT);
  await input.waitFor();
  await input.fill(relative);
  // Quick Open first lists recently opened files: wait until the searched one is the focused row.
  await page.locator(`.quick-input-widget .monaco-list-row.focused[aria-label*="${base}"]`).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[aria-label*="${base}"]`).waitFor();
  await activeEditor(page).locator('.view-lines').waitFor();
}

export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/** The lines of the active editor as drawn (the demo files are short enough to be all on screen). */
export async function editorLines(page: Page): Promise<string[]> {
  return activeEditor(page)
    .locator('.view-lines .view-line')
    .evaluateAll((lines) =>
      lines
        .map((l) => [parseFloat((l as unknown as { style: { top: string } }).style.top), (l.textContent ?? '').replace(/\u00a0/g, ' ')] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, text]) => text),
    );
}

/** Go to Line/Column (Ctrl+G); both 1-based. */
export async function gotoPosition(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator(QUICK_INPUT);
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/** Puts the cursor `offset` characters after the start of the first occurrence of `text` in the active editor. */
export async function gotoText(page: Page, text: string, offset = 0): Promise<{ line: number; column: number }> {
  const lines = await editorLines(page);
  const index = lines.findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`'${text}' is not on screen in the active editor:\n${lines.join('\n')}`);
  const at = { line: index + 1, column: lines[index]!.indexOf(text) + 1 + offset };
  await gotoPosition(page, at.line, at.column);
  return at;
}

/** Moves to the end of the file and starts a new line. */
export async function newLineAtEnd(page: Page): Promise<void> {
  await activeEditor(page).locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  const lines = await editorLines(page);
  if ((lines[lines.length - 1] ?? '').trim() !== '') await page.keyboard.press('Enter');
}

// ---- suggestions, hovers, quick fixes ----

export function suggestRows(page: Page): Locator {
  return page.locator('.suggest-widget.visible .monaco-list-row');
}

/** The suggestion list once it has settled (two equal reads in a row), as aria labels. */
export async function suggestions(page: Page): Promise<string[]> {
  // Seen once on a CI machine: the widget marked visible, its rows rendered but never drawn, for 20 s
  // (in a JSON file, which the editor's own JSON service also completes). A person would ask again,
  // and so does this, at the same cursor, a bounded number of times.
  for (let attempt = 1; ; attempt++) {
    try {
      await suggestRows(page).first().waitFor({ timeout: attempt < 3 ? 10_000 : 20_000 });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Space');
    }
  }
  let last: string[] = [];
  return until(
    async () => {
      const prev = last;
      last = await suggestRows(page).evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
      return { prev, now: last };
    },
    (v) => v.now.length > 0 && JSON.stringify(v.prev) === JSON.stringify(v.now),
    10_000,
    'the suggestion list to settle',
  ).then((v) => v.now);
}

/** Accepts the suggestion whose label starts with `label`: down the settled list to it, then Enter. */
export async function acceptSuggestion(page: Page, label: string): Promise<void> {
  const labels = await suggestions(page);
  const index = labels.findIndex((l) => l.startsWith(`${label},`));
  if (index < 0) throw new Error(`'${label}' is not offered: ${JSON.stringify(labels)}`);
  const focused = page.locator('.suggest-widget.visible .monaco-list-row.focused');
  // Exactly `index` presses from the first row, then make sure the list agrees before accepting.
  await until(() => focused.getAttribute('aria-label'), (l) => l === labels[0], 10_000, 'the first suggestion to be focused');
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  await until(async () => (await focused.getAttribute('aria-label')) ?? '', (l) => l.startsWith(`${label},`), 10_000, `suggestion '${label}' to be focused`);
  await page.keyboard.press('Enter');
  await page.locator('.suggest-widget.visible').waitFor({ state: 'hidden' });
}

/** Waits until the active editor shows `line` (the view redraws on the next frame). */
export async function editorShows(page: Page, line: string, timeoutMs = 10_000): Promise<string[]> {
  return until(() => editorLines(page), (lines) => lines.includes(line), timeoutMs, `the editor to show ${JSON.stringify(line)}`);
}

/** Shows the hover at the cursor (Ctrl+K Ctrl+I) and returns its text. */
export async function hoverAtCursor(page: Page): Promise<string> {
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover:not(.hidden) .markdown-hover').first();
  await hover.waitFor({ timeout: 15_000 });
  return hover.innerText();
}

/**
 * Opens the quick fixes at the cursor (Ctrl+.) and returns their titles. On a loaded machine the
 * code-action request can come back after the editor gave up on it ("No code actions available"
 * flashes and goes): then it asks again, three times in all, before failing. With `noneAllowed`
 * (where a test expects there may be none), that message three times over is the answer: [].
 */
export async function quickFixes(page: Page, options: { noneAllowed?: boolean } = {}): Promise<string[]> {
  const rows = page.locator('.action-widget .monaco-list-row.action');
  const none = page.locator('.monaco-editor-overlaymessage', { hasText: 'No code actions available' });
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    try {
      await (options.noneAllowed ? rows.first().or(none) : rows.first()).waitFor({ timeout: 15_000 });
      if ((await rows.count()) > 0) break;
      if (attempt === 3) return [];
      // Close the message before asking again, so that the next wait sees the next answer.
      await page.keyboard.press('Escape');
      await none.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
  return rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label') ?? ''));
}

/** Applies the open quick fix titled `title` with the keyboard (a pointer block covers the list). */
export async function applyQuickFix(page: Page, title: string): Promise<void> {
  const focused = page.locator('.action-widget .monaco-list-row.action.focused');
  await until(
    async () => {
      const current = (await focused.getAttribute('aria-label')) ?? '';
      if (current !== title) await page.keyboard.press('ArrowDown');
      return current;
    },
    (current) => current === title,
    10_000,
    `quick fix '${title}' to be focused`,
  );
  await page.keyboard.press('Enter');
  await page.locator('.action-widget').waitFor({ state: 'hidden' });
}

// ---- views, menus, notifications ----

export function activityBarItem(page: Page, title: string): Locator {
  return page.locator(`.activitybar .action-item a[aria-label^="${title}"]`);
}

/**
 * The extension's status bar item once connected to the vault (its key icon), showing `text`. While
 * connecting it already shows the agent (beside a spinning icon), but the commands that need a
 * connection (Choose Agent, Create Secret, …) are not offered in the palette until it is connected.
 */
export function connectedStatus(page: Page, text: string): Locator {
  return page.locator('.statusbar-item', { hasText: text, has: page.locator('.codicon-key') }).first();
}

/** A view in the side bar by its title ("Secrets", "All Secrets"). */
export function viewPane(page: Page, title: string): Locator {
  return page.locator('.pane', { has: page.locator(`.pane-header[aria-label^="${title} "]`) });
}

export function treeRow(pane: Locator, label: string): Locator {
  return pane.locator(`.monaco-list-row[aria-label^="${label},"]`);
}

/** Tree rows' labels (each starts with the secret's name, then its kind and grant state). */
export async function treeLabels(pane: Locator): Promise<string[]> {
  return pane.locator('.pane-body .monaco-list-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
}

/** Just the names shown in a tree view. */
export async function treeNames(pane: Locator): Promise<string[]> {
  return (await treeLabels(pane)).map((l) => l.split(',')[0]!);
}

/** Right-clicks `row` and picks `item` from its context menu. */
export async function contextMenu(page: Page, row: Locator, item: string): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  // A right-click that lands while the view draws its rows again (a refresh after a change made
  // just before) opens nothing: clicked again, the third time waited for as long as any wait.
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right' });
    try {
      await menu.waitFor({ timeout: attempt < 3 ? 8_000 : 30_000 });
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
  // By keyboard: a click can land while the menu is still being laid out and be lost.
  const focused = menu.locator('.action-item.focused .action-label');
  await until(
    async () => {
      const current = (await focused.count()) ? await focused.first().innerText() : '';
      if (current !== item) await page.keyboard.press('ArrowDown');
      return current;
    },
    (current) => current === item,
    10_000,
    `menu item '${item}' to be focused`,
  );
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'detached' });
}

export function notification(page: Page, text: string): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text });
}

export function webviewFrame(page: Page, title: string): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator(`iframe#active-frame[title="${title}"]`);
}

// ---- problems ----

/** Opens the Problems panel (Ctrl+Shift+M) if it is not showing. */
export async function showProblems(page: Page): Promise<void> {
  if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor();
}

export interface Problem {
  file: string;
  message: string;
  code: string;
  line: number;
}

/** The Problems panel's rows, read from what it draws: file headers, then their markers. */
export async function problems(page: Page): Promise<Problem[]> {
  await showProblems(page);
  const rows = await page.locator('.markers-panel .monaco-list-row').evaluateAll((rs) =>
    rs.map((r) => ({ label: r.getAttribute('aria-label') ?? '', text: r.textContent ?? '' })),
  );
  const out: Problem[] = [];
  let file = '';
  for (const row of rows) {
    const header = /problems? in file (\S+) of folder/.exec(row.label);
    if (header) {
      file = header[1]!;
      continue;
    }
    // A problem with related information says how many places it refers to before its source.
    const marker = /^(?:Error|Warning|Info|Hint): (.*) at line (\d+) and character \d+\.(?: This problem has references to \d+ locations?\.)? generated by (\S+)/.exec(row.label);
    if (!marker) continue;
    // The row draws "source(code)" with the code in its own element, then "[Ln …]".
    const code = new RegExp(`${marker[3]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\(?([A-Za-z0-9_-]+)\\)?\\s*\\[Ln`).exec(row.text)?.[1] ?? '';
    const problem = { file, message: marker[1]!, line: Number(marker[2]), code };
    // While the list re-renders it can hold a row twice for a moment.
    if (!out.some((p) => JSON.stringify(p) === JSON.stringify(problem))) out.push(problem);
  }
  return out;
}

/** The related-information rows under the problem whose message starts with `message`, as the panel labels them. */
export async function relatedRows(page: Page, message: string): Promise<string[]> {
  const labels = await page.locator('.markers-panel .monaco-list-row').evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label') ?? ''));
  const at = labels.findIndex((l) => / at line \d+ and character \d+\./.test(l) && l.replace(/^(?:Error|Warning|Info|Hint): /, '').startsWith(message));
  if (at < 0) return [];
  const out: string[] = [];
  for (const l of labels.slice(at + 1)) {
    if (/^(?:Error|Warning|Info|Hint): /.test(l) || /problems? in file/.test(l)) break;
    out.push(l);
  }
  return out;
}

/** Waits until the Problems panel shows what `accept` wants; fails with what it showed last. */
export async function problemsUntil(page: Page, accept: (p: Problem[]) => boolean, what: string, timeoutMs = 30_000): Promise<Problem[]> {
  return until(() => problems(page), accept, timeoutMs, what);
}

// ---- clipboard and the CLI ----

export async function readClipboard(page: Page): Promise<string> {
  // As a string: the root tsconfig has no DOM types, and this runs in the page.
  return page.evaluate<string>('navigator.clipboard.readText()');
}

export async function writeClipboard(page: Page, text: string): Promise<void> {
  await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
}

const CLI = path.join(root, 'dist', 'vault', 'cli.js');

/** Runs `secrets-vault <args>` against the vault, asynchronously: as its admin unless given another token. */
export function cli(vault: DemoVault, args: string[], options: { token?: string; stdin?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: root,
      env: { ...process.env, SECRETS_VAULT_URL: vault.url, SECRETS_VAULT_TOKEN: options.token ?? vault.adminKey },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
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

// ---- CodeLenses and terminals (running as an agent) ----

function codeLensRows(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor .codelens-decoration');
}

/** The CodeLens rows drawn in the active editor, top to bottom, as their text. */
export async function codeLenses(page: Page): Promise<string[]> {
  return codeLensRows(page).evaluateAll((els) =>
    els
      .map((e) => [parseFloat((e as unknown as { style: { top: string } }).style.top) || 0, (e.textContent ?? '').replace(/\u00a0/g, ' ')] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, t]) => t),
  );
}

/** The link whose text contains `title` in the `index`-th CodeLens row (top to bottom). */
export async function codeLensLink(page: Page, index: number, title: string): Promise<Locator> {
  const rows = codeLensRows(page);
  const tops = await rows.evaluateAll((els) => els.map((e) => parseFloat((e as unknown as { style: { top: string } }).style.top) || 0));
  const order = tops.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0]);
  const row = order[index];
  if (!row) throw new Error(`there is no CodeLens row ${index} (${tops.length} drawn)`);
  return rows.nth(row[1]).locator('a', { hasText: title });
}

/**
 * The text of the terminal on screen. Needs `terminal.integrated.gpuAcceleration: off` (the DOM
 * renderer draws rows as text; the others draw on a canvas).
 */
export async function terminalScreen(page: Page): Promise<string> {
  const rows = page.locator('.terminal-wrapper.active .xterm-rows');
  if ((await rows.count()) === 0) return '';
  return (await rows.first().innerText()).replace(/\u00a0/g, ' ');
}

export async function terminalShows(page: Page, re: RegExp, what: string, timeoutMs = 30_000): Promise<string> {
  return until(() => terminalScreen(page), (t) => re.test(t), timeoutMs, what);
}

/** Answers an input box titled `title`: returns the text it offered, after typing `typed` (unless undefined) and Enter. */
export async function answerInputBox(page: Page, title: string, typed: string | undefined): Promise<string> {
  const box = page.locator('.quick-input-widget');
  await box.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 20_000 });
  const input = box.locator('input');
  const offered = await input.inputValue();
  if (typed !== undefined) await input.fill(typed);
  await page.keyboard.press('Enter');
  await box.waitFor({ state: 'hidden' });
  return offered;
}

/** A run-time read with an agent or run token, straight to the vault. */
export async function runtimeRead(vault: DemoVault, token: string, name: string): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${vault.url}/v1/runtime/secrets/${name}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, body: await r.json().catch(() => null) };
}

/** Every file below `dir`, but those under a path in `skip`. */
export function filesUnder(dir: string, skip: string[] = []): string[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (skip.includes(full)) continue;
      const st = statSync(full, { throwIfNoEntry: false });
      if (st?.isDirectory()) walk(full);
      else if (st?.isFile()) files.push(full);
    }
  };
  walk(dir);
  return files;
}

/** Every file below `dir` (but `skip`) that holds any of `needles`, as UTF-8 or UTF-16: the leak scan. */
export function filesHolding(dir: string, needles: string[], skip: string[] = []): string[] {
  const bytes = needles.flatMap((v) => [Buffer.from(v), Buffer.from(v, 'utf16le')]);
  return filesUnder(dir, skip).filter((f) => {
    let data: Buffer;
    try {
      data = readFileSync(f);
    } catch (e) {
      // Chromium evicts cache entries while it runs: a file gone since the walk holds nothing now.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
    return bytes.some((n) => data.includes(n));
  });
}

/** The first 8 hex digits of a value's SHA-256: what the demo functions return instead of a key. */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 8);
}
