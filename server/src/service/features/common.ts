// What the diagnostics and the features built on them share: the data each diagnostic carries, the
// process-environment names no diagnostic reports, and document ranges of scanner spans.

import type { Position, Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Span } from '../scan/types';

/** Carried on each diagnostic so that code actions need not re-derive what was checked. */
export interface DiagnosticData {
  name: string | null;
  key?: string;
  /** hardcoded-secret: the credential rule that matched. */
  rule?: string;
  /** A computed read's candidate (`name`): where its literal is, so that a fix edits it rather than the expression. */
  candidate?: CandidateLocation;
}

/** Where a computed read's candidate name is written: its document, the range between the quotes, and the opening (`'`, `r"`). */
export interface CandidateLocation {
  uri: string;
  range: Range;
  opening: string;
  /**
   * A literal in another document (an imported constant): how many of the name's characters come
   * before and after what it holds (0, 0: the whole name; a joined name's part, `PREFIX + "_api"`:
   * its place), or null when it is not one part of the name. A correction edits that part only.
   */
  part?: [number, number] | null;
}

/**
 * Variables every process environment has. In an environment-style account `os.environ['PATH']` is
 * still a reference syntactically, but calling it an unknown secret would be noise.
 */
export const PROCESS_ENVIRONMENT: ReadonlySet<string> = new Set([
  'PATH', 'HOME', 'USER', 'USERNAME', 'LOGNAME', 'SHELL', 'PWD', 'LANG', 'LC_ALL', 'TERM', 'TZ',
  'TMPDIR', 'TEMP', 'TMP', 'HOSTNAME', 'CI', 'DEBUG', 'PORT', 'HOST', 'NODE_ENV', 'NODE_OPTIONS',
  'PYTHONPATH', 'PYTHONUNBUFFERED', 'VIRTUAL_ENV', 'LOG_LEVEL',
]);

export function rangeOf(doc: TextDocument, span: Span): Range {
  const start = doc.positionAt(span.start);
  return { start, end: endOf(doc, span, start) };
}

/**
 * doc.positionAt(span.end), given where the span starts: a span within one line (a name, a key,
 * most expressions) ends as many characters further on, which spares a second search over the
 * document's lines. A line ends at `\n`, `\r` or `\r\n`, as the document counts them.
 */
function endOf(doc: TextDocument, span: Span, start: Position): Position {
  const text = doc.getText();
  if (span.start < 0 || span.end < span.start || span.end > text.length) return doc.positionAt(span.end);
  for (let i = span.start; i < span.end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */ || c === 13 /* \r */) return doc.positionAt(span.end);
  }
  return { line: start.line, character: start.character + (span.end - span.start) };
}

/** Where spans become ranges: rangeOf, or a RangeCursor's. */
export type RangeFinder = (doc: TextDocument, span: Span) => Range;

/** Where a RangeCursor takes line starts from: the document's table, or found for a document made for one pass (see RangeCursor). */
export type LineStarts = 'document' | 'fresh';

/**
 * rangeOf for the spans of one document taken in about document order (the diagnostics' pass):
 * each position is looked for from the line of the one before, which is most often the same line
 * or a few lines on or back (a computed name's literals and tests, before its read), rather than
 * over all the lines again. Spans of other documents get plain rangeOf's answer.
 */
export class RangeCursor {
  private readonly text: string;
  /**
   * Where lines start, found only as far as asked, when the caller says the document has no line
   * table yet (`check` reads each file once) and the text has no `\r` (a `\n` alone ends a line
   * then): the document's own table is built by a loop over every character, where a native search
   * finds the line ends up to the last span only (a fifth of `check`'s diagnostics, bench/check).
   * Undefined: the document's table is used (the server's documents keep theirs across edits).
   */
  private readonly starts: number[] | undefined;
  /** `starts` holds every line's start. */
  private complete = false;
  /** The document's line count (with the document's table only). */
  private readonly lines: number;
  /** The line of the last position found, where it starts and where the next one does. */
  private line = 0;
  private lineStart = 0;
  private nextStart: number;

  /** `lines`: whose line starts to use: the document's (kept by the server across edits), or found here (`fresh`: a document made for this pass). */
  constructor(
    private readonly doc: TextDocument,
    lines: LineStarts = 'document',
  ) {
    this.text = doc.getText();
    if (lines === 'fresh' && this.text.indexOf('\r') < 0) {
      this.starts = [0];
      this.lines = 0;
      // The first position found moves to its line.
      this.nextStart = 0;
    } else {
      this.lines = doc.lineCount;
      this.nextStart = this.startOf(1);
    }
  }

  readonly rangeOf: RangeFinder = (doc, span) => {
    if (doc !== this.doc) return rangeOf(doc, span);
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  };

  /** doc.positionAt(offset). */
  private positionAt(offset: number): Position {
    if (offset < 0 || offset >= this.text.length) return this.doc.positionAt(offset);
    if (offset >= this.nextStart || offset < this.lineStart) this.moveTo(offset);
    // Between a `\r` and its `\n` the document steps back to the end of the line's text.
    const before = offset > this.lineStart ? this.text.charCodeAt(offset - 1) : 0;
    if (before === 10 /* \n */ || before === 13 /* \r */) return this.doc.positionAt(offset);
    return { line: this.line, character: offset - this.lineStart };
  }

  /**
   * To the line that holds `offset` (0 <= offset < the text's length), from the current one: 1, 2,
   * 4, … lines on (or back), then by halves.
   */
  private moveTo(offset: number): void {
    if (this.starts !== undefined) return this.moveInStarts(offset, this.starts);
    // startOf(lo) <= offset < startOf(hi) throughout.
    let lo: number;
    let hi: number;
    let step = 1;
    if (offset >= this.nextStart) {
      lo = this.line + 1;
      hi = lo + 1;
      while (hi < this.lines && this.startOf(hi) <= offset) {
        lo = hi;
        step *= 2;
        hi = lo + step;
      }
      if (hi > this.lines) hi = this.lines;
    } else {
      hi = this.line;
      lo = hi - 1;
      while (lo > 0 && this.startOf(lo) > offset) {
        hi = lo;
        step *= 2;
        lo = hi - step;
      }
      if (lo < 0) lo = 0;
    }
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (this.startOf(mid) <= offset) lo = mid;
      else hi = mid;
    }
    this.line = lo;
    this.lineStart = this.startOf(lo);
    this.nextStart = this.startOf(lo + 1);
  }

  /** moveTo with `starts`: found on to the first line start past `offset`, then by halves. */
  private moveInStarts(offset: number, starts: number[]): void {
    while (!this.complete && starts[starts.length - 1]! <= offset) {
      const nl = this.text.indexOf('\n', starts[starts.length - 1]);
      if (nl < 0) this.complete = true;
      else starts.push(nl + 1);
    }
    // starts[lo] <= offset < starts[hi] (or the end of the text).
    let lo = 0;
    let hi = starts.length;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid;
    }
    this.line = lo;
    this.lineStart = starts[lo]!;
    this.nextStart = lo + 1 < starts.length ? starts[lo + 1]! : this.text.length;
  }

  /** Where a line starts; the end of the text past the last line. */
  private startOf(line: number): number {
    return line < this.lines ? this.doc.offsetAt({ line, character: 0 }) : this.text.length;
  }
}
