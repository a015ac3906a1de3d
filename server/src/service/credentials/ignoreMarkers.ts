// Ignore markers: the comment that silences the hard-coded credential diagnostic on its line, found
// only in a real comment (not in a string), and the findings it leaves out.

import { lowerBound, TokenBuffer } from '../scan/tokens';
import type { Span } from '../scan/types';

/** The comment that silences the diagnostic on its line: `# …` in Python, `// …` or a block comment in JS/TS. */
export const IGNORE_MARKER = 'secrets-vault: ignore hardcoded-secret';

/**
 * The 0-based lines that carry the ignore comment (`# secrets-vault: ignore hardcoded-secret`, or
 * its `//` / `/* … *\/` form in JS/TS) in a real comment: the marker must lie outside every token
 * (not in a string) and follow, on its line, a comment opener that lies outside every token too.
 */
export function ignoredLines(text: string, buf: TokenBuffer, python: boolean): Set<number> {
  const lines = new Set<number>();
  // One forward pass, however many markers a line repeats: lines are counted as the markers are
  // met, and each stretch of a line is searched for a comment opener once.
  let line = 0;
  let counted = 0;
  /** On the current line, [lineStart or the last marker, searchedTo) holds no opener; `opener`: one was found. */
  let searchedTo = 0;
  let opener = false;
  let at = text.indexOf(IGNORE_MARKER);
  while (at >= 0) {
    for (let i = counted; i < at; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        line++;
        searchedTo = i + 1;
        opener = false;
      }
    }
    counted = at;
    if (!insideToken(buf, at)) {
      if (!opener) {
        opener = commentOpenerIn(text, buf, searchedTo, at, python);
        searchedTo = at;
      }
      if (opener) lines.add(line);
    }
    at = text.indexOf(IGNORE_MARKER, at + IGNORE_MARKER.length);
  }
  return lines;
}

/** Whether `pos` lies inside a token (a string, a template, a regular expression). */
function insideToken(buf: TokenBuffer, pos: number): boolean {
  const last = lowerBound(buf.start, buf.count, pos + 1) - 1;
  return last >= 0 && buf.end[last]! > pos;
}

/** Whether text[from, to) holds a comment opener (`#`; `//` or `/*`) that lies outside every token. */
function commentOpenerIn(text: string, buf: TokenBuffer, from: number, to: number, python: boolean): boolean {
  for (let p = from; p < to; p++) {
    const c = text.charCodeAt(p);
    const isOpener = python ? c === 35 : c === 47 && (text.charCodeAt(p + 1) === 47 || text.charCodeAt(p + 1) === 42);
    if (isOpener && !insideToken(buf, p)) return true;
  }
  return false;
}

/** Line breaks in [from, to): `\n`, `\r\n` and a lone `\r` each count once. */
function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

/**
 * `found` (in document order) without the findings whose first or last line carries the ignore
 * comment; `found` itself when no line does.
 */
export function withoutIgnored<F extends { span: Span }>(text: string, buf: TokenBuffer, python: boolean, found: F[]): F[] {
  const ignored = ignoredLines(text, buf, python);
  if (ignored.size === 0) return found;
  const kept: F[] = [];
  let line = 0;
  let counted = 0;
  for (const f of found) {
    line += countLines(text, counted, f.span.start);
    counted = f.span.start;
    if (ignored.has(line)) continue;
    if (ignored.has(line + countLines(text, f.span.start, f.span.end))) continue;
    kept.push(f);
  }
  return kept;
}
