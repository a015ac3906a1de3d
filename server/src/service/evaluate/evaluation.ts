// One evaluation over a document (either front end's resolver is one): the document's tokens, its
// environments, the current read's share of steps, and what its failures and charges are: the
// limits, the one budget and its unit, the one failure type (Unresolved).

import type { AnalysisBudget } from '../scan/budget';
import { collapsedText, type TokenBuffer } from '../scan/tokens';
import type { NameCandidate, NameCondition, Span, UnresolvedPart } from '../scan/types';
import type { Alternative, Cond, EnvSet } from './values';

// The limits of name resolution, in one place for both front ends (python/nameSets*.ts and
// javascript/jsNameSets*.ts). Every read resolves within a share of its document's one budget
// (scan/budget.ts, linear in the document's size); these bound what a read may take and produce. A
// read past any of them is left unresolved (`dynamic-name`, said to be too large to follow).

/** The most names one read may take (a join's combinations, a table's values, an iteration's elements). */
export const MAX_NAMES = 64;

/** Python: the most values one expression may take on the way, before names are merged (more: unresolved). */
export const MAX_PATHS = 256;

/** The most environments a file may name (ENVIRONMENTS and the literals it compares `conv.env` with). */
export const MAX_ENVIRONMENTS = 64;

/** How deep an evaluation may nest: each expression entered (a definition's value, a call's argument, a part of a part) is one deeper. */
export const MAX_DEPTH = 32;

/**
 * The most wrappings an expression that keeps `conv.env` may have (`str()` / `String()`, `.lower()`,
 * `or ''` / `?? ''`, a constant or a helper's return): more, and it is no environment expression.
 */
export const MAX_ENV_WRAPPINGS = 8;

/** A read's share of its document's budget (less when the budget has less left), in steps (the one unit of both front ends, below). */
export const STEPS_PER_READ = 20_000;

/** The most characters of the part that cannot be followed that a read quotes (then '…'). */
export const QUOTED_PART = 60;

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

/** What a failure quotes its place from: a document's text and tokens (either front end's scan). */
export interface TokenSource {
  readonly text: string;
  readonly buf: TokenBuffer;
}

/**
 * A part that does not resolve (thrown by the evaluators, caught at the read). What it says is
 * made when asked: most are caught on the way and dropped.
 */
export class Unresolved {
  private said: UnresolvedPart | null = null;
  /** A parameter of the function the platform calls: that function's name (UnresolvedPart's platform). */
  platform: string | undefined;

  /** Tokens [s, e) of `source` (null: no place); `tooComplex`: the budget ran out there. */
  constructor(
    private readonly source: TokenSource | null,
    private readonly s: number,
    private readonly e: number,
    private readonly tooComplex: boolean,
  ) {}

  /** The same failure, thrown again at another read (what it says is its own). */
  again(): Unresolved {
    const err = new Unresolved(this.source, this.s, this.e, this.tooComplex);
    err.platform = this.platform;
    return err;
  }

  /** Whether the budget ran out here: the read was too large to follow. */
  get tooLarge(): boolean {
    return this.tooComplex;
  }

  get part(): UnresolvedPart {
    if (this.said === null) {
      const { source, s, e } = this;
      const span = source === null ? { start: 0, end: 0 } : tokenSpan(source, s, e);
      this.said = { text: this.tooComplex || source === null ? 'too complex' : tokenText(source, s, e, TEXT_CAP), span };
      if (this.platform !== undefined) this.said.platform = this.platform;
    }
    return this.said;
  }
}

/** The most characters of a part that cannot be followed that a failure quotes. */
export const TEXT_CAP = QUOTED_PART;

/** The text of tokens [s, e), whitespace collapsed, capped with '…'. */
export function tokenText(source: TokenSource, s: number, e: number, cap: number): string {
  const { text, buf } = source;
  if (e <= s) return '';
  const from = buf.start[s]!;
  const to = buf.end[e - 1]!;
  // A long one is read only as far as the cap needs (tokens.ts).
  if (to - from > 4 * cap) return collapsedText(text, from, to, cap);
  let raw = text.slice(from, to);
  // Most texts have no whitespace but single spaces: nothing to collapse.
  if (UNCOLLAPSED.test(raw)) raw = raw.replace(/\s+/g, ' ');
  raw = raw.trim();
  return raw.length > cap ? raw.slice(0, cap - 1) + '…' : raw;
}

/** Whitespace that `\s+` → ' ' changes: any but a space, or a space before more. */
const UNCOLLAPSED = /[^\S ]| \s/;

/** The span of tokens [s, e) (empty at s's start when there are none). */
export function tokenSpan(source: TokenSource, s: number, e: number): Span {
  const { buf } = source;
  return { start: buf.start[s]!, end: e > s ? buf.end[e - 1]! : buf.start[s]! };
}

/**
 * Work done by the helpers that have no evaluation at hand (the lists of tests merged, the sets of
 * environments intersected): counted here, charged to the read at its next step.
 */
export const work = { n: 0 };
