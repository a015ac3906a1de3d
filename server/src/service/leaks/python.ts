// Python statements for the flow analysis, as the front end's structure pass found them
// (python/pythonRefsStructure.ts: its StatementTable and scopes): the lines of a block (statements
// that start a line, indented deeper than the block's header), `;`-separated simple statements,
// compound statements with their bodies (on the following lines, or on the header's line), `def`
// bodies queued as functions (where they end is their scope's end), class bodies walked where they
// stand (they run there).

import { CH_LPAREN, IDENT, LINE, OP, OPEN, OP_ASSIGN, OP_AUG, OP_COLON, OP_COMMA, isOp, isOpen, lowerBound } from '../scan/tokens';
import { SK_BREAK, SK_CONTINUE, SK_DEF, SK_ELIF, SK_FOR, SK_IF, SK_MATCH, SK_RETURN, SK_SIMPLE, SK_TRY, SK_EXCEPT, SK_WHILE, SK_WITH } from '../python/keyFlow';
import { isReference, mayShowNamed } from './documentIndex';
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

const IGNORED = new Set(['import', 'from', 'global', 'nonlocal', 'pass', 'break', 'continue', 'del']);
/** The words a simple statement's first token is looked up in (read in place: most are names, and no string is made for them). */
const SIMPLE = new WordTable([...IGNORED, 'return', 'raise', 'assert'].map((w) => [w, w] as const));

export const PYTHON_WALKER: StatementWalker = {
  module(flow) {
    block(flow, 0, flow.count, -1, flow.block);
  },
  body(flow, pending) {
    const first = lowerBound(flow.structure!.statements.start, flow.structure!.statements.count, pending.from);
    if (pending.body === BODY_PY_INLINE) line(flow, first, pending.to, pending.indent, flow.block);
    else block(flow, first, pending.to, pending.indent, flow.block);
  },
};

/** Whether statement `i` starts a line (the others follow a `;` or a compound header's colon on theirs). */
function startsLine(flow: FlowState, i: number): boolean {
  return flow.buf.kind[flow.structure!.statements.start[i]! - 1] === LINE;
}

/** The statements of line after line from statement `i`, while they start before token `end` and are indented deeper than `min`; returns the statement after them. */
function block(flow: FlowState, i: number, end: number, min: number, blk: number): number {
  const st = flow.structure!.statements;
  while (i < st.count && st.start[i]! < end) {
    if (st.indent[i]! >> 1 <= min && startsLine(flow, i)) break;
    if (flow.depth >= MAX_DEPTH) {
      i = nextLine(flow, i + 1, end); // too deep to follow: the lines inside are passed over one by one by this loop
      continue;
    }
    flow.depth++;
    i = line(flow, i, end, st.indent[i]! >> 1, blk);
    flow.depth--;
  }
  return i;
}

/** The first statement from `i` that starts a line or starts at `end` or later. */
function nextLine(flow: FlowState, i: number, end: number): number {
  const st = flow.structure!.statements;
  while (i < st.count && st.start[i]! < end && !startsLine(flow, i)) i++;
  return i;
}

/** The statements of one line from statement `i` at `indent`; a compound statement takes its body. Returns the statement after them. */
function line(flow: FlowState, i: number, end: number, indent: number, blk: number): number {
  const st = flow.structure!.statements;
  if (i >= st.count || st.start[i]! >= end) return i;
  const kind = st.kind[i]!;
  if (kind !== SK_SIMPLE && kind !== SK_RETURN && kind !== SK_BREAK && kind !== SK_CONTINUE) return compoundStatement(flow, i, end, indent, blk);
  do {
    simple(flow, st.start[i]!, st.end[i]!, blk);
    i++;
  } while (i < st.count && st.start[i]! < end && !startsLine(flow, i));
  return i;
}

/**
 * The LINE token that ends statement `i`'s line, or `end` when there is none before it. The line
 * found last is kept (FlowState.measuredLine): the defs of one line ask once between them.
 */
function lineEnd(flow: FlowState, i: number, end: number): number {
  const st = flow.structure!.statements;
  const measured = flow.measuredLine;
  if (i < measured.from || i >= measured.next) {
    let j = i + 1;
    while (j < st.count && !startsLine(flow, j)) j++;
    measured.from = i;
    measured.next = j;
  }
  return measured.next < st.count && st.start[measured.next]! - 1 < end ? st.start[measured.next]! - 1 : end;
}

/** Compound statement `i`: its header, then its body; returns the statement after it. */
function compoundStatement(flow: FlowState, i: number, end: number, indent: number, blk: number): number {
  const { buf } = flow;
  const st = flow.structure!.statements;
  let h = st.start[i]!;
  if (isWord(flow, h, 'async') && buf.kind[h + 1] === IDENT) h++;
  // The header's colon (the token before the statement's end), or its end when it has none.
  const colon = isOp(buf, st.end[i]! - 1, OP_COLON) && st.end[i]! - 1 > h ? st.end[i]! - 1 : st.end[i]!;
  flow.block = blk;
  const kind = st.kind[i]!;
  if (kind === SK_DEF && !isWord(flow, h, 'class')) return def(flow, i, h, end, indent);
  const child = flow.blocks.open(blk);
  switch (kind) {
    case SK_IF:
    case SK_ELIF:
    case SK_WHILE:
    case SK_MATCH:
      evalExpr(flow, h + 1, colon);
      break;
    case SK_FOR:
      forHeader(flow, h, colon, child);
      break;
    case SK_WITH:
      withHeader(flow, h, colon);
      break;
    case SK_TRY: {
      // Read the body, noting what its exceptions may name, for the `except` clauses after it.
      flow.tries.push(null);
      const next = body(flow, i, end, indent, child);
      flow.caught = flow.tries.pop() ?? null;
      return next;
    }
    case SK_EXCEPT:
      exceptHeader(flow, h, colon, child);
      break;
    case SK_DEF: {
      // A class: the body runs now, in a scope of its own; the functions defined there are its methods.
      const saved = flow.env;
      const outer = flow.currentClass;
      flow.currentClass = buf.kind[h + 1] === IDENT ? defineClass(flow, word(flow, h + 1)) : null;
      flow.env = new Env(saved, flow.blocks, child, true);
      const next = body(flow, i, end, indent, child);
      flow.env = saved;
      flow.currentClass = outer;
      return next;
    }
  }
  return body(flow, i, end, indent, child);
}

/** Whether header `i`'s body is on its line (`if x: y = 1`). */
function inline(flow: FlowState, i: number, end: number): boolean {
  const st = flow.structure!.statements;
  return i + 1 < st.count && st.start[i + 1]! < end && !startsLine(flow, i + 1);
}

/** The body of header `i`: the rest of its line, or the lines after it indented deeper. */
function body(flow: FlowState, i: number, end: number, indent: number, child: number): number {
  if (inline(flow, i, end)) return line(flow, i + 1, end, indent, child);
  return block(flow, i + 1, end, indent, child);
}

function def(flow: FlowState, i: number, h: number, end: number, indent: number): number {
  const { buf } = flow;
  const { statements: st, scopeHeader, scopeEnd } = flow.structure!;
  const nameToken = buf.kind[h + 1] === IDENT ? h + 1 : -1;
  const onLine = inline(flow, i, end);
  const from = onLine ? st.start[i + 1]! : i + 1 < st.count ? Math.min(st.start[i + 1]! - 1, end) : end;
  const colon = onLine ? from - 1 : from;
  let paramsFrom = h + 2;
  let paramsTo = h + 2;
  if (isOpen(buf, h + 2, CH_LPAREN)) {
    paramsFrom = h + 3;
    paramsTo = closeOf(flow, h + 2, colon);
  }
  // A body on the lines after the header ends with the scope it opens (scopes are numbered in the
  // order of their headers); one on the header's line ends with it (lines indented deeper after it
  // are the enclosing block's).
  const to = onLine ? lineEnd(flow, i + 1, end) : Math.min(scopeEnd[lowerBound(scopeHeader, scopeHeader.length, i)]!, end);
  // Every function is recorded for the calls to it; most show nothing, and are queued only when they read a secret.
  const name = nameToken >= 0 ? word(flow, nameToken) : null;
  defer(flow, { name, paramsFrom, paramsTo, from, to, body: onLine ? BODY_PY_INLINE : BODY_PY_LINES, indent }, mayShowNamed(flow, Math.min(paramsFrom, from), to, nameToken));
  return lowerBound(st.start, st.count, to);
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
