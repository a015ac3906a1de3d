// The text of a document the editor has open, as the server's TextDocuments manager keeps it while
// the user types. vscode-languageserver-textdocument's document rebuilds its whole text on every
// incremental change and then reads a character of it, which makes V8 copy the text: about 22 ms a
// keystroke in a 6 MB module on the machines we measure (bench/editor's very large file: 200 edits,
// 5.3 s of the server's only thread, and completion waited behind them). Here an edit splices a
// short list of pieces of text, and the text is joined again only when something reads it whole
// (an analysis), so typing costs what the edit and its line starts cost, whatever the size.
//
// It behaves as the library's document does (tests compare the two on random edits): UTF-16
// offsets; lines end at `\r\n`, `\r` or `\n`; a position past a line's end means that end, and an
// offset past the text its end.

import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { lowerBound } from './service/scan/tokens';

const LF = 10;
const CR = 13;

/** More pieces than this and the text is joined (an edit then walks at most this many). */
const MAX_PIECES = 128;
/** Pieces next to each other shorter than this together are one (typing adds to the piece it types in). */
const SMALL_PIECE = 1024;

/** Adds `piece` after the others: joined to the last when both are small. */
function push(out: string[], piece: string): void {
  if (piece.length === 0) return;
  const last = out.length - 1;
  if (last >= 0 && out[last]!.length + piece.length <= SMALL_PIECE) out[last] += piece;
  else out.push(piece);
}

/** Where each line starts in `text`, offsets `base` on (a line of its own after each line end). */
function lineStartsOf(text: string, base: number, first: boolean): number[] {
  const out: number[] = first ? [base] : [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CR) {
      if (i + 1 < text.length && text.charCodeAt(i + 1) === LF) i++;
      out.push(base + i + 1);
    } else if (c === LF) out.push(base + i + 1);
  }
  return out;
}

export class OpenDocument implements TextDocument {
  /** The text, in order: joined into one when read whole. */
  private pieces: string[];
  private size: number;
  /** Where each line starts; undefined until asked for (computed from the joined text). */
  private starts: number[] | undefined;
  /** How many times an edit's pieces were joined into one text (what typing must not cause; tests read it). */
  joins = 0;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private currentVersion: number,
    text: string,
  ) {
    this.pieces = [text];
    this.size = text.length;
  }

  get version(): number {
    return this.currentVersion;
  }

  /** The text's length, without joining it. */
  get length(): number {
    return this.size;
  }

  get lineCount(): number {
    return this.lineStarts().length;
  }

  getText(range?: Range): string {
    if (range === undefined) return this.joined();
    // As String.prototype.substring, which the library's document uses: the ends in either order.
    const a = this.offsetAt(range.start);
    const b = this.offsetAt(range.end);
    return a <= b ? this.slice(a, b) : this.slice(b, a);
  }

  positionAt(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.size));
    const line = this.lineOf(at);
    const start = this.lineStarts()[line]!;
    return { line, character: this.beforeLineEnd(at, start) - start };
  }

  /** The line that offset `at` (0 to the length) is on: the last starting at or before it. */
  private lineOf(at: number): number {
    const starts = this.lineStarts();
    return lowerBound(starts, starts.length, at + 1) - 1;
  }

  offsetAt(position: Position): number {
    const starts = this.lineStarts();
    if (position.line >= starts.length) return this.size;
    if (position.line < 0) return 0;
    const start = starts[position.line]!;
    if (position.character <= 0) return start;
    const next = position.line + 1 < starts.length ? starts[position.line + 1]! : this.size;
    return this.beforeLineEnd(Math.min(start + position.character, next), start);
  }

  getLineRange(line: number): Range {
    const starts = this.lineStarts();
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (line >= starts.length) {
      const last = starts.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.size - starts[last]! } };
    }
    const start = starts[line]!;
    const end = this.beforeLineEnd(line + 1 < starts.length ? starts[line + 1]! : this.size, start);
    return { start: { line, character: 0 }, end: { line, character: end - start } };
  }

  getEOLCharacters(line: number): string {
    const starts = this.lineStarts();
    if (line < 0 || line >= starts.length) return '';
    const next = line + 1 < starts.length ? starts[line + 1]! : this.size;
    return this.slice(this.beforeLineEnd(next, starts[line]!), next);
  }

  /** Applies the editor's changes, in order, and takes the new version. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (!('range' in change)) {
        this.pieces = [change.text];
        this.size = change.text.length;
        this.starts = undefined;
        continue;
      }
      const a = change.range.start;
      const b = change.range.end;
      const [start, end] = a.line < b.line || (a.line === b.line && a.character <= b.character) ? [a, b] : [b, a];
      const from = this.offsetAt(start);
      const to = this.offsetAt(end);
      // The lines of the offsets, not of the positions (which may lie past the last line).
      const startLine = this.lineOf(from);
      const endLine = this.lineOf(to);
      this.splice(from, to, change.text);
      this.moveLineStarts(startLine, endLine, from, to, change.text);
    }
    this.currentVersion = version;
  }

  private joined(): string {
    if (this.pieces.length !== 1) {
      this.pieces = [this.pieces.join('')];
      this.joins++;
    }
    return this.pieces[0]!;
  }

  private lineStarts(): number[] {
    return (this.starts ??= lineStartsOf(this.joined(), 0, true));
  }

  /** Text [from, to), from the pieces it spans. */
  private slice(from: number, to: number): string {
    if (to <= from) return '';
    if (this.pieces.length === 1) return this.pieces[0]!.slice(from, to);
    let out = '';
    let at = 0;
    for (const p of this.pieces) {
      const end = at + p.length;
      if (end > from && at < to) out += p.slice(Math.max(0, from - at), Math.min(p.length, to - at));
      if (end >= to) break;
      at = end;
    }
    return out;
  }

  private charAt(offset: number): number {
    let at = 0;
    for (const p of this.pieces) {
      if (offset < at + p.length) return p.charCodeAt(offset - at);
      at += p.length;
    }
    return NaN;
  }

  /** `offset` moved back to the end of its line's text, if it is inside or after the line's end (not before `lineStart`). */
  private beforeLineEnd(offset: number, lineStart: number): number {
    for (;;) {
      if (offset <= lineStart) return offset;
      const c = this.charAt(offset - 1);
      if (c !== LF && c !== CR) return offset;
      offset--;
    }
  }

  /** Text [from, to) becomes `text`: the pieces around are cut there, none of them copied whole. */
  private splice(from: number, to: number, text: string): void {
    const out: string[] = [];
    let at = 0;
    let placed = false;
    for (const p of this.pieces) {
      const end = at + p.length;
      if (end <= from || at >= to) {
        // Wholly before or after the change (an empty piece at `from` goes with what follows).
        if (!placed && at >= to && at >= from) {
          push(out, text);
          placed = true;
        }
        push(out, p);
      } else {
        if (from > at) push(out, p.slice(0, from - at));
        if (!placed) {
          push(out, text);
          placed = true;
        }
        if (to < end) push(out, p.slice(to - at));
      }
      at = end;
    }
    if (!placed) push(out, text);
    this.pieces = out.length > 0 ? out : [''];
    this.size += text.length - (to - from);
    if (this.pieces.length > MAX_PIECES) this.joined();
  }

  /** The line starts (known: offsetAt made them) after text [from, to) of lines startLine to endLine became `text`. */
  private moveLineStarts(startLine: number, endLine: number, from: number, to: number, text: string): void {
    const starts = this.starts!;
    // A `\r\n` pair made or met at either end of the edit: its lines are counted again when asked.
    const end = from + text.length;
    if ((from > 0 && this.charAt(from - 1) === CR && this.charAt(from) === LF) || (end > 0 && this.charAt(end - 1) === CR && this.charAt(end) === LF)) {
      this.starts = undefined;
      return;
    }
    const added = lineStartsOf(text, from, false);
    const removed = endLine - startLine;
    const diff = text.length - (to - from);
    if (added.length === removed) {
      for (let i = 0; i < added.length; i++) starts[startLine + 1 + i] = added[i]!;
    } else if (added.length < 10_000) {
      starts.splice(startLine + 1, removed, ...added);
    } else {
      this.starts = starts.slice(0, startLine + 1).concat(added, starts.slice(endLine + 1));
    }
    const moved = this.starts!;
    if (diff !== 0) for (let i = startLine + 1 + added.length; i < moved.length; i++) moved[i] = moved[i]! + diff;
  }
}

/** The TextDocuments manager's configuration for OpenDocument. */
export const openDocuments = {
  create: (uri: string, languageId: string, version: number, text: string): OpenDocument => new OpenDocument(uri, languageId, version, text),
  update: (doc: OpenDocument, changes: TextDocumentContentChangeEvent[], version: number): OpenDocument => {
    doc.update(changes, version);
    return doc;
  },
};

/** A document's length, without joining an open document's text. */
export function lengthOf(doc: TextDocument): number {
  return doc instanceof OpenDocument ? doc.length : doc.getText().length;
}
