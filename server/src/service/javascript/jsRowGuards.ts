// Tests that compare a loop's row with the environment, for the JavaScript / TypeScript name-set
// resolver: `for (const row of ROWS) { if (row.env === conv.env) … row.secret … }` runs each row's
// branch only in the environment the row's entry names, so the row's names are labelled with it
// (Python's nameSetsRows.ts does the same for `if row["env"] == conv.env:`).

import { environmentSet } from '../evaluate/envSet';
import { type Cond } from '../evaluate/values';
import { environmentOfLiteral } from '../../../../protocol/environments';
import { skipGroup } from '../scan/calls';
import { literalOf } from '../scan/literals';
import type { Span } from '../scan/types';
import { CH_LBRACKET, IDENT, OP, OP_CMP, OP_OTHER, STRING, isOpen } from '../scan/tokens';
import { ENV_FOLDED, ENV_NONE, envForm, stripGroup } from './jsNameSetsEnv';
import type { JsBinding } from './jsNameSetsIndex';
import { testsAt } from './jsNameSetsStatements';
import { entryByKey, span, type JsNames, type JsTable } from './jsNameSetsTypes';

/** `row.env === conv.env`: the row's key, how the environment is spelt, the test as written. */
export interface RowGuard {
  key: string;
  folded: boolean;
  text: string;
  span: Span;
}

const NO_GUARDS: RowGuard[] = [];

/**
 * The tests that hold on the way to token `tok` inside the loop binding `b` (its header and body)
 * and compare an entry of b's row with the environment: `row.env === conv.env`, `row['env'] ==
 * env` of an alias, either side, a part of an `&&`.
 */
export function rowGuards(s: JsNames, b: JsBinding, tok: number): RowGuard[] {
  if (b.ofFrom < 0 || b.ofPath !== undefined) return NO_GUARDS;
  let out: RowGuard[] | null = null;
  for (const test of testsAt(s.ix, tok, s.walks)) {
    if (!test.holds || test.switch !== undefined || test.from < b.scopeFrom || test.to > b.scopeTo) continue;
    for (const guard of testGuards(s, b.name, test.from, test.to)) (out ??= []).push(guard);
  }
  return out ?? NO_GUARDS;
}

/** The tests of the row `name` among the `&&` parts of the test [from, to). */
export function testGuards(s: JsNames, name: string, from: number, to: number): RowGuard[] {
  const { buf, text } = s.ix;
  let out: RowGuard[] | null = null;
  let part = from;
  for (let k = from; k <= to; k = k < to ? skipGroup(buf, k, to) : k + 1) {
    const and = k < to && buf.kind[k] === OP && buf.aux[k] === OP_OTHER && buf.end[k]! - buf.start[k]! === 2 && text.charCodeAt(buf.start[k]!) === 38;
    if (k < to && !and) continue;
    const guard = comparison(s, name, part, k);
    if (guard !== null) (out ??= []).push(guard);
    part = k + 1;
  }
  return out ?? NO_GUARDS;
}

/** The part [a, e) as `name.K === ENV` / `name['K'] == ENV` or the other way round, or null. */
function comparison(s: JsNames, name: string, a0: number, e0: number): RowGuard | null {
  const { ix } = s;
  const { buf, text } = ix;
  const [a, e] = stripGroup(ix, a0, e0);
  let op = -1;
  for (let k = a; k < e; k = skipGroup(buf, k, e)) {
    if (buf.kind[k] !== OP) continue;
    // `row.env === conv.env || x`, `… ? … : …`: the comparison is an operand of something looser.
    const c = text.charCodeAt(buf.start[k]!);
    if (buf.aux[k] !== OP_CMP && (c === 63 || (c === 124 && buf.end[k]! - buf.start[k]! === 2))) return null;
    if (buf.aux[k] === OP_CMP && c === 61) op = k;
  }
  if (op < 0) return null;
  const left = rowKey(s, name, a, op);
  const key = left ?? rowKey(s, name, op + 1, e);
  if (key === null) return null;
  const form = left !== null ? envForm(ix, op + 1, e) : envForm(ix, a, op);
  if (form === ENV_NONE) return null;
  return { key, folded: form === ENV_FOLDED, text: text.slice(buf.start[a]!, buf.end[e - 1]!), span: span(s, a, e) };
}

/** The key K of `name.K` / `name['K']` at [a, e), or null. */
function rowKey(s: JsNames, name: string, a0: number, e0: number): string | null {
  const { ix } = s;
  const { buf, text } = ix;
  const [a, e] = stripGroup(ix, a0, e0);
  if (buf.kind[a] !== IDENT || ix.word(a) !== name) return null;
  if (e === a + 3 && ix.isDot(a + 1) && buf.kind[a + 2] === IDENT) return ix.word(a + 2);
  if (e === a + 4 && isOpen(buf, a + 1, CH_LBRACKET) && buf.kind[a + 2] === STRING) return literalOf(text, buf, a + 2, a + 3, false).value;
  return null;
}

/** The tests `guards` for the row `t`: each in the environment its entry names (none where that is no string literal). */
export function guardConds(s: JsNames, t: JsTable, guards: readonly RowGuard[]): Cond[] {
  const { buf, text } = s.ix;
  const out: Cond[] = [];
  for (const g of guards) {
    const entry = entryByKey(t.entries, g.key);
    if (entry === undefined || entry.to !== entry.from + 1 || buf.kind[entry.from] !== STRING) continue;
    const value = literalOf(text, buf, entry.from, entry.to, false).value;
    if (value === null) continue;
    out.push({ text: g.text, span: g.span, holds: true, env: environmentSet(s, environmentOfLiteral(value, g.folded)) });
  }
  return out;
}
