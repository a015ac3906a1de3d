// Pass 3 of the Python reference finder: keys read through a variable (`creds = get_secret('x')`,
// then `creds['user']`), attached to every secret the variable may hold at the read: reaching
// definitions over the scope's statements (keyFlow.ts). Code that runs later (a lambda body, a
// generator expression) sees whatever the name holds anywhere in its scope.

import { EV_BIND, EV_BIND_INLINE, EV_USE, EventTable, Flow, OTHER } from './keyFlow';
import { keyAccess } from './pythonRefsArgs';
import { grow, type PythonRefScan, scratch, statements } from './pythonRefsState';
import { IDENT, OP_AUG, OP_DOT, OP_WALRUS, isOp, tokenIs, type TokenBuffer } from '../scan/tokens';
import { PairIndex, SpanSet } from './tokenSets';
import type { KeyAccess, SecretReference } from '../scan/types';

// Kept from one scan to the next, so that a scan allocates no Map or object per pair or event.
/** The (scope, name) pairs with a tracked definition; and the tracked targets' tokens (token, 0). */
const pairs = new PairIndex();
const targetIndex = new PairIndex();
/** The uses and the bindings as found (each in its own order), then both in token order. */
const uses = new EventTable();
const binds = new EventTable();
const events = new EventTable();
/**
 * Per use: its key read, and what reaches it (filled in by the flow): emptied after each scan,
 * not dropped, so that a scan does not grow them again.
 */
const useKey: Array<KeyAccess | null> = [];
const reach: Array<ReadonlySet<number> | null> = [];
/** Per use: its (scope, name) pair, and 1 when it runs later than it stands. */
let usePair = new Int32Array(256);
let useLate = new Uint8Array(256);
/** Per tracked definition: the first of its pair's (by pair) and the next (`nextDef`), its place in `targetIndex` (`defAt`). */
let firstDef = new Int32Array(256);
let nextDef = new Int32Array(256);
let defAt = new Int32Array(256);
/** Per pair: what is known of it (F_*); per scope: 1 when it has a use. */
let flags = new Uint8Array(256);
let readScopes = new Uint8Array(256);
/** Per scope, the first of its uses' rows; per row, the next (runScopes). */
let firstUse = new Int32Array(256);
let nextUse = new Int32Array(256);

/** A byte array of at least `need`, zeroed over [0, need). */
function zeroed(a: Uint8Array<ArrayBuffer>, need: number): Uint8Array<ArrayBuffer> {
  if (a.length < need) return new Uint8Array(Math.max(need, a.length * 2));
  a.fill(0, 0, need);
  return a;
}

// What is known of a pair (`flags`).
/** A use reads it where it stands (its bindings are the flow's events). */
const F_FLOW = 1;
/** A use reads it in code that runs later. */
const F_LATE = 2;
/** It is bound to something other than a known secret. */
const F_OTHER = 4;

/** Keys read through variables, attached to every secret the variable may hold at the read. */
export function variables(scan: PythonRefScan): void {
  const { text, buf, tracked } = scan;
  const targets = scratch.trackedTargets;
  const names = scan.trackedNames;
  const { scopeOf, bindings } = scratch;
  // Names are numbered by the set of tracked names. Per (scope, name) pair, the definitions there
  // in order: the first, then a chain through `nextDef`.
  const width = names.size;
  pairs.reset(tracked.length);
  firstDef = grow(firstDef, tracked.length);
  firstDef.fill(-1, 0, tracked.length);
  nextDef = grow(nextDef, tracked.length);
  for (let i = tracked.length - 1; i >= 0; i--) {
    const p = pairs.add(scopeOf[targets[i]!]!, names.id(text, buf, targets[i]!));
    nextDef[i] = firstDef[p]!;
    firstDef[p] = i;
  }
  flags = zeroed(flags, pairs.size);
  // A name declared global / nonlocal and bound in that scope may be set by a call we cannot
  // follow: it holds something unknown everywhere.
  const poisoned = new Uint8Array(width);
  if (scan.declared.length > 0) {
    const declared = new Set<number>();
    for (const t of scan.declared) {
      const id = names.id(text, buf, t);
      if (id >= 0) declared.add(scopeOf[t]! * width + id);
    }
    for (let k = 0; k < scan.bindingCount && declared.size > 0; k++) {
      const b = bindings[k]!;
      const id = names.id(text, buf, b);
      if (id >= 0 && declared.has(scopeOf[b]! * width + id)) poisoned[id] = 1;
    }
  }

  // Uses: key reads (`name[…]`, `name.get(…)`, found by the references pass) through a tracked
  // name, not shadowed, not written.
  let useCount = 0;
  uses.count = 0;
  usePair = grow(usePair, scan.keyReadCount);
  if (useLate.length < scan.keyReadCount) useLate = new Uint8Array(usePair.length);
  /** 1 for the scopes with a read: a binding elsewhere is passed over at once. */
  readScopes = zeroed(readScopes, scan.scopeCounter + 1);
  for (let k = 0; k < scan.keyReadCount; k++) {
    const t = scratch.keyReads[k]!;
    const id = names.id(text, buf, t);
    if (id < 0) continue;
    const scope = scopeOf[t]!;
    if (poisoned[id] !== 0 || scan.starScopes.has(scope)) continue;
    const p = pairs.get(scope, id);
    if (p < 0 || shadowed(scan, t, id)) continue;
    const key = keyAccess(scan, t + 1);
    if (!key) continue;
    const u = useCount++;
    useKey[u] = key;
    usePair[u] = p;
    readScopes[scope] = 1;
    const late = inDeferred(scan, t);
    useLate[u] = late ? 1 : 0;
    if (late) flags[p]! |= F_LATE;
    else {
      uses.push(t, EV_USE, id, scope, u);
      flags[p]! |= F_FLOW;
    }
  }
  if (useCount === 0) return;

  // Bindings: where a name gets something else (or, at a tracked target, its secret).
  targetIndex.reset(tracked.length);
  defAt = grow(defAt, tracked.length);
  for (let i = 0; i < tracked.length; i++) defAt[targetIndex.add(targets[i]!, 0)] = i;
  binds.count = 0;
  let sorted = true;
  for (let k = 0; k < scan.bindingCount; k++) {
    const b = bindings[k]!;
    const scope = scopeOf[b]!;
    if (readScopes[scope] === 0) continue;
    const id = names.id(text, buf, b);
    if (id < 0) continue;
    // Only the pairs read matter (each is tracked where it is read).
    const p = pairs.get(scope, id);
    if (p < 0 || (flags[p]! & (F_FLOW | F_LATE)) === 0) continue;
    // A secret whose name is computed counts when the name resolves (its keys are checked against
    // every name it may take); one that does not is as unknown as any other value.
    const found = targetIndex.get(b, 0);
    const def = found >= 0 && known(tracked[defAt[found]!]!) ? defAt[found]! : OTHER;
    if (def === OTHER) flags[p]! |= F_OTHER;
    if (flags[p]! & F_FLOW) {
      if (binds.count > 0 && binds.tok[binds.count - 1]! > b) sorted = false;
      binds.push(b, isOp(buf, b + 1, OP_WALRUS) ? EV_BIND_INLINE : EV_BIND, id, scope, def);
    }
  }
  inTokenOrder(sorted);

  reach.length = Math.max(reach.length, useCount);
  reach.fill(null, 0, useCount);
  const flow = new Flow(statements, events, reach, width);
  runScopes(scan, flow);
  for (let u = 0; u < useCount; u++) {
    const access = useKey[u]!;
    const p = usePair[u]!;
    if (useLate[u]) {
      // Runs later: whatever the name holds anywhere in its scope.
      if (flags[p]! & F_OTHER) continue;
      let unknown = false;
      for (let d = firstDef[p]!; d >= 0 && !unknown; d = nextDef[d]!) unknown = !known(tracked[d]!);
      if (unknown) continue;
      for (let d = firstDef[p]!; d >= 0; d = nextDef[d]!) held(scan, d, access);
    } else {
      const set = reach[u];
      if (!set || set.has(OTHER)) continue;
      for (const d of set) held(scan, d, access);
    }
  }
  useKey.fill(null, 0, useCount);
  reach.fill(null, 0, useCount);
}

/**
 * Fills `events` with the uses and the bindings in token order (a binding before a use at the
 * same token). The uses are found in token order; the bindings nearly (`sorted`: exactly).
 */
function inTokenOrder(sorted: boolean): void {
  let order: number[] | null = null;
  if (!sorted) order = Array.from({ length: binds.count }, (_, k) => k).sort((x, y) => binds.tok[x]! - binds.tok[y]!);
  events.count = 0;
  let u = 0;
  for (let k = 0; k < binds.count; k++) {
    const b = order === null ? k : order[k]!;
    while (u < uses.count && uses.tok[u]! < binds.tok[b]!) events.pushRow(uses, u++);
    events.pushRow(binds, b);
  }
  while (u < uses.count) events.pushRow(uses, u++);
}

/** Runs the flow of each scope with a use where it stands, for the names used there. */
function runScopes(scan: PythonRefScan, flow: Flow): void {
  // Per scope, its uses' rows: the first, then a chain through `next`.
  const first = (firstUse = grow(firstUse, scan.scopeCounter + 1));
  first.fill(-1, 0, scan.scopeCounter + 1);
  const next = (nextUse = grow(nextUse, events.count));
  for (let e = events.count - 1; e >= 0; e--) {
    if (events.type[e] !== EV_USE) continue;
    next[e] = first[events.scope[e]!]!;
    first[events.scope[e]!] = e;
  }
  const ids = new Int32Array(scan.trackedNames.size);
  for (let scope = 0; scope <= scan.scopeCounter; scope++) {
    if (first[scope]! < 0) continue;
    let n = 0;
    for (let e = first[scope]!; e >= 0; e = next[e]!) {
      const id = events.name[e]!;
      let k = 0;
      while (k < n && ids[k] !== id) k++;
      if (k === n) ids[n++] = id;
    }
    if (scope === 0) flow.run(0, 0, -1, ids, n);
    else {
      const header = scan.scopeHeader[scope]!;
      flow.run(scope, header + 1, statements.indent[header]!, ids, n);
    }
  }
}

/** Whether the name at `t` is a lambda parameter or comprehension target there. */
export function shadowed(scan: PythonRefScan, t: number, id: number): boolean {
  if (scan.shadowSpans === null) {
    // Built once, when the first use is checked (every shadow is known by then): one lookup per
    // use instead of a pass over every lambda and comprehension of the file.
    const { text, buf } = scan;
    const byName: number[][] = [];
    for (let k = 0; k < scan.shadowCount; k++) {
      const shadowedId = scan.trackedNames.id(text, buf, scratch.shadows[k * 3]!);
      if (shadowedId < 0) continue;
      (byName[shadowedId] ??= []).push(scratch.shadows[k * 3 + 1]!, scratch.shadows[k * 3 + 2]!);
    }
    scan.shadowSpans = byName.map((spans) => new SpanSet(spans));
  }
  return scan.shadowSpans[id]?.has(t) ?? false;
}

export function inDeferred(scan: PythonRefScan, t: number): boolean {
  scan.deferredSpans ??= new SpanSet(Array.from(scratch.deferred.subarray(0, scan.deferredCount * 2)));
  return scan.deferredSpans.has(t);
}

/** The key read `access` of what tracked definition `d` holds: its read's, and any other its call may return. */
function held(scan: PythonRefScan, d: number, access: KeyAccess): void {
  scan.tracked[d]!.keys.push(access);
  const also = scan.trackedAlso.get(d);
  if (also !== undefined) for (const ref of also) ref.keys.push(access);
}

/** A read whose name is a literal, or computed and resolved to its candidates. */
function known(ref: SecretReference): boolean {
  return ref.name !== null || ref.candidates !== undefined;
}

/**
 * Keys read through an attribute of the instance: `self.X = get_secret(…)` as a statement of a
 * method (scan.selfHeld), then `self.X[…]` / `self.X.get(…)` in any method of the same class. Only
 * where `.X` is written once in the file, on any object (another `=`, an augmented assignment, a
 * target of a tuple or a `for`, a `del`, may put anything there).
 */
export function selfHolderKeys(scan: PythonRefScan): void {
  const { text, buf, count } = scan;
  const { scopeOf, storeEnd } = scratch;
  /** The class of the method token `t` is in (the scope its def is in), or -1. */
  const classOf = (t: number): number => {
    const method = scopeOf[t]!;
    const cls = method > 0 ? statements.scope[scan.scopeHeader[method]!]! : -1;
    return cls > 0 && tokenIs(text, buf, statements.start[scan.scopeHeader[cls]!]!, 'class') ? cls : -1;
  };
  const held = new Map<string, { ref: SecretReference; cls: number; writes: number }>();
  const refused = new Set<string>();
  for (const [ref, attr] of scan.selfHeld) {
    const word = text.slice(buf.start[attr]!, buf.end[attr]!);
    const cls = classOf(attr);
    if (cls < 0 || held.has(word)) refused.add(word);
    else held.set(word, { ref, cls, writes: 0 });
  }
  for (const word of refused) held.delete(word);
  if (held.size === 0) return;
  // The writes of each `.X`: one pass over the document's tokens.
  for (let t = 2; t < count; t++) {
    if (buf.kind[t] !== IDENT || !isOp(buf, t - 1, OP_DOT)) continue;
    const h = held.get(text.slice(buf.start[t]!, buf.end[t]!));
    if (h === undefined) continue;
    if (storeEnd[t] === 1 || isOp(buf, t + 1, OP_AUG) || chainAfter(text, buf, t, 'del')) h.writes++;
  }
  // The reads: `self` followed by `.X` (the references pass keeps each name followed by `.` or `[`).
  for (let k = 0; k < scan.keyReadCount; k++) {
    const t = scratch.keyReads[k]!;
    if (!tokenIs(text, buf, t, 'self') || !isOp(buf, t + 1, OP_DOT) || buf.kind[t + 2] !== IDENT || isOp(buf, t - 1, OP_DOT)) continue;
    const h = held.get(text.slice(buf.start[t + 2]!, buf.end[t + 2]!));
    if (h === undefined || h.writes !== 1 || classOf(t) !== h.cls) continue;
    const key = keyAccess(scan, t + 3);
    if (key) h.ref.keys.push(key);
  }
}

/** Whether the attribute chain ending at token `t` (`a.b.X`) follows the keyword `word` (`del a.b.X`). */
function chainAfter(text: string, buf: TokenBuffer, t: number, word: string): boolean {
  let k = t;
  while (isOp(buf, k - 1, OP_DOT) && buf.kind[k - 2] === IDENT) k -= 2;
  return tokenIs(text, buf, k - 1, word);
}
