// Iteration for the name-set resolver: what a loop or comprehension variable takes when it runs
// over a container of literals, and which comprehension or lambda binds a name read inside one.
// A container is a tuple, list, set or dict literal (or the one definition of a name or attribute
// holding one, or a row of another loop's container); a dict gives its keys, `.keys()`, `.values()`
// and `.items()` what they say; `list(…)`, `sorted(…)` and the like their argument's elements, and
// `enumerate(…)` (index, element) pairs. A target that unpacks (`for label, names in ROWS`) takes
// the part of each element at its place. Comprehensions and lambdas are scopes of their own: a
// name they bind is theirs only inside them (the structure pass's shadows), and a lambda's
// parameter is known where the lambda is mapped over a container (`map`, `filter`, `key=`).
// Anything else throws Unresolved naming the part.

import { joinConds, withConds } from '../evaluate/envSet';
import { charge, spanOf, unresolved, Unresolved } from '../evaluate/evaluation';
import { type Cond, NO_CONDS, type Alternative } from '../evaluate/values';
import { skipGroup } from '../scan/calls';
import { parens, stringValue } from './nameSetsEnv';
import { bindingsOf, boundInScope, enclosingScope, identsOf, isClassScope, reaching, scopeStatements, statementEnd, statementOf, tableChange } from './nameSetsFlow';
import { classNamed } from './nameSetsCalls';
import { closureTarget, isEnum, isStringEnum, withGlobalWrites } from './nameSetsScopes';
import { commaParts, targetPath } from './nameSetsTargets';
import { type Added, appended, handedTo } from './nameSetsAppend';
import { nameAt } from './nameSetsIndex';
import { literalTable, type Table, tablesOf, topLevelOr, withPin } from './nameSetsTables';
import { type At, DEF_EXPR, DEF_FOR, DEF_PARAM, DEF_UNPACK, type Def, MAX_PATHS, type Container, type Resolver, type ShadowList, type TableEntries, type TableEntry, tableMemos } from './nameSetsTypes';
import { scratch, statements as S } from './pythonRefsState';
import { CH_LBRACE, CH_LBRACKET, CH_LPAREN, CLOSE, IDENT, NUMBER, OP, OPEN, OP_ASSIGN, OP_COLON, OP_COMMA, OP_DOT, OP_STAR, STRING, isOp, isOpen, tokenIs } from '../scan/tokens';

/** How far (in tokens and groups) a target list or a lambda's parameters may run: they are short. */
const SEARCH_LIMIT = 64;

/** A one-character operator's kind is its character: `-`. */
const OP_MINUS = 45;

/** One element of a container: its tokens, or (a dict's `.items()`, `enumerate`, `zip`) a tuple of parts; where to read it; the tests that choose it. */
export interface Elem {
  s: number;
  e: number;
  /** A tuple's parts, each read where it says (s = -1: an index, no name); their tests are the element's. */
  parts: Elem[] | null;
  at: At;
  conds: readonly Cond[];
  /** The element of a comprehension: it stands for every element, its parts not tied to one another. */
  comp?: true;
}

/** enumerate's index: a number, no name. */
const INDEX: Elem = { s: -1, e: -1, parts: null, at: { scope: 0, stmt: 0, frame: null }, conds: NO_CONDS };

// ---- which comprehension or lambda binds a name ----

function shadowIndex(r: Resolver): Map<string, ShadowList> {
  if (r.shadows) return r.shadows;
  const n = r.scan.shadowCount;
  charge(r, n);
  const byName = new Map<string, number[]>();
  const sh = scratch.shadows;
  for (let k = 0; k < n; k++) {
    const name = nameAt(r, sh[k * 3]!);
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push(k);
  }
  const out = new Map<string, ShadowList>();
  for (const [name, ks] of byName) {
    // Stable: the targets of one group keep their written order (a later clause's is inside an earlier's).
    ks.sort((a, b) => sh[a * 3 + 1]! - sh[b * 3 + 1]!);
    const m = ks.length;
    const list: ShadowList = { tok: new Int32Array(m), from: new Int32Array(m), to: new Int32Array(m), parent: new Int32Array(m) };
    const stack: number[] = [];
    for (let i = 0; i < m; i++) {
      const k = ks[i]!;
      list.tok[i] = sh[k * 3]!;
      list.from[i] = sh[k * 3 + 1]!;
      list.to[i] = sh[k * 3 + 2]!;
      while (stack.length > 0 && list.to[stack[stack.length - 1]!]! < list.from[i]!) stack.pop();
      list.parent[i] = stack.length > 0 ? stack[stack.length - 1]! : -1;
      stack.push(i);
    }
    out.set(name, list);
  }
  r.shadows = out;
  return out;
}

/**
 * The definitions of the name at token `t` that reach where `at` is: a comprehension's or lambda's
 * own (shadowDefs), else those of the innermost scope that binds it (a class's only from inside
 * its body); null when that scope's are not known, undefined when no scope binds it.
 */
export function definitionsAt(r: Resolver, t: number, at: At): Def[] | null | undefined {
  const inner = shadowDefs(r, t, at);
  if (inner !== null) return inner;
  const name = nameAt(r, t);
  let scope = at.scope;
  let own = true;
  let nested = -1;
  while (scope >= 0) {
    if ((own || !isClassScope(r, scope)) && boundInScope(r, name, scope)) {
      const defs = reaching(r, scope, name, own ? at.stmt : closureTarget(r, name, scope, nested)).defs;
      // A module's name some function rebinds (`global NAME`): that function's values too.
      return scope === 0 && !own && defs && r.scan.declared.length > 0 ? withGlobalWrites(r, name, defs) : defs;
    }
    nested = scope;
    scope = enclosingScope(r, scope);
    own = false;
  }
  return undefined;
}

/**
 * The definition of the name at token `t` when a comprehension or lambda around it binds it (a
 * comprehension's variable, a lambda's parameter), or null when none does (the scopes' bindings
 * then apply).
 */
export function shadowDefs(r: Resolver, t: number, at: At): Def[] | null {
  if (r.scan.shadowCount === 0) return null;
  const list = shadowIndex(r).get(nameAt(r, t));
  if (!list) return null;
  // The last entry starting at or before t, then outwards through the entries around it.
  let lo = 0;
  let hi = list.from.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list.from[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i = list.parent[i]!) {
    charge(r, 1);
    if (list.to[i]! < t) continue;
    if (list.tok[i] === t) return null; // the target itself
    const from = list.from[i]!;
    const def = tokenIs(r.scan.text, r.scan.buf, from, 'lambda') ? lambdaParam(r, list.tok[i]!, from, t, at) : comprehensionVar(r, list.tok[i]!, from, t, at);
    if (def !== undefined) return def;
  }
  return null;
}

/** The top-level `for`, `if` and `async` tokens of a comprehension's group, found once per group. */
export function clauses(r: Resolver, g: number): number[] {
  const memo = (r.clauses ??= new Map()).get(g);
  if (memo) return memo;
  const { text, buf } = r.scan;
  const close = buf.match[g]! >= 0 ? buf.match[g]! : r.scan.count;
  const out: number[] = [];
  let walked = 0;
  for (let t = g + 1; t < close; t = skipGroup(buf, t, close)) {
    walked++;
    if (buf.kind[t] === IDENT && (tokenIs(text, buf, t, 'for') || tokenIs(text, buf, t, 'if') || tokenIs(text, buf, t, 'async'))) out.push(t);
  }
  charge(r, walked);
  out.push(close);
  r.clauses.set(g, out);
  return out;
}

/**
 * A comprehension variable (target token `tt` of the group at `g`) read at `t`: a loop over its
 * clause's iterable, when the clause binds it where `t` is (the element, and the clauses and
 * conditions after its own iterable); undefined when it does not.
 */
function comprehensionVar(r: Resolver, tt: number, g: number, t: number, at: At): Def[] | undefined {
  const { text, buf } = r.scan;
  const cl = clauses(r, g);
  // The clause of the target: the last `for` before it.
  let k = -1;
  for (let i = 0; i < cl.length - 1; i++) if (cl[i]! < tt && tokenIs(text, buf, cl[i]!, 'for')) k = i;
  if (k < 0) return undefined;
  const forTok = cl[k]!;
  let inTok = tt;
  for (let steps = 0; inTok < cl[k + 1]! && steps < SEARCH_LIMIT && !tokenIs(text, buf, inTok, 'in'); steps++) inTok = skipGroup(buf, inTok, cl[k + 1]!);
  if (!tokenIs(text, buf, inTok, 'in')) unresolved(r, tt, tt + 1);
  const iterEnd = cl[k + 1]!;
  // Seen from the element (before the first clause) and from after the clause's own iterable.
  if (!(t < cl[0]! || t >= iterEnd)) return undefined;
  const path = targetPath(r, forTok + 1, inTok, tt);
  if (path === null) unresolved(r, forTok + 1, inTok);
  if (inTok + 1 >= iterEnd) unresolved(r, forTok, iterEnd);
  return [{ kind: DEF_FOR, start: inTok + 1, end: iterEnd, stmt: at.stmt, scope: at.scope, conds: NO_CONDS, unpack: path }];
}

/**
 * A lambda's parameter (token `pt` of the lambda at `l`) read at `t` in its body: each element of
 * the container the lambda is mapped over (`map(lambda n: …, NAMES)`, `filter`, `sorted(NAMES,
 * key=lambda n: …)`); unresolved otherwise (its callers are not followed).
 */
function lambdaParam(r: Resolver, pt: number, l: number, t: number, at: At): Def[] | undefined {
  const { text, buf } = r.scan;
  let colon = l + 1;
  for (let steps = 0; steps < SEARCH_LIMIT && colon < t && !isOp(buf, colon, OP_COLON); steps++) colon = skipGroup(buf, colon, t);
  if (!isOp(buf, colon, OP_COLON) || t <= colon) return undefined; // a default of the parameters: outside
  // The parameter's place among the lambda's.
  let position = 0;
  for (let k = l + 1; k < pt; k = skipGroup(buf, k, pt)) if (isOp(buf, k, OP_COMMA)) position++;
  if (isOp(buf, pt - 1, OP_STAR) || isOp(buf, pt + 1, OP_ASSIGN)) unresolved(r, pt, pt + 1);
  const g = l - 1;
  let args: Array<[number, number]> | null = null;
  let iterable: [number, number] | undefined;
  if (isOpen(buf, g, CH_LPAREN) && buf.kind[g - 1] === IDENT && !isOp(buf, g - 2, OP_DOT)) {
    // `map(lambda a, b: …, A, B)` / `filter(lambda n: …, A)`: the lambda is the first argument.
    const fn = nameAt(r, g - 1);
    if (fn === 'map' || (fn === 'filter' && position === 0)) {
      args = argumentsOf(r, g);
      iterable = args[position + 1];
    }
  } else if (isOp(buf, g, OP_ASSIGN) && tokenIs(text, buf, g - 1, 'key') && position === 0) {
    // `sorted(NAMES, key=lambda n: …)`, `min`, `max`: the first argument's elements.
    // The group around: back over the arguments before, a group at a time.
    let open = g - 2;
    for (let steps = 0; open >= 0 && buf.kind[open] !== OPEN; steps++) {
      if (steps >= SEARCH_LIMIT) unresolved(r, pt, pt + 1);
      open = buf.kind[open] === CLOSE && buf.match[open]! >= 0 ? buf.match[open]! - 1 : open - 1;
    }
    if (open >= 0 && isOpen(buf, open, CH_LPAREN) && buf.kind[open - 1] === IDENT && !isOp(buf, open - 2, OP_DOT)) {
      const fn = nameAt(r, open - 1);
      if (fn === 'sorted' || fn === 'min' || fn === 'max') iterable = argumentsOf(r, open)[0];
    }
  }
  if (iterable === undefined) {
    // `read = lambda conv, n: …` at a statement's start: the argument of every `read(…)` in its scope.
    if (isOp(buf, g, OP_ASSIGN) && buf.kind[g - 1] === IDENT && S.start[statementOf(l)] === g - 1) return lambdaCalls(r, g - 1, position, pt);
    unresolved(r, pt, pt + 1);
  }
  return [{ kind: DEF_FOR, start: iterable[0], end: iterable[1], stmt: at.stmt, scope: at.scope, conds: NO_CONDS, unpack: [] }];
}

/**
 * The parameter at `position` of the lambda bound to the name at `nameTok`: the argument at every
 * call of that name in the lambda's scope (unresolved when the name is used otherwise, bound again,
 * or never called).
 */
function lambdaCalls(r: Resolver, nameTok: number, position: number, pt: number): Def[] {
  const { buf } = r.scan;
  const name = nameAt(r, nameTok);
  const scope = S.scope[statementOf(nameTok)]!;
  if (bindingsOf(r, name, scope).length !== 1) unresolved(r, pt, pt + 1);
  const out: Def[] = [];
  for (const t of identsOf(r, name)) {
    charge(r, 1);
    if (t === nameTok || isOp(buf, t - 1, OP_DOT)) continue;
    const stmt = statementOf(t);
    if (S.scope[stmt] !== scope && boundInScope(r, name, S.scope[stmt]!)) continue; // another binding of the name
    if (!isOpen(buf, t + 1, CH_LPAREN)) unresolved(r, t, t + 1);
    const arg = argumentsOf(r, t + 1)[position];
    if (arg === undefined || isOp(buf, arg[0], OP_STAR) || (buf.kind[arg[0]] === IDENT && isOp(buf, arg[0] + 1, OP_ASSIGN))) unresolved(r, t, buf.match[t + 1]! + 1);
    const path = reaching(r, S.scope[stmt]!, null, stmt);
    if (path.defs === null) continue;
    out.push({ kind: DEF_EXPR, start: arg[0], end: arg[1], stmt, scope: S.scope[stmt]!, conds: path.path });
  }
  if (out.length === 0) unresolved(r, pt, pt + 1);
  return out;
}

/** The top-level comma-separated parts of the group opened at `open`. */
function argumentsOf(r: Resolver, open: number): Array<[number, number]> {
  const { buf } = r.scan;
  const close = buf.match[open]!;
  if (close < 0) unresolved(r, open, open + 1);
  charge(r, close - open);
  return commaParts(r, open + 1, close);
}


// ---- what a loop over a container takes ----

/** The values a loop variable takes over the iterable [s, e), at the place `unpack` says in each element. */
export function loopValues(r: Resolver, s: number, e: number, unpack: readonly number[], at: At, rowConds?: (el: Elem) => readonly Cond[]): Alternative[] {
  const out: Alternative[] = [];
  for (const el of elements(r, s, e, at)) {
    // The tests that hold for this element alone (nameSetsRows.ts's guards), after its own.
    const extra = rowConds === undefined ? NO_CONDS : rowConds(el);
    for (const part of select(r, el, unpack, 0)) {
      const conds = joinConds(part.conds, extra);
      if (part.s < 0) {
        out.push(withConds({ name: null, literal: null, when: NO_CONDS, env: null }, conds));
        continue;
      }
      for (const p of r.ev.expr(r, part.s, part.e, part.at)) out.push(withConds(p, conds));
      // More than an expression may take (nameSetsExpr.ts's cap): said before the rest are made.
      if (out.length > MAX_PATHS) unresolved(r, s, e);
    }
  }
  return out;
}

/** The values of the part at `unpack` of the value [s, e) (`a, b = "x", "y"`: DEF_UNPACK). */
export function partValues(r: Resolver, s: number, e: number, unpack: readonly number[], at: At): Alternative[] {
  const out: Alternative[] = [];
  for (const part of select(r, { s, e, parts: null, at, conds: NO_CONDS }, unpack, 0)) {
    for (const p of r.ev.expr(r, part.s, part.e, part.at)) out.push(withConds(p, part.conds));
    if (out.length > MAX_PATHS) unresolved(r, s, e);
  }
  return out;
}

/** The parts at places `unpack` of the elements a `for` over [s, e) runs through: each row's part, as an element of its own. */
export function loopParts(r: Resolver, s: number, e: number, unpack: readonly number[], at: At, rowConds?: (el: Elem) => readonly Cond[]): Elem[] {
  const out: Elem[] = [];
  for (const el of elements(r, s, e, at)) {
    const extra = rowConds === undefined ? NO_CONDS : rowConds(el);
    for (const part of select(r, el, unpack, 0)) out.push(extra.length === 0 ? part : { ...part, conds: joinConds(part.conds, extra) });
  }
  return out;
}

/** The part of element `el` at places `path`: each row's part, as an element of its own. */
export function elementParts(r: Resolver, el: Elem, path: readonly number[]): Elem[] {
  return select(r, el, path, 0);
}

/** The part of element `el` at places `path[k…]`: each row's part, as an element of its own. */
function select(r: Resolver, el: Elem, path: readonly number[], k: number): Elem[] {
  if (k === path.length) return [el];
  const i = path[k]!;
  // A comprehension's element unpacked: its parts would be taken apart from one another.
  if (el.comp) unresolved(r, el.s, el.e);
  if (el.parts !== null) {
    const p = el.parts[i];
    if (p === undefined) unresolved(r, el.s, el.e);
    return select(r, { s: p.s, e: p.e, parts: p.parts, at: p.at, conds: el.conds }, path, k + 1);
  }
  if (el.s < 0) unresolved(r, el.s, el.e);
  // A row: a tuple or list (written, or held by a name) whose entry `i` is the part; its look costs what its tokens do.
  charge(r, ELEMENT_STEPS + el.e - el.s);
  const out: Elem[] = [];
  for (const row of containers(r, el.s, el.e, el.at, el.conds)) {
    if (row.dict || row.comp || row.joined) unresolved(r, el.s, el.e);
    const entry = row.entries[i];
    if (entry === undefined) unresolved(r, el.s, el.e);
    for (const x of select(r, { s: entry[0], e: entry[1], parts: null, at: row.at, conds: row.conds }, path, k + 1)) out.push(x);
  }
  return out;
}

/** A literal container a range stands for: its entries' tokens (a dict's: [key, value] both), where they are read, the tests on the way. */

/** The operands of `a + b + …` at the top of [s, e), or null when it is no sum. */
function plusParts(r: Resolver, s: number, e: number): Array<[number, number]> | null {
  const { buf } = r.scan;
  let out: Array<[number, number]> | null = null;
  let part = s;
  for (let t = s; t < e; t = skipGroup(buf, t, e)) {
    if (buf.kind[t] !== OP || buf.aux[t] !== OP_PLUS || t === part) continue;
    (out ??= []).push([part, t]);
    part = t + 1;
  }
  if (out === null || part >= e) return null;
  out.push([part, e]);
  return out;
}

/** `+`, as a one-character operator token holds it. */
const OP_PLUS = 43;

const WRAPPERS = new Set(['list', 'tuple', 'set', 'frozenset', 'sorted', 'reversed', 'iter']);

/** The elements a `for` over [s, e) runs through. */
function elements(r: Resolver, s0: number, e0: number, at: At): Elem[] {
  const { buf } = r.scan;
  // One entry of a dict comprehension being read: its variables take that entry's element alone.
  const pin = r.pins?.get(s0);
  if (pin !== undefined) return [pin as Elem];
  const wrap = parens(r, s0, e0);
  const s = s0 + wrap;
  const e = e0 - wrap;
  if (e <= s) unresolved(r, s0, e0);
  charge(r, 1);
  // `for s in Names:` over an Enum of strings (`class Names(str, Enum)`): each member is its value.
  const members = enumMembers(r, s, e, at);
  if (members !== null) {
    if (!isStringEnum(r, members.cls)) unresolved(r, s, e);
    return members.elements;
  }
  const last = e - 1;
  if (buf.kind[last] === CLOSE && isOpen(buf, buf.match[last]!, CH_LPAREN) && buf.match[last]! > s && plusParts(r, s, e) === null) {
    const open = buf.match[last]!;
    // `X.items()`, `X.keys()`, `X.values()` of a dict.
    if (open === last - 1 && open - s >= 3 && isOp(buf, open - 2, OP_DOT) && buf.kind[open - 1] === IDENT) {
      const method = nameAt(r, open - 1);
      if (method === 'items' || method === 'keys' || method === 'values') {
        const out: Elem[] = [];
        for (const c of containers(r, s, open - 2, at, NO_CONDS)) {
          if (!c.dict) unresolved(r, s, e);
          for (let k = 0; k < c.entries.length; k++) {
            const key = c.keys[k]!;
            const value = c.entries[k]!;
            if (method === 'items') {
              const parts: Elem[] = [
                { s: key[0], e: key[1], parts: null, at: c.at, conds: NO_CONDS },
                { s: value[0], e: value[1], parts: null, at: c.at, conds: NO_CONDS },
              ];
              out.push({ s: key[0], e: value[1], parts, at: c.at, conds: c.conds, ...(c.comp ? { comp: true as const } : {}) });
            }
            else {
              const [a, b] = method === 'keys' ? key : value;
              out.push({ s: a, e: b, parts: null, at: c.at, conds: c.conds, ...(c.comp ? { comp: true as const } : {}) });
            }
          }
        }
        return out;
      }
    }
    // `list(X)`, `sorted(X)`, …; `enumerate(X)`: (index, element) pairs.
    if (open === s + 1 && buf.kind[s] === IDENT) {
      const fn = nameAt(r, s);
      const args = argumentsOf(r, open);
      // `list(n + "_api" for n in NAMES)`: a generator as the one argument.
      if (args.length === 1 && WRAPPERS.has(fn)) return comprehension(r, args[0]![0], args[0]![1], at) ?? elements(r, args[0]![0], args[0]![1], at);
      if (args.length === 1 && fn === 'enumerate') {
        return elements(r, args[0]![0], args[0]![1], at).map((el) => ({ s: el.s, e: el.e, parts: [INDEX, el], at: el.at, conds: el.conds }));
      }
      if (args.length >= 2 && fn === 'zip') return zipped(r, s, e, args, at);
    }
    // Any other call is unknown; a generator whose last clause ends with one (`n for n in NAMES if
    // n.startswith("crm")`) is a container.
    const comp = comprehension(r, s, e, at);
    if (comp === null) unresolved(r, s, e);
    return comp;
  }
  const out: Elem[] = [];
  for (const c of containers(r, s, e, at, NO_CONDS)) {
    // A dict gives its keys.
    const list = c.dict ? c.keys : c.entries;
    for (const [a, b] of list) out.push({ s: a, e: b, parts: null, at: c.at, conds: c.conds, ...(c.comp ? { comp: true as const } : {}) });
  }
  return out;
}

/**
 * `zip(A, B, …)` (the call [s, e), its arguments `args`): the i-th element of each, a tuple, to
 * the shortest. Each argument is one container of literals (a name, a row's part, a table chosen
 * by the environment are more than one, whose places need not line up: unknown).
 */
function zipped(r: Resolver, s: number, e: number, args: Array<[number, number]>, at: At): Elem[] {
  const lists: Elem[][] = [];
  for (const [a, b] of args) {
    // `strict=True`: the same elements (or an error).
    if (r.scan.buf.kind[a] === IDENT && isOp(r.scan.buf, a + 1, OP_ASSIGN)) continue;
    const cs = containers(r, a, b, at, NO_CONDS);
    if (cs.length !== 1 || cs[0]!.comp || cs[0]!.joined) unresolved(r, s, e);
    const c = cs[0]!;
    const list = c.dict ? c.keys : c.entries;
    lists.push(list.map(([x, y]) => ({ s: x, e: y, parts: null, at: c.at, conds: c.conds })));
  }
  if (lists.length < 2) unresolved(r, s, e);
  const n = Math.min(...lists.map((l) => l.length));
  charge(r, ELEMENT_STEPS * n * lists.length);
  const out: Elem[] = [];
  for (let i = 0; i < n; i++) {
    let conds: readonly Cond[] = NO_CONDS;
    for (const l of lists) conds = joinConds(conds, l[i]!.conds);
    out.push({ s, e, parts: lists.map((l) => l[i]!), at, conds });
  }
  return out;
}

/**
 * The table a dict comprehension [s, e) with one `for` clause makes (`{env: f"crm_{env}" for env
 * in ("sandbox", "live")}`, `{e: n for e, n in ROWS}`, `{p["env"]: p["secret"] for p in ROWS}`): an
 * entry per element of its iterable, whose key is the one string its key expression gives there
 * and whose value is read with the clause's variables pinned to that element (nameSetsTables.ts's
 * withPin). Null when [s, e) is no dict comprehension; unknown with a filter or a second clause, or
 * a key that is not one known string.
 */
export function comprehensionTable(r: Resolver, s: number, e: number, at: At): TableEntries | null {
  const { text, buf } = r.scan;
  if (!isOpen(buf, s, CH_LBRACE) || buf.match[s] !== e - 1) return null;
  // A literal's first entry ends at a comma before any `for`: its walk stops there (a large literal is not walked whole).
  let forAt = -1;
  for (let t = s + 1; t < e - 1 && forAt < 0; t = skipGroup(buf, t, e - 1)) {
    if (isOp(buf, t, OP_COMMA)) return null;
    if (buf.kind[t] === IDENT && tokenIs(text, buf, t, 'for')) forAt = t;
  }
  if (forAt < 0) return null;
  const cl = clauses(r, s);
  if (cl.length < 2 || !tokenIs(text, buf, cl[0]!, 'for')) return null;
  let colon = -1;
  for (let t = s + 1; t < cl[0]! && colon < 0; t = skipGroup(buf, t, cl[0]!)) if (isOp(buf, t, OP_COLON)) colon = t;
  if (colon <= s + 1 || colon + 1 >= cl[0]!) return null;
  if (cl.length !== 2) unresolved(r, s, e);
  const forTok = cl[0]!;
  let inTok = forTok + 1;
  for (let steps = 0; inTok < e - 1 && steps < SEARCH_LIMIT && !tokenIs(text, buf, inTok, 'in'); steps++) inTok = skipGroup(buf, inTok, e - 1);
  if (!tokenIs(text, buf, inTok, 'in') || inTok + 1 >= e - 1) unresolved(r, s, e);
  const iter = inTok + 1;
  const byKey = new Map<string, TableEntry>();
  for (const element of elements(r, iter, e - 1, at)) {
    if (element.comp) unresolved(r, iter, e - 1);
    charge(r, ELEMENT_STEPS);
    const keys = withPin(r, iter, element, () => r.ev.expr(r, s + 1, colon, at));
    const key = keys.length === 1 && keys[0]!.when.length === 0 && keys[0]!.env === null ? keys[0]!.name : null;
    if (key === null) unresolved(r, s + 1, colon);
    // A key made again takes the later value, in the first one's place (as a dict does).
    byKey.set(key, { key, keySpan: spanOf(r, s + 1, colon), keyText: JSON.stringify(key), keyStart: s + 1, value: [colon + 1, forTok], pin: { iter, element } });
  }
  if (byKey.size === 0) unresolved(r, s, e);
  return { entries: [...byKey.values()], byKey, dict: true, end: e, comprehension: true };
}

/**
 * The comprehension or generator [s, e) (a bracketed one, or a bare generator that is a call's
 * one argument) as a container: one element, its expression, standing for all it takes (its
 * variables are the comprehension's own, read as nameSetsIter's shadows say); a dict
 * comprehension's key and value. Null when [s, e) is not one.
 */
function comprehension(r: Resolver, s0: number, e0: number, at: At): Elem[] | null {
  const c = comprehensionContainer(r, s0, e0, at, NO_CONDS);
  if (c === null) return null;
  const list = c.dict ? c.keys : c.entries;
  return list.map(([a, b]) => ({ s: a, e: b, parts: null, at, conds: NO_CONDS, comp: true }));
}

function comprehensionContainer(r: Resolver, s0: number, e0: number, at: At, conds: readonly Cond[]): Container | null {
  const { text, buf } = r.scan;
  const wrap = parens(r, s0, e0);
  let s = s0 + wrap;
  let e = e0 - wrap;
  // `[…]`, `{…}`, `(…)` around it, or (a call's one argument) nothing.
  const group = buf.kind[s] === OPEN && buf.match[s] === e - 1;
  const brace = group && buf.aux[s] === CH_LBRACE;
  if (group) {
    s++;
    e--;
  }
  let forTok = -1;
  let colon = -1;
  let walked = 0;
  for (let t = s; t < e; t = skipGroup(buf, t, e)) {
    walked++;
    if (buf.kind[t] === IDENT && tokenIs(text, buf, t, 'for')) {
      forTok = t;
      break;
    }
    if (brace && colon < 0 && isOp(buf, t, OP_COLON)) colon = t;
    // A comma before the clause: a tuple or a call's arguments, not a comprehension.
    if (isOp(buf, t, OP_COMMA) || (buf.kind[t] === IDENT && tokenIs(text, buf, t, 'lambda'))) return null;
  }
  charge(r, walked);
  if (forTok <= s) return null;
  // `async for` belongs to the clause.
  const end = tokenIs(text, buf, forTok - 1, 'async') ? forTok - 1 : forTok;
  if (brace && colon > s && colon + 1 < end) return { dict: true, entries: [[colon + 1, end]], keys: [[s, colon]], at, conds, comp: true };
  if (end <= s) return null;
  return { dict: false, entries: [[s, end]], keys: [], at, conds, comp: true };
}

/**
 * The literal containers [s, e) stands for: one written there, or what the definitions of a name
 * or attribute hold (each on its own tests), or the rows' parts of another loop's variable.
 */
export function containers(r: Resolver, s0: number, e0: number, at: At, conds: readonly Cond[]): Container[] {
  const { buf } = r.scan;
  const wrap = parens(r, s0, e0);
  const s = s0 + wrap;
  const e = e0 - wrap;
  if (e <= s) unresolved(r, s0, e0);
  if (r.depth >= 24) unresolved(r, s, e);
  let defs: Def[] | null = null;
  // A list built by `.append` / `.extend` after it is bound: what each call adds, on its tests.
  let added: Added[] | null = null;
  if (e === s + 1 && buf.kind[s] === IDENT) {
    defs = r.ev.lookup(r, s, at);
    const changed = tableChange(r, nameAt(r, s));
    if (changed !== null) added = appended(r, nameAt(r, s), defs, at, changed);
    // Handed to a function of the file that changes it: a function's local where that function hands it on.
    const handed = handedTo(r, nameAt(r, s), defs.length > 0 ? defs[0]!.scope : 0);
    if (handed !== null) unresolved(r, handed[0], handed[1]);
  } else if (e === s + 3 && buf.kind[s] === IDENT && isOp(buf, s + 1, OP_DOT) && buf.kind[s + 2] === IDENT) {
    defs = r.ev.attribute(r, s, at);
  }
  if (defs !== null) {
    const out: Container[] = [];
    r.depth++;
    try {
      for (const d of defs) {
        const dAt: At = { scope: d.scope, stmt: d.stmt, frame: null };
        const dConds = joinConds(conds, d.conds);
        if (d.kind === DEF_EXPR) {
          for (const c of containers(r, d.start, d.end, dAt, dConds)) out.push(c);
        } else if (d.kind === DEF_FOR || d.kind === DEF_UNPACK) {
          // Another loop's variable holding a row's part: each row's, a container in its turn; a
          // name unpacked from a value (`names, label = ROW`): that part of it.
          const whole: Elem[] = d.kind === DEF_UNPACK ? [{ s: d.start, e: d.end, parts: null, at: dAt, conds: NO_CONDS }] : elements(r, d.start, d.end, dAt);
          for (const el of whole) {
            for (const part of select(r, el, d.unpack ?? [], 0)) {
              if (part.s < 0) unresolved(r, s, e);
              for (const c of containers(r, part.s, part.e, part.at, joinConds(dConds, part.conds))) out.push(c);
            }
          }
        } else if (d.kind === DEF_PARAM && e === s + 1) {
          // A parameter (`def read_all(conv, names): for n in names:`): what each call of its
          // function passes, on that call's tests; a function called from outside, its default (open).
          const given = r.ev.parameterValues(r, d, nameAt(r, s), (a, b, at2) => containers(r, a, b, at2, NO_CONDS), (c, cs) => ({ ...c, conds: joinConds(cs, c.conds) }));
          for (const c of given) out.push({ ...c, conds: joinConds(dConds, c.conds) });
        } else unresolved(r, s, e);
      }
      if (added !== null) {
        for (const a of added) {
          const aConds = joinConds(conds, a.conds);
          if (a.whole) for (const c of containers(r, a.from, a.to, a.at, aConds)) out.push(c);
          else out.push({ dict: false, entries: [[a.from, a.to]], keys: [], at: a.at, conds: aConds });
        }
      }
    } finally {
      r.depth--;
    }
    return out;
  }
  // `BASE + ["extra_api"]`: each part's containers, their elements the whole's (no index picks one).
  const joined = plusParts(r, s, e);
  if (joined !== null) {
    const out: Container[] = [];
    r.depth++;
    try {
      for (const [a, b] of joined) {
        for (const c of containers(r, a, b, at, conds)) {
          if (c.dict) unresolved(r, s, e);
          out.push(c.joined ? c : { ...c, joined: true });
        }
      }
    } finally {
      r.depth--;
    }
    return out;
  }
  const open = buf.kind[e - 1] === CLOSE ? buf.match[e - 1]! : -1;
  // `NAMES[conv.env]`, `NAMES.get(env, [])`, `CONFIG.get(env) or CONFIG["sandbox"]`: each table the selection chooses, on its tests.
  if (selection(r, s, e, open)) {
    return tablesOf(r, s, e, at).map((t) => {
      // A dict comprehension's entries iterated: their variables would not stay pinned (nor are another module's dict's entries tokens here).
      if (t.entries.length > 0 && (t.entries[0]!.pin !== undefined || t.entries[0]!.values !== undefined)) unresolved(r, s, e);
      return tableContainer(r, t, conds);
    });
  }
  // `row[1]`, `config["names"]`: that entry of each container the rest stands for.
  if (open > s && isOpen(buf, open, CH_LBRACKET)) return subscripted(r, s, open, e, at, conds);
  const comp = comprehensionContainer(r, s, e, at, conds);
  if (comp !== null) return [comp];
  // `next(x for x in ROWS if …)` held by a name: the rows it may give.
  const next = r.ev.nextRows(r, s, e, at, conds);
  if (next !== null) return next;
  const table = literalTable(r, s, e);
  if (table.keywords) unresolved(r, s, e);
  // Each element a read walks is several objects of its work (its element, its part, its paths).
  charge(r, ELEMENT_STEPS * table.entries.length);
  const parts = partsOf(r, table.entries, table.dict);
  return [{ dict: table.dict, entries: parts.entries, keys: parts.keys, at, conds }];
}

/**
 * Whether [s, e) (its last group opened at `open`, or -1) chooses among tables by a key that is not
 * written there (`NAMES[conv.env]`, `T.get(k)`) or takes a default (`A or B`): nameSetsTables.ts's
 * selections, whose keys may be the environment.
 */
function selection(r: Resolver, s: number, e: number, open: number): boolean {
  const { text, buf } = r.scan;
  if (topLevelOr(r, s, e)) return true;
  if (open > s && isOpen(buf, open, CH_LBRACKET)) {
    if (literalIndex(r, open, e - 1) !== null) return false;
    for (let t = open + 1; t < e - 1; t++) if (buf.kind[t] !== STRING) return true;
    return e - 1 === open + 1;
  }
  if (open > s + 2 && isOpen(buf, open, CH_LPAREN) && isOp(buf, open - 2, OP_DOT) && tokenIs(text, buf, open - 1, 'get')) return true;
  return false;
}

/** A table nameSetsTables.ts chose, as a container taken where `conds` and its own tests hold. */
function tableContainer(r: Resolver, t: Table, conds: readonly Cond[]): Container {
  const parts = partsOf(r, t.entries, t.dict);
  return { dict: t.dict, entries: parts.entries, keys: parts.keys, at: t.at, conds: joinConds(conds, t.conds) };
}

/** The integer written between the brackets `open` and `close` (`[1]`, `[-1]`), or null. */
export function literalIndex(r: Resolver, open: number, close: number): number | null {
  const { text, buf } = r.scan;
  const negative = close === open + 3 && isOp(buf, open + 1, OP_MINUS);
  if ((close !== open + 2 && !negative) || buf.kind[close - 1] !== NUMBER) return null;
  const digits = text.slice(buf.start[close - 1]!, buf.end[close - 1]!);
  if (!/^\d{1,6}$/.test(digits)) return null;
  return negative ? -Number(digits) : Number(digits);
}

/** The containers held at index or key [open + 1, e - 1) of the containers [s, open) stands for. */
function subscripted(r: Resolver, s: number, open: number, e: number, at: At, conds: readonly Cond[]): Container[] {
  const close = e - 1;
  // A literal index or a string key; anything else is unknown.
  const index = literalIndex(r, open, close);
  const key = index === null ? stringValue(r, open + 1, close) : null;
  if (index === null && key === null) unresolved(r, s, e);
  const out: Container[] = [];
  r.depth++;
  try {
    for (const c of containers(r, s, open, at, conds)) {
      if (c.comp || c.joined) unresolved(r, s, e);
      let entry: [number, number] | undefined;
      if (index !== null && !c.dict) entry = c.entries[index < 0 ? c.entries.length + index : index];
      else if (key !== null && c.dict) {
        charge(r, c.keys.length);
        const k = c.keys.findIndex(([a, b]) => stringValue(r, a, b) === key);
        entry = k < 0 ? undefined : c.entries[k];
      }
      if (entry === undefined) unresolved(r, s, e);
      for (const x of containers(r, entry[0], entry[1], c.at, c.conds)) out.push(x);
    }
  } finally {
    r.depth--;
  }
  return out;
}

/** What an element of a container costs a read that walks it, in steps (the objects it makes). */
const ELEMENT_STEPS = 8;

/** A table's entries and (a dict's) keys as token ranges, made once per document for each table literal (by its entries, which r.tables keeps). */
function partsOf(r: Resolver, entries: readonly TableEntry[], dict: boolean): { entries: Array<[number, number]>; keys: Array<[number, number]> } {
  const memo = tableMemos(r).parts;
  let parts = memo.get(entries);
  if (parts === undefined) {
    parts = { entries: [], keys: [] };
    for (const entry of entries) {
      parts.entries.push(entry.value);
      if (dict) parts.keys.push([entry.keyStart ?? entry.value[0] - 1, entry.value[0] - 1]);
    }
    memo.set(entries, parts);
  }
  return parts;
}



/**
 * The members of the Enum class of the module that [s, e) names (`for s in Names:`): each the value
 * it is written with (`CRM = "crm_api"`), in order; null when [s, e) names no Enum class.
 */
function enumMembers(r: Resolver, s: number, e: number, at: At): { cls: number; elements: Elem[] } | null {
  const { buf } = r.scan;
  if (e !== s + 1 || buf.kind[s] !== IDENT) return null;
  const cls = classNamed(r, s, at);
  if (cls < 0 || !isEnum(r, cls)) return null;
  const elements: Elem[] = [];
  for (const stmt of scopeStatements(r, cls)) {
    charge(r, 1);
    const a = S.start[stmt]!;
    if (S.scope[stmt] !== cls || buf.kind[a] !== IDENT || !isOp(buf, a + 1, OP_ASSIGN) || nameAt(r, a).startsWith('_')) continue;
    elements.push({ s: a + 2, e: statementEnd(r, stmt), parts: null, at: { scope: cls, stmt, frame: null }, conds: NO_CONDS });
  }
  return { cls, elements };
}

/**
 * `s.value` where `s` is a loop's or a comprehension's variable over an Enum class of the module
 * (`for s in Names:`, of strings or not): each member's value; null when `s` is no such variable.
 */
export function enumLoopValues(r: Resolver, t: number, at: At): Alternative[] | null {
  let defs: Def[];
  try {
    defs = r.ev.lookup(r, t, at);
  } catch (err) {
    if (err instanceof Unresolved) return null;
    throw err;
  }
  if (defs.length === 0 || defs.some((d) => d.kind !== DEF_FOR || (d.unpack?.length ?? 0) > 0)) return null;
  const out: Alternative[] = [];
  for (const d of defs) {
    const members = enumMembers(r, d.start, d.end, { scope: d.scope, stmt: d.stmt, frame: null });
    if (members === null) return null;
    for (const m of members.elements) for (const p of r.ev.expr(r, m.s, m.e, m.at)) out.push(withConds(p, d.conds));
    if (out.length > MAX_PATHS) unresolved(r, t, t + 3);
  }
  return out;
}
