// The work queue that drives a flow analysis: the module's statements are walked first, then each
// function in the order it was found, with the scope that defines it as it stands at that scope's
// end (a nested function usually runs later: a callback, a handler; module-level names are usually
// set before any function runs). A function found while another is analysed joins the end of the
// queue, so each is analysed once, after its parent. A function that cannot show a secret is not
// queued (see mayShow), and a module that cannot is not walked; one that cannot see one is skipped.

import { bindParameters, returned } from './functions';
import { hasReference, indexTokens, locateReferences, mayShow } from './documentIndex';
import { evalExpr } from './evaluator';
import { isDisplayFunction } from './sinks';
import { BODY_EXPR, type FlowState, type PendingFunction } from './state';
import { Env } from './taint';
import type { SecretLeak } from './types';

/** The switch the prefilter test turns off, where the queue used to ask it. */
export { SINK_PREFILTER } from './documentIndex';

/** A language's statement walker (python.ts, javascript.ts). */
export interface StatementWalker {
  /** Walks the module's statements. */
  module(flow: FlowState): void;
  /** Walks a function's statements (not BODY_EXPR). */
  body(flow: FlowState, pending: PendingFunction): void;
}

/** Every leak the analysis finds, in document order. */
export function analyse(flow: FlowState, walker: StatementWalker): SecretLeak[] {
  locateReferences(flow);
  if (flow.refCount === 0) return [];
  indexTokens(flow);
  // A document with no sink and no display function anywhere leaks nothing: the module is not
  // walked either (most files of a check: bench/check).
  if (!mayShow(flow, 0, flow.count, null)) return [];
  walker.module(flow);
  for (let i = 0; i < flow.queue.length; i++) {
    const f = flow.queue[i]!;
    // Nothing in it can carry a secret: no reference of its own, nothing tainted around it.
    if (!hasReference(flow, Math.min(f.paramsFrom, f.from), f.to) && !f.parent.mayHoldSecrets()) continue;
    runFunction(flow, walker, f);
  }
  for (const l of flow.leaks) {
    if (l.origins.length > 1) {
      l.origins.sort((x, y) => x.span.start - y.span.start || x.source.span.start - y.source.span.start);
      l.span = l.origins[0]!.span;
    }
  }
  flow.leaks.sort((x, y) => x.span.start - y.span.start || x.origins[0]!.source.span.start - y.origins[0]!.source.span.start);
  return flow.leaks;
}

function runFunction(flow: FlowState, walker: StatementWalker, pending: PendingFunction): void {
  flow.block = flow.blocks.open(-1);
  flow.env = new Env(pending.parent, flow.blocks, flow.block, false);
  flow.fn = { name: pending.name, display: isDisplayFunction(pending.name) };
  bindParameters(flow, pending.paramsFrom, pending.paramsTo);
  if (pending.body === BODY_EXPR) {
    const v = evalExpr(flow, pending.from, pending.to);
    if (flow.fn.display) returned(flow, pending.from, pending.to, v);
  } else walker.body(flow, pending);
}
