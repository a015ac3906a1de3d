// The environments of a file as sets (EnvSet, values.ts) over its universe: protocol's ENVIRONMENTS
// and then the other literals the file compares `conv.env` with (the front end finds them: its
// search fills a universe made here). The algebra (environmentSet, union, intersect, complement,
// names) and the lists of tests on a value (merged, joined, negated) that both evaluators share.

import { MAX_ENVIRONMENTS, Unresolved, work } from './evaluation';
import { canonicalEnvironment } from '../../../../protocol/environments';
import { ENVIRONMENTS } from '../scan/types';
import type { Evaluation } from './evaluation';
import { type Alternative, type Cond, type EnvSet } from './values';

/**
 * A universe being found: ENVIRONMENTS, then each environment added (canonical: protocol's
 * canonicalEnvironment or environmentOfLiteral) that is new, up to MAX_ENVIRONMENTS (`full`: the
 * search may stop).
 */
export function universeFrom(): { list: string[]; add: (env: string) => void; full: () => boolean } {
  const list: string[] = [...ENVIRONMENTS];
  const seen = new Set<string>(list);
  return {
    list,
    add: (env) => {
      if (!seen.has(env) && list.length < MAX_ENVIRONMENTS) {
        seen.add(env);
        list.push(env);
      }
    },
    full: () => list.length >= MAX_ENVIRONMENTS,
  };
}

/** The file's environments (the front end's findUniverse), found the first time they are asked. */
export function universeOf(r: Evaluation): string[] {
  if (r.universe === null) {
    r.universe = r.findUniverse();
    r.universeIndex = new Map(r.universe.map((env, k) => [env, k]));
  }
  return r.universe;
}

/**
 * The set of the one environment `value` names (normalised), added to the file's environments when
 * it is new. A file naming more than MAX_ENVIRONMENTS is too large to follow: every set of
 * environments stays that small.
 */
export function environmentSet(r: Evaluation, value: string): EnvSet {
  const env = canonicalEnvironment(value);
  const universe = universeOf(r);
  let k = r.universeIndex!.get(env);
  if (k === undefined) {
    if (universe.length >= MAX_ENVIRONMENTS) throw new Unresolved(null, 0, 0, true);
    k = universe.length;
    universe.push(env);
    r.universeIndex!.set(env, k);
  }
  return envBit(k);
}

/** Bits per number of an EnvSet: a 32-bit integer's (V8 keeps it a small integer on 64-bit machines). */
const LOW_BITS = 32;
const LOW_MASK = -1;

/** The set of the universe's environment `k` alone. */
export function envBit(k: number): EnvSet {
  return k < LOW_BITS ? 1 << k : wideSet(0, 1 << (k - LOW_BITS));
}

function wideSet(lo: number, hi: number): EnvSet {
  return hi === 0 ? lo : Object.freeze({ lo, hi });
}

const lowOf = (s: EnvSet): number => (typeof s === 'number' ? s : s.lo);
const highOf = (s: EnvSet): number => (typeof s === 'number' ? 0 : s.hi);

/** Whether `s` holds no environment. */
export function noEnvironment(s: EnvSet): boolean {
  return s === 0; // a wide set always has one past the first 31
}

/** Every environment of `a` and of `b`. */
export function union(a: EnvSet, b: EnvSet): EnvSet {
  return typeof a === 'number' && typeof b === 'number' ? a | b : wideSet(lowOf(a) | lowOf(b), highOf(a) | highOf(b));
}

/** Every environment of the file (as it now is). */
export function everyEnvironment(r: Evaluation): EnvSet {
  const n = universeOf(r).length;
  return n <= LOW_BITS ? lowBits(n) : wideSet(LOW_MASK, lowBits(n - LOW_BITS));
}

/** The first `m` bits of a word (1 << 32 is 1 in JavaScript: a full word is said as such). */
function lowBits(m: number): number {
  return m >= LOW_BITS ? LOW_MASK : (1 << m) - 1;
}

export function complement(r: Evaluation, env: EnvSet): EnvSet {
  work.n += universeOf(r).length;
  const all = everyEnvironment(r);
  return typeof all === 'number' && typeof env === 'number' ? all & ~env : wideSet(lowOf(all) & ~lowOf(env), highOf(all) & ~highOf(env));
}

export function intersect(a: EnvSet | null, b: EnvSet | null): EnvSet | null {
  if (a === null) return b;
  if (b === null) return a;
  work.n += 1;
  return typeof a === 'number' || typeof b === 'number' ? lowOf(a) & lowOf(b) : wideSet(a.lo & b.lo, a.hi & b.hi);
}

/** The environments of `env` in the universe's order. */
export function environmentNames(r: Evaluation, env: EnvSet): string[] {
  const out: string[] = [];
  const universe = universeOf(r);
  const lo = lowOf(env);
  const hi = highOf(env);
  for (let k = 0; k < universe.length; k++) if (k < LOW_BITS ? (lo >>> k) & 1 : (hi >>> (k - LOW_BITS)) & 1) out.push(universe[k]!);
  return out;
}

// ---- lists of tests ----

export function negate(r: Evaluation, c: Cond): Cond {
  return { text: c.text, span: c.span, holds: !c.holds, env: c.env === null ? null : complement(r, c.env) };
}

/**
 * Whether two tests are one: the same test (its place, its outcome), or the same test of the
 * environment written in two places (`tier` and `region` each chosen by `conv.env == 'live'`: one
 * test, since the environment does not change within a run).
 */
function sameCond(a: Cond, b: Cond): boolean {
  if (a.holds !== b.holds) return false;
  if (a.span.start === b.span.start && a.span.end === b.span.end) return a.text === b.text;
  return a.env !== null && b.env !== null && lowOf(a.env) === lowOf(b.env) && highOf(a.env) === highOf(b.env) && a.text === b.text;
}

/** `conds` followed by those of `more` it does not hold yet (one of them itself when the other is empty). */
export function mergeConds(conds: readonly Cond[], more: readonly Cond[]): readonly Cond[] {
  if (more.length === 0) return conds;
  if (conds.length === 0) return more;
  work.n += more.length * conds.length;
  // Most add each of `more` (none held yet, no two the same): one list, without one of those added
  // (made with room to grow, then copied). Those before the first that is not added are added.
  let k = 0;
  for (let same = false; k < more.length && !same; k++) {
    same = holds(conds, more[k]!);
    for (let j = 0; j < k && !same; j++) same = sameCond(more[k]!, more[j]!);
    if (same) break;
  }
  if (k === more.length) return concatenated(conds, more);
  const added = more.slice(0, k);
  for (; k < more.length; k++) {
    const c = more[k]!;
    if (holds(conds, c) || holds(added, c)) continue;
    added.push(c);
  }
  return added.length === 0 ? conds : concatenated(conds, added);
}

/**
 * `a` then `b`, in one list made at its length. Not Array.prototype.concat: generic, it asks each
 * argument whether to spread it (Symbol.isConcatSpreadable), several times the cost of this copy
 * for the few tests a path holds (about 100 ns against 15 ns), and paths are made per read.
 */
function concatenated<T>(a: readonly T[], b: readonly T[]): T[] {
  const n = a.length;
  const out = new Array<T>(n + b.length);
  for (let i = 0; i < n; i++) out[i] = a[i]!;
  for (let i = 0; i < b.length; i++) out[n + i] = b[i]!;
  return out;
}

function holds(conds: readonly Cond[], c: Cond): boolean {
  for (const d of conds) if (sameCond(c, d)) return true;
  return false;
}

/** `conds` and then `c`, a list made at its length (a spread's is made with room to grow). */
export function withTest(conds: readonly Cond[], c: Cond): Cond[] {
  const n = conds.length;
  if (n === 0) return [c];
  const out = new Array<Cond>(n + 1);
  for (let i = 0; i < n; i++) out[i] = conds[i]!;
  out[n] = c;
  return out;
}

/** `a` then `b`, every test of both (one of them itself when the other is empty). */
export function joinConds(a: readonly Cond[], b: readonly Cond[]): readonly Cond[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  work.n += a.length + b.length;
  return concatenated(a, b);
}

/** An alternative that also passes `conds` (placed first: they come before it). */
export function withConds(p: Alternative, conds: readonly Cond[]): Alternative {
  if (conds.length === 0) return p;
  work.n += conds.length;
  let env = p.env;
  for (const c of conds) env = intersect(env, c.env);
  return pathWith(p, mergeConds(conds, p.when), env);
}

/**
 * `p` with other tests and environments: made field by field, one shape for every alternative (a
 * spread of two shapes, with and without `uri`, is a copy the engine makes slowly and larger).
 */
export function pathWith(p: Alternative, when: readonly Cond[], env: EnvSet | null): Alternative {
  const out: Alternative = { name: p.name, literal: p.literal, when, env };
  if (p.uri !== undefined) out.uri = p.uri;
  return out;
}

/** `None` / `undefined` / `null`: an alternative with no name. */
export const noValue = (a: Alternative): boolean => a.name === null;
/** A truthy value: a non-empty string. */
export const truthyValue = (a: Alternative): boolean => a.name !== null && a.name !== '';

/**
 * A test on an expression's values (`if not name:`, `name is None`, `if (!name)`, `name ===
 * undefined`, after `name = NAMES.get(conv.env)`): where the values are chosen by the environment,
 * the environments of those for which `holds` is true. Null when some value may be taken in any
 * environment, or an environment may take values on both sides of the test (it is then no test of
 * the environment). Both front ends' value tests.
 */
export function valuesTest(values: readonly Alternative[], holds: (a: Alternative) => boolean): EnvSet | null {
  let yes: EnvSet = 0;
  let no: EnvSet = 0;
  for (const v of values) {
    if (v.env === null) return null;
    if (holds(v)) yes = union(yes, v.env);
    else no = union(no, v.env);
  }
  return noEnvironment(intersect(yes, no) ?? 0) ? yes : null;
}
