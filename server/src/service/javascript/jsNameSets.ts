// The finite set of names a JavaScript / TypeScript computed read can take (`process.env[NAMES[env]]`,
// `process.env[live ? 'X_PROD' : 'X_UAT']`, `x.get_secret(name(env))`), within one file: each
// reference whose name is not a literal gets `candidates` when every part of its argument
// resolves, or `unresolved` naming the first part that does not. The work is bounded: the index
// of bindings is built once, only for a document with such a read, and each read has a step budget.

import { STEPS_PER_READ as LIMITS_STEPS } from '../scan/limits';
import { assignedValue } from './jsNameSetsFlow';
import { envWork } from './jsNameSetsEnv';
import { JsIndex, type JsBinding } from './jsNameSetsIndex';
import { evalExpr, testEnvironments, underTests } from './jsNameSetsExpr';
import { testsAt } from './jsNameSetsStatements';
import { index, iterated, loopValues, member } from './jsNameSetsTables';
import { constructorArgument } from './jsNameSetsClass';
import { collapse, JsNames, fail, intersect, isFail, MAX_ALTS, type Alt, type Res } from './jsNameSetsTypes';
import { type AnalysisBudget, AnalysisDeadline } from '../scan/budget';
import { lowerBound, type TokenBuffer } from '../scan/tokens';
import type { NameCandidate, SecretReference } from '../scan/types';

/** Steps one read may take (less when the document's budget, budget.ts, has less left): scan/limits.ts. */
const STEPS_PER_READ = LIMITS_STEPS.javascript;

/** What an alternative made into a candidate costs, in steps (its objects, and their collection). */
const CANDIDATE_STEPS = 64;

/** Thrown for the reads after the index of a document could not be built. */
const NO_INDEX = new Error('no index of bindings');

/** Internal errors caught so far (each leaves its read unknown); the tests expect none. */
export const resolverErrors = { count: 0 };

/**
 * Fills `candidates` or `unresolved` on every computed read of `refs` (a document's JS / TS
 * references; `bindings`, the document's index of bindings when the reference finder made one). Nothing escapes: an internal error leaves the read unknown, naming its argument.
 */
export function resolveJsNames(text: string, buf: TokenBuffer, refs: SecretReference[], budget: AnalysisBudget, bindings: JsIndex | null = null): void {
  let names: JsNames | null = null;
  let broken = false;
  // Literal reads are labelled only in a file that tests `conv.env` at all (most do not).
  const labels = CONV_ENV.test(text);
  for (const ref of refs) {
    if (ref.form === 'config' || !ref.literal.closed) continue;
    if (ref.name !== null && !labels) continue;
    const { start, end } = ref.literal.contentSpan;
    // A literal read: its literal's token (its content starts after the quote).
    const from = lowerBound(buf.start, buf.count, ref.name !== null ? ref.literal.span.start : start);
    const to = ref.name !== null ? from + 1 : lowerBound(buf.start, buf.count, end);
    if (from >= to || from >= buf.count) continue;
    try {
      if (broken) throw NO_INDEX;
      if (!names) {
        broken = true;
        const n = new JsNames(bindings ?? new JsIndex(text, buf));
        n.assignedValue = (b, read) => assignedValue(n, b, read);
        n.tableRead = (from, objectEnd, keyFrom, keyTo, to) => index(n, from, objectEnd, keyFrom, keyTo, to);
        n.memberRead = (from, dot, to) => member(n, from, dot, to);
        n.constructorRead = (fn, index, t) => constructorArgument(n, fn, index, t);
        n.loopRead = (b) => loopValues(n, b);
        n.iterRead = (from, to, path) => iterated(n, from, to, path);
        names = n;
        broken = false;
      }
      // The read's first token (the call, `process.env`): the conditionals around it choose; its own argument's are its names'.
      const call = Math.min(from, lowerBound(buf.start, buf.count, ref.span.start));
      if (ref.name !== null) label(names, ref, call, budget);
      else resolve(names, ref, from, to, call, budget);
    } catch (err) {
      if (err instanceof AnalysisDeadline) throw err;
      if (err !== NO_INDEX) resolverErrors.count++;
      if (ref.name !== null) continue;
      delete ref.candidates;
      ref.unresolved = { text: collapse(text.slice(start, end), 60), span: { start, end } };
    }
  }
}

/** `conv.env` (or `conv?.env`) written somewhere in the text. */
const CONV_ENV = /\bconv\s*\??\.\s*env\b/;

/** Starts a read's share: what is left of the document's budget, at most STEPS_PER_READ (the steps before it). */
function startRead(names: JsNames, budget: AnalysisBudget): number {
  const before = names.steps;
  names.limit = before + Math.min(STEPS_PER_READ, budget.left);
  names.over = false;
  names.depth = 0;
  names.frame = null;
  names.active.clear();
  names.open = null;
  return before;
}

/**
 * A read written with a literal name: the environments of the branch its statement is in (`if
 * (conv.env === 'live')`, a `switch` case, after an early return), by the tests the computed
 * reads' names are labelled with. Left unlabelled when they do not depend on `conv.env`.
 */
function label(names: JsNames, ref: SecretReference, at: number, budget: AnalysisBudget): void {
  const before = startRead(names, budget);
  try {
    if (names.limit <= before) return;
    const tests = testsAt(names.ix, at, names.walks);
    names.steps += tests.length;
    if (tests.length === 0) return;
    let envs: string[] | null = null;
    for (const t of tests) envs = intersect(envs, testEnvironments(names, t));
    // A flag's value or a helper's body walked for the first time (jsNameSetsEnv.ts).
    names.steps += envWork.n;
    envWork.n = 0;
    // A way no environment takes (tests that exclude each other) is left as it is written.
    if (envs !== null && envs.length > 0) ref.environments = ordered([...envs], names.universe());
  } finally {
    budget.charge(Math.min(names.steps, names.limit) - before);
  }
}

function resolve(names: JsNames, ref: SecretReference, from: number, to: number, call: number, budget: AnalysisBudget): void {
  // The read's share: what it spends is charged to the document when it ends.
  const before = startRead(names, budget);
  let r: Res;
  try {
    r = names.limit > before ? evalExpr(names, from, to) : ((names.over = true), fail(names, from, to));
    // The tests on the way to the read's statement (an `if` on `conv.env` around it) choose its names too.
    if (!isFail(r)) {
      const tests = testsAt(names.ix, call, names.walks);
      names.steps += tests.length;
      if (tests.length > 0) r = underTests(names, r, tests);
    }
    // The candidates are several objects each of the result: charged before they are made.
    if (!isFail(r)) {
      names.steps += r.length * CANDIDATE_STEPS;
      if (names.steps > names.limit) names.over = true;
    }
  } finally {
    // At most the share: a charge past it (a table too large to read) stopped before the work.
    budget.charge(Math.min(names.steps, names.limit) - before);
  }
  if (names.over) {
    ref.unresolved = { ...fail(names, from, to), tooLarge: true };
    return;
  }
  if (isFail(r)) {
    ref.unresolved = r;
    return;
  }
  const candidates = merge(r, names.universe);
  if (candidates.length === 0 || candidates.length > MAX_ALTS) ref.unresolved = fail(names, from, to);
  else {
    ref.candidates = candidates;
    // Set by the evaluation (reset by startRead; TypeScript narrowed it to null).
    const open = names.open as JsBinding | null;
    if (open) ref.open = fail(names, open.tok, open.tok + 1);
  }
}

/**
 * One candidate per name, in the order first written: the first literal and conditions, the
 * environments of every way to it (null when one way does not depend on the environment). A
 * lookup that may miss (undefined) and an empty name name nothing and are dropped.
 */
function merge(alts: Alt[], universe: () => string[]): NameCandidate[] {
  const out: NameCandidate[] = [];
  const byName = new Map<string, NameCandidate>();
  for (const a of alts) {
    if (a.name === null || a.name === '') continue;
    const known = byName.get(a.name);
    if (!known) {
      const c: NameCandidate = { name: a.name, literal: a.literal, when: a.when, environments: a.envs && [...a.envs] };
      byName.set(a.name, c);
      out.push(c);
    } else if (known.environments !== null) {
      known.environments = a.envs === null ? null : [...known.environments, ...a.envs.filter((e) => !known.environments!.includes(e))];
    }
  }
  // The order in which the names are written; environments in the platform's order, then the file's others.
  out.sort((x, y) => x.literal.start - y.literal.start);
  const order = out.some((c) => c.environments !== null) ? universe() : [];
  for (const c of out) {
    if (c.environments) c.environments = ordered(c.environments, order);
  }
  return out;
}

/** Environments in the platform's order, then the file's others. */
function ordered(envs: string[], order: string[]): string[] {
  return envs.sort((x, y) => rank(order, x) - rank(order, y));
}

function rank(order: string[], e: string): number {
  const i = order.indexOf(e);
  return i < 0 ? order.length : i;
}
