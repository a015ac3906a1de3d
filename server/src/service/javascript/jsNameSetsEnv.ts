// Tests on `conv.env` in JavaScript / TypeScript, for the name-set resolver: which environments a
// test holds in (`===`, `!==`, `['a', 'b'].includes(…)`, a Set's `.has(…)`, `switch`, `.startsWith('pre')`, `!`, `&&`,
// `||`) of an expression that keeps `conv.env` (envForm: `String()`, `?? ''`, `.toLowerCase()`, a
// constant, a `let`, a helper), and the environments a file can be in (protocol/environments.ts's
// and the other literals it compares `conv.env` with), as sets over the file's universe (evaluate/envSet.ts).

import { MAX_ENV_WRAPPINGS, work } from '../evaluate/evaluation';
import { environmentOfLiteral, environmentStartsWith } from '../../../../protocol/environments';
import { complement, envBit, environmentSet, everyEnvironment, intersect, noValue, truthyValue, union, universeFrom, universeOf, valuesTest } from '../evaluate/envSet';
import type { Evaluation } from '../evaluate/evaluation';
import { type Alternative, type EnvSet } from '../evaluate/values';
import { literalOf } from '../scan/literals';
import { B_CONST, B_FUNCTION, B_LET, B_PARAM, B_PART, type JsBinding, type JsFunction, type JsIndex } from './jsNameSetsIndex';
import { returnPaths } from './jsNameSetsStatements';
import { classBodyAround, classMethod, constructionArguments, constructorParameter, constructorValue } from './jsClassBody';
import { CH_LBRACE, CH_LBRACKET, CH_LPAREN, CLOSE, IDENT, NUMBER, OP, OPEN, OP_CMP, OP_COMMA, OP_OPTDOT, OP_OTHER, STRING, isOp, isOpen, tokenIs } from '../scan/tokens';
import { itemEnd, skipGroup } from '../scan/calls';


const CASE_METHODS = new Set(['toLowerCase', 'toUpperCase', 'trim', 'toString', 'valueOf']);

/** [from, to) without the parentheses around it and a TypeScript `!` after it. */
export function stripGroup(ix: JsIndex, from: number, to: number): [number, number] {
  const { buf } = ix;
  for (let guard = 0; guard < 64; guard++) {
    if (to - from >= 2 && isOpen(buf, from, CH_LPAREN) && buf.match[from] === to - 1) {
      from++;
      to--;
    } else if (to - from >= 2 && isOp(buf, to - 1, 33)) to--;
    else break;
  }
  return [from, to];
}

/**
 * Whether a parameter holds `conv.env` (every call passes it, or the call being evaluated does);
 * asked too of a `let` (every value it is given holds it, jsNameSetsExpr.ts's envParameter).
 */
export type EnvParameter = (b: JsBinding) => boolean;

/** How an expression holds `conv.env` (envForm): not at all, as it is, or with its case changed (then compared case-insensitively). */
export const ENV_NONE = 0;
export const ENV_EXACT = 1;
export const ENV_FOLDED = 2;

/** Whether [from, to) is an environment expression (envForm). */
export function isEnvExpr(ix: JsIndex, from: number, to: number, depth = 0, param?: EnvParameter): boolean {
  return envForm(ix, from, to, depth, param) !== ENV_NONE;
}

/**
 * How [from, to) holds `conv.env`: `conv.env` (also `conv?.env`, `conv['env']`, `this.conv.env`), `String(…)` of one, `… ?? ''` /
 * `… || 'sandbox'` (the default is what an empty `conv.env` gives, which no environment has),
 * `.toLowerCase()` / `.toUpperCase()` / `.trim()` of one, a constant bound to one, a `let` or a
 * parameter `param` says holds one, a call of the file's function whose every return is one.
 */
export function envForm(ix: JsIndex, from: number, to: number, depth = 0, param?: EnvParameter): number {
  const { buf, text } = ix;
  [from, to] = stripGroup(ix, from, to);
  // `conv.env as keyof typeof NAMES`
  for (let k = from + 1; k < to; k = skipGroup(buf, k, to)) {
    if ((tokenIs(text, buf, k, 'as') || tokenIs(text, buf, k, 'satisfies')) && !ix.isDot(k - 1)) {
      [from, to] = stripGroup(ix, from, k);
      break;
    }
  }
  if (to - from === 3 && tokenIs(text, buf, from, 'conv')) return ix.isDot(from + 1) && tokenIs(text, buf, from + 2, 'env') && !ix.isDot(from - 1) ? ENV_EXACT : ENV_NONE;
  // `conv['env']`, `conv?.['env']`: the same property by its name.
  if (tokenIs(text, buf, from, 'conv') && !ix.isDot(from - 1) && isEnvSubscript(ix, from + 1, to)) return ENV_EXACT;
  // `this.conv.env`: the conversation an instance keeps.
  if (to - from === 5 && tokenIs(text, buf, from, 'this') && ix.isDot(from + 1) && (tokenIs(text, buf, from + 2, 'conv') || tokenIs(text, buf, from + 2, 'conversation')) && ix.isDot(from + 3) && tokenIs(text, buf, from + 4, 'env') && !ix.isDot(from - 1)) return ENV_EXACT;
  if (tokenIs(text, buf, from, 'this') && ix.isDot(from + 1) && (tokenIs(text, buf, from + 2, 'conv') || tokenIs(text, buf, from + 2, 'conversation')) && !ix.isDot(from - 1) && isEnvSubscript(ix, from + 3, to)) return ENV_EXACT;
  if (depth > MAX_ENV_WRAPPINGS || to <= from) return ENV_NONE;
  // `this.env`, which the class's constructor alone sets to one (`this.env = conv.env`).
  if (to - from === 3 && tokenIs(text, buf, from, 'this') && ix.isDot(from + 1) && buf.kind[from + 2] === IDENT && !ix.isDot(from - 1)) return fieldForm(ix, from, depth);
  if (to - from === 1 && buf.kind[from] === IDENT) {
    const b = ix.lookup(ix.word(from), from);
    if (b !== null && b.kind === B_PART) return isEnvPart(ix, b) ? ENV_EXACT : ENV_NONE;
    if (b !== null && (b.kind === B_PARAM || b.kind === B_LET)) return param !== undefined && param(b) ? ENV_EXACT : ENV_NONE;
    return b !== null && b.kind === B_CONST && b.valueFrom >= 0 && !b.fn ? envForm(ix, b.valueFrom, b.valueTo, depth + 1, param) : ENV_NONE;
  }
  // `conv.env ?? ''`, `conv.env || 'sandbox'`: the one operator of the expression, a string after it.
  let or = -1;
  let after = -1;
  for (let k = from; k < to; k = skipGroup(buf, k, to)) {
    const question = buf.kind[k] === OP && buf.aux[k] === 63;
    if (!question && !isLogical(ix, k, 124)) continue;
    const nullish = question && buf.kind[k + 1] === OP && buf.aux[k + 1] === 63 && buf.end[k] === buf.start[k + 1];
    if (or >= 0 || (question && !nullish)) return ENV_NONE;
    or = k;
    after = nullish ? k + 2 : k + 1;
    k = after - 1;
  }
  if (or >= 0) return to === after + 1 && buf.kind[after] === STRING ? envForm(ix, from, or, depth + 1, param) : ENV_NONE;
  const last = to - 1;
  if (buf.kind[last] !== CLOSE || buf.aux[last] !== 41) return ENV_NONE;
  const open = buf.match[last]!;
  if (open <= from) return ENV_NONE;
  // `String(conv.env)`
  if (open === from + 1 && tokenIs(text, buf, from, 'String')) return envForm(ix, open + 1, last, depth + 1, param);
  // `conv.env.toLowerCase()`
  if (open === last - 1 && buf.kind[open - 1] === IDENT && CASE_METHODS.has(ix.word(open - 1)) && ix.isDot(open - 2)) {
    const inner = envForm(ix, from, open - 2, depth + 1, param);
    return inner !== ENV_NONE && FOLDING.has(ix.word(open - 1)) ? ENV_FOLDED : inner;
  }
  // `getEnv(conv)`
  if (open === from + 1 && buf.kind[from] === IDENT && !ix.isDot(from - 1)) {
    const b = ix.lookup(ix.word(from), from);
    if (b !== null && b.fn && (b.kind === B_FUNCTION || b.kind === B_CONST)) return helperForm(ix, b.fn, depth);
  }
  // `this.envName()`, `Env.current(conv)`: a method of a class of the file.
  if (open === from + 3 && buf.kind[from] === IDENT && ix.isDot(from + 1) && buf.kind[from + 2] === IDENT && !ix.isDot(from - 1)) {
    const fn = methodOf(ix, from);
    if (fn !== null) return helperForm(ix, fn, depth);
  }
  return ENV_NONE;
}

/** The method `X.m` names at `from`: `this.m` of the class around, `Cls.m` a static one of a class of the file. */
function methodOf(ix: JsIndex, from: number): JsFunction | null {
  const { buf, text } = ix;
  const name = ix.word(from + 2);
  if (tokenIs(text, buf, from, 'this')) {
    const body = classBodyAround(ix, from);
    return body < 0 ? null : classMethod(ix, body, name, false);
  }
  const b = ix.lookup(ix.word(from), from);
  if (b === null || !tokenIs(text, buf, b.tok - 1, 'class') || !isOpen(buf, b.tok + 1, CH_LBRACE)) return null;
  return classMethod(ix, b.tok + 1, name, true);
}

const FOLDING = new Set(['toLowerCase', 'toUpperCase']);

/** Whether [from, to) is `['env']` (or `?.['env']`) and nothing more. */
function isEnvSubscript(ix: JsIndex, from: number, to: number): boolean {
  const { buf, text } = ix;
  if (buf.kind[from] === OP && buf.aux[from] === OP_OPTDOT) from++;
  return to === from + 3 && isOpen(buf, from, CH_LBRACKET) && buf.match[from] === from + 2 && buf.kind[from + 1] === STRING && literalOf(text, buf, from + 1, from + 2, false).value === 'env';
}

/** `const { env } = conv` (also `{ env: environment = 'sandbox' }`): a constant name holding `conv.env`. */
export function isEnvPart(ix: JsIndex, b: JsBinding): boolean {
  const p = b.part;
  return p !== undefined && p.key === 'env' && !p.element && p.constant && b.valueTo === b.valueFrom + 1 && tokenIs(ix.text, ix.buf, b.valueFrom, 'conv');
}

/**
 * How `this.X` at `thisTok` holds `conv.env`: X is set once, at the top level of the constructor of
 * the class around, and nowhere else in the file, to an expression that holds it (jsClassBody.ts).
 */
function fieldForm(ix: JsIndex, thisTok: number, depth: number): number {
  const value = constructorValue(ix, thisTok);
  const body = classBodyAround(ix, thisTok);
  if (value >= 0) {
    const end = ix.exprEnd(value);
    const form = envForm(ix, value, end, depth + 1);
    // `this.env = env` of the constructor's parameter: what every construction passes.
    if (form !== ENV_NONE || end !== value + 1 || ix.buf.kind[value] !== IDENT) return form;
    return constructedForm(ix, body, constructorParameter(ix, body, ix.word(value), false), depth);
  }
  // A TypeScript parameter property (`constructor(private env: string)`) nothing else writes.
  const name = ix.word(thisTok + 2);
  if (body < 0 || ix.propertyWrites(name).length > 0) return ENV_NONE;
  return constructedForm(ix, body, constructorParameter(ix, body, name, true), depth);
}

/**
 * How the argument at `index` of every construction of the class at `body` holds `conv.env`
 * (`new Settings(conv.env)`, `new Client(conv, String(conv.env))`): the loosest of them; none
 * when one does not, or the class is constructed unseen (jsClassBody.ts's constructionArguments).
 */
function constructedForm(ix: JsIndex, body: number, index: number, depth: number): number {
  if (index < 0) return ENV_NONE;
  const args = constructionArguments(ix, body, index);
  if (args === null) return ENV_NONE;
  let form = ENV_NONE;
  for (const [a, b] of args) {
    const f = envForm(ix, a, b, depth + 1);
    if (f === ENV_NONE) return ENV_NONE;
    form = Math.max(form, f);
  }
  return form;
}

/**
 * How a function's every return holds `conv.env` (`function getEnv(conv) { return String(conv.env).toLowerCase(); }`),
 * asked at `depth` (its returns are read one deeper, so a chain of helpers stops where any chain
 * does): decided once per function and depth, not through its parameters.
 */
function helperForm(ix: JsIndex, fn: JsFunction, depth: number): number {
  let known = helperForms.get(fn);
  if (known === undefined) helperForms.set(fn, (known = new Int8Array(MAX_ENV_WRAPPINGS + 2).fill(-1)));
  if (known[depth]! >= 0) return known[depth]!;
  known[depth] = ENV_NONE; // a function that returns its own call is not one
  work.n += fn.bodyTo - fn.bodyFrom; // the walk of its body for its returns
  let form = ENV_NONE;
  for (const ret of returnPaths(ix, fn)) {
    const f = ret.from < 0 ? ENV_NONE : envForm(ix, ret.from, ret.to, depth + 1);
    if (f === ENV_NONE) {
      form = ENV_NONE;
      break;
    }
    form = Math.max(form, f);
  }
  known[depth] = form;
  return form;
}

/** helperForm's answers, by function and depth (one document's, while it is analysed; -1: not asked). */
const helperForms = new WeakMap<JsFunction, Int8Array>();

/** The string literals of an array literal [open, close], or of a constant bound to one; null otherwise. */
function stringList(ix: JsIndex, from: number, to: number, depth: number, folded = false): string[] | null {
  const { buf, text } = ix;
  [from, to] = stripGroup(ix, from, to);
  if (to - from === 1 && buf.kind[from] === IDENT && depth < 4) {
    const b = ix.lookup(ix.word(from), from);
    if (!b || b.kind !== B_CONST || b.valueFrom < 0) return null;
    let end = b.valueTo;
    // `as const`
    for (let k = b.valueFrom; k < end; k = skipGroup(buf, k, end)) if (tokenIs(text, buf, k, 'as') || tokenIs(text, buf, k, 'satisfies')) end = k;
    return stringList(ix, b.valueFrom, end, depth + 1, folded);
  }
  // `new Set(['live', 'pre-release'])` (`new Set<Env>([…])`): its elements.
  if (tokenIs(text, buf, from, 'new') && tokenIs(text, buf, from + 1, 'Set') && buf.kind[to - 1] === CLOSE && buf.aux[to - 1] === 41) {
    const open = buf.match[to - 1]!;
    if (open > from + 1 && (open === from + 2 || (isOp(buf, from + 2, 60) && isOp(buf, open - 1, 62)))) return stringList(ix, open + 1, to - 1, depth + 1, folded);
    return null;
  }
  if (!isOpen(buf, from, CH_LBRACKET) || buf.match[from] !== to - 1) return null;
  const out: string[] = [];
  for (let k = from + 1; k < to - 1; k++) {
    if (isOp(buf, k, OP_COMMA)) continue;
    if (buf.kind[k] !== STRING) return null;
    const value = literalOf(text, buf, k, k + 1, false).value;
    if (value === null) return null;
    out.push(environmentOfLiteral(value, folded));
  }
  return out;
}

function isLogical(ix: JsIndex, t: number, c: number): boolean {
  const { buf, text } = ix;
  return buf.kind[t] === OP && buf.aux[t] === OP_OTHER && text.charCodeAt(buf.start[t]!) === c && buf.end[t]! - buf.start[t]! === 2;
}

/**
 * The environments in which the test [from, to) holds, or null when it is not a test on `conv.env`
 * alone (`ev`'s universe is every environment the file may be in).
 */
export function envTest(ix: JsIndex, from: number, to: number, ev: Evaluation, param?: EnvParameter, depth = 0): EnvSet | null {
  const { buf, text } = ix;
  [from, to] = stripGroup(ix, from, to);
  if (to <= from || depth > 8) return null;
  let or = -1;
  let and = -1;
  let cmp = -1;
  let inTok = -1;
  for (let k = from; k < to; k = skipGroup(buf, k, to)) {
    if (isLogical(ix, k, 124)) or = k;
    else if (isLogical(ix, k, 38)) and = k;
    else if (isOp(buf, k, OP_CMP) && cmp < 0) cmp = k;
    else if (k > from && inTok < 0 && buf.kind[k] === IDENT && tokenIs(text, buf, k, 'in')) inTok = k;
    else if (buf.kind[k] === OP && buf.aux[k] === 63) return null; // a conditional or `??`
  }
  if (or >= 0 || and >= 0) {
    const k = or >= 0 ? or : and;
    const left = envTest(ix, from, k, ev, param, depth + 1);
    const right = left === null ? null : envTest(ix, k + 1, to, ev, param, depth + 1);
    if (left === null || right === null) return null;
    return or >= 0 ? union(left, right) : intersect(left, right);
  }
  if (isOp(buf, from, 33)) {
    const inner = envTest(ix, from + 1, to, ev, param, depth + 1);
    return inner === null ? null : complement(ev, inner);
  }
  // A flag: `const isLive = conv.env === 'live'` (a `const`, so never given another value).
  if (to - from === 1 && buf.kind[from] === IDENT) {
    const b = ix.lookup(ix.word(from), from);
    // `if (!name)` after `let name = NAMES[conv.env]`: where its values are truthy.
    if (b === null || b.kind !== B_CONST || b.valueFrom < 0 || b.fn || b.ofFrom >= 0) return b !== null && !b.fn ? valueTest(from, to, ev as ConstantReader, truthyValue) : null;
    // Decided once per flag (its value walked once, charged as a helper's body is).
    const known = flagTests.get(b);
    if (known !== undefined) return known === DECIDING ? null : known;
    flagTests.set(b, DECIDING);
    work.n += b.valueTo - b.valueFrom;
    const envs = envTest(ix, b.valueFrom, b.valueTo, ev, param, depth + 1);
    flagTests.set(b, envs);
    return envs;
  }
  // A flag the constructor sets: `this.isLive = conv.env === 'live'` (once, and written nowhere else).
  if (to - from === 3 && tokenIs(text, buf, from, 'this') && ix.isDot(from + 1) && buf.kind[from + 2] === IDENT && !ix.isDot(from - 1)) {
    const value = constructorValue(ix, from);
    if (value < 0) return null;
    let tests = fieldTests.get(ix);
    if (tests === undefined) fieldTests.set(ix, (tests = new Map()));
    const known = tests.get(value);
    if (known !== undefined) return known === DECIDING ? null : known;
    tests.set(value, DECIDING);
    const valueTo = ix.exprEnd(value);
    work.n += valueTo - value;
    const envs = envTest(ix, value, valueTo, ev, param, depth + 1);
    tests.set(value, envs);
    return envs;
  }
  // A helper: `isProd(conv)`, a function of the file whose every return is a test on `conv.env`.
  if (buf.kind[to - 1] === CLOSE && buf.aux[to - 1] === 41 && buf.match[to - 1] === from + 1 && buf.kind[from] === IDENT && !ix.isDot(from - 1)) {
    const b = ix.lookup(ix.word(from), from);
    if (b !== null && b.fn && (b.kind === B_FUNCTION || b.kind === B_CONST)) return helperTest(ix, b.fn, ev, depth);
    return null;
  }
  // `Env.isLive(conv)`, `this.isLive()`: a method of a class of the file, the same.
  if (buf.kind[to - 1] === CLOSE && buf.aux[to - 1] === 41 && buf.match[to - 1] === from + 3 && buf.kind[from] === IDENT && ix.isDot(from + 1) && buf.kind[from + 2] === IDENT && !ix.isDot(from - 1)) {
    const fn = methodOf(ix, from);
    if (fn !== null) return helperTest(ix, fn, ev, depth);
  }
  // `conv.env in SECRETS`: the keys of an object the file writes (a literal, or a constant never changed).
  if (inTok >= 0 && cmp < 0) {
    const form = envForm(ix, from, inTok, 0, param);
    return form === ENV_NONE ? null : keysTest(inTok + 1, to, form, ev as ConstantReader);
  }
  if (cmp >= 0) {
    const negated = text.charCodeAt(buf.start[cmp]!) === 33;
    let value: string | null = null;
    let form = ENV_NONE;
    if (cmp + 2 === to && buf.kind[cmp + 1] === STRING && (form = envForm(ix, from, cmp, 0, param)) !== ENV_NONE) value = literalOf(text, buf, cmp + 1, to, false).value;
    else if (cmp === from + 1 && buf.kind[from] === STRING && (form = envForm(ix, cmp + 1, to, 0, param)) !== ENV_NONE) value = literalOf(text, buf, from, cmp, false).value;
    // A constant of the module (`conv.env === LIVE`, `ENVS.prod`): the one string it stands for.
    else if (buf.kind[cmp + 1] === IDENT && (form = envForm(ix, from, cmp, 0, param)) !== ENV_NONE) value = oneConstant(ev, cmp + 1, to);
    else if (buf.kind[from] === IDENT && (form = envForm(ix, cmp + 1, to, 0, param)) !== ENV_NONE) value = oneConstant(ev, from, cmp);
    // `name === undefined`, `name != null`: where its values are none.
    else if (cmp === from + 1 && cmp + 2 === to && buf.kind[from] === IDENT && NONE_WORDS.has(ix.word(cmp + 1))) {
      const set = valueTest(from, cmp, ev as ConstantReader, noValue);
      return set === null || !negated ? set : complement(ev, set);
    }
    if (value === null) return null;
    const set = environmentSet(ev, environmentOfLiteral(value, form === ENV_FOLDED));
    return negated ? complement(ev, set) : set;
  }
  // `['a', 'b'].includes(conv.env)`
  const last = to - 1;
  if (buf.kind[last] === CLOSE && buf.aux[last] === 41) {
    const open = buf.match[last]!;
    const method = open > from + 1 && ix.isDot(open - 2) ? ix.word(open - 1) : '';
    // (`PROD_ENVS.has(conv.env)` of a `new Set([…])` as `includes` of an array.)
    const member = method === 'includes' || method === 'has';
    const form = member || method === 'startsWith' ? envForm(ix, member ? open + 1 : from, member ? last : open - 2, 0, param) : ENV_NONE;
    if (member && form !== ENV_NONE) {
      const list = stringList(ix, from, open - 2, 0, form === ENV_FOLDED);
      if (list) return list.reduce((set: EnvSet, env) => union(set, environmentSet(ev, env)), 0);
      // `Object.keys(SECRETS).includes(conv.env)`
      const keysOpen = from + 3;
      if (tokenIs(text, buf, from, 'Object') && ix.isDot(from + 1) && tokenIs(text, buf, from + 2, 'keys') && isOpen(buf, keysOpen, CH_LPAREN) && buf.match[keysOpen] === open - 3) {
        return keysTest(keysOpen + 1, open - 3, form, ev as ConstantReader);
      }
    }
    // `Object.hasOwn(SECRETS, conv.env)`, `SECRETS.hasOwnProperty(conv.env)`
    if (method === 'hasOwn' && open === from + 3 && tokenIs(text, buf, from, 'Object')) {
      const comma = itemEnd(buf, open + 1, last);
      const keyForm = comma < last ? envForm(ix, comma + 1, last, 0, param) : ENV_NONE;
      if (keyForm !== ENV_NONE) return keysTest(open + 1, comma, keyForm, ev as ConstantReader);
    }
    if (method === 'hasOwnProperty' && open - 2 > from) {
      const keyForm = envForm(ix, open + 1, last, 0, param);
      if (keyForm !== ENV_NONE) return keysTest(from, open - 2, keyForm, ev as ConstantReader);
    }
    // `conv.env.startsWith('pre')`: the file's environments one of whose spellings starts so.
    if (method === 'startsWith' && form !== ENV_NONE && last === open + 2 && buf.kind[open + 1] === STRING) {
      const prefix = literalOf(text, buf, open + 1, last, false).value;
      if (prefix !== null) {
        const universe = universeOf(ev);
        let set: EnvSet = 0;
        for (let k = 0; k < universe.length; k++) if (environmentStartsWith(universe[k]!, prefix, form === ENV_FOLDED)) set = union(set, envBit(k));
        return set;
      }
    }
  }
  // `IS_PROD[conv.env]`: a table of the environments looked up as the test.
  if (buf.kind[last] === CLOSE && buf.match[last]! > from && isOpen(buf, buf.match[last]!, CH_LBRACKET)) return lookupTest(ix, from, buf.match[last]!, last, ev as ConstantReader, param);
  return null;
}

/**
 * `T[<environment>]` as a test (`if (IS_PROD[conv.env])`, `!{ live: true }[env]`), T an object
 * literal or a constant one never changed whose values are literals: it holds in the environments
 * whose key's value is truthy (a missing key is `undefined`); null when it is not such a lookup.
 */
function lookupTest(ix: JsIndex, from: number, open: number, close: number, ev: ConstantReader, param?: EnvParameter): EnvSet | null {
  const form = envForm(ix, open + 1, close, 0, param);
  if (form === ENV_NONE) return null;
  const entries = ev.entriesRead?.(from, open) ?? null;
  if (entries === null) return null;
  let set: EnvSet = 0;
  for (const entry of entries) {
    if (entry.element) return null;
    const value = truthiness(ix, entry.from, entry.to);
    if (value === null) return null;
    if (value) set = union(set, environmentSet(ev, environmentOfLiteral(entry.key, form === ENV_FOLDED)));
  }
  return set;
}

/**
 * Where the environment is a key of the object [from, to) (a literal, or a constant one never
 * changed: the table a lookup reads): the environments its keys name; null when it is no such object
 * (an array's keys are its indices).
 */
function keysTest(from: number, to: number, form: number, ev: ConstantReader): EnvSet | null {
  const entries = ev.entriesRead?.(from, to) ?? null;
  if (entries === null) return null;
  let set: EnvSet = 0;
  for (const entry of entries) {
    if (entry.element) return null;
    set = union(set, environmentSet(ev, environmentOfLiteral(entry.key, form === ENV_FOLDED)));
  }
  return set;
}

/** Whether the literal [from, to) is truthy: `true`, `false`, `null`, `undefined`, a number, a string; null for anything else. */
function truthiness(ix: JsIndex, from: number, to: number): boolean | null {
  const { buf, text } = ix;
  if (to !== from + 1) return null;
  if (buf.kind[from] === STRING) {
    const value = literalOf(text, buf, from, to, false).value;
    return value === null ? null : value.length > 0;
  }
  const word = text.slice(buf.start[from]!, buf.end[from]!);
  if (word === 'true') return true;
  if (word === 'false' || word === 'null' || word === 'undefined') return false;
  if (buf.kind[from] !== NUMBER) return null;
  const n = Number(word.replace(/_/g, '').replace(/n$/, ''));
  return Number.isNaN(n) ? null : n !== 0;
}

/** What a resolver that reads constants adds to an Evaluation (jsNameSets.ts's namedConstant). */
interface ConstantReader extends Evaluation {
  constantRead?: (from: number, to: number, elements: boolean) => string[] | null;
  entriesRead?: (from: number, to: number) => readonly LookupEntry[] | null;
  valuesRead?: (from: number, to: number) => Alternative[] | null;
}

const NONE_WORDS = new Set(['undefined', 'null']);

/** A test on the values of [from, to) (evaluate/envSet.ts's valuesTest, the same rule as Python's). */
function valueTest(from: number, to: number, ev: ConstantReader, holds: (a: Alternative) => boolean): EnvSet | null {
  const values = ev.valuesRead?.(from, to) ?? null;
  return values === null ? null : valuesTest(values, holds);
}

/** What a lookup test reads of a table's entry: the shape of jsNameSetsTypes.ts's TableEntry (not imported: that would close an import cycle). */
interface LookupEntry {
  key: string;
  from: number;
  to: number;
  element: boolean;
}

/** The one string the constant [from, to) stands for; null when it is not one (constantRead). */
function oneConstant(ev: ConstantReader, from: number, to: number): string | null {
  const values = ev.constantRead?.(from, to, false) ?? null;
  return values !== null && values.length === 1 ? values[0]! : null;
}

/**
 * The environments in which a call of `fn` returns a true value: the union over its returns of
 * those in which the tests on the way hold and the returned test does (`return conv.env === 'live'`;
 * `true` and `false` as themselves); null when one return or test is not on `conv.env`. Decided
 * once per function (its body walked once, charged as a helper's is).
 */
function helperTest(ix: JsIndex, fn: JsFunction, ev: Evaluation, depth: number): EnvSet | null {
  const known = helperTests.get(fn);
  if (known !== undefined) return known === DECIDING ? null : known;
  helperTests.set(fn, DECIDING);
  work.n += fn.bodyTo - fn.bodyFrom;
  let out: EnvSet | null = 0;
  for (const ret of returnPaths(ix, fn)) {
    let envs: EnvSet | null = ret.from < 0 ? null : boolOrTest(ix, ret.from, ret.to, ev, depth);
    for (const t of ret.tests) {
      if (envs === null) break;
      const te = t.switch ? caseEnvironments(ix, t.switch.subject, t.switch.labels, ev) : envTest(ix, t.from, t.to, ev, undefined, depth + 1);
      envs = te === null ? null : intersect(envs, t.holds ? te : complement(ev, te));
    }
    if (envs === null) {
      out = null;
      break;
    }
    out = union(out, envs);
  }
  helperTests.set(fn, out);
  return out;
}

/** `true`, `false` or a test on `conv.env`, as the environments it holds in. */
function boolOrTest(ix: JsIndex, from: number, to: number, ev: Evaluation, depth: number): EnvSet | null {
  [from, to] = stripGroup(ix, from, to);
  if (to - from === 1 && tokenIs(ix.text, ix.buf, from, 'true')) return everyEnvironment(ev);
  if (to - from === 1 && tokenIs(ix.text, ix.buf, from, 'false')) return 0;
  return envTest(ix, from, to, ev, undefined, depth + 1);
}

const DECIDING = Symbol('deciding');
/** helperTest's answers, by function (one document's); DECIDING while it is decided (a recursive helper is no test). */
const helperTests = new WeakMap<JsFunction, EnvSet | null | typeof DECIDING>();
/** envTest's answers for a flag, by its binding (one document's). */
const flagTests = new WeakMap<JsBinding, EnvSet | null | typeof DECIDING>();
/** envTest's answers for a flag the constructor sets (`this.isLive`), by document and the first token of its value. */
const fieldTests = new WeakMap<JsIndex, Map<number, EnvSet | null | typeof DECIDING>>();

/**
 * The environments in which a `switch` on `subject` takes a clause with these labels (each a
 * literal, or a constant standing for one: `case LIVE:`, `case Env.Live:` of a string enum); null
 * when it is not on `conv.env`.
 */
export function caseEnvironments(ix: JsIndex, subject: [number, number], labels: Array<[number, number]>, ev: Evaluation, param?: EnvParameter): EnvSet | null {
  const form = envForm(ix, subject[0], subject[1], 0, param);
  if (form === ENV_NONE) return null;
  const envs: string[] = [];
  for (const [a, b] of labels) {
    const value = b === a + 1 && ix.buf.kind[a] === STRING ? literalOf(ix.text, ix.buf, a, b, false).value : ix.buf.kind[a] === IDENT ? oneConstant(ev, a, b) : null;
    if (value === null) return null;
    envs.push(environmentOfLiteral(value, form === ENV_FOLDED));
  }
  let set: EnvSet = 0;
  for (const env of envs) set = union(set, environmentSet(ev, env));
  return set;
}

/** The environments a file may run in: the platform's, then every other literal the file compares `conv.env` with. */
export function envUniverse(ix: JsIndex): string[] {
  const { buf, text } = ix;
  const universe = universeFrom();
  // Past MAX_ENVIRONMENTS the others are not looked for: every set of environments stays that small.
  const add = (t: number, folded: boolean): void => {
    if (buf.kind[t] !== STRING || universe.full()) return;
    const value = literalOf(text, buf, t, t + 1, false).value;
    if (value !== null) universe.add(environmentOfLiteral(value, folded));
  };
  for (let t = 0; t < ix.count; t++) {
    if (buf.kind[t] !== IDENT || buf.end[t]! - buf.start[t]! !== 4 || !tokenIs(text, buf, t, 'conv') || ix.isDot(t - 1)) continue;
    if (!ix.isDot(t + 1) || !tokenIs(text, buf, t + 2, 'env')) continue;
    let e = t + 2;
    let folded = false;
    while (ix.isDot(e + 1) && buf.kind[e + 2] === IDENT && CASE_METHODS.has(ix.word(e + 2)) && isOpen(buf, e + 3, CH_LPAREN) && buf.match[e + 3] === e + 4) {
      folded ||= FOLDING.has(ix.word(e + 2));
      e += 4;
    }
    if (isOp(buf, e + 1, OP_CMP)) add(e + 2, folded);
    if (isOp(buf, t - 1, OP_CMP)) add(t - 2, false);
    // `[…].includes(conv.env)`
    if (isOpen(buf, t - 1, CH_LPAREN) && tokenIs(text, buf, t - 2, 'includes') && ix.isDot(t - 3) && buf.kind[t - 4] === CLOSE) {
      const open = buf.match[t - 4]!;
      if (open >= 0 && buf.kind[open] === OPEN) for (let k = open + 1; k < t - 4; k++) add(k, false);
    }
  }
  return universe.list;
}
