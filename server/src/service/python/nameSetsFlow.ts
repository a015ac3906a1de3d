// Reaching definitions for the name-set resolver: which assignments of one name reach a statement
// of a scope, each with the tests passed on a path from it to there (if/elif/else, match/case,
// try/except, loops; `return`/`raise` end a path), and the tests on the path to the statement
// itself. The walk follows the statements the structure pass recorded (pythonRefsStructure.ts);
// a definition that survives every branch of a test keeps no condition from it.

import { environmentSet, union, mergeConds, negate, withTest } from '../evaluate/envSet';
import { charge, spanOf, textOf, work, Unresolved } from '../evaluate/evaluation';
import { type EnvSet, type Cond, NO_CONDS } from '../evaluate/values';
import { skipGroup } from '../scan/calls';
import {
  SK_BREAK,
  SK_CASE,
  SK_CONTINUE,
  SK_DEF,
  SK_ELIF,
  SK_ELSE,
  SK_EXCEPT,
  SK_FINALLY,
  SK_FOR,
  SK_IF,
  SK_MATCH,
  SK_RETURN,
  SK_SIMPLE,
  SK_TRY,
  SK_WHILE,
  SK_WITH,
} from './keyFlow';
import { environmentOfLiteral } from '../../../../protocol/environments';
import { envSet, ENV_FOLDED, ENV_NONE, envForm, parens, splitWord, stringValue } from './nameSetsEnv';
import { targetPath, walrusEnd } from './nameSetsTargets';
import { type At, DEF_AUG, DEF_EXPR, DEF_FOR, DEF_FUNCTION, DEF_IMPORT, DEF_PARAM, DEF_UNKNOWN, DEF_UNPACK, type Def, type FlowResult, type Indexes, type Resolver } from './nameSetsTypes';
import { bindingIn, bindingsOf, firstStatement, isClassScope, parameterGroup, scopeStatements, statementOf } from './nameSetsIndex';
import { FIRST_STATEMENT, NO_DEFS, straightAhead, straightStop } from './nameSetsStraight';
import { statements as S } from './pythonRefsState';
import { IDENT, LINE, OP, OP_ASSIGN, OP_AUG, OP_COLON, OP_DOT, OP_SEMI, OP_WALRUS, STRING, isOp, tokenIs } from '../scan/tokens';

/** The statement list of a walk that runs no list (one statement, run directly). */
const NO_LIST: Indexes = Object.freeze([]);


interface State {
  /** null: no path reaches here. */
  defs: Def[] | null;
  path: readonly Cond[];
}

interface Walk {
  r: Resolver;
  scope: number;
  name: string | null;
  list: Indexes;
  /**
   * What reaches each statement of `list` (headers included), by its position there less `base`
   * (the first the walk runs: statements are run in order, and a walk may start late in a long
   * body); and the end of the scope.
   */
  record: Array<FlowResult | undefined>;
  base: number;
  end: FlowResult | null;
  /** The loops being run (made at the first): what leaves each by `break` or `continue`. */
  loops: State[][] | null;
  /** Set by each function that runs statements: the position after the last one it ran. */
  next: number;
}

/**
 * The definitions of `name` that reach statement `target` of `scope` (-1: the scope's end), and the
 * tests on the path there; `name` null: only the path.
 */
export function reaching(r: Resolver, scope: number, name: string | null, target: number): FlowResult {
  if (target === -1 && name !== null && (scope === 0 || isClassScope(r, scope))) {
    // The end of a module or class body (what its functions see): often just its last assignment.
    const endKey = nameKey(r, scope, name);
    let end = r.endMemo.get(endKey) as FlowResult | null | undefined;
    if (end === undefined) {
      end = null;
      const last = lastPlainBinding(r, scope, name);
      if (last >= 0) {
        const w: Walk = { r, scope, name, list: NO_LIST, loops: null, record: [], base: 0, end: null, next: 0 };
        const out =
          S.kind[last] === SK_DEF
            ? { defs: [{ kind: DEF_FUNCTION, start: S.start[last]!, end: S.end[last]!, stmt: last, scope, conds: NO_CONDS }], path: NO_CONDS }
            : simple(w, last, { defs: [], path: NO_CONDS });
        end = { defs: out.defs, path: NO_CONDS };
      }
      r.endMemo.set(endKey, end);
    }
    if (end) return end;
  }
  // The path to a function body's first statement has no test: known without a walk of the body
  // (a read in every function of a file would start one each, kept to the end of the document).
  if (name === null && target > 0 && scope > 0 && r.scan.scopeHeader[scope] === target - 1 && S.scope[target] === scope) {
    step(r);
    return FIRST_STATEMENT;
  }
  // One walk per scope and name, resumed as later statements are asked: each statement costs once.
  // The name-free walks (one per function read in) by their scope, the others by nameKey.
  const free = name === null && scope >= 0 ? (r.freeWalks ??= new Array<unknown>(r.scan.scopeCounter + 1)) : null;
  if (free !== null && scope < free.length && (target < 0 ? target === -1 : S.scope[target] === scope)) {
    const known = straightAhead(r, scope, target, free[scope] !== undefined);
    if (known !== null) return known;
  }
  const key = nameKey(r, scope, name);
  let walk = (free !== null && scope < free.length ? free[scope] : r.flowMemo.get(key)) as ScopeWalk | undefined;
  if (!walk) {
    walk = startWalk(r, scope, name);
    if (free !== null && scope < free.length) {
      free[scope] = walk;
      // It goes on from where the straight run stopped (the statements before it were run, and charged, there).
      const from = straightStop(r, scope);
      if (from !== null) {
        walk.p = placeIn(walk.w.list, from.next);
        walk.st = from.st;
      }
    } else r.flowMemo.set(key, walk);
  }
  return resume(walk, target);
}


/**
 * The memos' key for `name` in `scope`: the name's number times a bound on scope numbers (a scope
 * opens at a token), plus the scope; a small integer, where a string of both would be made per call.
 */
export function nameKey(r: Resolver, scope: number, name: string | null): number {
  let id = 0;
  if (name !== null) {
    id = r.nameIds.get(name) ?? 0;
    if (id === 0) {
      id = r.nameIds.size + 1;
      r.nameIds.set(name, id);
    }
  }
  return id * (r.scan.count + 2) + scope;
}

/** A walk over a scope's statements for one name, resumable at its top level. */
interface ScopeWalk {
  w: Walk;
  /** The next top-level statement to run, and the state before it. */
  p: number;
  st: State;
  /** Statements before this one are before the walk's start: the initial definitions reach them, on the path the name-free walk found. */
  before: number;
  initial: Def[];
  /**
   * The statement whose run last ran out of steps, and the steps it had: run again with no more,
   * it runs out again (the same walk, the same work, over a file's environments that only grow).
   */
  short?: { p: number; steps: number };
}

function startWalk(r: Resolver, scope: number, name: string | null): ScopeWalk {
  const list = scopeStatements(r, scope);
  const w: Walk = { r, scope, name, list, loops: null, record: [], base: 0, end: null, next: 0 };
  let initial: Def[] = NO_DEFS;
  if (name !== null && scope !== 0) {
    const params = parameterGroup(r, scope);
    if (params && bindingIn(r, name, params[0], params[1]) >= 0) {
      initial = [{ kind: DEF_PARAM, start: params[0], end: params[1], stmt: r.scan.scopeHeader[scope]!, scope, conds: NO_CONDS }];
    }
  }
  if (name === null || list.length === 0) return { w, p: 0, st: { defs: initial, path: NO_CONDS }, before: -1, initial };
  w.base = list.length;
  // Nothing before the top-level statement holding the name's first binding in the scope's body
  // changes what it holds: start there, on the path the name-free walk found to it.
  const header = scope === 0 ? -1 : r.scan.scopeHeader[scope]!;
  let first = -1;
  for (const b of bindingsOf(r, name, scope)) {
    if (statementOf(b) !== header) {
      first = b;
      break;
    }
  }
  if (first < 0) {
    const end = reaching(r, scope, null, -1);
    return { w, p: list.length, st: { defs: end.defs === null ? null : initial, path: end.path }, before: Infinity, initial };
  }
  const base = S.indent[list[0]!]!;
  const stmt = statementOf(first);
  let k = Math.max(0, placeIn(list, stmt + 1) - 1);
  while (k > 0 && S.indent[list[k]!]! > base) k--;
  w.base = k;
  const at = reaching(r, scope, null, list[k]!);
  return { w, p: k, st: { defs: at.defs === null ? null : initial, path: at.path }, before: list[k]!, initial };
}

function resume(walk: ScopeWalk, target: number): FlowResult {
  const { w } = walk;
  if (target >= 0 && target < walk.before) {
    const at = reaching(w.r, w.scope, null, target);
    return { defs: at.defs === null ? null : walk.initial, path: at.path };
  }
  // The target's position in the list (-1: the end, or a statement not in it: the walk runs to the end).
  let at = target < 0 ? -1 : placeIn(w.list, target);
  if (at >= w.list.length || w.list[at] !== target) at = -1;
  const done = at >= 0 ? recorded(w, at) : w.end;
  if (done) return done;
  while (walk.p < w.list.length && (at < 0 || recorded(w, at) === undefined)) {
    const steps = w.r.steps - work.n;
    // Charged what it had, without the run that would spend it (a long `elif` chain read by every read).
    if (walk.short !== undefined && walk.short.p === walk.p && steps <= walk.short.steps) charge(w.r, w.r.steps + 1);
    try {
      walk.st = runStatement(w, walk.p, walk.st);
    } catch (err) {
      if (err instanceof Unresolved && err.tooLarge) walk.short = { p: walk.p, steps };
      throw err;
    }
    walk.p = w.next;
  }
  if (walk.p >= w.list.length && w.end === null) w.end = { defs: walk.st.defs, path: walk.st.path };
  return (at >= 0 ? recorded(w, at) : undefined) ?? w.end!;
}

/**
 * The first position of `list` holding `x` or more (scan/tokens.ts's lowerBound, for a list that
 * may be a plain array: lowerBound is given typed arrays only, and stays fast for them).
 */
function placeIn(list: Indexes, x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keeps what reaches the statement at position `p` (the walk's positions only grow). */
function record(w: Walk, p: number, st: FlowResult): void {
  const k = p - w.base;
  // Made at the length of a short body at once (kept to the end of the document: pushed, it is made with room to grow).
  const room = w.list.length - w.base;
  if (w.record.length === 0 && room > k && room <= RECORD_AT_ONCE) w.record = new Array<FlowResult | undefined>(room);
  while (w.record.length < k) w.record.push(undefined);
  w.record[k] = st;
}

/** The longest body whose record is made at its length at once. */
const RECORD_AT_ONCE = 64;

function recorded(w: Walk, p: number): FlowResult | undefined {
  const k = p - w.base;
  return k >= 0 && k < w.record.length ? w.record[k] : undefined;
}

/**
 * When every binding of `name` in a module or class body is a statement at the body's own level
 * (no branch, loop or try around it), what it holds at the end is what the last one assigns: that
 * statement, found without walking the body; -1 otherwise.
 */
function lastPlainBinding(r: Resolver, scope: number, name: string): number {
  const first = firstStatement(r, scope);
  if (first < 0) return -1;
  const base = S.indent[first]!;
  let last = -1;
  for (const b of bindingsOf(r, name, scope)) {
    const i = statementOf(b);
    if (S.scope[i] !== scope || S.indent[i] !== base || (S.kind[i] !== SK_SIMPLE && S.kind[i] !== SK_DEF)) return -1;
    if (i > last) last = i;
  }
  return last;
}

function step(r: Resolver): void {
  r.steps -= 1 + work.n;
  work.n = 0;
  if (r.steps < 0) throw new Unresolved(null, 0, 0, true);
}

// The functions that run statements return the state after them and leave the position after
// them in `w.next` (no pair allocated per statement).

function runBlock(w: Walk, p0: number, st0: State): State {
  const { list } = w;
  const indent = S.indent[list[p0]!]!;
  let st = st0;
  let p = p0;
  while (p < list.length && S.indent[list[p]!]! >= indent) {
    st = runStatement(w, p, st);
    p = w.next;
  }
  w.next = p;
  return st;
}

/** The body after the header at position `q - 1`: statements indented more than `indent`. */
function body(w: Walk, q0: number, indent: number, st0: State): State {
  const { list } = w;
  let st = st0;
  let q = q0;
  while (q < list.length && S.indent[list[q]!]! > indent) {
    st = runBlock(w, q, st);
    q = w.next;
  }
  w.next = q;
  return st;
}

/** `d` where `conds` hold too: every field but its tests the same (a loop variable's place in the row, an unknown's reason). */
function copyDef(d: Def, conds: readonly Cond[]): Def {
  return { kind: d.kind, start: d.start, end: d.end, stmt: d.stmt, scope: d.scope, conds: mergeConds(d.conds, conds), base: d.base, origin: d, reason: d.reason, unpack: d.unpack };
}

/** The state on entering a branch taken where `conds` hold. */
function enter(st: State, conds: readonly Cond[]): State {
  if (st.defs === null || conds.length === 0) return st;
  // States and their lists are never changed in place: an empty list can be shared.
  work.n += st.defs.length;
  return { defs: st.defs.length === 0 ? st.defs : st.defs.map((d) => copyDef(d, conds)), path: mergeConds(st.path, conds) };
}

/** Joins the states at the ends of branches that started from `before`. */
function join(before: State, outs: State[]): State {
  let n = 0;
  let one: State | null = null;
  let none = true;
  for (const o of outs) {
    if (o.defs === null) continue;
    n++;
    one = o;
    if (o.defs.length > 0) none = false;
  }
  if (one === null) return { defs: null, path: before.path };
  // One branch goes on, or none holds a definition (a walk for the path alone): the state as it is.
  if (n === 1 && distinct(one.defs!)) return one;
  if (none) return { defs: one.defs, path: n === 1 ? one.path : before.path };
  const live = n === outs.length ? outs : outs.filter((o) => o.defs !== null);
  const path = live.length === 1 ? live[0]!.path : before.path;
  // A definition from before that every branch leaves as it entered (itself, or the copy made on
  // entering the branch) is taken on every path: none of the branches' tests applies to it.
  // Sets, so that a join costs what its lists hold (charged to the read), not their product.
  let kept: Set<Def> | null = null;
  if (before.defs !== null && before.defs.length > 0 && live.length > 1) {
    let left: Set<Def> = new Set(before.defs);
    for (const s of live) {
      const next = new Set<Def>();
      for (const d of s.defs!) {
        if (left.has(d)) next.add(d);
        else if (d.origin !== undefined && left.has(d.origin)) next.add(d.origin);
      }
      work.n += s.defs!.length;
      left = next;
    }
    kept = left;
  }
  const defs: Def[] = [];
  const seen = new Set<Def>();
  for (const s of live) {
    work.n += s.defs!.length;
    for (const d of s.defs!) {
      const root = d.origin !== undefined && kept !== null && kept.has(d.origin) ? d.origin : d;
      if (!seen.has(root)) {
        seen.add(root);
        defs.push(root);
      }
    }
  }
  return { defs, path };
}

function distinct(defs: readonly Def[]): boolean {
  // Most lists hold one or two: a search costs less than a set.
  if (defs.length <= 8) {
    for (let k = 1; k < defs.length; k++) if (defs.indexOf(defs[k]!) !== k) return false;
    return true;
  }
  work.n += defs.length;
  return new Set(defs).size === defs.length;
}

function colonOf(i: number, r: Resolver): number {
  const e = S.end[i]!;
  return isOp(r.scan.buf, e - 1, OP_COLON) ? e - 1 : e;
}

/** The keyword token of statement `i` (after `async`). */
function headTok(r: Resolver, i: number): number {
  const s = S.start[i]!;
  return tokenIs(r.scan.text, r.scan.buf, s, 'async') ? s + 1 : s;
}

/** The test [s, e) of a header as a condition (found once per document: it does not depend on the walk). */
function safeCond(w: Walk, s: number, e: number, stmt: number): Cond {
  const memo = w.r.condMemo.get(s);
  if (memo) return memo;
  const cond = readCond(w, s, e, stmt);
  w.r.condMemo.set(s, cond);
  return cond;
}

/** readCond of the test [s, e) of the header statement `stmt`. */
function readCond(w: Walk, s: number, e: number, stmt: number): Cond {
  const { r } = w;
  const at: At = { scope: w.scope, stmt, frame: null };
  const depth = r.depth;
  try {
    if (e <= s) return { text: '', span: { start: r.scan.buf.start[s]!, end: r.scan.buf.start[s]! }, holds: true, env: null };
    const wrap = parens(r, s, e);
    const a = s + wrap;
    const b = e - wrap;
    return { text: textOf(r, a, b, 80), span: spanOf(r, a, b), holds: true, env: envSet(r, a, b, at) };
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
    r.depth = depth; // left where the condition's evaluation stopped (see expr)
    return { text: textOf(r, s, e, 80), span: spanOf(r, s, e), holds: true, env: null };
  }
}


function runStatement(w: Walk, p: number, st: State): State {
  const { r, list } = w;
  const i = list[p]!;
  record(w, p, st); // states are never changed in place: the record can share it
  step(r);
  const kind = S.kind[i]!;
  const indent = S.indent[i]!;
  switch (kind) {
    case SK_IF:
      return ifChain(w, p, st);
    case SK_FOR:
    case SK_WHILE:
      return loop(w, p, st);
    case SK_TRY:
      return tryStatement(w, p, st);
    case SK_MATCH:
      return match(w, p, st);
    case SK_WITH:
    case SK_ELIF:
    case SK_ELSE:
    case SK_EXCEPT:
    case SK_FINALLY:
    case SK_CASE: {
      const bound = headerBinding(w, i, st);
      const out = body(w, p + 1, indent, bound);
      return kind === SK_WITH ? out : join(bound, [bound, out]);
    }
  }
  // One statement without a body.
  w.next = p + 1;
  switch (kind) {
    case SK_RETURN:
      return { defs: null, path: st.path };
    case SK_BREAK:
    case SK_CONTINUE:
      if (w.loops !== null && w.loops.length > 0) w.loops[w.loops.length - 1]!.push(st);
      return { defs: null, path: st.path };
    case SK_DEF: {
      if (w.name !== null && st.defs !== null && tokenIs(r.scan.text, r.scan.buf, S.end[i]! - 1, w.name)) {
        return { defs: [{ kind: DEF_FUNCTION, start: S.start[i]!, end: S.end[i]!, stmt: i, scope: w.scope, conds: st.path }], path: st.path };
      }
      return st;
    }
    case SK_SIMPLE:
    default:
      return simple(w, i, st);
  }
}

function unknownDef(w: Walk, i: number, st: State, reasonStart: number, reasonEnd: number): State {
  const d: Def = { kind: DEF_UNKNOWN, start: reasonStart, end: reasonEnd, stmt: i, scope: w.scope, conds: st.path };
  return { defs: [d], path: st.path };
}

/** A compound header that binds the name (`with … as name`, `except E as name`, `case name`): its value is unknown; a walrus's is its value (walrusDef). */
function headerBinding(w: Walk, i: number, st: State): State {
  if (w.name === null || st.defs === null) return st;
  const b = bindingIn(w.r, w.name, S.start[i]!, S.end[i]!);
  if (b < 0) return st;
  return walrusDef(w, i, st, b) ?? unknownDef(w, i, st, S.start[i]!, colonOf(i, w.r));
}

/**
 * The header `i` binds the name at `b` by a walrus (`if (name := NAMES.get(conv.env)):`): its value
 * from there on; null when `b` is no walrus's. A value that reads the name itself is unknown.
 */
function walrusDef(w: Walk, i: number, st: State, b: number): State | null {
  const { buf, text } = w.r.scan;
  if (!isOp(buf, b + 1, OP_WALRUS)) return null;
  const end = walrusEnd(w.r, b + 2, colonOf(i, w.r));
  if (end <= b + 2) return unknownDef(w, i, st, b, b + 1);
  // (An attribute of that spelling is not the name: `(env := conv.env)`.)
  for (let t = b + 2; t < end; t++) if (tokenIs(text, buf, t, w.name!) && !isOp(buf, t - 1, OP_DOT)) return unknownDef(w, i, st, b, end);
  return { defs: [{ kind: DEF_EXPR, start: b + 2, end, stmt: i, scope: w.scope, conds: st.path }], path: st.path };
}

function simple(w: Walk, i: number, st: State): State {
  const { r, name } = w;
  if (name === null || st.defs === null) return st;
  const { text, buf } = r.scan;
  const a = S.start[i]!;
  let b = S.end[i]!;
  if (b > a && (buf.kind[b - 1] === LINE || isOp(buf, b - 1, 59))) b--;
  if (bindingIn(r, name, a, S.end[i]!) < 0) return st;
  const loopBuilt = w.loops !== null && w.loops.length > 0;
  if (tokenIs(text, buf, a, name)) {
    let value = -1;
    if (isOp(buf, a + 1, OP_ASSIGN)) value = a + 2;
    else if (isOp(buf, a + 1, OP_COLON)) {
      for (let t = a + 2; t < b; t = skipGroup(buf, t, b)) if (isOp(buf, t, OP_ASSIGN)) { value = t + 1; break; }
      if (value < 0) return st; // an annotation alone binds nothing yet
    } else if (isOp(buf, a + 1, OP_AUG) && text.startsWith('+=', buf.start[a + 1]!) && a + 2 < b) {
      if (loopBuilt) return unknownDef(w, i, st, a, a + 1);
      const d: Def = { kind: DEF_AUG, start: a + 2, end: b, stmt: i, scope: w.scope, conds: st.path, base: st.defs };
      return { defs: [d], path: st.path };
    }
    if (value >= 0) {
      // `a = b = 'x'`: the value follows the last `=`.
      for (let t = value; t < b; t = skipGroup(buf, t, b)) if (isOp(buf, t, OP_ASSIGN)) value = t + 1;
      if (value >= b) return unknownDef(w, i, st, a, b);
      if (loopBuilt) {
        for (let t = value; t < b; t++) if (tokenIs(text, buf, t, name)) return unknownDef(w, i, st, a, a + 1);
      }
      const d: Def = { kind: DEF_EXPR, start: value, end: b, stmt: i, scope: w.scope, conds: st.path };
      return { defs: [d], path: st.path };
    }
  }
  if (tokenIs(text, buf, a, 'from') || tokenIs(text, buf, a, 'import')) {
    const d: Def = { kind: DEF_IMPORT, start: a, end: b, stmt: i, scope: w.scope, conds: st.path };
    return { defs: [d], path: st.path };
  }
  return unpacking(w, i, st, a, b) ?? unknownDef(w, i, st, a, b);
}

/**
 * `a, b = "x", "y"`, `(a, [b, c]) = ROW`, `a, b = b, a`: the statement [a, b) assigns once (one
 * top-level `=`) to a target list that holds the name bare, not starred: the part of the value at
 * the name's place (DEF_UNPACK). Null otherwise (a chained or starred target: unknown).
 */
function unpacking(w: Walk, i: number, st: State, a: number, b: number): State | null {
  const { r, name } = w;
  const { buf, text } = r.scan;
  if (name === null) return null;
  let eq = -1;
  for (let t = a; t < b; t = skipGroup(buf, t, b)) {
    if (!isOp(buf, t, OP_ASSIGN)) continue;
    if (eq >= 0) return null;
    eq = t;
  }
  if (eq <= a || eq + 1 >= b) return null;
  const tt = bindingIn(r, name, a, eq);
  if (tt < 0) return null;
  const path = targetPath(r, a, eq, tt);
  if (path === null || path.length === 0) return null;
  // Built in a loop from itself (`a, b = b, a + "x"`): unknown, as for a plain assignment.
  if (w.loops !== null && w.loops.length > 0) {
    for (let t = eq + 1; t < b; t++) if (tokenIs(text, buf, t, name)) return null;
  }
  const d: Def = { kind: DEF_UNPACK, start: eq + 1, end: b, stmt: i, scope: w.scope, conds: st.path, unpack: path };
  return { defs: [d], path: st.path };
}

function ifChain(w: Walk, p0: number, st: State): State {
  const { r, list } = w;
  const indent = S.indent[list[p0]!]!;
  const outs: State[] = [];
  let negs: readonly Cond[] = NO_CONDS;
  let hasElse = false;
  let q = p0;
  for (;;) {
    const h = list[q]!;
    const k = S.kind[h]!;
    // The header is reached where the tests before it fail; its body where its own holds too.
    const before = negs;
    let conds: readonly Cond[];
    if (k === SK_ELSE) {
      conds = negs;
      hasElse = true;
    } else {
      // `if (name := …):` binds it for this branch and the ones after.
      if (w.name !== null && st.defs !== null) {
        const b = bindingIn(r, w.name, S.start[h]!, S.end[h]!);
        if (b >= 0) st = walrusDef(w, h, st, b) ?? st;
      }
      const c = safeCond(w, headTok(r, h) + 1, colonOf(h, r), h);
      work.n += 2 * negs.length; // each header's tests copy the ones before: a chain costs its length squared
      conds = withTest(negs, c);
      negs = withTest(negs, negate(r, c));
    }
    record(w, q, enter(st, before));
    outs.push(body(w, q + 1, indent, enter(st, conds)));
    q = w.next;
    if (hasElse) break;
    if (q < list.length && S.indent[list[q]!] === indent && (S.kind[list[q]!] === SK_ELIF || S.kind[list[q]!] === SK_ELSE)) continue;
    break;
  }
  if (!hasElse) outs.push(enter(st, negs));
  w.next = q;
  return join(st, outs);
}

function loop(w: Walk, p: number, st: State): State {
  const { r, list, name } = w;
  const h = list[p]!;
  const indent = S.indent[h]!;
  let entry = st;
  if (name !== null && st.defs !== null && S.kind[h] === SK_FOR) {
    const kw = headTok(r, h);
    const colon = colonOf(h, r);
    const target = forTarget(r, kw, colon, name);
    if (target !== null) {
      entry = { defs: [{ kind: DEF_FOR, start: target.in + 1, end: colon, stmt: h, scope: w.scope, conds: st.path, unpack: target.path }], path: st.path };
    } else entry = headerBinding(w, h, st);
  } else entry = headerBinding(w, h, st);
  (w.loops ??= []).push([]);
  const out = body(w, p + 1, indent, entry);
  const exits = w.loops!.pop()!;
  // Zero or more iterations: what reaches the loop, what one iteration leaves, what leaves by break or continue.
  let after = join(st, [st, out, ...exits]);
  const q = w.next;
  if (q < list.length && S.indent[list[q]!] === indent && S.kind[list[q]!] === SK_ELSE) {
    const elseOut = body(w, q + 1, indent, after);
    after = join(st, [elseOut, ...exits]);
  }
  return after;
}

/** The end of statement `i` without its line break or `;`. */
export function statementEnd(r: Resolver, i: number): number {
  const { buf } = r.scan;
  let e = S.end[i]!;
  while (e > S.start[i]! && (buf.kind[e - 1] === LINE || isOp(buf, e - 1, OP_SEMI))) e--;
  return e;
}

/** Where `name` sits in the targets of the `for` at `kw` (its `in` and its place: nameSetsIter.ts's targetPath), or null when it is not a bare target there. */
function forTarget(r: Resolver, kw: number, colon: number, name: string): { in: number; path: number[] } | null {
  const { text, buf } = r.scan;
  if (tokenIs(text, buf, kw + 1, name) && tokenIs(text, buf, kw + 2, 'in')) return { in: kw + 2, path: [] };
  let inTok = kw + 1;
  for (let steps = 0; inTok < colon && steps < 64 && !tokenIs(text, buf, inTok, 'in'); steps++) inTok = skipGroup(buf, inTok, colon);
  if (inTok >= colon || !tokenIs(text, buf, inTok, 'in')) return null;
  const tt = bindingIn(r, name, kw + 1, inTok);
  if (tt < 0) return null;
  const path = targetPath(r, kw + 1, inTok, tt);
  return path === null ? null : { in: inTok, path };
}

function tryStatement(w: Walk, p: number, st: State): State {
  const { list } = w;
  const indent = S.indent[list[p]!]!;
  let ok = body(w, p + 1, indent, st);
  let q = w.next;
  const outs: State[] = [];
  const started = join(st, [st, ok]);
  while (q < list.length && S.indent[list[q]!] === indent) {
    const k = S.kind[list[q]!]!;
    if (k === SK_EXCEPT) {
      outs.push(body(w, q + 1, indent, headerBinding(w, list[q]!, started)));
      q = w.next;
    } else if (k === SK_ELSE) {
      ok = body(w, q + 1, indent, ok);
      q = w.next;
    } else if (k === SK_FINALLY) {
      return body(w, q + 1, indent, join(st, [ok, ...outs]));
    } else break;
  }
  w.next = q;
  return join(st, [ok, ...outs]);
}

/** `case` patterns: `_` or a bare capture (any value), literals joined by `|`, anything else (a test by its text). */
function match(w: Walk, p: number, st: State): State {
  const { r, list } = w;
  const { text, buf } = r.scan;
  const h = list[p]!;
  const indent = S.indent[h]!;
  const subject: [number, number] = [headTok(r, h) + 1, colonOf(h, r)];
  const at: At = { scope: w.scope, stmt: h, frame: null };
  let onEnv = ENV_NONE;
  const depth = r.depth;
  try {
    onEnv = envForm(r, subject[0], subject[1], at);
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
    r.depth = depth; // left where the subject's evaluation stopped (see expr)
  }
  const subjectText = textOf(r, subject[0], subject[1], 40);
  const outs: State[] = [];
  let negs: readonly Cond[] = NO_CONDS;
  let wildcard = false;
  let q = p + 1;
  while (q < list.length && S.indent[list[q]!]! > indent) {
    const c = list[q]!;
    if (S.kind[c] !== SK_CASE) {
      st = runStatement(w, q, st);
      q = w.next;
      continue;
    }
    const caseIndent = S.indent[c]!;
    let ps = S.start[c]! + 1;
    let pe = colonOf(c, r);
    const guard = splitWord(r, ps, pe, 'if');
    let guardCond: Cond | null = null;
    if (guard.length > 1) {
      pe = guard[0]![1];
      guardCond = safeCond(w, guard[1]![0], guard[guard.length - 1]![1], c);
    }
    const wrap = parens(r, ps, pe);
    ps += wrap;
    pe -= wrap;
    let conds: readonly Cond[];
    const bare = pe === ps + 1 && buf.kind[ps] === IDENT;
    if (bare && guardCond === null) {
      conds = negs;
      wildcard = true;
    } else {
      const values: string[] = [];
      let literal = !bare;
      for (let t = ps; t < pe && literal; t++) {
        if (buf.kind[t] === STRING) continue;
        if (buf.kind[t] === OP && buf.aux[t] === 124) continue;
        literal = false;
      }
      if (literal) for (const [a, b] of splitBar(r, ps, pe)) values.push(text.slice(buf.start[a]!, buf.end[b - 1]!));
      const patternText = textOf(r, ps, pe, 60);
      const cond: Cond = {
        text: literal && values.length === 1 ? `${subjectText} == ${patternText}` : `${subjectText} matches ${patternText}`,
        span: spanOf(r, ps, pe),
        holds: true,
        env: null,
      };
      if (onEnv && literal) {
        let env: EnvSet = 0;
        for (const [a, b] of splitBar(r, ps, pe)) {
          const v = decode(r, a, b);
          if (v !== null) env = union(env, environmentSet(r, environmentOfLiteral(v, onEnv === ENV_FOLDED)));
        }
        cond.env = env;
      }
      work.n += 2 * negs.length; // as in ifChain
      conds = guardCond ? withTest(withTest(negs, cond), guardCond) : withTest(negs, cond);
      if (!guardCond) negs = withTest(negs, negate(r, cond));
    }
    const caseState = headerBinding(w, c, enter(st, conds));
    record(w, q, caseState);
    outs.push(body(w, q + 1, caseIndent, caseState));
    q = w.next;
    if (wildcard) break;
  }
  while (q < list.length && S.indent[list[q]!]! > indent) q++;
  if (!wildcard) outs.push(enter(st, negs));
  w.next = q;
  return join(st, outs);
}

function splitBar(r: Resolver, s: number, e: number): Array<[number, number]> {
  const { buf } = r.scan;
  const out: Array<[number, number]> = [];
  let part = s;
  for (let t = s; t < e; t++) {
    if (buf.kind[t] === OP && buf.aux[t] === 124) {
      if (t > part) out.push([part, t]);
      part = t + 1;
    }
  }
  if (e > part) out.push([part, e]);
  return out;
}

function decode(r: Resolver, s: number, e: number): string | null {
  return stringValue(r, s, e);
}

export {
  attributeWritten,
  bindingIn,
  bindingsOf,
  boundInScope,
  enclosingScope,
  identsOf,
  isClassScope,
  parameterGroup,
  scopeFrom,
  scopeOpenedBy,
  scopeStatements,
  scopeTo,
  statementOf,
  tableChange,
} from './nameSetsIndex';
