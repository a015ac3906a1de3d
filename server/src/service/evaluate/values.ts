// The values of the language-neutral evaluator of string values (python/nameSets*.ts and
// javascript/jsNameSets*.ts read their languages into these): an alternative is one value an
// expression may take (its name, the literal it is written in, the tests that choose it and the
// environments they leave); a test is a Cond; a part that does not resolve is an Unresolved, with
// its place in the document's tokens. Imports no front end.

import { QUOTED_PART } from '../scan/limits';
import { collapsedText, type TokenBuffer } from '../scan/tokens';
import type { NameCondition, Span, UnresolvedPart } from '../scan/types';

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
