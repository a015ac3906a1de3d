// Where the bench's typing lands, read back from the page: a trigger counts only when the text typed
// before its key, and the key itself, stand at the end of the file the bench means, on its last line,
// with the rest of the file as written. A keystroke that went elsewhere (another editor, the top of
// a file whose editor took the focus late, a view) would otherwise show as a completion that never
// came: a timeout that skews the figures. Here it is an error that fails the run.
//
// What is read, from the active editor group only: its active tab, whether its editor has the
// keyboard (Monaco's `focused`), the cursor from the status bar (`Ln 15, Col 31`, the active editor's
// own position) and the lines as drawn, each with its number from the margin. Page source, as the
// probe (the root tsconfig has no DOM types).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { until } from '../../test/e2e/harness';

/** A file the bench types into, with its text as written (the editor never saves it). */
export interface Target {
  /** Relative to the workspace, '/' separators (as Quick Open takes it). */
  relative: string;
  lines: string[];
}

export function target(dir: string, relative: string): Target {
  return { relative, lines: readFileSync(path.join(dir, relative), 'utf8').split('\n') };
}

/** Typing that did not land where the bench meant: the run's figures would be wrong, so it stops. */
export class LandingError extends Error {}

/** What the page shows of the active editor (READ_STATE). */
export interface EditorState {
  tab: string | null;
  focused: boolean;
  cursor: { line: number; column: number } | null;
  /** [line number, text] of each line drawn. */
  drawn: Array<[number, string]>;
}

const READ_STATE = `(() => {
  const group = document.querySelector('.editor-group-container.active');
  const tab = group && group.querySelector('.tab.active');
  const editor = group && group.querySelector('.monaco-editor');
  const status = document.querySelector('[id="status.editor.selection"]');
  const m = status ? /Ln (\\d+), Col (\\d+)/.exec(status.textContent || '') : null;
  const drawn = [];
  if (editor) {
    const numbers = new Map();
    for (const n of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
      numbers.set(parseFloat(n.parentElement.style.top), Number((n.textContent || '').trim()));
    }
    for (const l of editor.querySelectorAll('.view-lines .view-line')) {
      const line = numbers.get(parseFloat(l.style.top));
      if (line !== undefined) drawn.push([line, (l.textContent || '').replace(/\\u00a0/g, ' ')]);
    }
  }
  return {
    tab: tab ? tab.getAttribute('aria-label') : null,
    focused: !!(editor && editor.classList.contains('focused')),
    cursor: m ? { line: Number(m[1]), column: Number(m[2]) } : null,
    drawn,
  };
})()`;

const readState = (page: Page) => page.evaluate<EditorState>(READ_STATE);

const isTab = (s: EditorState, t: Target) => s.tab !== null && (s.tab === path.basename(t.relative) || s.tab.startsWith(`${path.basename(t.relative)},`));

/**
 * What is wrong with the state for "`typed` at the end of `t`'s last line, the cursor after it, the
 * rest as written": a list of faults, empty when it holds.
 */
export function faults(s: EditorState, t: Target, typed: string): string[] {
  const out: string[] = [];
  if (!isTab(s, t)) out.push(`the active tab is ${JSON.stringify(s.tab)}, not ${t.relative}`);
  if (!s.focused) out.push('the active editor does not have the keyboard');
  const last = t.lines.length;
  if (!s.cursor) out.push('no cursor position in the status bar');
  else if (s.cursor.line !== last || s.cursor.column !== typed.length + 1) out.push(`the cursor is at line ${s.cursor.line}, column ${s.cursor.column}, not line ${last}, column ${typed.length + 1}`);
  const lastDrawn = s.drawn.find(([n]) => n === last);
  if (!lastDrawn) out.push(`line ${last} is not drawn`);
  else if (lastDrawn[1].slice(0, typed.length) !== typed) out.push(`line ${last} reads ${JSON.stringify(lastDrawn[1])}, not ${JSON.stringify(typed)} before the cursor`);
  for (const [n, text] of s.drawn) {
    if (n !== last && text !== t.lines[n - 1]) out.push(`line ${n} reads ${JSON.stringify(text)}, not ${JSON.stringify(t.lines[n - 1] ?? '(no such line)')}`);
  }
  return out;
}

/**
 * Waits (the view redraws on the next frame; at most `timeoutMs`) until the active editor is `t`'s,
 * with `typed` at the end of its last line and the cursor after it, the rest as written; throws a
 * LandingError saying what it found instead.
 */
export async function expectTyped(page: Page, t: Target, typed: string, when: string, timeoutMs = 3000): Promise<void> {
  try {
    await until(() => readState(page), (s) => faults(s, t, typed).length === 0, timeoutMs, 'the typing to land');
  } catch {
    const s = await readState(page);
    throw new LandingError(`${when}: the typing did not land at the end of ${t.relative}: ${faults(s, t, typed).join('; ')}`);
  }
}

/**
 * Focuses editor group `group` (Ctrl+1, Ctrl+2) and waits until its active tab is `t`'s and its
 * editor has the keyboard: an editor opened a moment before may still take the focus when it shows.
 */
export async function focusEditor(page: Page, group: 1 | 2, t: Target): Promise<void> {
  await page.keyboard.press(`Control+${group}`);
  await waitFocused(page, t, `editor group ${group}`);
}

/** Waits until the active editor is `t`'s with the keyboard in it. */
export async function waitFocused(page: Page, t: Target, what: string, timeoutMs = 10_000): Promise<void> {
  try {
    await until(() => readState(page), (s) => isTab(s, t) && s.focused, timeoutMs, `${t.relative} focused`);
  } catch {
    const s = await readState(page);
    throw new LandingError(`${what}: ${t.relative} did not get the keyboard within ${timeoutMs / 1000} s (active tab ${JSON.stringify(s.tab)}, focused ${s.focused})`);
  }
}

/**
 * Empties the last line of `t` (where every trigger types; the generated files end with an empty
 * line) and leaves the cursor on it, then checks that it is so. Delete, not Backspace: on a line
 * already empty the selection is empty, and Delete at the end of the file removes nothing.
 */
export async function clearLastLine(page: Page, t: Target): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Delete');
  await expectTyped(page, t, '', 'clearing the last line');
}
