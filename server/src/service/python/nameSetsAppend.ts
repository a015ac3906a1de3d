// A list built in place, for the name-set resolver's iteration (nameSetsIter.ts's containers):
// `names = []`, then `names.append("crm_api")` and `names.extend(("a", "b"))` as statements of the
// same function before the list is read. What each call adds is taken on the tests on the way to it
// (an append under `if conv.env == "live":` is in live only); any other change of the name
// anywhere in the file (`names[0] = …`, `names.insert(…)`, a call after the read, one in another
// function) leaves the list unknown, as it was. And a table's changes through a function of the
// file it is handed to (tableChanged).

import { tick, unresolved, Unresolved } from '../evaluate/evaluation';
import { type Cond } from '../evaluate/values';
import { boundInScope, enclosingScope, identsOf, reaching, statementEnd, statementOf, tableChange } from './nameSetsFlow';
import { boundMethod, definedScope, parametersOf } from './nameSetsCalls';
import { aliasStatements, isClassScope, nameAt, scopeOpenedBy, subscriptsOnly, tableChanges } from './nameSetsIndex';
import { skipGroup } from '../scan/calls';
import { type At, DEF_FUNCTION, type Def, type Resolver } from './nameSetsTypes';
import { scratch, statements as S } from './pythonRefsState';
import { CH_LBRACKET, CH_LPAREN, CLOSE, IDENT, OPEN, OP_ASSIGN, OP_COLON, OP_COMMA, OP_DOT, OP_POW, OP_STAR, isOp, isOpen, tokenIs } from '../scan/tokens';

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

/**
 * Where a table named `name` is changed: in place anywhere in the file (nameSetsIndex.ts's
 * tableChange), or handed whole to a function of the file that changes the parameter it is given
 * as (`patch(CONFIG)` with `def patch(t): t["live"] = …`, also through a function that one hands
 * it on to): the change, or the call. A function not of the file is taken to read what it is given.
 */
export function tableChanged(r: Resolver, name: string, scope = 0): [number, number] | null {
  return (local(r, scope) ? changedIn(r, name, scope) : tableChange(r, name)) ?? handedTo(r, name, scope);
}

/**
 * Where a table named `name` is handed whole to a function of the file that changes it (tableChanged):
 * the call, or null. `scope`: a function's, whose local it is (only its own statements and those of
 * the functions in it that do not bind the name count); the module's or a class's: any statement.
 */
export function handedTo(r: Resolver, name: string, scope = 0): [number, number] | null {
  const memo = (r.handed ??= new Map());
  const key = local(r, scope) ? `${scope} ${name}` : name;
  let known = memo.get(key);
  if (known === undefined) memo.set(key, (known = handedChange(r, name, local(r, scope) ? scope : -1, new Set())));
  return known;
}

/** Whether `scope` is a function's (a name bound there is its local). */
function local(r: Resolver, scope: number): boolean {
  return scope > 0 && !isClassScope(r, scope);
}

/**
 * Whether a statement of scope `sc` is in `scope` for `name`: `scope` itself, or a function in it
 * that does not bind the name; for -1 (the module's name), any but a function with a local of that name.
 */
function within(r: Resolver, name: string, sc: number, scope: number): boolean {
  if (scope < 0) return !local(r, sc) || !boundInScope(r, name, sc);
  return sc === scope || (nestedIn(r, sc, scope) && !boundInScope(r, name, sc));
}

/** How many functions a table may be handed through (`def a(t): b(t)`) before it is taken to be changed. */
const MAX_HANDED = 4;

/**
 * Where `name` (only in `scope`'s own statements, when not -1) is handed to a function of the file
 * that changes it: that call, or null. `seen`: the parameters on the way (by token), a function
 * handing it back to one of them (a recursion) adds nothing.
 */
function handedChange(r: Resolver, name: string, scope: number, seen: Set<number>): [number, number] | null {
  const { buf } = r.scan;
  for (const t of handedTokens(r, name)) {
    tick(r, t, t + 1);
    const stmt = statementOf(t);
    if (!within(r, name, S.scope[stmt]!, scope)) continue;
    // `c = CONFIG` (or `c = CONFIG["live"]`): the table (or one inside it) changed through the other name.
    const first = S.start[stmt]!;
    if (t === first + 2 && buf.kind[first] === IDENT && isOp(buf, first + 1, OP_ASSIGN) && subscriptsOnly(r, t + 1, stmt)) {
      const alias = nameAt(r, first);
      if (seen.size >= MAX_HANDED) return [first, statementEnd(r, stmt)];
      // A function's local alias: its own changes (another function's `c` is another name); the module's: any.
      const own = S.scope[stmt]!;
      const other = (local(r, own) ? changedIn(r, alias, own) : tableChange(r, alias)) ?? (alias === name ? null : handedChange(r, alias, local(r, own) ? own : -1, seen));
      if (other !== null) return other;
      continue;
    }
    if (!(isOp(buf, t + 1, OP_COMMA) || buf.kind[t + 1] === CLOSE)) continue;
    const open = openingParen(r, t, S.start[stmt]!);
    if (open < 1 || buf.kind[open - 1] !== IDENT || buf.match[open]! < t) continue;
    const method = isOp(buf, open - 2, OP_DOT);
    const call: [number, number] = [method ? open - 3 : open - 1, buf.match[open]! + 1];
    for (const fn of calledScopes(r, open, { scope: S.scope[stmt]!, stmt, frame: null })) {
      const change = handedToScope(r, fn, open, t, call, seen);
      if (change !== null) return change;
    }
  }
  return null;
}

/**
 * The functions of the file a call opened at `open` may run: `f(…)`'s, or a method's (`self.m(…)`,
 * `Cls.m(…)`: each of the class's family that declares it); none when the callee is not of the
 * file (taken to read what it is given).
 */
function calledScopes(r: Resolver, open: number, at: At): number[] {
  const { buf } = r.scan;
  if (!isOp(buf, open - 2, OP_DOT)) {
    const fn = definedScope(r, open - 1, at);
    return fn < 0 ? [] : [fn];
  }
  if (buf.kind[open - 3] !== IDENT || isOp(buf, open - 4, OP_DOT)) return [];
  const depth = r.depth;
  try {
    return r.ev.attribute(r, open - 3, at).flatMap((d) => (d.kind === DEF_FUNCTION ? [scopeOpenedBy(r, d.stmt)] : [])).filter((fn) => fn >= 0);
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
    r.depth = depth;
    return [];
  }
}

/** Where the function of scope `fn`, called at `open` with `t` among its arguments (`call` the call), changes what `t` names (handedChange): the call, or null. */
function handedToScope(r: Resolver, fn: number, open: number, t: number, call: [number, number], seen: Set<number>): [number, number] | null {
  const { buf } = r.scan;
  const params = parametersOf(r, fn);
  const position = isOp(buf, t - 1, OP_ASSIGN) ? -1 : positionOf(r, open, t);
  // After a `*spread` or a keyword: which parameter takes it is not known.
  if (position < 0 && !isOp(buf, t - 1, OP_ASSIGN)) return call;
  const param = position < 0 ? params.find((p) => p.name === nameAt(r, t - 2)) : params.find((p) => p.position === position + (boundMethod(r, fn, params) ? 1 : 0));
  if (param === undefined || seen.has(param.tok)) return null;
  if (seen.size >= MAX_HANDED || changedIn(r, param.name, fn) !== null) return call;
  seen.add(param.tok);
  const further = handedChange(r, param.name, fn, seen);
  seen.delete(param.tok);
  return further !== null ? call : null;
}

/**
 * The names written where a call may be given them whole (after `(`, `,` or a keyword's `=`, before
 * `,` or `)`) and the statements binding another name to one (`c = T`, `c = T["live"]`), by the
 * name's shape (shapeKey): where handedChange looks. Built the first time a table is asked about,
 * from the names the structure pass kept (scratch.handed; no string made).
 */
function handedIndex(r: Resolver): Map<number, number[]> {
  if (r.handedAt) return r.handedAt;
  const { text, buf, handedCount } = r.scan;
  const index = new Map<number, number[]>();
  const add = (t: number): void => {
    const key = shapeKey(text, buf.start[t]!, buf.end[t]!);
    const list = index.get(key);
    if (list) list.push(t);
    else index.set(key, [t]);
  };
  r.budget.charge(handedCount >> 6);
  const handed = scratch.handed;
  for (let i = 0; i < handedCount; i++) add(handed[i]!);
  for (const stmt of aliasStatements(r)) add(S.start[stmt]! + 2);
  return (r.handedAt = index);
}

/** handedIndex's tokens spelling `name`. */
function handedTokens(r: Resolver, name: string): readonly number[] {
  const { text, buf } = r.scan;
  const list = handedIndex(r).get(shapeKey(name, 0, name.length));
  return list === undefined ? NO_TOKENS : list.filter((t) => tokenIs(text, buf, t, name));
}

const NO_TOKENS: readonly number[] = [];

/**
 * handedIndex's key of a name: its length and its first and last characters, read in constant time
 * (a hash of every character cost more than the rest of the pass); names that share one are told
 * apart when a name is asked (handedTokens).
 */
function shapeKey(text: string, from: number, to: number): number {
  return (((to - from) * 65599 + text.charCodeAt(from)) * 65599 + text.charCodeAt(to - 1)) & 0x3fffffff;
}

/**
 * The `(` of the call of which token `t` (in a statement starting at `first`) is a whole argument
 * (`f(T)`, `f(a, T)`, `f(table=T)`): found back past the arguments before it; -1 when it is none.
 */
function openingParen(r: Resolver, t: number, first: number): number {
  const { buf } = r.scan;
  let k = t - 1;
  if (isOp(buf, k, OP_ASSIGN) && buf.kind[k - 1] === IDENT) k -= 2; // `f(table=CONFIG)`: the keyword and its `=`
  if (!isOp(buf, k, OP_COMMA) && !isOpen(buf, k, CH_LPAREN)) return -1;
  while (k >= first) {
    if (buf.kind[k] === OPEN) return isOpen(buf, k, CH_LPAREN) ? k : -1;
    k = buf.kind[k] === CLOSE && buf.match[k]! >= 0 ? buf.match[k]! - 1 : k - 1;
  }
  return -1;
}

/** The position of the argument at `t` among the positional arguments of the call opened at `open` (-1: after a keyword or a star). */
function positionOf(r: Resolver, open: number, t: number): number {
  const { buf } = r.scan;
  let position = 0;
  let part = open + 1;
  for (let k = open + 1; k < t; k = skipGroup(buf, k, t)) {
    if (!isOp(buf, k, OP_COMMA)) continue;
    if ((buf.kind[part] === IDENT && isOp(buf, part + 1, OP_ASSIGN)) || isOp(buf, part, OP_STAR) || isOp(buf, part, OP_POW)) return -1;
    position++;
    part = k + 1;
  }
  return position;
}

/** An in-place change of a table named `name` (nameSetsIndex.ts's changes) in a statement of function `fn` or of a function in it that does not bind the name: the change, or null. */
function changedIn(r: Resolver, name: string, fn: number): [number, number] | null {
  for (const change of tableChanges(r, name)) {
    tick(r, change[0], change[0] + 1);
    if (within(r, name, S.scope[statementOf(change[0])]!, fn)) return change;
  }
  return null;
}
