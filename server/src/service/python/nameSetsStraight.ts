// The name-free walk's straight runs (nameSetsFlow.ts's reaching): most function bodies run only
// simple statements and defs up to their reads, and many to their end, and what reaches each of
// those is no definition and no test. A run answers them without the walk's lists and records,
// charged as the walk charges (a step a statement, once, in order), and hands over to the walk at
// the first compound statement, or at a statement after a `return`.

import { charge, work } from '../evaluate/evaluation';
import { NO_CONDS } from '../evaluate/values';
import { SK_BREAK, SK_CONTINUE, SK_DEF, SK_RETURN, SK_SIMPLE } from './keyFlow';
import { type Def, type FlowResult, type Resolver } from './nameSetsTypes';
import { statements as S } from './pythonRefsState';

/** No definitions (shared: lists of definitions are never changed in place). */
export const NO_DEFS = Object.freeze([]) as unknown as Def[];

/** What reaches a function body's first statement when no name is asked: no definition, no test (shared: never changed). */
export const FIRST_STATEMENT: FlowResult = Object.freeze({ defs: NO_DEFS, path: NO_CONDS });

/** What a name-free walk finds after a `return`, `break` or `continue` at a body's top level (shared: never changed). */
const AFTER_END: FlowResult = Object.freeze({ defs: null, path: NO_CONDS });

/**
 * The name-free walk of a scope while it has run only simple statements and defs (most function
 * bodies up to their reads, many to their end): what reaches each of them, and the scope's end
 * (`target` -1), is no definition and no test, known without the walk's lists and records. Each
 * statement is charged one step as the walk charges it, once, in order; `target` itself is run too,
 * as the walk runs it. Null where the walk must go on: a compound statement before the target, or
 * one after a `return` (the walk then takes up from the run's next statement). With a walk made
 * (`walked`), only what the run answered is. Its state: STRAIGHT numbers per scope (r.straight),
 * not an object per function read in.
 */
export function straightAhead(r: Resolver, scope: number, target: number, walked: boolean): FlowResult | null {
  const runs = (r.straight ??= new Int32Array(STRAIGHT * (r.scan.scopeCounter + 1)));
  const k = STRAIGHT * scope;
  if (runs[k + 2] !== STRAIGHT_UNSEEN) {
    if (target < 0 ? runs[k + 3] === 1 : target < runs[k + 1]!) return target < 0 && runs[k + 2] === STRAIGHT_ENDED ? AFTER_END : FIRST_STATEMENT;
  }
  if (walked) return null;
  const opener = scope === 0 ? -1 : r.scan.scopeHeader[scope];
  const header = opener === undefined ? -1 : opener;
  if (runs[k + 2] === STRAIGHT_UNSEEN) {
    runs[k] = runs[k + 1] = header + 1;
    runs[k + 2] = STRAIGHT_OPEN;
  }
  if (runs[k + 2] !== STRAIGHT_OPEN) return null;
  // The last indentation that leaves the body (scopeStatements' bound), for the run to the end.
  const closes = header < 0 ? -1 : S.indent[header]! & ~1;
  const last = target < 0 ? S.count - 1 : target;
  for (let i = runs[k]!; i <= last; i++) {
    if (target < 0 && header >= 0 && (S.indent[i]! & 1) === 0 && S.indent[i]! <= closes) break;
    if (S.scope[i] !== scope) continue;
    // A statement after a `return`: the walk runs it.
    if (runs[k + 2] === STRAIGHT_ENDED) return null;
    const kind = S.kind[i]!;
    const ends = kind === SK_RETURN || kind === SK_BREAK || kind === SK_CONTINUE;
    if (kind !== SK_SIMPLE && kind !== SK_DEF && !(ends && (i === target || target < 0))) {
      runs[k] = i;
      runs[k + 2] = STRAIGHT_STOPPED;
      return null;
    }
    // Recorded before its step, as the walk records it: asked again, it is answered without one.
    runs[k + 1] = i + 1;
    const n = 1 + work.n;
    work.n = 0;
    charge(r, n); // the walk's step
    runs[k] = i + 1;
    if (ends) runs[k + 2] = STRAIGHT_ENDED;
  }
  if (target >= 0) return FIRST_STATEMENT;
  runs[k + 3] = 1;
  return runs[k + 2] === STRAIGHT_ENDED ? AFTER_END : FIRST_STATEMENT;
}

/**
 * r.straight, per scope: the next statement to run; the first not answered (those before it are:
 * no definition, no test); one of the states below; 1 once the run has reached the scope's end.
 */
const STRAIGHT = 4;
const STRAIGHT_UNSEEN = 0;
const STRAIGHT_OPEN = 1;
/** At a compound statement: the walk runs it, from what reaches it (no definition, no test). */
const STRAIGHT_STOPPED = 2;
/** After a `return`, `break` or `continue`: the walk goes on from what follows it (AFTER_END). */
const STRAIGHT_ENDED = 3;

/** Where the walk takes up a scope's straight run, and what reaches that statement; null: no run. */
export function straightStop(r: Resolver, scope: number): { next: number; st: FlowResult } | null {
  const state = r.straight === null ? STRAIGHT_UNSEEN : r.straight[STRAIGHT * scope + 2]!;
  if (state === STRAIGHT_UNSEEN) return null;
  return { next: r.straight![STRAIGHT * scope]!, st: state === STRAIGHT_ENDED ? AFTER_END : FIRST_STATEMENT };
}
