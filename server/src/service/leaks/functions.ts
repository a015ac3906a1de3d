// The functions of a document: where a function starts and ends (a `def`, a lambda, an arrow
// function, a function or class expression, a method) and the name it goes by. A function found
// is recorded for the calls to it (follow.ts) and queued (see queue.ts) with the scope that
// defines it, and analysed after that scope: its body is read with the defining scope's names as
// they stand at its end, its parameters hiding outer names (follow.ts's enter).

import { CH_LBRACE, CH_LPAREN, IDENT, OP, OP_ARROW, OP_ASSIGN, OP_COLON, OP_COMMA, OP_SEMI, OP_STAR, isOp, isOpen } from '../scan/tokens';
import { findBody } from '../javascript/jsStructure';
import { mayShow } from './documentIndex';
import { define } from './follow';
import { closeOf, elementEnd, findOp, isWord, skip, word } from './reader';
import { SHOWING_UNKNOWN, type FunctionDef } from './callables';
import { BODY_EXPR, BODY_JS_BLOCK, type FlowState, type PendingFunction } from './state';

/**
 * Records a function found in the scope being read (follow.ts's define) and queues it (see
 * queue.ts), unless a call is being followed (its scope was read, and its functions queued, before).
 */
export function defer(flow: FlowState, pending: Omit<PendingFunction, 'parent' | 'cls' | 'shows' | 'showing'>, shows?: boolean): void {
  const from = Math.min(pending.paramsFrom, pending.from);
  // Field by field: a spread costs a generic copy per function.
  const full: FunctionDef = {
    name: pending.name,
    paramsFrom: pending.paramsFrom,
    paramsTo: pending.paramsTo,
    from: pending.from,
    to: pending.to,
    body: pending.body,
    indent: pending.indent,
    parent: flow.env,
    cls: flow.currentClass,
    shows: shows ?? mayShow(flow, from, pending.to, pending.name),
    showing: SHOWING_UNKNOWN,
    // What calls followed into it learn (follow.ts), in the same object: one per function.
    params: null,
    defaults: null,
    firstKey: null,
    first: null,
    summaries: null,
  };
  define(flow, full);
  flow.lastDeferred = full;
  if (flow.summary !== null) return;
  // Every one is queued: one that shows nothing and reads no secret may still pass what one of the
  // document's functions returns to another that shows it (`log_value(_headers(conv))`); the
  // queue (queue.ts) walks only those that may show, read or call one of the document's functions.
  flow.queue.push(full);
}

/** The name the expression starting at `start` is assigned to (see evalValue), taken once. */
function takeHint(flow: FlowState, start: number): string | null {
  const h = flow.hint;
  if (h === null || h.tok !== start) return null;
  flow.hint = null;
  return h.name;
}

/** Python: `lambda params: body` at `t`; returns where it ends. */
export function lambda(flow: FlowState, t: number, to: number): number {
  const name = takeHint(flow, t);
  const colon = findOp(flow, t + 1, to, OP_COLON);
  if (colon >= to) return to;
  const end = elementEnd(flow, colon + 1, to);
  defer(flow, { name, paramsFrom: t + 1, paramsTo: colon, from: colon + 1, to: end, body: BODY_EXPR, indent: 0 });
  return end;
}

/** JavaScript: an arrow function, function or class expression starting at word `t`; its end, or -1. */
export function functionValue(flow: FlowState, t: number, to: number): number {
  const { buf } = flow;
  if (isOp(buf, t + 1, OP_ARROW)) return arrowBody(flow, t, t, t + 1, t + 1, to);
  const w = word(flow, t);
  if (w === 'function') return functionAt(flow, t, to, takeHint(flow, t));
  if (w === 'async') {
    if (isWord(flow, t + 1, 'function')) return functionAt(flow, t + 1, to, takeHint(flow, t));
    if (buf.kind[t + 1] === IDENT && isOp(buf, t + 2, OP_ARROW)) return arrowBody(flow, t, t + 1, t + 2, t + 2, to);
    if (isOpen(buf, t + 1, CH_LPAREN)) return arrowAt(flow, t, t + 1, to);
  }
  if (w === 'class') {
    const body = findBody(flow.buf, t + 1, to);
    return body < 0 ? -1 : Math.min(closeOf(flow, body, to) + 1, to);
  }
  return -1;
}

/** `(params) => body` with `(` at `open`, the expression starting at `start`; its end, or -1 when it is no arrow function. */
export function arrowAt(flow: FlowState, start: number, open: number, to: number): number {
  const { buf } = flow;
  const close = closeOf(flow, open, to);
  if (close >= to) return -1;
  let arrow = close + 1;
  if (isOp(buf, arrow, OP_COLON)) {
    // A return type: `(x: string): Promise<void> => …`
    let k = arrow + 1;
    for (let steps = 0; k < to && steps < 64 && !isOp(buf, k, OP_ARROW); steps++) {
      if (buf.kind[k] === OP && (buf.aux[k] === OP_COMMA || buf.aux[k] === OP_SEMI || buf.aux[k] === OP_ASSIGN || buf.aux[k] === 63)) return -1;
      k = skip(flow, k, to);
    }
    arrow = k;
  }
  if (!isOp(buf, arrow, OP_ARROW)) return -1;
  return arrowBody(flow, start, open + 1, close, arrow, to);
}

function arrowBody(flow: FlowState, start: number, paramsFrom: number, paramsTo: number, arrow: number, b: number): number {
  const { buf } = flow;
  const name = takeHint(flow, start);
  const first = arrow + 1;
  if (isOpen(buf, first, CH_LBRACE)) {
    const c = closeOf(flow, first, b);
    defer(flow, { name, paramsFrom, paramsTo, from: first + 1, to: c, body: BODY_JS_BLOCK, indent: 0 });
    return c < b ? c + 1 : b;
  }
  const end = elementEnd(flow, first, b);
  defer(flow, { name, paramsFrom, paramsTo, from: first, to: end, body: BODY_EXPR, indent: 0 });
  return end;
}

/** JavaScript: `function [*] [name] (…) {…}` at `t`; its end. */
export function functionAt(flow: FlowState, t: number, to: number, hint: string | null): number {
  const { buf } = flow;
  let k = t + 1;
  if (isOp(buf, k, OP_STAR)) k++;
  let name = hint;
  if (buf.kind[k] === IDENT) {
    name = word(flow, k);
    k++;
  }
  for (let steps = 0; k < to && steps < 64 && !isOpen(buf, k, CH_LPAREN) && !isOpen(buf, k, CH_LBRACE) && !isOp(buf, k, OP_SEMI); steps++) k = skip(flow, k, to);
  if (!isOpen(buf, k, CH_LPAREN)) return Math.max(k, t + 1);
  return functionAfterName(flow, name, k, to);
}

/** A function's parameters at `open`, then its body (after any return type); its end. */
export function functionAfterName(flow: FlowState, name: string | null, open: number, to: number): number {
  const close = closeOf(flow, open, to);
  if (close >= to) return to;
  const body = findBody(flow.buf, close + 1, to);
  if (body < 0) return close + 1;
  const c = closeOf(flow, body, to);
  defer(flow, { name, paramsFrom: open + 1, paramsTo: close, from: body + 1, to: c, body: BODY_JS_BLOCK, indent: 0 });
  return c < to ? c + 1 : to;
}
