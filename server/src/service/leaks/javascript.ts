// JavaScript / TypeScript statements for the flow analysis, as the JS front end split them
// (javascript/jsStructure.ts: one table of statements, their parts and the lists of statements in
// each body). Function bodies are queued; class bodies are walked for their methods and fields;
// TypeScript's type-only statements are skipped (the front end marks them ST_NONE).

import {
  ST_BLOCK,
  ST_CASE,
  ST_CATCH,
  ST_CLASS,
  ST_DECLARATION,
  ST_DECORATOR,
  ST_DO,
  ST_EXPRESSION,
  ST_FIELD,
  ST_FOR,
  ST_FOR_OF,
  ST_FUNCTION,
  ST_IF,
  ST_METHOD,
  ST_RETURN,
  ST_SKIPPED,
  ST_STATIC,
  ST_THROW,
  ST_WHILE,
  type JsStructure,
} from '../javascript/jsStructure';
import { IDENT, OP, OPEN, OP_ARROW, OP_ASSIGN, OP_AUG, OP_COMMA } from '../scan/tokens';
import { evalElements, evalExpr, evalValue } from './evaluator';
import { defineClass, returned } from './follow';
import { defer, functionAfterName } from './functions';
import type { StatementWalker } from './queue';
import { closeOf, findOp, isWord, skip, word } from './reader';
import { BODY_JS_BLOCK, MAX_DEPTH, type FlowState } from './state';
import { Env } from './taint';
import { assignStatement, augmented, bindFields, bindInstance, bindResponse, raised } from './statements';
import { ASSIGN, bindTarget, isPattern, ITERATE, pairElements } from './targets';

export const JS_WALKER: StatementWalker = {
  module(flow) {
    statements(flow, -1, flow.count, flow.block);
  },
  body(flow, pending) {
    // A body's statements are those of its `{`.
    statements(flow, pending.from - 1, pending.to, flow.block);
  },
};

/** The statements of the `{` at `open` (-1: the module) that start before token `to`. */
function statements(flow: FlowState, open: number, to: number, block: number): void {
  const st = flow.js!;
  const { first, end } = st.statementsOf(open, to);
  for (let i = first; i < end && st.start[i]! < to; i = st.next[i]!) statement(flow, st, i, block);
}

/** The parts of entry `i` (a compound statement's bodies, a block's statements), each in turn. */
function parts(flow: FlowState, st: JsStructure, i: number, block: number): void {
  for (let j = i + 1; j < st.next[i]!; j = st.next[j]!) statement(flow, st, j, block);
}

/** Entry `i`, a statement in `block`. */
function statement(flow: FlowState, st: JsStructure, i: number, block: number): void {
  const { buf } = flow;
  flow.block = block;
  const t = st.start[i]!;
  const a = st.a[i]!;
  switch (st.kind[i]) {
    case ST_DECORATOR:
      if (a >= 0) evalExpr(flow, t + 1, a);
      return;
    case ST_BLOCK:
      if (flow.depth < MAX_DEPTH) {
        flow.depth++;
        parts(flow, st, i, flow.blocks.open(block));
        flow.depth--;
      }
      return;
    case ST_DECLARATION:
      declarators(flow, a, st.b[i]!);
      return;
    case ST_EXPRESSION:
      expression(flow, a, st.b[i]!);
      return;
    case ST_FUNCTION:
      if (a >= 0) functionAfterName(flow, st.c[i]! >= 0 ? word(flow, st.c[i]!) : null, a, st.end[i]!);
      return;
    case ST_CLASS:
      classBody(flow, st, i);
      return;
    case ST_IF:
    case ST_WHILE: {
      if (a >= 0) evalExpr(flow, t + 2, a);
      // The body, then (`if`) the `else` body.
      for (let j = i + 1; j < st.next[i]!; j = st.next[j]!) body(flow, st, j, block);
      return;
    }
    case ST_FOR_OF: {
      const first = a;
      const of = st.b[i]!;
      const c = st.c[i]!;
      // for (x of iterable): x takes what the iterable carries (keys of `in` carry nothing)
      const v = evalExpr(flow, of + 1, c);
      flow.block = flow.blocks.open(block);
      let pe = of;
      if (buf.kind[first] === IDENT) pe = first + 1;
      const isOf = isWord(flow, of, 'of');
      bindTarget(flow, first, pe, isOf ? v : null, isOf ? pairElements(flow, of + 1, c, v) : null, ITERATE);
      if (i + 1 < st.next[i]!) body(flow, st, i + 1, block);
      return;
    }
    case ST_FOR: {
      // for (init; condition; update): the init and the update are its first two parts, the body its third
      const init = i + 1;
      const update = st.next[init]!;
      statement(flow, st, init, block);
      evalExpr(flow, a + 1, st.b[i]!);
      statement(flow, st, update, block);
      if (st.next[update]! < st.next[i]!) body(flow, st, st.next[update]!, block);
      return;
    }
    case ST_DO:
      if (i + 1 < st.next[i]!) body(flow, st, i + 1, block);
      if (a >= 0) evalExpr(flow, st.b[i]! + 1, a);
      return;
    case ST_CASE:
      evalExpr(flow, t + 1, a);
      return;
    case ST_CATCH:
      for (let k = t + 2; k < a; k++) if (buf.kind[k] === IDENT) flow.env.assign(word(flow, k), null, block);
      return;
    case ST_RETURN: {
      const v = evalExpr(flow, t + 1, a);
      returned(flow, t + 1, a, v);
      return;
    }
    case ST_THROW:
      raised(flow, 'throw', t + 1, a);
      return;
  }
}

/** Entry `i`, a statement that is another's body (`if (…) body`), in a block of its own. */
function body(flow: FlowState, st: JsStructure, i: number, block: number): void {
  const child = flow.blocks.open(block);
  if (st.kind[i] === ST_SKIPPED || flow.depth >= MAX_DEPTH) return;
  flow.depth++;
  statement(flow, st, i, child);
  flow.depth--;
}

/** An expression statement [t, e): an assignment, an augmented one, or an expression. */
function expression(flow: FlowState, t: number, e: number): void {
  const { buf } = flow;
  if (e <= t) return;
  // The `=` signs: the first, and a list only when there are more (`a = b = c`).
  let eq = -1;
  let eqs: number[] | null = null;
  let aug = -1;
  for (let k = t; k < e; k = skip(flow, k, e)) {
    if (buf.kind[k] !== OP) continue;
    const op = buf.aux[k];
    if (op === OP_ARROW || op === 63) break;
    if (op === OP_ASSIGN) {
      if (eq < 0) eq = k;
      else (eqs ??= [eq]).push(k);
    } else if (op === OP_AUG && eq < 0) {
      aug = k;
      break;
    }
  }
  if (eq >= 0) assignStatement(flow, t, -1, eqs ?? eq, e);
  else if (aug >= 0) augmented(flow, t, aug, e);
  else evalExpr(flow, t, e);
}

/** The declarators [t, e) after `const` / `let` / `var`: `a = 1, {b, c} = obj, d`. */
function declarators(flow: FlowState, t: number, e: number): void {
  let first = t;
  while (first < e) {
    const d = declaratorEnd(flow, first, e);
    declarator(flow, first, d);
    first = d + 1;
  }
}

/** The comma ending the declarator at `first`; commas in a type's angle brackets do not. */
function declaratorEnd(flow: FlowState, first: number, e: number): number {
  const { buf } = flow;
  let angle = 0;
  let value = false;
  for (let k = first; k < e; k = skip(flow, k, e)) {
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

function declarator(flow: FlowState, first: number, d: number): void {
  const { buf } = flow;
  if (first >= d) return;
  const eq = findOp(flow, first, d, OP_ASSIGN);
  // The target without its type (`x: Map<string, string>`, `x!: T`).
  let pe = Math.min(eq, d);
  if (buf.kind[first] === IDENT) pe = first + 1;
  else if (buf.kind[first] === OPEN) pe = Math.min(closeOf(flow, first, pe) + 1, pe);
  if (eq >= d) {
    bindTarget(flow, first, pe, null, null, ASSIGN);
    return;
  }
  if (isPattern(flow, first, pe)) {
    const { taint, elements } = evalElements(flow, eq + 1, d);
    bindTarget(flow, first, pe, taint, elements, ASSIGN);
  } else {
    flow.lastRequest = null;
    flow.lastInstance = null;
    const v = evalValue(flow, eq + 1, d, buf.kind[first] === IDENT ? word(flow, first) : null);
    const instance = flow.lastInstance;
    bindTarget(flow, first, pe, v, null, ASSIGN);
    bindResponse(flow, first, pe, d, flow.lastRequest);
    bindInstance(flow, first, pe, d, instance);
    bindFields(flow, first, pe, eq + 1, d, v);
  }
}

/** Class entry `i`: its methods are recorded as the class's, for calls through `this` and through its instances. */
function classBody(flow: FlowState, st: JsStructure, i: number): void {
  const saved = flow.env;
  const outer = flow.currentClass;
  flow.currentClass = st.a[i]! >= 0 ? defineClass(flow, word(flow, st.a[i]!)) : null;
  flow.env = new Env(saved, flow.blocks, flow.block, true);
  for (let j = i + 1; j < st.next[i]!; j = st.next[j]!) classMember(flow, st, j);
  flow.env = saved;
  flow.currentClass = outer;
}

/** A class member: a decorator (evaluated), a method or a static block (queued), a field (its value evaluated). */
function classMember(flow: FlowState, st: JsStructure, j: number): void {
  const a = st.a[j]!;
  switch (st.kind[j]) {
    case ST_DECORATOR:
      statement(flow, st, j, flow.block);
      return;
    case ST_STATIC:
      defer(flow, { name: null, paramsFrom: a, paramsTo: a, from: a + 1, to: st.b[j]!, body: BODY_JS_BLOCK, indent: 0 });
      return;
    case ST_METHOD:
      functionAfterName(flow, st.c[j]! >= 0 ? word(flow, st.c[j]!) : null, a, st.end[j]!);
      return;
    case ST_FIELD: {
      // `token = process.env.X;`, `handler = () => …`
      const e = st.c[j]!;
      const eq = findOp(flow, st.b[j]!, e, OP_ASSIGN);
      if (eq < e) evalValue(flow, eq + 1, e, a >= 0 ? word(flow, a) : null);
      return;
    }
  }
}
