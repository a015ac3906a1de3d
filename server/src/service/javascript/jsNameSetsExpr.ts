// The expressions of JavaScript / TypeScript name sets: what values the argument of a computed read
// can take, as the evaluator's alternatives (evaluate/values.ts), or the first part that cannot be
// followed (an Unresolved, thrown: jsNameSetsTypes.ts's fail). Literals and templates,
// `+`, parentheses, `c ? a : b`, `a || b` / `a ?? b`, `as` / `satisfies`, tables (`NAMES[k]`,
// `NAMES.k`), names (jsNameSetsIndex.ts) and calls of the file's own functions.

import { itemEnd, skipGroup } from '../scan/calls';
import { environmentValues, join, joinedBy, renamed, stringMethod, under } from '../evaluate/combine';
import { complement, intersect, mergeConds, noEnvironment, pathWith } from '../evaluate/envSet';
import { type Alternative, type Cond, type EnvSet, NO_CONDS } from '../evaluate/values';
import { tick, work } from '../evaluate/evaluation';
import { caseEnvironments, ENV_EXACT, envForm, envTest, isEnvExpr, isEnvPart, type EnvParameter } from './jsNameSetsEnv';
import { returnPaths, testsAt, type ReturnPath, type TestOnPath } from './jsNameSetsStatements';
import { REGEX_KEYWORDS } from './jsLexer';
import {
  bindingValue,
  collapse,
  condition,
  attempt,
  fail,
  MAX_ALTS,
  MAX_DEPTH,
  settle,
  span,
  type Frame,
  type JsNames,
  type MethodCalls,
} from './jsNameSetsTypes';
import { B_CONST, B_LET, B_OTHER, B_PARAM, type JsBinding, type JsFunction } from './jsNameSetsIndex';
import { literalUnion } from './jsLiteralTypes';
import { decodeJs, literalOf } from '../scan/literals';
import {
  CH_LBRACKET,
  CH_LPAREN,
  CLOSE,
  IDENT,
  NUMBER,
  OP,
  OPEN,
  OP_ARROW,
  OP_ASSIGN,
  OP_AUG,
  OP_COLON,
  OP_ELLIPSIS,
  OP_OPTDOT,
  OP_OTHER,
  STRING,
  S_CLOSED,
  S_ESCAPE,
  S_TEMPLATE,
  TPL_MID,
  TPL_TAIL,
  isOp,
  isOpen,
  lowerBound,
  tokenIs,
} from '../scan/tokens';

function isQuestion(r: JsNames, k: number): boolean {
  const { buf } = r.ix;
  return buf.kind[k] === OP && buf.aux[k] === 63;
}

/** `??`: two adjacent `?`. */
function isNullish(r: JsNames, k: number): boolean {
  const { buf } = r.ix;
  return isQuestion(r, k) && isQuestion(r, k + 1) && buf.end[k] === buf.start[k + 1];
}

function isLogical(r: JsNames, k: number, c: number): boolean {
  const { buf, text } = r.ix;
  return buf.kind[k] === OP && buf.aux[k] === OP_OTHER && buf.end[k]! - buf.start[k]! === 2 && text.charCodeAt(buf.start[k]!) === c;
}

/**
 * The operator of `a ?? b` / `a || b` when it is what [from, to) does last (its first token: the
 * last such at the top level, the others being in `a`); null when there is none, or another
 * operator at the top level (but `.`, `?.` and TypeScript's `!`).
 */
export function defaultOperator(r: JsNames, from: number, to: number): number | null {
  const { buf } = r.ix;
  let op = -1;
  for (let k = from; k < to; k = skipGroup(buf, k, to)) {
    if (buf.kind[k] !== OP) continue;
    if (isNullish(r, k)) {
      op = k++;
      continue;
    }
    if (isLogical(r, k, 124)) op = k;
    else if (buf.aux[k] !== 46 && buf.aux[k] !== OP_OPTDOT && buf.aux[k] !== 33) return null;
  }
  return op > from && op < to - 1 ? op : null;
}

/** The values the expression [from, to) can take. */
export function evalExpr(r: JsNames, from: number, to: number): Alternative[] {
  if (from >= to) return fail(r, Math.max(0, from - 1), from);
  tick(r, from, to);
  if (r.depth >= MAX_DEPTH) return fail(r, from, to);
  r.depth++;
  try {
    return expression(r, from, to);
  } finally {
    r.depth--;
  }
}

function expression(r: JsNames, from: number, to: number): Alternative[] {
  const { buf, text } = r.ix;
  let question = -1;
  let logical = -1;
  let logicalLen = 0;
  let other = -1;
  let as = -1;
  let plus = false;
  // The walk over the expression's top-level tokens is charged, a step a token (at the next step).
  let walked = 0;
  for (let k = from; k < to; k = skipGroup(buf, k, to)) {
    walked++;
    const kind = buf.kind[k];
    if (kind === OP) {
      if (isNullish(r, k)) {
        logical = k;
        logicalLen = 2;
        k++;
        continue;
      }
      const aux = buf.aux[k];
      if (aux === 63) {
        if (question < 0) question = k;
        break;
      }
      if (isLogical(r, k, 124)) {
        logical = k;
        logicalLen = 1;
      } else if (aux === 43 && k > from && buf.kind[k - 1] !== OP) plus = true;
      else if (aux === 33 && k > from && buf.kind[k - 1] !== OP) {
        // TypeScript's non-null assertion
      } else if (aux !== 46 && aux !== OP_OPTDOT && other < 0 && as < 0) other = k;
    } else if (kind === IDENT && k > from && as < 0 && !r.ix.isDot(k - 1)) {
      const w = text.slice(buf.start[k]!, buf.end[k]!);
      if (w === 'as' || w === 'satisfies') as = k;
      else if (other < 0 && (w === 'in' || w === 'instanceof')) other = k;
    }
  }
  work.n += walked;
  if (question >= 0) return conditional(r, from, question, to);
  if (logical >= 0) return defaulted(r, from, logical, logicalLen, to);
  if (other >= 0) return fail(r, from, to);
  if (as >= 0) return evalExpr(r, from, as);
  if (plus) return concatenation(r, from, to);
  return chain(r, from, to);
}

/** `c ? a : b`, with `q` the `?`. */
function conditional(r: JsNames, from: number, q: number, to: number): Alternative[] {
  const colon = colonOf(r, q, to);
  if (colon < 0 || q === from) return fail(r, from, to);
  const yes = evalExpr(r, q + 1, colon);
  const no = evalExpr(r, colon + 1, to);
  const [holds, fails] = conditionConds(r, from, q);
  return [...under(yes, holds, holds.env), ...under(no, fails, fails.env)];
}

/** The `:` of the conditional whose `?` is `q`, or -1. */
function colonOf(r: JsNames, q: number, to: number): number {
  const { buf } = r.ix;
  let nest = 0;
  for (let k = q + 1; k < to; k = skipGroup(buf, k, to)) {
    if (isNullish(r, k)) k++;
    else if (isQuestion(r, k)) nest++;
    else if (isOp(buf, k, OP_COLON)) {
      if (nest === 0) return k;
      nest--;
    }
  }
  return -1;
}

/** The test [from, q) of a conditional as it holds and as it fails, each with the environments it admits. */
function conditionConds(r: JsNames, from: number, q: number): [Cond, Cond] {
  const envs = envTest(r.ix, from, q, r, envParameter(r, r.frame));
  const otherwise = envs === null ? null : complement(r, envs);
  return [condition(r, from, q, true, envs), condition(r, from, q, false, otherwise)];
}

/**
 * `c ? a : b` at the top level of [from, to): its `?` and `:` and the test's conditions as it
 * holds and fails; null when [from, to) is no conditional.
 */
export function conditionalParts(r: JsNames, from: number, to: number): { q: number; colon: number; holds: Cond; fails: Cond } | null {
  const { buf } = r.ix;
  let q = -1;
  let walked = 0;
  // A `?` never starts one: from the end of the first part (a group is stepped over whole).
  for (let k = skipGroup(buf, from, to); k < to && q < 0; k = skipGroup(buf, k, to)) {
    walked++;
    if (isNullish(r, k)) k++;
    else if (isQuestion(r, k)) q = k;
    else if (isOp(buf, k, OP_ARROW)) break;
  }
  work.n += walked;
  const colon = q < 0 ? -1 : colonOf(r, q, to);
  if (colon < 0) return null;
  const [holds, fails] = conditionConds(r, from, q);
  return { q, colon, holds, fails };
}

/** `a || b` (b when a may be empty or missing) and `a ?? b` (b when a may be missing); `k` the operator. */
function defaulted(r: JsNames, from: number, k: number, len: number, to: number): Alternative[] {
  const left = evalExpr(r, from, k);
  const nullish = len === 2;
  const kept: Alternative[] = [];
  const missing: Alternative[] = [];
  for (const a of left) (a.name === null || (!nullish && a.name === '') ? missing : kept).push(a);
  if (missing.length === 0) return left;
  const right = evalExpr(r, k + len, to);
  for (const m of missing) {
    for (const taken of right) {
      const env = intersect(m.env, taken.env);
      if (env !== null && noEnvironment(env)) continue;
      kept.push(pathWith(taken, mergeConds(m.when, taken.when), env));
    }
  }
  return kept.length > MAX_ALTS ? fail(r, from, to) : kept;
}

/** `a + b + …`: every combination of the parts' values. */
function concatenation(r: JsNames, from: number, to: number): Alternative[] {
  const { buf } = r.ix;
  const parts: Array<[number, number]> = [];
  let start = from;
  for (let k = from; k < to; k = skipGroup(buf, k, to)) {
    if (isOp(buf, k, 43) && k > from && buf.kind[k - 1] !== OP) {
      parts.push([start, k]);
      start = k + 1;
    }
  }
  parts.push([start, to]);
  const values: Alternative[][] = [];
  for (const [a, b] of parts) {
    const part = a < b && buf.kind[a] === NUMBER && b === a + 1 ? number(r, a) : evalExpr(r, a, b);
    values.push(part);
  }
  return join(r, values, from, to);
}

function number(r: JsNames, t: number): Alternative[] {
  const w = r.ix.word(t);
  return /^\d+$/.test(w) ? [{ name: w, literal: span(r, t, t + 1), when: NO_CONDS, env: null }] : fail(r, t, t + 1);
}

/** A primary expression and what follows it: a literal, a name, a group, a template, `x[k]`, `x.k`, a call. */
function chain(r: JsNames, from: number, to: number): Alternative[] {
  const { buf } = r.ix;
  if ((to === from + 3 || to === from + 5) && envForm(r.ix, from, to) === ENV_EXACT) return envValues(r, from, to);
  // `await nameFor(conv)`: what the async function returns (`await` the operator: no operator after it, as `await = 1` of an old script has).
  if (to > from + 1 && buf.kind[from] === IDENT && tokenIs(r.ix.text, buf, from, 'await') && buf.kind[from + 1] !== OP) return evalExpr(r, from + 1, to);
  if (to === from + 1) {
    const kind = buf.kind[from];
    if (kind === STRING) {
      const lit = literalOf(r.ix.text, buf, from, to, false);
      return lit.value === null || !lit.closed ? fail(r, from, to) : [{ name: lit.value, literal: span(r, from, to), when: NO_CONDS, env: null }];
    }
    if (kind === IDENT) return name(r, from);
    return fail(r, from, to);
  }
  const last = to - 1;
  const kind = buf.kind[last];
  if (kind === OP && buf.aux[last] === 33) return evalExpr(r, from, last);
  if (kind === TPL_TAIL && buf.match[last] === from) return template(r, from, to);
  if (kind === IDENT && r.ix.isDot(last - 1) && last - 1 > from) return r.memberRead(from, last - 1, to);
  if (kind !== CLOSE) return fail(r, from, to);
  const open = buf.match[last]!;
  if (open < from) return fail(r, from, to);
  if (open === from) return buf.aux[last] === 41 ? evalExpr(r, from + 1, last) : fail(r, from, to);
  const objectEnd = isOp(buf, open - 1, OP_OPTDOT) ? open - 1 : open;
  if (objectEnd <= from) return fail(r, from, to);
  if (buf.aux[last] === 93) return r.tableRead(from, objectEnd, open + 1, last, to);
  if (buf.aux[last] === 41) return call(r, from, objectEnd, open, to);
  return fail(r, from, to);
}

/**
 * `conv.env` as a value (`tpl_${conv.env}`): in each environment the file may be in (the platform's
 * and those it tests for), the name it holds there, labelled with it as a table keyed by it is.
 */
function envValues(r: JsNames, from: number, to: number): Alternative[] {
  const at = span(r, from, to);
  return environmentValues(r, from, to, collapse(r.ix.text.slice(at.start, at.end)));
}

/** A template literal with placeholders: its text parts and its expressions' values, joined. */
function template(r: JsNames, from: number, to: number): Alternative[] {
  const { buf, text } = r.ix;
  const tail = to - 1;
  if (!(buf.aux[tail]! & S_CLOSED)) return fail(r, from, to);
  const values: Alternative[][] = [];
  const whole = span(r, from, to);
  const textPart = (t: number, end: number, flags: number): Alternative[] => [{ name: decodeJs(text, buf.start[t]! + 1, end, flags | S_TEMPLATE), literal: whole, when: NO_CONDS, env: null }];
  values.push(textPart(from, buf.end[from]! - 2, buf.aux[from]! & S_ESCAPE));
  let start = from + 1;
  for (let k = from + 1; k <= tail; k = skipGroup(buf, k, tail)) {
    const kind = buf.kind[k];
    if (kind !== TPL_MID && kind !== TPL_TAIL) continue;
    const part = evalExpr(r, start, k);
    values.push(part);
    values.push(textPart(k, kind === TPL_MID ? buf.end[k]! - 2 : buf.end[k]! - 1, S_ESCAPE));
    start = k + 1;
    if (kind === TPL_TAIL) break;
  }
  return join(r, values, from, to);
}

/** A call: a function of this file, `String(x)`, `x.toUpperCase()`-style methods. */
function call(r: JsNames, from: number, calleeEnd: number, open: number, to: number): Alternative[] {
  const { buf, text } = r.ix;
  const args = splitArgs(r, open);
  if (args === null) return fail(r, from, to);
  if (calleeEnd === from + 1 && buf.kind[from] === IDENT) {
    if (tokenIs(text, buf, from, 'String') && args.length === 1) return evalExpr(r, args[0]![0], args[0]![1]);
    const fn = calledFunction(r, from, calleeEnd);
    return fn !== null ? callFunction(r, fn, args, from, to) : (r.importCall?.(from, calleeEnd, args, to) ?? fail(r, from, to));
  }
  // `Keys.name(conv)`: a method of a constant object or a static method of a class of the file.
  const fn = calledFunction(r, from, calleeEnd);
  if (fn !== null) return callFunction(r, fn, args, from, to);
  // `names.stripeName(conv)` of a namespace import.
  const imported = calleeEnd === from + 3 && buf.kind[from] === IDENT ? (r.importCall?.(from, calleeEnd, args, to) ?? null) : null;
  if (imported !== null) return imported;
  const method = calleeEnd - 1;
  // `NAMES.get(k)` on a Map of names: a lookup by key, as `NAMES[k]`.
  if (tokenIs(text, buf, method, 'get') && r.ix.isDot(method - 1) && method - 1 > from && args.length === 1) {
    return r.tableRead(from, method - 1, args[0]![0], args[0]![1], to);
  }
  // `x.replace('-', '_')`, `x.replaceAll('-', '_')` with literal arguments: the same names, changed.
  if (buf.kind[method] === IDENT && r.ix.isDot(method - 1) && args.length === 2 && (tokenIs(text, buf, method, 'replace') || tokenIs(text, buf, method, 'replaceAll'))) {
    const [pattern, replacement] = args.map(([a, b]) => (b === a + 1 && buf.kind[a] === STRING ? literalOf(text, buf, a, b, false) : null));
    if (!pattern?.closed || !replacement?.closed || pattern.value === null || replacement.value === null || replacement.value.includes('$')) return fail(r, from, to);
    const values = evalExpr(r, from, method - 1);
    const all = tokenIs(text, buf, method, 'replaceAll');
    const [p, v] = [pattern.value, replacement.value];
    return renamed(values, (name) => (all ? name.split(p).join(v) : name.replace(p, () => v)));
  }
  // `['CRM', tier].join('_')`: an array written out, without holes or spreads.
  if (tokenIs(text, buf, method, 'join') && r.ix.isDot(method - 1) && args.length === 1 && isOpen(buf, from, CH_LBRACKET) && buf.match[from] === method - 2) {
    const items = splitArgs(r, from);
    if (items === null || !written(r, from, items)) return fail(r, from, to);
    return joinedBy(r, items.map(([a, b]) => evalExpr(r, a, b)), evalExpr(r, args[0]![0], args[0]![1]), from, to);
  }
  if (buf.kind[method] === IDENT && r.ix.isDot(method - 1) && args.length === 0) {
    const change = stringMethod('javascript', r.ix.word(method));
    if (change) {
      const values = evalExpr(r, from, method - 1);
      return renamed(values, change);
    }
  }
  return fail(r, from, to);
}

/** Whether `items` (splitArgs' of the array at `open`) are all its elements: a comma after each but the last, no hole. */
function written(r: JsNames, open: number, items: ReadonlyArray<[number, number]>): boolean {
  let next = open + 1;
  for (const [a, b] of items) {
    if (a !== next) return false;
    next = b + 1;
  }
  return items.length > 0 && next >= r.ix.buf.match[open]!;
}

/** The arguments of the call whose `(` is `open`, as token ranges; null when one is spread or the call is not closed. */
export function splitArgs(r: JsNames, open: number): Array<[number, number]> | null {
  const { buf } = r.ix;
  const close = buf.match[open]!;
  if (close < 0) return null;
  const out: Array<[number, number]> = [];
  let a = open + 1;
  while (a < close) {
    const e = itemEnd(buf, a, close);
    if (isOp(buf, a, OP_ELLIPSIS)) return null;
    if (e > a) out.push([a, e]);
    a = e + 1;
  }
  return out;
}

/**
 * The function of the file the callee [from, calleeEnd) names: a function (not a parameter, not a
 * `let` given another value), or `Obj.name` of a constant object or a class (a method); else null.
 */
export function calledFunction(r: JsNames, from: number, calleeEnd: number): JsFunction | null {
  const { buf } = r.ix;
  if (calleeEnd === from + 1 && buf.kind[from] === IDENT) {
    const b = find(r, r.ix.word(from), from);
    return b && b.fn && b.kind !== B_PARAM && (b.kind !== B_LET || !assigned(r, b)) ? b.fn : null;
  }
  if (calleeEnd === from + 3 && buf.kind[from] === IDENT && r.ix.isDot(from + 1) && buf.kind[from + 2] === IDENT) return r.methodOf(from, from + 2);
  // `new Cfg(…).name`: a method of the class, called on the object made there.
  if (tokenIs(r.ix.text, buf, from, 'new') && buf.kind[from + 1] === IDENT && isOpen(buf, from + 2, CH_LPAREN) && buf.match[from + 2] === calleeEnd - 3 && r.ix.isDot(calleeEnd - 2) && !isOp(buf, calleeEnd - 2, OP_OPTDOT) && buf.kind[calleeEnd - 1] === IDENT) return r.methodOf(from, calleeEnd - 1);
  return null;
}

/** What a call of `fn` with `args` returns: the union of its return expressions, each under the tests on its way. */
export function callFunction(r: JsNames, fn: JsFunction, args: Array<[number, number]>, from: number, to: number, marks?: ReadonlyMap<number, Alternative[]>): Alternative[] {
  const out: Alternative[] = [];
  eachReturn(r, fn, args, from, to, (path) => {
    out.push(...underTests(r, evalExpr(r, path.from, path.to), path.tests));
    if (out.length > MAX_ALTS) fail(r, from, to);
  }, marks);
  return out;
}

/**
 * Each return of `fn` called with `args` at [from, to), given to `each` while the call's arguments
 * are its parameters (a recursive call, a function without a return, a bare `return`: unknown).
 */
export function eachReturn(r: JsNames, fn: JsFunction, args: Array<[number, number]>, from: number, to: number, each: (path: ReturnPath) => void, marks?: ReadonlyMap<number, Alternative[]>): void {
  if (r.active.has(fn)) fail(r, from, to);
  let returns = r.returns.get(fn);
  if (!returns) {
    returns = returnPaths(r.ix, fn);
    r.returns.set(fn, returns);
  }
  if (returns.length === 0) fail(r, from, to);
  const saved = r.frame;
  r.frame = marks === undefined ? { fn, args, caller: saved } : { fn, args, caller: saved, marks };
  r.active.add(fn);
  try {
    for (const path of returns) {
      if (path.from < 0) fail(r, path.to - 1, path.to);
      each(path);
    }
  } finally {
    r.active.delete(fn);
    r.frame = saved;
  }
}

/** The tests on a way, outermost first, as conditions (each with the environments it admits); null when no environment passes them all. */
export function testConds(r: JsNames, tests: readonly TestOnPath[]): readonly Cond[] | null {
  const passed = underTests(r, [{ name: null, literal: null, when: NO_CONDS, env: null }], tests);
  return passed.length === 0 ? null : passed[0]!.when;
}

/** `alts` under the tests on their way, outermost first. */
export function underTests(r: JsNames, alts: Alternative[], tests: readonly TestOnPath[]): Alternative[] {
  for (let i = tests.length - 1; i >= 0; i--) {
    const t = tests[i]!;
    const env = testEnvironments(r, t);
    let cond = condition(r, t.from, t.to, t.holds, env);
    if (t.switch) {
      const { subject, labels } = t.switch;
      const subjectText = collapse(r.ix.text.slice(r.ix.buf.start[subject[0]]!, r.ix.buf.end[subject[1] - 1]!), 40);
      const text = labels.map(([a, b]) => `${subjectText} === ${collapse(r.ix.text.slice(r.ix.buf.start[a]!, r.ix.buf.end[b - 1]!), 40)}`).join(' || ');
      cond = { ...cond, text };
    }
    alts = under(alts, cond, env);
  }
  return alts;
}

/** The environments in which test `t` is passed on its way (null: not a test of the environment); found once per test outside a call. */
export function testEnvironments(r: JsNames, t: TestOnPath): EnvSet | null {
  const memo = r.frame === null;
  if (memo) {
    const known = r.testEnvs.get(t);
    if (known !== undefined) return known;
  }
  const param = envParameter(r, r.frame);
  const envs = t.switch ? caseEnvironments(r.ix, t.switch.subject, t.switch.labels, r, param) : envTest(r.ix, t.from, t.to, r, param);
  const out = envs === null ? null : t.holds ? envs : complement(r, envs);
  if (memo) r.testEnvs.set(t, out);
  return out;
}

/**
 * Whether a parameter holds `conv.env`: the argument of the call being evaluated is `conv.env`,
 * or, outside a call, every call of its function passes it.
 */
export function envParameter(r: JsNames, frame: Frame | null): EnvParameter {
  return (b) => {
    // A part of a destructured parameter holds a part of the argument, never the argument itself.
    if (b.ofPath !== undefined || b.paramPart !== undefined) return false;
    if (b.kind === B_LET) return r.depth < MAX_DEPTH && envLet(r, b);
    if (r.depth >= MAX_DEPTH || assigned(r, b)) return false;
    for (let f = frame; f; f = f.caller) {
      if (f.fn !== b.fn) continue;
      const arg = f.args[b.index];
      return arg !== undefined && isEnvExpr(r.ix, arg[0], arg[1], 1, envParameter(r, f.caller));
    }
    const named = b.fn?.binding;
    if (!named || r.active.has(b) || r.ix.isExported(named) || assigned(r, b)) return false;
    const { ix } = r;
    let any = false;
    r.active.add(b);
    r.depth++;
    try {
      for (const k of ix.occurrences(named.name)) {
        if (k === named.tok || find(r, named.name, k) !== named) continue;
        const open = isOp(ix.buf, k + 1, OP_OPTDOT) ? k + 2 : k + 1;
        if (!isOpen(ix.buf, open, CH_LPAREN)) return false;
        const args = splitArgs(r, open);
        const arg = args?.[b.index];
        if (!arg || !isEnvExpr(ix, arg[0], arg[1], 1, envParameter(r, null))) return false;
        any = true;
      }
      return any;
    } finally {
      r.depth--;
      r.active.delete(b);
    }
  };
}

/**
 * Whether every value the `let` `b` is given holds `conv.env` (`let env = conv.env; env = env.toLowerCase();`):
 * its initializer and each plain `=` to it. Decided once; while it is, `b` is taken to hold one (it
 * is reassigned through itself), and an answer that leaned on another `let` being decided is not kept.
 */
function envLet(r: JsNames, b: JsBinding): boolean {
  const known = letForms.get(b);
  if (typeof known === 'number') {
    letDeciding.lowest = Math.min(letDeciding.lowest, known);
    return true;
  }
  if (known !== undefined) return known;
  if (b.valueFrom < 0) return false;
  const { ix } = r;
  const level = letDeciding.level++;
  const lowest = letDeciding.lowest;
  letDeciding.lowest = level;
  letForms.set(b, level);
  r.depth++;
  let holds = false;
  try {
    const param = envParameter(r, null);
    holds = isEnvExpr(ix, b.valueFrom, b.valueTo, 1, param);
    for (const t of holds ? assignments(r, b) : []) {
      work.n++;
      if (!isOp(ix.buf, t + 1, OP_ASSIGN) || !isEnvExpr(ix, t + 2, ix.exprEnd(t + 2), 1, param)) {
        holds = false;
        break;
      }
    }
  } finally {
    r.depth--;
    letDeciding.level--;
  }
  if (!holds || letDeciding.lowest >= level) letForms.set(b, holds);
  else letForms.delete(b);
  letDeciding.lowest = Math.min(lowest, letDeciding.lowest);
  return holds;
}

/** envLet's answers by binding (one document's, while it is analysed); a number (its level) while it is being decided. */
const letForms = new WeakMap<JsBinding, boolean | number>();
/** The `let`s being decided (how many), and the lowest level one being decided leaned on. */
const letDeciding = { level: 0, lowest: 0 };

/** The binding of `name` at token `at`, its cost (the bindings of that name it looked at) charged to the step budget. */
export function find(r: JsNames, name: string, at: number): JsBinding | null {
  const b = r.ix.lookup(name, at);
  work.n += r.ix.looked >> 3;
  return b;
}

/** Whether anything assigns to the variable `b` after its declaration. */
export function assigned(r: JsNames, b: JsBinding): boolean {
  return assignments(r, b).length > 0;
}

/** The tokens of `b`'s name where it is assigned (`x = …`, `x += …`, `x++`, `x ??= …`), in order. */
export function assignments(r: JsNames, b: JsBinding): number[] {
  let list = r.writes.get(b);
  if (list) return list;
  list = [];
  const { ix } = r;
  const { buf } = ix;
  for (const t of usesInScope(r, b)) {
    const n = t + 1;
    const written =
      isOp(buf, n, OP_ASSIGN) ||
      isOp(buf, n, OP_AUG) ||
      (buf.kind[n] === OP && (isLogical(r, n, 124) || isLogical(r, n, 38)) && isOp(buf, n + 1, OP_ASSIGN)) ||
      (isNullish(r, n) && isOp(buf, n + 2, OP_ASSIGN)) ||
      isIncDec(r, n) ||
      isIncDec(r, t - 1) ||
      // `for (x of …)`, `for (x in …)`, `[x] = …`, `({ x } = …)`
      ((tokenIs(ix.text, buf, n, 'of') || tokenIs(ix.text, buf, n, 'in')) && isOpen(buf, t - 1, CH_LPAREN) && tokenIs(ix.text, buf, t - 2, 'for')) ||
      destructured(r, t);
    if (written && find(r, b.name, t) === b) list.push(t);
  }
  r.writes.set(b, list);
  return list;
}

/**
 * The occurrences of `b`'s name where `b` can be seen, its declaration aside, one step each (the
 * name's list is in token order): a name declared in every function of a file is not walked whole for each.
 */
export function usesInScope(r: JsNames, b: JsBinding): number[] {
  const uses = r.ix.occurrences(b.name);
  const from = lowerBound(uses, uses.length, b.scopeFrom);
  const to = lowerBound(uses, uses.length, b.scopeTo);
  work.n += to - from;
  const out: number[] = [];
  for (let i = from; i < to; i++) if (uses[i] !== b.tok) out.push(uses[i]!);
  return out;
}

/** Whether token `t` is a target of a destructuring assignment: inside `[…]` or `{…}` followed by `=`. */
function destructured(r: JsNames, t: number): boolean {
  const { ix } = r;
  const { buf } = ix;
  const p = ix.parent[t]!;
  if (p < 0 || buf.kind[p] !== OPEN || buf.aux[p] === CH_LPAREN) return false;
  const close = buf.match[p]!;
  // (`{ k: v } = …` binds v; `{ k?: string } = {}` after a parameter's `:` is its type.)
  return close > 0 && isOp(buf, close + 1, OP_ASSIGN) && !isOp(buf, t + 1, OP_COLON) && !(isQuestion(r, t + 1) && isOp(buf, t + 2, OP_COLON)) && !isOp(buf, p - 1, OP_COLON);
}

function isIncDec(r: JsNames, t: number): boolean {
  const { buf, text } = r.ix;
  if (t < 0 || buf.kind[t] !== OP || buf.end[t]! - buf.start[t]! !== 2) return false;
  const c = text.charCodeAt(buf.start[t]!);
  return (c === 43 || c === 45) && text.charCodeAt(buf.start[t]! + 1) === c;
}

/** The parameter `b` read at `t` (jsNameSetsClass.ts: a constructor's, for the field it sets): as `name` reads one. */
export function parameterValue(r: JsNames, b: JsBinding, t: number): Alternative[] {
  return assigned(r, b) ? fail(r, t, t + 1) : parameter(r, b, t);
}

/** A name read at token `t`. */
function name(r: JsNames, t: number): Alternative[] {
  const { ix } = r;
  const b = find(r, ix.word(t), t);
  if (!b) return fail(r, t, t + 1);
  // A parameter assigned in its function no longer holds what the call passed.
  if (b.kind === B_PARAM) return parameterValue(r, b, t);
  if (b.part !== undefined) return isEnvPart(ix, b) ? environmentValues(r, t, t + 1, ix.word(t)) : r.partRead(b, t);
  if (b.kind === B_OTHER && r.importRead !== null) return r.importRead(b, t);
  if ((b.kind !== B_CONST && b.kind !== B_LET) || b.fn) return fail(r, t, t + 1);
  if (b.kind === B_LET && assigned(r, b)) return r.assignedValue ? r.assignedValue(b, t) : fail(r, t, t + 1);
  if (b.ofFrom >= 0) return r.loopRead(b, t);
  if (b.valueFrom < 0) return fail(r, t, t + 1);
  return bindingValue(r, b, t, r.memo, () => evalExpr(r, b.valueFrom, b.valueTo));
}

/** A parameter read at `t`: the argument of the call being evaluated, or every call's argument. */
function parameter(r: JsNames, b: JsBinding, t: number): Alternative[] {
  const fn = b.fn!;
  // A name of an object pattern (`{ secretName = 'x' } = {}`): its key of what each call passes.
  const part = b.paramPart;
  const value = part === undefined ? (from: number, to: number) => evalExpr(r, from, to) : (from: number, to: number) => r.partIn(part, from, to, t);
  // A part of a destructured parameter (`([label, name]) => …`): only over rows a callback is given.
  if (b.ofPath !== undefined) {
    const rows = callbackOver(r, b);
    if (rows !== null) return r.iterRead(rows[0], rows[1], b.ofPath);
    if (part === undefined) return fail(r, t, t + 1);
  }
  for (let f = r.frame; f; f = f.caller) {
    if (f.fn !== fn) continue;
    const marked = part === undefined ? f.marks?.get(b.index) : undefined;
    if (marked !== undefined) return marked;
    const arg = f.args[b.index];
    const saved = r.frame;
    try {
      if (arg) {
        r.frame = f.caller;
        return value(arg[0], arg[1]);
      }
      if (b.valueFrom >= 0) {
        r.frame = f;
        return value(b.valueFrom, b.valueTo);
      }
      return fail(r, t, t + 1);
    } finally {
      r.frame = saved;
    }
  }
  const known = r.memo.get(b);
  if (known) {
    if (r.opened.has(b)) r.open ??= b;
    return settle(known);
  }
  const over = callbackOver(r, b);
  if (over === null && r.active.has(b)) return fail(r, t, t + 1);
  const outcome = attempt(() => {
    if (part !== undefined) return everyCall(r, b, t, value);
    if (over !== null) return r.iterRead(over[0], over[1], []);
    // A constructor's parameter is one of a method's: every `new Cls(…)` is a call (a handler passing
    // the name it was given on to a session class: `this.s = new Session(conv, name)`), methodCalls.
    // `name: 'crm_api' | 'billing_api'`: the strings its type allows, whoever calls it; the file's
    // own calls say more when they are all there are.
    const typed = closedOverCalls(r, b) ? null : literalUnion(r, b, (from, to) => evalExpr(r, from, to));
    return typed ?? everyCall(r, b, t);
  });
  r.memo.set(b, outcome);
  return settle(outcome);
}

/** The array methods whose callback takes each element in turn, by the parameter's place (`reduce`'s is after the accumulator). */
const ELEMENT_CALLBACKS = new Map([...['map', 'forEach', 'filter', 'flatMap', 'some', 'every', 'find', 'findIndex'].map((m) => [m, 0] as const), ['reduce', 1], ['reduceRight', 1]]);

/**
 * The iterable an arrow (or an anonymous function) is the callback of, when `b` is its element parameter and it is the first
 * argument of `X.map(…)` (and the like, `X.reduce((acc, n) => …)`) on an array literal, a name, or `Object.keys/values/entries(…)`:
 * X's tokens; null otherwise.
 */
export function callbackOver(r: JsNames, b: JsBinding): [number, number] | null {
  const { ix } = r;
  const { buf } = ix;
  const fn = b.fn!;
  if (b.index > 1 || fn.binding) return null;
  const arrow = fn.at;
  // An arrow (its parameters before it) or an anonymous `function (n) {…}`.
  const plain = tokenIs(ix.text, buf, arrow, 'function');
  if (!plain && !isOp(buf, arrow, OP_ARROW)) return null;
  let start = plain ? arrow : buf.kind[arrow - 1] === CLOSE ? buf.match[arrow - 1]! : arrow - 1;
  if (start < 0) return null;
  if (tokenIs(ix.text, buf, start - 1, 'async')) start--;
  const g = start - 1;
  if (!isOpen(buf, g, CH_LPAREN) || buf.kind[g - 1] !== IDENT || !ix.isDot(g - 2) || ELEMENT_CALLBACKS.get(ix.word(g - 1)) !== b.index) return null;
  // `reduce` without a first value starts with the first element as the accumulator: not every element is `b`.
  if (b.index === 1 && (splitArgs(r, g)?.length ?? 0) < 2) return null;
  const end = g - 2;
  const last = end - 1;
  if (buf.kind[last] === IDENT && !ix.isDot(last - 1)) return [last, end];
  if (buf.kind[last] !== CLOSE) return null;
  const open = buf.match[last]!;
  // An array literal: `[` where an expression starts (after an operator, `(`, `return`, `=>`…), not an index.
  if (isOpen(buf, open, CH_LBRACKET) && (buf.kind[open - 1] !== IDENT || (REGEX_KEYWORDS.has(ix.word(open - 1)) && !ix.isDot(open - 2))) && buf.kind[open - 1] !== CLOSE) return [open, end];
  if (isOpen(buf, open, CH_LPAREN) && tokenIs(ix.text, buf, open - 3, 'Object') && ix.isDot(open - 2) && !ix.isDot(open - 4)) return [open - 3, end];
  return null;
}

/** Whether every use of `b`'s function is a call in the file and no other caller may pass other arguments: everyCall closes `b` over them. */
function closedOverCalls(r: JsNames, b: JsBinding): boolean {
  const calls = callsOf(r, b.fn!);
  return typeof calls !== 'number' && !calls.outside;
}

/** The calls of `fn` in the file (methodCalls's for a method), or the token of a use other than a call (passed on, reassigned). */
function callsOf(r: JsNames, fn: JsFunction): MethodCalls | number {
  const { ix } = r;
  const named = fn.binding;
  if (!named) return r.methodCalls(fn);
  const sites: number[] = [];
  for (const k of ix.occurrences(named.name)) {
    work.n++;
    if (k === named.tok || find(r, named.name, k) !== named) continue;
    const open = isOp(ix.buf, k + 1, OP_OPTDOT) ? k + 2 : k + 1;
    if (!isOpen(ix.buf, open, CH_LPAREN)) return k;
    sites.push(open);
  }
  return { sites, outside: ix.isExported(named) || sites.length === 0 };
}

/**
 * The union of the argument for parameter `b` at every call of its function in the file, read by
 * `value` (its strings; its tables when it is iterated: jsNameSetsTables.ts), each under the tests
 * on the way to its call (`under`), as Python's parameters are.
 */
export function everyCall<T = Alternative>(r: JsNames, b: JsBinding, t: number, value: (from: number, to: number) => T[] = (a, z) => evalExpr(r, a, z) as T[], under: (xs: T[], tests: readonly TestOnPath[]) => T[] = (xs, tests) => underTests(r, xs as Alternative[], tests) as T[]): T[] {
  const { ix } = r;
  if (r.active.has(b)) return fail(r, t, t + 1);
  const calls = callsOf(r, b.fn!);
  if (typeof calls === 'number') return fail(r, calls, calls + 1);
  // Callable from outside the file (exported: another module; a method reached otherwise than
  // through `this`; a function passed by value; a function nothing here calls): open. The names the
  // code shows are its default's and the file's own calls'; other callers may pass others.
  const { sites, outside } = calls;
  if (outside) {
    if (b.valueFrom < 0 && sites.length === 0) return fail(r, t, t + 1);
    r.opened.add(b);
    r.open ??= b;
  }
  const saved = r.frame;
  r.active.add(b);
  r.frame = null;
  try {
    const out: T[] = [];
    if (outside && b.valueFrom >= 0) out.push(...value(b.valueFrom, b.valueTo));
    for (const open of sites) {
      const args = splitArgs(r, open);
      if (args === null) return fail(r, open - 1, Math.min(ix.closeOf(open) + 1, ix.count));
      const arg = args[b.index];
      const values = arg ? value(arg[0], arg[1]) : b.valueFrom >= 0 ? value(b.valueFrom, b.valueTo) : fail(r, open - 1, ix.closeOf(open) + 1);
      out.push(...under(values, testsAt(ix, open - 1, r.walks)));
      if (out.length > MAX_ALTS) return fail(r, t, t + 1);
    }
    return out;
  } finally {
    r.frame = saved;
    r.active.delete(b);
  }
}
