// JavaScript / TypeScript statements for the flow analysis. There are no line tokens: a statement
// ends at `;`, at the block's end, or at a line break where the next token cannot continue it
// (JavaScript's automatic semicolon insertion, read the way the language does: a line starting
// with `.`, an operator, `(`, `[` or a template continues the one before). Function bodies are
// queued; class bodies are walked for their methods and fields; TypeScript's type-only
// statements are skipped.

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
  OP_SEMI,
  OP_STAR,
  STRING,
  S_TEMPLATE,
  TPL_HEAD,
  NUMBER,
  TokenBuffer,
  isOp,
  isOpen,
} from '../scan/tokens';
import { ASSIGN, BODY_JS_BLOCK, FlowAnalysis, ITERATE, MAX_DEPTH, type PendingFunction } from './analysis';
import type { SecretReference } from '../scan/types';
import { Env } from './taint';

/** After these words a line break does not end the statement. */
const CONTINUING_WORDS = new Set(['new', 'typeof', 'instanceof', 'in', 'of', 'await', 'void', 'delete', 'extends', 'as', 'satisfies', 'keyof']);
/** A line starting with these words continues the one before. */
const CONTINUING_NEXT = new Set(['instanceof', 'in', 'of', 'as', 'satisfies']);
const MODIFIERS = new Set(['public', 'private', 'protected', 'static', 'readonly', 'async', 'abstract', 'override', 'declare', 'accessor', 'get', 'set']);

export class JsFlow extends FlowAnalysis {
  constructor(text: string, buf: TokenBuffer, references: readonly SecretReference[]) {
    super(text, buf, false, references);
  }

  protected walkModule(): void {
    this.statements(0, this.count, this.block);
  }

  protected walkBody(f: PendingFunction): void {
    this.statements(f.from, f.to, this.block);
  }

  private statements(a: number, b: number, block: number): void {
    let t = a;
    while (t < b) {
      const next = this.statement(t, b, block);
      t = next > t ? next : t + 1;
    }
  }

  /** The statement at `t` (inside [t, b)); returns where the next one starts. */
  private statement(t: number, b: number, block: number): number {
    const { buf } = this;
    this.block = block;
    const kind = buf.kind[t];
    if (kind === OP) {
      if (buf.aux[t] === OP_SEMI) return t + 1;
      if (buf.aux[t] === 64) return this.decorator(t, b);
    }
    if (kind === OPEN && buf.aux[t] === CH_LBRACE) return this.blockStatement(t, b, block);
    if (kind === IDENT && !this.isReference(t)) {
      switch (this.word(t)) {
        case 'var':
        case 'const':
          if (this.isWord(t + 1, 'enum')) return this.skipTypeDeclaration(t + 1, b);
          return this.declaration(t + 1, b);
        case 'let':
          if (buf.kind[t + 1] === IDENT || isOpen(buf, t + 1, CH_LBRACKET) || isOpen(buf, t + 1, CH_LBRACE)) return this.declaration(t + 1, b);
          break;
        case 'function':
          return this.functionAt(t, b, null);
        case 'async':
          if (this.isWord(t + 1, 'function')) return this.functionAt(t + 1, b, null);
          break;
        case 'class':
          return this.classDeclaration(t, b);
        case 'abstract':
          if (this.isWord(t + 1, 'class')) return this.classDeclaration(t + 1, b);
          break;
        case 'if': {
          let n = this.condition(t + 1, b);
          n = this.body(n, b, block);
          if (this.isWord(n, 'else')) n = this.body(n + 1, b, block);
          return n;
        }
        case 'for':
          return this.forStatement(t, b, block);
        case 'while':
        case 'with':
        case 'switch':
          return this.body(this.condition(t + 1, b), b, block);
        case 'do': {
          let n = this.body(t + 1, b, block);
          if (this.isWord(n, 'while')) n = this.condition(n + 1, b);
          return this.after(n);
        }
        case 'case': {
          const colon = this.caseColon(t + 1, b);
          this.evalExpr(t + 1, colon);
          return colon + 1;
        }
        case 'default':
          if (isOp(buf, t + 1, OP_COLON)) return t + 2;
          break;
        case 'try':
        case 'finally':
        case 'else':
          return t + 1;
        case 'catch':
          if (isOpen(buf, t + 1, CH_LPAREN)) {
            const c = this.closeOf(t + 1, b);
            for (let k = t + 2; k < c; k++) if (buf.kind[k] === IDENT) this.env.assign(this.word(k), null, block);
            return c < b ? c + 1 : b;
          }
          return t + 1;
        case 'return': {
          const e = this.end(t + 1, b, true);
          const v = this.evalExpr(t + 1, e);
          this.returned(t + 1, e, v);
          return this.after(e);
        }
        case 'throw': {
          const e = this.end(t + 1, b, false);
          this.raised('throw', t + 1, e);
          return this.after(e);
        }
        case 'break':
        case 'continue':
          return this.after(this.end(t + 1, b, true));
        case 'import':
          if (!isOpen(buf, t + 1, CH_LPAREN) && !isOp(buf, t + 1, OP_DOT)) return this.after(this.end(t + 1, b, false));
          break;
        case 'export':
          return this.exportStatement(t, b, block);
        case 'type':
          if (buf.kind[t + 1] === IDENT && (isOp(buf, t + 2, OP_ASSIGN) || isOp(buf, t + 2, 60))) return this.after(this.end(t + 1, b, false));
          break;
        case 'interface':
        case 'enum':
          if (buf.kind[t + 1] === IDENT) return this.skipTypeDeclaration(t, b);
          break;
        case 'declare':
          if (buf.kind[t + 1] === IDENT) return this.after(this.end(t + 1, b, false));
          break;
        case 'namespace':
        case 'module': {
          let k = t + 1;
          while (k < b && (buf.kind[k] === IDENT || buf.kind[k] === STRING || isOp(buf, k, OP_DOT))) k++;
          if (k > t + 1 && isOpen(buf, k, CH_LBRACE)) return this.blockStatement(k, b, block);
          break;
        }
      }
      // A label: `outer: for (…)`.
      if (isOp(buf, t + 1, OP_COLON)) return t + 2;
    }
    return this.expressionStatement(t, b);
  }

  private after(e: number): number {
    return isOp(this.buf, e, OP_SEMI) ? e + 1 : e;
  }

  /** A statement that is another's body (`if (…) body`), in a block of its own. */
  private body(t: number, b: number, block: number): number {
    if (t >= b) return b;
    const child = this.blocks.open(block);
    if (this.depth >= MAX_DEPTH) return this.after(this.end(t, b, false));
    this.depth++;
    const n = this.statement(t, b, child);
    this.depth--;
    return n > t ? n : t + 1;
  }

  private blockStatement(t: number, b: number, block: number): number {
    const c = this.closeOf(t, b);
    if (this.depth < MAX_DEPTH) {
      this.depth++;
      this.statements(t + 1, c, this.blocks.open(block));
      this.depth--;
    }
    return c < b ? c + 1 : b;
  }

  /** `(condition)` at `k`, evaluated; returns what follows. */
  private condition(k: number, b: number): number {
    if (!isOpen(this.buf, k, CH_LPAREN)) return k;
    const c = this.closeOf(k, b);
    this.evalExpr(k + 1, c);
    return c < b ? c + 1 : b;
  }

  /** The `:` ending `case value:` (a conditional's colons skipped). */
  private caseColon(k: number, b: number): number {
    let questions = 0;
    for (; k < b; k = this.skip(k, b)) {
      if (isOp(this.buf, k, 63)) questions++;
      else if (isOp(this.buf, k, OP_COLON)) {
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
  private end(t: number, b: number, restricted: boolean): number {
    const { buf } = this;
    if (t >= b) return b;
    if (restricted && this.lineBreakBefore(t)) return t;
    let prev = -1;
    let k = t;
    while (k < b) {
      const kind = buf.kind[k];
      if (kind === CLOSE || (kind === OP && buf.aux[k] === OP_SEMI)) return k;
      if (prev >= 0 && this.lineBreakBefore(k) && !this.continues(prev, k)) return k;
      const n = this.skip(k, b);
      prev = n - 1;
      k = n;
    }
    return b;
  }

  private continues(prev: number, k: number): boolean {
    const { buf } = this;
    const pk = buf.kind[prev];
    if (pk === OP) return buf.aux[prev] !== 33 && !this.isIncDec(prev);
    if (pk === IDENT && CONTINUING_WORDS.has(this.word(prev))) return true;
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

  private expressionStatement(t: number, b: number): number {
    const { buf } = this;
    const e = this.end(t, b, false);
    if (e <= t) return t;
    const eqs: number[] = [];
    let aug = -1;
    for (let k = t; k < e; k = this.skip(k, e)) {
      if (buf.kind[k] !== OP) continue;
      const op = buf.aux[k];
      if (op === OP_ARROW || op === 63) break;
      if (op === OP_ASSIGN) eqs.push(k);
      else if (op === OP_AUG && eqs.length === 0) {
        aug = k;
        break;
      }
    }
    if (eqs.length > 0) this.assignStatement(t, -1, eqs, e);
    else if (aug >= 0) this.augmented(t, aug, e);
    else this.evalExpr(t, e);
    return this.after(e);
  }

  /** `a = 1, {b, c} = obj, d` after `const` / `let` / `var`. */
  private declaration(t: number, b: number): number {
    const e = this.end(t, b, false);
    let s = t;
    while (s < e) {
      const d = this.declaratorEnd(s, e);
      this.declarator(s, d);
      s = d + 1;
    }
    return this.after(e);
  }

  /** The comma ending the declarator at `s`; commas in a type's angle brackets do not. */
  private declaratorEnd(s: number, e: number): number {
    const { buf } = this;
    let angle = 0;
    let value = false;
    for (let k = s; k < e; k = this.skip(k, e)) {
      if (buf.kind[k] !== OP) continue;
      const op = buf.aux[k];
      if (op === OP_COMMA && (value || angle === 0)) return k;
      if (value) continue;
      if (op === 60) angle++;
      else if (op === 62 && angle > 0) angle--;
      else if (op === OP_ASSIGN) value = true;
    }
    return e;
  }

  private declarator(s: number, d: number): void {
    const { buf } = this;
    if (s >= d) return;
    const eq = this.findOp(s, d, OP_ASSIGN);
    // The target without its type (`x: Map<string, string>`, `x!: T`).
    let pe = Math.min(eq, d);
    if (buf.kind[s] === IDENT) pe = s + 1;
    else if (buf.kind[s] === OPEN) pe = Math.min(this.closeOf(s, pe) + 1, pe);
    if (eq >= d) {
      this.bindTarget(s, pe, null, null, ASSIGN);
      return;
    }
    if (this.isPattern(s, pe)) {
      const { taint, elements } = this.evalElements(eq + 1, d);
      this.bindTarget(s, pe, taint, elements, ASSIGN);
    } else {
      this.lastRequest = null;
      const v = this.evalValue(eq + 1, d, buf.kind[s] === IDENT ? this.word(s) : null);
      this.bindTarget(s, pe, v, null, ASSIGN);
      this.bindResponse(s, pe, d, this.lastRequest);
      this.bindFields(s, pe, eq + 1, d, v);
    }
  }

  private forStatement(t: number, b: number, block: number): number {
    const { buf } = this;
    let k = t + 1;
    if (this.isWord(k, 'await')) k++;
    if (!isOpen(buf, k, CH_LPAREN)) return k;
    const c = this.closeOf(k, b);
    let s = k + 1;
    const declared = this.isWord(s, 'const') || this.isWord(s, 'let') || this.isWord(s, 'var');
    if (declared) s++;
    const firstSemi = this.findOp(k + 1, c, OP_SEMI);
    let of = s;
    while (of < c && !this.isWord(of, 'of') && !this.isWord(of, 'in')) of = this.skip(of, c);
    if (firstSemi >= c && of < c) {
      // for (x of iterable): x takes what the iterable carries (keys of `in` carry nothing)
      const v = this.evalExpr(of + 1, c);
      this.block = this.blocks.open(block);
      let pe = of;
      if (buf.kind[s] === IDENT) pe = s + 1;
      this.bindTarget(s, pe, this.isWord(of, 'of') ? v : null, this.isWord(of, 'of') ? this.pairElements(of + 1, c, v) : null, ITERATE);
    } else {
      // for (init; condition; update)
      if (declared) this.declaration(s, firstSemi);
      else this.expressionStatement(k + 1, firstSemi);
      const second = this.findOp(firstSemi + 1, c, OP_SEMI);
      this.evalExpr(firstSemi + 1, second);
      if (second + 1 < c) this.expressionStatement(second + 1, c);
    }
    return this.body(c < b ? c + 1 : b, b, block);
  }

  private exportStatement(t: number, b: number, block: number): number {
    const { buf } = this;
    let k = t + 1;
    const isDefault = this.isWord(k, 'default');
    if (isDefault) k++;
    if (k >= b) return b;
    if (isDefault && isOpen(buf, k, CH_LBRACE)) return this.expressionStatement(k, b);
    if (isOpen(buf, k, CH_LBRACE) || isOp(buf, k, OP_STAR) || isOp(buf, k, OP_ASSIGN) || (this.isWord(k, 'type') && isOpen(buf, k + 1, CH_LBRACE))) {
      return this.after(this.end(k, b, false)); // export { a, b } from '…'
    }
    return this.statement(k, b, block);
  }

  /** `interface X {…}`, `enum X {…}`: nothing runs there that we follow. */
  private skipTypeDeclaration(t: number, b: number): number {
    const body = this.findBody(t + 1, b);
    if (body < 0) return this.after(this.end(t + 1, b, false));
    const c = this.closeOf(body, b);
    return c < b ? c + 1 : b;
  }

  private decorator(t: number, b: number): number {
    const { buf } = this;
    let k = t + 1;
    while (k < b && (buf.kind[k] === IDENT || isOp(buf, k, OP_DOT))) k++;
    if (isOpen(buf, k, CH_LPAREN)) {
      const c = this.closeOf(k, b);
      this.evalExpr(t + 1, Math.min(c + 1, b));
      return c < b ? c + 1 : b;
    }
    return k;
  }

  private classDeclaration(t: number, b: number): number {
    const body = this.findBody(t + 1, b);
    if (body < 0) return this.after(this.end(t + 1, b, false));
    const c = this.closeOf(body, b);
    const saved = this.env;
    this.env = new Env(saved, this.blocks, this.block, true);
    this.classBody(body + 1, c);
    this.env = saved;
    return c < b ? c + 1 : b;
  }

  private classBody(a: number, c: number): void {
    const { buf } = this;
    let t = a;
    while (t < c) {
      if (isOp(buf, t, OP_SEMI)) t++;
      else if (isOp(buf, t, 64)) t = Math.max(this.decorator(t, c), t + 1);
      else t = Math.max(this.classMember(t, c), t + 1);
    }
  }

  /** A class member at `t`: a method (queued), a field (its value evaluated), a static block. */
  private classMember(t: number, c: number): number {
    const { buf } = this;
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
      this.defer({ name: null, paramsFrom: k + 1, paramsTo: k + 1, from: k + 2, to: close, body: BODY_JS_BLOCK, indent: 0 });
      return close + 1;
    }
    if (isOp(buf, k, OP_STAR)) k++;
    let name: string | null = null;
    if (buf.kind[k] === IDENT) name = this.word(k);
    else if (isOpen(buf, k, CH_LBRACKET)) k = this.closeOf(k, c);
    else if (buf.kind[k] !== STRING && buf.kind[k] !== NUMBER) return t + 1;
    k++;
    if (isOp(buf, k, 63) || isOp(buf, k, 33)) k++; // `x?:`, `x!:`
    if (isOp(buf, k, 60)) {
      // a method's type parameters
      for (let steps = 0; k < c && steps < 64 && !isOpen(buf, k, CH_LPAREN) && !isOpen(buf, k, CH_LBRACE); steps++) k = this.skip(k, c);
    }
    if (isOpen(buf, k, CH_LPAREN)) return this.functionAfterName(name, k, c);
    // A field: `token = process.env.X;`, `handler = () => …`
    const e = this.end(k, c, false);
    const eq = this.findOp(k, e, OP_ASSIGN);
    if (eq < e) this.evalValue(eq + 1, e, name);
    return this.after(e);
  }
}
