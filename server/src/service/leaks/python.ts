// Python statements for the flow analysis: logical lines (the lexer's LINE tokens, with their
// indentation), `;`-separated simple statements, compound statements with their bodies by
// indentation (or on the header's line), `def` bodies queued as functions, class bodies walked
// where they stand (they run there).

import { CH_LPAREN, IDENT, LINE, OP, OPEN, OP_ASSIGN, OP_AUG, OP_COLON, OP_COMMA, OP_SEMI, isOp, isOpen } from '../scan/tokens';
import { blockEnd, isReference, lineEnd, mayShowNamed } from './documentIndex';
import { evalExpr } from './evaluator';
import { leak } from './findings';
import { defer } from './functions';
import { defineClass, returned } from './follow';
import type { StatementWalker } from './queue';
import { WordTable, closeOf, elementEnd, findOp, findWord, isWord, skip, step, word } from './reader';
import { BODY_PY_INLINE, BODY_PY_LINES, MAX_DEPTH, type FlowState } from './state';
import { Env, extend } from './taint';
import { assignStatement, augmented, raised } from './statements';
import { ASSIGN, bindTarget, ITERATE, pairElements } from './targets';

const COMPOUND = ['if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'with', 'def', 'class'];
const IGNORED = new Set(['import', 'from', 'global', 'nonlocal', 'pass', 'break', 'continue', 'del']);
/** The words a statement's first token is looked up in (read in place: most are names, and no string is made for them). */
const HEADERS = keywords([...COMPOUND, 'match', 'case']);
const SIMPLE = keywords([...IGNORED, 'return', 'raise', 'assert']);

function keywords(words: readonly string[]): WordTable<string> {
  return new WordTable(words.map((w) => [w, w] as const));
}

export const PYTHON_WALKER: StatementWalker = {
  module(flow) {
    lines(flow, 0, flow.count, -1, flow.block);
  },
  body(flow, pending) {
    if (pending.body === BODY_PY_INLINE) statements(flow, pending.from, pending.to, pending.to, pending.indent, flow.block);
    else lines(flow, pending.from, pending.to, pending.indent, flow.block);
  },
};

/** The lines from `t` indented deeper than `min`, up to `end`; returns where it stopped. */
function lines(flow: FlowState, t: number, end: number, min: number, block: number): number {
  const { buf } = flow;
  while (t < end) {
    if (buf.kind[t] !== LINE) {
      // Not at a line's start (cannot happen after the lexer; kept safe): up to the next line.
      const e = lineEnd(flow, t, end);
      statements(flow, t, e, end, min + 1, block);
      t = e;
      continue;
    }
    if (buf.aux[t]! <= min) break;
    const e = lineEnd(flow, t + 1, end);
    if (flow.depth >= MAX_DEPTH) {
      t = e; // too deep to follow: the lines inside are taken one by one by the loop above
      continue;
    }
    flow.depth++;
    t = statements(flow, t + 1, e, end, buf.aux[t]!, block);
    flow.depth--;
  }
  return t;
}

/** The statements of one line [from, e) at `indent`; a compound statement takes its body. Returns where the next line starts. */
function statements(flow: FlowState, from: number, e: number, end: number, indent: number, block: number): number {
  const { buf } = flow;
  if (from >= e) return e;
  let h = from;
  if (isWord(flow, h, 'async') && buf.kind[h + 1] === IDENT) h++;
  const kw = compound(flow, h, e);
  if (kw !== null) return compoundStatement(flow, kw, h, e, end, indent, block);
  let a = from;
  while (a < e) {
    let z = a;
    while (z < e && !isOp(buf, z, OP_SEMI)) z = skip(flow, z, e);
    simple(flow, a, z, block);
    a = z + 1;
  }
  return e;
}

function compound(flow: FlowState, h: number, e: number): string | null {
  const { buf } = flow;
  const w = HEADERS.at(flow, h);
  if (w === undefined) return null;
  if (w !== 'match' && w !== 'case') return w;
  // Soft keywords: `match = …` and `match.group()` are not headers; `match x:` ends its line with the colon.
  const next = h + 1;
  if (next >= e || (buf.kind[next] === OP && buf.aux[next] !== 45 && buf.aux[next] !== 42)) return null;
  const colon = headerColon(flow, next, e);
  return colon < e && (w === 'case' || colon === e - 1) ? w : null;
}

/** The `:` ending a header (a lambda's colon skipped), or `e`. */
function headerColon(flow: FlowState, from: number, e: number): number {
  let lambdas = 0;
  for (let t = from; t < e; t = skip(flow, t, e)) {
    if (isWord(flow, t, 'lambda')) lambdas++;
    else if (isOp(flow.buf, t, OP_COLON)) {
      if (lambdas === 0) return t;
      lambdas--;
    }
  }
  return e;
}

function compoundStatement(flow: FlowState, kw: string, h: number, e: number, end: number, indent: number, block: number): number {
  const colon = headerColon(flow, h + 1, e);
  flow.block = block;
  if (kw === 'def') return def(flow, h, colon, e, end, indent);
  const child = flow.blocks.open(block);
  switch (kw) {
    case 'if':
    case 'elif':
    case 'while':
    case 'match':
      evalExpr(flow, h + 1, colon);
      break;
    case 'for':
      forHeader(flow, h, colon, child);
      break;
    case 'with':
      withHeader(flow, h, colon);
      break;
    case 'try': {
      // Read the body, noting what its exceptions may name, for the `except` clauses after it.
      flow.tries.push(null);
      const next = body(flow, colon, e, end, indent, child);
      flow.caught = flow.tries.pop() ?? null;
      return next;
    }
    case 'except':
      exceptHeader(flow, h, colon, child);
      break;
    case 'class': {
      // The body runs now, in a scope of its own; the functions defined there are its methods.
      const saved = flow.env;
      const outer = flow.currentClass;
      flow.currentClass = flow.buf.kind[h + 1] === IDENT ? defineClass(flow, word(flow, h + 1)) : null;
      flow.env = new Env(saved, flow.blocks, child, true);
      const next = body(flow, colon, e, end, indent, child);
      flow.env = saved;
      flow.currentClass = outer;
      return next;
    }
  }
  return body(flow, colon, e, end, indent, child);
}

function body(flow: FlowState, colon: number, e: number, end: number, indent: number, child: number): number {
  if (colon + 1 < e) {
    statements(flow, colon + 1, e, end, indent, child);
    return e;
  }
  return lines(flow, e, end, indent, child);
}

function def(flow: FlowState, h: number, colon: number, e: number, end: number, indent: number): number {
  const { buf } = flow;
  const nameToken = buf.kind[h + 1] === IDENT ? h + 1 : -1;
  let paramsFrom = h + 2;
  let paramsTo = h + 2;
  if (isOpen(buf, h + 2, CH_LPAREN)) {
    paramsFrom = h + 3;
    paramsTo = closeOf(flow, h + 2, colon);
  }
  const inline = colon + 1 < e;
  const from = inline ? colon + 1 : e;
  const to = inline ? e : blockEnd(flow, e, end, indent);
  // Every function is recorded for the calls to it; most show nothing, and are queued only when they read a secret.
  const name = nameToken >= 0 ? word(flow, nameToken) : null;
  defer(flow, { name, paramsFrom, paramsTo, from, to, body: inline ? BODY_PY_INLINE : BODY_PY_LINES, indent }, mayShowNamed(flow, Math.min(paramsFrom, from), to, nameToken));
  return to;
}

/** `for targets in iterable:` — the targets take what the iterable carries, in the loop's block. */
function forHeader(flow: FlowState, h: number, colon: number, child: number): void {
  const inTok = findWord(flow, h + 1, colon, 'in');
  if (inTok >= colon) {
    evalExpr(flow, h + 1, colon);
    return;
  }
  const v = evalExpr(flow, inTok + 1, colon);
  flow.block = child;
  bindTarget(flow, h + 1, inTok, v, pairElements(flow, inTok + 1, colon, v), ITERATE);
}

/** `with a as x, b as y:` */
function withHeader(flow: FlowState, h: number, colon: number): void {
  const { buf } = flow;
  let from = h + 1;
  let to = colon;
  // `with (a as x, b as y):`
  if (buf.kind[from] === OPEN && closeOf(flow, from, to) === to - 1 && findWord(flow, from + 1, to - 1, 'as') < to - 1) {
    from++;
    to--;
  }
  while (from < to) {
    const k = elementEnd(flow, from, to);
    const as = findWord(flow, from, k, 'as');
    const v = evalExpr(flow, from, as);
    if (as < k) bindTarget(flow, as + 1, k, v, null, ASSIGN);
    from = k + 1;
  }
}

/**
 * `except E as e:` — `e` holds the exception: it names the URL of a request made in the `try`
 * body (`log.error(f"failed: {e}")` after `requests.get(url)` with a key in the URL), nothing else.
 */
function exceptHeader(flow: FlowState, h: number, colon: number, child: number): void {
  const as = findWord(flow, h + 1, colon, 'as');
  evalExpr(flow, h + 1, as);
  if (as + 1 < colon && flow.buf.kind[as + 1] === IDENT) {
    const name = word(flow, as + 1);
    flow.env.assign(name, flow.caught === null ? null : extend(flow.caught, step(flow, as + 1, as + 1, `caught as ${name}: the error names the request's URL`)), child);
  }
}

function simple(flow: FlowState, a: number, z: number, block: number): void {
  const { buf } = flow;
  flow.block = block;
  if (a >= z) return;
  if (isOp(buf, a, 64)) {
    evalExpr(flow, a + 1, z); // a decorator
    return;
  }
  const w = SIMPLE.at(flow, a);
  if (w !== undefined && !isReference(flow, a)) {
    if (IGNORED.has(w)) return;
    if (w === 'return') {
      const v = evalExpr(flow, a + 1, z);
      returned(flow, a + 1, z, v);
      return;
    }
    if (w === 'raise') {
      const from = findWord(flow, a + 1, z, 'from');
      if (from < z) evalExpr(flow, from + 1, z);
      raised(flow, 'raise', a + 1, from);
      return;
    }
    if (w === 'assert') {
      const comma = findOp(flow, a + 1, z, OP_COMMA);
      evalExpr(flow, a + 1, comma);
      if (comma < z) leak(flow, 'assert', comma + 1, z, evalExpr(flow, comma + 1, z), 'used as the assertion message', a);
      return;
    }
  }
  assignment(flow, a, z);
}

function assignment(flow: FlowState, a: number, z: number): void {
  const { buf } = flow;
  // The `=` signs: the first, and a list only when there are more (`a = b = c`).
  let eq = -1;
  let eqs: number[] | null = null;
  let aug = -1;
  let annotation = -1;
  for (let t = a; t < z; t = skip(flow, t, z)) {
    const kind = buf.kind[t];
    if (kind === IDENT && isWord(flow, t, 'lambda')) break; // its `=` are defaults
    if (kind !== OP) continue;
    const op = buf.aux[t];
    if (op === OP_ASSIGN) {
      if (eq < 0) eq = t;
      else (eqs ??= [eq]).push(t);
    } else if (op === OP_AUG && eq < 0) {
      aug = t;
      break;
    } else if (op === OP_COLON && eq < 0 && annotation < 0) annotation = t;
  }
  if (eq >= 0) assignStatement(flow, a, annotation, eqs ?? eq, z);
  else if (aug >= 0) augmented(flow, a, aug, z);
  else if (annotation < 0) evalExpr(flow, a, z);
}
