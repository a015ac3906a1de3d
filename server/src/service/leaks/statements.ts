// The statements both languages share, as the walkers (python.ts, javascript.ts) read them:
// `targets = value` (the value evaluated, then each target bound), `target op= value`, and
// `raise` / `throw`, whose exception's message is a sink.

import { CH_LBRACE, CH_LPAREN, IDENT, OPEN, OP_COLON, OP_DOT, STRING, isOp, isOpen } from '../scan/tokens';
import { splitArgs } from './calls';
import { isReference } from './documentIndex';
import { evalArg, evalElements, evalExpr, evalValue } from './evaluator';
import type { Instance } from './callables';
import { addToContainer, bindField } from './fields';
import { bindObject } from './follow';
import { leak } from './findings';
import { closeOf, dottedPath, elementEnd, findFor, isWord, keyName, step, word } from './reader';
import { REQUESTS } from './sinks';
import type { FlowState } from './state';
import { extend, type Taint } from './taint';
import { ASSIGN, bindTarget, isPattern } from './targets';

/**
 * `targets = value` with the `=` signs at `eqs` (one, or in order) and the value up to `to`;
 * `firstEnd`, when not -1, ends the first target before its annotation (`x: str = …`). Target i
 * runs from the `=` before it (the first from `from`) to its own.
 */
export function assignStatement(flow: FlowState, from: number, firstEnd: number, eqs: number | readonly number[], to: number): void {
  const n = typeof eqs === 'number' ? 1 : eqs.length;
  const last = eqAt(eqs, n - 1);
  let pattern = false;
  for (let i = 0, a = from; i < n && !pattern; a = eqAt(eqs, i) + 1, i++) pattern = isPattern(flow, a, i === 0 && firstEnd >= 0 ? firstEnd : eqAt(eqs, i));
  let taint: Taint;
  let elements: Taint[] | null = null;
  if (pattern) ({ taint, elements } = evalElements(flow, last + 1, to));
  else {
    const ls = n === 1 ? from : eqAt(eqs, n - 2) + 1;
    const path = dottedPath(flow, ls, n === 1 && firstEnd >= 0 ? firstEnd : last);
    flow.lastRequest = null;
    flow.lastInstance = null;
    taint = evalValue(flow, last + 1, to, path !== null ? path.slice(path.lastIndexOf('.') + 1) : null);
    const request = flow.lastRequest;
    const instance = flow.lastInstance;
    for (let i = 0, ts = from; i < n; ts = eqAt(eqs, i) + 1, i++) {
      const te = i === 0 && firstEnd >= 0 ? firstEnd : eqAt(eqs, i);
      bindTarget(flow, ts, te, taint, null, ASSIGN);
      bindResponse(flow, ts, te, to, request);
      bindFields(flow, ts, te, last + 1, to, taint);
      bindInstance(flow, ts, te, to, instance);
    }
    return;
  }
  for (let i = 0, ts = from; i < n; ts = eqAt(eqs, i) + 1, i++) bindTarget(flow, ts, i === 0 && firstEnd >= 0 ? firstEnd : eqAt(eqs, i), taint, elements, ASSIGN);
}

/** The `=` sign `i` of assignStatement's `eqs`. */
function eqAt(eqs: number | readonly number[], i: number): number {
  return typeof eqs === 'number' ? eqs : eqs[i]!;
}

/** `target op= value` with the operator at `op`. */
export function augmented(flow: FlowState, from: number, op: number, to: number): void {
  const v = evalExpr(flow, op + 1, to);
  if (v === null) return;
  const path = dottedPath(flow, from, op);
  if (path === null) {
    bindTarget(flow, from, op, v, null, ASSIGN);
    return;
  }
  const plus = flow.text.charCodeAt(flow.buf.start[op]!) === 43;
  addToContainer(flow, path, extend(v, step(flow, from, op - 1, `${plus ? 'appended to' : 'combined into'} ${path}`)));
}

/**
 * After `target = {…}` (a plain name, `value` the dict or object literal [from, to) that carried
 * `whole`): each constant key is bound to what its own value carries, so that reading another key
 * than the secret's is clean. Only when the literal carries something (a second look at its
 * values), and only when every key is a constant: a `**spread`, a computed key or a method makes
 * the keys unknown.
 */
export function bindFields(flow: FlowState, ts: number, te: number, from: number, to: number, whole: Taint): void {
  const { buf } = flow;
  if (whole === null || from >= to || buf.kind[from] !== OPEN || buf.aux[from] !== CH_LBRACE || closeOf(flow, from, to) !== to - 1) return;
  const path = dottedPath(flow, ts, te);
  if (path === null || (flow.python && findFor(flow, from + 1, to - 1) >= 0)) return;
  const entries: Array<{ key: string; from: number; to: number }> = [];
  for (let a = from + 1; a < to - 1; ) {
    const k = elementEnd(flow, a, to - 1);
    if (k > a) {
      const keyed = (buf.kind[a] === STRING || (!flow.python && buf.kind[a] === IDENT)) && isOp(buf, a + 1, OP_COLON);
      const key = keyed ? (buf.kind[a] === IDENT ? `'${word(flow, a)}'` : keyName(flow, a, a + 1)) : !flow.python && k === a + 1 && buf.kind[a] === IDENT ? `'${word(flow, a)}'` : null;
      if (key === null) return;
      entries.push({ key, from: keyed ? a + 2 : a, to: k });
    }
    a = k + 1;
  }
  const group = step(flow, from, to - 1, flow.python ? 'put in a dict' : 'put in an object');
  const assigned = step(flow, ts, te - 1, `assigned to ${path}`);
  for (const entry of entries) {
    const v = entry.from < entry.to ? evalExpr(flow, entry.from, entry.to) : null;
    bindField(flow, path, entry.key, v === null ? null : extend(extend(v, group), assigned));
  }
}

/**
 * After `target = value` (a plain name): when the value is an HTTP request (`request`, the last
 * one evaluated, ending at `valueEnd`) whose URL carried a secret (see REQUESTS), the response's
 * `url` attribute carries it too (`print(resp.url)`); a later assignment of anything else to the
 * name clears it. Until some response is bound, assignments pay nothing for this.
 */
export function bindResponse(flow: FlowState, ts: number, te: number, valueEnd: number, request: { end: number; url: Taint } | null): void {
  const bind = request !== null && request.end === valueEnd && request.url !== null;
  if (!bind && !flow.responsesBound) return;
  const path = dottedPath(flow, ts, te);
  if (path === null) return;
  for (const attribute of REQUESTS.responseAttributes) {
    const key = `${path}.${attribute}`;
    if (bind) {
      flow.responsesBound = true;
      flow.env.assign(key, extend(request.url, step(flow, ts, te - 1, `response assigned to ${path}: its ${attribute} is the request's`)), flow.block);
    } else if (flow.env.lookup(key, flow.block) !== undefined) flow.env.assign(key, null, flow.block);
  }
}

/**
 * After `target = C(…)` (a name or a dotted path), when the value is an instance a constructor of
 * the document made (`instance`, the last one, ending at `valueEnd`; see follow.ts): the target's
 * attributes hold what the constructor stored there (`c.t`), and its methods are the class's.
 */
export function bindInstance(flow: FlowState, ts: number, te: number, valueEnd: number, instance: { end: number; instance: Instance } | null): void {
  if (instance === null || instance.end !== valueEnd) return;
  const path = dottedPath(flow, ts, te);
  if (path === null) return;
  bindObject(flow, path, instance.instance);
  for (const [attr, v] of instance.instance.attrs) {
    flow.env.assign(`${path}.${attr}`, v === null ? null : extend(v, step(flow, ts, te - 1, `assigned to ${path}`), true), flow.block);
  }
}

/**
 * `raise X(…)` / `throw new X(…)` with the expression at [from, to): when it calls the
 * exception's class, each argument is its message; otherwise the raised value itself.
 */
export function raised(flow: FlowState, keyword: 'raise' | 'throw', from: number, to: number): void {
  const { buf } = flow;
  if (from >= to) return;
  let first = from;
  let sink: string = keyword;
  if (!flow.python && isWord(flow, first, 'new')) {
    first++;
    sink = `${keyword} new`;
  }
  let k = first;
  if (buf.kind[k] === IDENT) {
    k++;
    while (isOp(buf, k, OP_DOT) && buf.kind[k + 1] === IDENT) k += 2;
  }
  const verb = keyword === 'raise' ? 'raised' : 'thrown';
  if (k > first && isOpen(buf, k, CH_LPAREN) && closeOf(flow, k, to) === to - 1 && !isReference(flow, from)) {
    const callee = dottedPath(flow, first, k)!;
    for (const arg of splitArgs(flow, k + 1, to - 1)) {
      const v = evalArg(flow, arg);
      leak(flow, `${sink} ${callee}`, arg.from, arg.to, v, `${verb} in ${callee}`, from);
    }
    return;
  }
  const v = evalExpr(flow, from, to);
  const name = dottedPath(flow, from, to);
  leak(flow, name !== null ? `${keyword} ${name}` : keyword, from, to, v, verb, from);
}
