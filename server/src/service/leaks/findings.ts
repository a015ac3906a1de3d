// The flow analysis's findings: a value reaching a sink, once per site, with each secret (and key)
// it may hold and the steps that brought it there, shortened when there are many.

import { inputOf } from './callables';
import type { FlowState } from './state';
import { stepsAtEnds, stepsOf, type Origin, type Taint } from './taint';
import type { FlowStep } from './types';

/**
 * The most sinks a function's summary keeps for each of its inputs (follow.ts), its own and those
 * of the functions it calls, the first found (the nearest): every call to it reports them, so a chain of
 * helpers that each log their argument and pass it on would otherwise report, at each call into
 * it, every sink below, and cost the square of its length. The sinks left out are counted
 * (FlowState.hitsDropped); each is still reported for the calls made nearer to it.
 */
export const MAX_HITS = 64;

/**
 * Reports what `taint` carries into sink `sink` at tokens [from, to): one leak per site, with one
 * origin per (source, key) at the first argument that carries it.
 */
export function leak(flow: FlowState, sink: string, from: number, to: number, taint: Taint, message: string, site: number): void {
  if (taint === null || from >= to) return;
  const { buf } = flow;
  const span = { start: buf.start[from]!, end: buf.end[to - 1]! };
  for (const o of taint) {
    if (o.ref < 0) {
      // An input of the function being summarised (follow.ts): reported at each call that passes a secret.
      const summary = flow.summary;
      const reached = `${site}:${o.ref}:${o.key ?? ''}`;
      if (summary !== null && !(summary.reached ??= new Set()).has(reached)) {
        summary.reached.add(reached);
        // The nearest MAX_HITS sinks of each input: a call reports at most that many per input it passes (see MAX_HITS).
        const hits = (summary.hits ??= new Map());
        const input = inputOf(summary, o.ref);
        let list = hits.get(input);
        if (list === undefined) hits.set(input, (list = []));
        if (list.length < MAX_HITS) list.push({ sink, from, to, message, site, origin: o });
        else flow.hitsDropped++;
      }
      continue;
    }
    // Per site: the reference (a number: nothing made for it), or `reference=key`.
    let reported = flow.reported.get(site);
    if (reported === undefined) flow.reported.set(site, (reported = new Set()));
    const key = o.key === null ? o.ref : `${o.ref}=${o.key}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const origin = { source: flow.refs[o.ref]!, key: o.key, span, steps: listedSteps(o, { span: { start: span.start, end: span.end }, message }) };
    flow.work += origin.steps.length;
    const found = flow.sites.get(site);
    if (found !== undefined) found.origins.push(origin);
    else {
      const l = { sink, span, origins: [origin] };
      flow.sites.set(site, l);
      flow.leaks.push(l);
    }
  }
}

/** The most steps a finding lists: its first and its last ones, with a line for those between. */
export const MAX_SHOWN_STEPS = 24;
const FIRST_SHOWN_STEPS = 8;

/**
 * The steps from the source to `o`, then `sink`, as a finding lists them: all of them when there
 * are at most MAX_SHOWN_STEPS; otherwise the first ones (where the value comes from), one step at
 * the first left out that says how many are, and the last ones (how it reaches the sink). A chain
 * of thousands of assignments would otherwise list thousands of lines under one problem, in the
 * editor and in every report.
 */
function listedSteps(o: Origin, sink: FlowStep): FlowStep[] {
  const total = o.length + 1;
  if (total <= MAX_SHOWN_STEPS) {
    const steps = stepsOf(o);
    steps.push(sink);
    return steps;
  }
  // Only the steps listed are read (a path through many calls made in turn, each logged, would
  // otherwise be walked in full at every sink): the first ones and the one after them, whose span
  // the gap takes, and the last ones before the sink.
  const last = MAX_SHOWN_STEPS - FIRST_SHOWN_STEPS - 1;
  const hidden = total - FIRST_SHOWN_STEPS - last;
  const ends = stepsAtEnds(o, FIRST_SHOWN_STEPS + 1, last - 1);
  const gap: FlowStep = { span: ends[FIRST_SHOWN_STEPS]!.span, message: `… ${hidden.toLocaleString('en-US')} steps not listed, from here on` };
  ends[FIRST_SHOWN_STEPS] = gap;
  ends.push(sink);
  return ends;
}
