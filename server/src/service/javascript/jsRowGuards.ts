// Tests that compare a loop's row with the environment, for the JavaScript / TypeScript name-set
// resolver: `for (const row of ROWS) { if (row.env === conv.env) … row.secret … }`, `for (const
// [env, name] of ROWS) { if (env === conv.env) … name … }`, `ROWS.find(([env]) => env === conv.env)`
// run each row's branch only in the environment the row's part names, so the row's names are
// labelled with it (Python's nameSetsRows.ts does the same for `if row["env"] == conv.env:`).

import { environmentSet } from '../evaluate/envSet';
import { type Cond } from '../evaluate/values';
import { environmentOfLiteral } from '../../../../protocol/environments';
import { skipGroup } from '../scan/calls';
import { literalOf } from '../scan/literals';
import type { Span } from '../scan/types';
import { CH_LBRACKET, IDENT, NUMBER, OP, OP_CMP, OP_OTHER, STRING, isOpen } from '../scan/tokens';
import { ENV_FOLDED, ENV_NONE, envForm, stripGroup } from './jsNameSetsEnv';
import { assigned, find } from './jsNameSetsExpr';
import type { JsBinding, RowPath } from './jsNameSetsIndex';
import { testsAt } from './jsNameSetsStatements';
import { span, type JsNames, type TableEntry } from './jsNameSetsTypes';

/**
 * A test of the environment against a part of the row: where the compared part sits in each
 * element (`row.env`: ['env']; `env` of `for (const [env, name] of ROWS)`: [0]; `row[0]`: [0]), how
 * the environment is spelt, the test as written.
 */
export interface RowGuard {
  path: RowPath;
  folded: boolean;
  text: string;
  span: Span;
}

/** Whether a binding is a name of the row (the loop's variable or a part of its pattern, a callback's parameter or a part of it). */
export type OfRow = (b: JsBinding) => boolean;

/** No guards (shared: never changed). */
export const NO_ROW_GUARDS: readonly RowGuard[] = [];

/**
 * The tests that hold on the way to token `tok` inside the loop binding `b` (its header and body)
 * and compare a part of b's row with the environment: `row.env === conv.env`, `row['env'] == env`
 * of an alias, `env === conv.env` of `for (const [env, name] of ROWS)`, `row[0] === conv.env`,
 * either side, a part of an `&&`.
 */
export function rowGuards(r: JsNames, b: JsBinding, tok: number): readonly RowGuard[] {
  if (b.ofFrom < 0 || !r.mentionsEnv) return NO_ROW_GUARDS;
  let out: RowGuard[] | null = null;
  const ofRow: OfRow = (x) => x.ofFrom === b.ofFrom && x.ofTo === b.ofTo && x.ofKeys === b.ofKeys;
  for (const test of testsAt(r.ix, tok, r.walks)) {
    if (!test.holds || test.switch !== undefined || test.from < b.scopeFrom || test.to > b.scopeTo) continue;
    for (const guard of testGuards(r, ofRow, test.from, test.to)) (out ??= []).push(guard);
  }
  return out ?? NO_ROW_GUARDS;
}

/** The tests of the row (the names `ofRow` accepts) among the `&&` parts of the test [from, to). */
export function testGuards(r: JsNames, ofRow: OfRow, from: number, to: number): readonly RowGuard[] {
  const { buf, text } = r.ix;
  let out: RowGuard[] | null = null;
  let part = from;
  for (let k = from; k <= to; k = k < to ? skipGroup(buf, k, to) : k + 1) {
    const and = k < to && buf.kind[k] === OP && buf.aux[k] === OP_OTHER && buf.end[k]! - buf.start[k]! === 2 && text.charCodeAt(buf.start[k]!) === 38;
    if (k < to && !and) continue;
    const guard = comparison(r, ofRow, part, k);
    if (guard !== null) (out ??= []).push(guard);
    part = k + 1;
  }
  return out ?? NO_ROW_GUARDS;
}

/** The part [a, e) as `ROW_PART === ENV` or the other way round, or null. */
function comparison(r: JsNames, ofRow: OfRow, a0: number, e0: number): RowGuard | null {
  const { ix } = r;
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
  const left = rowPart(r, ofRow, a, op);
  const path = left ?? rowPart(r, ofRow, op + 1, e);
  if (path === null) return null;
  const form = left !== null ? envForm(ix, op + 1, e) : envForm(ix, a, op);
  if (form === ENV_NONE) return null;
  return { path, folded: form === ENV_FOLDED, text: text.slice(buf.start[a]!, buf.end[e - 1]!), span: span(r, a, e) };
}

/** Where [a, e) is in the row: a name of the row (`env`), or one with a key or index after it (`row.env`, `row['env']`, `row[0]`); null otherwise. */
function rowPart(r: JsNames, ofRow: OfRow, a0: number, e0: number): RowPath | null {
  const { ix } = r;
  const { buf, text } = ix;
  const [a, e] = stripGroup(ix, a0, e0);
  if (buf.kind[a] !== IDENT) return null;
  let step: string | number | null = null;
  if (e === a + 3 && ix.isDot(a + 1) && buf.kind[a + 2] === IDENT) step = ix.word(a + 2);
  else if (e === a + 4 && isOpen(buf, a + 1, CH_LBRACKET) && buf.kind[a + 2] === STRING) step = literalOf(text, buf, a + 2, a + 3, false).value;
  else if (e === a + 4 && isOpen(buf, a + 1, CH_LBRACKET) && buf.kind[a + 2] === NUMBER) step = arrayIndex(ix.word(a + 2));
  else if (e !== a + 1) return null;
  if (e !== a + 1 && step === null) return null;
  const b = find(r, ix.word(a), a);
  // A name given another value in the body (`for (let [env] of ROWS) { env = … }`) is no part of the row.
  if (b === null || !ofRow(b) || assigned(r, b)) return null;
  const path = b.ofPath ?? NO_PATH;
  return step === null ? path : [...path, step];
}

const NO_PATH: RowPath = [];

/** A decimal array index written as a number (`0`, `12`), or null. */
function arrayIndex(written: string): number | null {
  return /^(?:0|[1-9]\d{0,5})$/.test(written) ? Number(written) : null;
}

/**
 * The guards' tests for one element of a loop or callback (its literal entry `entry`; `key` the
 * element's key where `Object.entries` made it a pair): each in the environment the element's
 * compared part names, where `literalAt` finds that part a string literal.
 */
export function elementConds(r: JsNames, entry: TableEntry, key: string | null, guards: readonly RowGuard[], literalAt: (entry: TableEntry, path: RowPath) => string | null): Cond[] {
  const out: Cond[] = [];
  for (const g of guards) {
    let value: string | null = null;
    if (key !== null && g.path.length === 1 && g.path[0] === 0) value = key;
    else {
      const path = key === null ? g.path : g.path[0] === 1 ? g.path.slice(1) : null;
      if (path !== null) value = literalAt(entry, path);
    }
    if (value !== null) out.push({ text: g.text, span: g.span, holds: true, env: environmentSet(r, environmentOfLiteral(value, g.folded)) });
  }
  return out;
}
