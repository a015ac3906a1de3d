// Calls: what a call does with the values passed to it, once the evaluator has evaluated them. A
// sink's arguments are reported (sinks.ts); a sanitiser's carry nothing on; a known propagator's
// result carries its receiver and arguments (propagation.ts); a mutator adds its arguments to its
// receiver; a method of a value that carries a secret passes it through; any other call is the
// value's intended use and its result carries nothing. An HTTP request is noted for the response
// and the errors that name its URL.

import { IDENT, OP_ASSIGN, OP_ELLIPSIS, OP_POW, OP_STAR, isOp } from '../scan/tokens';
import type { Argument } from './callables';
import { addToContainer, fieldRead } from './fields';
import { follow, resolve, type CallPlace, type Target } from './follow';
import { leak } from './findings';
import { isMutator, propagation } from './propagation';
import { elementEnd, keyName, keyValue, step, word } from './reader';
import { NOT_CONTENT_KEYWORDS, REQUESTS, isLoggerFactory, isRequestCall, isSanitiserCall, sinkOf } from './sinks';
import type { FlowState } from './state';
import { extend, readKey, union, type Taint } from './taint';

/** Keyword arguments of a Python request that add to its URL's query (see REQUESTS). */
const QUERY_KEYWORDS: readonly string[] = REQUESTS.python.queryKeywords;

export type { Argument } from './callables';

/** Where a call is made: the callee as written when it is a dotted name, and its receiver (see follow.ts's CallPlace). */
export interface CallWhere extends CallPlace {
  receiverIsLogger?: boolean;
}

/** The arguments in [from, to): Python's `name=` keyword noted, `*` / `**` / `...` dropped. */
export function splitArgs(flow: FlowState, from: number, to: number): Argument[] {
  const { buf } = flow;
  // Counted first: an array grown by push from empty keeps room for 17 (most calls pass one to three).
  let n = 0;
  for (let a = from; a < to; a = elementEnd(flow, a, to) + 1) n++;
  const out: Argument[] = new Array<Argument>(n);
  n = 0;
  let a = from;
  while (a < to) {
    const k = elementEnd(flow, a, to);
    let first = a;
    let keyword: string | null = null;
    if (flow.python && buf.kind[first] === IDENT && isOp(buf, first + 1, OP_ASSIGN)) {
      keyword = word(flow, first);
      first += 2;
    } else if (isOp(buf, first, OP_STAR) || isOp(buf, first, OP_POW) || isOp(buf, first, OP_ELLIPSIS)) first++;
    if (first < k) out[n++] = { from: first, to: k, keyword, taint: null };
    a = k + 1;
  }
  out.length = n;
  return out;
}

/**
 * What the call at tokens [start, end) with `(` at `open` carries, its arguments `args` evaluated
 * (each one's `taint` set); `receiver` is what the receiver of a method carries. Reports what its
 * arguments carry into it when it is a sink.
 */
export function call(
  flow: FlowState,
  start: number,
  open: number,
  end: number,
  args: readonly Argument[],
  where: CallWhere,
  receiver: Taint,
  shown: string,
): Taint {
  // The state's one CallSite, filled anew: nothing reads it after a call followed (which fills it again).
  const site = flow.site;
  site.path = where.path;
  site.name = where.name;
  site.method = where.method;
  site.receiver = where.receiver;
  site.receiverIsLogger = where.receiverIsLogger ?? false;
  let out: Taint = null;
  let madeLogger = false;
  let target: Target | null = null;
  flow.lastInstance = null;
  if (sinkOf(site) !== null) {
    for (const arg of args) {
      if (arg.taint !== null && (arg.keyword === null || !NOT_CONTENT_KEYWORDS.includes(arg.keyword))) leak(flow, shown, arg.from, arg.to, arg.taint, `passed to ${shown}`, open);
    }
  } else if (isSanitiserCall(site)) {
    // Its result says something about the value, and shows none of it.
  } else if ((target = resolve(flow, where)) !== null) {
    // A function of the document: followed into it (follow.ts).
    out = follow(flow, target, args, start, end, shown);
  } else {
    let carried: Taint = null;
    let url: Taint = null;
    let positional = 0;
    for (const arg of args) {
      const v = arg.taint;
      carried = union(carried, v);
      if (arg.keyword === 'url' || (arg.keyword === null && positional++ === 0)) url ??= v;
      else if (arg.keyword !== null && QUERY_KEYWORDS.includes(arg.keyword)) url = union(url, v);
    }
    if (isRequestCall(site)) {
      flow.lastRequest = { end, url: url === null ? null : extend(url, step(flow, start, end - 1, `requested by ${shown}`)) };
      raisable(flow, flow.lastRequest.url);
    } else if (site.method && site.name === 'raise_for_status' && site.receiver !== null) {
      // `resp.raise_for_status()`: its HTTPError names the response's URL.
      const bound = flow.env.lookup(`${site.receiver}.url`, flow.block);
      if (bound !== undefined && bound !== null) raisable(flow, extend(bound, step(flow, start, end - 1, `raised for ${site.receiver}`)));
    }
    const message = propagation(site, shown);
    if (message !== null) {
      const both = union(receiver, carried);
      out = both === null ? null : extend(both, step(flow, start, end - 1, message));
    } else if (isMutator(site)) {
      if (site.receiver !== null && carried !== null) addToContainer(flow, site.receiver, extend(carried, step(flow, start, end - 1, `added to ${site.receiver}`)));
    } else if (site.method && receiver !== null) {
      const get = site.name === 'get' && args.length > 0;
      const key = get ? keyName(flow, args[0]!.from, args[0]!.to) : null;
      const field = fieldRead(flow, site.receiver, key);
      const message = step(flow, start, end - 1, key !== null ? `read key ${key}` : `passed through .${site.name}()`);
      // `.get('k')` reads a key of the value, unless the code stored that key itself.
      if (field !== undefined) out = extend(field, message);
      else out = get ? readKey(receiver, keyValue(flow, args[0]!.from, args[0]!.to), message) : extend(receiver, message);
    } else madeLogger = isLoggerFactory(site.path);
  }
  flow.lastCallMadeLogger = madeLogger;
  return out;
}

/** Adds what an exception raised here would name to every `try` body open around it. */
function raisable(flow: FlowState, taint: Taint): void {
  if (taint === null) return;
  for (let i = 0; i < flow.tries.length; i++) flow.tries[i] = union(flow.tries[i]!, taint);
}
