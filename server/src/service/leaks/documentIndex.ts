// What the flow analysis knows of the whole document before its walk starts, found in one pass:
// where the references sit in the token stream (the sources), the names a logger is assigned to,
// and the tokens that may make a sink or name a function whose return is shown (a function
// without one shows nothing itself, see mayShow).

import {
  CH_LPAREN,
  CH_LBRACKET,
  IDENT,
  LINE,
  OP,
  OPEN,
  OP_ASSIGN,
  OP_COLON,
  STRING,
  TokenBuffer,
  isOp,
  isOpen,
  lowerBound,
  lowerBoundFrom,
} from '../scan/tokens';
import { DISPLAY_FUNCTIONS, LOGGER_NAMES, SUFFIX_LAST_LETTERS, isDisplayFunction, isDisplayFunctionAt, isLoggerFactory, sinkWords } from './sinks';
import { WordTable, dottedPath, pathStart } from './reader';
import type { FlowState } from './state';
import type { Taint } from './taint';

/**
 * Whether text[start, end) may be a display function's name (DISPLAY_FUNCTIONS), by its ends and
 * its length: it starts with a prefix's first two letters in any case and is as long as the
 * prefix, or as `toString` does, or with underscores (`__str__`, `_show_token`), or ends (before
 * trailing underscores) with a suffix's last letter and is longer than the suffix (`…message`,
 * `…Summary`). Most names that start or end so are too short (`resp`, `token`, `name`).
 */
function mayName(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start) | 32;
  const second = text.charCodeAt(start + 1) | 32;
  if (first < 128 && second < 128) {
    const shortest = DISPLAY_START[(first << 7) | second]!;
    if (shortest !== 0 && end - start >= shortest) return true;
  }
  let s = start;
  while (s < end && text.charCodeAt(s) === 95) s++;
  if (s > start) return true; // `__str__`, `_show_token`
  let e = end - 1;
  while (e > s && text.charCodeAt(e) === 95) e--;
  const last = text.charCodeAt(e);
  return last < 128 && SUFFIX_LAST_LETTERS[last] === 1 && end - start > SHORTEST_SUFFIX;
}

/**
 * Whether the token at `t` follows a function's name where one is given: `(` (a def, a method),
 * `[` (Python's type parameters), `<` (TypeScript's), `=` (an assignment, a keyword argument, a
 * class field), `:` (an object member, a typed declaration).
 */
function namesFunction(buf: TokenBuffer, t: number): boolean {
  const kind = buf.kind[t];
  if (kind === OPEN) return buf.aux[t] === CH_LPAREN || buf.aux[t] === CH_LBRACKET;
  return kind === OP && (buf.aux[t] === OP_ASSIGN || buf.aux[t] === OP_COLON || buf.aux[t] === 60);
}

/** What a word of the sink words' WordTable is: a logger factory's last name, a sink word, or both. */
const FACTORY = 1;
const SINK = 2;

/** Each language's sink words and the last names of LOGGER_NAMES.factories: one look-up per name. */
function wordTable(python: boolean): WordTable<number> {
  const words = new Map<string, number>();
  for (const f of LOGGER_NAMES.factories) words.set(f.slice(f.lastIndexOf('.') + 1), FACTORY);
  for (const w of sinkWords(python)) words.set(w, (words.get(w) ?? 0) | SINK);
  return new WordTable(words);
}

const WORDS = { python: wordTable(true), javascript: wordTable(false) };

/**
 * By the first two letters (lower case, as `| 32` makes them) of display names' prefixes and of
 * its names (`toString`): the length of the shortest of them (a name is at least as long as its
 * first word), 0 for none.
 */
const DISPLAY_START = (() => {
  const t = new Uint8Array(128 * 128);
  for (const w of [...DISPLAY_FUNCTIONS.prefixes, ...DISPLAY_FUNCTIONS.names]) {
    const at = ((w.charCodeAt(0) | 32) << 7) | (w.charCodeAt(1) | 32);
    if (t[at] === 0 || w.length < t[at]!) t[at] = w.length;
  }
  return t;
})();

/** A name that ends with a suffix has a word before it: it is longer than the shortest suffix. */
const SHORTEST_SUFFIX = Math.min(...DISPLAY_FUNCTIONS.suffixes.map((w) => w.length));

/** A string literal longer than this names no member. */
const MAX_NAME = 128;
/** A string literal that holds a name: its quotes and the name. */
const STRING_NAME = /^['"`]([A-Za-z_$][\w$]*)['"`]$/;

/**
 * Each reference's first and last token, in token order (FlowState.refStarts, refLasts,
 * refIndexes, refCount, refBits). A token two references start at is the first one's.
 */
export function locateReferences(flow: FlowState): void {
  const { buf, refs } = flow;
  const { start: starts, end: ends, kind: kinds } = buf;
  const count = flow.count;
  lend(flow, refs.length, count);
  const bits = flow.refBits;
  let n = 0;
  // The scanner gives references in document order: each search starts where the last one ended.
  let from = 0;
  let previous = -1;
  for (let i = 0; i < refs.length; i++) {
    const span = refs[i]!.span;
    if (span.start < previous) from = 0;
    previous = span.start;
    let t = (from = lowerBoundFrom(starts, count, span.start, from));
    // Python's LINE tokens (and JSX's end markers) are empty and share the next token's start.
    while (t < count && starts[t] === span.start && ends[t] === starts[t]) t++;
    if (t >= count || starts[t] !== span.start || (bits[t >> 5]! & (1 << (t & 31))) !== 0) continue;
    let e = t;
    while (e + 1 < count && ends[e]! < span.end && kinds[e + 1] !== LINE) e++;
    bits[t >> 5]! |= 1 << (t & 31);
    flow.refStarts[n] = t;
    flow.refLasts[n] = e;
    flow.refIndexes[n] = i;
    n++;
  }
  flow.refCount = n;
  for (let k = 1; k < n; k++) {
    if (flow.refStarts[k]! < flow.refStarts[k - 1]!) {
      sortReferences(flow);
      break;
    }
  }
}

/**
 * The arrays of located references, lent from one analysis to the next (as the lexers' buffers
 * are): making them cost more than the rest of locating the references of a small file.
 */
const lent = { starts: new Int32Array(64), lasts: new Int32Array(64), indexes: new Int32Array(64), bits: new Int32Array(64) };

/** Lends FlowState the arrays for `references` references in `count` tokens, the bits cleared. */
function lend(flow: FlowState, references: number, count: number): void {
  if (lent.starts.length < references) {
    lent.starts = new Int32Array(references);
    lent.lasts = new Int32Array(references);
    lent.indexes = new Int32Array(references);
  }
  const words = (count >> 5) + 1;
  if (lent.bits.length < words) lent.bits = new Int32Array(words);
  else lent.bits.fill(0, 0, words);
  flow.refStarts = lent.starts;
  flow.refLasts = lent.lasts;
  flow.refIndexes = lent.indexes;
  flow.refBits = lent.bits;
}

/** References given out of document order: their located entries sorted by start token. */
function sortReferences(flow: FlowState): void {
  const n = flow.refCount;
  const starts = flow.refStarts.slice(0, n);
  const lasts = flow.refLasts.slice(0, n);
  const indexes = flow.refIndexes.slice(0, n);
  const order = Array.from({ length: n }, (_, k) => k).sort((x, y) => starts[x]! - starts[y]!);
  for (let k = 0; k < n; k++) {
    flow.refStarts[k] = starts[order[k]!]!;
    flow.refLasts[k] = lasts[order[k]!]!;
    flow.refIndexes[k] = indexes[order[k]!]!;
  }
}

/**
 * One pass over the tokens for what the walk needs to know of the whole document before it
 * starts: the loggers (`name = logging.getLogger(…)` and the other factories, anywhere) and the
 * sink tokens (see FlowState.sinkTokens). The statements are the front end's (python.ts).
 */
export function indexTokens(flow: FlowState): void {
  const { buf, text } = flow;
  const words = flow.python ? WORDS.python : WORDS.javascript;
  const out = flow.sinkTokens;
  const { kind: kinds, start: starts, end: ends } = buf;
  const count = flow.count;
  for (let t = 0; t < count; t++) {
    const kind = kinds[t];
    if (kind === IDENT) {
      const start = starts[t]!;
      const end = ends[t]!;
      const word = words.find(text, start, end);
      if (word !== undefined) {
        // A logger factory's call: the callee's own name first (`getLogger`, `get_logger`, `createLogger`, `pino`).
        if (word & FACTORY && isOpen(buf, t + 1, CH_LPAREN)) collectLogger(flow, t);
        if (word & SINK) {
          out.push(t);
          continue;
        }
      }
      // A function's name, where functions are named, that is a display function's.
      if (namesFunction(buf, t + 1) && mayName(text, start, end) && isDisplayFunctionAt(text, start, end)) out.push(t);
    } else if (kind === STRING) {
      const start = starts[t]!;
      const end = ends[t]!;
      if (end - start <= MAX_NAME && end - start > 2 && namesFunction(buf, t + 1) && mayName(text, start + 1, end - 1)) {
        // A member named by a string (`'showToken': () => …`): the name between the quotes.
        const name = STRING_NAME.exec(text.slice(start, end));
        if (name !== null && isDisplayFunction(name[1]!)) out.push(t);
      }
    }
  }
}

/** `name = logging.getLogger(…)` (and the other factories): `t` is the callee's last name, before its `(`. */
function collectLogger(flow: FlowState, t: number): void {
  const { buf } = flow;
  const k = pathStart(flow, t);
  if (!isLoggerFactory(dottedPath(flow, k, t + 1)) || !isOp(buf, k - 1, OP_ASSIGN)) return;
  let last = k - 2;
  let first = pathStart(flow, last);
  // `log: Logger = …`
  if (first >= 0 && isOp(buf, first - 1, OP_COLON)) {
    last = first - 2;
    first = pathStart(flow, last);
  }
  const path = first >= 0 ? dottedPath(flow, first, last + 1) : null;
  if (path !== null) flow.loggers.add(path);
}

/** Whether a reference starts in tokens [from, to). */
export function hasReference(flow: FlowState, from: number, to: number): boolean {
  const first = lowerBound(flow.refStarts, flow.refCount, from);
  return first < flow.refCount && flow.refStarts[first]! < to;
}

/** Whether a sink token (see FlowState.sinkTokens) lies in tokens [from, to). */
export function maySink(flow: FlowState, from: number, to: number): boolean {
  const tokens = flow.sinkTokens;
  const first = lowerBound(tokens, tokens.length, from);
  return first < tokens.length && tokens[first]! < to;
}

/**
 * Whether functions that cannot show a secret are skipped by the queue unless they call the
 * document's functions (see mayShow). Off only in the test that proves the results the same
 * without it.
 */
export const SINK_PREFILTER = { on: true };

/**
 * Whether a function whose parameters and body span tokens [from, to) may show a secret: a sink
 * token in it (nested functions included: they are found by walking it), or a `name` that says
 * what it returns is shown. One that may not shows nothing itself: the queue walks it only when it
 * calls one of the document's functions.
 */
export function mayShow(flow: FlowState, from: number, to: number, name: string | null): boolean {
  return !SINK_PREFILTER.on || maySink(flow, from, to) || isDisplayFunction(name);
}

/** mayShow for a function named by token `name` (-1: none), asked before its name is read. */
export function mayShowNamed(flow: FlowState, from: number, to: number, name: number): boolean {
  return !SINK_PREFILTER.on || maySink(flow, from, to) || (name >= 0 && isDisplayFunctionAt(flow.text, flow.buf.start[name]!, flow.buf.end[name]!));
}

/** Whether a reference starts at token `t` (< FlowState.count). */
export function isReference(flow: FlowState, t: number): boolean {
  return (flow.refBits[t >> 5]! & (1 << (t & 31))) !== 0;
}

/** The located reference (its position in FlowState.refStarts) that starts at token `t`, one that isReference says is there. */
export function referenceAt(flow: FlowState, t: number): number {
  return lowerBound(flow.refStarts, flow.refCount, t);
}

/** What located reference `k` (see referenceAt) carries: its own secret, read there. */
export function source(flow: FlowState, k: number): Taint {
  const i = flow.refIndexes[k]!;
  const ref = flow.refs[i]!;
  const env = ref.form === 'env';
  let message: string;
  if (ref.name === null) message = env ? 'read an environment variable whose name is computed' : 'read a secret whose name is computed';
  else message = env ? `read environment variable '${ref.name}'` : `read secret '${ref.name}'`;
  return [{ ref: i, step: { span: { start: ref.span.start, end: ref.span.end }, message }, prev: null, key: null, exact: true, length: 1, splice: null }];
}
