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
export function pushedTables(s: JsNames, b: JsBinding, read: number): JsTable[] | null {
  const { ix } = s;
  const { buf } = ix;
  const { calls, other } = changesOf(s, b);
  if (calls === null) return null;
  // Another change: quoted as far as its call (`names.unshift('b')`), or its name.
  if (other >= 0) return fail(s, other, ix.isDot(other + 1) && isOpen(buf, other + 3, CH_LPAREN) && buf.match[other + 3]! > 0 ? buf.match[other + 3]! + 1 : other + 1);
  const home = functionBody(s, b.tok);
  // A module's array read in a function: the module's statements have all run by then.
  const anyOrder = home === -1 && functionBody(s, read) !== -1;
  const out: JsTable[] = [];
  if (calls.length > MAX_ALTS) return fail(s, read, read + 1);
  for (const t of calls) {
    if ((!anyOrder && t > read) || !inBlocksOf(s, t, home)) return fail(s, t, buf.match[t + 3]! + 1);
    const tests = testsAt(ix, t, s.walks);
    // The call's tokens and its tests, paid by each read that takes its elements (as a literal's are).
    charge(s, buf.match[t + 3]! - t + tests.length, t, buf.match[t + 3]! + 1);
    const conds = tests.map((test) => condition(s, test.from, test.to, test.holds, testEnvironments(s, test)));
    const close = buf.match[t + 3]!;
    const entries = [];
    for (let a = t + 4; a < close; ) {
      const end = argumentEnd(s, a, close);
      if (isOp(buf, a, OP_ELLIPSIS)) return fail(s, a, end);
      entries.push({ key: '', written: '', span: span(s, a, end), from: a, to: end, element: true, every: true as const });
      a = end + 1;
    }
    out.push({ entries, conds, none: A_TABLE });
  }
  return out;
}

/** The array's pushes (null: none) and its first other change (-1: none), by document and binding: found once, however many reads iterate it. */
function changesOf(s: JsNames, b: JsBinding): Changes {
  let byBinding = found.get(s);
  if (byBinding === undefined) found.set(s, (byBinding = new Map()));
  let known = byBinding.get(b);
  if (known !== undefined) return known;
  const { ix } = s;
  const { buf } = ix;
  known = { calls: null, other: -1 };
  for (const t of usesInScope(s, b)) {
    if (ix.isDot(t + 1) && ix.word(t + 2) === 'push' && isOpen(buf, t + 3, CH_LPAREN) && buf.match[t + 3]! > t + 3) (known.calls ??= []).push(t);
    else if (known.other < 0 && changesAt(s, b, t)) known.other = t;
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
function argumentEnd(s: JsNames, a: number, close: number): number {
  const { buf } = s.ix;
  return itemEnd(buf, a, close);
}

/** The `{` of the function body around token `t` (-1: the module's top level). */
function functionBody(s: JsNames, t: number): number {
  const { ix } = s;
  let p = ix.parent[t]!;
  while (p >= 0 && !ix.bodies.has(p)) p = ix.parent[p]!;
  return p;
}

/** Whether token `t` stands in blocks (`{…}` of `if`, loops, `try`) of the function body `home` (-1: the module), inside no other function, call or expression. */
function inBlocksOf(s: JsNames, t: number, home: number): boolean {
  const { ix } = s;
  for (let p = ix.parent[t]!; p !== home; p = ix.parent[p]!) {
    if (p < 0 || !isOpen(ix.buf, p, CH_LBRACE) || ix.bodies.has(p)) return false;
  }
  return true;
}
