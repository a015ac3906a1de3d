// Token queries over the document a flow analysis reads: a token's text, a group's end, the first
// top-level operator or word in a range, a dotted name, a step's span. Shared by every part of
// the analysis and by the statement walkers.

import { skipGroup } from '../scan/calls';
import { literalOf } from '../scan/literals';
import { OP, OPEN, OP_COMMA, OP_DOT, OP_OTHER, STRING, TPL_HEAD, IDENT, TokenBuffer, isOp, lineBreakBetween, tokenIs } from '../scan/tokens';
import type { FlowState } from './state';
import type { FlowStep } from './types';

/** No comma ahead (see commaTable). */
const NO_COMMA = 0x7fffffff;

/**
 * For each token, the first comma the walk of `findOp` from there meets (each group skipped whole),
 * or NO_COMMA: none, or the walk stops first at a bracket that is never closed.
 */
function commaTable(buf: TokenBuffer, count: number): Int32Array {
  const table = new Int32Array(count + 1);
  table[count] = NO_COMMA;
  for (let k = count - 1; k >= 0; k--) {
    const kind = buf.kind[k];
    if (kind === OP && buf.aux[k] === OP_COMMA) table[k] = k;
    else if (kind === OPEN || kind === TPL_HEAD) {
      const m = buf.match[k]!;
      table[k] = m >= 0 && m + 1 <= count ? table[m + 1]! : NO_COMMA;
    } else table[k] = table[k + 1]!;
  }
  return table;
}

export function word(s: FlowState, t: number): string {
  return s.text.slice(s.buf.start[t]!, s.buf.end[t]!);
}

export function isWord(s: FlowState, t: number, word: string): boolean {
  return tokenIs(s.text, s.buf, t, word);
}

/** The token after `t`, or after the group `t` opens, not beyond `limit`. */
export function skip(s: FlowState, t: number, limit: number): number {
  return skipGroup(s.buf, t, limit);
}

/** The closing token of the group opened at `t`, or `limit` when it is not closed before it. */
export function closeOf(s: FlowState, t: number, limit: number): number {
  const m = s.buf.match[t]!;
  return m >= 0 && m < limit ? m : limit;
}

/** The first top-level operator `op` in [from, to), or `to`. */
export function findOp(s: FlowState, from: number, to: number, op: number): number {
  for (let k = from; k < to; k = skip(s, k, to)) if (isOp(s.buf, k, op)) return k;
  return to;
}

/** The first top-level word `word` in [from, to), or `to`. */
export function findWord(s: FlowState, from: number, to: number, word: string): number {
  for (let k = from; k < to; k = skip(s, k, to)) if (isWord(s, k, word)) return k;
  return to;
}

export function hasTopLevelComma(s: FlowState, from: number, to: number): boolean {
  return findOp(s, from, to, OP_COMMA) < to;
}

/** Python: the `for` of a comprehension in [from, to), or -1. */
export function findFor(s: FlowState, from: number, to: number): number {
  if (!s.python) return -1;
  const k = findWord(s, from, to, 'for');
  return k < to ? k : -1;
}

/**
 * The end of the element starting at `from`: the next top-level comma, or `to`. What
 * `findOp(from, to, OP_COMMA)` finds, read from a table made once per document: a walk per
 * element made nested elements quadratic (`lambda: lambda: …`, each body to the statement's end).
 */
export function elementEnd(s: FlowState, from: number, to: number): number {
  if (from >= to) return to;
  s.commaAhead ??= commaTable(s.buf, s.count);
  const c = s.commaAhead[from]!;
  return c < to ? c : to;
}

/** `a.b.c` exactly covering tokens [from, to): its text; null for anything else. */
export function dottedPath(s: FlowState, from: number, to: number): string | null {
  const { buf } = s;
  if (from >= to || buf.kind[from] !== IDENT || (to - from) % 2 === 0) return null;
  for (let k = from + 1; k < to; k += 2) {
    if (!isOp(buf, k, OP_DOT) || buf.kind[k + 1] !== IDENT) return null;
  }
  return to === from + 1 ? word(s, from) : s.text.slice(buf.start[from]!, buf.end[to - 1]!).replace(/\s+/g, '');
}

/** The first token of the dotted name that ends at `last` (`a.b.c` → `a`); -1 when `last` is no name. */
export function pathStart(s: FlowState, last: number): number {
  const { buf } = s;
  if (last < 0 || buf.kind[last] !== IDENT) return -1;
  let k = last;
  while (isOp(buf, k - 1, OP_DOT) && buf.kind[k - 2] === IDENT) k -= 2;
  return k;
}

export function lineBreakBefore(s: FlowState, t: number): boolean {
  return t > 0 && lineBreakBetween(s.text, s.buf, t - 1, t);
}

/** Whether identifier `t` could be one of the short lower-case words the evaluator looks at. */
export function mayBeKeyword(s: FlowState, t: number): boolean {
  const len = s.buf.end[t]! - s.buf.start[t]!;
  const c = s.text.charCodeAt(s.buf.start[t]!);
  return len >= 3 && len <= 6 && c >= 97 && c <= 122;
}

/** `++` / `--`. */
export function isIncDec(s: FlowState, t: number): boolean {
  const { buf, text } = s;
  if (buf.kind[t] !== OP || buf.end[t]! - buf.start[t]! !== 2) return false;
  const c = text.charCodeAt(buf.start[t]!);
  return (c === 43 || c === 45) && text.charCodeAt(buf.start[t]! + 1) === c;
}

/** `&&` / `||`. */
export function isLogical(s: FlowState, t: number): boolean {
  const { buf, text } = s;
  if (buf.kind[t] !== OP || buf.aux[t] !== OP_OTHER || buf.end[t]! - buf.start[t]! !== 2) return false;
  const c = text.charCodeAt(buf.start[t]!);
  return (c === 38 || c === 124) && text.charCodeAt(buf.start[t]! + 1) === c;
}

/** A step at tokens [from, last]. */
export function step(s: FlowState, from: number, last: number, message: string): FlowStep {
  const { buf } = s;
  return { span: { start: buf.start[from]!, end: buf.end[Math.max(from, last)]! }, message };
}

/** A string literal's key as written (`password`), whatever it holds; null when tokens [from, to) are not one plain literal. */
export function keyValue(s: FlowState, from: number, to: number): string | null {
  if (to !== from + 1 || s.buf.kind[from] !== STRING) return null;
  return literalOf(s.text, s.buf, from, to, s.python).value;
}

/** A string literal's key for a message (`'password'`), or null when it is not a plain short one. */
export function keyName(s: FlowState, from: number, to: number): string | null {
  if (to !== from + 1 || s.buf.kind[from] !== STRING) return null;
  const value = literalOf(s.text, s.buf, from, to, s.python).value;
  return value !== null && /^[\w.\- ]{1,40}$/.test(value) ? `'${value}'` : null;
}

/**
 * ASCII words, each with a value, looked up in place in text[start, end): no string is made. Most
 * names are no word of the table, and a table of the words' lengths and first characters (with
 * their last characters' three low bits) says so in one or two reads.
 */
export class WordTable<T> {
  private readonly byLength: (Array<{ word: string; value: T }> | undefined)[] = [];
  /** By length and first character: a bit per (last character & 7) of the words that have them. */
  private readonly shapes: Uint8Array;

  constructor(words: Iterable<readonly [string, T]>) {
    for (const [word, value] of words) {
      if (!/^[\x21-\x7e]+$/.test(word)) throw new Error(`WordTable: not an ASCII word: ${word}`);
      (this.byLength[word.length] ??= []).push({ word, value });
    }
    this.shapes = new Uint8Array(this.byLength.length << 7);
    for (const list of this.byLength) {
      for (const { word } of list ?? []) this.shapes[(word.length << 7) | word.charCodeAt(0)]! |= 1 << (word.charCodeAt(word.length - 1) & 7);
    }
  }

  /** The value of the word text[start, end) spells; undefined when it is none. */
  find(text: string, start: number, end: number): T | undefined {
    const length = end - start;
    const first = text.charCodeAt(start);
    if (length >= this.byLength.length || first >= 128) return undefined;
    const lasts = this.shapes[(length << 7) | first]!;
    if (lasts === 0 || (lasts & (1 << (text.charCodeAt(end - 1) & 7))) === 0) return undefined;
    const words = this.byLength[length]!;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (sameText(text, start, w.word)) return w.value;
    }
    return undefined;
  }

  /** The value of the word token `t` spells (undefined when it is none, or no name). */
  at(s: FlowState, t: number): T | undefined {
    return s.buf.kind[t] === IDENT ? this.find(s.text, s.buf.start[t]!, s.buf.end[t]!) : undefined;
  }
}

/** Whether text[start, start + word.length) is `word` (a call of startsWith costs more than these few reads). */
function sameText(text: string, start: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (text.charCodeAt(start + k) !== word.charCodeAt(k)) return false;
  return true;
}
