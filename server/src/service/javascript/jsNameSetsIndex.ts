// The bindings of a JavaScript / TypeScript document, for the name-set resolver (jsNameSets.ts):
// every `const` / `let` / `var` declarator, function (declarations, function expressions, arrows
// and methods) with its parameters, class, enum, import and catch binding, each with the tokens
// that can see it. Built in one pass over the tokens, only for a document with a computed read.
// Bindings the resolver cannot follow (a destructured name, a method's parameter, an import) are
// recorded too, so that they shadow an outer constant of the same name instead of letting it through.

import { itemEnd, skipGroup } from '../scan/calls';
import { flatPattern, objectEntries, objectParameter } from './jsPatterns';
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
  OP_COLON,
  OP_COMMA,
  OP_DOT,
  OP_ELLIPSIS,
  OP_OPTDOT,
  OP_SEMI,
  TPL_HEAD,
  TPL_MID,
  TPL_TAIL,
  TokenBuffer,
  isOp,
  isOpen,
  lineBreakBetween,
  tokenIs,
} from '../scan/tokens';

export const B_CONST = 0;
export const B_LET = 1;
export const B_FUNCTION = 2;
export const B_PARAM = 3;
/** A binding whose value is not followed: destructured, imported, a class, a method's parameter. */
export const B_OTHER = 4;
/** A name a declaration takes from an object by a key (`const { crm, pay: p = 'd' } = CONFIG[conv.env]`): its `part`. */
export const B_PART = 5;

/**
 * What a B_PART binding takes: the entry `key` of the declaration's value (valueFrom…valueTo), or its
 * default where that is undefined; from an array pattern (`const [a, b] = …`), the element at index `key`.
 */
export interface JsPart {
  key: string;
  /** Taken by its place in an array pattern: only an array's element (written, not a mapped array's) is it. */
  element?: true;
  /** The default (`= 'd'`), or -1. */
  defaultFrom: number;
  defaultTo: number;
  /** Declared `const` (a `let` or `var` may be assigned). */
  constant: boolean;
}

export interface JsFunction {
  /** The `function` keyword or the `=>` token; a method's `(`. */
  at: number;
  params: JsBinding[];
  /** Block body: its `{` and `}` (or the end of the text when unclosed); expression body: [from, to). */
  bodyFrom: number;
  bodyTo: number;
  block: boolean;
  /** The name it is called by: a function declaration's, or the `const` it is bound to. */
  binding: JsBinding | null;
  /** Its options parameters (paramObject): by place, their names, and whether every entry is a plain name (no rest, no nesting). */
  patterns?: Array<{ index: number; parts: JsBinding[]; plain: boolean }>;
}

export interface JsBinding {
  name: string;
  kind: number;
  /** The token of the name where it is declared. */
  tok: number;
  /** The tokens that see it: [scopeFrom, scopeTo). */
  scopeFrom: number;
  scopeTo: number;
  /** The initializer (a parameter's default), or -1 when there is none. */
  valueFrom: number;
  valueTo: number;
  /** A function declaration, or the function a `const` is bound to, or the function a parameter belongs to. */
  fn: JsFunction | null;
  /** The token of the function expression or arrow a declarator's value starts with (-1: none). */
  fnTok: number;
  /** A parameter's position. */
  index: number;
  /** `for (const x of ITERABLE)`: the iterable's tokens (-1: not a loop variable). */
  ofFrom: number;
  ofTo: number;
  /** `for (const [a, x] of …)`, `for (const { secret: x } of …)`: x's place in each element, an index or a key (absent: the element itself). */
  ofPath?: RowPath;
  /** `for (const k in OBJECT)`: the loop takes the keys of [ofFrom, ofTo), not its elements. */
  ofKeys?: boolean;
  /**
   * A name of an object pattern in a parameter (`function f(conv, { secretName = 'x' } = {})`): its
   * key and default, taken from the argument each call passes (B_PARAM; `valueFrom` is then the
   * whole parameter's default, `= {}`, or -1).
   */
  paramPart?: JsPart;
  /** A B_PART binding's key and default. */
  part?: JsPart;
}

/** Where a part sits in a row: an array's index, an object's key, at each level. */
export type RowPath = ReadonlyArray<number | string>;

/** No names of a pattern (shared: never changed). */
const NO_PARTS: readonly JsBinding[] = [];
const NO_WRITES: readonly number[] = [];

const NOT_PARAMS = new Set(['if', 'while', 'for', 'switch', 'catch', 'with', 'return', 'typeof', 'await', 'void', 'new', 'in', 'of', 'case', 'delete', 'throw', 'yield']);
const IMPORT_WORDS = new Set(['as', 'type', 'from', 'typeof']);

export class JsIndex {
  readonly count: number;
  /** For each token, the innermost bracket (or template) that encloses it; -1 at the top level. */
  readonly parent: Int32Array;
  readonly byName = new Map<string, JsBinding[]>();
  /** Functions by their `function` / `=>` token, a method by its `(`. */
  readonly functions = new Map<number, JsFunction>();
  /** The `{` of every function or method body. */
  readonly bodies = new Set<number>();
  private readonly occurrenceCache = new Map<string, number[]>();
  /** Whether every name is in occurrenceCache. */
  private indexed = false;
  /** Declaring `var`s (function-scoped) rather than `let` / `const`. */
  private functionScoped = false;

  constructor(
    readonly text: string,
    readonly buf: TokenBuffer,
  ) {
    this.count = buf.count;
    this.parent = parents(buf, this.count);
    this.build();
  }

  word(t: number): string {
    return this.text.slice(this.buf.start[t]!, this.buf.end[t]!);
  }

  isDot(t: number): boolean {
    return t >= 0 && this.buf.kind[t] === OP && (this.buf.aux[t] === OP_DOT || this.buf.aux[t] === OP_OPTDOT);
  }

  /** The closing token of the group opened at `t`, or the end of the tokens when it is not closed. */
  closeOf(t: number): number {
    const m = this.buf.match[t]!;
    return m >= 0 ? m : this.count;
  }

  /** The innermost `{` around token `t`, or -1. */
  braceOf(t: number): number {
    let p = this.parent[t]!;
    while (p >= 0 && !isOpen(this.buf, p, CH_LBRACE)) p = this.parent[p]!;
    return p;
  }

  /** How many bindings the last lookup looked at (the resolver charges them to its budget). */
  looked = 0;
  private readonly sorted = new Set<string>();

  /**
   * The binding `name` has at token `at`: the one with the innermost scope around it (scopes of
   * one name nest or are apart, so it is the one starting last among those that hold `at`); null
   * when none, or when two bindings of one scope compete.
   */
  lookup(name: string, at: number): JsBinding | null {
    const list = this.byName.get(name);
    this.looked = 0;
    if (!list) return null;
    if (!this.sorted.has(name)) {
      list.sort((x, y) => x.scopeFrom - y.scopeFrom);
      this.sorted.add(name);
    }
    // The last binding whose scope starts at or before `at`, then back to the first that holds it.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.scopeFrom <= at) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i--) {
      this.looked++;
      const b = list[i]!;
      if (at >= b.scopeTo) continue;
      const before = list[i - 1];
      return before && before.scopeFrom === b.scopeFrom && at < before.scopeTo ? null : b;
    }
    return null;
  }

  /** The tokens of each `.X` written to (`x.X = …`, `x.X += …`) in the document, by X: made in one pass on first use. */
  private writes: Map<string, number[]> | null = null;

  /** Whether propertyWrites has made its index (its pass over the tokens is still to be paid for when not). */
  get propertyWritesIndexed(): boolean {
    return this.writes !== null;
  }

  /** The tokens of `X` in every `x.X = …` and `x.X += …` of the document, in order. */
  propertyWrites(name: string): readonly number[] {
    let byName = this.writes;
    if (byName === null) {
      const { buf } = this;
      byName = new Map();
      for (let k = 2; k < this.count; k++) {
        if (buf.kind[k] !== IDENT || !this.isDot(k - 1) || buf.kind[k + 1] !== OP || (buf.aux[k + 1] !== OP_ASSIGN && buf.aux[k + 1] !== OP_AUG)) continue;
        const w = this.word(k);
        const list = byName.get(w);
        if (list) list.push(k);
        else byName.set(w, [k]);
      }
      this.writes = byName;
    }
    return byName.get(name) ?? NO_WRITES;
  }

  /**
   * Every identifier token spelling `name` that is not a property (`x.name`), in order: a scan
   * without allocation for the first few names asked for, then one index of every name.
   */
  occurrences(name: string): number[] {
    const known = this.occurrenceCache.get(name);
    if (known) return known;
    const { buf, text } = this;
    if (this.occurrenceCache.size < 16) {
      const list: number[] = [];
      const len = name.length;
      const first = name.charCodeAt(0);
      for (let t = 0; t < this.count; t++) {
        const s = buf.start[t]!;
        if (buf.kind[t] === IDENT && buf.end[t]! - s === len && text.charCodeAt(s) === first && tokenIs(text, buf, t, name) && !this.isDot(t - 1)) list.push(t);
      }
      this.occurrenceCache.set(name, list);
      return list;
    }
    if (!this.indexed) {
      this.indexed = true;
      const fresh = new Map<string, number[]>();
      for (let t = 0; t < this.count; t++) {
        if (buf.kind[t] !== IDENT || this.isDot(t - 1)) continue;
        const w = this.word(t);
        if (this.occurrenceCache.has(w)) continue;
        const list = fresh.get(w);
        if (list) list.push(t);
        else fresh.set(w, [t]);
      }
      for (const [w, list] of fresh) this.occurrenceCache.set(w, list);
    }
    return this.occurrenceCache.get(name) ?? [];
  }

  /**
   * Where the expression starting at `from` ends: a top-level `,` or `;`, the end of its group, or a
   * line break that ends the statement (JavaScript's automatic semicolon insertion, approximated).
   */
  exprEnd(from: number): number {
    const { buf } = this;
    const p = from < this.count ? this.parent[from]! : -1;
    const limit = p >= 0 ? this.closeOf(p) : this.count;
    let k = from;
    while (k < limit) {
      const kind = buf.kind[k];
      if (k > from && lineBreakBetween(this.text, buf, k - 1, k) && !this.continues(k)) return k;
      if (kind === OP && (buf.aux[k] === OP_COMMA || buf.aux[k] === OP_SEMI)) return k;
      if (kind === CLOSE || kind === TPL_MID || kind === TPL_TAIL) return k;
      if (kind === OP && buf.aux[k] === 60 && buf.kind[k - 1] === IDENT && tokenIs(this.text, buf, k - 2, 'new')) {
        k = this.typeArgumentsEnd(k, limit);
        continue;
      }
      k = skipGroup(buf, k, limit);
    }
    return limit;
  }

  /** Past the `>` that closes the type arguments opened at `k` (`new Map<string, string>`). */
  private typeArgumentsEnd(k: number, limit: number): number {
    const { buf } = this;
    let depth = 0;
    // Short, or it was a comparison after all (`new X < y`): then only the `<` is passed.
    for (let j = k, n = 0; j < limit && n < 64; j = skipGroup(buf, j, limit), n++) {
      if (isOp(buf, j, 60)) depth++;
      else if (isOp(buf, j, 62) && --depth === 0) return j + 1;
      else if (isOp(buf, j, OP_SEMI) || buf.kind[j] === CLOSE) break;
    }
    return k + 1;
  }

  /** Whether token `k`, first on its line, continues the expression of the line before. */
  private continues(k: number): boolean {
    const { buf } = this;
    const kind = buf.kind[k];
    const prev = buf.kind[k - 1];
    if (kind === OP) return !this.isIncDec(k) && !isOp(buf, k, 33);
    if (prev === OP) return !this.isIncDec(k - 1);
    if (kind === OPEN) return buf.aux[k] !== CH_LBRACE;
    if (kind === TPL_HEAD) return true;
    if (kind === IDENT && /^(as|satisfies|in|instanceof)$/.test(this.word(k))) return true;
    if (prev === IDENT && /^(new|typeof|void|await|as|satisfies|in|instanceof|keyof|delete)$/.test(this.word(k - 1))) return true;
    return false;
  }

  private isIncDec(t: number): boolean {
    const { buf, text } = this;
    if (buf.end[t]! - buf.start[t]! !== 2) return false;
    const c = text.charCodeAt(buf.start[t]!);
    return (c === 43 || c === 45) && text.charCodeAt(buf.start[t]! + 1) === c;
  }

  private add(name: string, kind: number, tok: number, scopeFrom: number, scopeTo: number): JsBinding {
    const b: JsBinding = { name, kind, tok, scopeFrom, scopeTo, valueFrom: -1, valueTo: -1, fn: null, fnTok: -1, index: 0, ofFrom: -1, ofTo: -1 };
    const list = this.byName.get(name);
    if (list) list.push(b);
    else this.byName.set(name, [b]);
    return b;
  }

  /** Adds a block-scoped binding at token `tok`: it is seen inside the `{…}` enclosing `at` (the pattern it is in; or the module). */
  private addBlock(kind: number, tok: number, at = tok): JsBinding {
    let brace = this.braceOf(at);
    // `var`: seen in the whole function (or module) around it.
    if (this.functionScoped) while (brace >= 0 && !this.bodies.has(brace)) brace = this.braceOf(brace);
    return this.add(this.word(tok), kind, tok, brace, brace >= 0 ? this.closeOf(brace) : this.count);
  }

  /** Whether the function or `const` that `b` names is exported (`export function f`, `export const f = …`). */
  isExported(b: JsBinding): boolean {
    const { buf, text } = this;
    let k = b.tok - 1;
    for (let guard = 0; guard < 4 && k >= 0; guard++, k--) {
      if (tokenIs(text, buf, k, 'export')) return true;
      if (!(isOp(buf, k, 42) || tokenIs(text, buf, k, 'function') || tokenIs(text, buf, k, 'async') || tokenIs(text, buf, k, 'const') || tokenIs(text, buf, k, 'let') || tokenIs(text, buf, k, 'var') || tokenIs(text, buf, k, 'default'))) return false;
    }
    return false;
  }

  /** Every identifier in [from, to) as a binding that is not followed (a destructuring pattern). */
  private addPattern(from: number, to: number, scopeFrom: number, scopeTo: number): void {
    const { buf } = this;
    for (let k = from; k < to; k++) {
      // `{ key: local }`: the key is no binding; `= default` values are not either, but shadowing them is harmless.
      if (buf.kind[k] === IDENT && !isOp(buf, k + 1, OP_COLON)) this.add(this.word(k), B_OTHER, k, scopeFrom, scopeTo);
    }
  }

  private build(): void {
    const { buf } = this;
    for (let t = 0; t < this.count; t++) {
      const kind = buf.kind[t];
      if (kind === OP && buf.aux[t] === OP_ARROW) {
        this.arrow(t);
        continue;
      }
      if (kind === OPEN && buf.aux[t] === CH_LPAREN) {
        this.methodParams(t);
        continue;
      }
      if (kind !== IDENT) continue;
      const len = buf.end[t]! - buf.start[t]!;
      if (len < 3 || len > 8 || len === 7) continue;
      const c = this.text.charCodeAt(buf.start[t]!);
      if (c < 99 || c > 118 || (c > 102 && c !== 105 && c !== 108 && c !== 118)) continue; // c(atch|lass|onst) e(num) f(unction) i(mport) l(et) v(ar)
      if (this.isDot(t - 1)) continue;
      switch (this.word(t)) {
        case 'const':
          if (!tokenIs(this.text, buf, t + 1, 'enum')) this.declarators(t + 1, B_CONST);
          break;
        case 'let':
        case 'var':
          if (buf.kind[t + 1] === IDENT || isOpen(buf, t + 1, CH_LBRACKET) || isOpen(buf, t + 1, CH_LBRACE)) {
            this.functionScoped = tokenIs(this.text, buf, t, 'var');
            this.declarators(t + 1, B_LET);
            this.functionScoped = false;
          }
          break;
        case 'function':
          this.functionAt(t);
          break;
        case 'class':
          if (buf.kind[t + 1] === IDENT) this.addBlock(B_OTHER, t + 1);
          break;
        case 'enum':
          // A TypeScript enum is a table of its members: `enum Names { Live = 'x_prod' }`.
          if (buf.kind[t + 1] === IDENT) {
            const b = this.addBlock(B_CONST, t + 1);
            if (isOpen(buf, t + 2, CH_LBRACE) && buf.match[t + 2]! > 0) {
              b.valueFrom = t + 2;
              b.valueTo = buf.match[t + 2]! + 1;
            }
          }
          break;
        case 'import':
          if (!isOpen(buf, t + 1, CH_LPAREN) && !this.isDot(t + 1)) this.importClause(t + 1);
          break;
        case 'catch':
          if (isOpen(buf, t + 1, CH_LPAREN)) {
            const close = this.closeOf(t + 1);
            const block = isOpen(buf, close + 1, CH_LBRACE) ? this.closeOf(close + 1) : close;
            this.addPattern(t + 2, close, t + 1, block);
          }
          break;
      }
    }
    // A function expression or arrow bound to a `const` is called by that name.
    for (const list of this.byName.values()) {
      for (const b of list) {
        if (b.fnTok < 0) continue;
        const fn = this.functions.get(b.fnTok);
        if (fn && !fn.binding && b.kind !== B_OTHER) {
          fn.binding = b;
          b.fn = fn;
        } else b.fnTok = -1;
      }
    }
  }

  /** `a = 1, { b } = o, c: T = 2` after `const` / `let` / `var`. */
  private declarators(k: number, kind: number): void {
    const { buf } = this;
    for (let guard = 0; guard < 1000 && k < this.count; guard++) {
      let b: JsBinding | null = null;
      let parts: JsBinding[] | null = null;
      if (buf.kind[k] === IDENT) {
        b = this.addBlock(kind, k);
        k++;
      } else if (isOpen(buf, k, CH_LBRACE) || isOpen(buf, k, CH_LBRACKET)) {
        const close = this.closeOf(k);
        const brace = this.braceOf(k);
        if (tokenIs(this.text, buf, close + 1, 'of') && this.loopPattern(k, close, kind)) return;
        const loop = tokenIs(this.text, buf, close + 1, 'of') || tokenIs(this.text, buf, close + 1, 'in');
        if (isOpen(buf, k, CH_LBRACE) && !loop) parts = this.objectPattern(k, close, kind === B_CONST);
        else if (!loop && (parts = this.arrayPattern(k, close, kind === B_CONST)) !== null) {
          // `const [a, b] = …`: each name the element at its place.
        } else this.addPattern(k + 1, close, brace, brace >= 0 ? this.closeOf(brace) : this.count);
        k = close + 1;
      } else return;
      if (isOp(buf, k, 33)) k++; // `let x!: T`
      if (isOp(buf, k, OP_COLON)) k = this.skipType(k + 1);
      if (!isOp(buf, k, OP_ASSIGN)) {
        if (isOp(buf, k, OP_COMMA)) {
          k++;
          continue;
        }
        if (b && tokenIs(this.text, buf, k, 'of') && k + 1 < this.count) this.loopVariable(b, k);
        else if (b && tokenIs(this.text, buf, k, 'in') && k + 1 < this.count) {
          this.loopVariable(b, k);
          b.ofKeys = true;
        }
        return;
      }
      const from = k + 1;
      const to = this.exprEnd(from);
      if (b) {
        b.valueFrom = from;
        b.valueTo = to;
        b.fnTok = this.functionStart(from, to);
      }
      for (const p of parts ?? NO_PARTS) {
        p.valueFrom = from;
        p.valueTo = to;
      }
      if (!isOp(buf, to, OP_COMMA)) return;
      k = to + 1;
    }
  }

  /**
   * The names of the object pattern [open, close] of a declaration, each taken by a key: `crm`,
   * `crm = 'd'`, `crm: local`, `'pre-release': pre = 'd'` are B_PART bindings; any other element (a
   * nested pattern, `...rest`, a computed key) binds names that are not followed.
   */
  private objectPattern(open: number, close: number, constant: boolean): JsBinding[] {
    const brace = this.braceOf(open);
    const scopeTo = brace >= 0 ? this.closeOf(brace) : this.count;
    const out: JsBinding[] = [];
    for (const entry of objectEntries(this.text, this.buf, open, close)) {
      if ('rest' in entry) this.addPattern(entry.rest[0], entry.rest[1], brace, scopeTo);
      else out.push(Object.assign(this.addBlock(B_PART, entry.local, open), { part: { key: entry.key, defaultFrom: entry.defaultFrom, defaultTo: entry.defaultTo, constant } }));
    }
    return out;
  }

  /**
   * `const [a, b] = …`: each name of a flat array pattern [open, close] a B_PART binding taking the
   * element at its index; null (nothing added) for any other pattern (defaults, rest, nesting, holes).
   */
  private arrayPattern(open: number, close: number, constant: boolean): JsBinding[] | null {
    const names = flatPattern(this.text, this.buf, open, close);
    if (names === null) return null;
    return names.map(([tok], i) => {
      const b = this.addBlock(B_PART, tok, open);
      b.part = { key: String(i), element: true, defaultFrom: -1, defaultTo: -1, constant };
      return b;
    });
  }

  /** `for (const x of …)` with `of` at `k`: seen in the loop's header and body. */
  private loopVariable(b: JsBinding, k: number): void {
    const { buf } = this;
    const header = this.parent[k]!;
    b.ofFrom = k + 1;
    b.ofTo = this.exprEnd(k + 1);
    if (header >= 0 && isOpen(buf, header, CH_LPAREN) && tokenIs(this.text, buf, header - 1, 'for')) {
      const close = this.closeOf(header);
      b.scopeFrom = header;
      b.scopeTo = isOpen(buf, close + 1, CH_LBRACE) ? this.closeOf(close + 1) : this.exprEnd(close + 1);
    }
  }

  /**
   * `for (const [a, b] of …)`, `for (const { secret, label: l } of …)`: each name of a flat pattern
   * [open, close] a loop variable at its place or key; false (nothing added) for any other pattern
   * (defaults, rest, nesting, holes, computed keys).
   */
  private loopPattern(open: number, close: number, kind: number): boolean {
    const names = flatPattern(this.text, this.buf, open, close);
    if (names === null) return false;
    for (const [tok, place] of names) {
      const b = this.addBlock(kind, tok);
      b.ofPath = [place];
      this.loopVariable(b, close + 1);
    }
    return true;
  }

  /**
   * The `{` of the body after a parameter list closed at `close`, past a return type: the `{` that
   * follows something that can end a type (a name, a group, the `>` closing its type arguments:
   * `Promise<string> {`; not `: {` of an object type); -1 when there is none (a `;` first, or
   * more than `limit` parts of a type).
   */
  private bodyAfter(close: number, limit = this.count): number {
    const { buf } = this;
    let body = close + 1;
    if (isOp(buf, body, OP_COLON)) {
      body++;
      let angle = 0;
      for (let parts = 0; body < this.count && !(isOpen(buf, body, CH_LBRACE) && (buf.kind[body - 1] !== OP || (angle === 0 && body - 1 > close + 1 && this.angles(body - 1) < 0))); parts++) {
        if (isOp(buf, body, OP_SEMI) || parts >= limit) return -1;
        if (buf.kind[body] === OP) angle += this.angles(body);
        body = skipGroup(buf, body, this.count);
      }
    }
    return isOpen(buf, body, CH_LBRACE) ? body : -1;
  }

  /** An operator token of `<`s only (+ how many) or `>`s only (- how many): a type's angle brackets; 0 for any other. */
  private angles(k: number): number {
    const { text, buf } = this;
    const a = buf.start[k]!;
    const b = buf.end[k]!;
    const c = text.charCodeAt(a);
    if (c !== 60 && c !== 62) return 0;
    for (let i = a + 1; i < b; i++) if (text.charCodeAt(i) !== c) return 0;
    return c === 60 ? b - a : a - b;
  }

  /** The end of a type annotation starting at `k`: its `=`, or where the declarator ends. */
  private skipType(k: number): number {
    const { buf } = this;
    let angle = 0;
    const p = k < this.count ? this.parent[k]! : -1;
    const limit = p >= 0 ? this.closeOf(p) : this.count;
    while (k < limit) {
      if (buf.kind[k] === OP) {
        const aux = buf.aux[k];
        if (aux === 60) angle++;
        else if (aux === 62) angle--;
        else if (aux === OP_ARROW) {
          // a function type: `() => string`
        } else if (aux === OP_SEMI || (angle <= 0 && (aux === OP_ASSIGN || aux === OP_COMMA))) return k;
      } else if (buf.kind[k] === CLOSE) return k;
      else if (angle <= 0 && k > 0 && lineBreakBetween(this.text, buf, k - 1, k) && buf.kind[k - 1] !== OP && buf.kind[k] !== OP) return k;
      k = skipGroup(buf, k, limit);
    }
    return k;
  }

  /** The `function` or `=>` token of a function expression that is the whole value [from, to), or -1. */
  private functionStart(from: number, to: number): number {
    const { buf, text } = this;
    let k = from;
    if (tokenIs(text, buf, k, 'async')) k++;
    if (tokenIs(text, buf, k, 'function')) return k;
    let arrow = -1;
    if (isOpen(buf, k, CH_LPAREN)) {
      let j = this.closeOf(k) + 1;
      if (isOp(buf, j, OP_COLON)) while (j < to && !isOp(buf, j, OP_ARROW)) j = skipGroup(buf, j, to);
      arrow = j;
    } else if (buf.kind[k] === IDENT) arrow = k + 1;
    return arrow < to && isOp(buf, arrow, OP_ARROW) ? arrow : -1;
  }

  private functionAt(t: number): void {
    const { buf } = this;
    let k = t + 1;
    if (isOp(buf, k, 42)) k++; // function*
    const nameTok = buf.kind[k] === IDENT ? k : -1;
    if (nameTok >= 0) k++;
    if (isOp(buf, k, 60)) {
      // TypeScript type parameters: `function f<T>(…)`
      while (k < this.count && !isOpen(buf, k, CH_LPAREN) && buf.kind[k] !== CLOSE) k = skipGroup(buf, k, this.count);
    }
    if (!isOpen(buf, k, CH_LPAREN)) return;
    const close = this.closeOf(k);
    const body = this.bodyAfter(close);
    if (body < 0) return;
    const fn: JsFunction = { at: t, params: [], bodyFrom: body, bodyTo: this.closeOf(body), block: true, binding: null };
    this.functions.set(t, fn);
    this.bodies.add(body);
    this.params(fn, k, close, k, fn.bodyTo);
    if (nameTok >= 0) {
      // A function expression's own name is seen only inside it; a declaration's in its block.
      const expression = tokenIs(this.text, buf, t - 1, 'async') ? this.isExpressionStart(t - 2) : this.isExpressionStart(t - 1);
      const b = expression ? this.add(this.word(nameTok), B_FUNCTION, nameTok, k, fn.bodyTo) : this.addBlock(B_FUNCTION, nameTok);
      b.fn = fn;
      fn.binding = b;
    }
  }

  /** Whether `function` with token `t` before it (or before its `async`) starts an expression. */
  private isExpressionStart(t: number): boolean {
    const { buf } = this;
    if (t < 0) return false;
    const kind = buf.kind[t];
    if (kind === OP) return buf.aux[t] !== OP_SEMI;
    if (kind === OPEN) return buf.aux[t] !== CH_LBRACE;
    if (kind === IDENT && /^(export|default|else|do)$/.test(this.word(t))) return false;
    // `foo()` and then `function f() {}` on the next line: a declaration.
    return !lineBreakBetween(this.text, buf, t, t + 1) && kind !== CLOSE;
  }

  private arrow(t: number): void {
    const { buf } = this;
    let p = t - 1;
    // `(a: string): string =>`: a return type between the parameters and the arrow.
    if (!(buf.kind[p] === CLOSE && buf.aux[p] === 41) && !(buf.kind[p] === IDENT && !isOp(buf, p - 1, OP_COLON))) {
      let j = p;
      for (let guard = 0; guard < 32 && j > 0 && !isOp(buf, j, OP_COLON); guard++) j = buf.kind[j] === CLOSE && buf.match[j]! >= 0 ? buf.match[j]! - 1 : j - 1;
      p = isOp(buf, j, OP_COLON) ? j - 1 : -1;
    }
    let paramsFrom: number;
    let paramsOpen = -1;
    if (p >= 0 && buf.kind[p] === CLOSE && buf.aux[p] === 41 && buf.match[p]! >= 0) {
      paramsOpen = buf.match[p]!;
      paramsFrom = paramsOpen;
    } else if (p >= 0 && buf.kind[p] === IDENT) paramsFrom = p;
    else return;
    const block = isOpen(buf, t + 1, CH_LBRACE);
    const bodyFrom = block ? t + 1 : t + 1;
    const bodyTo = block ? this.closeOf(t + 1) : this.exprEnd(t + 1);
    const fn: JsFunction = { at: t, params: [], bodyFrom, bodyTo, block, binding: null };
    this.functions.set(t, fn);
    if (block) this.bodies.add(t + 1);
    const scopeTo = Math.min(this.count, bodyTo + 1);
    if (paramsOpen >= 0) this.params(fn, paramsOpen, buf.match[paramsOpen]!, paramsFrom, scopeTo);
    else {
      const b = this.add(this.word(p), B_PARAM, p, paramsFrom, scopeTo);
      b.fn = fn;
      fn.params.push(b);
    }
  }

  /** The parameters in the group [open, close) of `fn`, seen in [scopeFrom, scopeTo). */
  private params(fn: JsFunction, open: number, close: number, scopeFrom: number, scopeTo: number): void {
    const { buf } = this;
    let a = open + 1;
    let index = 0;
    while (a < close) {
      const e = itemEnd(buf, a, close);
      let k = a;
      while (k < e && buf.kind[k] === IDENT && buf.kind[k + 1] === IDENT && /^(public|private|protected|readonly|override)$/.test(this.word(k))) k++;
      if (isOp(buf, k, OP_ELLIPSIS) || buf.kind[k] !== IDENT || tokenIs(this.text, buf, k, 'this')) {
        // `([label, name]) => …`: a flat array pattern's names are the parameter's parts, each at its
        // place (followed where the function is a callback over known rows); any other pattern is not.
        if (!this.paramObject(fn, k, e, index, scopeFrom, scopeTo) && !this.paramPattern(fn, k, e, index, scopeFrom, scopeTo)) this.addPattern(k, e, scopeFrom, scopeTo);
      } else {
        const b = this.add(this.word(k), B_PARAM, k, scopeFrom, scopeTo);
        b.fn = fn;
        b.index = index;
        let j = k + 1;
        while (j < e && !isOp(buf, j, OP_ASSIGN)) j = skipGroup(buf, j, e);
        if (j < e) {
          b.valueFrom = j + 1;
          b.valueTo = e;
        }
        fn.params.push(b);
      }
      index++;
      a = e + 1;
    }
  }

  /**
   * The parameter at `index` written as a flat array pattern at [k, e) (`[a, b]`, a type annotation
   * after it allowed): each name a parameter binding with its place in `ofPath`; false (nothing
   * added) for any other pattern.
   */
  private paramPattern(fn: JsFunction, k: number, e: number, index: number, scopeFrom: number, scopeTo: number): boolean {
    const { buf } = this;
    if (!isOpen(buf, k, CH_LBRACKET)) return false; // (an object pattern is paramObject's)
    const close = buf.match[k]!;
    if (close < 0 || close >= e || !(close + 1 === e || isOp(buf, close + 1, OP_COLON))) return false;
    const names = flatPattern(this.text, this.buf, k, close);
    if (names === null) return false;
    for (const [tok, place] of names) Object.assign(this.add(this.word(tok), B_PARAM, tok, scopeFrom, scopeTo), { fn, index, ofPath: [place] });
    return true;
  }

  /** A parameter written as an object pattern (jsPatterns.ts's objectParameter): each plain name a parameter taking its key of the argument (paramPart; not among fn.params, which are whole parameters), and a callback's element's by its key (ofPath) when no default is anywhere (`({ secret }) => …`); false (nothing added) for any other. */
  private paramObject(fn: JsFunction, k: number, e: number, index: number, scopeFrom: number, scopeTo: number): boolean {
    const param = objectParameter(this.text, this.buf, k, e);
    if (param === null) return false;
    const pattern = { index, parts: [] as JsBinding[], plain: param.entries.every((entry) => !('rest' in entry)) };
    const flat = pattern.plain && param.defaultFrom < 0 && param.entries.every((entry) => !('rest' in entry) && entry.defaultFrom < 0);
    for (const entry of param.entries) {
      if ('rest' in entry) this.addPattern(entry.rest[0], entry.rest[1], scopeFrom, scopeTo);
      else {
        const paramPart = { key: entry.key, defaultFrom: entry.defaultFrom, defaultTo: entry.defaultTo, constant: true };
        pattern.parts.push(Object.assign(this.add(this.word(entry.local), B_PARAM, entry.local, scopeFrom, scopeTo), { fn, index, valueFrom: param.defaultFrom, valueTo: param.defaultTo, paramPart, ofPath: flat ? [entry.key] : undefined }));
      }
    }
    (fn.patterns ??= []).push(pattern);
    return true;
  }

  /** A method's or an unknown function-like group's parameters: `name(a, b) {`. */
  private methodParams(t: number): void {
    const { buf } = this;
    const close = buf.match[t]!;
    if (close < 0) return;
    const body = this.bodyAfter(close, 32);
    if (body < 0) return;
    const before = t - 1;
    if (before >= 0 && buf.kind[before] === IDENT) {
      if (NOT_PARAMS.has(this.word(before))) return;
      if (tokenIs(this.text, buf, before, 'function') || tokenIs(this.text, buf, before - 1, 'function')) return; // functionAt
    } else if (!(before >= 0 && (buf.kind[before] === CLOSE || isOp(buf, before, 42) || isOp(buf, before, 62)))) return;
    this.bodies.add(body);
    // A method: its parameters are followed as a function's (its callers are not looked for: open).
    const fn: JsFunction = { at: t, params: [], bodyFrom: body, bodyTo: this.closeOf(body), block: true, binding: null };
    this.functions.set(t, fn);
    this.params(fn, t, close, t, this.closeOf(body));
  }

  /** `import a, { b as c, type d } from '…'`, `import * as ns from '…'`. */
  private importClause(k: number): void {
    const { buf } = this;
    for (let guard = 0; guard < 2000 && k < this.count; guard++) {
      const kind = buf.kind[k];
      if (kind === OP && buf.aux[k] === OP_SEMI) return;
      if (kind === IDENT) {
        const w = this.word(k);
        if (w === 'from') return;
        if (!IMPORT_WORDS.has(w) && !tokenIs(this.text, buf, k + 1, 'as')) this.add(w, B_OTHER, k, -1, this.count);
      } else if (kind !== OP && kind !== OPEN && kind !== CLOSE) return;
      k++;
    }
  }
}

/** For each token, the innermost open bracket or template around it (-1: none). */
function parents(buf: TokenBuffer, count: number): Int32Array {
  const parent = new Int32Array(count + 1);
  let stack = new Int32Array(64);
  let size = 0;
  for (let t = 0; t < count; t++) {
    const kind = buf.kind[t];
    if (kind === CLOSE || kind === TPL_TAIL) {
      const m = buf.match[t]!;
      if (m >= 0) {
        while (size > 0 && stack[size - 1] !== m) size--;
        if (size > 0) size--;
      }
    }
    parent[t] = size > 0 ? stack[size - 1]! : -1;
    if (kind === OPEN || kind === TPL_HEAD) {
      if (size === stack.length) {
        const grown = new Int32Array(size * 2);
        grown.set(stack);
        stack = grown;
      }
      stack[size++] = t;
    }
  }
  parent[count] = -1;
  return parent;
}
