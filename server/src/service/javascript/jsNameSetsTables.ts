// Tables of names for the JavaScript / TypeScript name-set resolver: object and array literals,
// `Object.freeze` of one, a `Map` built from pairs, a TypeScript enum, read by a key (`T[k]`,
// `T.get(k)`), by a member (`T.k`) or over a `for…of` loop; a table changed in place is unknown.
// A loop's row is a table per turn (`for (const nm of names)` over `[label, names]` rows, `row[1]`,
// `row.name`), as is an entry by a literal key (`CFG.names`, `CFG['names']`). A table of tables read
// by a key chosen at run time (`CONFIG[conv.env].crm`, `CONFIG[env]?.['crm']`, `const cfg =
// CONFIG[conv.env]`, `const { crm } = …`, `(CONFIG[env] ?? CONFIG.sandbox).crm`) is each inner table
// under the test of the key that chose it (a JsTable), as Python's is (nameSetsTables.ts).

import { skipGroup } from '../scan/calls';
import { environmentOfLiteral } from '../../../../protocol/environments';
import { under } from '../evaluate/combine';
import { complement, environmentSet, intersect, joinConds, noEnvironment, union, withConds } from '../evaluate/envSet';
import { type Alternative, type Cond, type EnvSet, NO_CONDS } from '../evaluate/values';
import { tick, Unresolved } from '../evaluate/evaluation';
import { ENV_FOLDED, ENV_NONE, envForm, stripGroup } from './jsNameSetsEnv';
import { assigned, callbackOver, calledFunction, conditionalParts, defaultOperator, eachReturn, envParameter, evalExpr, everyCall, find, splitArgs, testConds } from './jsNameSetsExpr';
import { mutated } from './jsNameSetsChanges';
import { pushedTables } from './jsNameSetsPush';
import { assignedAs } from './jsNameSetsFlow';
import { constructedField, isConstruction, madeChoice, objectField, staticFieldAs, thisField, thisFieldAs } from './jsNameSetsClass';
import { elementConds, NO_ROW_GUARDS, type RowGuard, rowGuards, testGuards } from './jsRowGuards';
import { callbackOf } from './jsCallbacks';
import { B_CONST, B_LET, B_PARAM, type JsBinding, type JsFunction, type JsPart, type RowPath } from './jsNameSetsIndex';
import { A_TABLE, attempt, bindingValue, collapse, fail, MAX_ALTS, MAX_DEPTH, NO_TABLE, SKIPPED, span, type JsNames, type JsTable, type TableEntry, entryByKey } from './jsNameSetsTypes';
import type { Span } from '../scan/types';
import { literalOf } from '../scan/literals';
import { CH_LBRACKET, CH_LPAREN, CLOSE, IDENT, OPEN, OP_OPTDOT, STRING, isOp, isOpen, tokenIs } from '../scan/tokens';
import { entryValues, evalTable, numberKey } from './jsTableLiterals';

/**
 * `for (const x of T)`: every element of the array T, or `Object.values(T)` / `Object.keys(T)` /
 * `Object.entries(T)` of a table; each element is taken on some turn of the loop, so no test
 * labels it. `for (const [k, x] of …)` takes the part of each element at its place.
 */
export function loopValues(r: JsNames, b: JsBinding, tok: number): Alternative[] {
  // `if (env === conv.env)` around the read, `env` a part of the same row: each row where its part's environment is.
  return iterated(r, b.ofFrom, b.ofTo, b.ofPath ?? [], b.ofKeys === true, rowGuards(r, b, tok));
}

/** The values the part at `path` of each element of the iterable [from0, to0) takes; `keys`: its keys (`for … in`); `guards`: tests of each element. */
export function iterated(r: JsNames, from0: number, to0: number, path: RowPath, keys = false, guards: readonly RowGuard[] = NO_ROW_GUARDS): Alternative[] {
  const out: Alternative[] = [];
  for (const p of elementParts(r, from0, to0, path, keys, guards)) {
    if (p.key) out.push(withConds({ name: p.entry.key, literal: p.entry.span, when: NO_CONDS, env: null }, p.conds));
    else for (const v of entryValues(r, p.entry)) out.push(withConds(v, p.conds));
    if (out.length > MAX_ALTS) return fail(r, from0, to0);
  }
  return possible(out);
}

/** One element's part: an entry whose value it is, or (`Object.keys`, an entry's key) whose key it is; the tests that chose its table. */
interface ElementPart {
  entry: TableEntry;
  key: boolean;
  conds: readonly Cond[];
}

/**
 * The part at `path` of each element of the iterable [from0, to0): the elements of the arrays it
 * may be (a row of another loop, `for (const nm of names)`, is each row's), or `Object.values(T)` /
 * `Object.keys(T)` / `Object.entries(T)` of a table.
 */
function elementParts(r: JsNames, from0: number, to0: number, path: RowPath, keys = false, guards: readonly RowGuard[] = NO_ROW_GUARDS): ElementPart[] {
  const { ix } = r;
  const { buf, text } = ix;
  let [from, to] = stripGroup(ix, from0, to0);
  let of: 'elements' | 'values' | 'keys' | 'entries' = keys ? 'keys' : 'elements';
  if (!keys && to - from >= 6 && tokenIs(text, buf, from, 'Object') && ix.isDot(from + 1) && isOpen(buf, from + 3, CH_LPAREN) && buf.match[from + 3] === to - 1) {
    const method = ix.word(from + 2);
    if (method !== 'values' && method !== 'keys' && method !== 'entries') return fail(r, from, to);
    of = method;
    from += 4;
    to--;
  }
  const out: ElementPart[] = [];
  for (const table of tablesOf(r, from, to)) {
    // Iterating `undefined` (a key the table of tables lacks) throws: no element.
    if (table.none !== A_TABLE) continue;
    for (const entry of table.entries) {
      if (of === 'elements' && !entry.element) return fail(r, from0, to0);
      // The tests of this element alone (jsRowGuards.ts), after the ones that chose its table.
      const conds = guards.length === 0 ? table.conds : [...table.conds, ...elementConds(r, entry, of === 'entries' ? entry.key : null, guards, (e, p) => literalAt(r, e, p))];
      if (of === 'keys' || (of === 'entries' && path[0] === 0)) {
        if (entry.element || path.length > (of === 'keys' ? 0 : 1)) return fail(r, from0, to0);
        out.push({ entry, key: true, conds });
        continue;
      }
      if (of === 'entries' && path[0] !== 1) return fail(r, from0, to0);
      for (const e of part(r, entry, of === 'entries' ? path.slice(1) : path)) out.push({ entry: e, key: false, conds });
      if (out.length > MAX_ALTS) return fail(r, from0, to0);
    }
  }
  return out;
}

/**
 * The string literal at `path` inside the element `entry` (an entry of a literal, or a field of an
 * object `new Cls(…)` makes), or null where it is anything else or cannot be known.
 */
function literalAt(r: JsNames, entry: TableEntry, path: RowPath): string | null {
  const { buf, text } = r.ix;
  const field = path.length === 1 && typeof path[0] === 'string' && isConstruction(r, entry.from, entry.to) ? path[0] : null;
  if (field !== null) {
    const values = attempt(() => constructedField(r, entry.from, field, entry.from, entry.to));
    return values instanceof Unresolved || values.length !== 1 || values[0]!.when.length > 0 ? null : values[0]!.name;
  }
  const parts = attempt(() => part(r, entry, path));
  const one = parts instanceof Unresolved || parts.length !== 1 ? undefined : parts[0]!;
  return one !== undefined && one.to === one.from + 1 && buf.kind[one.from] === STRING ? literalOf(text, buf, one.from, one.to, false).value : null;
}

/**
 * The entries at `path` inside the element `entry` (an array or object literal, or a name bound to
 * one, at each level): an array's element by its index, an object's entry by its key.
 */
function part(r: JsNames, entry: TableEntry, path: RowPath): TableEntry[] {
  if (path.length === 0) return [entry];
  // A mapped array's element taken apart: its parts would come apart from one another.
  if (entry.every || entry.values !== undefined) return fail(r, entry.from, entry.to);
  const out: TableEntry[] = [];
  const place = path[0]!;
  for (const row of tablesOf(r, entry.from, entry.to)) {
    const inner = row.none !== A_TABLE ? undefined : typeof place === 'number' ? row.entries[place] : entryByKey(row.entries, place);
    if (!inner || inner.element !== (typeof place === 'number')) return fail(r, entry.from, entry.to);
    out.push(...part(r, inner, path.slice(1)));
  }
  return out;
}

/**
 * The tables [from, to) may be: one (a literal, a name bound to one), or one per turn of a loop
 * (`names` of `for (const [label, names] of ROWS)`, a callback's parameter over rows, `row[1]`),
 * and an entry of each by a literal key (`CFG.names`, `CFG['names']`, `row[1]`). A key one of them
 * lacks, or a key chosen at run time (`ROWS[i]`), is unknown, unless the tables are chosen: an
 * entry of a table of tables by any key (`CONFIG[conv.env]`, `CONFIG[k]`: each inner table under
 * the key's test, and none where the key is missing), a default after one (`?? CONFIG.sandbox`, `||`),
 * a name bound to them (`const cfg = CONFIG[conv.env]`, `const { live } = CONFIG`).
 */
function tablesOf(r: JsNames, from0: number, to0: number): JsTable[] {
  const { ix } = r;
  const { buf } = ix;
  const [from, to] = stripGroup(ix, from0, to0);
  if (to > from) tick(r, from0, to0);
  if (to <= from || r.depth >= MAX_DEPTH) return fail(r, from0, Math.max(to0, from0 + 1));
  r.depth++;
  try {
    const out = chosenTables(r, from, to);
    // An optional chain ends with its parentheses: `(CONFIG[env]?.x).y` throws where it is undefined.
    if (from !== from0 && isOpen(buf, from0, CH_LPAREN)) for (let k = 0; k < out.length; k++) if (out[k]!.none === SKIPPED) out[k] = { entries: NO_ENTRIES, conds: out[k]!.conds, none: NO_TABLE };
    return out;
  } finally {
    r.depth--;
  }
}

function chosenTables(r: JsNames, from: number, to: number): JsTable[] {
  const { ix } = r;
  const { buf } = ix;
  if (to === from + 1 && buf.kind[from] === IDENT) {
    const b = find(r, ix.word(from), from);
    const rows = b === null ? null : b.ofFrom >= 0 ? ([b.ofFrom, b.ofTo] as const) : b.kind === B_PARAM ? callbackOver(r, b) : null;
    // `for (const k in T)`: k is a key, no table.
    if (b !== null && b.ofKeys) return fail(r, from, to);
    // A function's own parameter (`function readAll(conv, names) { for (const n of names) … }`): the
    // tables each call of the file passes (its default too when it may be called from outside: open).
    if (b !== null && rows === null && b.kind === B_PARAM && b.fn && b.ofPath === undefined && b.part === undefined && !assigned(r, b) && !mutated(r, b)) {
      return everyCall(r, b, from, (a, z) => tablesOf(r, a, z), (ts, tests) => {
        const conds = testConds(r, tests);
        return conds === null ? [] : ts.map((x) => chosenBy(x, conds));
      });
    }
    if (b !== null && rows !== null) {
      if (r.active.has(b) || assigned(r, b) || mutated(r, b)) return fail(r, from, to);
      r.active.add(b);
      try {
        const out: JsTable[] = [];
        // `if (row.env === conv.env)` around the read: each row where its entry's environment is.
        for (const p of elementParts(r, rows[0], rows[1], b.ofPath ?? [], false, rowGuards(r, b, from))) {
          if (p.key) return fail(r, from, to);
          for (const t of evalTables(r, p.entry)) out.push(chosenBy(t, p.conds));
          if (out.length > MAX_ALTS) return fail(r, from, to);
        }
        return out;
      } finally {
        r.active.delete(b);
      }
    }
    // `let cfg; if (…) cfg = LIVE; else cfg = SANDBOX;`: each assignment's tables under its branch's tests.
    if (b !== null && b.kind === B_LET && b.part === undefined && !b.fn && b.ofFrom < 0 && assigned(r, b)) return assignedTables(r, b, from, to);
    if (b !== null && (b.part !== undefined || ((b.kind === B_CONST || b.kind === B_LET) && b.valueFrom >= 0 && !b.fn && b.ofFrom < 0 && choosesTables(r, b)))) return boundTables(r, b, from, to);
    // `const names = NAMES.map((p) => …)`: the mapped array; `const row = ROWS.find((r) => …)`: each row found.
    if (b !== null && (b.kind === B_CONST || b.kind === B_LET) && b.valueFrom >= 0 && !b.fn && b.ofFrom < 0 && b.part === undefined && callsBack(r, b.valueFrom, b.valueTo)) {
      if (r.active.has(b) || (b.kind !== B_CONST && assigned(r, b)) || mutated(r, b)) return fail(r, from, to);
      return tablesOf(r, b.valueFrom, b.valueTo);
    }
    // `const names = [];` then `names.push(…)`: what it is written with, then what each call adds.
    if (b !== null && b.kind === B_CONST && b.valueFrom >= 0 && !b.fn && b.ofFrom < 0 && b.part === undefined && isOpen(buf, b.valueFrom, CH_LBRACKET)) {
      const pushed = pushedTables(r, b, from);
      if (pushed !== null) return [{ entries: evalTable(r, b.valueFrom, b.valueTo), conds: NO_CONDS, none: A_TABLE }, ...pushed];
    }
    return [{ entries: evalTable(r, from, to), conds: NO_CONDS, none: A_TABLE }];
  }
  // A literal written out (a row of rows, an inner table): itself.
  if (buf.kind[from] === OPEN && buf.match[from] === to - 1) return [{ entries: evalTable(r, from, to), conds: NO_CONDS, none: A_TABLE }];
  // `this.NAMES`, `Crm.NAMES`: the tables a field of a class of the file holds (jsNameSetsClass.ts).
  if (to === from + 3 && buf.kind[from] === IDENT && ix.isDot(from + 1) && buf.kind[from + 2] === IDENT) {
    // `config.SECRETS` of `import * as config from './config'`.
    const imported = r.namespaceTable?.(from, to) ?? null;
    if (imported !== null) return [{ entries: imported, conds: NO_CONDS, none: A_TABLE }];
    if (tokenIs(ix.text, buf, from, 'this')) {
      const held = thisFieldAs(r, from, to, (a, z) => tablesOf(r, a, z));
      return held.length > 1 ? held.map((t) => ({ ...t, family: true as const })) : held;
    }
    const held = staticFieldAs(r, from, to, (a, z) => tablesOf(r, a, z));
    if (held !== null) return held;
  }
  // `conv.env === 'live' ? LIVE : SANDBOX`: each side's tables where the test holds or fails.
  const cond = conditionalParts(r, from, to);
  if (cond !== null) {
    const out: JsTable[] = [];
    for (const t of tablesOf(r, cond.q + 1, cond.colon)) out.push(chosenBy(t, [cond.holds]));
    for (const t of tablesOf(r, cond.colon + 1, to)) out.push(chosenBy(t, [cond.fails]));
    return out;
  }
  const body = mappedBody(r, from, to);
  if (body !== null) return [{ entries: [{ key: '', written: '', span: span(r, body[0], body[1]), from: body[0], to: body[1], element: true, every: true }], conds: NO_CONDS, none: A_TABLE }];
  const found = foundTables(r, from, to);
  if (found !== null) return found;
  // `getConfig(conv)`: a function of the file whose returns choose tables.
  const fn = calleeOf(r, from, to);
  if (fn !== null) return returnedTables(r, fn, buf.match[to - 1]!, from, to);
  const op = defaultOperator(r, from, to);
  if (op !== null) return defaultTables(r, from, op, to);
  const key = literalKey(r, from, to);
  if (key === null) {
    const last = to - 1;
    const open = buf.kind[last] === CLOSE && buf.aux[last] === 93 ? buf.match[last]! : -1;
    if (open > from) return keyedTables(r, from, isOp(buf, open - 1, OP_OPTDOT) ? open - 1 : open, open + 1, last, to);
    return [{ entries: evalTable(r, from, to), conds: NO_CONDS, none: A_TABLE }];
  }
  const out: JsTable[] = [];
  for (const outer of tablesOf(r, from, key.objectEnd)) {
    const table = step(outer, key.optional);
    if (table === null) continue;
    const entry = table.none === A_TABLE ? entryByKey(table.entries, key.name) : undefined;
    if (entry) for (const t of evalTables(r, entry)) out.push(chosenBy(t, table.conds));
    // A chosen table without the key: `undefined` there (a table written once must have it).
    else if (table.none !== A_TABLE || table.conds.length > 0) out.push({ entries: NO_ENTRIES, conds: table.conds, none: table.none === A_TABLE ? NO_TABLE : table.none });
    else return fail(r, from, to);
    if (out.length > MAX_ALTS) return fail(r, from, to);
  }
  return out;
}

const NO_ENTRIES: readonly TableEntry[] = [];

/**
 * `X.map((p) => body)` over [from, to): the body's tokens, whose parameter callbackOver follows to
 * X's elements; null when [from, to) is not such a call (jsCallbacks.ts).
 */
function mappedBody(r: JsNames, from: number, to: number): [number, number] | null {
  return callbackOf(r.ix, from, to, 'map')?.body ?? null;
}

/** Whether [from, to) is `X.map(…)` or `X.find(…)` of a callback (a TypeScript `!` after it allowed). */
function callsBack(r: JsNames, from0: number, to0: number): boolean {
  const [from, to] = stripGroup(r.ix, from0, to0);
  return mappedBody(r, from, to) !== null || callbackOf(r.ix, from, to, 'find') !== null;
}

/**
 * `X.find((r) => test)` over [from, to): each element of X, under the tests in `test` that compare
 * it with the environment (`r.env === conv.env`: jsRowGuards.ts), and `undefined` (none found);
 * null when [from, to) is not such a call.
 */
function foundTables(r: JsNames, from: number, to: number): JsTable[] | null {
  const rows = foundRows(r, from, to);
  if (rows === null) return null;
  const out: JsTable[] = [];
  for (const p of rows) {
    if (p.key) return fail(r, from, to);
    for (const t of evalTables(r, p.entry)) out.push(chosenBy(t, p.conds));
    if (out.length > MAX_ALTS) return fail(r, from, to);
  }
  out.push({ entries: NO_ENTRIES, conds: NO_CONDS, none: NO_TABLE });
  return out;
}

/** The rows `X.find((r) => test)` at [from, to) may find: X's elements, each under the callback's tests of it (foundTables's); null when [from, to) is no such call. */
function foundRows(r: JsNames, from: number, to: number): ElementPart[] | null {
  const cb = callbackOf(r.ix, from, to, 'find');
  if (cb === null || (cb.param < 0 && cb.pattern < 0)) return null;
  // The callback's parameter, or a name of its pattern (`([env]) =>`, `({ env }) =>`), is the row.
  const ofRow = (b: JsBinding): boolean => b.kind === B_PARAM && (cb.param >= 0 ? b.tok === cb.param : b.tok > cb.pattern && b.tok < r.ix.buf.match[cb.pattern]!);
  return elementParts(r, from, cb.open - 2, [], false, testGuards(r, ofRow, cb.body[0], cb.body[1]));
}

/** The function of the file the call [from, to) calls (`getConfig(conv)`, `Config.forEnv(conv)`), or null. */
function calleeOf(r: JsNames, from: number, to: number): JsFunction | null {
  const { buf } = r.ix;
  const last = to - 1;
  if (buf.kind[last] !== CLOSE || buf.aux[last] !== 41) return null;
  const open = buf.match[last]!;
  return open > from && isOpen(buf, open, CH_LPAREN) ? calledFunction(r, from, open) : null;
}

/**
 * The tables a call of `fn` (its arguments at `open`) returns: each return's, under the tests on
 * its way, the call's arguments bound while they are chosen.
 */
function returnedTables(r: JsNames, fn: JsFunction, open: number, from: number, to: number): JsTable[] {
  const args = splitArgs(r, open);
  if (args === null) return fail(r, from, to);
  const out: JsTable[] = [];
  eachReturn(r, fn, args, from, to, (path) => {
    const conds = testConds(r, path.tests);
    if (conds === null) return;
    for (const t of tablesOf(r, path.from, path.to)) out.push(chosenBy(t, conds));
    if (out.length > MAX_ALTS) fail(r, from, to);
  });
  return out;
}

/** The tables a `let` given others after its declaration holds at the read at `from` (jsNameSetsFlow.ts's walk). */
function assignedTables(r: JsNames, b: JsBinding, from: number, to: number): JsTable[] {
  if (r.active.has(b) || mutated(r, b)) return fail(r, from, to);
  r.active.add(b);
  try {
    return assignedAs<JsTable>(r, b, from, {
      read: (a, z) => tablesOf(r, a, z),
      under: (tables, tests) => {
        const conds = testConds(r, tests);
        return conds === null ? [] : tables.map((t) => chosenBy(t, conds));
      },
      unset: () => ({ entries: NO_ENTRIES, conds: NO_CONDS, none: NO_TABLE }),
    });
  } finally {
    r.active.delete(b);
  }
}

/** `t` where `conds` (outer tests) chose it too. */
function chosenBy(t: JsTable, conds: readonly Cond[]): JsTable {
  return conds.length === 0 ? t : { entries: t.entries, conds: joinConds(conds, t.conds), none: t.none };
}

/**
 * A step of a chain (`.k`, `[k]`; `optional`: `?.`) from table `t`: the table to read, or null where
 * it throws (a step from `undefined`). From `undefined` an optional step, or any after one, skips.
 */
function step(t: JsTable, optional: boolean): JsTable | null {
  if (t.none === A_TABLE || t.none === SKIPPED) return t;
  return optional ? { entries: NO_ENTRIES, conds: t.conds, none: SKIPPED } : null;
}

/** Whether the value of `b` chooses tables (an entry by a key, a default after one) rather than writing one (a literal, `new Map`, `Object.freeze`, a name): decided once per binding. */
function choosesTables(r: JsNames, b: JsBinding): boolean {
  let known = choosing.get(b);
  if (known === undefined) choosing.set(b, (known = isChoice(r, b.valueFrom, b.valueTo)));
  return known;
}

/** choosesTables' answers (one document's, while it is analysed). */
const choosing = new WeakMap<JsBinding, boolean>();

function isChoice(r: JsNames, from: number, to: number): boolean {
  const { ix } = r;
  const { buf, text } = ix;
  [from, to] = stripGroup(ix, from, to);
  // A literal written out (`{…}`, `[…]`, `{…} as const`), walked no further.
  if (buf.kind[from] === OPEN && (buf.match[from] === to - 1 || tokenIs(text, buf, buf.match[from]! + 1, 'as') || tokenIs(text, buf, buf.match[from]! + 1, 'satisfies'))) return false;
  for (let k = from + 1; k < to; k = skipGroup(buf, k, to)) {
    if ((tokenIs(text, buf, k, 'as') || tokenIs(text, buf, k, 'satisfies')) && !ix.isDot(k - 1)) {
      [from, to] = stripGroup(ix, from, k);
      break;
    }
  }
  const last = to - 1;
  if (last <= from) return false;
  if (buf.kind[last] === CLOSE && buf.aux[last] === 93) return buf.match[last]! > from;
  return (buf.kind[last] === IDENT && ix.isDot(last - 1)) || defaultOperator(r, from, to) !== null || calleeOf(r, from, to) !== null || conditionalParts(r, from, to) !== null;
}

/**
 * The tables a name holds that is bound to a choice of them (`const cfg = CONFIG[conv.env]`), or that
 * takes one by its key (`const { live } = CONFIG`, then `live.crm`): unknown when it is given another
 * value or changed in place.
 */
function boundTables(r: JsNames, b: JsBinding, from: number, to: number): JsTable[] {
  const constant = b.part ? b.part.constant : b.kind === B_CONST;
  if (r.active.has(b) || (!constant && assigned(r, b)) || mutated(r, b) || b.valueFrom < 0) return fail(r, from, to);
  return bindingValue(r, b, from, r.chosen, () => (b.part ? partTables(r, b, from, to) : tablesOf(r, b.valueFrom, b.valueTo)));
}

/**
 * The entry a pattern's name takes from `table`: by its key; by its index from an array pattern,
 * which only a written array's element is (an object's entry `0` is not, and a mapped array's
 * element stands for all of them: unknown).
 */
function partEntry(r: JsNames, table: JsTable, part: JsPart, from: number, to: number): TableEntry | undefined {
  const entry = entryByKey(table.entries, part.key);
  if (part.element && (table.entries.some((e) => !e.element || e.every) || (entry === undefined && table.entries.length === 0))) return fail(r, from, to);
  return entry;
}

/** The tables the entry `b.part.key` of each table of b's declared value is (its default's where that is undefined). */
function partTables(r: JsNames, b: JsBinding, from: number, to: number): JsTable[] {
  const part = b.part!;
  const out: JsTable[] = [];
  for (const outer of tablesOf(r, b.valueFrom, b.valueTo)) {
    // Destructuring `undefined` throws: no value there.
    if (outer.none !== A_TABLE) continue;
    const entry = partEntry(r, outer, part, from, to);
    if (entry) for (const t of evalTables(r, entry)) out.push(chosenBy(t, outer.conds));
    else if (part.defaultFrom >= 0) for (const t of tablesOf(r, part.defaultFrom, part.defaultTo)) out.push(chosenBy(t, outer.conds));
    else if (outer.conds.length > 0) out.push({ entries: NO_ENTRIES, conds: outer.conds, none: NO_TABLE });
    else return fail(r, from, to);
    if (out.length > MAX_ALTS) return fail(r, from, to);
  }
  return out;
}

/**
 * The values of a name a declaration takes by its key (`const { crm } = CONFIG[conv.env]`, `const {
 * crm = 'd' } = …`): the entry of each table of the declared value, under the tests that chose it.
 */
export function partValues(r: JsNames, b: JsBinding, t: number): Alternative[] {
  const part = b.part!;
  if (b.valueFrom < 0 || (!part.constant && assigned(r, b))) return fail(r, t, t + 1);
  return bindingValue(r, b, t, r.memo, () => partOf(r, part, b.valueFrom, b.valueTo, t));
}

/**
 * The entry `part.key` of each table the expression [from, to) may be (its default's where the
 * entry is missing or undefined), under the tests that chose the table: what a pattern's name
 * (read at `t`) takes from that value.
 */
export function partOf(r: JsNames, part: JsPart, from: number, to: number, t: number): Alternative[] {
  const out: Alternative[] = [];
  for (const table of tablesOf(r, from, to)) {
    if (table.none !== A_TABLE) continue;
    const entry = partEntry(r, table, part, t, t + 1);
    const values = entry ? entryValues(r, entry) : part.defaultFrom >= 0 ? evalExpr(r, part.defaultFrom, part.defaultTo) : table.conds.length > 0 ? [undefinedAt(r, t, t + 1)] : fail(r, t, t + 1);
    // A default is taken where the entry is undefined too (`{ crm: undefined }`).
    for (const v of values) {
      if (entry && v.name === null && part.defaultFrom >= 0) for (const d of evalExpr(r, part.defaultFrom, part.defaultTo)) out.push(withConds(withConds(d, v.when), table.conds));
      else out.push(withConds(v, table.conds));
    }
    if (out.length > MAX_ALTS) return fail(r, t, t + 1);
  }
  return possible(out);
}

/** `a ?? b` / `a || b` of tables (`op`: the operator's first token): a's tables, and b's under the tests of each of a's that is none. */
function defaultTables(r: JsNames, from: number, op: number, to: number): JsTable[] {
  const { buf } = r.ix;
  const right = isOp(buf, op + 1, 63) && buf.end[op] === buf.start[op + 1] ? op + 2 : op + 1;
  const out: JsTable[] = [];
  let fallback: JsTable[] | null = null;
  for (const t of tablesOf(r, from, op)) {
    if (t.none === A_TABLE) out.push(t);
    else for (const d of (fallback ??= tablesOf(r, right, to))) out.push(chosenBy(d, t.conds));
    if (out.length > MAX_ALTS) return fail(r, from, to);
  }
  return possibleTables(out);
}

/**
 * `X[k]` of tables by a key chosen at run time: each entry of each table of X the key may choose,
 * as tables, under the key's test (and X's own); none where the key is missing. X an array: unknown.
 */
function keyedTables(r: JsNames, from: number, objectEnd: number, keyFrom: number, keyTo: number, to: number): JsTable[] {
  if (keyTo <= keyFrom) return fail(r, from, to);
  const optional = isOp(r.ix.buf, objectEnd, OP_OPTDOT);
  const out: JsTable[] = [];
  for (const outer of tablesOf(r, from, objectEnd)) {
    const table = step(outer, optional);
    if (table === null) continue;
    if (table.none !== A_TABLE) {
      out.push(table);
      continue;
    }
    // An array's row chosen at run time (`ROWS[i]`) is not followed: which turn reads which is unknown.
    if (table.entries.length > 0 && table.entries[0]!.element) return fail(r, from, to);
    const outerConds = table.conds;
    choose(r, table.entries, from, objectEnd, keyFrom, keyTo, to, (entry) => evalTables(r, entry), (c, inner) => {
      const conds = joinConds(outerConds, c.when);
      if (inner) for (const t of inner) out.push(chosenBy(t, conds));
      else out.push({ entries: NO_ENTRIES, conds, none: NO_TABLE });
      if (out.length > MAX_ALTS) fail(r, from, to);
    });
  }
  return possibleTables(out);
}

/** The tables an entry's value may be. */
function evalTables(r: JsNames, entry: TableEntry): JsTable[] {
  // Another module's object of objects: its inner tables are not given.
  if (entry.values !== undefined) return fail(r, entry.from, entry.to);
  return tablesOf(r, entry.from, entry.to);
}

/** Tables some environment can choose. */
function possibleTables(tables: JsTable[]): JsTable[] {
  return tables.filter((t) => !noEnvironment(envOf(t.conds) ?? 1));
}

/** Values some environment can take. */
function possible(values: Alternative[]): Alternative[] {
  return values.filter((v) => v.env === null || !noEnvironment(v.env));
}

function envOf(conds: readonly Cond[]): EnvSet | null {
  let env: EnvSet | null = null;
  for (const c of conds) env = intersect(env, c.env);
  return env;
}

/** `undefined` read at [from, to). */
function undefinedAt(r: JsNames, from: number, to: number): Alternative {
  return { name: null, literal: span(r, from, to), when: NO_CONDS, env: null };
}

/** `X.k`, `X['k']`, `X[0]` (`X?.k`, `X?.['k']`: `optional`) at [from, to): the key, and where X ends; null for any other form. */
function literalKey(r: JsNames, from: number, to: number): { name: string; objectEnd: number; optional: boolean } | null {
  const { ix } = r;
  const { buf, text } = ix;
  const last = to - 1;
  if (buf.kind[last] === IDENT && ix.isDot(last - 1) && last - 1 > from) return { name: ix.word(last), objectEnd: last - 1, optional: isOp(buf, last - 1, OP_OPTDOT) };
  if (buf.kind[last] !== CLOSE || buf.aux[last] !== 93) return null;
  const open = buf.match[last]!;
  if (open <= from || open + 2 !== last) return null;
  const name = numberKey(r, open + 1) ?? (buf.kind[open + 1] === STRING ? literalOf(text, buf, open + 1, open + 2, false).value : null);
  const optional = isOp(buf, open - 1, OP_OPTDOT);
  return name === null || (optional && open - 1 <= from) ? null : { name, objectEnd: optional ? open - 1 : open, optional };
}

/** `x.k`: a table's entry by a fixed key (of each table x may be); a class's static field or an instance's field (jsNameSetsClass.ts). */
export function member(r: JsNames, from: number, dot: number, to: number): Alternative[] {
  if (dot === from + 1 && tokenIs(r.ix.text, r.ix.buf, from, 'this')) return thisField(r, from, to);
  if (dot === from + 1 && r.ix.buf.kind[from] === IDENT) {
    const imported = r.namespaceRead === null || to !== dot + 2 ? null : r.namespaceRead(from, to);
    if (imported !== null) return imported;
    const field = objectField(r, from, to) ?? instanceRows(r, from, to);
    if (field !== null) return field;
  }
  const tables = attempt(() => tablesOf(r, from, dot));
  // No table there: an object made by a class of the file, in a table (`X[k].name`, `X.k.name`)?
  if (tables instanceof Unresolved) return indexedField(r, from, dot, to) ?? entryField(r, from, dot, to) ?? fail(r, from, to);
  return entryOfEach(r, tables, r.ix.word(to - 1), isOp(r.ix.buf, dot, OP_OPTDOT), from, to);
}

/**
 * `X[k].name` at [from, to) (`dot` the last `.`) where every entry of the table X is an object made
 * by a class of the file (`{ live: new Settings('crm_prod'), … }`, or a `const` holding one): the
 * field of each entry the key chooses, under the tests that choose it (a missing key: `undefined`).
 * Null when X is not one such table (its entries are read as tables: entryOfEach).
 */
function indexedField(r: JsNames, from: number, dot: number, to: number): Alternative[] | null {
  const { buf } = r.ix;
  const close = dot - 1;
  if (buf.kind[close] !== CLOSE || buf.aux[close] !== CH_LBRACKET + 2 || isOp(buf, dot, OP_OPTDOT)) return null;
  const open = buf.match[close]!;
  if (open <= from || close <= open + 1 || isOp(buf, open - 1, OP_OPTDOT)) return null;
  const tables = attempt(() => tablesOf(r, from, open));
  if (tables instanceof Unresolved || tables.length !== 1 || tables[0]!.none !== A_TABLE) return null;
  const { entries, conds } = tables[0]!;
  if (entries.length === 0 || !entries.every((x) => madeEntry(r, x))) return null;
  const name = r.ix.word(to - 1);
  const out: Alternative[] = [];
  choose(r, entries, from, open, open + 1, close, to, (entry) => madeChoice(r, entry.from, entry.to, name, from, to) ?? fail(r, from, to), (c, values) => {
    if (values === null) out.push(withConds({ name: null, literal: c.literal, when: c.when, env: c.env }, conds));
    else if (!c.known) for (const v of under(values, c.when[0]!, c.env)) out.push(withConds(v, conds));
    else {
      // Known keys: their entries, under the keys' own conditions (as index takes them).
      for (const a of values) {
        const env = intersect(c.env, a.env);
        if (env === null || !noEnvironment(env)) out.push(withConds({ name: a.name, literal: a.literal, when: [...c.when, ...a.when], env }, conds));
      }
    }
    if (out.length > MAX_ALTS) fail(r, from, to);
  });
  return possible(out);
}

/**
 * `X.k.name` at [from, to) (`dot` the last `.`) where the entry `k` of each table X may be is an
 * object made by a class of the file (or a `const` holding one): its field, under the tests that
 * chose the table. Null otherwise (the entry is read as a table: entryOfEach).
 */
function entryField(r: JsNames, from: number, dot: number, to: number): Alternative[] | null {
  const { ix } = r;
  const key = dot - 1;
  if (ix.buf.kind[key] !== IDENT || !ix.isDot(key - 1) || isOp(ix.buf, key - 1, OP_OPTDOT) || key - 1 <= from) return null;
  const tables = attempt(() => tablesOf(r, from, key - 1));
  if (tables instanceof Unresolved || tables.length === 0) return null;
  const entries: Array<[TableEntry, readonly Cond[]]> = [];
  for (const t of tables) {
    // Where no table is (a key that chose none), `X.k.name` throws: no value there.
    const table = step(t, false);
    if (table === null || table.none !== A_TABLE) continue;
    const entry = entryByKey(table.entries, ix.word(key));
    if (entry === undefined || !madeEntry(r, entry)) return null;
    entries.push([entry, table.conds]);
  }
  if (entries.length === 0) return null;
  const name = ix.word(to - 1);
  const out: Alternative[] = [];
  for (const [entry, conds] of entries) for (const v of madeChoice(r, entry.from, entry.to, name, from, to) ?? fail(r, from, to)) out.push(withConds(v, conds));
  return out.length > MAX_ALTS ? fail(r, from, to) : possible(out);
}

/** Whether a table's entry is `new Cls(…)`, or a `const` holding one (`LIVE` of `const LIVE = new Settings(…)`). */
function madeEntry(r: JsNames, entry: TableEntry): boolean {
  const [a, e] = stripGroup(r.ix, entry.from, entry.to);
  if (isConstruction(r, a, e)) return true;
  const b = e === a + 1 && r.ix.buf.kind[a] === IDENT ? find(r, r.ix.word(a), a) : null;
  if (b === null || b.kind !== B_CONST || b.valueFrom < 0 || b.fn || b.ofFrom >= 0 || b.part !== undefined) return false;
  const [va, ve] = stripGroup(r.ix, b.valueFrom, b.valueTo);
  return isConstruction(r, va, ve);
}

/**
 * `p.secret` at [from, to) of a loop's variable over objects made by classes of the file (`for
 * (const p of PROVIDERS)` over `[new Provider('CRM', 'crm_api'), …]`): each construction's field,
 * as `new Provider(…).secret` holds it, on the row's tests. Null where `p` is no loop's variable or
 * its first row is no construction (a table, read by entryOfEach).
 */
function instanceRows(r: JsNames, from: number, to: number): Alternative[] | null {
  const b = find(r, r.ix.word(from), from);
  if (b === null || b.ofKeys || (b.kind !== B_CONST && b.kind !== B_LET)) return null;
  // A loop's variable, or a name holding the row `X.find(…)` finds (`const p = PROVIDERS.find((x) => x.env === conv.env)!`).
  const held = b.ofFrom < 0 && b.valueFrom >= 0 && !b.fn && b.part === undefined ? stripGroup(r.ix, b.valueFrom, b.valueTo) : null;
  const parts = held !== null ? foundRows(r, held[0], held[1]) : b.ofFrom >= 0 ? elementParts(r, b.ofFrom, b.ofTo, b.ofPath ?? [], false, rowGuards(r, b, from)) : null;
  if (parts === null || parts.length === 0 || parts[0]!.key || !isConstruction(r, parts[0]!.entry.from, parts[0]!.entry.to)) return null;
  if (assigned(r, b) || mutated(r, b)) return fail(r, from, to);
  const name = r.ix.word(to - 1);
  const out: Alternative[] = [];
  for (const p of parts) {
    if (p.key || !isConstruction(r, p.entry.from, p.entry.to)) return fail(r, from, to);
    for (const v of constructedField(r, p.entry.from, name, from, to)) out.push(withConds(v, p.conds));
    if (out.length > MAX_ALTS) return fail(r, from, to);
  }
  // `p?.secret`: none found gives `undefined` (`p.secret` would throw there).
  if (held !== null && isOp(r.ix.buf, from + 1, OP_OPTDOT)) out.push(undefinedAt(r, from, to));
  return possible(out);
}

/**
 * The values of the entry `key` of each of `tables` (`optional`: read with `?.`), under the tests
 * that chose each; [from, to) the read of it. A table written once must have the key; a chosen one
 * without it, or none, gives `undefined` there (a step from none that is not optional throws: nothing).
 */
function entryOfEach(r: JsNames, tables: readonly JsTable[], key: string, optional: boolean, from: number, to: number): Alternative[] {
  const out: Alternative[] = [];
  for (const t of tables) {
    const table = step(t, optional);
    if (table === null) continue;
    const entry = table.none === A_TABLE ? entryByKey(table.entries, key) : undefined;
    if (entry) for (const v of entryValues(r, entry)) out.push(withConds(v, table.conds));
    else if (table.none !== A_TABLE || table.conds.length > 0) out.push(withConds(undefinedAt(r, from, to), table.conds));
    else return fail(r, from, to);
    if (out.length > MAX_ALTS) return fail(r, from, to);
  }
  return possible(out);
}

/** An entry a key chooses (null: the key is missing), with the test that chooses it; `known`: chosen by the key's own values (their tests, not a test of the key). */
interface Choice {
  entry: TableEntry | null;
  when: readonly Cond[];
  env: EnvSet | null;
  literal: Span | null;
  known: boolean;
}

/**
 * The entries of `table` the key [keyFrom, keyTo) of `X[k]` ([from, objectEnd) is X, [from, to)
 * the whole) chooses, each given to `take` with what `read` made of it (in order, each read before
 * its test is made): each in its key's environments when the key is `conv.env`; those of the key's
 * values when it resolves; else each, under `k === key`. Then the key missing, where it may be.
 */
function choose<T>(r: JsNames, table: readonly TableEntry[], from: number, objectEnd: number, keyFrom: number, keyTo: number, to: number, read: (entry: TableEntry) => T, take: (c: Choice, value: T | null) => void): void {
  const { ix } = r;
  const keyText = collapse(ix.text.slice(ix.buf.start[keyFrom]!, ix.buf.end[keyTo - 1]!), 40);
  const form = envForm(ix, keyFrom, keyTo, 0, envParameter(r, r.frame));
  const byEnv = form !== ENV_NONE;
  const position = keyTo === keyFrom + 1 ? numberKey(r, keyFrom) : null;
  const keys = byEnv ? null : position !== null ? [{ name: position, literal: span(r, keyFrom, keyTo), when: NO_CONDS, env: null }] : attempt(() => evalExpr(r, keyFrom, keyTo));
  if (keys !== null && !(keys instanceof Unresolved)) {
    for (const k of keys) {
      const entry = (k.name === null ? undefined : entryByKey(table, k.name)) ?? null;
      take({ entry, when: k.when, env: k.env, literal: k.literal, known: true }, entry ? read(entry) : null);
    }
    return;
  }
  let seen: EnvSet = 0;
  for (const entry of table) {
    const value = read(entry);
    const env = byEnv ? environmentSet(r, environmentOfLiteral(entry.key, form === ENV_FOLDED)) : null;
    if (env !== null) seen = union(seen, env);
    take({ entry, when: [{ text: `${keyText} === ${entry.written}`, span: entry.span, holds: true, env }], env, literal: null, known: false }, value);
  }
  // A key that is none of these: the lookup misses (undefined), which a default after it replaces.
  const rest = byEnv ? complement(r, seen) : null;
  if (rest === null || !noEnvironment(rest)) {
    const base = collapse(ix.text.slice(ix.buf.start[from]!, ix.buf.end[objectEnd - 1]!), 40);
    take({ entry: null, when: [{ text: `!(${keyText} in ${base})`, span: span(r, keyFrom, keyTo), holds: true, env: rest }], env: rest, literal: span(r, from, to), known: false }, null);
  }
}

/** `x[k]`: a table's entry by a key; every entry when the key is not known, labelled with its key. */
export function index(r: JsNames, from: number, objectEnd: number, keyFrom: number, keyTo: number, to: number): Alternative[] {
  const { ix } = r;
  const tables = attempt(() => tablesOf(r, from, objectEnd));
  // A table of this file that does not resolve names its part; anything else (`req.query[k]`) is named whole.
  if (tables instanceof Unresolved) {
    if (objectEnd === from + 1 && find(r, ix.word(from), from)) throw tables;
    return fail(r, from, to);
  }
  const optional = isOp(ix.buf, objectEnd, OP_OPTDOT);
  // The rows of a loop (`row[0]`): a fixed key's entry of each, which each must have.
  if (tables.length !== 1 && (tables.length === 0 || !tables.every((t) => t.conds.length > 0 || t.family))) {
    const key = literalKey(r, from, to);
    return key === null ? fail(r, from, to) : entryOfEach(r, tables, key.name, optional, from, to);
  }
  if (keyTo <= keyFrom) return fail(r, from, to);
  const out: Alternative[] = [];
  for (const t of tables) {
    const table = step(t, optional);
    if (table === null) continue;
    if (table.none !== A_TABLE) {
      out.push(withConds(undefinedAt(r, from, to), table.conds));
      continue;
    }
    const { conds } = table;
    choose(r, table.entries, from, objectEnd, keyFrom, keyTo, to, (entry) => entryValues(r, entry), (c, values) => {
      if (values === null) {
        out.push(withConds({ name: null, literal: c.literal, when: c.when, env: c.env }, conds));
        return;
      }
      if (!c.known) {
        for (const v of under(values, c.when[0]!, c.env)) out.push(withConds(v, conds));
        if (out.length > MAX_ALTS) fail(r, from, to);
        return;
      }
      // Known keys: their entries, under the keys' own conditions.
      for (const a of values) {
        const env = intersect(c.env, a.env);
        if (env !== null && noEnvironment(env)) continue;
        out.push(withConds({ name: a.name, literal: a.literal, when: [...c.when, ...a.when], env }, conds));
      }
    });
  }
  if (out.length > MAX_ALTS) return fail(r, from, to);
  return possible(out);
}
