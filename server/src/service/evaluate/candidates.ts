// Alternatives made into the result's candidates (NameCandidate): one per distinct name, in the
// order first written, with the environments of every way to it. The parts many reads share (a
// table read in every function: one literal, one test, one set of environments) are made once per
// document and shared, as the alternatives share them: results are never changed in place.

import { charge, type Evaluation } from './evaluation';
import { environmentNames, environmentSet, noEnvironment, union, universeOf } from './envSet';
import { NO_CONDS, type Alternative, type Cond, type EnvSet } from './values';
import type { ModuleNames, NameCandidate, NameCondition, Span } from '../scan/types';

/** toCandidates' names, each with the call that last saw it (times SLOTS) plus its place in that call's list; emptied with the resolver. */
const seen = new Map<string, number>();
/** toCandidates' candidates and their environments as a call gathers them (the first of each list are the call's). */
const made: NameCandidate[] = [];
const madeEnvs: Array<EnvSet | null> = [];
let calls = 0;
/** Up to this many paths, toCandidates tells names apart without `seen`. */
const FEW_PATHS = 8;
/** More than a call's candidates can be (a read's share of steps pays CANDIDATE_STEPS for each). */
const SLOTS = 1 << 16;

/**
 * Empties `seen` and counts calls from 0 again: a count kept from document to document passed
 * 2^30 / SLOTS calls (a few dozen documents of reads) and made each entry a heap number.
 */
export function forgetNames(): void {
  seen.clear();
  calls = 0;
  made.length = madeEnvs.length = 0;
  forgetCopies();
}

/** Forgets what the reads copied (ownSpan, ownCondition), at the document's end. */
function forgetCopies(): void {
  copies = 0;
  copiedFrom.length = copied.length = 0;
}

/**
 * One candidate per distinct name, in first-written order: environments joined, the first literal
 * and tests kept. `again`: the paths may be given to a later read (a memo's): the result's copies of
 * their literals and lists of tests, and their candidates when there are many, are kept for it; new
 * paths' are not (a table of them would hold each read's paths to the end of the document and never
 * be asked). A walk of the file's environments costs a step per environment.
 */
export function toCandidates(r: Evaluation, paths: readonly Alternative[], again = true): NameCandidate[] {
  // A candidate is several objects of the result: charged as CANDIDATE_STEPS steps, before they are made.
  charge(r, paths.length * CANDIDATE_STEPS);
  copies = 0; // (ownSpan's: what this read copies)
  // One path (most reads): its candidate, without the table that joins a name's paths.
  if (paths.length === 1) {
    const p = paths[0]!;
    if (!counts(p)) return [];
    if (p.env !== null) charge(r, universeOf(r).length);
    const c = candidate(r, p, again);
    c.environments = sharedEnvironments(r, p.env);
    return [c];
  }
  // The very paths of an earlier call (a table read in every function, its paths shared): the same
  // candidates, charged as they were (the lists of environments are the same in a universe that
  // only grows at its end).
  const known = again ? r.shared.candidates.get(paths[0]!) : undefined;
  if (known !== undefined && samePaths(known.paths, paths)) {
    if (known.listed > 0) charge(r, known.listed * universeOf(r).length);
    return known.out;
  }
  // Each candidate's environments (by its place in `made`), in one pass over the paths (null: a
  // path takes it in all): a path's own set until a second path adds to it. Names are told apart
  // by `seen`, kept from call to call (no table made per read); the candidates and their sets are
  // gathered in lists kept from call to call too, and the result is a list at its length.
  let n = 0;
  // A few paths (most reads) are told apart by a look at the candidates so far: a table's insertion
  // hashes each name, a string the evaluation has just joined, for one or two comparisons.
  const few = paths.length <= FEW_PATHS;
  const call = few ? 0 : ++calls * SLOTS;
  for (const p of paths) {
    if (!counts(p)) continue;
    const name = p.name!;
    let k = -1;
    if (few) {
      for (let j = 0; j < n; j++) {
        if (made[j]!.name === name) {
          k = j;
          break;
        }
      }
    } else {
      const slot = seen.get(name);
      if (slot !== undefined && slot >= call) k = slot - call;
      else seen.set(name, call + n);
    }
    if (k < 0) {
      made[n] = candidate(r, p, again);
      madeEnvs[n++] = p.env;
      continue;
    }
    const known = madeEnvs[k]!;
    if (known === null) continue;
    madeEnvs[k] = p.env === null ? null : union(known, p.env);
  }
  // Each name's list is gathered by a walk of the file's environments: charged before it is made.
  let listed = 0;
  for (let k = 0; k < n; k++) if (madeEnvs[k] !== null) listed++;
  if (listed > 0) charge(r, listed * universeOf(r).length);
  const out = made.slice(0, n);
  for (let k = 0; k < n; k++) out[k]!.environments = sharedEnvironments(r, madeEnvs[k]!);
  // Kept for later reads only when worth it: the table keeps the paths alive to the end of the
  // document, and a few paths (a conditional name in every function) cost less to join again.
  if (again && paths.length >= SHARED_PATHS) r.shared.candidates.set(paths[0]!, { paths, out, listed });
  // The order in which names are first written (most often the order they already have).
  for (let k = 1; k < out.length; k++) {
    if (writtenOrder(out[k - 1]!, out[k]!) > 0) {
      out.sort(writtenOrder);
      break;
    }
  }
  return out;
}

function samePaths(a: readonly Alternative[], b: readonly Alternative[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

// The parts of a candidate that many reads share (a table read in every function: the same
// literal, the same test, the same environment at each) are made once per document and shared
// by the candidates that have them, as the paths share them: results are never changed in place.

/** The candidate a path gives (its environments set by the caller); `again`: toCandidates'. */
function candidate(r: Evaluation, p: Alternative, again: boolean): NameCandidate {
  const c: NameCandidate = again
    ? { name: p.name!, literal: sharedSpan(r, p.literal!), when: sharedWhen(r, p.when), environments: null }
    : { name: p.name!, literal: ownSpan(p.literal!), when: p.when.length === 0 ? NO_WHEN : p.when.map(ownCondition), environments: null };
  if (p.uri !== undefined) c.uri = p.uri;
  return c;
}

/** The result's copy of a path's literal. */
function sharedSpan(r: Evaluation, span: Span): Span {
  let copy = r.shared.spans.get(span);
  if (copy === undefined) r.shared.spans.set(span, (copy = { start: span.start, end: span.end }));
  return copy;
}

/** The result's copy of a path's tests (without their environments), kept for the paths given again. */
function sharedWhen(r: Evaluation, when: readonly Cond[]): NameCondition[] {
  if (when.length === 0) return NO_WHEN;
  let copy = r.shared.when.get(when);
  if (copy === undefined) r.shared.when.set(when, (copy = when.map((w) => ({ text: w.text, span: sharedSpan(r, w.span), holds: w.holds }))));
  return copy;
}

// A new path's parts are copied for the result without a table: no later read has them to share.
// The names of one read share them still (`x if c else y` after `if …: return`: both pass the
// first test, and the second's two ways have one span), by what the read has copied so far (the
// first `copies` of each list: the lists keep their room from read to read).
const copiedFrom: Array<Span | Cond | undefined> = [];
const copied: Array<Span | NameCondition | undefined> = [];
let copies = 0;

/** The result's copy of a new path's test (the read's own). */
function ownCondition(w: Cond): NameCondition {
  for (let k = 0; k < copies; k++) if (copiedFrom[k] === w) return copied[k] as NameCondition;
  const c: NameCondition = { text: w.text, span: ownSpan(w.span), holds: w.holds };
  copiedFrom[copies] = w;
  copied[copies++] = c;
  return c;
}

/** The result's copy of a new path's span (the read's own). */
function ownSpan(span: Span): Span {
  for (let k = 0; k < copies; k++) if (copiedFrom[k] === span) return copied[k] as Span;
  const copy = { start: span.start, end: span.end };
  copiedFrom[copies] = span;
  copied[copies++] = copy;
  return copy;
}

/** A set of environments as a list, in the universe's order (one set, one list; null: taken in all). */
export function sharedEnvironments(r: Evaluation, envs: EnvSet | null): string[] | null {
  if (envs === null) return null;
  let list = r.shared.environments.get(envs);
  // A set's environments are in the universe already (a universe only grows at its end): its list does not change.
  if (list === undefined) r.shared.environments.set(envs, (list = environmentNames(r, envs)));
  return list;
}

/** No tests (shared). */
const NO_WHEN = Object.freeze([]) as unknown as NameCondition[];

/** The fewest paths whose candidates are kept for reads given the very same paths (toCandidates). */
const SHARED_PATHS = 8;

/** What a path made into a candidate costs, in steps (its objects, and their collection). */
const CANDIDATE_STEPS = 64;

/** Whether a path gives a candidate: a name in a literal, taken in some environment. */
function counts(p: Alternative): boolean {
  return p.name !== null && p.name !== '' && p.literal !== null && (p.env === null || !noEnvironment(p.env));
}

function writtenOrder(a: NameCandidate, b: NameCandidate): number {
  return (a.uri === undefined ? 0 : 1) - (b.uri === undefined ? 0 : 1) || a.literal.start - b.literal.start;
}

/**
 * The strings a constant stands for when the environment is compared with it (`conv.env == LIVE`,
 * `conv.env in LIVE_ENVIRONMENTS`, `Env.LIVE`): its alternatives' names, each taken whatever the
 * tests and the environment; null when one is chosen by a test, taken only in some environments
 * (a value that depends on `conv.env` is no constant) or not a string.
 */
export function constantStrings(paths: readonly Alternative[]): string[] | null {
  if (paths.length === 0) return null;
  const out: string[] = [];
  for (const p of paths) {
    if (p.name === null || p.env !== null || p.when.length > 0) return null;
    if (!out.includes(p.name)) out.push(p.name);
  }
  return out;
}

/**
 * The values another module's candidates stand for where an import reads them (Python's `from M
 * import X`, JavaScript's `import { X } from './m'`): each name with its literal in that module and
 * its environments, under no test of this document.
 */
export function importedAlternatives(r: Evaluation, names: readonly NameCandidate[]): Alternative[] {
  return names.map((c) => {
    const p: Alternative = { name: c.name, literal: c.literal, when: NO_CONDS, env: c.environments === null ? null : c.environments.reduce<EnvSet>((set, x) => union(set, environmentSet(r, x)), 0) };
    if (c.uri !== undefined) p.uri = c.uri;
    return p;
  });
}

// ---- what a module gives the modules that import it, beyond its names (ModuleNames' keys) ----

/** The key of entry `key` of a module's dict or object `name`, whose every entry's value is known: `SECRETS["live"]`. */
export function entryName(name: string, key: string): string {
  return `${name}[${JSON.stringify(key)}]`;
}

/** The key of what a module's function `name` returns whatever it is given: `stripe_name()`. */
export function returnsName(name: string): string {
  return `${name}()`;
}

/** The entries a module's names give its dict or object `name` (entryName's), in its order: each key with its candidates. */
export function entriesOf(names: ModuleNames, name: string): Array<[string, readonly NameCandidate[]]> {
  const prefix = `${name}[`;
  const out: Array<[string, readonly NameCandidate[]]> = [];
  for (const [key, candidates] of names) {
    if (key.length > prefix.length + 1 && key.startsWith(prefix) && key.endsWith(']')) out.push([JSON.parse(key.slice(prefix.length, -1)) as string, candidates]);
  }
  return out;
}

/**
 * What a module's names give under `name` (its value, a function's returns or template, a dict's
 * entries), keyed for `local` instead: a module that imports `name` gives it to its own importers
 * so (`from .naming import name_for` re-exports `name_for()` and `name_for(conv, service)`).
 */
export function givenAs(names: ModuleNames, name: string, local: string): Array<[string, readonly NameCandidate[]]> {
  const out: Array<[string, readonly NameCandidate[]]> = [];
  for (const [key, candidates] of names) {
    if (key === name) out.push([local, candidates]);
    else if (key.startsWith(name) && (key[name.length] === '(' || key[name.length] === '[')) out.push([local + key.slice(name.length), candidates]);
  }
  return out;
}
