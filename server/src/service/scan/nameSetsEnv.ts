// Tests on the environment for the name-set resolver: `conv.env == 'live'`, `conv.env in ('a', 'b')`,
// `not …`, `and` / `or` of such tests, `conv.env.lower()`, `str(conv.env)` and names bound to one of
// those. A test becomes a Cond: its text and span, and the environments where it holds (null when
// it is not a test of the environment). Also the shared helpers: text of a token range, conditions
// on a path, the environment universe of the file, the first walk of a long expression.

import { stringsValue } from './literals';
import { ENVIRONMENTS, type Span } from './types';
import { type At, type Cond, MAX_ENVIRONMENTS, type Path, type Resolver, STEPS_PER_READ, TEXT_CAP, tokenSpan, tokenText, Unresolved } from './nameSetsTypes';
import { CLOSE, IDENT, OP, OPEN, OP_CMP, OP_COMMA, OP_DOT, STRING, CH_LPAREN, isOp, lowerBound, tokenIs } from './tokens';
import { skipGroup } from './calls';

/** The text of tokens [s, e), whitespace collapsed, capped with '…'. */
export function textOf(r: Resolver, s: number, e: number, cap = TEXT_CAP): string {
  return tokenText(r.scan, s, e, cap);
}

export function spanOf(r: Resolver, s: number, e: number): Span {
  return tokenSpan(r.scan, s, e);
}

export function unresolved(r: Resolver, s: number, e: number): never {
  throw new Unresolved(r.scan, s, Math.max(e, s + 1), false);
}

/**
 * Work done by the helpers that have no resolver at hand (the lists of tests merged, the sets of
 * environments intersected): counted here, charged to the read at its next step.
 */
export const work = { n: 0 };

/** One unit of work, and what the helpers did since the last: throws once the read's share of the document's budget is spent. */
export function tick(r: Resolver, s: number, e: number): void {
  r.steps -= 1 + work.n;
  work.n = 0;
  if (r.steps < 0) throw new Unresolved(r.scan, s, Math.max(e, s + 1), true);
}

/** `n` units of work at once (a walk of a table, a set of environments): throws once the read's share is spent. */
export function charge(r: Resolver, n: number): void {
  r.steps -= n;
  if (r.steps < 0) throw new Unresolved(null, 0, 0, true);
}

export function normalizeEnv(value: string): string {
  return value === 'pre_release' ? 'pre-release' : value;
}

/** The file's environments (see environmentUniverse), found the first time they are asked. */
export function universeOf(r: Resolver): string[] {
  if (r.universe === null) {
    r.universe = environmentUniverse(r);
    r.universeSet = new Set(r.universe);
  }
  return r.universe;
}

/**
 * Adds `value` (normalised) to the file's environments when it is new. A file naming more than
 * MAX_ENVIRONMENTS is too large to follow: every set of environments stays that small.
 */
export function addEnvironment(r: Resolver, value: string): string {
  const env = normalizeEnv(value);
  const universe = universeOf(r);
  if (!r.universeSet!.has(env)) {
    if (universe.length >= MAX_ENVIRONMENTS) throw new Unresolved(null, 0, 0, true);
    universe.push(env);
    r.universeSet!.add(env);
  }
  return env;
}

export function complement(r: Resolver, env: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const universe = universeOf(r);
  work.n += universe.length;
  for (const e of universe) if (!env.has(e)) out.add(e);
  return out;
}

export function intersect(a: ReadonlySet<string> | null, b: ReadonlySet<string> | null): ReadonlySet<string> | null {
  if (a === null) return b;
  if (b === null) return a;
  const out = new Set<string>();
  work.n += a.size;
  for (const e of a) if (b.has(e)) out.add(e);
  return out;
}

export function negate(r: Resolver, c: Cond): Cond {
  return { text: c.text, span: c.span, holds: !c.holds, env: c.env === null ? null : complement(r, c.env) };
}

function sameCond(a: Cond, b: Cond): boolean {
  return a.span.start === b.span.start && a.span.end === b.span.end && a.holds === b.holds && a.text === b.text;
}

/** `conds` followed by those of `more` it does not hold yet (one of them itself when the other is empty). */
export function mergeConds(conds: readonly Cond[], more: readonly Cond[]): readonly Cond[] {
  if (more.length === 0) return conds;
  if (conds.length === 0) return more;
  let out: Cond[] | null = null;
  work.n += more.length * conds.length;
  for (const c of more) {
    if (holds(out ?? conds, c)) continue;
    out ??= conds.slice();
    out.push(c);
  }
  return out ?? conds;
}

function holds(conds: readonly Cond[], c: Cond): boolean {
  for (const d of conds) if (sameCond(c, d)) return true;
  return false;
}

/** `a` then `b`, every test of both (one of them itself when the other is empty). */
export function joinConds(a: readonly Cond[], b: readonly Cond[]): readonly Cond[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  work.n += a.length + b.length;
  return [...a, ...b];
}

/** A path that also passes `conds` (placed first: they come before it). */
export function withConds(p: Path, conds: readonly Cond[]): Path {
  if (conds.length === 0) return p;
  work.n += conds.length;
  let env = p.env;
  for (const c of conds) env = intersect(env, c.env);
  return { ...p, when: mergeConds(conds, p.when), env };
}

// ---- environment tests ----

/**
 * The file's environments: ENVIRONMENTS and every literal compared with `X.env`, in the order
 * written. The text's own search finds the few `env`s (by their 'v': far rarer in code than 'e',
 * so the search stops less often); the tokens say which are code and what they are compared with.
 */
function environmentUniverse(r: Resolver): string[] {
  const { text, buf, count } = r.scan;
  const out: string[] = [...ENVIRONMENTS];
  const seen = new Set<string>(out);
  // Past MAX_ENVIRONMENTS the others are not looked for (addEnvironment refuses them).
  const add = (value: string): void => {
    const env = normalizeEnv(value);
    if (!seen.has(env) && out.length < MAX_ENVIRONMENTS) {
      seen.add(env);
      out.push(env);
    }
  };
  // Past MAX_ENVIRONMENTS the search stops: none found after would be added.
  for (let v = text.indexOf('v', 2); v >= 0 && out.length < MAX_ENVIRONMENTS; v = text.indexOf('v', v + 1)) {
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
    while (isOp(buf, k, OP_DOT) && buf.kind[k + 1] === IDENT && buf.kind[k + 2] === OPEN && buf.match[k + 2] === k + 3) k += 4;
    if (buf.kind[k] === CLOSE) k++; // str(conv.env)
    let operand = -1;
    if (buf.kind[k] === OP && buf.aux[k] === OP_CMP) operand = k + 1;
    else if (tokenIs(text, buf, k, 'in')) operand = k + 1;
    else if (tokenIs(text, buf, k, 'not') && tokenIs(text, buf, k + 1, 'in')) operand = k + 2;
    if (operand >= 0) {
      const end = buf.kind[operand] === OPEN && buf.match[operand]! > operand ? buf.match[operand]! : operand + 1;
      for (let j = operand; j < end; j++) {
        if (buf.kind[j] !== STRING) continue;
        const value = stringValue(r, j, j + 1);
        if (value !== null) add(value);
      }
    }
    if (t >= 4 && buf.kind[t - 4] === STRING && isOp(buf, t - 3, OP_CMP)) {
      const value = stringValue(r, t - 4, t - 3);
      if (value !== null) add(value);
    }
  }
  return out;
}

/** The value of the string tokens [s, e) (literals.ts's, without the spans literalOf makes); null when there is none or it is not known. */
export function stringValue(r: Resolver, s: number, e: number): string | null {
  return e <= s ? null : stringsValue(r.scan.text, r.scan.buf, s, e, true);
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

/** Whether [s, e) is an environment expression: `X.env`, `.lower()` / `.strip()` of one, `str(…)` of one, a name bound to one. */
export function isEnvExpr(r: Resolver, s0: number, e0: number, at: At): boolean {
  const { text, buf } = r.scan;
  const wrap = parens(r, s0, e0);
  const s = s0 + wrap;
  const e = e0 - wrap;
  if (e <= s) return false;
  if (e === s + 1) return buf.kind[s] === IDENT && r.envAlias(r, s, at);
  if (tokenIs(text, buf, s, 'str') && buf.kind[s + 1] === OPEN && buf.match[s + 1] === e - 1) return isEnvExpr(r, s + 2, e - 1, at);
  // X.env(.m())*
  if (buf.kind[s] !== IDENT || !isOp(buf, s + 1, OP_DOT) || !tokenIs(text, buf, s + 2, 'env')) {
    // name.lower()
    if (buf.kind[s] === IDENT && isOp(buf, s + 1, OP_DOT) && methodsOnly(r, s + 1, e)) return r.envAlias(r, s, at);
    return false;
  }
  if (isOp(buf, s - 1, OP_DOT)) return false;
  return methodsOnly(r, s + 3, e);
}

const IDENTITY_METHODS = new Set(['lower', 'strip', 'casefold', 'upper', 'lstrip', 'rstrip']);

function methodsOnly(r: Resolver, k: number, e: number): boolean {
  const { text, buf } = r.scan;
  while (k < e) {
    if (!isOp(buf, k, OP_DOT) || buf.kind[k + 1] !== IDENT || buf.kind[k + 2] !== OPEN || buf.match[k + 2] !== k + 3) return false;
    if (!IDENTITY_METHODS.has(text.slice(buf.start[k + 1]!, buf.end[k + 1]!))) return false;
    k += 4;
  }
  return k === e;
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
  const out: string[] = [];
  let part = a;
  for (let t = a; t <= b; ) {
    if (t === b || isOp(buf, t, OP_COMMA)) {
      if (t > part) {
        for (let j = part; j < t; j++) if (buf.kind[j] !== STRING) return null;
        const v = stringValue(r, part, t);
        if (v === null) return null;
        out.push(v);
      }
      part = t + 1;
      t++;
      continue;
    }
    t = skipGroup(buf, t, b);
  }
  return out.length > 0 ? out : null;
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
export function envSet(r: Resolver, s0: number, e0: number, at: At): ReadonlySet<string> | null {
  const { text, buf } = r.scan;
  const wrap = parens(r, s0, e0);
  const s = s0 + wrap;
  const e = e0 - wrap;
  if (e <= s) return null;
  if (hasWord(r, s, e, 'or')) {
    const out = new Set<string>();
    for (const [a, b] of splitWord(r, s, e, 'or')) {
      const part = envSet(r, a, b, at);
      if (part === null) return null;
      for (const x of part) out.add(x);
    }
    return out;
  }
  if (hasWord(r, s, e, 'and')) {
    let out: ReadonlySet<string> | null = null;
    for (const [a, b] of splitWord(r, s, e, 'and')) {
      const part = envSet(r, a, b, at);
      if (part === null) return null;
      out = intersect(out, part);
    }
    return out;
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
    } else if (tokenIs(text, buf, t, 'is')) return null;
    if (opEnd >= 0) {
      let values: string[] | null = null;
      if (isEnvExpr(r, s, t, at)) values = literalSet(r, opEnd, e);
      else if (!membership && isEnvExpr(r, opEnd, e, at)) values = literalSet(r, s, t);
      if (values === null) return null;
      if (!membership && values.length !== 1) return null;
      const set = new Set(values.map((v) => addEnvironment(r, v)));
      return negated ? complement(r, set) : set;
    }
    t = skipGroup(buf, t, e);
  }
  return null;
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
