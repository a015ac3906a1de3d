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

export function word(flow: FlowState, t: number): string {
  return flow.text.slice(flow.buf.start[t]!, flow.buf.end[t]!);
}

export function isWord(flow: FlowState, t: number, word: string): boolean {
  return tokenIs(flow.text, flow.buf, t, word);
}

/** The token after `t`, or after the group `t` opens, not beyond `limit`. */
export function skip(flow: FlowState, t: number, limit: number): number {
  return skipGroup(flow.buf, t, limit);
}

/** The closing token of the group opened at `t`, or `limit` when it is not closed before it. */
export function closeOf(flow: FlowState, t: number, limit: number): number {
  const m = flow.buf.match[t]!;
  return m >= 0 && m < limit ? m : limit;
}

/** The first top-level operator `op` in [from, to), or `to`. */
export function findOp(flow: FlowState, from: number, to: number, op: number): number {
  for (let k = from; k < to; k = skip(flow, k, to)) if (isOp(flow.buf, k, op)) return k;
  return to;
}

/** The first top-level word `word` in [from, to), or `to`. */
export function findWord(flow: FlowState, from: number, to: number, word: string): number {
  for (let k = from; k < to; k = skip(flow, k, to)) if (isWord(flow, k, word)) return k;
  return to;
}

export function hasTopLevelComma(flow: FlowState, from: number, to: number): boolean {
  return findOp(flow, from, to, OP_COMMA) < to;
}

/** Python: the `for` of a comprehension in [from, to), or -1. */
export function findFor(flow: FlowState, from: number, to: number): number {
  if (!flow.python) return -1;
  const k = findWord(flow, from, to, 'for');
  return k < to ? k : -1;
}

/**
 * The end of the element starting at `from`: the next top-level comma, or `to`. What
 * `findOp(from, to, OP_COMMA)` finds, read from a table made once per document: a walk per
 * element made nested elements quadratic (`lambda: lambda: …`, each body to the statement's end).
 */
export function elementEnd(flow: FlowState, from: number, to: number): number {
  if (from >= to) return to;
  flow.commaAhead ??= commaTable(flow.buf, flow.count);
  const c = flow.commaAhead[from]!;
  return c < to ? c : to;
}

/** `a.b.c` exactly covering tokens [from, to): its text; null for anything else. */
export function dottedPath(flow: FlowState, from: number, to: number): string | null {
  const { buf } = flow;
  if (from >= to || buf.kind[from] !== IDENT || (to - from) % 2 === 0) return null;
  for (let k = from + 1; k < to; k += 2) {
    if (!isOp(buf, k, OP_DOT) || buf.kind[k + 1] !== IDENT) return null;
  }
  return to === from + 1 ? word(flow, from) : flow.text.slice(buf.start[from]!, buf.end[to - 1]!).replace(/\s+/g, '');
}

/** The first token of the dotted name that ends at `last` (`a.b.c` → `a`); -1 when `last` is no name. */
export function pathStart(flow: FlowState, last: number): number {
  const { buf } = flow;
  if (last < 0 || buf.kind[last] !== IDENT) return -1;
  let k = last;
  while (isOp(buf, k - 1, OP_DOT) && buf.kind[k - 2] === IDENT) k -= 2;
  return k;
}

export function lineBreakBefore(flow: FlowState, t: number): boolean {
  return t > 0 && lineBreakBetween(flow.text, flow.buf, t - 1, t);
}

/** Whether identifier `t` could be one of the short lower-case words the evaluator looks at. */
export function mayBeKeyword(flow: FlowState, t: number): boolean {
  const len = flow.buf.end[t]! - flow.buf.start[t]!;
  const c = flow.text.charCodeAt(flow.buf.start[t]!);
  return len >= 3 && len <= 6 && c >= 97 && c <= 122;
}

/** `++` / `--`. */
export function isIncDec(flow: FlowState, t: number): boolean {
  const { buf, text } = flow;
  if (buf.kind[t] !== OP || buf.end[t]! - buf.start[t]! !== 2) return false;
  const c = text.charCodeAt(buf.start[t]!);
  return (c === 43 || c === 45) && text.charCodeAt(buf.start[t]! + 1) === c;
}

/** `&&` / `||`. */
export function isLogical(flow: FlowState, t: number): boolean {
  const { buf, text } = flow;
  if (buf.kind[t] !== OP || buf.aux[t] !== OP_OTHER || buf.end[t]! - buf.start[t]! !== 2) return false;
  const c = text.charCodeAt(buf.start[t]!);
  return (c === 38 || c === 124) && text.charCodeAt(buf.start[t]! + 1) === c;
}

/** A step at tokens [from, last]. */
export function step(flow: FlowState, from: number, last: number, message: string): FlowStep {
  const { buf } = flow;
  return { span: { start: buf.start[from]!, end: buf.end[Math.max(from, last)]! }, message };
}

/** A string literal's key as written (`password`), whatever it holds; null when tokens [from, to) are not one plain literal. */
export function keyValue(flow: FlowState, from: number, to: number): string | null {
  if (to !== from + 1 || flow.buf.kind[from] !== STRING) return null;
  return literalOf(flow.text, flow.buf, from, to, flow.python).value;
}

/** A string literal's key for a message (`'password'`), or null when it is not a plain short one. */
export function keyName(flow: FlowState, from: number, to: number): string | null {
  if (to !== from + 1 || flow.buf.kind[from] !== STRING) return null;
  const value = literalOf(flow.text, flow.buf, from, to, flow.python).value;
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
  at(flow: FlowState, t: number): T | undefined {
    return flow.buf.kind[t] === IDENT ? this.find(flow.text, flow.buf.start[t]!, flow.buf.end[t]!) : undefined;
  }
}

/** Whether text[start, start + word.length) is `word` (a call of startsWith costs more than these few reads). */
function sameText(text: string, start: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (text.charCodeAt(start + k) !== word.charCodeAt(k)) return false;
  return true;
}
