// Rows that are dicts for the name-set resolver: a loop's variable, a parameter or an unpacked
// part holding dicts (`for p in PROVIDERS:` over `[{"label": "CRM", "secret": "crm_api"}, …]`), read
// by a key (`p["secret"]`, `p.get("secret", d)`), each row's entry on the row's tests; and the
// tests around the read that compare one of the row's entries with the environment
// (`if row["env"] == conv.env:`), which hold for each row in the environment its entry names.

import { environmentSet, joinConds, withConds } from '../evaluate/envSet';
import { charge, spanOf, textOf, unresolved } from '../evaluate/evaluation';
import { type Alternative, type Cond, NO_CONDS } from '../evaluate/values';
import { environmentOfLiteral } from '../../../../protocol/environments';
import { skipGroup } from '../scan/calls';
import type { Span } from '../scan/types';
import { SK_ELIF, SK_FOR, SK_IF } from './keyFlow';
import { ENV_FOLDED, ENV_NONE, envForm, hasWord, splitWord, stringValue } from './nameSetsEnv';
import { clauses, type Container, containers } from './nameSetsIter';
import { nameAt } from './nameSetsIndex';
import { type At, MAX_PATHS, type Resolver } from './nameSetsTypes';
import { statements as S } from './pythonRefsState';
import { CH_LBRACKET, CH_LPAREN, CLOSE, IDENT, OP, OPEN, OP_CMP, OP_COLON, OP_DOT, isOp, isOpen, tokenIs } from '../scan/tokens';

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
  const guards = rowGuards(r, t, at);
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

/** A test of the environment against a row's entry (`row["env"] == conv.env`): the key, how the environment is spelt, the test as written. */
interface RowGuard {
  key: string;
  folded: boolean;
  text: string;
  span: Span;
}

/**
 * The tests around the read at `at` (the row variable's token `t`) that compare an entry of the
 * row with the environment (`row["env"] == conv.env`, `row.get("env") == str(conv.env).lower()`,
 * either side, a part of an `and`): the `if` clauses of the comprehension that binds the variable
 * (`next(p["secret"] for p in ROWS if p["env"] == conv.env)`), or the `if` / `elif` headers around
 * the read inside the `for` that binds it. Each row then is read only in the environment its entry
 * names.
 */
function rowGuards(r: Resolver, t: number, at: At): RowGuard[] {
  const { buf } = r.scan;
  const name = nameAt(r, t);
  const out: RowGuard[] = [];
  // The groups around the read in its statement, innermost first.
  const first = S.start[at.stmt]!;
  for (let k = t - 1; k >= first; k--) {
    charge(r, 1);
    if (buf.kind[k] === CLOSE && buf.match[k]! >= first && buf.match[k]! < k) k = buf.match[k]!;
    else if (buf.kind[k] === OPEN && comprehensionGuards(r, name, k, at, out)) return out;
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
    testGuards(r, name, S.start[i]! + 1, isOp(buf, S.end[i]! - 1, OP_COLON) ? S.end[i]! - 1 : S.end[i]!, at, out);
  }
  return out.length === 0 ? NO_GUARDS : out;
}

/**
 * Whether the group opened at `g` is a comprehension with a `for` clause binding `name`; if so its
 * `if` clauses after that one are tests of the row (added to `out`).
 */
function comprehensionGuards(r: Resolver, name: string, g: number, at: At, out: RowGuard[]): boolean {
  const { text, buf } = r.scan;
  const cl = clauses(r, g);
  let bound = false;
  for (let i = 0; i < cl.length - 1; i++) {
    const c = cl[i]!;
    if (tokenIs(text, buf, c, 'for')) {
      for (let k = c + 1; k < cl[i + 1]! && !tokenIs(text, buf, k, 'in'); k++) if (buf.kind[k] === IDENT && nameAt(r, k) === name) bound = true;
    } else if (bound && tokenIs(text, buf, c, 'if')) testGuards(r, name, c + 1, cl[i + 1]!, at, out);
  }
  return bound;
}

/** The tests of the row `name` among the `and` parts of the test [s, e), added to `out`. */
function testGuards(r: Resolver, name: string, s: number, e: number, at: At, out: RowGuard[]): void {
  const { text, buf } = r.scan;
  for (const [a, b] of splitWord(r, s, e, 'and')) {
    // `row["env"] == conv.env or x`, `not …`, `… if … else …`: the comparison is an operand of something looser.
    if (tokenIs(text, buf, a, 'not') || hasWord(r, a, b, 'or') || hasWord(r, a, b, 'if')) continue;
    let op = -1;
    for (let k = a; k < b; k = skipGroup(buf, k, b)) if (buf.kind[k] === OP && buf.aux[k] === OP_CMP && buf.end[k]! - buf.start[k]! === 2 && text.charCodeAt(buf.start[k]!) === 61) op = k;
    if (op < 0) continue;
    const guard = rowGuard(r, name, a, op, op + 1, b, a, b, at) ?? rowGuard(r, name, op + 1, b, a, op, a, b, at);
    if (guard !== null) out.push(guard);
  }
}

const NO_GUARDS: RowGuard[] = [];

/**
 * `name[K]` / `name.get(K)` at [a, b) compared by `==` with an environment expression at [c, d),
 * the test [a0, b0) written either way round: the guard, or null.
 */
function rowGuard(r: Resolver, name: string, a: number, b: number, c: number, d: number, a0: number, b0: number, at: At): RowGuard | null {
  const { buf } = r.scan;
  if (buf.kind[a] !== IDENT || nameAt(r, a) !== name) return null;
  let key: string | null = null;
  if (isOpen(buf, a + 1, CH_LBRACKET) && buf.match[a + 1] === b - 1) key = stringValue(r, a + 2, b - 1);
  else if (isOp(buf, a + 1, OP_DOT) && a + 4 < b && tokenIs(r.scan.text, buf, a + 2, 'get') && isOpen(buf, a + 3, CH_LPAREN) && buf.match[a + 3] === b - 1) key = stringValue(r, a + 4, b - 1);
  if (key === null) return null;
  const form = envForm(r, c, d, at);
  if (form === ENV_NONE) return null;
  return { key, folded: form === ENV_FOLDED, text: textOf(r, a0, b0), span: spanOf(r, a0, b0) };
}

/** The tests `guards` for one row: each in the environment its entry names (none where the entry is not a literal). */
function guardConds(r: Resolver, row: Container, guards: readonly RowGuard[]): Cond[] {
  const out: Cond[] = [];
  for (const g of guards) {
    const k = row.keys.findIndex(([a, b]) => stringValue(r, a, b) === g.key);
    const entry = k < 0 ? null : row.entries[k]!;
    const value = entry === null ? null : stringValue(r, entry[0], entry[1]);
    if (value === null) continue;
    out.push({ text: g.text, span: g.span, holds: true, env: environmentSet(r, environmentOfLiteral(value, g.folded)) });
  }
  return out;
}
