// Very large open documents (a generated module of megabytes): their whole analysis takes seconds,
// and the server answers one message at a time, so an analysis run on every edit would hold up the
// completion the user is waiting for. While such a document is being edited its analysis waits
// until the edits stop for a moment (HeldAnalyses), and completion answers from the text around the
// cursor (completionWindow), which is enough to know it is inside `get_secret('`; the diagnostics,
// lenses and counts catch up once the document is quiet.

import type { CancellationToken, CompletionList, InsertReplaceEdit, Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lengthOf } from './openDocument';

/** From this size on, a document's analysis waits for a quiet moment and completion reads a window. */
export const LARGE_DOCUMENT_CHARS = 1_000_000;
/**
 * How long a large document must go without an edit (or a completion request) before it is
 * analysed: its analysis takes seconds and nothing is answered meanwhile, so it waits until the
 * user has stopped typing for a second, not between two keystrokes of one name.
 */
export const QUIET_MS = 1000;
/** How far back from the cursor a completion window may start (it starts at a top-level line). */
const WINDOW_BACK_CHARS = 32_768;
/** How far past the cursor's line it runs: a literal closed later on the line, a call continued below. */
const WINDOW_AHEAD_CHARS = 2_048;
/** How far past the cursor the window's text is read (to the end of its line, and the little after it). */
const WINDOW_SCAN_AHEAD_CHARS = 64 * 1024;

export const isLarge = (doc: TextDocument): boolean => lengthOf(doc) >= LARGE_DOCUMENT_CHARS;

/**
 * The large documents edited less than QUIET_MS ago. `settled` waits (a request's handler awaits it)
 * until the document has been quiet; `onSettled` is told when a document becomes quiet, so that what
 * was held back (a workspace report, counts, pushed diagnostics) goes out then.
 */
export class HeldAnalyses {
  private readonly lastEdit = new Map<string, number>();
  private readonly waiters = new Map<string, Array<() => void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly onSettled: (uri: string) => void,
    private readonly quietMs = QUIET_MS,
  ) {}

  /** Opened, edited or completed in: a large document is held until quiet; a small one (or one made small) is not. */
  edited(doc: TextDocument): void {
    if (!isLarge(doc)) return this.release(doc.uri, false);
    this.lastEdit.set(doc.uri, Date.now());
    if (!this.timers.has(doc.uri)) this.arm(doc.uri, this.quietMs);
  }

  closed(uri: string): void {
    this.release(uri, false);
  }

  /** Whether the document's analysis is held back now. */
  held(uri: string): boolean {
    return this.lastEdit.has(uri);
  }

  get any(): boolean {
    return this.lastEdit.size > 0;
  }

  /** Resolves true once the document is quiet (at once when it is not held), false when the request is cancelled first. */
  settled(uri: string, token: CancellationToken): Promise<boolean> {
    if (!this.held(uri)) return Promise.resolve(!token.isCancellationRequested);
    return new Promise((resolve) => {
      const list = this.waiters.get(uri) ?? [];
      const done = () => {
        cancelled.dispose();
        resolve(!token.isCancellationRequested);
      };
      const cancelled = token.onCancellationRequested(() => {
        const rest = (this.waiters.get(uri) ?? []).filter((w) => w !== done);
        if (rest.length) this.waiters.set(uri, rest);
        else this.waiters.delete(uri);
        done();
      });
      list.push(done);
      this.waiters.set(uri, list);
    });
  }

  dispose(): void {
    for (const uri of [...this.lastEdit.keys()]) this.release(uri, false);
  }

  /** One timer per held document, set again for the rest of the quiet time when an edit came meanwhile. */
  private arm(uri: string, delay: number): void {
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        const last = this.lastEdit.get(uri);
        if (last === undefined) return;
        const left = last + this.quietMs - Date.now();
        if (left > 0) this.arm(uri, left);
        else this.release(uri, true);
      }, delay),
    );
  }

  private release(uri: string, notify: boolean): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
    const wasHeld = this.lastEdit.delete(uri);
    const waiting = this.waiters.get(uri) ?? [];
    this.waiters.delete(uri);
    for (const w of waiting) w();
    if (notify && wasHeld) this.onSettled(uri);
  }
}

/**
 * The text around `offset` as a document of its own, for completion in a large document whose
 * analysis is held: from the nearest earlier line that starts a top-level statement (a line with
 * code in its first column: a `def`, a decorator, an assignment), so that a function's variables
 * (`creds = get_secret('x')` before `creds['`) are in it, to a little past the cursor's line.
 * It starts at a line start, so its positions are the document's less `lineShift` lines.
 */
export function completionWindow(doc: TextDocument, offset: number): { doc: TextDocument; offset: number; lineShift: number } {
  // Only the text the window may span is read, from the start of the line WINDOW_BACK_CHARS back
  // (an open document is not joined whole for it): the line starts found in it are the document's.
  const floor = Math.max(0, offset - WINDOW_BACK_CHARS);
  const base = doc.offsetAt({ line: doc.positionAt(floor).line, character: 0 });
  const text = doc.getText({ start: doc.positionAt(base), end: doc.positionAt(Math.min(lengthOf(doc), offset + WINDOW_SCAN_AHEAD_CHARS)) });
  const at = offset - base;
  const cursorLineStart = text.lastIndexOf('\n', at - 1) + 1;
  let start = cursorLineStart;
  // Back over lines until one begins with code in its first column (not a comment or a closing bracket).
  for (let lineStart = cursorLineStart; lineStart > floor - base; ) {
    const previous = text.lastIndexOf('\n', lineStart - 2) + 1;
    if (previous < floor - base) break;
    lineStart = previous;
    start = lineStart;
    if (/[A-Za-z_@]/.test(text.charAt(lineStart))) break;
  }
  let end = text.indexOf('\n', at);
  end = end < 0 ? text.length : Math.min(text.length, end + WINDOW_AHEAD_CHARS);
  const lineShift = doc.positionAt(base + start).line;
  return { doc: TextDocument.create(doc.uri, doc.languageId, doc.version, text.slice(start, end)), offset: at - start, lineShift };
}

/** A completion list from a window, its edit ranges moved to the document's lines (shared items are copied, never changed). */
export function shiftCompletionList(list: CompletionList | null, lineShift: number): CompletionList | null {
  if (!list || lineShift === 0) return list;
  const range = (r: Range): Range => ({ start: { line: r.start.line + lineShift, character: r.start.character }, end: { line: r.end.line + lineShift, character: r.end.character } });
  const edit = (e: TextEdit | InsertReplaceEdit): TextEdit | InsertReplaceEdit =>
    'range' in e ? { ...e, range: range(e.range) } : { ...e, insert: range(e.insert), replace: range(e.replace) };
  const out: CompletionList = { ...list, items: list.items.map((item) => (item.textEdit || item.additionalTextEdits ? { ...item, ...(item.textEdit ? { textEdit: edit(item.textEdit) } : {}), ...(item.additionalTextEdits ? { additionalTextEdits: item.additionalTextEdits.map((e) => ({ ...e, range: range(e.range) })) } : {}) } : item)) };
  const editRange = list.itemDefaults?.editRange;
  if (editRange) out.itemDefaults = { ...list.itemDefaults, editRange: 'insert' in editRange ? { insert: range(editRange.insert), replace: range(editRange.replace) } : range(editRange) };
  return out;
}
