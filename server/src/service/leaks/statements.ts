// The statements both languages share, as the walkers (python.ts, javascript.ts) read them:
// `targets = value` (the value evaluated, then each target bound), `target op= value`, and
// `raise` / `throw`, whose exception's message is a sink.

import { CH_LBRACE, CH_LPAREN, IDENT, OPEN, OP_COLON, OP_DOT, STRING, isOp, isOpen } from '../scan/tokens';
import { splitArgs } from './calls';
import { isReference } from './documentIndex';
import { evalArg, evalElements, evalExpr, evalValue } from './evaluator';
import { addToContainer, bindField } from './fields';
import { leak } from './findings';
import { closeOf, dottedPath, elementEnd, findFor, isWord, keyName, step, word } from './reader';
import { REQUESTS } from './sinks';
import type { FlowState } from './state';
import { extend, type Taint } from './taint';
import { ASSIGN, bindTarget, isPattern } from './targets';

/**
 * `targets = value` with the `=` signs at `eqs` and the value up to `to`; `firstEnd`, when not
 * -1, ends the first target before its annotation (`x: str = …`).
 */
export function assignStatement(s: FlowState, from: number, firstEnd: number, eqs: readonly number[], to: number): void {
  const last = eqs[eqs.length - 1]!;
  const targets: Array<[number, number]> = [];
  let a = from;
  eqs.forEach((eq, i) => {
    targets.push([a, i === 0 && firstEnd >= 0 ? firstEnd : eq]);
    a = eq + 1;
  });
  let taint: Taint;
  let elements: Taint[] | null = null;
  if (targets.some(([ts, te]) => isPattern(s, ts, te))) ({ taint, elements } = evalElements(s, last + 1, to));
  else {
    const [ls, le] = targets[targets.length - 1]!;
    const path = dottedPath(s, ls, le);
    s.lastRequest = null;
    taint = evalValue(s, last + 1, to, path !== null ? path.slice(path.lastIndexOf('.') + 1) : null);
    const request = s.lastRequest;
    for (const [ts, te] of targets) {
      bindTarget(s, ts, te, taint, null, ASSIGN);
      bindResponse(s, ts, te, to, request);
      bindFields(s, ts, te, last + 1, to, taint);
    }
    return;
  }
  for (const [ts, te] of targets) bindTarget(s, ts, te, taint, elements, ASSIGN);
}

/** `target op= value` with the operator at `op`. */
export function augmented(s: FlowState, from: number, op: number, to: number): void {
  const v = evalExpr(s, op + 1, to);
  if (v === null) return;
  const path = dottedPath(s, from, op);
  if (path === null) {
    bindTarget(s, from, op, v, null, ASSIGN);
    return;
  }
  const plus = s.text.charCodeAt(s.buf.start[op]!) === 43;
  addToContainer(s, path, extend(v, step(s, from, op - 1, `${plus ? 'appended to' : 'combined into'} ${path}`)));
}

/**
 * After `target = {…}` (a plain name, `value` the dict or object literal [from, to) that carried
 * `whole`): each constant key is bound to what its own value carries, so that reading another key
 * than the secret's is clean. Only when the literal carries something (a second look at its
 * values), and only when every key is a constant: a `**spread`, a computed key or a method makes
 * the keys unknown.
 */
export function bindFields(s: FlowState, ts: number, te: number, from: number, to: number, whole: Taint): void {
  const { buf } = s;
  if (whole === null || from >= to || buf.kind[from] !== OPEN || buf.aux[from] !== CH_LBRACE || closeOf(s, from, to) !== to - 1) return;
  const path = dottedPath(s, ts, te);
  if (path === null || (s.python && findFor(s, from + 1, to - 1) >= 0)) return;
  const entries: Array<{ key: string; from: number; to: number }> = [];
  for (let a = from + 1; a < to - 1; ) {
    const k = elementEnd(s, a, to - 1);
    if (k > a) {
      const keyed = (buf.kind[a] === STRING || (!s.python && buf.kind[a] === IDENT)) && isOp(buf, a + 1, OP_COLON);
      const key = keyed ? (buf.kind[a] === IDENT ? `'${word(s, a)}'` : keyName(s, a, a + 1)) : !s.python && k === a + 1 && buf.kind[a] === IDENT ? `'${word(s, a)}'` : null;
      if (key === null) return;
      entries.push({ key, from: keyed ? a + 2 : a, to: k });
    }
    a = k + 1;
  }
  const group = step(s, from, to - 1, s.python ? 'put in a dict' : 'put in an object');
  const assigned = step(s, ts, te - 1, `assigned to ${path}`);
  for (const entry of entries) {
    const v = entry.from < entry.to ? evalExpr(s, entry.from, entry.to) : null;
    bindField(s, path, entry.key, v === null ? null : extend(extend(v, group), assigned));
  }
}

/**
 * After `target = value` (a plain name): when the value is an HTTP request (`request`, the last
 * one evaluated, ending at `valueEnd`) whose URL carried a secret (see REQUESTS), the response's
 * `url` attribute carries it too (`print(resp.url)`); a later assignment of anything else to the
 * name clears it. Until some response is bound, assignments pay nothing for this.
 */
export function bindResponse(s: FlowState, ts: number, te: number, valueEnd: number, request: { end: number; url: Taint } | null): void {
  const bind = request !== null && request.end === valueEnd && request.url !== null;
  if (!bind && !s.responsesBound) return;
  const path = dottedPath(s, ts, te);
  if (path === null) return;
  for (const attribute of REQUESTS.responseAttributes) {
    const key = `${path}.${attribute}`;
    if (bind) {
      s.responsesBound = true;
      s.env.assign(key, extend(request.url, step(s, ts, te - 1, `response assigned to ${path}: its ${attribute} is the request's`)), s.block);
    } else if (s.env.lookup(key, s.block) !== undefined) s.env.assign(key, null, s.block);
  }
}

/**
 * `raise X(…)` / `throw new X(…)` with the expression at [from, to): when it calls the
 * exception's class, each argument is its message; otherwise the raised value itself.
 */
export function raised(s: FlowState, keyword: 'raise' | 'throw', from: number, to: number): void {
  const { buf } = s;
  if (from >= to) return;
  let first = from;
  let sink: string = keyword;
  if (!s.python && isWord(s, first, 'new')) {
    first++;
    sink = `${keyword} new`;
  }
  let k = first;
  if (buf.kind[k] === IDENT) {
    k++;
    while (isOp(buf, k, OP_DOT) && buf.kind[k + 1] === IDENT) k += 2;
  }
  const verb = keyword === 'raise' ? 'raised' : 'thrown';
  if (k > first && isOpen(buf, k, CH_LPAREN) && closeOf(s, k, to) === to - 1 && !isReference(s, from)) {
    const callee = dottedPath(s, first, k)!;
    for (const arg of splitArgs(s, k + 1, to - 1)) {
      const v = evalArg(s, arg);
      leak(s, `${sink} ${callee}`, arg.from, arg.to, v, `${verb} in ${callee}`, from);
    }
    return;
  }
  const v = evalExpr(s, from, to);
  const name = dottedPath(s, from, to);
  leak(s, name !== null ? `${keyword} ${name}` : keyword, from, to, v, verb, from);
}
