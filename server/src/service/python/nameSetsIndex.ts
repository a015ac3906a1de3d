// Indexes for the name-set resolver, each built once per document and only when asked: the
// statements of each scope asked, the bindings of a name in a scope (a function's or class's by
// their place in the file, the module's by a hash of their length, first and last characters),
// the uses of the file's def and class names, what the file changes in place; and what the
// structure pass's tables say about scopes (the scope a header opens, the one around, class
// bodies, parameters).

import { groupEnd } from '../scan/calls';
import { SK_DEF, SK_SIMPLE } from './keyFlow';
import type { BindingTable, Indexes, Resolver } from './nameSetsTypes';
import { scratch, statements as S } from './pythonRefsState';
import { OP_SEMI, LINE, CH_LBRACKET, CH_LPAREN, IDENT, OP, OPEN, OP_ASSIGN, OP_AUG, OP_DOT, isOp, isOpen, lowerBound, tokenIs } from '../scan/tokens';

/** The text of token `t` (a name). */
export function nameAt(r: Resolver, t: number): string {
  return r.scan.text.slice(r.scan.buf.start[t]!, r.scan.buf.end[t]!);
}

/** A scope without statements (shared: never changed). */
const NO_STATEMENTS: Indexes = Object.freeze([]);

/**
 * The first `n` gathered (`reversed`: last first) copied out for as long as the resolver lives: a
 * plain array when short (a typed array, or a view, is an object of some 80 bytes besides its
 * numbers), a view of one of the resolver's chunks when long, not an array and a buffer of its own
 * per list (a file of many small functions keeps one list per function, each alive through the
 * analysis).
 */
function kept(r: Resolver, n: number, reversed: boolean): Indexes {
  if (n <= SHORT_LIST) return shortList(n, reversed);
  let chunk = r.kept;
  if (chunk === null || chunk.used + n > chunk.ints.length) {
    chunk = r.kept = { ints: new Int32Array(Math.max(KEPT_CHUNK, n)), used: 0 };
  }
  const from = chunk.used;
  if (reversed) for (let k = 0; k < n; k++) chunk.ints[from + k] = gathered[n - 1 - k]!;
  else chunk.ints.set(gathered.subarray(0, n), from);
  chunk.used += n;
  return chunk.ints.subarray(from, from + n);
}

/** The first `n` gathered (`reversed`: last first) as an array at its length. */
function shortList(n: number, reversed: boolean): number[] {
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) out[k] = gathered[reversed ? n - 1 - k : k]!;
  return out;
}

/** The longest list kept as a plain array. */
const SHORT_LIST = 16;

/** The size of a chunk kept() copies lists into (in 32-bit integers). */
const KEPT_CHUNK = 16384;

/** Where the statement and binding lists are gathered before copying them out at their number. */
let gathered = new Int32Array(64);

function gather(n: number, t: number): void {
  if (n === gathered.length) {
    const grown = new Int32Array(n * 2);
    grown.set(gathered);
    gathered = grown;
  }
  gathered[n] = t;
}

/**
 * The statements of `scope`, in order, found when first asked. A def or class body's are after its
 * header, up to the first line indented no deeper than the header's (where the structure pass
 * closes the scope: statements that start a line have an even `indent`), among those of the
 * scopes inside it; the module's are all the file's of scope 0.
 */
export function scopeStatements(r: Resolver, scope: number): Indexes {
  r.scopeStatements ??= new Array<Indexes | undefined>(r.scan.scopeCounter + 1);
  if (scope < 0 || scope >= r.scopeStatements.length) return NO_STATEMENTS;
  let list = r.scopeStatements[scope];
  if (list !== undefined) return list;
  const { scope: of, indent } = S;
  const header = scope === 0 ? -1 : r.scan.scopeHeader[scope]!;
  let n = 0;
  if (header === undefined || header < 0) {
    for (let i = 0; i < S.count; i++) if (of[i] === scope) gather(n++, i);
  } else {
    // The last indentation that leaves the body: the header line's (an odd one is a header after another's colon).
    const closes = indent[header]! & ~1;
    for (let i = header + 1; i < S.count && ((indent[i]! & 1) === 1 || indent[i]! > closes); i++) if (of[i] === scope) gather(n++, i);
  }
  list = n === 0 ? NO_STATEMENTS : kept(r, n, false);
  r.scopeStatements[scope] = list;
  return list;
}

/** The first statement of `scope`, or -1 (the module's without finding the rest). */
export function firstStatement(r: Resolver, scope: number): number {
  if (scope !== 0) {
    const list = scopeStatements(r, scope);
    return list.length > 0 ? list[0]! : -1;
  }
  for (let i = 0; i < S.count; i++) if (S.scope[i] === 0) return i;
  return -1;
}

/**
 * The document's binding tokens in order: the structure pass's list, which is in order but for
 * rare cases (then sorted once). A scope's bindings are then the part of it between the scope's
 * first and last tokens.
 */
function bindingOrder(r: Resolver): Int32Array {
  if (r.bindingOrder !== null) return r.bindingOrder;
  const list = scratch.bindings.subarray(0, r.scan.bindingCount);
  let sorted = true;
  for (let k = 1; k < list.length && sorted; k++) if (list[k]! < list[k - 1]!) sorted = false;
  r.bindingOrder = sorted ? list : list.slice().sort();
  return r.bindingOrder;
}

/**
 * The binding tokens of `name` in `scope`, in order: for a function or class body, found among
 * the bindings between its first and last tokens; for the module (whose part is the whole file),
 * through a table of the module's bindings by a hash of their name, each name's list kept.
 */
export function bindingsOf(r: Resolver, name: string, scope: number): Indexes {
  const { text, buf } = r.scan;
  let n = 0;
  if (scope !== 0) {
    const order = bindingOrder(r);
    const to = scopeTo(r, scope);
    for (let k = firstBindingAt(r, scope, order); k < order.length && order[k]! < to; k++) {
      const b = order[k]!;
      if (scratch.scopeOf[b] === scope && tokenIs(text, buf, b, name)) gather(n++, b);
    }
    return n <= SHORT_LIST ? shortList(n, false) : gathered.slice(0, n);
  }
  r.bindings ??= new Map();
  let list = r.bindings.get(name);
  if (list) return list;
  const table = (r.moduleBindings ??= moduleTable(r));
  const h = shapeHash(name, 0, name.length);
  for (let k = table.head[h & table.mask]!; k !== 0; k = table.next[k - 1]!) {
    const t = table.token[k - 1]!;
    if (table.hash[k - 1] === h && tokenIs(text, buf, t, name)) gather(n++, t);
  }
  // A chain runs from the last binding added to the first: the list is the reverse.
  list = kept(r, n, true);
  r.bindings.set(name, list);
  return list;
}

/** The arrays of the last document's table, for the next one's (a table in use is never here). */
let spare: BindingTable | null = null;

/** Gives the resolver's table back for the next document's, once the resolver is done. */
export function releaseIndexes(r: Resolver): void {
  if (r.moduleBindings !== null) spare = r.moduleBindings;
  r.moduleBindings = null;
}

/**
 * The module's bindings by a hash of their name, in order, built once without a string or an
 * array per binding: chains through typed arrays (head of each slot + 1, next entry + 1; 0 ends a
 * chain), those of the last document's table when they fit. The other scopes' bindings are found
 * by their place (bindingsOf).
 */
function moduleTable(r: Resolver): BindingTable {
  const { text, buf } = r.scan;
  const order = bindingOrder(r);
  const scopeOf = scratch.scopeOf;
  // Sized for every binding (a slot each at most): clearing a larger table costs less than a pass
  // to count the module's.
  const n = order.length;
  let capacity = 16;
  while (capacity < n) capacity *= 2;
  let table = spare;
  // A much larger table would cost more to clear than a new one.
  if (table !== null && table.next.length >= n && table.head.length >= capacity && table.head.length <= capacity * 4) {
    table.head.fill(0);
    spare = null;
  } else table = { head: new Int32Array(capacity), next: new Int32Array(n), hash: new Int32Array(n), token: new Int32Array(n), mask: capacity - 1 };
  const { head, next, hash, token, mask } = table;
  let e = 0;
  for (let k = 0; k < order.length; k++) {
    const t = order[k]!;
    if (scopeOf[t] !== 0) continue;
    const h = shapeHash(text, buf.start[t]!, buf.end[t]!);
    const slot = h & mask;
    hash[e] = h;
    token[e] = t;
    next[e] = head[slot]!;
    head[slot] = ++e;
  }
  return table;
}

/** The first binding token of `name` in [a, b) (in any scope), or -1. */
export function bindingIn(r: Resolver, name: string, a: number, b: number): number {
  const { text, buf } = r.scan;
  const order = bindingOrder(r);
  for (let k = lowerBound(order, order.length, a); k < order.length && order[k]! < b; k++) if (tokenIs(text, buf, order[k]!, name)) return order[k]!;
  return -1;
}

/** How many bindings of any name a walk of `scope`'s (boundInScope, bindingsOf) passes over: the module's are found by a hash (1). */
export function scopeBindingCount(r: Resolver, scope: number): number {
  if (scope === 0) return 1;
  const order = bindingOrder(r);
  return Math.max(1, lowerBound(order, order.length, scopeTo(r, scope)) - firstBindingAt(r, scope, order));
}

/** Whether `name` is bound anywhere in `scope` (its parameters included). */
export function boundInScope(r: Resolver, name: string, scope: number): boolean {
  if (scope === 0) return bindingsOf(r, name, 0).length > 0;
  const { text, buf } = r.scan;
  const order = bindingOrder(r);
  const to = scopeTo(r, scope);
  for (let k = firstBindingAt(r, scope, order); k < order.length && order[k]! < to; k++) {
    const b = order[k]!;
    if (scratch.scopeOf[b] === scope && tokenIs(text, buf, b, name)) return true;
  }
  return false;
}

/** The place in `order` (bindingOrder) of the first binding at or after `scope`'s first token: searched once per scope. */
function firstBindingAt(r: Resolver, scope: number, order: Int32Array): number {
  const firsts = (r.firstBindings ??= new Int32Array(r.scan.scopeCounter + 1));
  const known = scope < firsts.length ? firsts[scope]! : 0;
  if (known > 0) return known - 1;
  const k = lowerBound(order, order.length, scopeFrom(r, scope));
  if (scope < firsts.length) firsts[scope] = k + 1;
  return k;
}

// Every token of a scope is between its header's first token and the end of its last statement
// (its parameters are in the header, its body in its statements): a walk over the bindings of a
// name for one scope needs only that part of their list.

/** The first token of `scope` (module: 0). */
export function scopeFrom(r: Resolver, scope: number): number {
  const header = scope === 0 ? -1 : r.scan.scopeHeader[scope];
  return header === undefined || header < 0 ? 0 : S.start[header]!;
}

/** The end of `scope`'s last statement (module, or a scope without statements: the end of the file). */
export function scopeTo(r: Resolver, scope: number): number {
  if (scope === 0) return r.scan.count;
  const list = scopeStatements(r, scope);
  return list.length === 0 ? r.scan.count : S.end[list[list.length - 1]!]!;
}

/** The statement that token `t` is in. */
export function statementOf(t: number): number {
  return Math.max(0, lowerBound(S.start, S.count, t + 1) - 1);
}

/** The scope a def/class header statement opens, or -1. */
export function scopeOpenedBy(r: Resolver, header: number): number {
  // The tokens after a def or class name are in the scope it opens (pythonRefsStructure.ts's definition).
  const t = S.end[header]!;
  if (S.kind[header] !== SK_DEF || t >= r.scan.count) return -1;
  const inner = scratch.scopeOf[t]!;
  return inner !== S.scope[header] && r.scan.scopeHeader[inner] === header ? inner : -1;
}

/** The scope around `scope` (module: -1). */
export function enclosingScope(r: Resolver, scope: number): number {
  if (scope === 0) return -1;
  const header = r.scan.scopeHeader[scope];
  return header === undefined || header < 0 ? 0 : S.scope[header]!;
}

/** Whether `scope` is a class body. */
export function isClassScope(r: Resolver, scope: number): boolean {
  if (scope === 0) return false;
  const header = r.scan.scopeHeader[scope];
  if (header === undefined || header < 0) return false;
  return tokenIs(r.scan.text, r.scan.buf, S.start[header]!, 'class');
}

/** The parameter group of the function whose body is `scope`: [open, close) tokens, or null. */
export function parameterGroup(r: Resolver, scope: number): [number, number] | null {
  const header = r.scan.scopeHeader[scope];
  if (header === undefined || header < 0) return null;
  const { text, buf } = r.scan;
  const name = S.end[header]! - 1;
  let open = name + 1;
  if (isOpen(buf, open, CH_LBRACKET) && buf.match[open]! > open) open = buf.match[open]! + 1;
  if (!isOpen(buf, open, CH_LPAREN) || tokenIs(text, buf, S.start[header]!, 'class')) return null;
  return [open, groupEnd(text, buf, open)];
}


/**
 * The identifier tokens spelling `name`, in order. The names of the file's defs and classes (what
 * is asked: call sites, subclasses) are indexed together in one pass over the tokens, the first
 * time one is asked; any other name costs a pass of its own.
 */
export function identsOf(r: Resolver, name: string): number[] {
  if (r.idents === null) r.idents = defNameIndex(r);
  let list = r.idents.get(name);
  if (list) return list;
  if (r.identsComplete) return NO_TOKENS;
  const { text, buf, count } = r.scan;
  r.budget.charge(count >> 6); // a pass over the tokens counts against the document's budget
  // Past a few names of their own, every identifier is indexed in one more pass: the names asked
  // then cost a lookup, however many there are (a table of each of thousands of names asked once).
  if ((r.identPasses = (r.identPasses ?? 0) + 1) > SEPARATE_PASSES) {
    const all = r.idents;
    // The names indexed already have every token of theirs.
    const had = new Set(all.keys());
    for (let t = 0; t < count; t++) {
      if (buf.kind[t] !== IDENT) continue;
      const word = text.slice(buf.start[t]!, buf.end[t]!);
      if (had.has(word)) continue;
      const known = all.get(word);
      if (known) known.push(t);
      else all.set(word, [t]);
    }
    r.identsComplete = true;
    return all.get(name) ?? NO_TOKENS;
  }
  list = [];
  for (let t = 0; t < count; t++) if (buf.kind[t] === IDENT && tokenIs(text, buf, t, name)) list.push(t);
  r.idents.set(name, list);
  return list;
}

/** How many names identsOf finds by a pass of their own before it indexes them all. */
const SEPARATE_PASSES = 8;

/** No tokens (shared: never changed). */
const NO_TOKENS: number[] = [];

/**
 * FNV-1a of text[from, to)'s length, its first two and its last four characters: what tells most
 * bindings apart (numbered names differ at the end, `e_123` and `e_223` by their last four) for a
 * table of every binding, without a loop over each one's characters. Names that share it are told
 * apart by their text.
 */
function shapeHash(text: string, from: number, to: number): number {
  const n = to - from;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  if (n > 0) h = Math.imul(h ^ text.charCodeAt(from), 0x01000193);
  if (n > 1) h = Math.imul(h ^ text.charCodeAt(from + 1), 0x01000193);
  for (let k = Math.max(from + 2, to - 4); k < to; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  return h & 0x3fffffff;
}

/** FNV-1a of text[from, to). */
function hashOf(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let k = from; k < to; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  return h & 0x3fffffff; // a small integer: no boxing, fast map keys
}

function defNameIndex(r: Resolver): Map<string, number[]> {
  const { text, buf, count } = r.scan;
  const index = new Map<string, number[]>();
  // By a hash of the characters: a token is compared only with the names it may spell.
  const buckets = new Map<number, string[]>();
  // Which (length, first character) pairs the names have: most tokens are passed over on that alone.
  const shapes = new Uint8Array(64 * 128);
  const add = (t: number): void => {
    const name = text.slice(buf.start[t]!, buf.end[t]!);
    if (index.has(name)) return;
    index.set(name, []);
    const key = hashOf(name, 0, name.length);
    shapes[(name.length & 63) * 128 + (name.charCodeAt(0) & 127)] = 1;
    const bucket = buckets.get(key);
    if (bucket) bucket.push(name);
    else buckets.set(key, [name]);
  };
  // The names asked about: defs and classes (call sites, subclasses).
  for (let i = 0; i < S.count; i++) if (S.kind[i] === SK_DEF && buf.kind[S.end[i]! - 1] === IDENT) add(S.end[i]! - 1);
  if (buckets.size === 0) return index;
  for (let t = 0; t < count; t++) {
    if (buf.kind[t] !== IDENT) continue;
    const from = buf.start[t]!;
    const to = buf.end[t]!;
    if (shapes[((to - from) & 63) * 128 + (text.charCodeAt(from) & 127)] === 0) continue;
    const bucket = buckets.get(hashOf(text, from, to));
    if (!bucket) continue;
    for (const name of bucket) {
      if (tokenIs(text, buf, t, name)) {
        index.get(name)!.push(t);
        break;
      }
    }
  }
  return index;
}

const MUTATORS = ['append', 'extend', 'insert', 'update', 'setdefault', 'pop', 'popitem', 'clear', 'remove', 'add', 'discard', '__setitem__', '__delitem__'];
/** Bit n set: a mutator is n characters long (most method names are passed over on that alone). */
const MUTATOR_LENGTHS = MUTATORS.reduce((bits, m) => bits | (1 << m.length), 0);

/** Whether tokens from `dot` are `.m(` with `m` a method that changes a container in place (MUTATORS). */
function mutatorCall(r: Resolver, dot: number): boolean {
  const { text, buf } = r.scan;
  if (!isOp(buf, dot, OP_DOT) || buf.kind[dot + 1] !== IDENT || !isOpen(buf, dot + 2, CH_LPAREN)) return false;
  const len = buf.end[dot + 1]! - buf.start[dot + 1]!;
  if (len >= 32 || ((MUTATOR_LENGTHS >>> len) & 1) === 0) return false;
  for (const m of MUTATORS) if (m.length === len && tokenIs(text, buf, dot + 1, m)) return true;
  return false;
}

/**
 * What the file changes in place, found in one pass over the tokens the first time it is asked
 * (a string is made only where a change is): tables (`T[k] = …`, `del T[k]`, `T[k] += …`,
 * `T.update(…)`, `T += …`, `T[k].append(…)`, `T[k][j] = …`) and attributes (`x.A = …`), each by name with where it first happens;
 * every change of a table, by name; and the statements binding a name to another's value (`c = T`, `c = T["live"]`).
 */
function changesOf(r: Resolver): NonNullable<Resolver['changes']> {
  if (r.changes) return r.changes;
  const tables = new Map<string, [number, number]>();
  const attributes = new Map<string, [number, number]>();
  const every = new Map<string, Array<[number, number]>>();
  const aliases: number[] = [];
  const { text, buf } = r.scan;
  const note = (map: Map<string, [number, number]>, t: number, end: number): void => {
    const name = text.slice(buf.start[t]!, buf.end[t]!);
    if (!map.has(name)) map.set(name, [t, end]);
    if (map !== tables) return;
    const all = every.get(name);
    if (all) all.push([t, end]);
    else every.set(name, [[t, end]]);
  };
  // Changes are statements of their own: one look at the start of each (`T[k] = …`, `del T[k]`,
  // `T.update(…)`, `T += …`, `x.A = …`, and a container inside the table changed: `T[k].append(…)`,
// `T[k][j] = …`); most start `name =`, which the first tests pass over.
  const { kind, aux, start, end } = buf;
  const stmtKind = S.kind;
  const stmtStart = S.start;
  for (let i = 0, n = S.count; i < n; i++) {
    if (stmtKind[i] !== SK_SIMPLE) continue;
    let t = stmtStart[i]!;
    if (kind[t] !== IDENT) continue;
    let next = t + 1;
    let del = false;
    if (kind[next] === IDENT && end[t]! - start[t]! === 3 && text.charCodeAt(start[t]!) === 100 && tokenIs(text, buf, t, 'del')) {
      del = true;
      t = next;
      next = t + 1;
    }
    const nextKind = kind[next];
    if (nextKind === OP) {
      const op = aux[next];
      if (op === OP_ASSIGN) {
        if (!del && kind[t + 2] === IDENT && subscriptsOnly(r, t + 3, i)) aliases.push(i);
        continue;
      }
      if (op === OP_AUG) note(tables, t, t + 2);
      else if (op === OP_DOT && kind[t + 2] === IDENT) {
        if (isOp(buf, t + 3, OP_ASSIGN) || isOp(buf, t + 3, OP_AUG)) note(attributes, t + 2, t + 3);
        else if (mutatorCall(r, t + 1)) {
          const close = buf.match[t + 3]!;
          note(tables, t, close > 0 ? close + 1 : t + 4);
        } else if (isOpen(buf, t + 3, CH_LBRACKET) || mutatorCall(r, t + 3)) {
          // A table held by an attribute changed in place (`self.NAMES[k] = …`, `self.NAMES.update(…)`):
          // a change of the table that name holds, wherever it is read through.
          const change = subscriptChange(r, t + 3, del) ?? (mutatorCall(r, t + 3) && buf.match[t + 5]! > 0 ? buf.match[t + 5]! + 1 : -1);
          if (change > 0) note(tables, t + 2, change);
        }
      }
    } else if (nextKind === OPEN && aux[next] === CH_LBRACKET) {
      const change = subscriptChange(r, next, del);
      if (change !== null) note(tables, t, change);
    }
  }
  r.changes = { tables, attributes, every, aliases };
  return r.changes;
}

/** Whether statement `i` ends at token `k` but for subscripts (`["live"]["crm"]`) and the line's end. */
export function subscriptsOnly(r: Resolver, k: number, i: number): boolean {
  const { buf } = r.scan;
  while (isOpen(buf, k, CH_LBRACKET) && buf.match[k]! > k) k = buf.match[k]! + 1;
  return k >= S.end[i]! || buf.kind[k] === LINE || isOp(buf, k, OP_SEMI);
}

/** Every in-place change of a table named `name` (changesOf), each a statement's part. */
export function tableChanges(r: Resolver, name: string): ReadonlyArray<[number, number]> {
  return changesOf(r).every.get(name) ?? [];
}

/** The statements binding a name to another's value (`c = T`, `c = T["live"]`): changesOf's. */
export function aliasStatements(r: Resolver): readonly number[] {
  return changesOf(r).aliases;
}

/**
 * A subscript statement from the `[` at `open` that changes the table it indexes (`[k] = …`, `del`,
 * `[k] += …`, a container inside changed: `[k][j] = …`, `[k].append(…)`): the end of that part, or null.
 */
function subscriptChange(r: Resolver, open: number, del: boolean): number | null {
  const { buf } = r.scan;
  if (!isOpen(buf, open, CH_LBRACKET)) return null;
  let close = buf.match[open]!;
  while (close > 0 && isOpen(buf, close + 1, CH_LBRACKET) && buf.match[close + 1]! > 0) close = buf.match[close + 1]!;
  if (close <= 0) return null;
  if (del || scratch.storeEnd[close] || isOp(buf, close + 1, OP_AUG)) return close + 1;
  if (mutatorCall(r, close + 1)) return buf.match[close + 3]! > 0 ? buf.match[close + 3]! + 1 : close + 4;
  return null;
}

/** Where a table named `name` is changed in place anywhere in the file: that part, or null. */
export function tableChange(r: Resolver, name: string): [number, number] | null {
  return changesOf(r).tables.get(name) ?? null;
}

/** Whether `x.name = …` (or `+=`) is written anywhere in the file: the attribute changes at run time. */
export function attributeWritten(r: Resolver, name: string): boolean {
  return changesOf(r).attributes.has(name);
}

