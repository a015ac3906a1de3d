// Assignment targets: what a name, an attribute, a subscript or a tuple / list / object pattern
// holds once a value is bound to it (an assignment, a `for` loop or comprehension, `with … as`).
// A name or `a.b` is replaced (see Env.assign), `x[k]` adds to `x`, a pattern binds each name
// (element by element when the value is a tuple / list written out, or key and value pairs).
// A subscript's key is evaluated where it stands, through FlowState.evaluate.

import { CH_LBRACE, CH_RBRACKET, CH_RPAREN, CLOSE, IDENT, OPEN, OP_ASSIGN, OP_COLON, OP_DOT, OP_ELLIPSIS, OP_STAR, isOp } from '../scan/tokens';
import { isReference, referenceAt, source } from './documentIndex';
import { addToContainer, bindField } from './fields';
import { closeOf, dottedPath, elementEnd, findOp, hasTopLevelComma, keyName, step, word } from './reader';
import { isSanitiserProperty } from './sinks';
import { MAX_DEPTH, type FlowState } from './state';
import { extend, readKey, type Taint } from './taint';

// How a target is bound, for the step's message.
export const ASSIGN = 0;
export const UNPACK = 1;
export const ITERATE = 2;

/**
 * Binds target [from, to) to `taint`: a name or `a.b` (replacing what it holds, see
 * Env.assign), `x[k]` (adding to `x`: a dict / list holds what is stored in it), a tuple / list / object pattern (each name; element by
 * element when `elements` has one per name).
 */
export function bindTarget(flow: FlowState, from: number, to: number, taint: Taint, elements: readonly Taint[] | null, how: number): void {
  const { buf } = flow;
  if (from >= to || flow.depth >= MAX_DEPTH) return;
  if (buf.kind[from] === OPEN && closeOf(flow, from, to) === to - 1) {
    flow.depth++;
    if (buf.aux[from] !== CH_LBRACE) bindList(flow, from + 1, to - 1, taint, elements, how);
    else if (!flow.python) bindObjectPattern(flow, from + 1, to - 1, taint);
    flow.depth--;
    return;
  }
  if (hasTopLevelComma(flow, from, to)) {
    flow.depth++;
    bindList(flow, from, to, taint, elements, how);
    flow.depth--;
    return;
  }
  let first = from;
  if (isOp(buf, first, OP_STAR) || isOp(buf, first, OP_ELLIPSIS)) first++;
  // JavaScript: a default value in a pattern (`[a = 1] = …`) is not part of the target.
  const e = flow.python ? to : findOp(flow, first, to, OP_ASSIGN);
  const path = dottedPath(flow, first, e);
  if (path !== null) {
    const verb = how === ITERATE ? 'iterated into' : how === UNPACK ? 'unpacked into' : 'assigned to';
    // `self.token = …` / `session.auth = …` binds that attribute, not the object: what the
    // object's methods return is not the value (`session.post(…)` is the intended use).
    const bound = taint === null ? null : extend(taint, step(flow, first, e - 1, `${verb} ${path}`), how !== ITERATE && how !== UNPACK);
    flow.env.assign(path, bound, flow.block);
    // Its keys, told apart until now, hold whatever the new value holds.
    const fields = flow.fieldsOf.size > 0 ? flow.fieldsOf.get(path) : undefined;
    if (fields !== undefined) for (const field of fields) flow.env.assign(field, bound, flow.block);
    return;
  }
  // `headers['Authorization'] = …` stores into `headers`.
  if (e - 1 > first && buf.kind[e - 1] === CLOSE && buf.aux[e - 1] === CH_RBRACKET) {
    const open = buf.match[e - 1]!;
    const base = open > first ? dottedPath(flow, first, open) : null;
    if (base !== null) {
      flow.evaluate(flow, open + 1, e - 1);
      const stored = taint === null ? null : extend(taint, step(flow, first, e - 1, `stored in ${base}`));
      const key = keyName(flow, open + 1, e - 1);
      // A constant key: that key now holds this value (and the container it too); any other
      // key may be any of them.
      if (key !== null) {
        flow.env.add(base, stored, flow.block);
        bindField(flow, base, key, stored);
      } else addToContainer(flow, base, stored);
    }
  }
}

/** The elements of a tuple / list pattern in [from, to), each bound (to its own element's taint when `elements` has one per name). */
function bindList(flow: FlowState, from: number, to: number, taint: Taint, elements: readonly Taint[] | null, how: number): void {
  const parts: Array<[number, number]> = [];
  let a = from;
  while (a < to) {
    const k = elementEnd(flow, a, to);
    if (k > a) parts.push([a, k]);
    a = k + 1;
  }
  const each = elements !== null && elements.length === parts.length;
  parts.forEach(([ts, te], i) => bindTarget(flow, ts, te, each ? elements[i]! : taint, null, how === ITERATE ? ITERATE : UNPACK));
}

/**
 * JavaScript: `{a, b: c, d = 1, ...rest}`. A property that says something about the value, not
 * the value (`const { length } = token`), binds nothing, as `token.length` does.
 */
function bindObjectPattern(flow: FlowState, from: number, to: number, taint: Taint): void {
  const { buf } = flow;
  let a = from;
  while (a < to) {
    const k = elementEnd(flow, a, to);
    if (k > a) {
      const colon = findOp(flow, a, k, OP_COLON);
      const key = buf.kind[a] === IDENT ? flow.text.slice(buf.start[a]!, buf.end[a]!) : null;
      // `{ API_KEY } = creds` reads that key of the value, as `creds.API_KEY` does; in `{ API_KEY } =
      // process.env` the key is itself a read (the scanner's reference there), whose value it takes.
      const value = isReference(flow, a)
        ? source(flow, referenceAt(flow, a))
        : key !== null && isSanitiserProperty(key, false)
          ? null
          : key !== null && !isOp(buf, a, OP_ELLIPSIS)
            ? taint === null ? null : readKey(taint, key, step(flow, a, a, `read key '${key}'`))
            : taint;
      if (isOp(buf, a, OP_ELLIPSIS)) bindTarget(flow, a + 1, k, taint, null, UNPACK);
      else if (colon < k) bindTarget(flow, colon + 1, k, value, null, UNPACK);
      else bindTarget(flow, a, k, value, null, UNPACK);
    }
    a = k + 1;
  }
}

/** Whether tokens [from, to) are a tuple / list / destructuring pattern rather than one target. */
export function isPattern(flow: FlowState, from: number, to: number): boolean {
  const { buf } = flow;
  if (from >= to) return false;
  if (buf.kind[from] === OPEN && closeOf(flow, from, to) === to - 1) return buf.aux[from] !== CH_LBRACE || !flow.python;
  return hasTopLevelComma(flow, from, to);
}

/**
 * What each of two loop targets takes from an iterable [from, to) of key (or index) and value
 * pairs: `d.items()` and `enumerate(x)` in Python, `Object.entries(o)` and `m.entries()` in
 * JavaScript. The key takes nothing (a dict's keys are names, as `.keys()` is a sanitiser; an
 * index is a number), the value what the iterable carries: in
 * `for name, value in required.items(): missing.append(name)` only `value` is the secret.
 * Null for any other iterable: every target takes everything.
 */
export function pairElements(flow: FlowState, from: number, to: number, taint: Taint): readonly Taint[] | null {
  const { buf } = flow;
  if (taint === null || to - from < 3 || buf.kind[to - 1] !== CLOSE || buf.aux[to - 1] !== CH_RPAREN) return null;
  const open = buf.match[to - 1]!;
  if (open < from + 1) return null;
  const callee = dottedPath(flow, from, open);
  const method = open - 2 > from && isOp(buf, open - 2, OP_DOT) && buf.kind[open - 1] === IDENT ? word(flow, open - 1) : null;
  const empty = open + 1 === to - 1;
  const pairs = flow.python
    ? (method === 'items' && empty) || callee === 'enumerate'
    : (method === 'entries' && empty) || callee === 'Object.entries';
  return pairs ? [null, taint] : null;
}
