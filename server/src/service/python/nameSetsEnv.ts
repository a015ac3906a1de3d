// Tests on the environment for the name-set resolver: `==`, `!=`, `in` / `not in` (a tuple, list or
// set of literals, or one string), `.startswith(…)`, `not`, `and` / `or` of such tests, of an
// expression that keeps `conv.env` (envForm: `str()`, `or ''`, `.lower()` / `.upper()`, a name or a
// helper, nameSetsEnvAlias.ts). A test becomes a Cond: its text and span, and the environments where it holds (null when
// it is not a test of the environment). Also the environment universe of the file (its search) and
// the first walk of a long expression.

import { complement, envBit, environmentSet, intersect, negate, noValue, truthyValue, union, universeFrom, universeOf, valuesTest } from '../evaluate/envSet';
import { charge, MAX_ENV_WRAPPINGS, spanOf, textOf, unresolved, Unresolved, work } from '../evaluate/evaluation';
import { type Alternative, type Cond, type EnvSet, NO_CONDS } from '../evaluate/values';
import { stringsValue } from '../scan/literals';
import { canonicalEnvironment, environmentOfLiteral, environmentStartsWith, environmentWithin } from '../../../../protocol/environments';
import { type At, type Resolver, STEPS_PER_READ } from './nameSetsTypes';
import { CLOSE, IDENT, OP, OPEN, OP_ASSIGN, OP_CMP, OP_COLON, OP_COMMA, OP_DOT, OP_WALRUS, STRING, CH_LBRACE, CH_LPAREN, type TokenBuffer, isOp, isOpen, lowerBound, tokenIs } from '../scan/tokens';
import { itemEnd, MAX_PART_TOKENS, partsAround, skipGroup } from '../scan/calls';

// ---- environment tests ----

/**
 * The file's environments: ENVIRONMENTS and every literal compared with `X.env`, in the order
 * written. The text's own search finds the few `env`s (by their 'v': far rarer in code than 'e',
 * so the search stops less often); the tokens say which are code and what they are compared with.
 */
export function environmentUniverse(r: Resolver): string[] {
  const { text, buf, count } = r.scan;
  const universe = universeFrom();
  const add = (value: string): void => universe.add(canonicalEnvironment(value));
  // Past MAX_ENVIRONMENTS the search stops: none found after would be added.
  for (let v = text.indexOf('v', 2); v >= 0 && !universe.full(); v = text.indexOf('v', v + 1)) {
    const at = v - 2;
    if (text.charCodeAt(at) !== 101 /* e */ || text.charCodeAt(at + 1) !== 110 /* n */ || isWordChar(text.charCodeAt(at + 3))) continue;
    // `X.env`: the dot before, apart only by spaces and tabs.
    let dot = at - 1;
    while (dot >= 0 && (text.charCodeAt(dot) === 32 || text.charCodeAt(dot) === 9)) dot--;
    if (dot < 0 || text.charCodeAt(dot) !== 46 /* . */) continue;
    const t = lowerBound(buf.start, count, at);
    if (t < 2 || t >= count || buf.start[t] !== at) continue;
    if (buf.kind[t] !== IDENT || !tokenIs(text, buf, t, 'env') || !isOp(buf, t - 1, OP_DOT) || buf.kind[t - 2] !== IDENT) continue;
    let k = t + 1;
    let folded = false;
    for (let closed = 0; ; k++) {
      while (isOp(buf, k, OP_DOT) && buf.kind[k + 1] === IDENT && buf.kind[k + 2] === OPEN && buf.match[k + 2] === k + 3) {
        folded ||= caseMethod(text, buf, k + 1);
        k += 4;
      }
      if (buf.kind[k] !== CLOSE || closed++ > 0) break; // str(conv.env).lower()
    }
    let operand = -1;
    let membership = false;
    if (buf.kind[k] === OP && buf.aux[k] === OP_CMP) operand = k + 1;
    else if (tokenIs(text, buf, k, 'in')) membership = (operand = k + 1) > 0;
    else if (tokenIs(text, buf, k, 'not') && tokenIs(text, buf, k + 1, 'in')) membership = (operand = k + 2) > 0;
    // Compared with a name (`conv.env == TARGET`): the file may know other environments.
    if (operand >= 0 && buf.kind[operand] === IDENT && !tokenIs(text, buf, operand, 'not')) r.universeOpen = true;
    // `in 'a string'` asks for a substring: not a name of its own.
    if (operand >= 0 && !(membership && buf.kind[operand] === STRING)) {
      const end = buf.kind[operand] === OPEN && buf.match[operand]! > operand ? buf.match[operand]! : operand + 1;
      for (let j = operand; j < end; j++) {
        if (buf.kind[j] !== STRING) continue;
        const value = stringValue(r, j, j + 1);
        if (value !== null) add(folded ? value.toLowerCase() : value);
      }
    }
    if (t >= 4 && buf.kind[t - 4] === STRING && isOp(buf, t - 3, OP_CMP)) {
      const value = stringValue(r, t - 4, t - 3);
      if (value !== null) add(value);
    }
  }
  return universe.list;
}

/** The value of the string tokens [s, e) (literals.ts's, without the spans literalOf makes); null when there is none or it is not known. */
export function stringValue(r: Resolver, s: number, e: number): string | null {
  if (e <= s) return null;
  // Only string literals written side by side (`"crm" "_api"`): a name's or a number's text is no value.
  for (let t = s; t < e; t++) if (r.scan.buf.kind[t] !== STRING) return null;
  return stringsValue(r.scan.text, r.scan.buf, s, e, true);
}

/** An ASCII letter, digit or underscore (what `\b` in a regular expression tells apart). */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** How many parentheses are around all of [s, e): [s + k, e - k) is the expression inside (no pair made per call). */
export function parens(r: Resolver, s: number, e: number): number {
  const { buf } = r.scan;
  let k = 0;
  while (e - s >= 2 && buf.kind[s] === OPEN && buf.aux[s] === CH_LPAREN && buf.match[s] === e - 1 && !topLevelComma(r, s + 1, e - 1)) {
    s++;
    e--;
    k++;
  }
  return k;
}

/** Whether [s, e) holds a comma outside groups (a tuple, not a parenthesised expression). */
function topLevelComma(r: Resolver, s: number, e: number): boolean {
  const { buf } = r.scan;
  for (let t = s; t < e; t = skipGroup(buf, t, e)) if (isOp(buf, t, OP_COMMA)) return true;
  return false;
}

/** How an expression holds `conv.env` (envForm): not at all, as it is, or with its case changed (then compared case-insensitively). */
export const ENV_NONE = 0;
export const ENV_EXACT = 1;
export const ENV_FOLDED = 2;

/** Whether [s, e) is an environment expression (envForm). */
export function isEnvExpr(r: Resolver, s0: number, e0: number, at: At): boolean {
  return envForm(r, s0, e0, at) !== ENV_NONE;
}

/**
 * How [s, e) preserves `conv.env`: `X.env`, a name bound to one (nameSetsExpr.ts's envAlias), a call
 * of the module's function that returns one (envHelper), `str(…)` of one, `… or 'default'` (the
 * default is what an empty `conv.env` gives, which no environment has: the environments are those
 * of the value), and `.lower()` / `.upper()` / `.strip()`-style methods of one.
 */
export function envForm(r: Resolver, s0: number, e0: number, at: At, depth = 0): number {
  const { text, buf } = r.scan;
  const wrap = parens(r, s0, e0);
  const s = s0 + wrap;
  let e = e0 - wrap;
  if (e <= s || depth > MAX_ENV_WRAPPINGS) return ENV_NONE;
  if (e === s + 1) return buf.kind[s] === IDENT ? r.envAlias(r, s, at) : ENV_NONE;
  // `(env := str(conv.env).lower())`: the value it names.
  if (buf.kind[s] === IDENT && isOp(buf, s + 1, OP_WALRUS)) return envForm(r, s + 2, e, at, depth + 1);
  // `….lower().strip()`: the chain of methods is peeled from the end in one pass (each costs a few
  // tokens), so that a chain as long as the file costs its length once, not once per level.
  let folded = false;
  let methods = 0;
  for (;;) {
    const last = e - 1;
    if (buf.kind[last] !== CLOSE) break;
    const open = buf.match[last]!;
    if (open !== last - 1 || open - 2 <= s || buf.aux[open] !== CH_LPAREN || buf.kind[open - 1] !== IDENT || !isOp(buf, open - 2, OP_DOT)) break;
    const method = envMethod(text, buf, open - 1);
    // `self.env_name()`: a method of the class, which envBase reads as a helper.
    if (method === METHOD_NONE && methods === 0 && open - 2 === s + 1) break;
    if (method === METHOD_NONE) return ENV_NONE;
    if (method === METHOD_CASE) folded = true;
    if (depth + ++methods > MAX_ENV_WRAPPINGS) return ENV_NONE;
    e = open - 2;
  }
  work.n += e - s; // the walk of its top-level tokens (hasWord, below)
  if (hasWord(r, s, e, 'or')) {
    // `a or 'x'.lower()` is `a or ('x'.lower())`: a default that is not a plain literal.
    if (methods > 0) return ENV_NONE;
    const parts = splitWord(r, s, e, 'or');
    if (parts.length !== 2 || !stringsOnly(r, parts[1]![0], parts[1]![1])) return ENV_NONE;
    return envForm(r, parts[0]![0], parts[0]![1], at, depth + 1);
  }
  const inner = methods > 0 ? envForm(r, s, e, at, depth + methods) : envBase(r, s, e, at, depth);
  return inner === ENV_NONE ? ENV_NONE : folded ? ENV_FOLDED : inner;
}

/** envForm of [s, e) that is neither a method's call nor an `or`: `X.env`, `str(…)` or a helper's call. */
function envBase(r: Resolver, s: number, e: number, at: At, depth: number): number {
  const { text, buf } = r.scan;
  if (e === s + 3 && buf.kind[s] === IDENT && isOp(buf, s + 1, OP_DOT) && buf.kind[s + 2] === IDENT && !isOp(buf, s - 1, OP_DOT)) {
    if (tokenIs(text, buf, s + 2, 'env')) return ENV_EXACT;
    // `self.environment`, set by `__init__` to one.
    return tokenIs(text, buf, s, 'self') ? r.envField(r, s, at) : ENV_NONE;
  }
  // `self.conv.env`: the conversation an instance keeps.
  if (e === s + 5 && tokenIs(text, buf, s, 'self') && isOp(buf, s + 1, OP_DOT) && buf.kind[s + 2] === IDENT && isOp(buf, s + 3, OP_DOT) && tokenIs(text, buf, s + 4, 'env') && !isOp(buf, s - 1, OP_DOT)) return ENV_EXACT;
  const last = e - 1;
  if (buf.kind[last] !== CLOSE) return ENV_NONE;
  const open = buf.match[last]!;
  if (buf.aux[open] !== CH_LPAREN || buf.kind[s] !== IDENT || isOp(buf, s - 1, OP_DOT)) return ENV_NONE;
  // `Env.current(conv)`, `self.env_name()`: a method of the module's class that returns one.
  if (open === s + 3 && isOp(buf, s + 1, OP_DOT) && buf.kind[s + 2] === IDENT) return r.envHelper(r, s, at);
  if (open !== s + 1) return ENV_NONE;
  if (tokenIs(text, buf, s, 'str')) return envForm(r, s + 2, last, at, depth + 1);
  // `getattr(conv, "env", None)`: the attribute, and its default where there is none (no environment's).
  if (tokenIs(text, buf, s, 'getattr') && buf.kind[s + 2] === IDENT && isOp(buf, s + 3, OP_COMMA) && buf.kind[s + 4] === STRING && (s + 5 === last || isOp(buf, s + 5, OP_COMMA))) {
    return stringValue(r, s + 4, s + 5) === 'env' ? ENV_EXACT : ENV_NONE;
  }
  return r.envHelper(r, s, at);
}

const METHOD_NONE = 0;
/** `.strip()`-style: the value as it is but for spaces. */
const METHOD_KEEP = 1;
/** `.lower()`-style: the value with its case changed. */
const METHOD_CASE = 2;
const KEEP_METHODS = ['strip', 'lstrip', 'rstrip'];
const CASE_METHODS = ['lower', 'casefold', 'upper'];

/** Each of those methods with what it does. */
const ENV_METHODS: ReadonlyArray<readonly [string, number]> = [...CASE_METHODS.map((m) => [m, METHOD_CASE] as const), ...KEEP_METHODS.map((m) => [m, METHOD_KEEP] as const)];

/**
 * Which of the methods that keep an environment the identifier token `t` names (no string made per
 * call; a method's length and first letter are looked at before its text: a chain of methods on
 * conv.env as long as the file asks this of each).
 */
function envMethod(text: string, buf: TokenBuffer, t: number): number {
  const from = buf.start[t]!;
  const length = buf.end[t]! - from;
  const first = text.charCodeAt(from);
  for (const [m, kind] of ENV_METHODS) if (m.length === length && m.charCodeAt(0) === first && tokenIs(text, buf, t, m)) return kind;
  return METHOD_NONE;
}

/** Whether the identifier token `t` names one of the methods that change an environment's case (envMethod's METHOD_CASE, told at a glance from the others). */
function caseMethod(text: string, buf: TokenBuffer, t: number): boolean {
  const from = buf.start[t]!;
  const length = buf.end[t]! - from;
  const first = text.charCodeAt(from);
  // lower, upper, casefold (CASE_METHODS)
  if (!((length === 5 && (first === 108 || first === 117)) || (length === 8 && first === 99))) return false;
  return envMethod(text, buf, t) === METHOD_CASE;
}

/** Whether [s, e) is string literals only (one literal, implicitly concatenated parts). */
export function stringsOnly(r: Resolver, s0: number, e0: number): boolean {
  const wrap = parens(r, s0, e0);
  const s = s0 + wrap;
  const e = e0 - wrap;
  if (e <= s) return false;
  for (let t = s; t < e; t++) if (r.scan.buf.kind[t] !== STRING) return false;
  return true;
}

/** The string literals of [s, e): one literal, or a tuple / list / set of them; null otherwise. */
export function literalSet(r: Resolver, s0: number, e0: number): string[] | null {
  const { buf } = r.scan;
  const wrap = parens(r, s0, e0);
  const s = s0 + wrap;
  const e = e0 - wrap;
  if (e <= s) return null;
  let a = s;
  let b = e;
  if (buf.kind[s] === OPEN && buf.match[s] === e - 1) {
    a = s + 1;
    b = e - 1;
  }
  // Most are one literal: a list made at its length (pushed to, it is made with room to grow).
  let out: string[] | null = null;
  let part = a;
  for (let t = a; t <= b; ) {
    if (t === b || isOp(buf, t, OP_COMMA)) {
      if (t > part) {
        for (let j = part; j < t; j++) if (buf.kind[j] !== STRING) return null;
        const v = stringValue(r, part, t);
        if (v === null) return null;
        if (out === null) out = [v];
        else out.push(v);
      }
      part = t + 1;
      t++;
      continue;
    }
    t = skipGroup(buf, t, b);
  }
  return out;
}

/**
 * The keys of the dict literal [s, e) when every one is a string (`conv.env in {"live": …, "sandbox":
 * …}` tests its keys); null for anything else (a `**` spread, a key that is no literal, no keys).
 */
export function literalKeys(r: Resolver, s: number, e: number): string[] | null {
  const { buf } = r.scan;
  if (!isOpen(buf, s, CH_LBRACE) || buf.match[s] !== e - 1) return null;
  const out: string[] = [];
  for (let t = s + 1; t < e - 1; ) {
    let k = t;
    while (k < e - 1 && buf.kind[k] === STRING) k++;
    if (k === t || !isOp(buf, k, OP_COLON)) return null;
    const key = stringValue(r, t, k);
    if (key === null) return null;
    out.push(key);
    t = itemEnd(buf, k + 1, e - 1) + 1;
  }
  work.n += e - s;
  return out.length > 0 ? out : null;
}

/** Where the dict of `X.keys()` ([s, e)) ends: before its `.keys()`; `e` when [s, e) is no such call. */
function keysOf(r: Resolver, s: number, e: number): number {
  const { text, buf } = r.scan;
  const k = e - 4;
  return k > s && isOp(buf, k, OP_DOT) && tokenIs(text, buf, k + 1, 'keys') && isOpen(buf, k + 2, CH_LPAREN) && buf.match[k + 2] === e - 1 ? k : e;
}

/** Splits [s, e) at the top-level identifier `word`: the parts, or one part when it is absent. */
/** Whether [s, e) holds a top-level `word` token (splitWord would give more than one part). */
export function hasWord(r: Resolver, s: number, e: number, word: string): boolean {
  const { text, buf } = r.scan;
  for (let t = s; t < e; t = skipGroup(buf, t, e)) if (buf.kind[t] === IDENT && tokenIs(text, buf, t, word)) return true;
  return false;
}

export function splitWord(r: Resolver, s: number, e: number, word: string): Array<[number, number]> {
  const { text, buf } = r.scan;
  const out: Array<[number, number]> = [];
  let part = s;
  for (let t = s; t < e; ) {
    if (buf.kind[t] === IDENT && tokenIs(text, buf, t, word)) {
      out.push([part, t]);
      part = t + 1;
      t++;
      continue;
    }
    t = skipGroup(buf, t, e);
  }
  out.push([part, e]);
  return out;
}

/** The environments where test [s, e) holds; null when it is not (only) a test of the environment. */
export function envSet(r: Resolver, s0: number, e0: number, at: At): EnvSet | null {
  const { text, buf } = r.scan;
  const wrap = parens(r, s0, e0);
  const s = s0 + wrap;
  const e = e0 - wrap;
  if (e <= s) return null;
  // `or` / `and` of tests: each part in turn (splitWord's, found as they are read: no list made per test).
  let word = topLevelWord(r, s, e, 'or');
  if (word >= 0) {
    let out: EnvSet = 0;
    for (let a = s; ; a = word + 1) {
      if (a > s) word = topLevelWord(r, a, e, 'or');
      const b = word < 0 ? e : word;
      const part = envSet(r, a, b, at);
      if (part === null) return null;
      out = union(out, part);
      if (b === e) return out;
    }
  }
  word = topLevelWord(r, s, e, 'and');
  if (word >= 0) {
    let out: EnvSet | null = null;
    for (let a = s; ; a = word + 1) {
      if (a > s) word = topLevelWord(r, a, e, 'and');
      const b = word < 0 ? e : word;
      const part = envSet(r, a, b, at);
      if (part === null) return null;
      out = intersect(out, part);
      if (b === e) return out;
    }
  }
  if (tokenIs(text, buf, s, 'not') && !tokenIs(text, buf, s + 1, 'in')) {
    const inner = envSet(r, s + 1, e, at);
    return inner === null ? null : complement(r, inner);
  }
  // A comparison: the first top-level ==, !=, in, not in.
  for (let t = s; t < e; ) {
    let opEnd = -1;
    let negated = false;
    let membership = false;
    if (buf.kind[t] === OP && buf.aux[t] === OP_CMP) {
      const op = text.slice(buf.start[t]!, buf.end[t]!);
      if (op !== '==' && op !== '!=') return null;
      negated = op === '!=';
      opEnd = t + 1;
    } else if (tokenIs(text, buf, t, 'in')) {
      membership = true;
      opEnd = t + 1;
    } else if (tokenIs(text, buf, t, 'not') && tokenIs(text, buf, t + 1, 'in') && t > s) {
      membership = true;
      negated = true;
      opEnd = t + 2;
    } else if (tokenIs(text, buf, t, 'is')) return isNone(r, s, t, e, at);
    if (opEnd >= 0) {
      let values: string[] | null = null;
      let form = envForm(r, s, t, at);
      if (form !== ENV_NONE) {
        // `conv.env in SECRETS.keys()`: the dict's keys, as `in SECRETS` tests them.
        const k = membership ? keysOf(r, opEnd, e) : e;
        values = k < e ? (literalKeys(r, opEnd, k) ?? r.envConstant(r, opEnd, k, true, at)) : (literalSet(r, opEnd, e) ?? (membership ? literalKeys(r, opEnd, e) : null) ?? r.envConstant(r, opEnd, e, membership, at));
      }
      else if (!membership && (form = envForm(r, opEnd, e, at)) !== ENV_NONE) values = literalSet(r, s, t) ?? r.envConstant(r, s, t, false, at);
      if (values === null) return null;
      if (!membership && values.length !== 1) return null;
      const folded = form === ENV_FOLDED;
      // `env in 'sandbox live'`: a substring of one string, not one of several.
      let set: EnvSet = 0;
      if (membership && stringsOnly(r, opEnd, e)) set = admittedBy(r, 'in', values, folded);
      else for (const v of values) set = union(set, environmentSet(r, environmentOfLiteral(v, folded)));
      return negated ? complement(r, set) : set;
    }
    t = skipGroup(buf, t, e);
  }
  return startsWith(r, s, e, at) ?? r.envFlag(r, s, e, at) ?? (e === s + 1 && buf.kind[s] === IDENT ? valueTest(r, s, at, truthyValue) : null);
}

/** `name is None` / `name is not None` ([s, e), `is` at `is_`): where the name's value is None (valueTest); null for anything else. */
function isNone(r: Resolver, s: number, is_: number, e: number, at: At): EnvSet | null {
  const { text, buf } = r.scan;
  const not = tokenIs(text, buf, is_ + 1, 'not');
  const none = not ? is_ + 2 : is_ + 1;
  if (is_ !== s + 1 || buf.kind[s] !== IDENT || none + 1 !== e || !tokenIs(text, buf, none, 'None')) return null;
  const set = valueTest(r, s, at, noValue);
  return set === null || !not ? set : complement(r, set);
}

/**
 * A test on the value of the name at `t` (`if name is None:`, `if not name:` after `name =
 * NAMES.get(conv.env)`): evaluate/envSet.ts's valuesTest of its values where the test reads them;
 * null when they do not resolve.
 */
function valueTest(r: Resolver, t: number, at: At, holds: (a: Alternative) => boolean): EnvSet | null {
  if (r.depth >= MAX_VALUE_TEST_DEPTH || isOp(r.scan.buf, t - 1, OP_DOT)) return null;
  const depth = r.depth;
  const open = r.open;
  let values: Alternative[];
  r.depth++;
  r.open = null;
  try {
    values = r.ev.expr(r, t, t + 1, at);
    // A parameter callers outside the file may pass anything to: its values are not all known.
    if (r.open !== null && r.open !== undefined) return null;
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
    return null;
  } finally {
    r.depth = depth;
    r.open = open;
  }
  return valuesTest(values, holds);
}

/** How deep a value test may start (it evaluates the name, whose definitions may hold tests of their own). */
const MAX_VALUE_TEST_DEPTH = 16;

/** `<environment>.startswith('pre')` (or a tuple of prefixes): the file's environments one of whose spellings starts so; null otherwise. */
function startsWith(r: Resolver, s: number, e: number, at: At): EnvSet | null {
  const { text, buf } = r.scan;
  const last = e - 1;
  if (buf.kind[last] !== CLOSE) return null;
  const open = buf.match[last]!;
  if (open - 2 <= s || buf.aux[open] !== CH_LPAREN || !isOp(buf, open - 2, OP_DOT) || !tokenIs(text, buf, open - 1, 'startswith')) return null;
  const form = envForm(r, s, open - 2, at);
  if (form === ENV_NONE) return null;
  const prefixes = literalSet(r, open + 1, last);
  if (prefixes === null) return null;
  const folded = form === ENV_FOLDED;
  return admittedBy(r, 'startswith', prefixes, folded);
}

/**
 * The file's environments one of whose spellings starts with one of `texts` (`startswith`), or is
 * within the one text (`in '…'`); made once per test text while the universe is the same size.
 */
function admittedBy(r: Resolver, test: 'startswith' | 'in', texts: readonly string[], folded: boolean): EnvSet {
  const universe = universeOf(r);
  work.n += universe.length;
  // By the kind of test, then its text (most have one: no string made per test).
  const memo = (r.admitted[(test === 'in' ? 2 : 0) + (folded ? 1 : 0)] ??= new Map());
  const key = texts.length === 1 ? texts[0]! : texts.join('\u0000');
  const known = memo.get(key);
  if (known !== undefined && known.size === universe.length) return known.set;
  let set: EnvSet = 0;
  for (let k = 0; k < universe.length; k++) {
    const env = universe[k]!;
    const holds = test === 'in' ? environmentWithin(env, texts[0]!, folded) : texts.some((p) => environmentStartsWith(env, p, folded));
    if (holds) set = union(set, envBit(k));
  }
  memo.set(key, { size: universe.length, set });
  return set;
}

/** The test [s, e) as a condition that holds. */
export function testCond(r: Resolver, s: number, e: number, at: At): Cond {
  if (e <= s) unresolved(r, s, e);
  return { text: textOf(r, s, e), span: spanOf(r, s, e), holds: true, env: envSet(r, s, e, at) };
}

/** Where the first walk of a long top level stops: at a `lambda`, at the first `if` after its first token, or at its end. */
interface LongWalk {
  /** The tokens walked, the one it stops at included. */
  walked: number;
  lambda: boolean;
  ifTok: number;
  end: number;
}

/**
 * expression's first walk of the long top level [s, e): the same at every read of the expression,
 * so walked once per document (a concatenation as long as the file, read by every function). Each
 * read is charged it all the same; past what any read may take (STEPS_PER_READ), it is not walked
 * further: every read runs out of steps in it.
 */
export function longWalk(r: Resolver, s: number, e: number): LongWalk {
  const known = r.walks.get(s);
  if (known !== undefined && known.end === e) return known;
  const { text, buf } = r.scan;
  const out: LongWalk = { walked: 0, lambda: false, ifTok: -1, end: e };
  for (let t = s; t < e && out.walked <= STEPS_PER_READ; t = skipGroup(buf, t, e)) {
    out.walked++;
    if (buf.kind[t] !== IDENT) continue;
    if (tokenIs(text, buf, t, 'lambda')) {
      out.lambda = true;
      break;
    }
    if (t > s && tokenIs(text, buf, t, 'if')) {
      out.ifTok = t;
      break;
    }
  }
  r.walks.set(s, out);
  return out;
}

/** A walk of a top level longer than this is kept (a shorter one costs less than keeping it). */
export const LONG_WALK = 64;

/** The read ran out of steps walking [s, e): what the walk would have taken is charged (all it had left). */
export function outOfSteps(r: Resolver, s: number, e: number): Unresolved {
  r.steps = -1;
  return new Unresolved(r.scan, s, e, true);
}

/**
 * The conditional expressions of the statement [a, b) that token `tok` is a branch of, outermost
 * first: `C` holding where `tok` is in `A` of `A if C else B`, not holding where it is in `B`
 * (`return get_secret('x_prod') if conv.env == 'live' else get_secret('x_uat')`). A test that
 * cannot be read is left out, as a comprehension's `for` part is.
 */
export function conditionalTests(r: Resolver, a: number, b: number, tok: number, at: At): readonly Cond[] {
  if (b - a > MAX_PART_TOKENS) return NO_CONDS;
  charge(r, b - a);
  const { buf, text } = r.scan;
  // A statement without an `if`, `and` nor `or` (most reads) has none: found without the walk of its parts.
  let tests = false;
  for (let k = a; k < b && !tests; k++) tests = buf.kind[k] === IDENT && isTestWord(text, buf, k);
  if (!tests) return NO_CONDS;
  const { r: r0, tok: tok0, at: at0, out: out0 } = around;
  const first0 = S_FIRST.stmtStart;
  S_FIRST.stmtStart = a;
  around.r = r;
  around.tok = tok;
  around.at = at;
  around.out = null;
  try {
    partsAround(buf, a, b, tok, separatorFor, aroundPart);
    return around.out ?? NO_CONDS;
  } finally {
    around.r = r0;
    around.tok = tok0;
    around.at = at0;
    around.out = out0;
    S_FIRST.stmtStart = first0;
  }
}

/** Whether identifier `t` is `if`, `and` or `or` (by its length first: most identifiers are none). */
function isTestWord(text: string, buf: TokenBuffer, t: number): boolean {
  const length = buf.end[t]! - buf.start[t]!;
  if (length === 2) return tokenIs(text, buf, t, 'if') || tokenIs(text, buf, t, 'or');
  return length === 3 && tokenIs(text, buf, t, 'and');
}

/** The read conditionalTests looks around, for the functions it gives partsAround (made once, not per read). */
const around: { r: Resolver | null; tok: number; at: At | null; out: Cond[] | null } = { r: null, tok: 0, at: null, out: null };

/** Parts end at `,` `=` `:` `:=` and at a comprehension's `for` (`x if c else y for x in …`). */
function partSeparator(k: number): boolean {
  const { buf, text } = around.r!.scan;
  return (buf.kind[k] === OP && (buf.aux[k] === OP_COMMA || buf.aux[k] === OP_ASSIGN || buf.aux[k] === OP_COLON || buf.aux[k] === OP_WALRUS)) || (buf.kind[k] === IDENT && tokenIs(text, buf, k, 'for'));
}

const separatorFor = (): ((k: number) => boolean) => partSeparator;

/**
 * The tests of one part around the read, outermost first: its conditional expressions (`A if C else
 * B`), then the operands of `or` / `and` before the read's (`conv.env == 'live' and get_secret('x')`:
 * read when the left holds; `conv.env == 'live' or get_secret('y')`: when it fails). An operand
 * after the read's conditions nothing.
 */
function aroundPart(start: number, _holder: number, end: number): void {
  const r = around.r!;
  const { tok } = around;
  const { text, buf } = r.scan;
  // A statement's keyword is not part of its expression (`if A and get_secret('x'):`, `return A or …`).
  let from = start;
  if (from < end && buf.kind[from] === IDENT && from === S_FIRST.stmtStart && isStatementKeyword(text, buf, from)) from++;
  let lo = from;
  let hi = end;
  for (let cur = from; cur < end; ) {
    const ifTok = topLevelWord(r, cur + 1, end, 'if');
    if (ifTok < 0) break;
    const elseTok = matchingElse(r, ifTok + 1, end);
    if (elseTok < 0) return;
    if (tok > ifTok && tok < elseTok) {
      // In the test itself: its own `and` / `or` operands, below.
      lo = ifTok + 1;
      hi = elseTok;
      break;
    }
    const c = readTest(r, ifTok + 1, elseTok);
    if (c === null) return;
    if (tok < ifTok) {
      (around.out ??= []).push(c);
      lo = cur;
      hi = ifTok;
      break;
    }
    (around.out ??= []).push(negate(r, c));
    cur = lo = elseTok + 1;
  }
  shortCircuit(r, lo, hi, tok);
}

/** The first token of the statement conditionalTests walks (its keyword, when it has one, is skipped). */
const S_FIRST = { stmtStart: -1 };

/** The keywords that begin a statement whose expression follows them. */
const STATEMENT_KEYWORDS = ['if', 'elif', 'while', 'return', 'assert', 'yield'];

function isStatementKeyword(text: string, buf: TokenBuffer, t: number): boolean {
  for (const k of STATEMENT_KEYWORDS) if (tokenIs(text, buf, t, k)) return true;
  return false;
}

/** The test [s, e) as a condition that holds; null when it cannot be read. */
function readTest(r: Resolver, s: number, e: number): Cond | null {
  try {
    return testCond(r, s, e, around.at!);
  } catch (err) {
    if (!(err instanceof Unresolved) || err.tooLarge) throw err;
    return null;
  }
}

/**
 * The operands of the `or` then the `and` of [s, e) that come before the one holding `tok` and
 * test the environment: each `or` operand failed, each `and` operand held. One walk of the top
 * level for each word.
 */
function shortCircuit(r: Resolver, s: number, e: number, tok: number): void {
  let a = s;
  for (const word of SHORT_CIRCUIT) {
    const { text, buf } = r.scan;
    work.n += e - a;
    let part = a;
    for (let k = a; k < e; k = skipGroup(buf, k, e)) {
      if (buf.kind[k] !== IDENT || !tokenIs(text, buf, k, word)) continue;
      if (tok < k) break;
      const c = readTest(r, part, k);
      if (c === null) return;
      // Only a test of the environment: `cache.get(k) or get_secret(name)` is a default, not a choice worth a label.
      if (c.env !== null) (around.out ??= []).push(word === 'or' ? negate(r, c) : c);
      part = k + 1;
    }
    a = part;
  }
}

/** `or` binds looser than `and`: its operands first. */
const SHORT_CIRCUIT = ['or', 'and'] as const;

/** The first `word` at the top level of [s, e), or -1. */
function topLevelWord(r: Resolver, s: number, e: number, word: string): number {
  const { buf, text } = r.scan;
  for (let k = s; k < e; k = skipGroup(buf, k, e)) if (buf.kind[k] === IDENT && tokenIs(text, buf, k, word)) return k;
  return -1;
}

/** The `else` of the conditional expression whose `if` is just before `s` (nested ones skipped), or -1. */
function matchingElse(r: Resolver, s: number, e: number): number {
  const { buf, text } = r.scan;
  let open = 0;
  for (let k = s; k < e; k = skipGroup(buf, k, e)) {
    if (buf.kind[k] !== IDENT) continue;
    if (tokenIs(text, buf, k, 'if')) open++;
    else if (tokenIs(text, buf, k, 'else') && open-- === 0) return k;
  }
  return -1;
}
