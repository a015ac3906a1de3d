// The part of the flow analysis both languages share: where the references sit in the token
// stream, the expression evaluator, calls, assignment targets, and the queue of functions still to
// analyse. The statement walkers (python.ts, javascript.ts) drive it.
//
// The evaluator reads an expression's tokens once, left to right, and answers what it may carry
// (Taint) while doing what evaluating it does here: sinks called inside it are reported, `:=`
// binds, lambdas / arrow functions / methods are queued. Operands joined by arithmetic operators
// carry what any of them carries; a comparison, `not` / `!`, a sanitiser call, or a call that is
// neither a sink nor a known propagator carries nothing. In a conditional expression the
// condition is not the value.
//
// Functions are analysed after the scope that defines them, with that scope's names as they stand
// at its end (a nested function usually runs later: a callback, a handler; module-level names are
// usually set before any function runs). A function's parameters hide outer names.

import { skipGroup } from '../scan/calls';
import { literalOf } from '../scan/literals';
import {
  CH_LBRACE,
  CH_LBRACKET,
  CH_LPAREN,
  CH_RBRACKET,
  CH_RPAREN,
  CLOSE,
  IDENT,
  LINE,
  NUMBER,
  OP,
  OPEN,
  OP_ARROW,
  OP_ASSIGN,
  OP_AUG,
  OP_CMP,
  OP_COLON,
  OP_COMMA,
  OP_DOT,
  OP_ELLIPSIS,
  OP_OPTDOT,
  OP_OTHER,
  OP_POW,
  OP_SEMI,
  OP_STAR,
  OP_WALRUS,
  STRING,
  S_TEMPLATE,
  TPL_HEAD,
  TPL_MID,
  TPL_TAIL,
  TokenBuffer,
  isOp,
  isOpen,
  lineBreakBetween,
  lowerBound,
  tokenIs,
} from '../scan/tokens';
import type { SecretReference } from '../scan/types';
import { isMutator, propagation } from './propagation';
import {
  NOT_CONTENT_KEYWORDS,
  isComparisonWord,
  isDisplayFunction,
  isDisplayFunctionAt,
  isLoggerFactory,
  LOGGER_NAMES,
  isNegationWord,
  isSanitiserCall,
  isRequestCall,
  isSanitiserProperty,
  REQUESTS,
  sinkWords,
  SUFFIX_LAST_LETTERS,
  DISPLAY_FUNCTIONS,
  sinkOf,
  type CallSite,
} from './sinks';
import { Blocks, Env, extend, stepsOf, union, type Taint } from './taint';
import type { FlowStep, SecretLeak } from './types';

/**
 * Whether functions without a sink word or display function in them are left unwalked (see
 * maySink). Off only in the test that proves the results the same without it.
 */
export const SINK_PREFILTER = { on: true };

/**
 * Whether text[start, end) may be a display function's name (DISPLAY_FUNCTIONS), by its ends: it
 * starts with a prefix's first two letters in any case, with underscores (`__str__`,
 * `_show_token`) or as `toString` does, or ends (before trailing underscores) with a suffix's last
 * letter (`…message`, `…Summary`).
 */
function mayName(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start) | 32;
  const second = text.charCodeAt(start + 1) | 32;
  if (first < 128 && second < 128 && DISPLAY_START[(first << 7) | second] === 1) return true;
  let s = start;
  while (s < end && text.charCodeAt(s) === 95) s++;
  if (s > start) return true; // `__str__`, `_show_token`
  let e = end - 1;
  while (e > s && text.charCodeAt(e) === 95) e--;
  const last = text.charCodeAt(e);
  return last < 128 && SUFFIX_LAST_LETTERS[last] === 1;
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

/**
 * A set of ASCII words compared in place with text[start, end): no string is made. Most names are
 * no word of the set, and a table of the words' lengths and first characters says so in one read.
 */
class WordTable {
  private readonly byLength: (string[] | undefined)[] = [];
  private readonly shapes: Uint8Array;

  constructor(words: Iterable<string>) {
    for (const w of words) {
      if (!/^[\x21-\x7e]+$/.test(w)) throw new Error(`WordTable: not an ASCII word: ${w}`);
      (this.byLength[w.length] ??= []).push(w);
    }
    this.shapes = new Uint8Array(this.byLength.length << 7);
    for (const list of this.byLength) for (const w of list ?? []) this.shapes[(w.length << 7) | w.charCodeAt(0)] = 1;
  }

  has(text: string, start: number, end: number): boolean {
    const length = end - start;
    const first = text.charCodeAt(start);
    if (length >= this.byLength.length || first >= 128 || this.shapes[(length << 7) | first] === 0) return false;
    const words = this.byLength[length]!;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (w.charCodeAt(0) === first && text.startsWith(w, start)) return true;
    }
    return false;
  }
}

/** The last names of LOGGER_NAMES.factories. */
const FACTORY_NAMES = new WordTable(new Set(LOGGER_NAMES.factories.map((f) => f.slice(f.lastIndexOf('.') + 1))));

/** Each language's sink words. */
const SINK_WORDS = { python: new WordTable(sinkWords(true)), javascript: new WordTable(sinkWords(false)) };

/** The first two letters (lower case, as `| 32` makes them) of display names' prefixes and of its names (`toString`). */
const DISPLAY_START = (() => {
  const t = new Uint8Array(128 * 128);
  for (const w of [...DISPLAY_FUNCTIONS.prefixes, ...DISPLAY_FUNCTIONS.names]) t[((w.charCodeAt(0) | 32) << 7) | (w.charCodeAt(1) | 32)] = 1;
  return t;
})();

/** A string literal longer than this names no member. */
const MAX_NAME = 128;
/** A string literal that holds a name: its quotes and the name. */
const STRING_NAME = /^['"`]([A-Za-z_$][\w$]*)['"`]$/;

/** Keyword arguments of a Python request that add to its URL's query (see REQUESTS). */
const QUERY_KEYWORDS: readonly string[] = REQUESTS.python.queryKeywords;

// Kinds of function bodies.
/** An expression whose value is returned (lambda, arrow function without braces). */
export const BODY_EXPR = 0;
/** Python: the lines after a `def` header, indented deeper than `indent`. */
export const BODY_PY_LINES = 1;
/** Python: the statements after the header's colon on its own line (`def f(): return x`). */
export const BODY_PY_INLINE = 2;
/** JavaScript: the statements between braces. */
export const BODY_JS_BLOCK = 3;

export interface PendingFunction {
  /** The function's name, or the name it is assigned to; null when anonymous. */
  name: string | null;
  /** Its parameter list's tokens. */
  paramsFrom: number;
  paramsTo: number;
  /** Its body's tokens. */
  from: number;
  to: number;
  body: number;
  /** Python: the indentation of the header line. */
  indent: number;
  /** The scope it was defined in. */
  parent: Env;
}

// How a target is bound, for the step's message.
export const ASSIGN = 0;
export const UNPACK = 1;
export const ITERATE = 2;

/** Nesting beyond this (brackets, statements) is not followed: it bounds the recursion. */
export const MAX_DEPTH = 200;

const PY_CONSTANTS = new Set(['None', 'True', 'False', 'NotImplemented', 'Ellipsis']);
const JS_CONSTANTS = new Set(['null', 'undefined', 'true', 'false', 'NaN', 'Infinity']);

interface Argument {
  from: number;
  to: number;
  keyword: string | null;
}

interface FunctionContext {
  name: string | null;
  /** Whether what it returns is shown (see DISPLAY_FUNCTIONS). */
  display: boolean;
}

/** The evaluator's state for one expression; one per nesting depth, reused. */
class ExprState {
  /** Finished elements of a tuple / sequence. */
  tuple: Taint = null;
  /** Finished alternatives of a conditional expression (and the parts of a slice or dict item). */
  alts: Taint = null;
  /** Finished operands of `and` / `or` / `&&` / `||` / `??`. */
  bools: Taint = null;
  /** The operands joined by arithmetic operators so far, from token runStart to runEnd. */
  run: Taint = null;
  runStart = -1;
  runEnd = -1;
  /** The run's first binary operator, -1 when none. */
  runOp = -1;
  percent = false;
  plus = false;
  /** A comparison or negation in this operand: its result carries nothing. */
  clean = false;

  reset(): void {
    this.tuple = null;
    this.alts = null;
    this.discard();
  }

  /** Drops the current operands (`cond ? …`: what came before is the condition). */
  discard(): void {
    this.bools = null;
    this.discardRun();
  }

  discardRun(): void {
    this.run = null;
    this.runStart = -1;
    this.runEnd = -1;
    this.runOp = -1;
    this.percent = false;
    this.plus = false;
    this.clean = false;
  }

  add(v: Taint, from: number, last: number): void {
    if (this.runStart < 0) this.runStart = from;
    this.runEnd = last;
    this.run = union(this.run, v);
  }
}

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

export abstract class FlowAnalysis {
  protected readonly count: number;
  protected readonly blocks = new Blocks();
  protected env: Env;
  /** The block the statement being analysed is in. */
  protected block = 0;
  protected fn: FunctionContext = { name: null, display: false };
  /** Recursion depth (nested brackets, statements, targets). */
  protected depth = 0;
  /** Where the last operand, call, group or template ended. */
  protected pos = 0;
  /**
   * Python: for each `try` body being read, what the exceptions raised in it may name: the URL of
   * an HTTP request made there (requests' and httpx's errors say `… for url: https://…?key=…`).
   */
  protected readonly tries: Taint[] = [];

  /** Adds what an exception raised here would name to every `try` body open around it. */
  protected raisable(taint: Taint): void {
    if (taint === null) return;
    for (let i = 0; i < this.tries.length; i++) this.tries[i] = union(this.tries[i]!, taint);
  }

  /** The last HTTP request call evaluated (see REQUESTS): where it ends and what its URL carried. */
  protected lastRequest: { end: number; url: Taint } | null = null;
  /** Top-level commas and colons of the last expression evaluated. */
  protected commas = 0;
  protected colons = 0;

  /** Reference start token → its last token, and → its index. */
  private readonly refEnd = new Map<number, number>();
  private readonly refIndex = new Map<number, number>();
  /** Reference start tokens, in order. */
  private readonly refStarts: number[] = [];
  private readonly leaks: SecretLeak[] = [];
  private readonly reported = new Set<string>();
  private readonly queue: PendingFunction[] = [];
  /** Names the document assigns a logger to (`log = logging.getLogger(__name__)`). */
  private readonly loggers = new Set<string>();
  /** The name an expression starting at `tok` is assigned to: a function there takes it. */
  private hint: { tok: number; name: string } | null = null;
  private lastCallMadeLogger = false;
  private readonly states: ExprState[] = [];
  /** See `elementEnd`. */
  private commaAhead: Int32Array | null = null;

  constructor(
    protected readonly text: string,
    protected readonly buf: TokenBuffer,
    protected readonly python: boolean,
    private readonly refs: readonly SecretReference[],
  ) {
    this.count = buf.count;
    this.block = this.blocks.open(-1);
    this.env = new Env(null, this.blocks, this.block, false);
  }

  /** Walks the module's statements. */
  protected abstract walkModule(): void;
  /** Walks a function's statements (not BODY_EXPR). */
  protected abstract walkBody(f: PendingFunction): void;

  run(): SecretLeak[] {
    this.locateReferences();
    if (this.refStarts.length === 0) return [];
    this.indexTokens();
    this.walkModule();
    for (let i = 0; i < this.queue.length; i++) {
      const f = this.queue[i]!;
      const from = Math.min(f.paramsFrom, f.from);
      // Nothing in it can carry a secret: no reference of its own, nothing tainted around it.
      if (!this.hasReference(from, f.to) && !f.parent.mayHoldSecrets()) continue;
      // Nothing in it, nor in the functions inside it, can show one: no sink, no display function.
      if (SINK_PREFILTER.on && !this.maySink(from, f.to) && !isDisplayFunction(f.name)) continue;
      this.runFunction(f);
    }
    this.leaks.sort((x, y) => x.span.start - y.span.start || x.source.span.start - y.source.span.start);
    return this.leaks;
  }

  private runFunction(f: PendingFunction): void {
    this.block = this.blocks.open(-1);
    this.env = new Env(f.parent, this.blocks, this.block, false);
    this.fn = { name: f.name, display: isDisplayFunction(f.name) };
    this.bindParameters(f.paramsFrom, f.paramsTo);
    if (f.body === BODY_EXPR) {
      const v = this.evalExpr(f.from, f.to);
      if (this.fn.display) this.returned(f.from, f.to, v);
    } else this.walkBody(f);
  }

  protected defer(f: Omit<PendingFunction, 'parent'>): void {
    // Field by field: a spread costs a generic copy per function.
    this.queue.push({ name: f.name, paramsFrom: f.paramsFrom, paramsTo: f.paramsTo, from: f.from, to: f.to, body: f.body, indent: f.indent, parent: this.env });
  }

  /** Parameters are locals that hold nothing we follow. */
  private bindParameters(from: number, to: number): void {
    const { buf } = this;
    for (let k = from; k < to; k++) {
      if (buf.kind[k] !== IDENT || isOp(buf, k - 1, OP_DOT)) continue;
      // Python: a name after `(`, `,`, `*`, `**` (not a default value or an annotation).
      if (this.python && !(k === from || isOp(buf, k - 1, OP_COMMA) || isOp(buf, k - 1, OP_STAR) || isOp(buf, k - 1, OP_POW))) continue;
      this.env.local(this.word(k));
    }
  }

  // ---- references and loggers ----

  private locateReferences(): void {
    const { buf, refs } = this;
    for (let i = 0; i < refs.length; i++) {
      const span = refs[i]!.span;
      let t = lowerBound(buf.start, this.count, span.start);
      // Python's LINE tokens (and JSX's end markers) are empty and share the next token's start.
      while (t < this.count && buf.start[t] === span.start && buf.end[t] === buf.start[t]) t++;
      if (t >= this.count || buf.start[t] !== span.start || this.refEnd.has(t)) continue;
      let e = t;
      while (e + 1 < this.count && buf.end[e]! < span.end && buf.kind[e + 1] !== LINE) e++;
      this.refEnd.set(t, e);
      this.refIndex.set(t, i);
      this.refStarts.push(t);
    }
    this.refStarts.sort((x, y) => x - y);
  }

  /**
   * Tokens that may make a sink (a word of sinkWords) or name a function whose return is shown,
   * in order: a function with none in its extent, nested functions included, leaks nothing and is
   * not walked. Found by indexTokens.
   */
  private sinkTokens: number[] = [];

  private maySink(from: number, to: number): boolean {
    const tokens = this.sinkTokens;
    const first = lowerBound(tokens, tokens.length, from);
    return first < tokens.length && tokens[first]! < to;
  }

  /**
   * One pass over the tokens for what the walk needs to know of the whole document before it
   * starts: the loggers (`name = logging.getLogger(…)` and the other factories, anywhere) and the
   * sink tokens (see sinkTokens).
   */
  private indexTokens(): void {
    const { buf, text } = this;
    const words = this.python ? SINK_WORDS.python : SINK_WORDS.javascript;
    const out = this.sinkTokens;
    const kinds = buf.kind;
    const count = this.count;
    for (let t = 0; t < count; t++) {
      const kind = kinds[t];
      if (kind !== IDENT && kind !== STRING) continue;
      const start = buf.start[t]!;
      const end = buf.end[t]!;
      if (kind === IDENT) {
        // A logger factory's call: the callee's own name first (`getLogger`, `get_logger`, `createLogger`, `pino`), in place.
        if (FACTORY_NAMES.has(text, start, end) && isOpen(buf, t + 1, CH_LPAREN)) this.collectLogger(t);
        // A sink word, compared in place.
        if (words.has(text, start, end)) {
          out.push(t);
          continue;
        }
        // A function's name, where functions are named, that is a display function's.
        if (namesFunction(buf, t + 1) && mayName(text, start, end) && isDisplayFunctionAt(text, start, end)) out.push(t);
      } else if (end - start <= MAX_NAME && end - start > 2 && namesFunction(buf, t + 1) && mayName(text, start + 1, end - 1)) {
        // A member named by a string (`'showToken': () => …`): the name between the quotes.
        const name = STRING_NAME.exec(text.slice(start, end));
        if (name !== null && isDisplayFunction(name[1]!)) out.push(t);
      }
    }
  }

  /** Whether a reference starts in tokens [from, to). */
  private hasReference(from: number, to: number): boolean {
    const starts = this.refStarts;
    const first = lowerBound(starts, starts.length, from);
    return first < starts.length && starts[first]! < to;
  }

  protected isReference(t: number): boolean {
    return this.refEnd.has(t);
  }

  private source(t: number): Taint {
    const i = this.refIndex.get(t)!;
    const ref = this.refs[i]!;
    const env = ref.form === 'env';
    let message: string;
    if (ref.name === null) message = env ? 'read an environment variable whose name is computed' : 'read a secret whose name is computed';
    else message = env ? `read environment variable '${ref.name}'` : `read secret '${ref.name}'`;
    return [{ ref: i, step: { span: { start: ref.span.start, end: ref.span.end }, message }, prev: null }];
  }

  /** `name = logging.getLogger(…)` (and the other factories): `t` is the callee's last name, before its `(`. */
  private collectLogger(t: number): void {
    const { buf } = this;
    const k = this.pathStart(t);
    if (!isLoggerFactory(this.dottedPath(k, t + 1)) || !isOp(buf, k - 1, OP_ASSIGN)) return;
    let last = k - 2;
    let first = this.pathStart(last);
    // `log: Logger = …`
    if (first >= 0 && isOp(buf, first - 1, OP_COLON)) {
      last = first - 2;
      first = this.pathStart(last);
    }
    const path = first >= 0 ? this.dottedPath(first, last + 1) : null;
    if (path !== null) this.loggers.add(path);
  }

  // ---- tokens ----

  protected word(t: number): string {
    return this.text.slice(this.buf.start[t]!, this.buf.end[t]!);
  }

  protected isWord(t: number, word: string): boolean {
    return tokenIs(this.text, this.buf, t, word);
  }

  /** The token after `t`, or after the group `t` opens, not beyond `limit`. */
  protected skip(t: number, limit: number): number {
    return skipGroup(this.buf, t, limit);
  }

  /** The closing token of the group opened at `t`, or `limit` when it is not closed before it. */
  protected closeOf(t: number, limit: number): number {
    const m = this.buf.match[t]!;
    return m >= 0 && m < limit ? m : limit;
  }

  /** The first top-level operator `op` in [from, to), or `to`. */
  protected findOp(from: number, to: number, op: number): number {
    for (let k = from; k < to; k = this.skip(k, to)) if (isOp(this.buf, k, op)) return k;
    return to;
  }

  /** The first top-level word `word` in [from, to), or `to`. */
  protected findWord(from: number, to: number, word: string): number {
    for (let k = from; k < to; k = this.skip(k, to)) if (this.isWord(k, word)) return k;
    return to;
  }

  protected hasTopLevelComma(from: number, to: number): boolean {
    return this.findOp(from, to, OP_COMMA) < to;
  }

  /** Python: the `for` of a comprehension in [from, to), or -1. */
  protected findFor(from: number, to: number): number {
    if (!this.python) return -1;
    const k = this.findWord(from, to, 'for');
    return k < to ? k : -1;
  }

  /**
   * The end of the element starting at `from`: the next top-level comma, or `to`. What
   * `findOp(from, to, OP_COMMA)` finds, read from a table made once per document: a walk per
   * element made nested elements quadratic (`lambda: lambda: …`, each body to the statement's end).
   */
  protected elementEnd(from: number, to: number): number {
    if (from >= to) return to;
    this.commaAhead ??= commaTable(this.buf, this.count);
    const c = this.commaAhead[from]!;
    return c < to ? c : to;
  }

  /** `a.b.c` exactly covering tokens [from, to): its text; null for anything else. */
  protected dottedPath(from: number, to: number): string | null {
    const { buf } = this;
    if (from >= to || buf.kind[from] !== IDENT || (to - from) % 2 === 0) return null;
    for (let k = from + 1; k < to; k += 2) {
      if (!isOp(buf, k, OP_DOT) || buf.kind[k + 1] !== IDENT) return null;
    }
    return to === from + 1 ? this.word(from) : this.text.slice(buf.start[from]!, buf.end[to - 1]!).replace(/\s+/g, '');
  }

  /** The first token of the dotted name that ends at `last` (`a.b.c` → `a`); -1 when `last` is no name. */
  protected pathStart(last: number): number {
    const { buf } = this;
    if (last < 0 || buf.kind[last] !== IDENT) return -1;
    let k = last;
    while (isOp(buf, k - 1, OP_DOT) && buf.kind[k - 2] === IDENT) k -= 2;
    return k;
  }

  protected lineBreakBefore(t: number): boolean {
    return t > 0 && lineBreakBetween(this.text, this.buf, t - 1, t);
  }

  /** Whether identifier `t` could be one of the short lower-case words the evaluator looks at. */
  private mayBeKeyword(t: number): boolean {
    const len = this.buf.end[t]! - this.buf.start[t]!;
    const c = this.text.charCodeAt(this.buf.start[t]!);
    return len >= 3 && len <= 6 && c >= 97 && c <= 122;
  }

  /** `++` / `--`. */
  protected isIncDec(t: number): boolean {
    const { buf, text } = this;
    if (buf.kind[t] !== OP || buf.end[t]! - buf.start[t]! !== 2) return false;
    const c = text.charCodeAt(buf.start[t]!);
    return (c === 43 || c === 45) && text.charCodeAt(buf.start[t]! + 1) === c;
  }

  /** `&&` / `||`. */
  private isLogical(t: number): boolean {
    const { buf, text } = this;
    if (buf.kind[t] !== OP || buf.aux[t] !== OP_OTHER || buf.end[t]! - buf.start[t]! !== 2) return false;
    const c = text.charCodeAt(buf.start[t]!);
    return (c === 38 || c === 124) && text.charCodeAt(buf.start[t]! + 1) === c;
  }

  /** A step at tokens [from, last]. */
  protected step(from: number, last: number, message: string): FlowStep {
    const { buf } = this;
    return { span: { start: buf.start[from]!, end: buf.end[Math.max(from, last)]! }, message };
  }

  /** A string literal's key for a message (`'password'`), or null when it is not a plain short one. */
  private keyName(from: number, to: number): string | null {
    if (to !== from + 1 || this.buf.kind[from] !== STRING) return null;
    const value = literalOf(this.text, this.buf, from, to, this.python).value;
    return value !== null && /^[\w.\- ]{1,40}$/.test(value) ? `'${value}'` : null;
  }

  // ---- findings ----

  /** Reports what `taint` carries into sink `sink` at tokens [from, to); once per (site, source). */
  protected leak(sink: string, from: number, to: number, taint: Taint, message: string, site: number): void {
    if (taint === null || from >= to) return;
    const { buf } = this;
    const span = { start: buf.start[from]!, end: buf.end[to - 1]! };
    for (const o of taint) {
      const key = `${site}:${o.ref}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      const steps = stepsOf(o);
      steps.push({ span: { ...span }, message });
      this.leaks.push({ source: this.refs[o.ref]!, sink, span, steps: shownSteps(steps) });
    }
  }

  /** What the current function returns at tokens [from, to), when its name says it is shown. */
  protected returned(from: number, to: number, v: Taint): void {
    if (v === null || !this.fn.display) return;
    const name = this.fn.name!;
    this.leak(`return from ${name}`, from, to, v, `returned from ${name}`, from);
  }

  /**
   * `raise X(…)` / `throw new X(…)` with the expression at [from, to): when it calls the
   * exception's class, each argument is its message; otherwise the raised value itself.
   */
  protected raised(keyword: 'raise' | 'throw', from: number, to: number): void {
    const { buf } = this;
    if (from >= to) return;
    let s = from;
    let sink: string = keyword;
    if (!this.python && this.isWord(s, 'new')) {
      s++;
      sink = `${keyword} new`;
    }
    let k = s;
    if (buf.kind[k] === IDENT) {
      k++;
      while (isOp(buf, k, OP_DOT) && buf.kind[k + 1] === IDENT) k += 2;
    }
    const verb = keyword === 'raise' ? 'raised' : 'thrown';
    if (k > s && isOpen(buf, k, CH_LPAREN) && this.closeOf(k, to) === to - 1 && !this.isReference(from)) {
      const callee = this.dottedPath(s, k)!;
      for (const arg of this.splitArgs(k + 1, to - 1)) {
        const v = this.evalArg(arg);
        this.leak(`${sink} ${callee}`, arg.from, arg.to, v, `${verb} in ${callee}`, from);
      }
      return;
    }
    const v = this.evalExpr(from, to);
    const name = this.dottedPath(from, to);
    this.leak(name !== null ? `${keyword} ${name}` : keyword, from, to, v, verb, from);
  }

  // ---- targets ----

  /**
   * What each of two loop targets takes from an iterable [from, to) of key (or index) and value
   * pairs: `d.items()` and `enumerate(x)` in Python, `Object.entries(o)` and `m.entries()` in
   * JavaScript. The key takes nothing (a dict's keys are names, as `.keys()` is a sanitiser; an
   * index is a number), the value what the iterable carries: in
   * `for name, value in required.items(): missing.append(name)` only `value` is the secret.
   * Null for any other iterable: every target takes everything.
   */
  protected pairElements(from: number, to: number, taint: Taint): readonly Taint[] | null {
    const { buf } = this;
    if (taint === null || to - from < 3 || buf.kind[to - 1] !== CLOSE || buf.aux[to - 1] !== CH_RPAREN) return null;
    const open = buf.match[to - 1]!;
    if (open < from + 1) return null;
    const callee = this.dottedPath(from, open);
    const method = open - 2 > from && isOp(buf, open - 2, OP_DOT) && buf.kind[open - 1] === IDENT ? this.word(open - 1) : null;
    const empty = open + 1 === to - 1;
    const pairs = this.python
      ? (method === 'items' && empty) || callee === 'enumerate'
      : (method === 'entries' && empty) || callee === 'Object.entries';
    return pairs ? [null, taint] : null;
  }

  /** Whether tokens [from, to) are a tuple / list / destructuring pattern rather than one target. */
  protected isPattern(from: number, to: number): boolean {
    const { buf } = this;
    if (from >= to) return false;
    if (buf.kind[from] === OPEN && this.closeOf(from, to) === to - 1) return buf.aux[from] !== CH_LBRACE || !this.python;
    return this.hasTopLevelComma(from, to);
  }

  /**
   * Binds target [from, to) to `taint`: a name or `a.b` (replacing what it holds, see
   * Env.assign), `x[k]` (adding to `x`: a dict / list holds what is stored in it), a tuple / list / object pattern (each name; element by
   * element when `elements` has one per name).
   */
  protected bindTarget(from: number, to: number, taint: Taint, elements: readonly Taint[] | null, how: number): void {
    const { buf } = this;
    if (from >= to || this.depth >= MAX_DEPTH) return;
    if (buf.kind[from] === OPEN && this.closeOf(from, to) === to - 1) {
      this.depth++;
      if (buf.aux[from] !== CH_LBRACE) this.bindList(from + 1, to - 1, taint, elements, how);
      else if (!this.python) this.bindObjectPattern(from + 1, to - 1, taint);
      this.depth--;
      return;
    }
    if (this.hasTopLevelComma(from, to)) {
      this.depth++;
      this.bindList(from, to, taint, elements, how);
      this.depth--;
      return;
    }
    let s = from;
    if (isOp(buf, s, OP_STAR) || isOp(buf, s, OP_ELLIPSIS)) s++;
    // JavaScript: a default value in a pattern (`[a = 1] = …`) is not part of the target.
    const e = this.python ? to : this.findOp(s, to, OP_ASSIGN);
    const path = this.dottedPath(s, e);
    if (path !== null) {
      const verb = how === ITERATE ? 'iterated into' : how === UNPACK ? 'unpacked into' : 'assigned to';
      // `self.token = …` / `session.auth = …` binds that attribute, not the object: what the
      // object's methods return is not the value (`session.post(…)` is the intended use).
      const bound = extend(taint, this.step(s, e - 1, `${verb} ${path}`));
      this.env.assign(path, bound, this.block);
      // Its keys, told apart until now, hold whatever the new value holds.
      const fields = this.fieldsOf.size > 0 ? this.fieldsOf.get(path) : undefined;
      if (fields !== undefined) for (const field of fields) this.env.assign(field, bound, this.block);
      return;
    }
    // `headers['Authorization'] = …` stores into `headers`.
    if (e - 1 > s && buf.kind[e - 1] === CLOSE && buf.aux[e - 1] === CH_RBRACKET) {
      const open = buf.match[e - 1]!;
      const base = open > s ? this.dottedPath(s, open) : null;
      if (base !== null) {
        this.evalExpr(open + 1, e - 1);
        const stored = extend(taint, this.step(s, e - 1, `stored in ${base}`));
        const key = this.keyName(open + 1, e - 1);
        // A constant key: that key now holds this value (and the container it too); any other
        // key may be any of them.
        if (key !== null) {
          this.env.add(base, stored, this.block);
          this.bindField(base, key, stored);
        } else this.addToContainer(base, stored);
      }
    }
  }

  /**
   * Keys of a dict or object told apart (`cfg = {"api_key": key, "model": "gpt-4"}`, then
   * `cfg["model"]` carries nothing): per container path, the paths of its keys bound in the
   * environment (`cfg['model']` in Python, `cfg.model` in JavaScript). Reading a key with no
   * binding of its own reads the whole container, as before.
   */
  private readonly fieldsOf = new Map<string, Set<string>>();

  /** The environment's name for key `key` (as keyName gives it: quoted) of the container at `path`. */
  private fieldPath(path: string, key: string): string {
    if (this.python) return `${path}[${key}]`;
    const bare = key.slice(1, -1);
    return /^[A-Za-z_$][\w$]*$/.test(bare) ? `${path}.${bare}` : `${path}[${key}]`;
  }

  private bindField(path: string, key: string, taint: Taint): void {
    const field = this.fieldPath(path, key);
    let fields = this.fieldsOf.get(path);
    if (fields === undefined) this.fieldsOf.set(path, (fields = new Set()));
    fields.add(field);
    this.env.assign(field, taint, this.block);
  }

  /** What a key of the container at `path` holds when one is known; undefined when none is. */
  private fieldRead(path: string | null, key: string | null): Taint | undefined {
    if (path === null || key === null || this.fieldsOf.size === 0) return undefined;
    return this.env.lookup(this.fieldPath(path, key), this.block);
  }

  /** `taint` added to the container at `path` under a key not known, so to each of its known keys too. */
  private addToContainer(path: string, taint: Taint): void {
    this.env.add(path, taint, this.block);
    const fields = this.fieldsOf.size > 0 ? this.fieldsOf.get(path) : undefined;
    if (fields !== undefined) for (const field of fields) this.env.add(field, taint, this.block);
  }

  /**
   * After `target = {…}` (a plain name, `value` the dict or object literal [from, to) that carried
   * `whole`): each constant key is bound to what its own value carries, so that reading another key
   * than the secret's is clean. Only when the literal carries something (a second look at its
   * values), and only when every key is a constant: a `**spread`, a computed key or a method makes
   * the keys unknown.
   */
  protected bindFields(s: number, e: number, from: number, to: number, whole: Taint): void {
    const { buf } = this;
    if (whole === null || from >= to || buf.kind[from] !== OPEN || buf.aux[from] !== CH_LBRACE || this.closeOf(from, to) !== to - 1) return;
    const path = this.dottedPath(s, e);
    if (path === null || (this.python && this.findFor(from + 1, to - 1) >= 0)) return;
    const entries: Array<{ key: string; from: number; to: number }> = [];
    for (let a = from + 1; a < to - 1; ) {
      const k = this.elementEnd(a, to - 1);
      if (k > a) {
        const keyed = (buf.kind[a] === STRING || (!this.python && buf.kind[a] === IDENT)) && isOp(buf, a + 1, OP_COLON);
        const key = keyed ? (buf.kind[a] === IDENT ? `'${this.word(a)}'` : this.keyName(a, a + 1)) : !this.python && k === a + 1 && buf.kind[a] === IDENT ? `'${this.word(a)}'` : null;
        if (key === null) return;
        entries.push({ key, from: keyed ? a + 2 : a, to: k });
      }
      a = k + 1;
    }
    const group = this.step(from, to - 1, this.python ? 'put in a dict' : 'put in an object');
    const assigned = this.step(s, e - 1, `assigned to ${path}`);
    for (const entry of entries) {
      const v = entry.from < entry.to ? this.evalExpr(entry.from, entry.to) : null;
      this.bindField(path, entry.key, v === null ? null : extend(extend(v, group), assigned));
    }
  }

  private bindList(from: number, to: number, taint: Taint, elements: readonly Taint[] | null, how: number): void {
    const parts: Array<[number, number]> = [];
    let a = from;
    while (a < to) {
      const k = this.elementEnd(a, to);
      if (k > a) parts.push([a, k]);
      a = k + 1;
    }
    const each = elements !== null && elements.length === parts.length;
    parts.forEach(([s, e], i) => this.bindTarget(s, e, each ? elements[i]! : taint, null, how === ITERATE ? ITERATE : UNPACK));
  }

  /**
   * JavaScript: `{a, b: c, d = 1, ...rest}`. A property that says something about the value, not
   * the value (`const { length } = token`), binds nothing, as `token.length` does.
   */
  private bindObjectPattern(from: number, to: number, taint: Taint): void {
    const { buf } = this;
    let a = from;
    while (a < to) {
      const k = this.elementEnd(a, to);
      if (k > a) {
        const colon = this.findOp(a, k, OP_COLON);
        const key = buf.kind[a] === IDENT ? this.text.slice(buf.start[a]!, buf.end[a]!) : null;
        const value = key !== null && isSanitiserProperty(key, false) ? null : taint;
        if (isOp(buf, a, OP_ELLIPSIS)) this.bindTarget(a + 1, k, taint, null, UNPACK);
        else if (colon < k) this.bindTarget(colon + 1, k, value, null, UNPACK);
        else this.bindTarget(a, k, value, null, UNPACK);
      }
      a = k + 1;
    }
  }

  /**
   * `targets = value` with the `=` signs at `eqs` and the value up to `to`; `firstEnd`, when not
   * -1, ends the first target before its annotation (`x: str = …`).
   */
  protected assignStatement(from: number, firstEnd: number, eqs: readonly number[], to: number): void {
    const last = eqs[eqs.length - 1]!;
    const targets: Array<[number, number]> = [];
    let a = from;
    eqs.forEach((eq, i) => {
      targets.push([a, i === 0 && firstEnd >= 0 ? firstEnd : eq]);
      a = eq + 1;
    });
    let taint: Taint;
    let elements: Taint[] | null = null;
    if (targets.some(([s, e]) => this.isPattern(s, e))) ({ taint, elements } = this.evalElements(last + 1, to));
    else {
      const [s, e] = targets[targets.length - 1]!;
      const path = this.dottedPath(s, e);
      this.lastRequest = null;
      taint = this.evalValue(last + 1, to, path !== null ? path.slice(path.lastIndexOf('.') + 1) : null);
      const request = this.lastRequest;
      for (const [ts, te] of targets) {
        this.bindTarget(ts, te, taint, null, ASSIGN);
        this.bindResponse(ts, te, to, request);
        this.bindFields(ts, te, last + 1, to, taint);
      }
      return;
    }
    for (const [s, e] of targets) this.bindTarget(s, e, taint, elements, ASSIGN);
  }

  /**
   * After `target = value` (a plain name): when the value is an HTTP request (`request`, the last
   * one evaluated, ending at `valueEnd`) whose URL carried a secret (see REQUESTS), the response's
   * `url` attribute carries it too (`print(resp.url)`); a later assignment of anything else to the
   * name clears it. Until some response is bound, assignments pay nothing for this.
   */
  protected bindResponse(s: number, e: number, valueEnd: number, request: { end: number; url: Taint } | null): void {
    const bind = request !== null && request.end === valueEnd && request.url !== null;
    if (!bind && !this.responsesBound) return;
    const path = this.dottedPath(s, e);
    if (path === null) return;
    for (const attribute of REQUESTS.responseAttributes) {
      const key = `${path}.${attribute}`;
      if (bind) {
        this.responsesBound = true;
        this.env.assign(key, extend(request.url, this.step(s, e - 1, `response assigned to ${path}: its ${attribute} is the request's`)), this.block);
      } else if (this.env.lookup(key, this.block) !== undefined) this.env.assign(key, null, this.block);
    }
  }

  /** Whether bindResponse has bound a response's attributes in this analysis (see there). */
  private responsesBound = false;

  /** `target op= value` with the operator at `op`. */
  protected augmented(from: number, op: number, to: number): void {
    const v = this.evalExpr(op + 1, to);
    if (v === null) return;
    const path = this.dottedPath(from, op);
    if (path === null) {
      this.bindTarget(from, op, v, null, ASSIGN);
      return;
    }
    const plus = this.text.charCodeAt(this.buf.start[op]!) === 43;
    this.addToContainer(path, extend(v, this.step(from, op - 1, `${plus ? 'appended to' : 'combined into'} ${path}`)));
  }

  // ---- expressions ----

  /** The value of [from, to), which a function there is named after (`show = lambda: …`). */
  protected evalValue(from: number, to: number, name: string | null): Taint {
    const saved = this.hint;
    this.hint = name !== null ? { tok: from, name } : null;
    const v = this.evalExpr(from, to);
    this.hint = saved;
    return v;
  }

  private takeHint(start: number): string | null {
    const h = this.hint;
    if (h === null || h.tok !== start) return null;
    this.hint = null;
    return h.name;
  }

  /** A tuple / list value [from, to) element by element (for `a, b = x, y`). */
  protected evalElements(from: number, to: number): { taint: Taint; elements: Taint[] | null } {
    const { buf } = this;
    let a = from;
    let b = to;
    const wrap = buf.kind[from] === OPEN && buf.aux[from] !== CH_LBRACE && this.closeOf(from, to) === to - 1 ? from : -1;
    if (wrap >= 0) {
      a++;
      b--;
    }
    if (!this.hasTopLevelComma(a, b) || this.findFor(a, b) >= 0) return { taint: this.evalExpr(from, to), elements: null };
    const elements: Taint[] = [];
    let taint: Taint = null;
    while (a < b) {
      const k = this.elementEnd(a, b);
      if (k > a) {
        const v = this.evalExpr(a, k);
        elements.push(v);
        taint = union(taint, v);
      }
      a = k + 1;
    }
    if (wrap >= 0) {
      const message = buf.aux[wrap] === CH_LPAREN ? 'put in a tuple' : this.python ? 'put in a list' : 'put in an array';
      taint = extend(taint, this.step(wrap, to - 1, message));
    }
    return { taint, elements };
  }

  /** What the expression [from, to) may carry, doing what evaluating it does. */
  protected evalExpr(from: number, to: number): Taint {
    this.commas = 0;
    this.colons = 0;
    if (from >= to || this.depth >= MAX_DEPTH) return null;
    this.depth++;
    const v = this.expr(from, to);
    this.depth--;
    return v;
  }

  private expr(a: number, b: number): Taint {
    const { buf, python } = this;
    const st = (this.states[this.depth] ??= new ExprState());
    st.reset();
    let expect = true;
    let commas = 0;
    let colons = 0;
    let t = a;
    while (t < b) {
      const kind = buf.kind[t];
      if (expect) {
        if (!this.refEnd.has(t)) {
          if (kind === IDENT && this.mayBeKeyword(t)) {
            const w = this.word(t);
            if (isNegationWord(w, python)) {
              st.clean = true;
              t++;
              continue;
            }
            if (w === 'await' || w === 'yield' || (python && w === 'from' && this.isWord(t - 1, 'yield'))) {
              t++;
              continue;
            }
            if (python && w === 'lambda') {
              t = this.lambda(t, b);
              expect = false;
              continue;
            }
          }
          if (kind === IDENT && (python ? isOp(buf, t + 1, OP_WALRUS) : isOp(buf, t + 1, OP_ASSIGN))) {
            // `(n := value)`; JavaScript's `(x = value)`: binds, and is the value.
            const w = this.word(t);
            const end = this.elementEnd(t + 2, b);
            const v = this.evalValue(t + 2, end, w);
            this.env.assign(w, extend(v, this.step(t, t, `assigned to ${w}`)), this.block);
            st.add(v, t, end - 1);
            t = end;
            expect = false;
            continue;
          } else if (kind === OP) {
            const op = buf.aux[t];
            if (op === OP_COMMA) {
              this.endElement(st);
              commas++;
            } else if (op === OP_COLON) {
              colons++;
              this.endAlternative(st);
            } else if (!python && op === 33) st.clean = true; // !x
            // Anything else here is a prefix (`-x`, `*args`, `...rest`, `++i`) or stray.
            t++;
            continue;
          } else if (kind === CLOSE || kind === TPL_MID || kind === TPL_TAIL || kind === LINE) {
            t++;
            continue;
          }
        }
        const v = this.operand(t, b);
        st.add(v, t, this.pos - 1);
        t = this.pos;
        expect = false;
        continue;
      }
      // After an operand: an operator, or the next element.
      if (kind === OP) {
        const op = buf.aux[t]!;
        if (op === OP_COMMA) {
          this.endElement(st);
          commas++;
          expect = true;
        } else if (op === OP_CMP || ((op === 60 || op === 62) && buf.end[t]! - buf.start[t]! === 1)) {
          st.clean = true;
          expect = true;
        } else if (op === OP_COLON) {
          colons++;
          this.endAlternative(st);
          expect = true;
        } else if (!python && op === 63) {
          if (isOp(buf, t + 1, 63) && buf.start[t + 1] === buf.end[t]) {
            this.endOperand(st); // ??
            t++;
          } else st.discard(); // `cond ? a : b`: what came before is the condition
          expect = true;
        } else if (op === OP_ASSIGN || op === OP_AUG || op === OP_WALRUS) {
          st.discard(); // `a.b = value` inside an expression: the value is what follows
          expect = true;
        } else if (!python && (op === 33 || this.isIncDec(t))) {
          // `x!` (TypeScript), `i++`: still after an operand
        } else if (this.isLogical(t)) {
          this.endOperand(st);
          expect = true;
        } else if (op === OP_SEMI) {
          this.endElement(st);
          expect = true;
        } else if (op === OP_ARROW) {
          t = this.elementEnd(t + 1, b); // an arrow function we did not recognise: not a value here
          continue;
        } else {
          if (op === 37) st.percent = true;
          else if (op === 43) st.plus = true;
          if (st.runOp < 0) st.runOp = t;
          expect = true;
        }
        t++;
        continue;
      }
      if (kind === IDENT) {
        const w = this.word(t);
        if (python && (w === 'and' || w === 'or')) {
          this.endOperand(st);
          expect = true;
          t++;
          continue;
        }
        if (python && w === 'if') {
          // `value if condition else other`
          this.endAlternative(st);
          const e = this.findWord(t + 1, b, 'else');
          this.evalExpr(t + 1, e);
          t = e < b ? e + 1 : b;
          expect = true;
          continue;
        }
        if (python && w === 'not') {
          st.clean = true; // `not in`
          t++;
          continue;
        }
        if (isComparisonWord(w, python)) {
          st.clean = true;
          expect = true;
          t++;
          continue;
        }
        if (!python && (w === 'as' || w === 'satisfies')) {
          t = this.typeEnd(t + 1, b);
          continue;
        }
        if (python && (w === 'for' || w === 'async')) {
          t = b; // a comprehension the caller did not see: not followed
          continue;
        }
      }
      // Another operand right after one: implicit string concatenation, JSX children, broken code.
      expect = true;
    }
    this.endElement(st);
    this.commas = commas;
    this.colons = colons;
    return st.tuple;
  }

  private endOperand(st: ExprState): void {
    if (st.run !== null && !st.clean) {
      let r: Taint = st.run;
      if (st.runOp >= 0) {
        const message = st.percent ? 'formatted with %' : st.plus ? 'concatenated with +' : `combined with ${this.word(st.runOp)}`;
        r = extend(r, this.step(st.runStart, st.runEnd, message));
      }
      st.bools = union(st.bools, r);
    }
    st.discardRun();
  }

  private endAlternative(st: ExprState): void {
    this.endOperand(st);
    st.alts = union(st.alts, st.bools);
    st.bools = null;
  }

  private endElement(st: ExprState): void {
    this.endAlternative(st);
    st.tuple = union(st.tuple, st.alts);
    st.alts = null;
  }

  /** TypeScript: the end of the type after `as` / `satisfies`. */
  private typeEnd(k: number, b: number): number {
    const { buf } = this;
    while (k < b) {
      const kind = buf.kind[k];
      if (kind === IDENT || kind === STRING || kind === NUMBER || kind === OPEN) {
        k = this.skip(k, b);
        continue;
      }
      if (kind === OP) {
        const op = buf.aux[k];
        if (op === OP_DOT || op === 124 || op === 38 || op === 60 || op === 62 || op === OP_ARROW) {
          k++;
          continue;
        }
      }
      break;
    }
    return k;
  }

  /** One operand: a primary (name, reference, literal, group, function) and what follows it (`.x`, `(…)`, `[…]`). */
  private operand(t0: number, b: number): Taint {
    const { buf, python } = this;
    let t = t0;
    let taint: Taint = null;
    /** The chain's dotted path while it is names only (`self.logger`). */
    let path: string | null = null;
    /** The chain as written, for messages (`logging.getLogger(…)`). */
    let shown: string | null = null;
    let isLogger = false;
    const refEnd = this.refEnd.get(t);
    if (refEnd !== undefined) {
      taint = this.source(t);
      t = refEnd + 1 <= b ? refEnd + 1 : b;
    } else {
      const kind = buf.kind[t];
      if (kind === IDENT) {
        const w = this.word(t);
        if (!python) {
          const end = this.functionValue(t, b);
          if (end >= 0) {
            this.pos = end;
            return null;
          }
        }
        if (!python && w === 'new') {
          let k = t + 1;
          while (buf.kind[k] === IDENT && k < b) {
            k++;
            if (!isOp(buf, k, OP_DOT)) break;
            k++;
          }
          const callee = this.dottedPath(t + 1, k);
          if (callee !== null && isOpen(buf, k, CH_LPAREN) && k < b) {
            const name = callee.slice(callee.lastIndexOf('.') + 1);
            taint = this.call(t, k, b, { path: callee, name, method: false, receiver: null }, null, callee);
            t = this.pos;
            shown = `new ${callee}(…)`;
          } else t = Math.max(k, t + 1);
        } else if (python ? PY_CONSTANTS.has(w) : JS_CONSTANTS.has(w)) t++;
        else {
          path = w;
          shown = w;
          taint = this.env.lookup(w, this.block) ?? null;
          t++;
        }
      } else if (kind === TPL_HEAD) {
        taint = this.template(t, b);
        t = this.pos;
      } else if (kind === OPEN) {
        if (!python && buf.aux[t] === CH_LPAREN) {
          const end = this.arrowAt(t, t, b);
          if (end >= 0) {
            this.pos = end;
            return null;
          }
        }
        taint = this.group(t, b);
        t = this.pos;
      } else {
        t++;
        if (python) while (t < b && buf.kind[t] === STRING) t++; // 'a' 'b'
      }
    }
    while (t < b) {
      const kind = buf.kind[t];
      if (kind === OP) {
        const op = buf.aux[t];
        if (op === OP_DOT || (!python && op === OP_OPTDOT)) {
          const n = t + 1;
          if (!python && buf.kind[n] === OPEN) {
            t = n; // a?.(x), a?.[k]
            continue;
          }
          if (n >= b || buf.kind[n] !== IDENT) {
            t = n;
            break;
          }
          const name = this.word(n);
          let open = n + 1;
          if (!python && isOp(buf, open, OP_OPTDOT) && isOpen(buf, open + 1, CH_LPAREN)) open++;
          const full = path !== null ? `${path}.${name}` : null;
          if (open < b && isOpen(buf, open, CH_LPAREN)) {
            const site = { path: full, name, method: true, receiver: path, receiverIsLogger: isLogger };
            taint = this.call(t0, open, b, site, taint, shown !== null ? `${shown}.${name}` : name);
            isLogger = this.lastCallMadeLogger;
            shown = shown !== null ? `${shown}.${name}(…)` : null;
            path = null;
            t = this.pos;
            continue;
          }
          if (isSanitiserProperty(name, python)) taint = null;
          else {
            const bound = full !== null ? this.env.lookup(full, this.block) : undefined;
            if (bound !== undefined) taint = bound;
            else if (taint !== null) taint = extend(taint, this.step(t0, n, `read attribute '${name}'`));
          }
          path = full;
          shown = shown !== null ? `${shown}.${name}` : null;
          isLogger = false;
          t = n + 1;
          continue;
        }
        if (!python && op === 33 && !isOp(buf, t + 1, OP_ASSIGN)) {
          t++; // TypeScript's `x!`
          continue;
        }
        break;
      }
      if (kind === OPEN) {
        const ch = buf.aux[t];
        if (ch === CH_LPAREN) {
          const name = path !== null ? path.slice(path.lastIndexOf('.') + 1) : null;
          taint = this.call(t0, t, b, { path, name, method: false, receiver: null }, null, shown ?? 'a call');
          isLogger = this.lastCallMadeLogger;
          shown = shown !== null ? `${shown}(…)` : null;
          path = null;
          t = this.pos;
          continue;
        }
        if (ch === CH_LBRACKET) {
          taint = this.subscript(t0, t, b, taint, path);
          shown = shown !== null ? `${shown}[…]` : null;
          path = null;
          isLogger = false;
          t = this.pos;
          continue;
        }
        break;
      }
      if (!python && (kind === TPL_HEAD || (kind === STRING && (buf.aux[t]! & S_TEMPLATE) !== 0))) {
        // A tagged template: the tag's result is not the text.
        if (kind === TPL_HEAD) this.template(t, b);
        else this.pos = t + 1;
        taint = null;
        path = null;
        shown = null;
        t = this.pos;
        continue;
      }
      break;
    }
    this.pos = t;
    return taint;
  }

  /** A call with `(` at `open`; `receiver` is what the receiver of a method carries. */
  private call(
    start: number,
    open: number,
    b: number,
    where: { path: string | null; name: string | null; method: boolean; receiver: string | null; receiverIsLogger?: boolean },
    receiver: Taint,
    shown: string,
  ): Taint {
    const close = this.closeOf(open, b);
    const end = close < b ? close + 1 : b;
    const args = this.splitArgs(open + 1, close);
    const site: CallSite = {
      python: this.python,
      path: where.path,
      name: where.name,
      method: where.method,
      receiver: where.receiver,
      receiverIsLogger: where.receiverIsLogger ?? false,
      loggers: this.loggers,
    };
    let out: Taint = null;
    let madeLogger = false;
    if (sinkOf(site) !== null) {
      for (const arg of args) {
        const v = this.evalArg(arg);
        if (arg.keyword === null || !NOT_CONTENT_KEYWORDS.includes(arg.keyword)) this.leak(shown, arg.from, arg.to, v, `passed to ${shown}`, open);
      }
    } else if (isSanitiserCall(site)) {
      for (const arg of args) this.evalArg(arg);
    } else {
      let carried: Taint = null;
      let url: Taint = null;
      let positional = 0;
      for (const arg of args) {
        const v = this.evalArg(arg);
        carried = union(carried, v);
        if (arg.keyword === 'url' || (arg.keyword === null && positional++ === 0)) url ??= v;
        else if (arg.keyword !== null && QUERY_KEYWORDS.includes(arg.keyword)) url = union(url, v);
      }
      if (isRequestCall(site)) {
        this.lastRequest = { end, url: extend(url, this.step(start, end - 1, `requested by ${shown}`)) };
        this.raisable(this.lastRequest.url);
      } else if (site.method && site.name === 'raise_for_status' && site.receiver !== null) {
        // `resp.raise_for_status()`: its HTTPError names the response's URL.
        const bound = this.env.lookup(`${site.receiver}.url`, this.block);
        if (bound !== undefined) this.raisable(extend(bound, this.step(start, end - 1, `raised for ${site.receiver}`)));
      }
      const message = propagation(site, shown);
      if (message !== null) out = extend(union(receiver, carried), this.step(start, end - 1, message));
      else if (isMutator(site)) {
        if (site.receiver !== null) this.addToContainer(site.receiver, extend(carried, this.step(start, end - 1, `added to ${site.receiver}`)));
      } else if (site.method && receiver !== null) {
        const key = site.name === 'get' && args.length > 0 ? this.keyName(args[0]!.from, args[0]!.to) : null;
        const field = this.fieldRead(site.receiver, key);
        const held = field !== undefined ? field : receiver;
        out = extend(held, this.step(start, end - 1, key !== null ? `read key ${key}` : `passed through .${site.name}()`));
      } else madeLogger = isLoggerFactory(site.path);
    }
    this.lastCallMadeLogger = madeLogger;
    this.pos = end;
    return out;
  }

  /** The arguments in [from, to): Python's `name=` keyword noted, `*` / `**` / `...` dropped. */
  protected splitArgs(from: number, to: number): Argument[] {
    const { buf } = this;
    const out: Argument[] = [];
    let a = from;
    while (a < to) {
      const k = this.elementEnd(a, to);
      let s = a;
      let keyword: string | null = null;
      if (this.python && buf.kind[s] === IDENT && isOp(buf, s + 1, OP_ASSIGN)) {
        keyword = this.word(s);
        s += 2;
      } else if (isOp(buf, s, OP_STAR) || isOp(buf, s, OP_POW) || isOp(buf, s, OP_ELLIPSIS)) s++;
      if (s < k) out.push({ from: s, to: k, keyword });
      a = k + 1;
    }
    return out;
  }

  /** An argument's value; Python's unbracketed generator (`f(x for x in y)`) included. */
  protected evalArg(arg: Argument): Taint {
    const f = this.findFor(arg.from, arg.to);
    return f >= 0 ? this.comprehension(arg.from, f, arg.to) : this.evalExpr(arg.from, arg.to);
  }

  /** `x[…]` with `[` at `open`, the expression starting at `start`. */
  private subscript(start: number, open: number, b: number, receiver: Taint, path: string | null): Taint {
    const close = this.closeOf(open, b);
    const end = close < b ? close + 1 : b;
    const key = this.keyName(open + 1, close);
    this.evalExpr(open + 1, close);
    const slice = this.python && this.colons > 0;
    this.pos = end;
    if (receiver === null) return null;
    const field = this.fieldRead(path, key);
    return extend(field !== undefined ? field : receiver, this.step(start, end - 1, key !== null ? `read key ${key}` : slice ? 'sliced' : 'read an element'));
  }

  /** An f-string / template literal with placeholders, head at `h`. */
  private template(h: number, b: number): Taint {
    const { buf } = this;
    const tail = this.closeOf(h, b);
    let taint: Taint = null;
    let from = h + 1;
    for (let k = from; k < tail; ) {
      if (buf.kind[k] === TPL_MID) {
        taint = union(taint, this.placeholder(from, k));
        from = k + 1;
        k++;
        continue;
      }
      k = this.skip(k, tail);
    }
    taint = union(taint, this.placeholder(from, tail));
    const last = tail < b ? tail : b - 1;
    this.pos = tail < b ? tail + 1 : b;
    return extend(taint, this.step(h, last, this.python ? 'formatted into an f-string' : 'formatted into a template literal'));
  }

  private placeholder(from: number, to: number): Taint {
    // Python's self-documenting `{x=}` shows the expression and its value.
    if (this.python && to > from && isOp(this.buf, to - 1, OP_ASSIGN)) to--;
    return this.evalExpr(from, to);
  }

  /** `(…)`, `[…]`, `{…}` as an operand. */
  private group(t: number, b: number): Taint {
    const { buf, python } = this;
    const ch = buf.aux[t];
    const close = this.closeOf(t, b);
    const end = close < b ? close + 1 : b;
    let v: Taint;
    let message: string | null;
    const f = python ? this.findFor(t + 1, close) : -1;
    if (f >= 0) {
      v = this.comprehension(t + 1, f, close);
      message = ch === CH_LPAREN ? 'put in a generator' : ch === CH_LBRACKET ? 'put in a list' : this.colons > 0 ? 'put in a dict' : 'put in a set';
    } else if (!python && ch === CH_LBRACE) {
      v = this.objectLiteral(t + 1, close);
      message = 'put in an object';
    } else {
      v = this.evalExpr(t + 1, close);
      if (ch === CH_LPAREN) message = this.commas > 0 ? 'put in a tuple' : null;
      else if (ch === CH_LBRACKET) message = python ? 'put in a list' : 'put in an array';
      else message = this.colons > 0 || close === t + 1 ? 'put in a dict' : 'put in a set';
    }
    if (message !== null) v = extend(v, this.step(t, end - 1, message));
    this.pos = end;
    return v;
  }

  /** Python: `element for targets in iterable if condition …` in [a, to), `for` at `f`. */
  protected comprehension(a: number, f: number, to: number): Taint {
    const saved = this.env;
    this.env = new Env(saved, this.blocks, this.block, true);
    let k = f;
    while (k < to) {
      if (this.isWord(k, 'for')) {
        const inTok = this.findWord(k + 1, to, 'in');
        let e = inTok + 1;
        while (e < to && !this.isWord(e, 'for') && !this.isWord(e, 'if') && !this.isWord(e, 'async')) e = this.skip(e, to);
        const v = inTok < to ? this.evalExpr(inTok + 1, e) : null;
        this.bindTarget(k + 1, inTok, v, inTok < to ? this.pairElements(inTok + 1, e, v) : null, ITERATE);
        k = e;
      } else if (this.isWord(k, 'if')) {
        let e = k + 1;
        while (e < to && !this.isWord(e, 'for') && !this.isWord(e, 'if') && !this.isWord(e, 'async')) e = this.skip(e, to);
        this.evalExpr(k + 1, e);
        k = e;
      } else k++;
    }
    const v = this.evalExpr(a, f);
    const colons = this.colons;
    this.env = saved;
    this.colons = colons;
    return v;
  }

  /** JavaScript: an object literal's members in [from, to). */
  private objectLiteral(from: number, to: number): Taint {
    const { buf } = this;
    let out: Taint = null;
    let a = from;
    while (a < to) {
      const k = this.elementEnd(a, to);
      if (k > a) {
        if (isOp(buf, a, OP_ELLIPSIS)) out = union(out, this.evalExpr(a + 1, k));
        else out = union(out, this.objectMember(a, k));
      }
      a = k + 1;
    }
    return out;
  }

  private objectMember(a: number, k: number): Taint {
    const { buf } = this;
    let n = a;
    // `async name(…) {…}`, `get name() {…}`, `*gen() {…}`
    while (n + 1 < k && buf.kind[n] === IDENT && (this.isWord(n, 'async') || this.isWord(n, 'get') || this.isWord(n, 'set')) && (buf.kind[n + 1] === IDENT || buf.kind[n + 1] === STRING || isOpen(buf, n + 1, CH_LBRACKET) || isOp(buf, n + 1, OP_STAR))) n++;
    if (isOp(buf, n, OP_STAR)) n++;
    let name: string | null = null;
    let after = n + 1;
    if (buf.kind[n] === IDENT) name = this.word(n);
    else if (buf.kind[n] === STRING) name = literalOf(this.text, buf, n, n + 1, false).value;
    else if (isOpen(buf, n, CH_LBRACKET)) {
      const c = this.closeOf(n, k);
      this.evalExpr(n + 1, c);
      after = c + 1;
    }
    if (after < k && isOpen(buf, after, CH_LPAREN)) {
      this.functionAfterName(name, after, k);
      return null;
    }
    if (isOp(buf, after, OP_COLON)) return this.evalValue(after + 1, k, name);
    if (after >= k && name !== null && buf.kind[n] === IDENT) return this.env.lookup(name, this.block) ?? null; // shorthand `{token}`
    return null;
  }

  // ---- functions in expressions ----

  /** Python: `lambda params: body` at `t`; returns where it ends. */
  private lambda(t: number, b: number): number {
    const name = this.takeHint(t);
    const colon = this.findOp(t + 1, b, OP_COLON);
    if (colon >= b) return b;
    const end = this.elementEnd(colon + 1, b);
    this.defer({ name, paramsFrom: t + 1, paramsTo: colon, from: colon + 1, to: end, body: BODY_EXPR, indent: 0 });
    return end;
  }

  /** JavaScript: an arrow function, function or class expression starting at word `t`; its end, or -1. */
  private functionValue(t: number, b: number): number {
    const { buf } = this;
    if (isOp(buf, t + 1, OP_ARROW)) return this.arrowBody(t, t, t + 1, t + 1, b);
    const w = this.word(t);
    if (w === 'function') return this.functionAt(t, b, this.takeHint(t));
    if (w === 'async') {
      if (this.isWord(t + 1, 'function')) return this.functionAt(t + 1, b, this.takeHint(t));
      if (buf.kind[t + 1] === IDENT && isOp(buf, t + 2, OP_ARROW)) return this.arrowBody(t, t + 1, t + 2, t + 2, b);
      if (isOpen(buf, t + 1, CH_LPAREN)) return this.arrowAt(t, t + 1, b);
    }
    if (w === 'class') {
      const body = this.findBody(t + 1, b);
      return body < 0 ? -1 : Math.min(this.closeOf(body, b) + 1, b);
    }
    return -1;
  }

  /** `(params) => body` with `(` at `open`, the expression starting at `start`; its end, or -1 when it is no arrow function. */
  protected arrowAt(start: number, open: number, b: number): number {
    const { buf } = this;
    const close = this.closeOf(open, b);
    if (close >= b) return -1;
    let arrow = close + 1;
    if (isOp(buf, arrow, OP_COLON)) {
      // A return type: `(x: string): Promise<void> => …`
      let k = arrow + 1;
      for (let steps = 0; k < b && steps < 64 && !isOp(buf, k, OP_ARROW); steps++) {
        if (buf.kind[k] === OP && (buf.aux[k] === OP_COMMA || buf.aux[k] === OP_SEMI || buf.aux[k] === OP_ASSIGN || buf.aux[k] === 63)) return -1;
        k = this.skip(k, b);
      }
      arrow = k;
    }
    if (!isOp(buf, arrow, OP_ARROW)) return -1;
    return this.arrowBody(start, open + 1, close, arrow, b);
  }

  private arrowBody(start: number, paramsFrom: number, paramsTo: number, arrow: number, b: number): number {
    const { buf } = this;
    const name = this.takeHint(start);
    const s = arrow + 1;
    if (isOpen(buf, s, CH_LBRACE)) {
      const c = this.closeOf(s, b);
      this.defer({ name, paramsFrom, paramsTo, from: s + 1, to: c, body: BODY_JS_BLOCK, indent: 0 });
      return c < b ? c + 1 : b;
    }
    const end = this.elementEnd(s, b);
    this.defer({ name, paramsFrom, paramsTo, from: s, to: end, body: BODY_EXPR, indent: 0 });
    return end;
  }

  /** JavaScript: `function [*] [name] (…) {…}` at `t`; its end. */
  protected functionAt(t: number, b: number, hint: string | null): number {
    const { buf } = this;
    let k = t + 1;
    if (isOp(buf, k, OP_STAR)) k++;
    let name = hint;
    if (buf.kind[k] === IDENT) {
      name = this.word(k);
      k++;
    }
    for (let steps = 0; k < b && steps < 64 && !isOpen(buf, k, CH_LPAREN) && !isOpen(buf, k, CH_LBRACE) && !isOp(buf, k, OP_SEMI); steps++) k = this.skip(k, b);
    if (!isOpen(buf, k, CH_LPAREN)) return Math.max(k, t + 1);
    return this.functionAfterName(name, k, b);
  }

  /** A function's parameters at `open`, then its body (after any return type); its end. */
  protected functionAfterName(name: string | null, open: number, b: number): number {
    const close = this.closeOf(open, b);
    if (close >= b) return b;
    const body = this.findBody(close + 1, b);
    if (body < 0) return close + 1;
    const c = this.closeOf(body, b);
    this.defer({ name, paramsFrom: open + 1, paramsTo: close, from: body + 1, to: c, body: BODY_JS_BLOCK, indent: 0 });
    return c < b ? c + 1 : b;
  }

  /**
   * JavaScript: the `{` of a body after a parameter list or a class heading, skipping a type
   * (`): { a: string } {`, `extends Base<{ x: 1 }> {`); -1 when there is none.
   */
  protected findBody(k: number, b: number): number {
    const { buf } = this;
    for (let steps = 0; k < b && steps < 256; steps++) {
      const kind = buf.kind[k];
      if (kind === OPEN && buf.aux[k] === CH_LBRACE) {
        const p = k - 1;
        const op = buf.kind[p] === OP ? buf.aux[p] : -1;
        const typeLiteral = op === OP_COLON || op === 124 || op === 38 || op === 60 || op === OP_COMMA || op === OP_ARROW;
        if (!typeLiteral) return k;
      }
      if (kind === CLOSE || (kind === OP && (buf.aux[k] === OP_SEMI || buf.aux[k] === OP_ASSIGN))) return -1;
      k = this.skip(k, b);
    }
    return -1;
  }
}

/** The most steps a finding lists: its first and its last ones, with a line for those between. */
export const MAX_SHOWN_STEPS = 24;
const FIRST_SHOWN_STEPS = 8;

/**
 * A flow's steps as a finding lists them: all of them when there are at most MAX_SHOWN_STEPS;
 * otherwise the first ones (where the value comes from), one step at the first left out that says
 * how many are, and the last ones (how it reaches the sink). A chain of thousands of assignments
 * would otherwise list thousands of lines under one problem, in the editor and in every report.
 */
export function shownSteps(steps: FlowStep[]): FlowStep[] {
  if (steps.length <= MAX_SHOWN_STEPS) return steps;
  const last = MAX_SHOWN_STEPS - FIRST_SHOWN_STEPS - 1;
  const hidden = steps.length - FIRST_SHOWN_STEPS - last;
  const gap: FlowStep = { span: steps[FIRST_SHOWN_STEPS]!.span, message: `… ${hidden.toLocaleString('en-US')} steps not listed, from here on` };
  return [...steps.slice(0, FIRST_SHOWN_STEPS), gap, ...steps.slice(steps.length - last)];
}
