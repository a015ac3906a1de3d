// Tables of names for the JavaScript / TypeScript name-set resolver: object and array literals,
// `Object.freeze` of one, a `Map` built from pairs, a TypeScript enum, read by a key (`T[k]`,
// `T.get(k)`), by a member (`T.k`) or over a `for…of` loop; a table changed in place is unknown.
// A loop's row is a table per turn (`for (const nm of names)` over `[label, names]` rows, `row[1]`,
// `row.name`), as is an entry by a literal key (`CFG.names`, `CFG['names']`); a key chosen at run time is not.

import { skipGroup } from '../scan/calls';
import { environmentOfLiteral } from '../../../../protocol/environments';
import { under } from '../evaluate/combine';
import { complement, environmentSet, intersect, noEnvironment, union } from '../evaluate/envSet';
import { type Alternative, type EnvSet, NO_CONDS } from '../evaluate/values';
import { charge, tick, Unresolved } from '../evaluate/evaluation';
import { ENV_FOLDED, ENV_NONE, envForm, stripGroup } from './jsNameSetsEnv';
import { assigned, callbackOver, envParameter, evalExpr, find, mutated } from './jsNameSetsExpr';
import { objectField, thisField } from './jsNameSetsClass';
import { B_CONST, B_LET, B_PARAM, type JsBinding } from './jsNameSetsIndex';
import { attempt, collapse, fail, failure, MAX_ALTS, MAX_DEPTH, span, type JsNames, type TableEntry, entryByKey } from './jsNameSetsTypes';
import { literalOf } from '../scan/literals';
import { CH_LBRACE, CH_LBRACKET, CH_LPAREN, CLOSE, IDENT, NUMBER, OPEN, OP_ASSIGN, OP_COLON, OP_COMMA, OP_ELLIPSIS, STRING, isOp, isOpen, tokenIs } from '../scan/tokens';

/**
 * `for (const x of T)`: every element of the array T, or `Object.values(T)` / `Object.keys(T)` /
 * `Object.entries(T)` of a table; each element is taken on some turn of the loop, so no test
 * labels it. `for (const [k, x] of …)` takes the part of each element at its place.
 */
export function loopValues(s: JsNames, b: JsBinding): Alternative[] {
  return iterated(s, b.ofFrom, b.ofTo, b.ofPath ?? []);
}

/** The values the part at `path` of each element of the iterable [from0, to0) takes. */
export function iterated(s: JsNames, from0: number, to0: number, path: readonly number[]): Alternative[] {
  const out: Alternative[] = [];
  for (const p of elementParts(s, from0, to0, path)) {
    if (p.key) out.push({ name: p.entry.key, literal: p.entry.span, when: NO_CONDS, env: null });
    else out.push(...evalExpr(s, p.entry.from, p.entry.to));
    if (out.length > MAX_ALTS) return fail(s, from0, to0);
  }
  return out;
}

/** One element's part: an entry whose value it is, or (`Object.keys`, an entry's key) whose key it is. */
interface ElementPart {
  entry: TableEntry;
  key: boolean;
}

/**
 * The part at `path` of each element of the iterable [from0, to0): the elements of the arrays it
 * may be (a row of another loop, `for (const nm of names)`, is each row's), or `Object.values(T)` /
 * `Object.keys(T)` / `Object.entries(T)` of a table.
 */
function elementParts(s: JsNames, from0: number, to0: number, path: readonly number[]): ElementPart[] {
  const { ix } = s;
  const { buf, text } = ix;
  let [from, to] = stripGroup(ix, from0, to0);
  let of: 'elements' | 'values' | 'keys' | 'entries' = 'elements';
  if (to - from >= 6 && tokenIs(text, buf, from, 'Object') && ix.isDot(from + 1) && isOpen(buf, from + 3, CH_LPAREN) && buf.match[from + 3] === to - 1) {
    const method = ix.word(from + 2);
    if (method !== 'values' && method !== 'keys' && method !== 'entries') return fail(s, from, to);
    of = method;
    from += 4;
    to--;
  }
  const out: ElementPart[] = [];
  for (const table of tablesOf(s, from, to)) {
    for (const entry of table) {
      if (of === 'elements' && !entry.element) return fail(s, from0, to0);
      if (of === 'keys' || (of === 'entries' && path[0] === 0)) {
        if (entry.element || path.length > (of === 'keys' ? 0 : 1)) return fail(s, from0, to0);
        out.push({ entry, key: true });
        continue;
      }
      if (of === 'entries' && path[0] !== 1) return fail(s, from0, to0);
      for (const e of part(s, entry, of === 'entries' ? path.slice(1) : path)) out.push({ entry: e, key: false });
      if (out.length > MAX_ALTS) return fail(s, from0, to0);
    }
  }
  return out;
}

/** The entries at `path` inside the element `entry` (an array literal, or a name bound to one, at each level). */
function part(s: JsNames, entry: TableEntry, path: readonly number[]): TableEntry[] {
  if (path.length === 0) return [entry];
  const out: TableEntry[] = [];
  for (const row of tablesOf(s, entry.from, entry.to)) {
    const inner = row[path[0]!];
    if (!inner || !inner.element) return fail(s, entry.from, entry.to);
    out.push(...part(s, inner, path.slice(1)));
  }
  return out;
}

/**
 * The tables [from, to) may be: one (a literal, a name bound to one), or one per turn of a loop
 * (`names` of `for (const [label, names] of ROWS)`, a callback's parameter over rows, `row[1]`),
 * and an entry of each by a literal key (`CFG.names`, `CFG['names']`, `row[1]`). A key one of them
 * lacks, or a key chosen at run time (`ROWS[i]`), is unknown.
 */
function tablesOf(s: JsNames, from0: number, to0: number): TableEntry[][] {
  const { ix } = s;
  const { buf } = ix;
  const [from, to] = stripGroup(ix, from0, to0);
  if (to > from) tick(s, from0, to0);
  if (to <= from || s.depth >= MAX_DEPTH) return fail(s, from0, Math.max(to0, from0 + 1));
  s.depth++;
  try {
    if (to === from + 1 && buf.kind[from] === IDENT) {
      const b = find(s, ix.word(from), from);
      const rows = b === null ? null : b.ofFrom >= 0 ? ([b.ofFrom, b.ofTo] as const) : b.kind === B_PARAM ? callbackOver(s, b) : null;
      if (b !== null && rows !== null) {
        if (s.active.has(b) || assigned(s, b) || mutated(s, b)) return fail(s, from, to);
        s.active.add(b);
        try {
          const out: TableEntry[][] = [];
          for (const p of elementParts(s, rows[0], rows[1], b.ofPath ?? [])) {
            if (p.key) return fail(s, from, to);
            out.push(...evalTables(s, p.entry));
            if (out.length > MAX_ALTS) return fail(s, from, to);
          }
          return out;
        } finally {
          s.active.delete(b);
        }
      }
    }
    const key = literalKey(s, from, to);
    if (key === null) return [evalTable(s, from, to)];
    const out: TableEntry[][] = [];
    for (const table of tablesOf(s, from, key.objectEnd)) {
      const entry = entryByKey(table, key.name);
      if (!entry) return fail(s, from, to);
      out.push(...evalTables(s, entry));
      if (out.length > MAX_ALTS) return fail(s, from, to);
    }
    return out;
  } finally {
    s.depth--;
  }
}

/** The tables an entry's value may be. */
function evalTables(s: JsNames, entry: TableEntry): TableEntry[][] {
  return tablesOf(s, entry.from, entry.to);
}

/** `X.k`, `X['k']`, `X[0]` at [from, to): the key, and where X ends; null for any other form. */
function literalKey(s: JsNames, from: number, to: number): { name: string; objectEnd: number } | null {
  const { ix } = s;
  const { buf, text } = ix;
  const last = to - 1;
  if (buf.kind[last] === IDENT && ix.isDot(last - 1) && last - 1 > from) return { name: ix.word(last), objectEnd: last - 1 };
  if (buf.kind[last] !== CLOSE || buf.aux[last] !== 93) return null;
  const open = buf.match[last]!;
  if (open <= from || open + 2 !== last) return null;
  const name = numberKey(s, open + 1) ?? (buf.kind[open + 1] === STRING ? literalOf(text, buf, open + 1, open + 2, false).value : null);
  return name === null ? null : { name, objectEnd: open };
}

/** An array's index written as a number (`0`, `12`) at token `t`, or null. */
function numberKey(s: JsNames, t: number): string | null {
  const w = s.ix.buf.kind[t] === NUMBER ? s.ix.word(t) : '';
  return /^\d+$/.test(w) ? String(Number(w)) : null;
}

/** `x.k`: a table's entry by a fixed key (of each table x may be); a class's static field or an instance's field (jsNameSetsClass.ts). */
export function member(s: JsNames, from: number, dot: number, to: number): Alternative[] {
  if (dot === from + 1 && tokenIs(s.ix.text, s.ix.buf, from, 'this')) return thisField(s, from, to);
  if (dot === from + 1 && s.ix.buf.kind[from] === IDENT) {
    const field = objectField(s, from, to);
    if (field !== null) return field;
  }
  const tables = attempt(() => tablesOf(s, from, dot));
  if (tables instanceof Unresolved) return fail(s, from, to);
  return entryOfEach(s, tables, s.ix.word(to - 1), from, to);
}

/** The values of the entry `key` of each of `tables`, which each must have; [from, to) the read of it. */
function entryOfEach(s: JsNames, tables: readonly TableEntry[][], key: string, from: number, to: number): Alternative[] {
  const out: Alternative[] = [];
  for (const table of tables) {
    const entry = entryByKey(table, key);
    if (!entry) return fail(s, from, to);
    out.push(...evalExpr(s, entry.from, entry.to));
    if (out.length > MAX_ALTS) return fail(s, from, to);
  }
  return out;
}

/** `x[k]`: a table's entry by a key; every entry when the key is not known, labelled with its key. */
export function index(s: JsNames, from: number, objectEnd: number, keyFrom: number, keyTo: number, to: number): Alternative[] {
  const { ix } = s;
  const tables = attempt(() => tablesOf(s, from, objectEnd));
  // A table of this file that does not resolve names its part; anything else (`req.query[k]`) is named whole.
  if (tables instanceof Unresolved) {
    if (objectEnd === from + 1 && find(s, ix.word(from), from)) throw tables;
    return fail(s, from, to);
  }
  // The rows of a loop (`row[0]`): a fixed key's entry of each, which each must have.
  if (tables.length !== 1) {
    const key = literalKey(s, from, to);
    return key === null ? fail(s, from, to) : entryOfEach(s, tables, key.name, from, to);
  }
  const table = tables[0]!;
  if (keyTo <= keyFrom) return fail(s, from, to);
  const base = collapse(ix.text.slice(ix.buf.start[from]!, ix.buf.end[objectEnd - 1]!), 40);
  const keyText = collapse(ix.text.slice(ix.buf.start[keyFrom]!, ix.buf.end[keyTo - 1]!), 40);
  const form = envForm(ix, keyFrom, keyTo, 0, envParameter(s, s.frame));
  const byEnv = form !== ENV_NONE;
  const position = keyTo === keyFrom + 1 ? numberKey(s, keyFrom) : null;
  const keys = byEnv ? null : position !== null ? [{ name: position, literal: span(s, keyFrom, keyTo), when: NO_CONDS, env: null }] : attempt(() => evalExpr(s, keyFrom, keyTo));
  const out: Alternative[] = [];
  if (keys !== null && !(keys instanceof Unresolved)) {
    // Known keys: their entries, under the keys' own conditions.
    for (const k of keys) {
      const entry = k.name === null ? undefined : entryByKey(table, k.name);
      if (!entry) {
        out.push({ name: null, literal: k.literal, when: k.when, env: k.env });
        continue;
      }
      const v = evalExpr(s, entry.from, entry.to);
      for (const a of v) {
        const env = intersect(k.env, a.env);
        if (env !== null && noEnvironment(env)) continue;
        out.push({ name: a.name, literal: a.literal, when: [...k.when, ...a.when], env });
      }
    }
    return out.length > MAX_ALTS ? fail(s, from, to) : out;
  }
  let seen: EnvSet = 0;
  for (const entry of table) {
    const v = evalExpr(s, entry.from, entry.to);
    const env = byEnv ? environmentSet(s, environmentOfLiteral(entry.key, form === ENV_FOLDED)) : null;
    if (env !== null) seen = union(seen, env);
    out.push(...under(v, { text: `${keyText} === ${entry.written}`, span: entry.span, holds: true, env }, env));
    if (out.length > MAX_ALTS) return fail(s, from, to);
  }
  // A key that is none of these: the lookup misses (undefined), which a default after it replaces.
  const rest = byEnv ? complement(s, seen) : null;
  if (rest === null || !noEnvironment(rest)) out.push({ name: null, literal: span(s, from, to), when: [{ text: `!(${keyText} in ${base})`, span: span(s, keyFrom, keyTo), holds: true, env: rest }], env: rest });
  return out;
}

/** The entries of the table (object or array literal of values) that [from, to) denotes. */
function evalTable(s: JsNames, from: number, to: number): TableEntry[] {
  const { ix } = s;
  const { buf, text } = ix;
  [from, to] = stripGroup(ix, from, to);
  for (let k = from + 1; k < to; k = skipGroup(buf, k, to)) {
    if ((tokenIs(text, buf, k, 'as') || tokenIs(text, buf, k, 'satisfies')) && !ix.isDot(k - 1)) {
      to = k;
      break;
    }
  }
  if (to > from) tick(s, from, to);
  if (to <= from || s.depth >= MAX_DEPTH) return fail(s, from, Math.max(to, from + 1));
  if (to === from + 1 && buf.kind[from] === IDENT) {
    const b = find(s, ix.word(from), from);
    if (!b || (b.kind !== B_CONST && b.kind !== B_LET) || b.valueFrom < 0) return fail(s, from, to);
    const known = s.tables.get(b);
    if (known instanceof Unresolved && known.tooLarge) throw known; // too large for any read
    if (known) return known instanceof Unresolved ? fail(s, from, to) : known;
    if (s.active.has(b)) return fail(s, from, to);
    let t: TableEntry[] | Unresolved;
    if ((b.kind === B_LET && assigned(s, b)) || mutated(s, b)) t = failure(s, from, to);
    else {
      s.active.add(b);
      s.depth++;
      try {
        t = attempt(() => evalTable(s, b.valueFrom, b.valueTo));
      } finally {
        s.depth--;
        s.active.delete(b);
      }
    }
    s.tables.set(b, t);
    if (t instanceof Unresolved) throw t;
    return t;
  }
  if (to - from >= 2 && buf.kind[from] === OPEN && buf.match[from] === to - 1) {
    // A literal's tokens are charged to the read that reads it (once: a bound one is kept); one
    // larger than the read's share is too large to follow, before it is read.
    charge(s, to - from, from, to);
    if (buf.aux[from] === CH_LBRACE) return objectEntries(s, from, to - 1);
    if (buf.aux[from] === CH_LBRACKET) return arrayEntries(s, from, to - 1);
  }
  // `new Map([['live', 'x_prod'], …])`, `new Map<string, string>(…)`
  if (tokenIs(text, buf, from, 'new') && tokenIs(text, buf, from + 1, 'Map') && buf.kind[to - 1] === CLOSE && buf.aux[to - 1] === 41) {
    const open = buf.match[to - 1]!;
    if (open > from + 1 && isOpen(buf, open + 1, CH_LBRACKET) && buf.match[open + 1] === to - 2) return mapEntries(s, open + 1, to - 2);
  }
  // `Object.freeze({…})`
  if (tokenIs(text, buf, from, 'Object') && ix.isDot(from + 1) && tokenIs(text, buf, from + 2, 'freeze') && isOpen(buf, from + 3, CH_LPAREN) && buf.match[from + 3] === to - 1) {
    return evalTable(s, from + 4, to - 1);
  }
  return fail(s, from, to);
}

function objectEntries(s: JsNames, open: number, close: number): TableEntry[] {
  const { ix } = s;
  const { buf, text } = ix;
  const out: TableEntry[] = [];
  let a = open + 1;
  while (a < close) {
    let e = a;
    while (e < close && !isOp(buf, e, OP_COMMA)) e = skipGroup(buf, e, close);
    if (e > a) {
      const kind = buf.kind[a];
      let key: string | null = null;
      if (kind === IDENT || kind === NUMBER) key = ix.word(a);
      else if (kind === STRING) key = literalOf(text, buf, a, a + 1, false).value;
      const keySpan = span(s, a, a + 1);
      // `key: value`, or an enum's `Key = value`
      if (key !== null && (isOp(buf, a + 1, OP_COLON) || isOp(buf, a + 1, OP_ASSIGN)) && e > a + 2) out.push({ key, written: kind === STRING ? ix.word(a) : `'${key}'`, span: keySpan, from: a + 2, to: e, element: false });
      else if (kind === IDENT && e === a + 1) out.push({ key: key!, written: `'${key}'`, span: keySpan, from: a, to: e, element: false });
      else return fail(s, a, e);
    }
    a = e + 1;
  }
  return out;
}

/** The `[key, value]` pairs of a Map's array [open, close]: each key a string literal. */
function mapEntries(s: JsNames, open: number, close: number): TableEntry[] {
  const { ix } = s;
  const { buf, text } = ix;
  const out: TableEntry[] = [];
  let a = open + 1;
  while (a < close) {
    let e = a;
    while (e < close && !isOp(buf, e, OP_COMMA)) e = skipGroup(buf, e, close);
    if (e > a) {
      const pairEnd = buf.match[a]!;
      const key = isOpen(buf, a, CH_LBRACKET) && pairEnd === e - 1 && buf.kind[a + 1] === STRING && isOp(buf, a + 2, OP_COMMA) ? literalOf(text, buf, a + 1, a + 2, false).value : null;
      if (key === null || pairEnd <= a + 3) return fail(s, a, e);
      out.push({ key, written: ix.word(a + 1), span: span(s, a + 1, a + 2), from: a + 3, to: pairEnd, element: false });
    }
    a = e + 1;
  }
  return out;
}

function arrayEntries(s: JsNames, open: number, close: number): TableEntry[] {
  const { buf } = s.ix;
  const out: TableEntry[] = [];
  let a = open + 1;
  let i = 0;
  while (a <= close) {
    let e = a;
    while (e < close && !isOp(buf, e, OP_COMMA)) e = skipGroup(buf, e, close);
    if (e > a) {
      if (isOp(buf, a, OP_ELLIPSIS)) return fail(s, a, e);
      out.push({ key: String(i), written: String(i), span: span(s, a, e), from: a, to: e, element: true });
    }
    if (e >= close) break;
    i++;
    a = e + 1;
  }
  return out;
}
