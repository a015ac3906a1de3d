// The work queue that drives a flow analysis: the module's statements are walked first, then each
// function in the order it was found, with the scope that defines it as it stands at that scope's
// end (a nested function usually runs later: a callback, a handler; module-level names are usually
// set before any function runs). A function found while another is analysed joins the end of the
// queue, so each is analysed once, after its parent. A module that cannot show a secret (see
// mayShow) is not walked; a function that calls none of the document's functions (follow.ts) and
// cannot see a secret, or cannot show one, is skipped. One that calls them is walked when it can
// see or show a secret, or when one of them may show one (follow.ts's showsThrough): what one
// returns may be a secret it reads, and another may show it.

import { hasReference, indexTokens, locateReferences, mayShow } from './documentIndex';
import { callsDefined, constructorAttributes, constructorReads, enter, showsThrough, walkBody } from './follow';
import type { FlowState, StatementWalker } from './state';
import { PATH_WORK } from './taint';
import type { SecretLeak } from './types';

/** The switch the prefilter test turns off, where the queue used to ask it. */
export { SINK_PREFILTER } from './documentIndex';

export type { StatementWalker } from './state';

/** Every leak the analysis finds, in document order. */
export function analyse(flow: FlowState, walker: StatementWalker): SecretLeak[] {
  const hops = PATH_WORK.hops;
  locateReferences(flow);
  if (flow.refCount === 0) return [];
  indexTokens(flow);
  flow.walker = walker;
  // A document with no sink and no display function anywhere leaks nothing: the module is not
  // walked either (most files of a check: bench/check).
  if (!mayShow(flow, 0, flow.count, null)) return [];
  walker.module(flow);
  for (let i = 0; i < flow.queue.length; i++) {
    const f = flow.queue[i]!;
    // Nothing in it can carry a secret (no reference of its own, nothing tainted around it, no
    // call to a function of the document, which may return one), or nothing can show one (no
    // sink of its own, no call to a function of the document, which may have one).
    const from = Math.min(f.paramsFrom, f.from);
    const calls = callsDefined(flow, from, f.to);
    const sees = hasReference(flow, from, f.to) || f.parent.mayHoldSecrets() || constructorReads(flow, f);
    if (!calls && (!f.shows || !sees)) continue;
    // It reads nothing and shows nothing itself: only a function it calls that may show can leak
    // what another returns (`log_value(_headers(conv))`).
    if (calls && !f.shows && !sees && !showsThrough(flow, f)) continue;
    enter(flow, f);
    constructorAttributes(flow, f);
    walkBody(flow, f);
  }
  for (const l of flow.leaks) {
    if (l.origins.length > 1) {
      l.origins.sort((x, y) => x.span.start - y.span.start || x.source.span.start - y.source.span.start);
      l.span = l.origins[0]!.span;
    }
  }
  flow.work += PATH_WORK.hops - hops;
  flow.leaks.sort((x, y) => x.span.start - y.span.start || x.origins[0]!.source.span.start - y.origins[0]!.source.span.start);
  return flow.leaks;
}
