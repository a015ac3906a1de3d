// A list built in place, for the name-set resolver's iteration (nameSetsIter.ts's containers):
// `names = []`, then `names.append("crm_api")` and `names.extend(("a", "b"))` as statements of the
// same function before the list is read. What each call adds is taken on the tests on the way to it
// (an append under `if conv.env == "live":` is in live only); any other change of the name
// anywhere in the file (`names[0] = …`, `names.insert(…)`, a call after the read, one in another
// function) leaves the list unknown, as it was.

import { tick, unresolved } from '../evaluate/evaluation';
import { type Cond } from '../evaluate/values';
import { boundInScope, enclosingScope, identsOf, reaching, statementEnd, statementOf } from './nameSetsFlow';
import { type At, type Def, type Resolver } from './nameSetsTypes';
import { statements as S } from './pythonRefsState';
import { CH_LBRACKET, CH_LPAREN, IDENT, OP_ASSIGN, OP_COLON, OP_COMMA, OP_DOT, isOp, isOpen, tokenIs } from '../scan/tokens';

/** What one call adds: tokens [from, to) are one element (`append`) or a container of them (`extend`), on the tests `conds` on the way to it. */
export interface Added {
  from: number;
  to: number;
  whole: boolean;
  at: At;
  conds: readonly Cond[];
}

/**
 * The appends and extends of the list named `name`, read at `at` and bound there by `defs` (each a
 * plain assignment in the read's scope): every statement of the file that starts with the name and
 * is no assignment to it must be `name.append(x)` / `name.extend(xs)` in that scope, after every
 * binding and before the read; otherwise the read is unknown (the first such change quoted).
 */
export function appended(r: Resolver, name: string, defs: readonly Def[], at: At, changed: readonly [number, number]): Added[] {
  const { text, buf } = r.scan;
  // The scope that binds it: the read's, or the module's for a read in a function (the module's
  // statements run before any function does: its calls count wherever they stand).
  const scope = defs.length > 0 ? defs[0]!.scope : -1;
  const fromModule = scope === 0 && at.scope !== 0;
  let lastDef = -1;
  for (const d of defs) {
    if (d.scope !== scope || (scope !== at.scope && !fromModule)) unresolved(r, changed[0], changed[1]);
    if (d.stmt > lastDef) lastDef = d.stmt;
  }
  const out: Added[] = [];
  for (const t of identsOf(r, name)) {
    tick(r, t, t + 1);
    if (isOp(buf, t - 1, OP_DOT)) continue; // `x.names`: another object's attribute
    const stmt = statementOf(t);
    // Another function's own `names`, or one unrelated to this function's local list: not this list.
    const sc = S.scope[stmt]!;
    if (sc !== scope && (!nestedIn(r, sc, scope) || boundInScope(r, name, sc))) continue;
    const first = S.start[stmt]!;
    // `del names[0]`, `del names`: a change.
    if (first === t - 1 && tokenIs(text, buf, first, 'del')) unresolved(r, first, statementEnd(r, stmt));
    // A read, or a binding (`names = …`, `names: list[str] = …`, `names, rest = …`: the defs).
    if (first !== t || isOp(buf, t + 1, OP_ASSIGN) || isOp(buf, t + 1, OP_COLON) || isOp(buf, t + 1, OP_COMMA)) continue;
    const end = statementEnd(r, stmt);
    const method = isOp(buf, t + 1, OP_DOT) && buf.kind[t + 2] === IDENT && isOpen(buf, t + 3, CH_LPAREN) ? text.slice(buf.start[t + 2]!, buf.end[t + 2]!) : '';
    const close = method === '' ? -1 : buf.match[t + 3]!;
    if (method !== 'append' && method !== 'extend') {
      // Not a change at all (`names.count("x")`, `names`): nothing added. A change: unknown, quoted as nameSetsIndex.ts's changes are.
      if (!changes(r, t, end)) continue;
      unresolved(r, t, changedEnd(r, t, end, close));
    }
    // One call as the whole statement, in the binding's scope, after its bindings (and before the read in the same scope).
    if (close !== end - 1 || close === t + 4 || S.scope[stmt] !== scope || stmt <= lastDef || (!fromModule && stmt >= at.stmt)) unresolved(r, t, end);
    const callAt: At = { scope, stmt, frame: fromModule ? null : at.frame };
    out.push({ from: t + 4, to: close, whole: method === 'extend', at: callAt, conds: reaching(r, scope, null, stmt).path });
  }
  return out;
}

/** Whether scope `inner` is `outer` or inside it (every scope is inside the module's). */
function nestedIn(r: Resolver, inner: number, outer: number): boolean {
  if (outer === 0) return true;
  for (let x = inner; x > 0; x = enclosingScope(r, x)) if (x === outer) return true;
  return false;
}

/** Whether the statement [t, end), starting with the list's name, changes it in place (nameSetsIndex.ts's changes: a subscript written, `+=`, a method that changes it). */
function changes(r: Resolver, t: number, end: number): boolean {
  const { buf } = r.scan;
  if (end === t + 1) return false;
  if (isOp(buf, t + 1, OP_DOT)) return MUTATING.has(r.scan.text.slice(buf.start[t + 2]!, buf.end[t + 2]!)) && isOpen(buf, t + 3, CH_LPAREN);
  // `names[0] = …`, `names += […]`, `names[0].append(…)`: anything else after the name is a change.
  return true;
}

/** The end of the change at `t` as quoted: the target written (`names[0][1]`), `names +=`, or the method's call. */
function changedEnd(r: Resolver, t: number, end: number, close: number): number {
  const { buf } = r.scan;
  if (close > 0) return close + 1;
  let k = t + 1;
  while (isOpen(buf, k, CH_LBRACKET) && buf.match[k]! > k) k = buf.match[k]! + 1;
  // `names[0].append(…)`: a container inside it changed, the call quoted too.
  if (k > t + 1 && isOp(buf, k, OP_DOT) && buf.kind[k + 1] === IDENT && isOpen(buf, k + 2, CH_LPAREN) && buf.match[k + 2]! > k) return buf.match[k + 2]! + 1;
  return k > t + 1 ? k : Math.min(t + 2, end);
}

/** The methods of a list, dict or set that change it in place. */
const MUTATING = new Set(['append', 'extend', 'insert', 'remove', 'pop', 'clear', 'sort', 'reverse', 'update', 'setdefault', 'add', 'discard', 'popitem', 'difference_update', 'intersection_update', 'symmetric_difference_update']);
