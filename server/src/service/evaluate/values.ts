// The values of the language-neutral evaluator of string values (python/nameSets*.ts and
// javascript/jsNameSets*.ts read their languages into these): an alternative is one value an
// expression may take (its name, the literal it is written in, the tests that choose it and the
// environments they leave); a test is a Cond. A part that does not resolve is an Unresolved
// (evaluation.ts, with the budget and the limits). Imports no front end.

import type { NameCondition, Span } from '../scan/types';

/**
 * A set of the file's environments: bit k stands for the universe's k-th (envSet.ts). The universe
 * only grows at its end, so a set keeps its meaning while the file is analysed. A set of the first
 * 32 is a number, so the tests of a file of many environment branches make no object per test; past
 * them (a file naming more environments than code does, up to MAX_ENVIRONMENTS) it is a pair of
 * numbers. Made and read only through envSet.ts (environmentSet, union, intersect, complement, …).
 */
export type EnvSet = number | WideEnvSet;

/** Environments 0-31 in `lo`, 32-63 in `hi` (never 0: such a set is a number). */
export interface WideEnvSet {
  readonly lo: number;
  readonly hi: number;
}

/** A test passed on the way to a value, with the environments in which it is passed (null: not a `conv.env` test). */
export interface Cond extends NameCondition {
  env: EnvSet | null;
}

// Lists of tests (an alternative's, a definition's, a state's) are never changed in place: they are
// shared, not copied, wherever one is passed on unchanged.

/** One value an expression may take: a name (null: None / undefined or not a string) and how it is reached. */
export interface Alternative {
  name: string | null;
  literal: Span | null;
  uri?: string;
  when: readonly Cond[];
  /** The environments the alternative is taken in (the intersection of its tests'); null: all. */
  env: EnvSet | null;
}

/** No tests (shared: never changed). */
export const NO_CONDS: readonly Cond[] = [];

/**
 * A table an expression may be, with the tests that choose it, outermost first: an inner table of a
 * table of tables chosen by a key (`CONFIG[conv.env]`, each inner table under `conv.env == 'live'`
 * and the like), or a default taken where that key is missing (`CONFIG.get(env, DEFAULT)`,
 * `CONFIG[env] ?? DEFAULT`); no tests for a table written once. A value read from it passes them
 * too (envSet.ts's withConds). Both front ends' tables (`E`: each one's entry) are of this shape.
 */
export interface ChosenTable<E> {
  entries: readonly E[];
  conds: readonly Cond[];
}
