// One evaluation over a document (either front end's resolver is one): the document's tokens, its
// environments, the current read's share of steps, and what its failures and charges are.

import type { AnalysisBudget } from '../scan/budget';
import { STEPS_PER_READ } from '../scan/limits';
import type { NameCandidate, NameCondition, Span } from '../scan/types';
import { type Alternative, type Cond, type EnvSet, type TokenSource, TEXT_CAP, tokenSpan, tokenText, Unresolved, work } from './values';

/** One evaluation over a document: its environments (made when first asked), the current read's steps, the parts of the result it shares. */
export interface Evaluation {
  /** The document's text and tokens (what a failure quotes). */
  readonly src: TokenSource;
  /** ENVIRONMENTS and the other literals the file compares `conv.env` with, in that order; null: not asked yet. */
  universe: string[] | null;
  /** Each of the same environments' place in the list (its bit in an EnvSet). */
  universeIndex: Map<string, number> | null;
  /** Whether the file compares `conv.env` with something other than literals (its environments are not all known: `conv.env` is no value). */
  universeOpen?: boolean;
  /** The front end's search of the file for its universe (universeFrom's list, filled). */
  findUniverse: () => string[];
  /** Work left for the current read; exhausted → the read stays dynamic. */
  steps: number;
  /** The parts of candidates made for the result, by what they were made from (candidates.ts): shared by the reads that have them. */
  shared: {
    spans: Map<Span, Span>;
    when: Map<readonly Cond[], NameCondition[]>;
    environments: Map<EnvSet, string[]>;
    /** A list of candidates by the first of the alternatives it was made from (a read's whole list, shared by the reads given the very same ones). */
    candidates: Map<Alternative, { paths: readonly Alternative[]; out: NameCandidate[]; listed: number }>;
  };
}

/** A new evaluation's shared parts (Evaluation's shared). */
export function newShared(): Evaluation['shared'] {
  return { spans: new Map(), when: new Map(), environments: new Map(), candidates: new Map() };
}

// One budget, in one unit, for both front ends. A step is one unit of work of a read: an expression
// entered (tick), a token walked, a binding or definition looked at, an element of a container, a
// set of environments intersected or a list of tests merged (`work`, charged at the next tick). A
// read takes steps from its share (startRead) and throws a too-large Unresolved when it is spent;
// what it took is charged to its document's budget (endRead), linear in the document's size.

/**
 * Starts a read (either front end's): its share of the document's budget, what is left of it up
 * to STEPS_PER_READ, as its steps left (0: the budget is spent). Returns the share, for endRead.
 */
export function startRead(r: Evaluation, budget: AnalysisBudget): number {
  const share = Math.min(STEPS_PER_READ, budget.left);
  r.steps = share;
  work.n = 0;
  return share;
}

/**
 * Ends a read begun with `share`: the steps it took, and the helpers' work not charged yet, are
 * charged to the document. True when it ran out of its share (too large to follow, whatever it
 * found on the way: a part given up on may hold names it did not see).
 */
export function endRead(r: Evaluation, budget: AnalysisBudget, share: number): boolean {
  budget.charge(share - Math.max(0, r.steps) + work.n);
  work.n = 0;
  return r.steps < 0;
}

/** `n` steps at once (a walk of a table, a set of environments): throws once the read's share is spent (at tokens [s, e) when given). */
export function charge(r: Evaluation, n: number, s = -1, e = -1): void {
  r.steps -= n;
  if (r.steps < 0) throw new Unresolved(s < 0 ? null : r.src, Math.max(s, 0), Math.max(e, s + 1), true);
}

/** The text of tokens [s, e), whitespace collapsed, capped with '…'. */
export function textOf(r: Evaluation, s: number, e: number, cap = TEXT_CAP): string {
  return tokenText(r.src, s, e, cap);
}

export function spanOf(r: Evaluation, s: number, e: number): Span {
  return tokenSpan(r.src, s, e);
}

/** Fails the read at tokens [s, e) (at least one). */
export function unresolved(r: Evaluation, s: number, e: number): never {
  throw new Unresolved(r.src, s, Math.max(e, s + 1), false);
}

/** One unit of work, and what the helpers did since the last: throws once the read's share of the document's budget is spent. */
export function tick(r: Evaluation, s: number, e: number): void {
  r.steps -= 1 + work.n;
  work.n = 0;
  if (r.steps < 0) throw new Unresolved(r.src, s, Math.max(e, s + 1), true);
}
