// Python statements for the flow analysis: logical lines (the lexer's LINE tokens, with their
// indentation), `;`-separated simple statements, compound statements with their bodies by
// indentation (or on the header's line), `def` bodies queued as functions, class bodies walked
// where they stand (they run there).

import { CH_LPAREN, IDENT, LINE, OP, OPEN, OP_ASSIGN, OP_AUG, OP_COLON, OP_COMMA, OP_SEMI, TokenBuffer, isOp, isOpen } from '../scan/tokens';
import { ASSIGN, BODY_PY_INLINE, BODY_PY_LINES, FlowAnalysis, ITERATE, MAX_DEPTH, type PendingFunction } from './analysis';
import type { SecretReference } from '../scan/types';
import { Env, extend, type Taint } from './taint';

const COMPOUND = new Set(['if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'with', 'def', 'class']);
const IGNORED = new Set(['import', 'from', 'global', 'nonlocal', 'pass', 'break', 'continue', 'del']);

export class PythonFlow extends FlowAnalysis {
  constructor(text: string, buf: TokenBuffer, references: readonly SecretReference[]) {
    super(text, buf, true, references);
  }

  protected walkModule(): void {
    this.lines(0, this.count, -1, this.block);
  }

  protected walkBody(f: PendingFunction): void {
    if (f.body === BODY_PY_INLINE) this.statements(f.from, f.to, f.to, f.indent, this.block);
    else this.lines(f.from, f.to, f.indent, this.block);
  }

  /** The lines from `t` indented deeper than `min`, up to `end`; returns where it stopped. */
  private lines(t: number, end: number, min: number, block: number): number {
    const { buf } = this;
    while (t < end) {
      if (buf.kind[t] !== LINE) {
        // Not at a line's start (cannot happen after the lexer; kept safe): up to the next line.
        const e = this.lineEnd(t, end);
        this.statements(t, e, end, min + 1, block);
        t = e;
        continue;
      }
      if (buf.aux[t]! <= min) break;
      const e = this.lineEnd(t + 1, end);
      if (this.depth >= MAX_DEPTH) {
        t = e; // too deep to follow: the lines inside are taken one by one by the loop above
        continue;
      }
      this.depth++;
      t = this.statements(t + 1, e, end, buf.aux[t]!, block);
      this.depth--;
    }
    return t;
  }

  private lineEnd(t: number, end: number): number {
    while (t < end && this.buf.kind[t] !== LINE) t++;
    return t;
  }

  /** The statements of one line [s, e) at `indent`; a compound statement takes its body. Returns where the next line starts. */
  private statements(s: number, e: number, end: number, indent: number, block: number): number {
    const { buf } = this;
    if (s >= e) return e;
    let h = s;
    if (this.isWord(h, 'async') && buf.kind[h + 1] === IDENT) h++;
    const kw = this.compound(h, e);
    if (kw !== null) return this.compoundStatement(kw, h, e, end, indent, block);
    let a = s;
    while (a < e) {
      let z = a;
      while (z < e && !isOp(buf, z, OP_SEMI)) z = this.skip(z, e);
      this.simple(a, z, block);
      a = z + 1;
    }
    return e;
  }

  private compound(h: number, e: number): string | null {
    const { buf } = this;
    if (buf.kind[h] !== IDENT) return null;
    const w = this.word(h);
    if (COMPOUND.has(w)) return w;
    if (w !== 'match' && w !== 'case') return null;
    // Soft keywords: `match = …` and `match.group()` are not headers; `match x:` ends its line with the colon.
    const next = h + 1;
    if (next >= e || (buf.kind[next] === OP && buf.aux[next] !== 45 && buf.aux[next] !== 42)) return null;
    const colon = this.headerColon(next, e);
    return colon < e && (w === 'case' || colon === e - 1) ? w : null;
  }

  /** The `:` ending a header (a lambda's colon skipped), or `e`. */
  private headerColon(from: number, e: number): number {
    let lambdas = 0;
    for (let t = from; t < e; t = this.skip(t, e)) {
      if (this.isWord(t, 'lambda')) lambdas++;
      else if (isOp(this.buf, t, OP_COLON)) {
        if (lambdas === 0) return t;
        lambdas--;
      }
    }
    return e;
  }

  private compoundStatement(kw: string, h: number, e: number, end: number, indent: number, block: number): number {
    const colon = this.headerColon(h + 1, e);
    this.block = block;
    if (kw === 'def') return this.def(h, colon, e, end, indent);
    const child = this.blocks.open(block);
    switch (kw) {
      case 'if':
      case 'elif':
      case 'while':
      case 'match':
        this.evalExpr(h + 1, colon);
        break;
      case 'for':
        this.forHeader(h, colon, child);
        break;
      case 'with':
        this.withHeader(h, colon);
        break;
      case 'try': {
        // Read the body, noting what its exceptions may name, for the `except` clauses after it.
        this.tries.push(null);
        const next = this.body(colon, e, end, indent, child);
        this.caught = this.tries.pop() ?? null;
        return next;
      }
      case 'except':
        this.exceptHeader(h, colon, child);
        break;
      case 'class': {
        // The body runs now, in a scope of its own.
        const saved = this.env;
        this.env = new Env(saved, this.blocks, child, true);
        const next = this.body(colon, e, end, indent, child);
        this.env = saved;
        return next;
      }
    }
    return this.body(colon, e, end, indent, child);
  }

  private body(colon: number, e: number, end: number, indent: number, child: number): number {
    if (colon + 1 < e) {
      this.statements(colon + 1, e, end, indent, child);
      return e;
    }
    return this.lines(e, end, indent, child);
  }

  private def(h: number, colon: number, e: number, end: number, indent: number): number {
    const { buf } = this;
    const name = buf.kind[h + 1] === IDENT ? this.word(h + 1) : null;
    let paramsFrom = h + 2;
    let paramsTo = h + 2;
    if (isOpen(buf, h + 2, CH_LPAREN)) {
      paramsFrom = h + 3;
      paramsTo = this.closeOf(h + 2, colon);
    }
    if (colon + 1 < e) {
      this.defer({ name, paramsFrom, paramsTo, from: colon + 1, to: e, body: BODY_PY_INLINE, indent });
      return e;
    }
    let bodyEnd = e;
    while (bodyEnd < end && (buf.kind[bodyEnd] !== LINE || buf.aux[bodyEnd]! > indent)) bodyEnd++;
    this.defer({ name, paramsFrom, paramsTo, from: e, to: bodyEnd, body: BODY_PY_LINES, indent });
    return bodyEnd;
  }

  /** `for targets in iterable:` — the targets take what the iterable carries, in the loop's block. */
  private forHeader(h: number, colon: number, child: number): void {
    const inTok = this.findWord(h + 1, colon, 'in');
    if (inTok >= colon) {
      this.evalExpr(h + 1, colon);
      return;
    }
    const v = this.evalExpr(inTok + 1, colon);
    this.block = child;
    this.bindTarget(h + 1, inTok, v, this.pairElements(inTok + 1, colon, v), ITERATE);
  }

  /** `with a as x, b as y:` */
  private withHeader(h: number, colon: number): void {
    const { buf } = this;
    let from = h + 1;
    let to = colon;
    // `with (a as x, b as y):`
    if (buf.kind[from] === OPEN && this.closeOf(from, to) === to - 1 && this.findWord(from + 1, to - 1, 'as') < to - 1) {
      from++;
      to--;
    }
    while (from < to) {
      const k = this.elementEnd(from, to);
      const as = this.findWord(from, k, 'as');
      const v = this.evalExpr(from, as);
      if (as < k) this.bindTarget(as + 1, k, v, null, ASSIGN);
      from = k + 1;
    }
  }

  /** What the exceptions of the last `try` body read may name (see `tries`). */
  private caught: Taint = null;

  /**
   * `except E as e:` — `e` holds the exception: it names the URL of a request made in the `try`
   * body (`log.error(f"failed: {e}")` after `requests.get(url)` with a key in the URL), nothing else.
   */
  private exceptHeader(h: number, colon: number, child: number): void {
    const as = this.findWord(h + 1, colon, 'as');
    this.evalExpr(h + 1, as);
    if (as + 1 < colon && this.buf.kind[as + 1] === IDENT) {
      const name = this.word(as + 1);
      this.env.assign(name, extend(this.caught, this.step(as + 1, as + 1, `caught as ${name}: the error names the request's URL`)), child);
    }
  }

  private simple(a: number, z: number, block: number): void {
    const { buf } = this;
    this.block = block;
    if (a >= z) return;
    if (isOp(buf, a, 64)) {
      this.evalExpr(a + 1, z); // a decorator
      return;
    }
    if (buf.kind[a] === IDENT && !this.isReference(a)) {
      const w = this.word(a);
      if (IGNORED.has(w)) return;
      if (w === 'return') {
        const v = this.evalExpr(a + 1, z);
        this.returned(a + 1, z, v);
        return;
      }
      if (w === 'raise') {
        const from = this.findWord(a + 1, z, 'from');
        if (from < z) this.evalExpr(from + 1, z);
        this.raised('raise', a + 1, from);
        return;
      }
      if (w === 'assert') {
        const comma = this.findOp(a + 1, z, OP_COMMA);
        this.evalExpr(a + 1, comma);
        if (comma < z) this.leak('assert', comma + 1, z, this.evalExpr(comma + 1, z), 'used as the assertion message', a);
        return;
      }
    }
    this.assignment(a, z);
  }

  private assignment(a: number, z: number): void {
    const { buf } = this;
    const eqs: number[] = [];
    let aug = -1;
    let annotation = -1;
    for (let t = a; t < z; t = this.skip(t, z)) {
      const kind = buf.kind[t];
      if (kind === IDENT && this.isWord(t, 'lambda')) break; // its `=` are defaults
      if (kind !== OP) continue;
      const op = buf.aux[t];
      if (op === OP_ASSIGN) eqs.push(t);
      else if (op === OP_AUG && eqs.length === 0) {
        aug = t;
        break;
      } else if (op === OP_COLON && eqs.length === 0 && annotation < 0) annotation = t;
    }
    if (eqs.length > 0) this.assignStatement(a, annotation, eqs, z);
    else if (aug >= 0) this.augmented(a, aug, z);
    else if (annotation < 0) this.evalExpr(a, z);
  }
}
