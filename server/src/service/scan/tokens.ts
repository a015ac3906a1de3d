// The token stream both lexers write: parallel typed arrays instead of token objects, so a scan
// allocates a handful of buffers (reused across scans) rather than one object per token.

export const IDENT = 1;
/** A whole string literal without placeholders (Python str/bytes/f-string, JS string/template). */
export const STRING = 2;
export const NUMBER = 3;
export const OP = 4;
export const OPEN = 5;
export const CLOSE = 6;
/** Python only: the start of a logical line; `aux` holds its indentation column. */
export const LINE = 7;
/** An f-string / template literal with placeholders: head `f'a{`, middles `}b{`, tail `}c'`. */
export const TPL_HEAD = 8;
export const TPL_MID = 9;
export const TPL_TAIL = 10;
export const REGEX = 11;

// `aux` of OP tokens: the character code for one-character operators, or one of these.
export const OP_ASSIGN = 61; // '='
export const OP_DOT = 46; // '.'
export const OP_COMMA = 44;
export const OP_COLON = 58;
export const OP_SEMI = 59;
export const OP_STAR = 42;
export const OP_AUG = 1000; // += -= ... (an augmented assignment)
export const OP_WALRUS = 1001; // :=
export const OP_CMP = 1002; // == != <= >= === !==
export const OP_ARROW = 1003; // -> =>
export const OP_POW = 1004; // **
export const OP_OPTDOT = 1005; // ?.
export const OP_ELLIPSIS = 1006; // ...
export const OP_OTHER = 1007; // any other multi-character operator

// `aux` of STRING / TPL_* tokens: these flags, with the prefix length in bits 8..9.
export const S_CLOSED = 1;
export const S_RAW = 2;
export const S_BYTES = 4;
export const S_FORMAT = 8;
export const S_TRIPLE = 16;
export const S_ESCAPE = 64; // contains a backslash: the value needs decoding
export const S_TEMPLATE = 128; // a JS template literal (backquotes)
export const PREFIX_SHIFT = 8;

// `aux` of OPEN / CLOSE tokens is the bracket character code.
export const CH_LPAREN = 40;
export const CH_RPAREN = 41;
export const CH_LBRACKET = 91;
export const CH_RBRACKET = 93;
export const CH_LBRACE = 123;
export const CH_RBRACE = 125;

/** How many empty tokens follow the last one (see `seal`). */
const SENTINELS = 8;

export class TokenBuffer {
  kind = new Uint8Array(0);
  start = new Int32Array(0);
  end = new Int32Array(0);
  aux = new Int32Array(0);
  /** For brackets and template heads/tails: the index of the partner token, or -1. */
  match = new Int32Array(0);
  count = 0;
  /** The indexes of the STRING tokens, in order: what looks at literals only reads these. */
  strings = new Int32Array(64);
  stringCount = 0;

  reset(expected: number): void {
    // `push` leaves `match` alone: it is -1 past `count` (at rest, so on every token but brackets).
    this.match.fill(-1, 0, Math.min(this.count + SENTINELS, this.match.length));
    this.count = 0;
    this.stringCount = 0;
    // Grow to fit; give memory back after an unusually large file rather than hold it forever.
    if (this.kind.length < expected || (this.kind.length > 1 << 20 && this.kind.length > expected * 4)) this.allocate(expected);
    if (this.strings.length > 1 << 18 && this.strings.length > expected) this.strings = new Int32Array(64);
  }

  push(kind: number, start: number, end: number, aux: number): number {
    if (this.count === this.kind.length) this.allocate(this.count * 2 + 64);
    return this.pushInRoom(kind, start, end, aux);
  }

  /**
   * Makes room for `min` more tokens at least and returns how many fit: a lexer that knows how many
   * tokens it pushes before it asks again pushes them with pushInRoom, without a check on each.
   */
  makeRoom(min: number): number {
    if (this.kind.length - this.count < min) this.allocate(this.count * 2 + min);
    return this.kind.length - this.count;
  }

  /** `push` where makeRoom has made room. */
  pushInRoom(kind: number, start: number, end: number, aux: number): number {
    const i = this.count;
    this.kind[i] = kind;
    this.start[i] = start;
    this.end[i] = end;
    this.aux[i] = aux;
    this.count = i + 1;
    return i;
  }

  /** Pushes a STRING token and records its index in `strings`. */
  pushString(start: number, end: number, aux: number): number {
    return this.listString(this.push(STRING, start, end, aux));
  }

  /** `pushString` where makeRoom has made room. */
  pushStringInRoom(start: number, end: number, aux: number): number {
    return this.listString(this.pushInRoom(STRING, start, end, aux));
  }

  private listString(i: number): number {
    const n = this.stringCount;
    if (n === this.strings.length) {
      const strings = new Int32Array(n * 2);
      strings.set(this.strings);
      this.strings = strings;
    }
    this.strings[n] = i;
    this.stringCount = n + 1;
    return i;
  }

  /**
   * Ends the stream with empty tokens, so that a look-ahead past the last token (`t + 3`) reads
   * "nothing" rather than a token left over from an earlier scan of a longer text.
   */
  seal(): void {
    const end = this.count + SENTINELS;
    if (end > this.kind.length) this.allocate(end);
    this.kind.fill(0, this.count, end);
    this.aux.fill(0, this.count, end);
    this.match.fill(-1, this.count, end);
    const last = this.count > 0 ? this.end[this.count - 1]! : 0;
    this.start.fill(last, this.count, end);
    this.end.fill(last, this.count, end);
  }

  private allocate(size: number): void {
    const kind = new Uint8Array(size);
    const start = new Int32Array(size);
    const end = new Int32Array(size);
    const aux = new Int32Array(size);
    const match = new Int32Array(size);
    kind.set(this.kind.subarray(0, this.count));
    start.set(this.start.subarray(0, this.count));
    end.set(this.end.subarray(0, this.count));
    aux.set(this.aux.subarray(0, this.count));
    match.set(this.match.subarray(0, this.count));
    match.fill(-1, this.count);
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.aux = aux;
    this.match = match;
  }
}

/** A growable stack of ints for the lexers' bracket / template nesting. */
export class IntStack {
  items = new Int32Array(64);
  kinds = new Uint8Array(64);
  /** What a lexer keeps beside an entry (the Python lexer: a bracket's character, an f-string's quoting). */
  info = new Int32Array(64);
  size = 0;

  push(item: number, kind: number, info: number): void {
    if (this.size === this.items.length) {
      const items = new Int32Array(this.size * 2);
      const kinds = new Uint8Array(this.size * 2);
      const infos = new Int32Array(this.size * 2);
      items.set(this.items);
      kinds.set(this.kinds);
      infos.set(this.info);
      this.items = items;
      this.kinds = kinds;
      this.info = infos;
    }
    this.items[this.size] = item;
    this.kinds[this.size] = kind;
    this.info[this.size] = info;
    this.size++;
  }
}

// Kinds of IntStack entries.
export const NEST_BRACKET = 0;
/** Inside `{…}` of an f-string or `${…}` of a template: a `}` here resumes the literal. */
export const NEST_EXPR = 1;
/** Python: an f-string whose literal text resumes when its placeholder closes. */
export const NEST_FSTRING = 2;
/** Python: a format spec after `:` inside a placeholder. */
export const NEST_SPEC = 3;
/** JSX: inside an opening tag (attributes), among an element's children, in a `{…}` of either. */
export const NEST_JSX_TAG = 4;
export const NEST_JSX_CHILDREN = 5;
export const NEST_JSX_EXPR = 6;

/** The first index below `count` whose value in `sorted` (ascending) is at least `x`; `count` when none. */
export function lowerBound(sorted: ArrayLike<number>, count: number, x: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * lowerBound for a search that moves forward (the reads of a document, in order): from `from`, 1, 2,
 * 4, … on, then by halves; the same answer, whatever `from` is (a plain search when what is before
 * it is not less than `x`).
 */
export function lowerBoundFrom(sorted: ArrayLike<number>, count: number, x: number, from: number): number {
  if (from <= 0 || from > count || sorted[from - 1]! >= x) return lowerBound(sorted, count, x);
  // Everything before `lo` is less than `x`; `hi` is the count or holds `x` or more.
  let lo = from;
  let hi = from;
  for (let step = 1; hi < count && sorted[hi]! < x; step <<= 1) {
    lo = hi + 1;
    hi = Math.min(count, hi + step);
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when the identifier token `t` spells `word` (no allocation). */
export function tokenIs(text: string, buf: TokenBuffer, t: number, word: string): boolean {
  if (t < 0 || t >= buf.count || buf.kind[t] !== IDENT) return false;
  const s = buf.start[t]!;
  if (buf.end[t]! - s !== word.length) return false;
  for (let k = 0; k < word.length; k++) {
    if (text.charCodeAt(s + k) !== word.charCodeAt(k)) return false;
  }
  return true;
}

export function isOp(buf: TokenBuffer, t: number, op: number): boolean {
  return t >= 0 && t < buf.count && buf.kind[t] === OP && buf.aux[t] === op;
}

export function isOpen(buf: TokenBuffer, t: number, ch: number): boolean {
  return t >= 0 && t < buf.count && buf.kind[t] === OPEN && buf.aux[t] === ch;
}

/** True when a line break lies between the end of token `a` and the start of token `b`. */
export function lineBreakBetween(text: string, buf: TokenBuffer, a: number, b: number): boolean {
  const from = buf.end[a]!;
  const to = buf.start[b]!;
  for (let p = from; p < to; p++) {
    const c = text.charCodeAt(p);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

export function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}

export function isIdentPart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function table(test: (c: number) => boolean): Uint8Array {
  const t = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) t[c] = test(c) ? 1 : 0;
  return t;
}

/** Lookup tables for the lexers' hottest loops: one load instead of a chain of comparisons. */
export const PY_IDENT_PART = table(isIdentPart);
export const JS_IDENT_PART = table((c) => isIdentPart(c) || c === 36);

const SPACE = /\s/;

/**
 * text[from, to) with whitespace runs collapsed to one space, trimmed, capped at `cap` characters
 * (the last one '…' when cut): what a message quotes of an expression. A long text is read only as
 * far as the cap needs, so that quoting an expression as large as the file costs no more than a short one.
 */
export function collapsedText(text: string, from: number, to: number, cap: number): string {
  if (to - from <= 4 * cap) {
    const s = text.slice(from, to).replace(/\s+/g, ' ').trim();
    return s.length > cap ? `${s.slice(0, cap - 1)}…` : s;
  }
  let out = '';
  let space = false;
  for (let i = from; i < to && out.length <= cap; i++) {
    const ch = text[i]!;
    if (SPACE.test(ch)) {
      space = true;
      continue;
    }
    if (space && out.length > 0) out += ' ';
    space = false;
    out += ch;
  }
  return out.length > cap ? `${out.slice(0, cap - 1)}…` : out;
}
