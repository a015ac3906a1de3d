// Rows for the name-set resolver: a loop's variable, a parameter or an unpacked part holding dicts
// (`for p in PROVIDERS:` over `[{"label": "CRM", "secret": "crm_api"}, …]`), read by a key
// (`p["secret"]`, `p.get("secret", d)`), each row's entry on the row's tests; and the tests around
// a read of a row that compare a part of it with the environment (`if row["env"] == conv.env:`,
// `if env == conv.env:` in `for env, name in ROWS:`, `if row[0] == conv.env:`), which hold for each
// row in the environment its part names.

import { environmentSet, joinConds, negate, withConds } from '../evaluate/envSet';
import { charge, spanOf, textOf, unresolved, Unresolved } from '../evaluate/evaluation';
import { type Alternative, type Cond, NO_CONDS } from '../evaluate/values';
import { environmentOfLiteral } from '../../../../protocol/environments';
import { skipGroup } from '../scan/calls';
import type { Span } from '../scan/types';
import { SK_ELIF, SK_FOR, SK_IF } from './keyFlow';
import { ENV_FOLDED, ENV_NONE, envForm, hasWord, parens, splitWord, stringValue, testCond } from './nameSetsEnv';
import { frameFor, isMade, lookupOrNull, namedTupleFields } from './nameSetsCalls';
import { clauses, containers, type Elem, elementParts, literalIndex, loopParts, loopValues } from './nameSetsIter';
import { nameAt } from './nameSetsIndex';
import { commaParts } from './nameSetsTargets';
import { type At, type Container, DEF_EXPR, DEF_FOR, type Def, MAX_DEPTH, MAX_PATHS, type Resolver } from './nameSetsTypes';
import { statements as S } from './pythonRefsState';
import { CH_LBRACKET, CH_LPAREN, CLOSE, IDENT, OP, OPEN, OP_ASSIGN, OP_CMP, OP_COLON, OP_DOT, isOp, isOpen, tokenIs } from '../scan/tokens';

/**
 * The value at `key` of each dict the name at token `t` holds as a loop's variable, a parameter or
 * a part unpacked (`for p in PROVIDERS:` over `PROVIDERS = [{"label": "CRM", "secret": "crm_api"},
 * …]`, `def connect(conv, provider)` called with one): `p["secret"]`, `p.get("secret", d)`. Each
 * row's entry, on the row's tests; a row without the key gives `.get`'s default (`missing`, its
 * tokens; null: None), and is unknown for a subscript (a KeyError at run time). A row that is not a
 * dict is unknown; the read [t, end) is named when it is.
 */
export function rowKeyValues(r: Resolver, t: number, key: string, at: At, get: boolean, missing: readonly [number, number] | null, end: number): Alternative[] {
  const out: Alternative[] = [];
  const guards = rowGuards(r, t, at, { row: nameAt(r, t), def: null });
  for (const row of containers(r, t, t + 1, at, NO_CONDS)) {
    if (!row.dict || row.comp) unresolved(r, t, end);
    charge(r, row.keys.length);
    const k = row.keys.findIndex(([a, b]) => stringValue(r, a, b) === key);
    const conds = guards.length === 0 ? row.conds : joinConds(row.conds, guardConds(r, row, guards));
    if (k >= 0) {
      const [a, b] = row.entries[k]!;
      for (const p of r.ev.expr(r, a, b, row.at)) out.push(withConds(p, conds));
    } else if (!get) unresolved(r, t, end);
    else if (missing === null) out.push(withConds({ name: null, literal: null, when: NO_CONDS, env: null }, conds));
    else for (const p of r.ev.expr(r, missing[0], missing[1], at)) out.push(withConds(p, conds));
    if (out.length > MAX_PATHS) unresolved(r, t, end);
  }
  return out;
}

/** Whether the definition `d` binds its name to a `next(…)` call (`p = next(x for x in ROWS if …)`). */
export function heldNext(r: Resolver, d: Def): boolean {
  const { text, buf } = r.scan;
  return d.kind === DEF_EXPR && d.unpack === undefined && tokenIs(text, buf, d.start, 'next') && isOpen(buf, d.start + 1, CH_LPAREN) && buf.match[d.start + 1] === d.end - 1;
}

/** The element [a, b) of the generator that `next(…)` at [s, e) takes from, and its default's tokens; null where [s, e) is no such call. */
function nextGenerator(r: Resolver, s: number, e: number, at: At): { element: [number, number]; fallback: [number, number] | undefined } | null {
  const { text, buf } = r.scan;
  if (buf.kind[s] !== IDENT || !tokenIs(text, buf, s, 'next') || isOp(buf, s - 1, OP_DOT) || !isOpen(buf, s + 1, CH_LPAREN) || buf.match[s + 1] !== e - 1) return null;
  const args = commaParts(r, s + 2, e - 1);
  if (args.length === 0 || args.length > 2 || args.some(([a]) => buf.kind[a] === IDENT && isOp(buf, a + 1, OP_ASSIGN))) return null;
  const generator = containers(r, args[0]![0], args[0]![1], at, NO_CONDS);
  if (generator.length !== 1 || !generator[0]!.comp || generator[0]!.dict) return null;
  return { element: generator[0]!.entries[0]!, fallback: args[1] };
}

/**
 * The rows a `next(…)` of a generator over rows at [s, e) may give, held by a name (`p = next(x for
 * x in ROWS if x["env"] == conv.env)`, then `p["secret"]`): the containers the generator's element
 * stands for, each on the generator's tests of its row (as `next(x["secret"] for x in ROWS if …)`
 * written in place reads them), and those of a default (`next(…, {…})`; `None` gives none: reading
 * it fails at run time). Null where [s, e) is no such call; unknown where a test of the row cannot
 * be told for one of them (it would hold in every environment).
 */
export function nextRows(r: Resolver, s: number, e: number, at: At, conds: readonly Cond[]): Container[] | null {
  const { text, buf } = r.scan;
  const held = nextGenerator(r, s, e, at);
  if (held === null) return null;
  const [a, b] = held.element;
  const fallback = held.fallback;
  const out: Container[] = [];
  const guards = b === a + 1 && buf.kind[a] === IDENT ? rowGuards(r, a, at, { row: nameAt(r, a), def: null }) : NO_GUARDS;
  for (const row of containers(r, a, b, at, conds)) {
    if (guards.length === 0) {
      out.push(row);
      continue;
    }
    const tests = guardConds(r, row, guards);
    if (tests.length < guards.length) unresolved(r, s, e);
    out.push({ ...row, conds: joinConds(row.conds, tests) });
  }
  if (fallback !== undefined && !(fallback[1] === fallback[0] + 1 && tokenIs(text, buf, fallback[0], 'None'))) {
    for (const c of containers(r, fallback[0], fallback[1], at, conds)) out.push(c);
  }
  return out;
}

/**
 * A test of the environment against a part of the row (`row["env"] == conv.env`, `env == conv.env`
 * of `for env, name in ROWS`, `row[0] == conv.env`): where in the element the compared part is (the
 * places of the parts it is in, then a dict's key, or null), how the environment is spelt, the test
 * as written.
 */
interface RowGuard {
  path: readonly number[];
  key: string | null;
  /** The key is an attribute of an instance (`p.env`), not a dict's. */
  attr: boolean;
  folded: boolean;
  text: string;
  span: Span;
}

/**
 * What a guard's side refers to: the read's own row, a dict read by key (`row` for `row["env"]`,
 * rowKeyValues), or the loop a variable is bound by (`def`), any of whose target's names (with a
 * literal index or key after it) is a part of the element.
 */
type RowRef = { row: string; def: null } | { row: null; def: Def };

/**
 * The tests around the read at `at` (the row variable's token `t`) that compare a part of the row
 * with the environment (`row["env"] == conv.env`, `row.get("env") == str(conv.env).lower()`, either
 * side, a part of an `and`): the `if` clauses of the comprehension that binds the variable
 * (`next(p["secret"] for p in ROWS if p["env"] == conv.env)`), or the `if` / `elif` headers around
 * the read inside the `for` that binds it. Each row then is read only in the environment its entry
 * names.
 */
function rowGuards(r: Resolver, t: number, at: At, ref: RowRef): RowGuard[] {
  if (!r.mentionsEnv) return NO_GUARDS;
  const { buf } = r.scan;
  const name = nameAt(r, t);
  const out: RowGuard[] = [];
  // The groups around the read in its statement, innermost first.
  const first = S.start[at.stmt]!;
  for (let k = t - 1; k >= first; k--) {
    charge(r, 1);
    if (buf.kind[k] === CLOSE && buf.match[k]! >= first && buf.match[k]! < k) k = buf.match[k]!;
    else if (buf.kind[k] === OPEN && comprehensionGuards(r, name, k, at, ref, out)) return out;
  }
  let indent = S.indent[at.stmt]!;
  for (let i = at.stmt - 1; i >= 0 && indent > 0; i--) {
    charge(r, 1);
    if (S.indent[i]! >= indent) continue;
    // A header around the read; one of another scope opens the read's (a `def`): no test beyond it.
    if (S.scope[i] !== at.scope) break;
    indent = S.indent[i]!;
    // The loop that binds the row: no test outside it is about this row.
    if (S.kind[i] === SK_FOR) break;
    if (S.kind[i] !== SK_IF && S.kind[i] !== SK_ELIF) continue;
    testGuards(r, S.start[i]! + 1, isOp(buf, S.end[i]! - 1, OP_COLON) ? S.end[i]! - 1 : S.end[i]!, at, ref, out);
  }
  return out.length === 0 ? NO_GUARDS : out;
}

/**
 * Whether the group opened at `g` is a comprehension with a `for` clause binding `name`; if so its
 * `if` clauses after that one are tests of the row (added to `out`).
 */
function comprehensionGuards(r: Resolver, name: string, g: number, at: At, ref: RowRef, out: RowGuard[]): boolean {
  const { text, buf } = r.scan;
  const cl = clauses(r, g);
  let bound = false;
  for (let i = 0; i < cl.length - 1; i++) {
    const c = cl[i]!;
    if (tokenIs(text, buf, c, 'for')) {
      for (let k = c + 1; k < cl[i + 1]! && !tokenIs(text, buf, k, 'in'); k++) if (buf.kind[k] === IDENT && nameAt(r, k) === name) bound = true;
    } else if (bound && tokenIs(text, buf, c, 'if')) testGuards(r, c + 1, cl[i + 1]!, at, ref, out);
  }
  return bound;
}

/** The tests of the row among the `and` parts of the test [s, e), added to `out`. */
function testGuards(r: Resolver, s: number, e: number, at: At, ref: RowRef, out: RowGuard[]): void {
  const { text, buf } = r.scan;
  for (const [a, b] of splitWord(r, s, e, 'and')) {
    // `row["env"] == conv.env or x`, `not …`, `… if … else …`: the comparison is an operand of something looser.
    if (tokenIs(text, buf, a, 'not') || hasWord(r, a, b, 'or') || hasWord(r, a, b, 'if')) continue;
    let op = -1;
    for (let k = a; k < b; k = skipGroup(buf, k, b)) if (buf.kind[k] === OP && buf.aux[k] === OP_CMP && buf.end[k]! - buf.start[k]! === 2 && text.charCodeAt(buf.start[k]!) === 61) op = k;
    if (op < 0) continue;
    const guard = rowGuard(r, ref, a, op, op + 1, b, a, b, at) ?? rowGuard(r, ref, op + 1, b, a, op, a, b, at);
    if (guard !== null) out.push(guard);
  }
}

const NO_GUARDS: RowGuard[] = [];

/**
 * A part of the row at [a, b) (rowPart) compared by `==` with an environment expression at [c, d),
 * the test [a0, b0) written either way round: the guard, or null.
 */
function rowGuard(r: Resolver, ref: RowRef, a: number, b: number, c: number, d: number, a0: number, b0: number, at: At): RowGuard | null {
  const part = rowPart(r, ref, a, b, at);
  if (part === null) return null;
  const form = envForm(r, c, d, at);
  if (form === ENV_NONE) return null;
  return { path: part.path, key: part.key, attr: part.attr, folded: form === ENV_FOLDED, text: textOf(r, a0, b0), span: spanOf(r, a0, b0) };
}

/**
 * Where [a, b) is in the row `ref` says: `name`, `name[1]`, `name["env"]`, `name.get("env")` of the
 * row's own name, or of a name bound by the same loop's target (and no other binding where the read
 * is); null for anything else.
 */
function rowPart(r: Resolver, ref: RowRef, a: number, b: number, at: At): { path: readonly number[]; key: string | null; attr: boolean } | null {
  const { text, buf } = r.scan;
  if (buf.kind[a] !== IDENT) return null;
  let path: readonly number[];
  if (ref.def === null) {
    if (nameAt(r, a) !== ref.row) return null;
    path = NO_PATH;
  } else {
    // The shape first (`x`, `x[…]`, `x.get(…)`): a call or an attribute looks nothing up.
    const subscript = isOpen(buf, a + 1, CH_LBRACKET) && buf.match[a + 1] === b - 1;
    const get = isOp(buf, a + 1, OP_DOT) && tokenIs(text, buf, a + 2, 'get') && isOpen(buf, a + 3, CH_LPAREN) && buf.match[a + 3] === b - 1;
    const attr = b === a + 3 && isOp(buf, a + 1, OP_DOT) && buf.kind[a + 2] === IDENT;
    if (b !== a + 1 && !subscript && !get && !attr) return null;
    // A name the file does not bind (a builtin): no part of the row.
    const defs = lookupOrNull(r, a, at, true);
    if (defs === null) return null;
    const d = defs.length === 1 ? defs[0]! : null;
    if (d === null || d.kind !== DEF_FOR || d.start !== ref.def.start || d.stmt !== ref.def.stmt) return null;
    path = d.unpack ?? NO_PATH;
    if (b === a + 1) return { path, key: null, attr: false };
    // `p.env` of a row that is an instance (nameSetsExpr.ts's rowInstances).
    if (attr) return { path, key: nameAt(r, a + 2), attr: true };
  }
  if (isOpen(buf, a + 1, CH_LBRACKET) && buf.match[a + 1] === b - 1) {
    const index = ref.def === null ? null : literalIndex(r, a + 1, b - 1);
    if (index !== null) return index < 0 ? null : { path: [...path, index], key: null, attr: false };
    const key = stringValue(r, a + 2, b - 1);
    return key === null ? null : { path, key, attr: false };
  }
  if (isOp(buf, a + 1, OP_DOT) && a + 4 < b && tokenIs(text, buf, a + 2, 'get') && isOpen(buf, a + 3, CH_LPAREN) && buf.match[a + 3] === b - 1) {
    const key = stringValue(r, a + 4, b - 1);
    return key === null ? null : { path, key, attr: false };
  }
  return null;
}

const NO_PATH: readonly number[] = [];

/** The tests `guards` for one row: each in the environment its entry names (none where the entry is not a literal). */
function guardConds(r: Resolver, row: Container, guards: readonly RowGuard[]): Cond[] {
  const out: Cond[] = [];
  for (const g of guards) {
    const value = g.key === null || g.attr || g.path.length > 0 ? null : entryValue(r, row, g.key);
    if (value !== null) out.push(guardCond(r, g, value));
  }
  return out;
}

/** The literal at `key` of the dict `row`, or null. */
function entryValue(r: Resolver, row: Container, key: string): string | null {
  if (!row.dict) return null;
  const k = row.keys.findIndex(([a, b]) => stringValue(r, a, b) === key);
  const entry = k < 0 ? null : row.entries[k]!;
  return entry === null ? null : stringValue(r, entry[0], entry[1]);
}

/** The guard `g` where the row's compared part is `value`: a test that holds in the environment it names. */
function guardCond(r: Resolver, g: RowGuard, value: string): Cond {
  return { text: g.text, span: g.span, holds: true, env: environmentSet(r, environmentOfLiteral(value, g.folded)) };
}

/**
 * `p.secret` (tokens s, s+1, s+2) of a loop's variable over instances of classes of the module
 * (`for p in PROVIDERS:` over `[Provider("CRM", "crm_api"), …]`, a dataclass, a NamedTuple or a
 * class whose `__init__` sets it): each instance's attribute, as `Provider("CRM", "crm_api").secret`
 * would be, on the row's tests (`if p.env == conv.env:`, nameSetsRows.ts). Null where the variable
 * is no loop's or its first row is no such construction.
 */
export function rowInstances(r: Resolver, s: number, at: At): Alternative[] | null {
  const { text, buf } = r.scan;
  if (tokenIs(text, buf, s, 'self') || tokenIs(text, buf, s, 'cls')) return null;
  // A name the file does not bind (a module, a builtin): the attribute's own rules say what it is.
  const defs = lookupOrNull(r, s, at, true);
  if (defs === null) return null;
  // An object chosen by branch (`if …: cfg = Settings(…)` / `else: cfg = Settings(…)`, or `A(…) if … else B(…)`).
  const chosen = chosenObjects(r, s, at, defs);
  if (chosen !== null) return chosen;
  if (defs.length !== 1) return null;
  let d = defs[0]!;
  // The row variable read where its tests are: the read's, or the generator's of a held `next(…)`.
  let row = s;
  let rowAt = at;
  let held: readonly Cond[] = NO_CONDS;
  if (heldNext(r, d)) {
    // `p = next(x for x in PROVIDERS if x.env == conv.env)` (or with `None` as its default): the generator's rows.
    const nextAt: At = { scope: d.scope, stmt: d.stmt, frame: frameFor(at.frame, d.scope) };
    const gen = nextGenerator(r, d.start, d.end, nextAt);
    if (gen === null || gen.element[1] !== gen.element[0] + 1 || buf.kind[gen.element[0]] !== IDENT) return null;
    if (gen.fallback !== undefined && !(gen.fallback[1] === gen.fallback[0] + 1 && tokenIs(text, buf, gen.fallback[0], 'None'))) return null;
    const inner = r.ev.lookup(r, gen.element[0], nextAt);
    if (inner.length !== 1 || inner[0]!.kind !== DEF_FOR) return null;
    held = d.conds;
    row = gen.element[0];
    rowAt = nextAt;
    d = inner[0]!;
  } else if (d.kind === DEF_EXPR && d.unpack === undefined) {
    // `CRM = Provider("live", "crm_prod")` of a namedtuple, then `CRM.secret`: the field it is made with.
    const dAt: At = { scope: d.scope, stmt: d.stmt, frame: frameFor(at.frame, d.scope) };
    if (namedTupleFields(r, d.start, d.end, dAt) === null) return null;
    const values = r.ev.madeAttribute(r, d.start, d.end, nameAt(r, s + 2), s, dAt, at);
    return values === null ? null : values.map((p) => withConds(p, d.conds));
  } else if (d.kind !== DEF_FOR) return null;
  const name = nameAt(r, s + 2);
  const dAt: At = { scope: d.scope, stmt: d.stmt, frame: frameFor(rowAt.frame, d.scope) };
  const parts = loopParts(r, d.start, d.end, d.unpack ?? NO_PATH, dAt, loopRowConds(r, row, rowAt, d));
  const first = parts[0];
  if (first === undefined || first.s < 0 || first.comp || !isMade(r, first.s, first.e, first.at)) return null;
  const out: Alternative[] = [];
  const conds = joinConds(held, d.conds);
  for (const part of parts) {
    const values = part.s < 0 || part.comp ? null : r.ev.madeAttribute(r, part.s, part.e, name, s, part.at, at);
    if (values === null) unresolved(r, s, s + 3);
    for (const p of values) out.push(withConds(p, joinConds(conds, part.conds)));
    if (out.length > MAX_PATHS) unresolved(r, s, s + 3);
  }
  return out;
}

/**
 * `cfg.secret` where each definition of `cfg` reaching the read makes an object of a class of the
 * module, in a branch each (`if conv.env == "live": cfg = Settings(secret="crm_prod")`, `else: cfg =
 * Settings()`) or as a conditional expression of constructions (`Settings(…) if … else Other(…)`):
 * each one's attribute under the tests that choose it. Null when one definition makes something
 * else, and for one plain construction (the attribute's own rules read it: nameSetsExpr.ts).
 */
function chosenObjects(r: Resolver, s: number, at: At, defs: readonly Def[]): Alternative[] | null {
  if (defs.length === 0 || defs.some((d) => d.kind !== DEF_EXPR || d.unpack !== undefined)) return null;
  if (defs.length === 1) {
    const d = defs[0]!;
    const dAt: At = { scope: d.scope, stmt: d.stmt, frame: frameFor(at.frame, d.scope) };
    if (conditionalAt(r, d.start, d.end) === null && !(calledName(r, d.start, d.end) && !isMade(r, d.start, d.end, dAt))) return null;
  }
  const name = nameAt(r, s + 2);
  const out: Alternative[] = [];
  for (const d of defs) {
    const dAt: At = { scope: d.scope, stmt: d.stmt, frame: frameFor(at.frame, d.scope) };
    const values = madeValues(r, d.start, d.end, name, s, dAt, at);
    if (values === null) return null;
    for (const p of values) out.push(withConds(p, d.conds));
    if (out.length > MAX_PATHS) unresolved(r, s, s + 3);
  }
  return out;
}

/** The attribute `name` (read at s..s+2) of the object [a, b) makes: a construction, a conditional expression of them, or a call of the module's function returning them; null when a branch makes something else. */
export function madeValues(r: Resolver, a: number, b: number, name: string, s: number, dAt: At, at: At): Alternative[] | null {
  const wrap = parens(r, a, b);
  a += wrap;
  b -= wrap;
  if (isMade(r, a, b, dAt)) {
    const values = r.ev.madeAttribute(r, a, b, name, s, dAt, at);
    if (values === null) unresolved(r, s, s + 3);
    return values;
  }
  // `settings_for(conv)`: every `return` of the module's function, each a construction or a choice of them.
  if (calledName(r, a, b)) return returnedValues(r, a, b, name, s, dAt, at);
  // `LIVE` in `SETTINGS = {"live": LIVE, …}`, with `LIVE = Settings(…)`: what the name's definitions make.
  if (b === a + 1 && r.scan.buf.kind[a] === IDENT) return heldValues(r, a, name, s, dAt, at);
  const split = conditionalAt(r, a, b);
  if (split === null) return null;
  const [ifTok, elseTok] = split;
  const around = parens(r, ifTok + 1, elseTok);
  const c = testCond(r, ifTok + 1 + around, elseTok - around, dAt);
  const yes = madeValues(r, a, ifTok, name, s, dAt, at);
  if (yes === null) return null;
  const no = madeValues(r, elseTok + 1, b, name, s, dAt, at);
  if (no === null) return null;
  // Negated after the branch is read, as a conditional expression's test is (nameSetsExpr.ts).
  const fails = [negate(r, c)];
  return [...yes.map((p) => withConds(p, [c])), ...no.map((p) => withConds(p, fails))];
}

/** madeValues of the definitions of the name at `t` reaching `dAt`, each under its tests; null when one is anything but an expression, or the name is not the file's. */
function heldValues(r: Resolver, t: number, name: string, s: number, dAt: At, at: At): Alternative[] | null {
  const depth = r.depth;
  if (depth >= MAX_DEPTH) unresolved(r, s, s + 3);
  const defs = lookupOrNull(r, t, dAt, true);
  if (defs === null || defs.length === 0 || defs.some((d) => d.kind !== DEF_EXPR || d.unpack !== undefined)) return null;
  const out: Alternative[] = [];
  // Deeper by one while its definitions are read (`A = B`, `B = A` ends at MAX_DEPTH); put back on the way out, as expr does.
  r.depth++;
  for (const d of defs) {
    const values = madeValues(r, d.start, d.end, name, s, { scope: d.scope, stmt: d.stmt, frame: frameFor(dAt.frame, d.scope) }, at);
    if (values === null) {
      r.depth = depth;
      return null;
    }
    for (const p of values) out.push(withConds(p, d.conds));
    if (out.length > MAX_PATHS) unresolved(r, s, s + 3);
  }
  r.depth = depth;
  return out;
}

/** Whether [a, b) is a call of a name (`settings_for(conv)`) or of a name's attribute (`Settings.for_env(conv)`), not of an attribute's. */
function calledName(r: Resolver, a: number, b: number): boolean {
  const { buf } = r.scan;
  const open = isOp(buf, a + 1, OP_DOT) && buf.kind[a + 2] === IDENT ? a + 3 : a + 1;
  return buf.kind[a] === IDENT && isOpen(buf, open, CH_LPAREN) && buf.match[open] === b - 1 && !isOp(buf, a - 1, OP_DOT);
}

/** The attribute `name` of the objects the function called at [a, b) returns, each under the tests on the way to its `return`; null when it is no function of the module or a `return` makes anything else. */
function returnedValues(r: Resolver, a: number, b: number, name: string, s: number, dAt: At, at: At): Alternative[] | null {
  const out: Alternative[] = [];
  let made = true;
  const depth = r.depth;
  try {
    r.ev.returnsOf(r, a, r.scan.buf.match[b - 1]!, b - 1, dAt, (x, y, inside, conds) => {
      const values = made ? madeValues(r, x, y, name, s, inside, at) : null;
      if (values === null) made = false;
      else for (const p of values) out.push(withConds(p, conds));
      if (out.length > MAX_PATHS) unresolved(r, s, s + 3);
    });
  } catch (err) {
    // Not a function of the module, or one whose returns are not followed: the attribute's own rules.
    if (!(err instanceof Unresolved) || err.tooLarge) throw err;
    r.depth = depth;
    return null;
  }
  return made ? out : null;
}

/** The top-level `if` and its `else` of the conditional expression [a, b), or null when it is none. */
function conditionalAt(r: Resolver, a: number, b: number): [number, number] | null {
  const { text, buf } = r.scan;
  charge(r, b - a, a, b);
  let ifTok = -1;
  for (let t = a + 1; t < b && ifTok < 0; t = skipGroup(buf, t, b)) if (buf.kind[t] === IDENT && tokenIs(text, buf, t, 'if')) ifTok = t;
  if (ifTok < 0) return null;
  let nested = 0;
  for (let t = ifTok + 1; t < b; t = skipGroup(buf, t, b)) {
    if (buf.kind[t] !== IDENT) continue;
    if (tokenIs(text, buf, t, 'if')) nested++;
    else if (tokenIs(text, buf, t, 'else') && nested-- === 0) return [ifTok, t];
  }
  return null;
}

/**
 * The values of the loop variable at token `t` (`name` of `for env, name in ROWS:`; `row[1]` of
 * `for row in ROWS:` with `extra` [1]), bound by the loop `d` alone, where tests around the read
 * compare another part of the row with the environment (`if env == conv.env:`, `if row[0] ==
 * conv.env:`, a comprehension's `if e == conv.env`): each element's value on the test in the
 * environment its part names. Null where no such test is around the read (the plain loop's values).
 */
export function guardedLoopValues(r: Resolver, t: number, at: At, d: Def, extra: readonly number[]): Alternative[] | null {
  const guards = rowGuards(r, t, at, { row: null, def: d });
  if (guards.length === 0) return null;
  const dAt: At = { scope: d.scope, stmt: d.stmt, frame: frameFor(at.frame, d.scope) };
  const path = extra.length === 0 ? (d.unpack ?? NO_PATH) : [...(d.unpack ?? NO_PATH), ...extra];
  const out: Alternative[] = [];
  for (const p of loopValues(r, d.start, d.end, path, dAt, (el) => elementConds(r, el, guards))) out.push(withConds(p, d.conds));
  return out;
}

/** The guards' tests of each element of the loop `d` whose variable is read at token `t` (guardedLoopValues's), or undefined where there are none. */
export function loopRowConds(r: Resolver, t: number, at: At, d: Def): ((el: Elem) => readonly Cond[]) | undefined {
  const guards = rowGuards(r, t, at, { row: null, def: d });
  return guards.length === 0 ? undefined : (el) => elementConds(r, el, guards);
}

/** The guards' tests for one element of the loop: each where the element's compared part is a literal. */
function elementConds(r: Resolver, el: Elem, guards: readonly RowGuard[]): readonly Cond[] {
  let out: Cond[] | null = null;
  for (const g of guards) {
    const value = partLiteral(r, el, g);
    if (value !== null) (out ??= []).push(guardCond(r, g, value));
  }
  return out ?? NO_CONDS;
}

/** The literal the guard `g` compares in element `el` (one part, a string, or a dict's entry at its key), or null. */
function partLiteral(r: Resolver, el: Elem, g: RowGuard): string | null {
  const depth = r.depth;
  try {
    const parts = elementParts(r, el, g.path);
    if (parts.length !== 1 || parts[0]!.s < 0) return null;
    const part = parts[0]!;
    if (g.key === null) return stringValue(r, part.s, part.e);
    if (g.attr) {
      // An instance's attribute: one value, a literal with no test of its own.
      const values = r.ev.madeAttribute(r, part.s, part.e, g.key, part.s, part.at);
      return values !== null && values.length === 1 && values[0]!.when.length === 0 ? values[0]!.name : null;
    }
    const rows = containers(r, part.s, part.e, part.at, NO_CONDS);
    return rows.length === 1 ? entryValue(r, rows[0]!, g.key) : null;
  } catch (err) {
    // A row of another shape: no label for it (the read says what it cannot read).
    if (!(err instanceof Unresolved) || err.tooLarge) throw err;
    r.depth = depth; // left where the evaluation stopped (nameSetsExpr.ts's expr)
    return null;
  }
}
