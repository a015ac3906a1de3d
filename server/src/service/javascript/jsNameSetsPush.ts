// An array built in place, for the JavaScript / TypeScript name-set resolver's iteration
// (jsNameSetsTables.ts's chosenTables), as Python's lists built by `.append` are
// (python/nameSetsAppend.ts): `const names = [];`, then `names.push('crm_api')` in the same function,
// before the array is read, each pushed element on the tests on the way to its call (`if
// (conv.env === 'live') names.push('x')`: `x` in `live`). Any other change of the array
// (jsNameSetsChanges.ts's), a push after the read, in another function or a callback, or of a
// spread (`...more`) leaves it unknown, as it was.

import { testsAt } from './jsNameSetsStatements';
import { testEnvironments, usesInScope } from './jsNameSetsExpr';
import { changesAt } from './jsNameSetsChanges';
import type { JsBinding } from './jsNameSetsIndex';
import { A_TABLE, condition, fail, MAX_ALTS, span, type JsNames, type JsTable } from './jsNameSetsTypes';
import { CH_LBRACE, CH_LPAREN, OP_ELLIPSIS, isOp, isOpen } from '../scan/tokens';
import { itemEnd } from '../scan/calls';
import { charge } from '../evaluate/evaluation';

/**
 * The elements `b.push(…)` calls add to the array `b` is bound to, read at token `read`: one table
 * per call, of its arguments, on the tests on the way to it; null when nothing pushes to it (the
 * array is read as it is written, or as its other changes say). Fails the read when a push is not
 * one these rules follow, or the array is also changed otherwise.
 */
export function pushedTables(r: JsNames, b: JsBinding, read: number): JsTable[] | null {
  const { ix } = r;
  const { buf } = ix;
  const { calls, other } = changesOf(r, b);
  if (calls === null) return null;
  // Another change: quoted as far as its call (`names.unshift('b')`), or its name.
  if (other >= 0) return fail(r, other, ix.isDot(other + 1) && isOpen(buf, other + 3, CH_LPAREN) && buf.match[other + 3]! > 0 ? buf.match[other + 3]! + 1 : other + 1);
  const home = functionBody(r, b.tok);
  // A module's array read in a function: the module's statements have all run by then.
  const anyOrder = home === -1 && functionBody(r, read) !== -1;
  const out: JsTable[] = [];
  if (calls.length > MAX_ALTS) return fail(r, read, read + 1);
  for (const t of calls) {
    if ((!anyOrder && t > read) || !inBlocksOf(r, t, home)) return fail(r, t, buf.match[t + 3]! + 1);
    const tests = testsAt(ix, t, r.walks);
    // The call's tokens and its tests, paid by each read that takes its elements (as a literal's are).
    charge(r, buf.match[t + 3]! - t + tests.length, t, buf.match[t + 3]! + 1);
    const conds = tests.map((test) => condition(r, test.from, test.to, test.holds, testEnvironments(r, test)));
    const close = buf.match[t + 3]!;
    const entries = [];
    for (let a = t + 4; a < close; ) {
      const end = argumentEnd(r, a, close);
      if (isOp(buf, a, OP_ELLIPSIS)) return fail(r, a, end);
      entries.push({ key: '', written: '', span: span(r, a, end), from: a, to: end, element: true, every: true as const });
      a = end + 1;
    }
    out.push({ entries, conds, none: A_TABLE });
  }
  return out;
}

/** The array's pushes (null: none) and its first other change (-1: none), by document and binding: found once, however many reads iterate it. */
function changesOf(r: JsNames, b: JsBinding): Changes {
  let byBinding = found.get(r);
  if (byBinding === undefined) found.set(r, (byBinding = new Map()));
  let known = byBinding.get(b);
  if (known !== undefined) return known;
  const { ix } = r;
  const { buf } = ix;
  known = { calls: null, other: -1 };
  for (const t of usesInScope(r, b)) {
    if (ix.isDot(t + 1) && ix.word(t + 2) === 'push' && isOpen(buf, t + 3, CH_LPAREN) && buf.match[t + 3]! > t + 3) (known.calls ??= []).push(t);
    else if (known.other < 0 && changesAt(r, b, t)) known.other = t;
  }
  byBinding.set(b, known);
  return known;
}

interface Changes {
  calls: number[] | null;
  other: number;
}

/** changesOf's answers (one document's, while it is analysed). */
const found = new WeakMap<JsNames, Map<JsBinding, Changes>>();

/** The end of the argument starting at `a` of a call whose `)` is `close`. */
function argumentEnd(r: JsNames, a: number, close: number): number {
  const { buf } = r.ix;
  return itemEnd(buf, a, close);
}

/** The `{` of the function body around token `t` (-1: the module's top level). */
function functionBody(r: JsNames, t: number): number {
  const { ix } = r;
  let p = ix.parent[t]!;
  while (p >= 0 && !ix.bodies.has(p)) p = ix.parent[p]!;
  return p;
}

/** Whether token `t` stands in blocks (`{…}` of `if`, loops, `try`) of the function body `home` (-1: the module), inside no other function, call or expression. */
function inBlocksOf(r: JsNames, t: number, home: number): boolean {
  const { ix } = r;
  for (let p = ix.parent[t]!; p !== home; p = ix.parent[p]!) {
    if (p < 0 || !isOpen(ix.buf, p, CH_LBRACE) || ix.bodies.has(p)) return false;
  }
  return true;
}
