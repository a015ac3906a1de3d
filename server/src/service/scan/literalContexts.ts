// Where a string literal is a value given to something, as a front end reads it in its one pass
// over a document's tokens: the name it is given to (a variable, an attribute, a subscript's key, a
// keyword argument, a dict or object key, a parameter, a class field, the left side of a
// comparison, a first string argument) and how. The credential detector's context rule reads it
// (credentials/literalPositions.ts). Python's structure pass (python/pythonRefsTargets.ts's
// `generic`, a statement at a time) and the JavaScript reference finder (javascript/jsRefs.ts, the
// whole file) feed a `ContextRecorder` the tokens that open and close groups and the operators; it
// keeps, per open group, what the group is and where its current segment (a target, a parameter,
// an entry) starts, so that a target is read from its own tokens, not walked back into from the value.
// It also records each entry of a dict or object literal (its key, and the next entry of the same
// literal) and the callee of a call whose first argument is a string: the detector's false-positive
// filters read a literal's siblings and a pair's callee there, not in the tokens around it.

import {
  CH_LBRACE,
  CH_LBRACKET,
  CH_LPAREN,
  CLOSE,
  IDENT,
  OP,
  OPEN,
  OP_ARROW,
  OP_ASSIGN,
  OP_AUG,
  OP_CMP,
  OP_COLON,
  OP_COMMA,
  OP_DOT,
  OP_SEMI,
  OP_WALRUS,
  STRING,
  TPL_HEAD,
  TPL_MID,
  TPL_TAIL,
  type TokenBuffer,
  lineBreakBetween,
  tokenIs,
} from './tokens';

/** `x = '…'`, `x: T = '…'`, `x += '…'`, `(x := '…')`, `const x = '…'`, an element of a tuple or array target. */
export const LC_ASSIGN = 1;
/** `self.x = '…'`, `obj.x = '…'`: the attribute's last part. */
export const LC_ATTRIBUTE = 2;
/** `d['k'] = '…'`, `os.environ['K'] = '…'`: the subscript's key literal. */
export const LC_SUBSCRIPT = 3;
/** `f(x='…')` (Python). */
export const LC_KEYWORD = 4;
/** `{'k': '…'}`, `{k: '…'}`, `{ ['k']: '…' }`. */
export const LC_KEY = 5;
/** A default: `def f(x='…')`, `lambda x='…': …`, `function f(x = '…')`, `{ x = '…' } = o`, `[x = '…'] = a`. */
export const LC_DEFAULT = 6;
/** A class field: `class C { x = '…' }`, `private readonly x: string = '…'` (JS/TS). */
export const LC_FIELD = 7;
/** `x == '…'`, `x === '…'`: compared with. */
export const LC_COMPARE = 8;
/** The argument after a first string argument: `os.environ.get('K', '…')`, `headers.set('K', '…')`, `('user', '…')`; the name is the first. */
export const LC_ARGUMENT = 9;

/** The entry table before a document's first dict entry: allocated only when one is recorded. */
const NO_ENTRIES: Int32Array<ArrayBuffer> = new Int32Array(0);
/** The fields of an entry, in that order in `LiteralContexts.entries` (one array: one allocation as it grows). */
const E_VALUE = 0;
const E_KEY = 1;
const E_FIRST = 2;
const E_NEXT = 3;
const E_FIELDS = 4;

/**
 * The values a front end found given to a name, ascending by their first token: a string literal
 * (through parentheses that only group it), or the `(` of a group (a pair given to `auth=`).
 * `name` is the name's token: an identifier, or a string literal (a key). `callee`, for an
 * LC_ARGUMENT (whose `name` is the call's first argument, right after its `(`): the callee's name
 * token before that `(` (`HTTPBasicAuth`, the last part of `aiohttp.BasicAuth`), -1 for a bare
 * group (`('user', '…')`); -1 for the other kinds.
 *
 * And the entries of the dicts and object literals (`k: v`, in a literal's own group: not a lambda's
 * or a conditional's colon), ascending by `entryValue`, the first token of the value (after the
 * colon): `entryKey`, the key's token as LC_KEY names it (a name, a string literal, a dotted name's
 * last part, a computed key's literal; -1 for another expression); `firstEntry`, the first entry
 * of the same literal; `nextEntry`, the next one (-1: the last). A literal's keys are read along
 * that chain, its nested literals' entries not among them.
 */
export class LiteralContexts {
  // 16 to start: V8 keeps a typed array of up to 64 bytes on its heap, ten times cheaper to make
  // than one with a buffer of its own (one recorder and one result per scan: bench/check's 2,000 files).
  value = new Int32Array(16);
  name = new Int32Array(16);
  kind = new Uint8Array(16);
  callee = new Int32Array(16);
  count = 0;
  /** `entryCount` entries of E_FIELDS fields each. */
  private entries = NO_ENTRIES;
  entryCount = 0;

  /** Records a value (ascending; a token already recorded keeps its first name). */
  add(value: number, name: number, kind: number, callee: number): void {
    const n = this.count;
    if (n > 0 && value <= this.value[n - 1]!) return;
    if (n === this.value.length) {
      const size = n * 2;
      this.value = grown(this.value, size);
      this.name = grown(this.name, size);
      this.callee = grown(this.callee, size);
      const k = new Uint8Array(size);
      k.set(this.kind);
      this.kind = k;
    }
    this.value[n] = value;
    this.name[n] = name;
    this.kind[n] = kind;
    this.callee[n] = callee;
    this.count = n + 1;
  }

  /** The index of the record whose value starts at `token`, or -1. */
  indexOf(token: number): number {
    return search(this.value, this.count, token);
  }

  /**
   * Records an entry whose value starts at `value`, after entry `previous` of the same literal (-1:
   * its first); returns its index, or -1 when it is not after the last one recorded.
   */
  addEntry(value: number, key: number, previous: number): number {
    const n = this.entryCount;
    let e = this.entries;
    const at = n * E_FIELDS;
    if (n > 0 && value <= e[at - E_FIELDS + E_VALUE]!) return -1;
    if (at === e.length) this.entries = e = grown(e, Math.max(64, at * 2));
    e[at + E_VALUE] = value;
    e[at + E_KEY] = key;
    e[at + E_NEXT] = -1;
    if (previous < 0) e[at + E_FIRST] = n;
    else {
      e[at + E_FIRST] = e[previous * E_FIELDS + E_FIRST]!;
      e[previous * E_FIELDS + E_NEXT] = n;
    }
    this.entryCount = n + 1;
    return n;
  }

  /** The index of the entry whose value starts at `token`, or -1. */
  entryAt(token: number): number {
    const e = this.entries;
    let lo = 0;
    let hi = this.entryCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = e[mid * E_FIELDS + E_VALUE]!;
      if (v === token) return mid;
      if (v < token) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The first token of entry `i`'s value. */
  entryValue(i: number): number {
    return this.entries[i * E_FIELDS + E_VALUE]!;
  }

  /** Entry `i`'s key token, or -1. */
  entryKey(i: number): number {
    return this.entries[i * E_FIELDS + E_KEY]!;
  }

  /** The first entry of the literal entry `i` is in. */
  firstEntry(i: number): number {
    return this.entries[i * E_FIELDS + E_FIRST]!;
  }

  /** The entry after `i` in its literal, or -1. */
  nextEntry(i: number): number {
    return this.entries[i * E_FIELDS + E_NEXT]!;
  }
}

/** `a` copied into a new array of `size`. */
function grown(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** The index of `token` in the first `count` of the ascending `a`, or -1. */
function search(a: Int32Array, count: number, token: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = a[mid]!;
    if (v === token) return mid;
    if (v < token) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

// What an open group is.
/** A statement (Python), the file (JS). */
const G_TOP = 0;
/** `f(…)`, `(…)`: `name=` in it is a keyword (Python) or an assignment (JS). */
const G_CALL = 1;
/** A def's, lambda's or function's parameters. */
const G_PARAMS = 2;
/** A dict (Python `{`), an object literal or destructuring pattern (JS). */
const G_DICT = 3;
/** `[…]`. */
const G_LIST = 4;
/** A JS block. */
const G_BLOCK = 5;
/** A JS class body. */
const G_CLASS = 6;
/** A template's or f-string's placeholder. */
const G_PLACEHOLDER = 7;

/** Keywords after which a JS `{` is an object literal, as after an operator. */
const JS_VALUE_KEYWORDS = ['return', 'yield', 'await', 'typeof', 'in', 'of', 'case', 'void', 'new', 'throw', 'export', 'default'];
/** `const { a = '…' } = o`, `const [a, b] = …`. */
const JS_DECLARING = ['const', 'let', 'var'];

/**
 * The state of one pass: per open group (level 0: the statement or file), its kind, its current
 * segment's start, the annotation colon in that segment, pending `?` (JS) and `lambda` (Python),
 * its last entry (a dict or object literal); and, after a tuple or array target, the targets its
 * value's elements are given to.
 */
export class ContextRecorder {
  private level = 0;
  // 16 levels to start (see LiteralContexts's arrays), doubled when a file nests deeper.
  private group = new Int32Array(16);
  private groupKind = new Uint8Array(16);
  private seg = new Int32Array(16);
  private colon = new Int32Array(16);
  private pending = new Int32Array(16);
  private lastEntry = new Int32Array(16);
  /** Python level 0: the commas of the current segment (a tuple target's elements). */
  private commas: number[] = [];
  private commaCount = 0;
  /** The targets of a tuple or array target (name tokens, -1: none), the group their value's elements are in (-1: the statement), the element being read. */
  private elements: number[] = [];
  private elementKinds: number[] = [];
  private elementCount = 0;
  private elementGroup = -2;
  private element = 0;

  constructor(
    private readonly text: string,
    readonly buf: TokenBuffer,
    private readonly python: boolean,
    readonly out: LiteralContexts,
  ) {
    this.begin(0, buf.count);
  }

  /** Where the statement ends (Python). */
  private end = 0;

  /** The first of the buffer's string literals not yet behind a statement begun (statements begin in order). */
  private nextString = 0;

  /**
   * A statement (Python) or the file (JS) starts at token `a` and ends before `end`. False when no
   * string literal stands in it: nothing to record there, and the caller may feed it nothing.
   */
  begin(a: number, end: number): boolean {
    const { strings, stringCount } = this.buf;
    let n = this.nextString;
    while (n < stringCount && strings[n]! < a) n++;
    this.nextString = n;
    this.end = end;
    this.level = 0;
    this.group[0] = -1;
    this.groupKind[0] = G_TOP;
    this.lastEntry[0] = -1;
    this.startSegment(a);
    this.commaCount = 0;
    this.elementGroup = -2;
    return n < stringCount && strings[n]! < end;
  }

  /** A Python `lambda`: its parameters' defaults are defaults, its colon no annotation. */
  lambda(): void {
    this.pending[this.level] = this.pending[this.level]! + 1;
  }

  /** Token `t` opens a group (`(`, `[`, `{`, a placeholder). */
  open(t: number): void {
    const l = ++this.level;
    if (l === this.group.length) this.growStacks();
    this.group[l] = t;
    this.groupKind[l] = this.kindOf(t);
    this.lastEntry[l] = -1;
    this.startSegment(t + 1);
  }

  /** Token `t` closes a group (its partner opened it). */
  close(t: number): void {
    const m = this.buf.match[t]!;
    if (m < 0) return;
    while (this.level > 0 && this.group[this.level]! >= m) this.level--;
    if (this.elementGroup >= m) this.elementGroup = -2;
  }

  /** A template's middle `}…${`: a new expression in the same placeholder. */
  middle(t: number): void {
    this.startSegment(t + 1);
  }

  /** The operator at `t`. */
  op(t: number): void {
    const { buf } = this;
    const l = this.level;
    const op = buf.aux[t]!;
    if (op === OP_ASSIGN) this.assign(t);
    else if (op === OP_COMMA) this.comma(t);
    else if (op === OP_COLON) this.colonAt(t);
    else if (op === OP_CMP) this.record(t + 1, this.operand(t - 1), LC_COMPARE);
    else if (op === OP_WALRUS) {
      if (buf.kind[t - 1] === IDENT) this.record(t + 1, t - 1, LC_ASSIGN);
    } else if (op === OP_AUG) {
      const kind = this.groupKind[l]!;
      if (kind === G_TOP || kind === G_BLOCK) {
        const name = this.target(t);
        this.record(t + 1, name, this.targetKind(name, LC_ASSIGN));
      }
      this.startSegment(t + 1, true);
    } else if (op === 63 && !this.python) {
      // `?` of a conditional: not `??` (lexed as two), nor TypeScript's optional `x?: T`.
      const next = buf.kind[t + 1] === OP ? buf.aux[t + 1] : 0;
      const glued = buf.kind[t - 1] === OP && buf.aux[t - 1] === 63 && buf.end[t - 1] === buf.start[t];
      if (next !== 63 && next !== OP_COLON && !glued) this.pending[l] = this.pending[l]! + 1;
    } else if (op === OP_SEMI) {
      this.startSegment(t + 1);
      if (this.elementGroup === this.group[l]) this.elementGroup = -2;
    } else if (op === OP_ARROW) this.startSegment(t + 1, true);
  }

  /**
   * A new segment (target, element, entry) starts at `a`. After `=` or `=>` the expression goes on:
   * a conditional's `?` or a lambda before it still waits for its colon.
   */
  private startSegment(a: number, inExpression = false): void {
    const l = this.level;
    this.seg[l] = a;
    this.colon[l] = -1;
    if (!inExpression) this.pending[l] = 0;
    if (l === 0) this.commaCount = 0;
  }

  private growStacks(): void {
    const size = this.group.length * 2;
    this.group = grown(this.group, size);
    this.seg = grown(this.seg, size);
    this.colon = grown(this.colon, size);
    this.pending = grown(this.pending, size);
    this.lastEntry = grown(this.lastEntry, size);
    const k = new Uint8Array(size);
    k.set(this.groupKind);
    this.groupKind = k;
  }

  /** What the group opened at `t` is, from the bracket and what stands before it. */
  private kindOf(t: number): number {
    const { buf, text } = this;
    if (buf.kind[t] !== OPEN) return G_PLACEHOLDER;
    const ch = buf.aux[t];
    if (ch === CH_LBRACKET) return G_LIST;
    const prev = t - 1;
    const pk = prev >= 0 ? buf.kind[prev] : 0;
    if (ch === CH_LPAREN) {
      if (this.python) return pk === IDENT && tokenIs(text, buf, prev - 1, 'def') ? G_PARAMS : G_CALL;
      // `(a = '…') => …`, `function f(a = '…') {`, `m(a: string = '…'): T {`
      const close = buf.match[t]!;
      if (close > t) {
        const after = buf.kind[close + 1];
        if ((after === OP && (buf.aux[close + 1] === OP_ARROW || buf.aux[close + 1] === OP_COLON)) || (after === OPEN && buf.aux[close + 1] === CH_LBRACE)) return G_PARAMS;
      }
      return G_CALL;
    }
    if (ch !== CH_LBRACE || this.python) return G_DICT;
    // JS `{`: an object literal where a value stands (after an operator, a bracket, `return`…).
    // (Not after `>`: `): Promise<T> {` is a body.)
    if (pk === OPEN || (pk === OP && buf.aux[prev] !== OP_ARROW && buf.aux[prev] !== OP_SEMI && buf.aux[prev] !== 62)) return G_DICT;
    if (pk === IDENT) {
      for (const w of JS_VALUE_KEYWORDS) if (tokenIs(text, buf, prev, w)) return G_DICT;
      for (const w of JS_DECLARING) if (tokenIs(text, buf, prev, w)) return G_DICT; // a pattern
    }
    if (pk === IDENT || (pk === OP && buf.aux[prev] === 62)) {
      // `class C extends B<T> {`: a short look back for `class`, within the header.
      for (let k = prev, n = 0; k >= 0 && n < 8; k--, n++) {
        const kind = buf.kind[k];
        if (kind === IDENT) {
          if (tokenIs(text, buf, k, 'class')) return G_CLASS;
        } else if (kind !== OP || (buf.aux[k] !== OP_DOT && buf.aux[k] !== 60 && buf.aux[k] !== 62 && buf.aux[k] !== OP_COMMA)) break;
      }
    }
    return G_BLOCK;
  }

  /** `=` at `t`: a target's value, a keyword argument, a default. */
  private assign(t: number): void {
    const { buf } = this;
    const l = this.level;
    const kind = this.groupKind[l]!;
    if (this.pending[l]! > 0 && this.python) {
      // A lambda's parameter default.
      if (buf.kind[t - 1] === IDENT) this.record(t + 1, t - 1, LC_DEFAULT);
    } else if (kind === G_PARAMS || (!this.python && (kind === G_DICT || kind === G_LIST))) {
      this.record(t + 1, this.target(t), LC_DEFAULT);
    } else if (kind === G_CALL && this.python) {
      if (buf.kind[t - 1] === IDENT) this.record(t + 1, t - 1, LC_KEYWORD);
    } else if (kind === G_TOP || kind === G_BLOCK || kind === G_CLASS || kind === G_CALL || kind === G_PLACEHOLDER) {
      const base = kind === G_CLASS ? LC_FIELD : LC_ASSIGN;
      if (!this.elementwise(t, base)) {
        const name = this.target(t);
        this.record(t + 1, name, this.targetKind(name, base));
      }
    }
    this.startSegment(t + 1, true);
  }

  /** The kind a target name token gives: an attribute's last part, a subscript's key, or `base`. */
  private targetKind(name: number, base: number): number {
    const { buf } = this;
    if (name < 0) return base;
    if (buf.kind[name] === STRING) return LC_SUBSCRIPT;
    return buf.kind[name - 1] === OP && buf.aux[name - 1] === OP_DOT ? LC_ATTRIBUTE : base;
  }

  /**
   * The name the target of the current segment, ending before the operator at `t`, gives: the
   * annotated name (`x: T = …`, `private x?: T = …`), a name or an attribute's last part, a
   * subscript's key literal (`d['k'] = …`); -1 for others (`d[k] = …`, `f().x[0] = …`).
   */
  private target(t: number): number {
    const { buf } = this;
    const l = this.level;
    const a = this.seg[l]!;
    let end = t;
    const colon = this.colon[l]!;
    // A JS annotation must end on the line of its `=` (after ASI, an earlier statement's is not this one's).
    if (colon >= 0 && (this.python || !lineBreakBetween(this.text, buf, colon, t - 1))) end = colon;
    return this.targetIn(a, end);
  }

  /** The name of the target [a, end). */
  private targetIn(a: number, end: number): number {
    const { buf } = this;
    let last = end - 1;
    if (!this.python && last > a && buf.kind[last] === OP && (buf.aux[last] === 63 || buf.aux[last] === 33)) last--; // `x?:`, `x!:`
    if (last < a) return -1;
    const kind = buf.kind[last];
    if (kind === IDENT) return last;
    if (kind === CLOSE && buf.aux[last] === CH_LBRACKET + 2) {
      const m = buf.match[last]!;
      if (m > a && m + 2 === last && buf.kind[m + 1] === STRING) return m + 1;
    }
    return -1;
  }

  /**
   * A tuple or array target (`a, b = …`, `(a, b) = …`, `const [a, b] = […]`): each element's name,
   * given to the value's elements in turn (the first here, the others at their commas). False when
   * the target is one.
   */
  private elementwise(t: number, base: number): boolean {
    const { buf } = this;
    const l = this.level;
    const a = this.seg[l]!;
    const names = this.elements;
    const kinds = this.elementKinds;
    this.elementCount = 0;
    if (this.python && l === 0 && this.commaCount > 0) {
      let from = a;
      for (let i = 0; i < this.commaCount; i++) {
        const c = this.commas[i]!;
        this.addElement(from, c, base);
        from = c + 1;
      }
      if (from < t) this.addElement(from, t, base);
    } else {
      // `[a, b] = …`, `(a, b) = …`, `const [a, b] = …`: a bracketed list, alone in the target.
      const close = t - 1;
      if (buf.kind[close] !== CLOSE || buf.aux[close] === CH_LBRACE + 2) return false;
      const open = buf.match[close]!;
      if (open !== a && !(!this.python && open - 1 === a && JS_DECLARING.some((w) => tokenIs(this.text, buf, a, w)))) return false;
      let from = open + 1;
      for (let k = open + 1; k < close; ) {
        if (buf.kind[k] === OP && buf.aux[k] === OP_COMMA) {
          this.addElement(from, k, base);
          from = k + 1;
          k++;
        } else k = buf.kind[k] === OPEN && buf.match[k]! > k && buf.match[k]! < close ? buf.match[k]! + 1 : k + 1;
      }
      if (from < close) this.addElement(from, close, base);
      if (this.elementCount < 2) return false;
    }
    // The value's elements: bare after `=` (Python), or in a bracket that is the whole value.
    // One value unpacked (`a, b = "xy"`) gives no element a name: the elements must be written.
    const v = t + 1;
    this.element = 0;
    this.elementGroup = -2;
    if (buf.kind[v] === OPEN && buf.aux[v] !== CH_LBRACE && buf.match[v]! > v) {
      if (this.hasComma(v + 1, buf.match[v]!)) {
        this.elementGroup = v;
        this.record(v + 1, names[0]!, kinds[0]!);
      }
    } else if (this.python && l === 0 && this.hasComma(v, this.end)) {
      this.elementGroup = -1;
      this.record(v, names[0]!, kinds[0]!);
    }
    return true;
  }

  private addElement(from: number, to: number, base: number): void {
    const name = this.targetIn(from, to);
    this.elements[this.elementCount] = name;
    this.elementKinds[this.elementCount++] = this.targetKind(name, base);
  }

  /**
   * Whether a comma stands in [from, to) outside the groups there, before any `=` (the value ends
   * there: a chain `a, b = c, d = …` looks over each of its values once).
   */
  private hasComma(from: number, to: number): boolean {
    const { buf } = this;
    for (let k = from; k < to; ) {
      const kind = buf.kind[k];
      if (kind === OP && buf.aux[k] === OP_COMMA) return true;
      if (kind === OP && buf.aux[k] === OP_ASSIGN) return false;
      const m = buf.match[k]!;
      k = (kind === OPEN || kind === TPL_HEAD) && m > k && m < to ? m + 1 : k + 1;
    }
    return false;
  }

  /** `,` at `t`. */
  private comma(t: number): void {
    const { buf } = this;
    const l = this.level;
    const g = this.group[l]!;
    if (this.elementGroup !== -2 && this.elementGroup === g) {
      const i = ++this.element;
      if (i < this.elementCount) this.record(t + 1, this.elements[i]!, this.elementKinds[i]!);
    }
    // `f('K', '…')`, `('user', '…')`: the argument after a first string argument, and the callee.
    if (g >= 0 && g + 2 === t && buf.aux[g] === CH_LPAREN && buf.kind[g + 1] === STRING) this.record(t + 1, g + 1, LC_ARGUMENT, buf.kind[g - 1] === IDENT ? g - 1 : -1);
    if (this.python && l === 0) this.commas[this.commaCount++] = t;
    else this.startSegment(t + 1);
  }

  /** `:` at `t`: a dict or object key's value, an annotation, a lambda's or a ternary's colon. */
  private colonAt(t: number): void {
    const { buf } = this;
    const l = this.level;
    const kind = this.groupKind[l]!;
    if (this.pending[l]! > 0) {
      // A lambda's colon (Python), a conditional's (JS): neither names what follows.
      this.pending[l] = this.pending[l]! - 1;
      return;
    }
    if (kind === G_DICT) {
      const a = this.seg[l]!;
      let key = -1;
      if (t - 1 === a && (buf.kind[a] === STRING || buf.kind[a] === IDENT)) key = a;
      // `{Oid.NAME: …}`: a constant's name, its last part.
      else if (this.python && buf.kind[t - 1] === IDENT && this.dotted(a, t - 1)) key = t - 1;
      // `{ ['k']: … }`: a computed key that is a literal.
      else if (!this.python && t - 1 === a + 2 && buf.kind[a] === OPEN && buf.aux[a] === CH_LBRACKET && buf.kind[a + 1] === STRING) key = a + 1;
      this.record(t + 1, key, LC_KEY);
      const entry = this.out.addEntry(t + 1, key, this.lastEntry[l]!);
      if (entry >= 0) this.lastEntry[l] = entry;
      // `{ title: t = '' } = props`: a default is the property's (its key's), not the local's.
      if (this.colon[l]! < 0) this.colon[l] = t;
      return;
    }
    if (kind === G_LIST) return; // a slice
    // `case 'x':`, `default:` (JS) end a segment; else an annotation's colon.
    if (!this.python && (tokenIs(this.text, buf, this.seg[l]!, 'case') || tokenIs(this.text, buf, this.seg[l]!, 'default'))) {
      this.startSegment(t + 1);
      return;
    }
    if (this.colon[l]! < 0) this.colon[l] = t;
  }

  /** Whether tokens [a, last] are a dotted name (`a.b.c`). */
  private dotted(a: number, last: number): boolean {
    const { buf } = this;
    let k = last;
    while (k > a && buf.kind[k - 1] === OP && buf.aux[k - 1] === OP_DOT && buf.kind[k - 2] === IDENT) k -= 2;
    return k === a;
  }

  /** The name the left operand ending at `t` gives a comparison: a name, an attribute, a subscript's key. */
  private operand(t: number): number {
    const { buf } = this;
    if (buf.kind[t] === IDENT) return t;
    if (buf.kind[t] === CLOSE && buf.aux[t] === CH_LBRACKET + 2) {
      const m = buf.match[t]!;
      if (m >= 0 && m + 2 === t && buf.kind[m + 1] === STRING) return m + 1;
    }
    return -1;
  }

  /** Records the value starting at `v` (a literal, through parentheses that only group it; or a `(` group) under `name` (and `callee`: LiteralContexts). */
  private record(v: number, name: number, kind: number, callee = -1): void {
    if (name < 0) return;
    const { buf } = this;
    let s = v;
    while (buf.kind[s] === OPEN && buf.aux[s] === CH_LPAREN && s - v < 8) s++;
    if (buf.kind[s] === STRING) {
      let e = s + 1;
      if (this.python) while (buf.kind[e] === STRING) e++;
      // Each `(` skipped must close right after the literal (or the one inside it).
      let ok = true;
      for (let p = s - 1; p >= v; p--, e++) {
        if (buf.match[p] !== e) {
          ok = false;
          break;
        }
      }
      if (ok) {
        this.out.add(s, name, kind, callee);
        return;
      }
    }
    if (buf.kind[v] === OPEN && buf.aux[v] === CH_LPAREN) this.out.add(v, name, kind, callee);
  }
}

/** Feeds token `t` of kind `kind` to `recorder` when it matters to it (brackets, placeholders, operators). */
export function recordToken(recorder: ContextRecorder, t: number, kind: number | undefined): void {
  // (A dot, the most frequent operator, is none of those `op` reads.)
  if (kind === OP) {
    if (recorder.buf.aux[t] !== OP_DOT) recorder.op(t);
  }
  else if (kind === OPEN || kind === TPL_HEAD) recorder.open(t);
  else if (kind === CLOSE || kind === TPL_TAIL) recorder.close(t);
  else if (kind === TPL_MID) recorder.middle(t);
}
