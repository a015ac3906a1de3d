// Tables for the name-set resolver: a dict, tuple or list literal of names (or the one definition of
// a name or class attribute holding one) indexed by `conv.env`, by a key that resolves, or by
// anything else (`T[k]`, `T.get(k, d)`); iterated by a `for` in nameSetsIter.ts. A table changed in place anywhere
// in the file (`T[k] = …`, `del T[k]`, `T.update(…)`) is unknown.

import { environmentSet, noEnvironment, union, complement, intersect, joinConds, negate, universeOf, withConds } from '../evaluate/envSet';
import { charge, spanOf, textOf, unresolved, work, Unresolved } from '../evaluate/evaluation';
import { type ChosenTable, type Cond, type EnvSet, NO_CONDS, type Alternative } from '../evaluate/values';
import { skipGroup } from '../scan/calls';
import { environmentOfLiteral } from '../../../../protocol/environments';
import { ENV_FOLDED, ENV_NONE, envForm, parens, splitWord, stringValue, testCond } from './nameSetsEnv';
import { tableChanged } from './nameSetsAppend';
import { statements as S } from './pythonRefsState';
import { commaParts } from './nameSetsTargets';
import { nameAt, statementOf } from './nameSetsIndex';
import { type At, DEF_EXPR, DEF_IMPORT, type Def, type EnvEntries, type Resolver, type TableEntries, type TableEntry, type TablePick, MAX_DEPTH, tableMemos } from './nameSetsTypes';
import { CH_LBRACE, CH_LBRACKET, CH_LPAREN, CLOSE, IDENT, NUMBER, OPEN, OP_ASSIGN, OP_COLON, OP_COMMA, OP_DOT, OP_POW, STRING, isOp, isOpen, tokenIs } from '../scan/tokens';

/** Drops paths no environment takes. */
function live(paths: Alternative[]): Alternative[] {
  return paths.filter((p) => p.env === null || !noEnvironment(p.env));
}

type Entry = TableEntry;

export interface Table extends ChosenTable<Entry> {
  entries: Entry[];
  byKey: Map<string, Entry>;
  dict: boolean;
  at: At;
}

/** The table literal [s, e) stands for: the literal itself, or the one definition of a name / attribute holding one. */
function table(r: Resolver, s0: number, e0: number, at: At): Table {
  const { buf } = r.scan;
  const wrap = parens(r, s0, e0);
  const s = s0 + wrap;
  const e = e0 - wrap;
  if (e === s + 1 && buf.kind[s] === IDENT) return tableOfDefs(r, r.ev.lookup(r, s, at), s, e, at);
  if (e === s + 3 && buf.kind[s] === IDENT && isOp(buf, s + 1, OP_DOT) && buf.kind[s + 2] === IDENT) {
    // `config.SECRETS`, `config` a module of the project.
    const rows = r.ev.importedTable(r, s, e, at);
    if (rows !== null) return importedTableOf(r, rows, s, at, NO_CONDS);
    return tableOfDefs(r, r.ev.attribute(r, s, at), s, e, at);
  }
  // `{env: f"crm_{env}" for env in ENVS}`: an entry per element (made for each read: it depends on where it is read).
  const { entries, byKey, dict } = r.ev.comprehensionTable(r, s, e, at) ?? literalTable(r, s, e);
  // Each read walks the entries it is given: a table larger than the read's share is too large to follow.
  charge(r, entries.length);
  return { entries, byKey, dict, at, conds: NO_CONDS };
}

/**
 * What `run` gives while the comprehension variables of the iterable starting at token `iter` are
 * pinned to its element `element` (the read of one entry of a dict comprehension). No definition's
 * value is kept meanwhile (r.active is not empty): it holds for that element alone.
 */
export function withPin<T>(r: Resolver, iter: number, element: object, run: () => T): T {
  const pins = (r.pins ??= new Map());
  const before = pins.get(iter);
  const depth = (r.pinDepth = (r.pinDepth ?? 0) + 1);
  pins.set(iter, element);
  r.active.add(PINNED - depth);
  try {
    return run();
  } finally {
    r.active.delete(PINNED - depth);
    r.pinDepth = depth - 1;
    if (before === undefined) pins.delete(iter);
    else pins.set(iter, before);
  }
}

/** r.active's marks of pinned comprehensions (below any scope or parameter key). */
const PINNED = -0x40000000;

/**
 * The entries of the table literal [s, e), read once per document (r.tables) whichever reads use
 * it. Its tokens are charged to the read that reads it first; a table larger than that read's
 * share is too large to follow, before it is read.
 */
export function literalTable(r: Resolver, s: number, e: number): TableEntries {
  const known = r.tables.get(s);
  if (known !== undefined && known.end === e) return known;
  const { buf } = r.scan;
  charge(r, e - s);
  if (keywordDict(r, s, e)) return keywordTable(r, s, e);
  // A group, or a bare tuple (`for n in 'A', 'B':`).
  const group = buf.kind[s] === OPEN && buf.match[s] === e - 1;
  if (!group && !bareTuple(r, s, e)) unresolved(r, s, e);
  // A brace group is a dict unless it is a set (its first entry has no top-level colon).
  const dict = group && buf.aux[s] === CH_LBRACE && !isSet(r, s + 1, e - 1);
  const entries: Entry[] = [];
  const byKey = new Map<string, Entry>();
  const from = group ? s + 1 : s;
  const to = group ? e - 1 : e;
  let part = from;
  let n = 0;
  for (let t = from; t <= to; ) {
    if (t === to || isOp(buf, t, OP_COMMA)) {
      if (t > part) {
        const entry = dict ? dictEntry(r, part, t) : { key: String(n), keySpan: spanOf(r, part, t), keyText: String(n), value: [part, t] as [number, number] };
        entries.push(entry);
        if (!byKey.has(entry.key)) byKey.set(entry.key, entry);
        n++;
      }
      part = t + 1;
      t++;
      continue;
    }
    if (buf.kind[t] === IDENT && tokenIs(r.scan.text, buf, t, 'for')) unresolved(r, s, e); // a comprehension
    t = skipGroup(buf, t, to);
  }
  if (dict && entries.length === 0) unresolved(r, s, e);
  const out = { entries, byKey, dict, end: e };
  r.tables.set(s, out);
  return out;
}

/** Whether [s, e) is a call of the built-in `dict` with arguments (`dict(live="a", sandbox="b")`). */
function keywordDict(r: Resolver, s: number, e: number): boolean {
  const { buf } = r.scan;
  return e > s + 3 && buf.kind[s] === IDENT && isOpen(buf, s + 1, CH_LPAREN) && buf.match[s + 1] === e - 1 && !isOp(buf, s - 1, OP_DOT) && tokenIs(r.scan.text, buf, s, 'dict');
}

/** `dict(live="a", sandbox="b")`: a dict whose keys are the keywords; any other argument is unknown. */
function keywordTable(r: Resolver, s: number, e: number): TableEntries {
  const { buf } = r.scan;
  const entries: Entry[] = [];
  const byKey = new Map<string, Entry>();
  for (const [a, b] of commaParts(r, s + 2, e - 1)) {
    if (buf.kind[a] !== IDENT || !isOp(buf, a + 1, OP_ASSIGN) || b <= a + 2) unresolved(r, a, b);
    const key = nameAt(r, a);
    const entry: Entry = { key, keySpan: spanOf(r, a, a + 1), keyText: JSON.stringify(key), keyStart: a, value: [a + 2, b] };
    entries.push(entry);
    byKey.set(key, entry);
  }
  if (entries.length === 0) unresolved(r, s, e);
  const out: TableEntries = { entries, byKey, dict: true, end: e, keywords: true };
  r.tables.set(s, out);
  return out;
}

/**
 * Where a table named `name` and bound by `defs` is changed (`T[k] = …`, `del T[k]`, `T.update(…)`,
 * handed to a function of the file that changes it: nameSetsAppend.ts's tableChanged): that part, or null.
 */
function mutation(r: Resolver, name: string, defs: readonly Def[]): [number, number] | null {
  // A function's local: changes in that function alone (another function's `cfg` is another name).
  const scope = defs.length > 0 && defs.every((d) => d.scope === defs[0]!.scope) ? defs[0]!.scope : 0;
  return tableChanged(r, name, scope);
}

function bareTuple(r: Resolver, s: number, e: number): boolean {
  const { buf } = r.scan;
  for (let t = s; t < e; t = skipGroup(buf, t, e)) if (isOp(buf, t, OP_COMMA)) return true;
  return false;
}

function tableOfDefs(r: Resolver, defs: Def[], s: number, e: number, at: At): Table {
  const imported = defs.length === 1 && defs[0]!.kind === DEF_IMPORT && e === s + 1;
  if (defs.length !== 1 || (defs[0]!.kind !== DEF_EXPR && !imported)) unresolved(r, s, e);
  if (e === s + 1 || e === s + 3) {
    const changed = mutation(r, nameAt(r, e - 1), e === s + 1 ? defs : []);
    if (changed) unresolved(r, changed[0], changed[1]);
  }
  const d = defs[0]!;
  if (imported) {
    const rows = r.ev.importedTable(r, s, e, at);
    if (rows === null) unresolved(r, s, e);
    return importedTableOf(r, rows, s, at, d.conds);
  }
  // A table is made for each use (its tests can be added in place).
  const t = table(r, d.start, d.end, { scope: d.scope, stmt: d.stmt, frame: null });
  t.conds = joinConds(d.conds, t.conds);
  return t;
}

/**
 * The dict another module of the project defines, read at token `s` (nameSetsImports.ts's
 * importedTable gives its `rows`), read at `at`: its entries as that module resolves them, taken where `conds` hold.
 */
function importedTableOf(r: Resolver, rows: Array<[string, Alternative[]]>, s: number, at: At, conds: readonly Cond[]): Table {
  const entries: Entry[] = [];
  const byKey = new Map<string, Entry>();
  for (const [key, values] of rows) {
    // A test is shown in the candidate's document: at the entry's value there (the key is on its line).
    const keySpan = values[0]!.literal ?? spanOf(r, s, s + 1);
    const entry: Entry = { key, keySpan, keyText: JSON.stringify(key), value: [s, s + 1], values };
    entries.push(entry);
    byKey.set(key, entry);
  }
  charge(r, entries.length);
  return { entries, byKey, dict: true, at, conds };
}

/**
 * The entries of the module's dict `name` (one definition, a dict literal, never changed in the
 * module), each key with its value: what the modules that import it read (nameSets.ts's
 * pythonModuleNames); null when it is none, or an entry's value is not known.
 */
export function moduleTable(r: Resolver, defs: readonly Def[], name: string): Array<[string, Alternative[]]> | null {
  const { buf } = r.scan;
  if (defs.length !== 1 || defs[0]!.kind !== DEF_EXPR || mutation(r, name, defs) !== null) return null;
  const d = defs[0]!;
  if (!isOpen(buf, d.start, CH_LBRACE) || buf.match[d.start] !== d.end - 1) return null;
  try {
    const table = literalTable(r, d.start, d.end);
    if (!table.dict || table.keywords) return null;
    const at: At = { scope: d.scope, stmt: d.stmt, frame: null };
    const out: Array<[string, Alternative[]]> = [];
    for (const [key, entry] of table.byKey) {
      const values = live(entryValue(r, entry, at));
      if (values.length === 0 || values.some((v) => v.name === null)) return null;
      out.push([key, values]);
    }
    return out;
  } catch (err) {
    if (err instanceof Unresolved) return null;
    throw err;
  }
}

function dictEntry(r: Resolver, s: number, e: number): Entry {
  const { buf } = r.scan;
  if (isOp(buf, s, OP_POW)) unresolved(r, s, e);
  let colon = -1;
  for (let t = s; t < e; t = skipGroup(buf, t, e)) {
    if (isOp(buf, t, OP_COLON)) {
      colon = t;
      break;
    }
  }
  if (colon <= s || colon + 1 >= e) unresolved(r, s, e);
  let key: string | null = null;
  if (buf.kind[s] === STRING) {
    let all = true;
    for (let t = s; t < colon; t++) if (buf.kind[t] !== STRING) all = false;
    if (all) key = stringValue(r, s, colon);
  } else if (colon === s + 1 && buf.kind[s] === NUMBER) key = nameAt(r, s);
  else if (buf.kind[s] === IDENT && (colon === s + 1 || (colon === s + 3 && isOp(buf, s + 1, OP_DOT) && buf.kind[s + 2] === IDENT))) {
    // `{LIVE: …}`, `{Env.LIVE: …}`: a constant of the module or of a class bound once to one string (a str Enum's member is its value).
    const stmt = statementOf(s);
    const values = r.envConstant(r, s, colon, false, { scope: S.scope[stmt]!, stmt, frame: null });
    if (values !== null && values.length === 1) key = values[0]!;
  }
  if (key === null) unresolved(r, s, colon);
  return { key, keySpan: spanOf(r, s, colon), keyText: textOf(r, s, colon), keyStart: s, value: [colon + 1, e] };
}

/** Whether the brace group's contents [s, e) are a set: a first entry with no top-level colon. */
function isSet(r: Resolver, s: number, e: number): boolean {
  const { buf } = r.scan;
  if (e <= s) return false;
  for (let t = s; t < e; t = skipGroup(buf, t, e)) {
    if (isOp(buf, t, OP_COLON) || isOp(buf, t, OP_POW)) return false;
    if (isOp(buf, t, OP_COMMA)) return true;
  }
  return true;
}

/**
 * A name bound once to a selection from a table of tables (`names = CONFIG[conv.env]`, `cfg =
 * CONFIG.get(env, {})`, `crm = SERVICES["crm"]`, `cfg = get_config(conv)`), or bound to a table in
 * each of several branches: the tables it may hold, each with the tests that select it and those on
 * the way to its definition; null when the name holds no selection.
 */
function selected(r: Resolver, s0: number, e0: number, at: At, orElse: OrElse | null): Table[] | null {
  const { buf } = r.scan;
  const wrap = parens(r, s0, e0);
  const s = s0 + wrap;
  // `self.NAMES` that a subclass gives again: each class's table (nameSetsFamily.ts).
  const attr = e0 - wrap === s + 3 && buf.kind[s] === IDENT && isOp(buf, s + 1, OP_DOT) && buf.kind[s + 2] === IDENT;
  if (!attr && (e0 - wrap !== s + 1 || buf.kind[s] !== IDENT)) return null;
  // `config.SECRETS` of a module of the project: its table (table's).
  if (attr && r.imports !== undefined && r.ev.importedTable(r, s, s + 3, at) !== null) return null;
  const defs = attr ? r.ev.attribute(r, s, at) : r.ev.lookup(r, s, at);
  if (defs.length === 0 || defs.some((d) => d.kind !== DEF_EXPR)) return null;
  // `cfg = LIVE` in one branch, `cfg = SANDBOX` in another: each where its branch's tests hold.
  if (defs.length === 1 && !selection(r, defs[0]!)) return null;
  const changed = mutation(r, nameAt(r, attr ? s + 2 : s), attr ? [] : defs);
  if (changed) unresolved(r, changed[0], changed[1]);
  const out: Table[] = [];
  for (const d of defs) {
    for (const t of tablesOf(r, d.start, d.end, { scope: d.scope, stmt: d.stmt, frame: null }, orElse)) {
      t.conds = joinConds(d.conds, t.conds);
      out.push(t);
    }
  }
  return out;
}

/**
 * Whether definition `d` selects a table rather than writing one: `CONFIG[env]`, `CONFIG.get(env)`,
 * `A or B`, `A if c else B`, or a call of the module's own function (`get_config(conv)`,
 * `self.config(conv)`), whose returns are the tables.
 */
function selection(r: Resolver, d: Def): boolean {
  const { text, buf } = r.scan;
  const last = d.end - 1;
  if (last <= d.start) return false;
  const open = buf.kind[last] === CLOSE ? buf.match[last]! : -1;
  if (open > d.start && buf.aux[open] === CH_LBRACKET) return true;
  if (open > d.start + 2 && buf.aux[open] === CH_LPAREN && isOp(buf, open - 2, OP_DOT) && tokenIs(text, buf, open - 1, 'get')) return true;
  if (open > d.start && buf.aux[open] === CH_LPAREN && ownCallee(r, d.start, open) && !keywordDict(r, d.start, d.end)) return true;
  return topLevelOr(r, d.start, d.end) || topLevelIf(r, d.start, d.end) !== null;
}

/** Whether [s, open) names a function the way the module's own are called: `f`, `self.f`, `Cls.f`. */
function ownCallee(r: Resolver, s: number, open: number): boolean {
  const { buf } = r.scan;
  return (open === s + 1 && buf.kind[s] === IDENT) || (open === s + 3 && buf.kind[s] === IDENT && isOp(buf, s + 1, OP_DOT) && buf.kind[s + 2] === IDENT);
}

/**
 * `T[k]` (subscript) or `T.get(k[, d])`: tokens [s, open) are T, [ks, ke) the key, [ds, de) the
 * default (-1: none). By `conv.env`: each value in its key's environment, the default in the others.
 */
/** An entry a key selects (null: the key is missing), with the tests that select it. */
type Pick = TablePick;

/**
 * The entries of `t` the key [ks, ke) selects: by `conv.env`, by a key that resolves, or every one;
 * and, when `missing`, the missing key (what `T.get(k, d)` gives the default for).
 */
function pick(r: Resolver, t: Table, baseText: string, ks: number, ke: number, at: At, end: number, missing: boolean, rowsFrom = -1): readonly Pick[] {
  const wrap = parens(r, ks, ke);
  const a = ks + wrap;
  const b = ke - wrap;
  if (b <= a) unresolved(r, ks, end);
  const keyText = textOf(r, a, b, 40);
  const out: Pick[] = [];
  const form = t.dict ? envForm(r, a, b, at) : ENV_NONE;
  if (form !== ENV_NONE) {
    const { keys, picks } = envEntries(r, t, keyText, form === ENV_FOLDED);
    // The entries' picks are the same at every read: the list is shared (never changed in place).
    if (!missing) {
      work.n += universeOf(r).length; // what the missing key's complement would cost
      return picks;
    }
    return [...picks, { entry: null, conds: [{ text: `${keyText} not in ${baseText}`, span: spanOf(r, a, b), holds: true, env: complement(r, keys) }] }];
  }
  let keys: Alternative[] | null = null;
  if (b === a + 1 && r.scan.buf.kind[a] === NUMBER) keys = [{ name: nameAt(r, a), literal: null, when: NO_CONDS, env: null }];
  else {
    const depth = r.depth;
    try {
      keys = r.ev.expr(r, a, b, at);
    } catch (err) {
      if (!(err instanceof Unresolved)) throw err;
      r.depth = depth; // left where the key's evaluation stopped (see expr)
    }
  }
  if (keys !== null) {
    for (const k of keys) out.push({ entry: (k.name !== null ? t.byKey.get(k.name) : undefined) ?? null, conds: k.when });
    return out;
  }
  // A row of a list chosen at run time (`ROWS[i]`, from `rowsFrom`): unknown, as in JavaScript.
  if (rowsFrom >= 0 && !t.dict) unresolved(r, rowsFrom, end);
  for (const entry of t.entries) out.push({ entry, conds: [{ text: `${keyText} == ${entry.keyText}`, span: entry.keySpan, holds: true, env: null }] });
  out.push({ entry: null, conds: [{ text: `${keyText} not in ${baseText}`, span: spanOf(r, a, b), holds: true, env: null }] });
  return out;
}

/**
 * An entry's value. One string literal is the same path at every read of the table: read at the
 * first, then charged what its reading takes (expr's step, and the walk of its one token twice, in
 * expression) and given again, the same at the same steps.
 */
function entryValue(r: Resolver, entry: Entry, at: At): Alternative[] {
  if (entry.values !== undefined) return entry.values;
  const [a, b] = entry.value;
  if (entry.pin !== undefined) return withPin(r, entry.pin.iter, entry.pin.element, () => r.ev.expr(r, a, b, at));
  if (b !== a + 1 || r.scan.buf.kind[a] !== STRING || r.depth >= MAX_DEPTH) return r.ev.expr(r, a, b, at);
  const values = tableMemos(r).values;
  const known = values.get(entry);
  if (known === undefined) {
    const value = r.ev.expr(r, a, b, at);
    values.set(entry, value);
    return value;
  }
  r.steps -= 1 + work.n;
  work.n = 0;
  if (r.steps < 2) throw new Unresolved(r.scan, a, b, true);
  work.n = 2;
  return known;
}

/**
 * An entry's value `v` taken where its pick's tests `conds` hold. The same at every read that picks
 * the entry (its value read once, its tests made once): made at the first, charged at each what
 * its making did.
 */
function picked(r: Resolver, v: Alternative, conds: readonly Cond[]): Alternative {
  const memo = tableMemos(r).picked;
  const known = memo.get(conds);
  if (known !== undefined && known.v === v) {
    work.n += known.work;
    return known.path;
  }
  const before = work.n;
  const path = withConds(v, conds);
  memo.set(conds, { v, path, work: work.n - before });
  return path;
}

/**
 * A table's entries chosen by an environment written `keyText`: each entry's test, and the
 * environments its keys name. The same for every read of the table by the same key (a table read
 * in every function of a file): made at the first, kept by the table's entries for the others.
 */
function envEntries(r: Resolver, t: Table, keyText: string, folded: boolean): EnvEntries {
  const memo = tableMemos(r).envEntries;
  let byText = memo.get(t.entries);
  if (byText === undefined) memo.set(t.entries, (byText = new Map()));
  const memoKey = folded ? `\u0000${keyText}` : keyText;
  let made = byText.get(memoKey);
  // A table naming more environments than a file may is too large to follow at every read: said at
  // once after the first (the universe only grows, so it stays so).
  if (made === TOO_MANY) throw new Unresolved(null, 0, 0, true);
  if (made === undefined) {
    let keys: EnvSet = 0;
    const picks: Pick[] = [];
    try {
      for (const entry of t.entries) {
        const env = environmentSet(r, environmentOfLiteral(entry.key, folded));
        keys = union(keys, env);
        picks.push({ entry, conds: [{ text: `${keyText} == ${entry.keyText}`, span: entry.keySpan, holds: true, env }], shared: true });
      }
    } catch (err) {
      if (err instanceof Unresolved) byText.set(memoKey, TOO_MANY);
      throw err;
    }
    made = { keys, picks };
    byText.set(memoKey, made);
  }
  return made;
}

/** envEntries' memo of a table whose keys name more environments than a file may. */
const TOO_MANY = 0;


/** Whether [s, e) has an `or` at its top level; its walk (a step a group) is charged. */
export function topLevelOr(r: Resolver, s: number, e: number): boolean {
  const { text, buf } = r.scan;
  let walked = 0;
  let found = false;
  for (let t = s; t < e && !found; t = skipGroup(buf, t, e)) {
    walked++;
    found = buf.kind[t] === IDENT && tokenIs(text, buf, t, 'or');
  }
  charge(r, walked);
  return found;
}

/** The `if` and `else` of a conditional expression at the top level of [s, e) (`A if c else B`), or null. */
function topLevelIf(r: Resolver, s: number, e: number): [number, number] | null {
  const { text, buf } = r.scan;
  let walked = 0;
  let ifTok = -1;
  let nested = 0;
  // An `if` never starts one: from the end of the first part (a group is stepped over whole).
  for (let t = skipGroup(buf, s, e); t < e; t = skipGroup(buf, t, e)) {
    walked++;
    if (buf.kind[t] !== IDENT) continue;
    if (tokenIs(text, buf, t, 'lambda')) break;
    if (tokenIs(text, buf, t, 'if')) {
      if (ifTok < 0) ifTok = t;
      else nested++;
    } else if (ifTok >= 0 && tokenIs(text, buf, t, 'else')) {
      if (nested === 0) {
        charge(r, walked);
        return [ifTok, t];
      }
      nested--;
    }
  }
  charge(r, walked);
  return null;
}

/** The tables of `A if c else B`: A's where c holds, B's where it does not. */
function conditionalTables(r: Resolver, s: number, ifTok: number, elseTok: number, e: number, at: At, orElse: OrElse | null): Table[] {
  if (r.depth >= MAX_DEPTH) unresolved(r, s, e);
  const around = parens(r, ifTok + 1, elseTok);
  const c = testCond(r, ifTok + 1 + around, elseTok - around, at);
  r.depth++;
  try {
    const out: Table[] = [];
    for (const t of tablesOf(r, s, ifTok, at, orElse)) {
      t.conds = joinConds([c], t.conds);
      out.push(t);
    }
    const no = [negate(r, c)];
    for (const t of tablesOf(r, elseTok + 1, e, at, orElse)) {
      t.conds = joinConds(no, t.conds);
      out.push(t);
    }
    return out;
  } finally {
    r.depth--;
  }
}

/** What an `or` gives where the tables before it are falsy (a key missing from `.get`, `None`, an empty table): its parts, where they are read, and what follows them. */
interface OrElse {
  s: number;
  e: number;
  at: At;
  next: OrElse | null;
}

/** An empty table, taken where `conds` hold. */
function emptyTable(at: At, conds: readonly Cond[]): Table {
  return { entries: [], byKey: new Map(), dict: true, at, conds };
}

/** Whether [s, e) is `None` (`none`) or an empty group (`empty`: `{}`, `[]`, `()`), or neither (null). */
function falsyLiteral(r: Resolver, s0: number, e0: number): 'none' | 'empty' | null {
  const { buf } = r.scan;
  const wrap = parens(r, s0, e0);
  const s = s0 + wrap;
  const e = e0 - wrap;
  if (e === s + 1 && tokenIs(r.scan.text, buf, s, 'None')) return 'none';
  if (e === s + 2 && buf.kind[s] === OPEN && buf.match[s] === s + 1) return 'empty';
  return null;
}

/**
 * The tables where a selection is falsy (`conds` hold): the `or` default's, or none (`None` has no
 * keys) or the empty table (`empty`) when there is no default.
 */
function whenFalsy(r: Resolver, conds: readonly Cond[], orElse: OrElse | null, empty: boolean, at: At): Table[] {
  if (orElse === null) return empty ? [emptyTable(at, conds)] : [];
  const out = tablesOf(r, orElse.s, orElse.e, orElse.at, orElse.next);
  for (const t of out) t.conds = joinConds(conds, t.conds);
  return out;
}

/**
 * The tables [s, e) may be: one table, or, for a table of tables (`CONFIG[conv.env]`,
 * `CONFIG.get(conv.env, {})`), each inner table the key selects, with the tests that select it;
 * `A or B`: A's tables, and B's where A is falsy (a key `.get` misses, an empty inner table).
 */
export function tablesOf(r: Resolver, s0: number, e0: number, at: At, orElse: OrElse | null = null, whole = true): Table[] {
  const { buf } = r.scan;
  const wrap = parens(r, s0, e0);
  const s = s0 + wrap;
  const e = e0 - wrap;
  if (e <= s) unresolved(r, s0, e0);
  // A conditional binds last (`A if c else B or C` is `A if c else (B or C)`), then `or`; each is at
  // the top of the whole expression or inside parentheses (a prefix has none of its own).
  if (whole || wrap > 0) {
    const cond = topLevelIf(r, s, e);
    if (cond !== null) return conditionalTables(r, s, cond[0], cond[1], e, at, orElse);
  }
  if ((whole || wrap > 0) && topLevelOr(r, s, e)) {
    // `A or B or C`: A, or (B or C) where A is falsy, or what follows the whole where all are; as
    // deep as any expression is followed.
    if (r.depth >= MAX_DEPTH) unresolved(r, s, e);
    const parts = splitWord(r, s, e, 'or');
    for (const [a, b] of parts) if (b <= a) unresolved(r, s, e);
    r.depth++;
    const out = tablesOf(r, parts[0]![0], parts[0]![1], at, { s: parts[1]![0], e, at, next: orElse });
    r.depth--;
    return out;
  }
  const last = e - 1;
  const open = buf.kind[last] === CLOSE ? buf.match[last]! : -1;
  let outer: Table[] | null = null;
  let picks: (t: Table) => readonly Pick[] = () => [];
  let fallback: [number, number] | null = null;
  let get = false;
  if (open > s && buf.aux[open] === CH_LBRACKET) {
    outer = tablesOf(r, s, open, at, null, false);
    picks = (t) => pick(r, t, textOf(r, s, open, 40), open + 1, last, at, e, false, s).filter((p) => p.entry !== null);
  } else if (open > s + 2 && buf.aux[open] === CH_LPAREN && isOp(buf, open - 2, OP_DOT) && tokenIs(r.scan.text, buf, open - 1, 'get')) {
    const args = commaParts(r, open + 1, last);
    if (args.length < 1 || args.length > 2) unresolved(r, s, e);
    outer = tablesOf(r, s, open - 2, at, null, false);
    fallback = args[1] ?? null;
    get = true;
    picks = (t) => pick(r, t, textOf(r, s, open - 2, 40), args[0]![0], args[0]![1], at, e, true, s);
  }
  if (outer === null && open > s && buf.aux[open] === CH_LPAREN && ownCallee(r, s, open) && !keywordDict(r, s, e)) return returnedTables(r, s, open, last, at, orElse);
  if (outer === null) return selected(r, s, e, at, orElse) ?? [table(r, s, e, at)];
  const out: Table[] = [];
  for (const t of outer) {
    for (const p of picks(t)) {
      const conds = joinConds(t.conds, p.conds);
      if (p.entry) {
        // A dict comprehension's value read as a table: its variables would not stay pinned.
        if (p.entry.pin !== undefined) unresolved(r, p.entry.value[0], p.entry.value[1]);
        // Another module's dict of dicts: its inner tables are not given.
        if (p.entry.values !== undefined) unresolved(r, s, e);
        // An inner `None` or empty table is falsy: the `or` default's tables there.
        const falsy = falsyLiteral(r, p.entry.value[0], p.entry.value[1]);
        if (falsy !== null) {
          for (const x of whenFalsy(r, conds, orElse, falsy === 'empty', t.at)) out.push(x);
          continue;
        }
        const inner = table(r, p.entry.value[0], p.entry.value[1], t.at);
        inner.conds = joinConds(conds, inner.conds);
        out.push(inner);
      } else if (get) {
        // `.get(k)` / `.get(k, None)`: None where the key is missing; `.get(k, {})`: the empty table.
        const falsy = fallback === null ? 'none' : falsyLiteral(r, fallback[0], fallback[1]);
        if (falsy !== null) {
          for (const x of whenFalsy(r, conds, orElse, falsy === 'empty', at)) out.push(x);
          continue;
        }
        // A default that is itself a selection (`CONFIG.get(env, CONFIG["sandbox"])`): the tables it selects.
        for (const inner of tablesOf(r, fallback![0], fallback![1], at, orElse)) {
          inner.conds = joinConds(conds, inner.conds);
          out.push(inner);
        }
      }
    }
  }
  return out;
}

/**
 * The tables a call of the module's own function returns (`get_config(conv)`, whose every `return`
 * is a table or a selection from one: `return ENV_SECRETS.get(env, ENV_SECRETS["sandbox"])`), each
 * with the tests on the way to its `return`, the call's arguments bound; `or` after the call applies
 * where what it returns is falsy.
 */
function returnedTables(r: Resolver, s: number, open: number, close: number, at: At, orElse: OrElse | null): Table[] {
  if (r.depth >= MAX_DEPTH) unresolved(r, s, close + 1);
  const out: Table[] = [];
  r.depth++;
  try {
    r.ev.returnsOf(r, s, open, close, at, (a, b, inside, conds) => {
      for (const t of tablesOf(r, a, b, inside, orElse)) {
        t.conds = joinConds(conds, t.conds);
        out.push(t);
      }
    });
  } finally {
    r.depth--;
  }
  return out;
}

/**
 * `T[k]` (subscript) or `T.get(k[, d])`: tokens [s, open) are T, [ks, ke) the key, [ds, de) the
 * default (-1: none). By `conv.env`: each value in its key's environment, the default in the others.
 */
/**
 * `SETTINGS[conv.env].secret` ([s, end), the key's `]` at `close`): the attribute `name` of the
 * objects the entries the key picks make (constructions of the module's classes, nameSetsRows.ts's
 * madeValues), each under its pick's tests; a missing key reads nothing (a KeyError). Null when an
 * entry picked makes anything else.
 */
export function indexAttribute(r: Resolver, s: number, open: number, close: number, at: At, name: string, end: number): Alternative[] | null {
  const tables = tablesOf(r, s, open, at);
  const baseText = textOf(r, s, open, 40);
  const out: Alternative[] = [];
  for (const t of tables) {
    for (const p of pick(r, t, baseText, open + 1, close, at, end, false)) {
      if (!p.entry) continue;
      if (p.entry.values !== undefined) return null;
      const values = r.ev.madeValues(r, p.entry.value[0], p.entry.value[1], name, close, t.at, at);
      if (values === null) return null;
      for (const v of values) out.push(withConds(withConds(v, p.conds), t.conds));
    }
  }
  return live(out);
}

export function index(r: Resolver, s: number, open: number, ks: number, ke: number, at: At, get: boolean, ds: number, de: number, end: number): Alternative[] {
  let tables: Table[];
  try {
    tables = tablesOf(r, s, open, at);
  } catch (err) {
    // Not a table at all (`conv.state[…]`): the whole read is the unknown part.
    const { buf } = r.scan;
    if (err instanceof Unresolved && err.part.span.start >= buf.start[s]! && err.part.span.end <= buf.end[open - 1]!) unresolved(r, s, end);
    throw err;
  }
  const baseText = textOf(r, s, open, 40);
  const out: Alternative[] = [];
  for (const t of tables) {
    for (const p of pick(r, t, baseText, ks, ke, at, end, get)) {
      if (p.entry) {
        for (const v of entryValue(r, p.entry, t.at)) out.push(withConds(p.shared ? picked(r, v, p.conds) : withConds(v, p.conds), t.conds));
      } else if (get) {
        const conds = joinConds(t.conds, p.conds);
        if (ds >= 0) for (const v of r.ev.expr(r, ds, de, at)) out.push(withConds(v, conds));
        else out.push({ name: null, literal: null, when: conds, env: conds.reduce<EnvSet | null>((x, c) => intersect(x, c.env), null) });
      }
    }
  }
  return live(out);
}
