// The functions of a document: where a function starts and ends (a `def`, a lambda, an arrow
// function, a function or class expression, a method), the name it goes by, its parameters and
// what its return shows. A function found is queued (see queue.ts) with the scope that defines it,
// and analysed after that scope: its body is read with the defining scope's names as they stand
// at its end, its parameters hiding outer names.

import { CH_LBRACE, CH_LPAREN, CLOSE, IDENT, OP, OPEN, OP_ARROW, OP_ASSIGN, OP_COLON, OP_COMMA, OP_DOT, OP_POW, OP_SEMI, OP_STAR, isOp, isOpen } from '../scan/tokens';
import { mayShow } from './documentIndex';
import { leak } from './findings';
import { closeOf, elementEnd, findOp, isWord, skip, word } from './reader';
import { BODY_EXPR, BODY_JS_BLOCK, type FlowState, type PendingFunction } from './state';
import type { Taint } from './taint';

/** Queues a function found in the scope being read (see queue.ts), when it may show a secret. */
export function defer(s: FlowState, f: Omit<PendingFunction, 'parent'>): void {
  if (!mayShow(s, Math.min(f.paramsFrom, f.from), f.to, f.name)) return;
  // Field by field: a spread costs a generic copy per function.
  s.queue.push({ name: f.name, paramsFrom: f.paramsFrom, paramsTo: f.paramsTo, from: f.from, to: f.to, body: f.body, indent: f.indent, parent: s.env });
}

/** Parameters are locals that hold nothing we follow. */
export function bindParameters(s: FlowState, from: number, to: number): void {
  const { buf } = s;
  for (let k = from; k < to; k++) {
    if (buf.kind[k] !== IDENT || isOp(buf, k - 1, OP_DOT)) continue;
    // Python: a name after `(`, `,`, `*`, `**` (not a default value or an annotation).
    if (s.python && !(k === from || isOp(buf, k - 1, OP_COMMA) || isOp(buf, k - 1, OP_STAR) || isOp(buf, k - 1, OP_POW))) continue;
    s.env.local(word(s, k));
  }
}

/** What the current function returns at tokens [from, to), when its name says it is shown. */
export function returned(s: FlowState, from: number, to: number, v: Taint): void {
  if (v === null || !s.fn.display) return;
  const name = s.fn.name!;
  leak(s, `return from ${name}`, from, to, v, `returned from ${name}`, from);
}

/** The name the expression starting at `start` is assigned to (see evalValue), taken once. */
function takeHint(s: FlowState, start: number): string | null {
  const h = s.hint;
  if (h === null || h.tok !== start) return null;
  s.hint = null;
  return h.name;
}

/** Python: `lambda params: body` at `t`; returns where it ends. */
export function lambda(s: FlowState, t: number, b: number): number {
  const name = takeHint(s, t);
  const colon = findOp(s, t + 1, b, OP_COLON);
  if (colon >= b) return b;
  const end = elementEnd(s, colon + 1, b);
  defer(s, { name, paramsFrom: t + 1, paramsTo: colon, from: colon + 1, to: end, body: BODY_EXPR, indent: 0 });
  return end;
}

/** JavaScript: an arrow function, function or class expression starting at word `t`; its end, or -1. */
export function functionValue(s: FlowState, t: number, b: number): number {
  const { buf } = s;
  if (isOp(buf, t + 1, OP_ARROW)) return arrowBody(s, t, t, t + 1, t + 1, b);
  const w = word(s, t);
  if (w === 'function') return functionAt(s, t, b, takeHint(s, t));
  if (w === 'async') {
    if (isWord(s, t + 1, 'function')) return functionAt(s, t + 1, b, takeHint(s, t));
    if (buf.kind[t + 1] === IDENT && isOp(buf, t + 2, OP_ARROW)) return arrowBody(s, t, t + 1, t + 2, t + 2, b);
    if (isOpen(buf, t + 1, CH_LPAREN)) return arrowAt(s, t, t + 1, b);
  }
  if (w === 'class') {
    const body = findBody(s, t + 1, b);
    return body < 0 ? -1 : Math.min(closeOf(s, body, b) + 1, b);
  }
  return -1;
}

/** `(params) => body` with `(` at `open`, the expression starting at `start`; its end, or -1 when it is no arrow function. */
export function arrowAt(s: FlowState, start: number, open: number, b: number): number {
  const { buf } = s;
  const close = closeOf(s, open, b);
  if (close >= b) return -1;
  let arrow = close + 1;
  if (isOp(buf, arrow, OP_COLON)) {
    // A return type: `(x: string): Promise<void> => …`
    let k = arrow + 1;
    for (let steps = 0; k < b && steps < 64 && !isOp(buf, k, OP_ARROW); steps++) {
      if (buf.kind[k] === OP && (buf.aux[k] === OP_COMMA || buf.aux[k] === OP_SEMI || buf.aux[k] === OP_ASSIGN || buf.aux[k] === 63)) return -1;
      k = skip(s, k, b);
    }
    arrow = k;
  }
  if (!isOp(buf, arrow, OP_ARROW)) return -1;
  return arrowBody(s, start, open + 1, close, arrow, b);
}

function arrowBody(s: FlowState, start: number, paramsFrom: number, paramsTo: number, arrow: number, b: number): number {
  const { buf } = s;
  const name = takeHint(s, start);
  const first = arrow + 1;
  if (isOpen(buf, first, CH_LBRACE)) {
    const c = closeOf(s, first, b);
    defer(s, { name, paramsFrom, paramsTo, from: first + 1, to: c, body: BODY_JS_BLOCK, indent: 0 });
    return c < b ? c + 1 : b;
  }
  const end = elementEnd(s, first, b);
  defer(s, { name, paramsFrom, paramsTo, from: first, to: end, body: BODY_EXPR, indent: 0 });
  return end;
}

/** JavaScript: `function [*] [name] (…) {…}` at `t`; its end. */
export function functionAt(s: FlowState, t: number, b: number, hint: string | null): number {
  const { buf } = s;
  let k = t + 1;
  if (isOp(buf, k, OP_STAR)) k++;
  let name = hint;
  if (buf.kind[k] === IDENT) {
    name = word(s, k);
    k++;
  }
  for (let steps = 0; k < b && steps < 64 && !isOpen(buf, k, CH_LPAREN) && !isOpen(buf, k, CH_LBRACE) && !isOp(buf, k, OP_SEMI); steps++) k = skip(s, k, b);
  if (!isOpen(buf, k, CH_LPAREN)) return Math.max(k, t + 1);
  return functionAfterName(s, name, k, b);
}

/** A function's parameters at `open`, then its body (after any return type); its end. */
export function functionAfterName(s: FlowState, name: string | null, open: number, b: number): number {
  const close = closeOf(s, open, b);
  if (close >= b) return b;
  const body = findBody(s, close + 1, b);
  if (body < 0) return close + 1;
  const c = closeOf(s, body, b);
  defer(s, { name, paramsFrom: open + 1, paramsTo: close, from: body + 1, to: c, body: BODY_JS_BLOCK, indent: 0 });
  return c < b ? c + 1 : b;
}

/**
 * JavaScript: the `{` of a body after a parameter list or a class heading, skipping a type
 * (`): { a: string } {`, `extends Base<{ x: 1 }> {`); -1 when there is none.
 */
export function findBody(s: FlowState, k: number, b: number): number {
  const { buf } = s;
  for (let steps = 0; k < b && steps < 256; steps++) {
    const kind = buf.kind[k];
    if (kind === OPEN && buf.aux[k] === CH_LBRACE) {
      const p = k - 1;
      const op = buf.kind[p] === OP ? buf.aux[p] : -1;
      const typeLiteral = op === OP_COLON || op === 124 || op === 38 || op === 60 || op === OP_COMMA || op === OP_ARROW;
      if (!typeLiteral) return k;
    }
    if (kind === CLOSE || (kind === OP && (buf.aux[k] === OP_SEMI || buf.aux[k] === OP_ASSIGN))) return -1;
    k = skip(s, k, b);
  }
  return -1;
}
