// The statements of a JavaScript / TypeScript document, as the JS front end splits them, for the
// consumers after the scan (the leak analysis walks them: leaks/javascript.ts). There are no line
// tokens: a statement ends at `;`, at its block's end, or at a line break where the next token
// cannot continue it (automatic semicolon insertion, read the way the language does: a line
// starting with `.`, an operator, `(`, `[` or a template continues the one before).
//
// One table, in one pass: the module's statements, then every body met inside them (a function's
// or method's, an arrow's, a static block: a `{…}` that is no block statement and no object or
// type literal, which are read through), each a list of its own. A compound statement's
// parts follow it (pre-order: an `if`'s body and `else` body, a loop's body, a block's statements,
// a class's members); `next` skips them. Each token is read a small constant number of times.
// Nesting deeper than MAX_DEPTH within one list is not split (as the leak walker does not follow
// it). Valid until the next scan, as the token buffer is.

import { skipGroup } from '../scan/calls';
import {
  CH_LBRACE,
  CH_LBRACKET,
  CH_LPAREN,
  CLOSE,
  IDENT,
  NUMBER,
  OP,
  OPEN,
  OP_ARROW,
  OP_ASSIGN,
  OP_COLON,
  OP_COMMA,
  OP_DOT,
  OP_ELLIPSIS,
  OP_SEMI,
  OP_STAR,
  STRING,
  S_TEMPLATE,
  TPL_HEAD,
  type TokenBuffer,
  isOp,
  isOpen,
  lineBreakBetween,
  tokenIs,
} from '../scan/tokens';

// Kinds of entries. Fields a, b, c are the kind's positions (tokens; -1: none).
/** Nothing to read: `;`, a label, `default:`, `try`, `else`, `break`, imports, type-only statements. */
export const ST_NONE = 0;
/** `@decorator` / `@decorator(…)`: a = the end of the call to evaluate ([start + 1, a)), -1 for none. */
export const ST_DECORATOR = 1;
/** `{ … }` (or `namespace N { … }`): its statements follow. */
export const ST_BLOCK = 2;
/** `const` / `let` / `var` declarators: [a, b), b the end before any `;`. */
export const ST_DECLARATION = 3;
/** `function f(…) {…}`: a = its `(` (-1: none), c = its name (-1: none). */
export const ST_FUNCTION = 4;
/** `class C {…}`: a = its name (-1: none); its members follow. */
export const ST_CLASS = 5;
/** `if (…) … else …`: a = the condition's `)` (-1: no condition); the body and any `else` body follow. */
export const ST_IF = 6;
/** `for (x of …) …` / `for (x in …) …`: a = the target's first token, b = `of` / `in`, c = `)`; the body follows. */
export const ST_FOR_OF = 7;
/** `for (init; test; update) …`: a = the first `;`, b = the second, c = `)`; the init, the update and the body follow. */
export const ST_FOR = 8;
/** `while` / `with` / `switch (…) …`: a = the condition's `)` (-1: none); the body follows. */
export const ST_WHILE = 9;
/** `do … while (…)`: the body follows; a = the condition's `)`, b = its `(` (-1: none). */
export const ST_DO = 10;
/** `case value:`: a = the colon. */
export const ST_CASE = 11;
/** `catch (…)`: a = the `)`. */
export const ST_CATCH = 12;
/** `return …`: a = the end of its value. */
export const ST_RETURN = 13;
/** `throw …`: a = the end of its value. */
export const ST_THROW = 14;
/** An expression statement: [a, b). */
export const ST_EXPRESSION = 15;
/** A body too deeply nested to split. */
export const ST_SKIPPED = 16;
/** A class's static block: a = its `{`, b = its `}`. */
export const ST_STATIC = 17;
/** A method: a = its `(`, c = its name (-1: computed, a string or a number). */
export const ST_METHOD = 18;
/** A class field: a = its name (-1: none), b = the token after the name, c = the end of the member. */
export const ST_FIELD = 19;

/** Nesting within one list beyond this is not split: the leak analysis's MAX_DEPTH (leaks/state.ts). */
const MAX_DEPTH = 200;

/** After these words a line break does not end the statement. */
const CONTINUING_WORDS = new Set(['new', 'typeof', 'instanceof', 'in', 'of', 'await', 'void', 'delete', 'extends', 'as', 'satisfies', 'keyof']);
/** A line starting with these words continues the one before. */
const CONTINUING_NEXT = new Set(['instanceof', 'in', 'of', 'as', 'satisfies']);
const MODIFIERS = new Set(['public', 'private', 'protected', 'static', 'readonly', 'async', 'abstract', 'override', 'declare', 'accessor', 'get', 'set']);

/** The statement words (statement's switch, above a label). */
const KEYWORDS = [
  ...['var', 'const', 'let', 'function', 'async', 'class', 'abstract', 'if', 'for', 'while', 'with', 'switch', 'do', 'case', 'default'],
  ...['try', 'finally', 'else', 'catch', 'return', 'throw', 'break', 'continue', 'import', 'export', 'type', 'interface', 'enum', 'declare', 'namespace', 'module'],
];

/** By length (up to 15) and first letter (a to z), one bit each: whether a word of `words` has them. */
function shapes(words: readonly string[]): Uint8Array {
  const table = new Uint8Array(16 * 26);
  for (const w of words) table[w.length * 26 + w.charCodeAt(0) - 97] = 1;
  return table;
}

const KEYWORD_SHAPES = shapes(KEYWORDS);
const CONTINUING_SHAPES = shapes([...CONTINUING_WORDS]);

/** Whether identifier `t` has the length and first letter of a word `table` was made of (most names do not: no string is made for them). */
function mayBeWord(text: string, buf: TokenBuffer, t: number, table: Uint8Array): boolean {
  const len = buf.end[t]! - buf.start[t]!;
  const c = text.charCodeAt(buf.start[t]!) - 97;
  return len < 16 && c >= 0 && c < 26 && table[len * 26 + c] === 1;
}

/** The statement model of a JS / TS document (see the file's comment). */
export class JsStructure {
  start = new Int32Array(256);
  /** Where the next statement starts (past a `;` that ends this one). */
  end = new Int32Array(256);
  kind = new Uint8Array(256);
  /** The entry after this one and its parts. */
  next = new Int32Array(256);
  a = new Int32Array(256);
  b = new Int32Array(256);
  c = new Int32Array(256);
  count = 0;
  /** By list (0: the module), its first entry and the entry after its last. */
  private listFirst: number[] = [];
  private listEnd: number[] = [];
  /** The list of each `{` split as one, by its token. */
  private readonly lists = new Map<number, number>();
  /** The `{` met and not yet split, each with where its list ends (its `}`, or the limit of where it was met when it has none). */
  private queue: number[] = [];
  private text = '';
  private buf: TokenBuffer | null = null;
  /** scan's closes of the groups around the token it reads. */
  private around: number[] = [];

  /** Splits a lexed document (replacing what was there); one pass. */
  build(text: string, buf: TokenBuffer): this {
    this.text = text;
    this.buf = buf;
    this.count = 0;
    this.late = 0;
    this.listFirst = [];
    this.listEnd = [];
    this.lists.clear();
    this.queue = [];
    this.list(-1, 0, buf.count);
    this.drain(0);
    this.queue = [];
    return this;
  }

  /** Empty: a document no consumer reads the statements of (no references). */
  clear(): this {
    this.count = 0;
    this.late = 0;
    this.listFirst = [0];
    this.listEnd = [0];
    this.lists.clear();
    this.text = '';
    this.buf = null;
    return this;
  }

  /**
   * The statements in the `{` at `open` (-1: the module): the list's first entry, the one after its
   * last. A `{` the pass did not meet (a body where no expression was expected) is split now.
   */
  statementsOf(open: number, to: number): { first: number; end: number } {
    let id = open < 0 ? 0 : this.lists.get(open);
    if (id === undefined) {
      this.late++;
      this.list(open, open + 1, this.closeOf(open, to));
      this.drain(0);
      this.queue = [];
      id = this.lists.get(open)!;
    }
    return { first: this.listFirst[id]!, end: this.listEnd[id]! };
  }

  /** How many lists were split after the pass (statementsOf); the tests expect none for ordinary code. */
  late = 0;

  // ---- the pass ----

  /** Splits the queued `{` from `q` on (the queue grows as they are split). */
  private drain(q: number): void {
    for (; q < this.queue.length; q += 2) {
      const open = this.queue[q]!;
      if (!this.lists.has(open)) this.list(open, open + 1, this.queue[q + 1]!);
    }
  }

  /** Queues the `{` at `open`, its list ending at its `}` or, unclosed before `limit`, there. */
  private enqueue(open: number, limit: number): void {
    this.queue.push(open, this.closeOf(open, limit));
  }

  private list(open: number, from: number, to: number): void {
    const id = this.listFirst.length;
    this.listFirst.push(this.count);
    this.listEnd.push(this.count);
    if (open >= 0) this.lists.set(open, id);
    this.statements(from, to, 0);
    this.listEnd[id] = this.count;
  }

  private push(kind: number, start: number): number {
    if (this.count === this.start.length) this.grow();
    const i = this.count++;
    this.kind[i] = kind;
    this.start[i] = start;
    this.a[i] = -1;
    this.b[i] = -1;
    this.c[i] = -1;
    return i;
  }

  /** Closes entry `i` (its parts pushed): the next statement starts at `end`. */
  private done(i: number, end: number): number {
    this.end[i] = end;
    this.next[i] = this.count;
    return end;
  }

  private leaf(kind: number, start: number, end: number, a = -1, b = -1, c = -1): number {
    const i = this.push(kind, start);
    this.a[i] = a;
    this.b[i] = b;
    this.c[i] = c;
    return this.done(i, end);
  }

  private grow(): void {
    const size = this.start.length * 2;
    const int = (x: Int32Array) => {
      const y = new Int32Array(size);
      y.set(x);
      return y;
    };
    this.start = int(this.start);
    this.end = int(this.end);
    this.next = int(this.next);
    this.a = int(this.a);
    this.b = int(this.b);
    this.c = int(this.c);
    const k = new Uint8Array(size);
    k.set(this.kind);
    this.kind = k;
  }

  private statements(a: number, b: number, depth: number): void {
    let t = a;
    while (t < b) {
      const next = this.statement(t, b, depth);
      t = next > t ? next : t + 1;
    }
  }

  private word(t: number): string {
    return this.text.slice(this.buf!.start[t]!, this.buf!.end[t]!);
  }

  private isWord(t: number, w: string): boolean {
    return tokenIs(this.text, this.buf!, t, w);
  }

  private closeOf(t: number, limit: number): number {
    const m = this.buf!.match[t]!;
    return m >= 0 && m < limit ? m : limit;
  }

  /** The statement at `t` (inside [t, b)); returns where the next one starts. */
  private statement(t: number, b: number, depth: number): number {
    const buf = this.buf!;
    const kind = buf.kind[t];
    if (kind === OP) {
      if (buf.aux[t] === OP_SEMI) return this.leaf(ST_NONE, t, t + 1);
      if (buf.aux[t] === 64) return this.decorator(t, b);
    }
    if (kind === OPEN && buf.aux[t] === CH_LBRACE) return this.block(t, t, b, depth);
    if (kind === IDENT) {
      if (mayBeWord(this.text, buf, t, KEYWORD_SHAPES)) switch (this.word(t)) {
        case 'var':
        case 'const':
          if (this.isWord(t + 1, 'enum')) return this.skipTypeDeclaration(t, t + 1, b);
          return this.declaration(t, t + 1, b);
        case 'let':
          if (buf.kind[t + 1] === IDENT || isOpen(buf, t + 1, CH_LBRACKET) || isOpen(buf, t + 1, CH_LBRACE)) return this.declaration(t, t + 1, b);
          break;
        case 'function':
          return this.functionDeclaration(t, t, b);
        case 'async':
          if (this.isWord(t + 1, 'function')) return this.functionDeclaration(t, t + 1, b);
          break;
        case 'class':
          return this.classDeclaration(t, t, b);
        case 'abstract':
          if (this.isWord(t + 1, 'class')) return this.classDeclaration(t, t + 1, b);
          break;
        case 'if': {
          const i = this.push(ST_IF, t);
          let n = this.condition(i, t + 1, b);
          n = this.body(n, b, depth);
          if (this.isWord(n, 'else')) n = this.body(n + 1, b, depth);
          return this.done(i, n);
        }
        case 'for':
          return this.forStatement(t, b, depth);
        case 'while':
        case 'with':
        case 'switch': {
          const i = this.push(ST_WHILE, t);
          return this.done(i, this.body(this.condition(i, t + 1, b), b, depth));
        }
        case 'do': {
          const i = this.push(ST_DO, t);
          let n = this.body(t + 1, b, depth);
          if (this.isWord(n, 'while')) {
            if (isOpen(buf, n + 1, CH_LPAREN)) {
              const c = this.closeOf(n + 1, b);
              this.a[i] = c;
              this.b[i] = n + 1;
              this.scan(n + 1, Math.min(c + 1, b));
              n = c < b ? c + 1 : b;
            } else n = n + 1;
          }
          return this.done(i, this.after(n));
        }
        case 'case': {
          const colon = this.caseColon(t + 1, b);
          this.scan(t + 1, colon);
          return this.leaf(ST_CASE, t, colon + 1, colon);
        }
        case 'default':
          if (isOp(buf, t + 1, OP_COLON)) return this.leaf(ST_NONE, t, t + 2);
          break;
        case 'try':
        case 'finally':
        case 'else':
          return this.leaf(ST_NONE, t, t + 1);
        case 'catch':
          if (isOpen(buf, t + 1, CH_LPAREN)) {
            const c = this.closeOf(t + 1, b);
            return this.leaf(ST_CATCH, t, c < b ? c + 1 : b, c);
          }
          return this.leaf(ST_NONE, t, t + 1);
        case 'return': {
          const e = this.endOf(t + 1, b, true);
          this.scan(t + 1, e);
          return this.leaf(ST_RETURN, t, this.after(e), e);
        }
        case 'throw': {
          const e = this.endOf(t + 1, b, false);
          this.scan(t + 1, e);
          return this.leaf(ST_THROW, t, this.after(e), e);
        }
        case 'break':
        case 'continue':
          return this.leaf(ST_NONE, t, this.after(this.endOf(t + 1, b, true)));
        case 'import':
          if (!isOpen(buf, t + 1, CH_LPAREN) && !isOp(buf, t + 1, OP_DOT)) return this.leaf(ST_NONE, t, this.after(this.endOf(t + 1, b, false)));
          break;
        case 'export':
          return this.exportStatement(t, b, depth);
        case 'type':
          if (buf.kind[t + 1] === IDENT && (isOp(buf, t + 2, OP_ASSIGN) || isOp(buf, t + 2, 60))) return this.leaf(ST_NONE, t, this.after(this.endOf(t + 1, b, false)));
          break;
        case 'interface':
        case 'enum':
          if (buf.kind[t + 1] === IDENT) return this.skipTypeDeclaration(t, t, b);
          break;
        case 'declare':
          if (buf.kind[t + 1] === IDENT) return this.leaf(ST_NONE, t, this.after(this.endOf(t + 1, b, false)));
          break;
        case 'namespace':
        case 'module': {
          let k = t + 1;
          while (k < b && (buf.kind[k] === IDENT || buf.kind[k] === STRING || isOp(buf, k, OP_DOT))) k++;
          if (k > t + 1 && isOpen(buf, k, CH_LBRACE)) return this.block(t, k, b, depth);
          break;
        }
      }
      // A label: `outer: for (…)`.
      if (isOp(buf, t + 1, OP_COLON)) return this.leaf(ST_NONE, t, t + 2);
    }
    return this.expressionStatement(t, t, b);
  }

  private after(e: number): number {
    return isOp(this.buf!, e, OP_SEMI) ? e + 1 : e;
  }

  /** A statement that is another's body (`if (…) body`), pushed after it; returns where it ends. */
  private body(t: number, b: number, depth: number): number {
    if (t >= b) return b;
    if (depth >= MAX_DEPTH) return this.leaf(ST_SKIPPED, t, this.after(this.endOf(t, b, false)));
    const n = this.statement(t, b, depth + 1);
    return n > t ? n : t + 1;
  }

  /** A block `{` at `open` (its statement starting at `t`). */
  private block(t: number, open: number, b: number, depth: number): number {
    const i = this.push(ST_BLOCK, t);
    const c = this.closeOf(open, b);
    if (depth < MAX_DEPTH) this.statements(open + 1, c, depth + 1);
    return this.done(i, c < b ? c + 1 : b);
  }

  /** `(condition)` at `k` for entry `i` (its `)` in a); returns what follows. */
  private condition(i: number, k: number, b: number): number {
    if (!isOpen(this.buf!, k, CH_LPAREN)) return k;
    const c = this.closeOf(k, b);
    this.a[i] = c;
    this.scan(k + 1, c);
    return c < b ? c + 1 : b;
  }

  /** The `:` ending `case value:` (a conditional's colons skipped). */
  private caseColon(k: number, b: number): number {
    const buf = this.buf!;
    let questions = 0;
    for (; k < b; k = skipGroup(buf, k, b)) {
      if (isOp(buf, k, 63)) questions++;
      else if (isOp(buf, k, OP_COLON)) {
        if (questions === 0) return k;
        questions--;
      }
    }
    return b;
  }

  /**
   * Where the statement starting at `t` ends: `;`, the block's `}`, or a line break the next token
   * cannot continue after. `restricted`: `return` / `break` / `continue`, which a line break ends.
   */
  private endOf(t: number, b: number, restricted: boolean): number {
    const buf = this.buf!;
    if (t >= b) return b;
    if (restricted && t > 0 && lineBreakBetween(this.text, buf, t - 1, t)) return t;
    let prev = -1;
    let k = t;
    while (k < b) {
      const kind = buf.kind[k];
      if (kind === CLOSE || (kind === OP && buf.aux[k] === OP_SEMI)) return k;
      if (prev >= 0 && lineBreakBetween(this.text, buf, k - 1, k) && !this.continues(prev, k)) return k;
      const n = skipGroup(buf, k, b);
      prev = n - 1;
      k = n;
    }
    return b;
  }

  private continues(prev: number, k: number): boolean {
    const buf = this.buf!;
    const pk = buf.kind[prev];
    if (pk === OP) return buf.aux[prev] !== 33 && !this.isIncDec(prev);
    if (pk === IDENT && mayBeWord(this.text, buf, prev, CONTINUING_SHAPES) && CONTINUING_WORDS.has(this.word(prev))) return true;
    const kind = buf.kind[k];
    if (kind === OP) {
      const op = buf.aux[k];
      return !(op === 33 || op === 126 || op === 64 || op === OP_ELLIPSIS || this.isIncDec(k));
    }
    if (kind === OPEN) return buf.aux[k] !== CH_LBRACE;
    if (kind === TPL_HEAD || (kind === STRING && (buf.aux[k]! & S_TEMPLATE) !== 0)) return true;
    if (kind === IDENT) return CONTINUING_NEXT.has(this.word(k));
    return false;
  }

  /** `++` / `--`. */
  private isIncDec(t: number): boolean {
    const buf = this.buf!;
    if (buf.kind[t] !== OP || buf.end[t]! - buf.start[t]! !== 2) return false;
    const c = this.text.charCodeAt(buf.start[t]!);
    return (c === 43 || c === 45) && this.text.charCodeAt(buf.start[t]! + 1) === c;
  }

  /**
   * The `{` groups in tokens [from, to) (an arrow's body, a function expression's, an object), each
   * queued to be split as a list; one not closed ends where the group around it does.
   */
  private scan(from: number, to: number): void {
    const buf = this.buf!;
    const around = this.around;
    let depth = 0;
    for (let k = from; k < to; k++) {
      while (depth > 0 && k >= around[depth - 1]!) depth--;
      if (buf.kind[k] !== OPEN) continue;
      const m = buf.match[k]!;
      // A group other than a body is read through: the bodies inside it (`f(() => {…})`, `{ m() {…} }`).
      if (buf.aux[k] !== CH_LBRACE || valueBrace(buf, k)) {
        if (m >= 0 && m < to) around[depth++] = m;
        continue;
      }
      this.enqueue(k, depth > 0 ? around[depth - 1]! : to);
      if (m < 0 || m >= to) return;
      k = m;
    }
  }

  private expressionStatement(t: number, from: number, b: number): number {
    const e = this.endOf(from, b, false);
    if (e <= from) return this.leaf(ST_EXPRESSION, t, from, from, e);
    this.scan(from, e);
    return this.leaf(ST_EXPRESSION, t, this.after(e), from, e);
  }

  /** `a = 1, {b, c} = obj, d` after `const` / `let` / `var`, from `from`. */
  private declaration(t: number, from: number, b: number): number {
    const e = this.endOf(from, b, false);
    this.scan(from, e);
    return this.leaf(ST_DECLARATION, t, this.after(e), from, e);
  }

  private forStatement(t: number, b: number, depth: number): number {
    const buf = this.buf!;
    let k = t + 1;
    if (this.isWord(k, 'await')) k++;
    if (!isOpen(buf, k, CH_LPAREN)) return this.leaf(ST_NONE, t, k);
    const c = this.closeOf(k, b);
    let first = k + 1;
    const declared = this.isWord(first, 'const') || this.isWord(first, 'let') || this.isWord(first, 'var');
    if (declared) first++;
    let firstSemi = k + 1;
    while (firstSemi < c && !isOp(buf, firstSemi, OP_SEMI)) firstSemi = skipGroup(buf, firstSemi, c);
    let of = first;
    while (of < c && !this.isWord(of, 'of') && !this.isWord(of, 'in')) of = skipGroup(buf, of, c);
    let i: number;
    if (firstSemi >= c && of < c) {
      i = this.push(ST_FOR_OF, t);
      this.a[i] = first;
      this.b[i] = of;
      this.scan(k + 1, c);
    } else {
      i = this.push(ST_FOR, t);
      this.a[i] = firstSemi;
      if (declared) this.declaration(first, first, firstSemi);
      else this.expressionStatement(k + 1, k + 1, firstSemi);
      let second = firstSemi + 1;
      while (second < c && !isOp(buf, second, OP_SEMI)) second = skipGroup(buf, second, c);
      second = Math.min(second, c);
      this.b[i] = second;
      this.scan(firstSemi + 1, second);
      if (second + 1 < c) this.expressionStatement(second + 1, second + 1, c);
      else this.leaf(ST_NONE, second + 1, second + 1);
    }
    this.c[i] = c;
    return this.done(i, this.body(c < b ? c + 1 : b, b, depth));
  }

  private exportStatement(t: number, b: number, depth: number): number {
    const buf = this.buf!;
    let k = t + 1;
    const isDefault = this.isWord(k, 'default');
    if (isDefault) k++;
    if (k >= b) return this.leaf(ST_NONE, t, b);
    if (isDefault && isOpen(buf, k, CH_LBRACE)) return this.expressionStatement(t, k, b);
    if (isOpen(buf, k, CH_LBRACE) || isOp(buf, k, OP_STAR) || isOp(buf, k, OP_ASSIGN) || (this.isWord(k, 'type') && isOpen(buf, k + 1, CH_LBRACE))) {
      return this.leaf(ST_NONE, t, this.after(this.endOf(k, b, false))); // export { a, b } from '…'
    }
    return this.statement(k, b, depth);
  }

  /** `interface X {…}`, `enum X {…}` (the word at `w`): nothing runs there. */
  private skipTypeDeclaration(t: number, w: number, b: number): number {
    const body = findBody(this.buf!, w + 1, b);
    if (body < 0) return this.leaf(ST_NONE, t, this.after(this.endOf(w + 1, b, false)));
    const c = this.closeOf(body, b);
    return this.leaf(ST_NONE, t, c < b ? c + 1 : b);
  }

  private decorator(t: number, b: number): number {
    const buf = this.buf!;
    let k = t + 1;
    while (k < b && (buf.kind[k] === IDENT || isOp(buf, k, OP_DOT))) k++;
    if (isOpen(buf, k, CH_LPAREN)) {
      const c = this.closeOf(k, b);
      const e = Math.min(c + 1, b);
      this.scan(k, e);
      return this.leaf(ST_DECORATOR, t, c < b ? c + 1 : b, e);
    }
    return this.leaf(ST_DECORATOR, t, k);
  }

  /** `function [*] [name] (…) {…}` with `function` at `f`; its body is a list of its own. */
  private functionDeclaration(t: number, f: number, b: number): number {
    const buf = this.buf!;
    let k = f + 1;
    if (isOp(buf, k, OP_STAR)) k++;
    let name = -1;
    if (buf.kind[k] === IDENT) {
      name = k;
      k++;
    }
    for (let steps = 0; k < b && steps < 64 && !isOpen(buf, k, CH_LPAREN) && !isOpen(buf, k, CH_LBRACE) && !isOp(buf, k, OP_SEMI); steps++) k = skipGroup(buf, k, b);
    if (!isOpen(buf, k, CH_LPAREN)) return this.leaf(ST_FUNCTION, t, Math.max(k, f + 1), -1, -1, name);
    return this.leaf(ST_FUNCTION, t, this.functionAfterName(k, b), k, -1, name);
  }

  /** A function's parameters at `open`, then its body (after any return type), queued as a list; its end. */
  private functionAfterName(open: number, to: number): number {
    const close = this.closeOf(open, to);
    if (close >= to) return to;
    this.scan(open + 1, close);
    const body = findBody(this.buf!, close + 1, to);
    if (body < 0) return close + 1;
    const c = this.closeOf(body, to);
    this.enqueue(body, to);
    return c < to ? c + 1 : to;
  }

  /** `class C … {…}` with `class` at `w`: its members follow it. */
  private classDeclaration(t: number, w: number, b: number): number {
    const buf = this.buf!;
    const body = findBody(buf, w + 1, b);
    if (body < 0) return this.leaf(ST_NONE, t, this.after(this.endOf(w + 1, b, false)));
    const c = this.closeOf(body, b);
    const i = this.push(ST_CLASS, t);
    this.a[i] = buf.kind[w + 1] === IDENT && !this.isWord(w + 1, 'extends') ? w + 1 : -1;
    let k = body + 1;
    while (k < c) {
      if (isOp(buf, k, OP_SEMI)) k++;
      else if (isOp(buf, k, 64)) k = Math.max(this.decorator(k, c), k + 1);
      else k = Math.max(this.classMember(k, c), k + 1);
    }
    return this.done(i, c < b ? c + 1 : b);
  }

  /** A class member at `t`: a method (its body a list), a field, a static block. */
  private classMember(t: number, c: number): number {
    const buf = this.buf!;
    let k = t;
    while (
      k + 1 < c &&
      buf.kind[k] === IDENT &&
      MODIFIERS.has(this.word(k)) &&
      (buf.kind[k + 1] === IDENT || buf.kind[k + 1] === STRING || buf.kind[k + 1] === NUMBER || isOpen(buf, k + 1, CH_LBRACKET) || isOp(buf, k + 1, OP_STAR))
    ) {
      k++;
    }
    if (this.isWord(k, 'static') && isOpen(buf, k + 1, CH_LBRACE)) {
      const close = this.closeOf(k + 1, c);
      this.enqueue(k + 1, c);
      return this.leaf(ST_STATIC, t, close + 1, k + 1, close);
    }
    if (isOp(buf, k, OP_STAR)) k++;
    let name = -1;
    if (buf.kind[k] === IDENT) name = k;
    else if (isOpen(buf, k, CH_LBRACKET)) k = this.closeOf(k, c);
    else if (buf.kind[k] !== STRING && buf.kind[k] !== NUMBER) return t + 1;
    k++;
    if (isOp(buf, k, 63) || isOp(buf, k, 33)) k++; // `x?:`, `x!:`
    if (isOp(buf, k, 60)) {
      // a method's type parameters
      for (let steps = 0; k < c && steps < 64 && !isOpen(buf, k, CH_LPAREN) && !isOpen(buf, k, CH_LBRACE); steps++) k = skipGroup(buf, k, c);
    }
    if (isOpen(buf, k, CH_LPAREN)) return this.leaf(ST_METHOD, t, this.functionAfterName(k, c), k, -1, name);
    // A field: `token = process.env.X;`, `handler = () => …`
    const e = this.endOf(k, c, false);
    this.scan(k, e);
    return this.leaf(ST_FIELD, t, this.after(e), name, k, e);
  }
}

/**
 * Whether the `{` at `k` opens a value, not a body: after `=`, `:`, `,`, `?`, an operator or an
 * open bracket (`= {…}`, `f({…})`, `[{…}]`, `key: {…}`). A body follows `)`, `=>`, a return type
 * (`): T {`) or a word; a value elsewhere is split as statements too (nobody asks for it), and a
 * body missed here would be split when asked for (JsStructure.late).
 */
function valueBrace(buf: TokenBuffer, k: number): boolean {
  const p = k - 1;
  if (p < 0) return false;
  const kind = buf.kind[p];
  if (kind === OPEN) return true;
  return kind === OP && buf.aux[p] !== OP_ARROW && buf.aux[p] !== 62;
}

/**
 * The `{` of a body after a parameter list or a class heading, skipping a type
 * (`): { a: string } {`, `extends Base<{ x: 1 }> {`); -1 when there is none before `to`.
 */
export function findBody(buf: TokenBuffer, from: number, to: number): number {
  for (let steps = 0; from < to && steps < 256; steps++) {
    const kind = buf.kind[from];
    if (kind === OPEN && buf.aux[from] === CH_LBRACE) {
      const p = from - 1;
      const op = buf.kind[p] === OP ? buf.aux[p] : -1;
      const typeLiteral = op === OP_COLON || op === 124 || op === 38 || op === 60 || op === OP_COMMA || op === OP_ARROW;
      if (!typeLiteral) return from;
    }
    if (kind === CLOSE || (kind === OP && (buf.aux[from] === OP_SEMI || buf.aux[from] === OP_ASSIGN))) return -1;
    from = skipGroup(buf, from, to);
  }
  return -1;
}

/** The structure of the last JS / TS scan (frontEnds.ts fills it; valid until the next scan). */
export const jsStructure = new JsStructure();
