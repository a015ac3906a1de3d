// "Did you mean" over many names: names bucketed by length so that a query only visits buckets
// within the distance bound, and a banded edit distance that gives up as soon as the bound is passed.
// With 10,000 names a query touches a fraction of them and each comparison is a few dozen cells.
// Ahead of typos come the names a person writes differently only in case, spacing or `_`/`-`/space
// (`prod_api_credentials` for `Prod API Credentials`, as real accounts name secrets): a map by nameLooseFold, folded
// once per name as it joins the index, one fold per query.

import { nameLooseFold } from '../../../../protocol/names';

/** How many edits still count as a typo for a name of this length. */
export function typoBound(length: number): number {
  if (length <= 3) return 1;
  if (length <= 7) return 2;
  return 3;
}

/**
 * Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent swaps), or
 * `bound + 1` as soon as it must exceed `bound`. Case-insensitive: `Stripe_Key` is one typo away
 * from nothing, it is the same name with the wrong case, which the naming check reports.
 */
export function boundedDistance(a: string, b: string, bound: number): number {
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  return lowerDistance(a.toLowerCase(), b.toLowerCase(), bound);
}

/**
 * boundedDistance(a, b, 1) === 1, in one pass without lower-case copies for ASCII names: the
 * one-edit table's candidates are checked with it (a tenth of `check`'s diagnostics with the
 * distance, bench/check). Other names take boundedDistance, whose lower case may change a length.
 */
export function oneEditApart(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (la - lb > 1 || lb - la > 1) return false;
  if (!isAscii(a) || !isAscii(b)) return boundedDistance(a, b, 1) === 1;
  const n = la < lb ? la : lb;
  let i = 0;
  while (i < n && sameAt(a, i, b, i)) i++;
  if (la === lb) {
    if (i === la) return false;
    // A substitution at i, or the neighbours at i and i + 1 swapped.
    return sameFrom(a, i + 1, b, i + 1) || (i + 1 < la && sameAt(a, i, b, i + 1) && sameAt(a, i + 1, b, i) && sameFrom(a, i + 2, b, i + 2));
  }
  // A character inserted at i in the longer.
  return la > lb ? sameFrom(a, i + 1, b, i) : sameFrom(a, i, b, i + 1);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function sameAt(a: string, i: number, b: string, j: number): boolean {
  return lowerAscii(a.charCodeAt(i)) === lowerAscii(b.charCodeAt(j));
}

/** ASCII a from i and b from j are the same but for case, to their ends (which must be as far). */
function sameFrom(a: string, i: number, b: string, j: number): boolean {
  if (a.length - i !== b.length - j) return false;
  for (; i < a.length; i++, j++) if (!sameAt(a, i, b, j)) return false;
  return true;
}

/** Three rolling rows, reused across calls: a search makes thousands of comparisons. */
let rows = [new Int32Array(72), new Int32Array(72), new Int32Array(72)] as const;

/** `boundedDistance` on strings already in lower case. */
function lowerDistance(x: string, y: string, bound: number): number {
  const la = x.length;
  const lb = y.length;
  if (Math.abs(la - lb) > bound) return bound + 1;
  if (la === 0) return Math.min(lb, bound + 1);
  if (lb === 0) return Math.min(la, bound + 1);
  if (rows[0].length <= lb) rows = [new Int32Array(lb + 1), new Int32Array(lb + 1), new Int32Array(lb + 1)];
  // The swap rule looks two rows back.
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ci = x.charCodeAt(i - 1);
    const before = i > 1 ? x.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= lb; j++) {
      const cj = y.charCodeAt(j - 1);
      let v = prev[j - 1]! + (ci === cj ? 0 : 1);
      const del = prev[j]! + 1;
      if (del < v) v = del;
      const ins = cur[j - 1]! + 1;
      if (ins < v) v = ins;
      if (j > 1 && before === cj && ci === y.charCodeAt(j - 2)) {
        const swap = prev2[j - 2]! + 1;
        if (swap < v) v = swap;
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > bound) return bound + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[lb]!, bound + 1);
}

/**
 * nameLooseFold, with a quick path for printable ASCII (most names), where NFKC changes nothing:
 * the model folds every name of a snapshot once, 10,000 of them at the bench's size.
 */
export function looseFold(name: string): string {
  return /^[\x20-\x7e]*$/.test(name) ? name.toLowerCase().replace(/[\s_-]+/g, '') : nameLooseFold(name);
}

export interface NearMatch {
  name: string;
  /** Edits apart; 0 for a name that differs only in case, spacing or `_`/`-`/space (nameLooseFold). */
  distance: number;
}

/**
 * Whether `other` would be suggested for `name`: the same but for case, spacing or `_`/`-`/space,
 * or a typo away. For the few names a change adds or removes, not for searching many.
 */
export function isNearName(name: string, other: string): boolean {
  const bound = typoBound(name.length);
  return boundedDistance(name, other, bound) <= bound || looseFold(name) === looseFold(other);
}

export class NameIndex {
  /** Slot per name ever added; null once removed (the tables skip it until the next compaction). */
  private names: (string | null)[] = [];
  private readonly slotOf = new Map<string, number>();
  private removed = 0;
  /** byLength[n]: the names of length n with their lower-case forms; built by the first full search. */
  private byLength: [name: string, lower: string][][] | undefined;
  private deletions: DeletionTable | undefined;
  /** nameLooseFold(name) → the names with that fold (usually one). */
  private readonly byFold = new Map<string, string[]>();

  constructor(names: Iterable<string>) {
    for (const name of names) {
      if (this.slotOf.has(name)) continue;
      this.slotOf.set(name, this.names.length);
      this.names.push(name);
      this.addFold(name);
    }
  }

  private addFold(name: string): void {
    const fold = looseFold(name);
    const twins = this.byFold.get(fold);
    if (twins) twins.push(name);
    else this.byFold.set(fold, [name]);
  }

  private removeFold(name: string): void {
    const fold = looseFold(name);
    const twins = this.byFold.get(fold);
    if (!twins) return;
    const at = twins.indexOf(name);
    if (at >= 0) twins.splice(at, 1);
    if (twins.length === 0) this.byFold.delete(fold);
  }

  /** Adds a name in place: its one-edit hashes go into the table, it joins its length's bucket. */
  add(name: string): void {
    if (this.slotOf.has(name)) return;
    const slot = this.names.length;
    this.slotOf.set(name, slot);
    this.names.push(name);
    this.addFold(name);
    this.deletions?.insert(slot, name);
    if (this.byLength) (this.byLength[name.length] ??= []).push([name, name.toLowerCase()]);
  }

  /** Removes a name in place; the tables are compacted when removed names make up half of them. */
  remove(name: string): void {
    const slot = this.slotOf.get(name);
    if (slot === undefined) return;
    this.slotOf.delete(name);
    this.names[slot] = null;
    this.removed++;
    this.removeFold(name);
    const bucket = this.byLength?.[name.length];
    if (bucket) {
      const at = bucket.findIndex(([n]) => n === name);
      if (at >= 0) bucket.splice(at, 1);
    }
    if (this.removed > 64 && this.removed * 2 > this.names.length) this.compact();
  }

  private compact(): void {
    const live = this.names.filter((n): n is string => n !== null);
    this.names = live;
    this.slotOf.clear();
    live.forEach((n, i) => this.slotOf.set(n, i));
    this.removed = 0;
    if (this.deletions) this.deletions = new DeletionTable(this.names);
  }

  private buckets(): [string, string][][] {
    if (!this.byLength) {
      this.byLength = [];
      for (const name of this.names) if (name !== null) (this.byLength[name.length] ??= []).push([name, name.toLowerCase()]);
    }
    return this.byLength;
  }

  /** Builds the one-edit table now rather than on the first search. */
  prepare(): this {
    this.deletions ??= new DeletionTable(this.names);
    return this;
  }

  /**
   * Up to `max` names within the typo bound of `query`, nearest first; ties go to the name that
   * shares the longest prefix with the query, then alphabetical order. The query itself is never
   * returned. Names that differ from it only in case, spacing or `_`/`-`/space come first
   * (distance 0), however many edits apart they are.
   *
   * Most typos are one edit away, and those names come straight from a table of single-deletion
   * hashes (no comparison with the other names). Only when that finds fewer than `max` names does
   * the search compare the query with every name of a close length.
   */
  nearest(query: string, max = 3, bound = typoBound(query.length)): NearMatch[] {
    if (max <= 0 || bound <= 0) return [];
    const twins = (this.byFold.get(looseFold(query)) ?? []).filter((n) => n !== query).map((name) => ({ name, distance: 0 }));
    if (twins.length > 0) {
      twins.sort(closestFirst(query));
      if (twins.length >= max) return twins.slice(0, max);
      const rest = this.typos(query, max, bound).filter((m) => !twins.some((t) => t.name === m.name));
      return twins.concat(rest).slice(0, max);
    }
    return this.typos(query, max, bound);
  }

  /** `nearest` by edit distance alone. */
  private typos(query: string, max: number, bound: number): NearMatch[] {
    const close = this.prepare().deletions!.oneEditAway(query);
    let found: NearMatch[];
    if (close.length >= max || bound === 1) {
      found = close.map((name) => ({ name, distance: 1 }));
    } else {
      found = [];
      const byLength = this.buckets();
      const lowerQuery = query.toLowerCase();
      const lo = Math.max(0, query.length - bound);
      const hi = Math.min(byLength.length - 1, query.length + bound);
      for (let len = lo; len <= hi; len++) {
        const bucket = byLength[len];
        if (!bucket) continue;
        for (const [name, lower] of bucket) {
          if (name === query) continue;
          const d = lowerDistance(lowerQuery, lower, bound);
          if (d <= bound) found.push({ name, distance: d });
        }
      }
    }
    found.sort(closestFirst(query));
    return found.slice(0, max);
  }
}

const BASE = 0x01000193;
const POW: number[] = [1];
function pow(k: number): number {
  while (POW.length <= k) POW.push(Math.imul(POW[POW.length - 1]!, BASE));
  return POW[k]!;
}

let scratch = new Int32Array(128);

/**
 * Polynomial hashes (mod 2^32) of a string and of each string made by deleting one of its
 * characters, computed in one pass from prefix and suffix hashes. Writes them to `out` from 0 and
 * returns how many there are (length + 1).
 */
function deletionHashes(s: string, out: Int32Array): number {
  const n = s.length;
  if (scratch.length <= n) scratch = new Int32Array(n * 2 + 2);
  const suffix = scratch;
  suffix[n] = 0;
  for (let j = n - 1; j >= 0; j--) suffix[j] = (Math.imul(s.charCodeAt(j), pow(n - 1 - j)) + suffix[j + 1]!) | 0;
  out[0] = suffix[0]!; // the string itself
  let prefix = 0;
  for (let i = 0; i < n; i++) {
    out[i + 1] = (Math.imul(prefix, pow(n - 1 - i)) + suffix[i + 1]!) | 0;
    prefix = (Math.imul(prefix, BASE) + s.charCodeAt(i)) | 0;
  }
  return n + 1;
}

/**
 * Two strings are one edit apart (insertion, deletion, substitution or swap of neighbours) only if
 * deleting at most one character from each gives the same string. This table holds, for every
 * name, the hashes of itself and of its single deletions: an open-addressing table of distinct
 * hashes, each heading a list of the names that produce it (many names share a deletion, such as
 * `svc1230_key` and `svc1231_key`). A query is a few dozen probes; hash collisions only add
 * candidates, and each candidate is verified.
 */
class DeletionTable {
  private slotHash: Int32Array;
  /** First entry of the slot's list + 1; 0 marks an empty slot. */
  private slotHead: Int32Array;
  private entryOwner: Int32Array;
  /** Next entry of the same list + 1; 0 ends it. */
  private entryNext: Int32Array;
  private mask: number;
  private entries = 0;
  private usedSlots = 0;
  private hs = new Int32Array(72);

  /** `names` is shared with the NameIndex: a null is a removed name, skipped by lookups. */
  constructor(private readonly names: readonly (string | null)[]) {
    let entries = 0;
    for (const name of names) if (name !== null) entries += name.length + 1;
    let capacity = 16;
    while (capacity < entries * 2) capacity *= 2;
    this.slotHash = new Int32Array(capacity);
    this.slotHead = new Int32Array(capacity);
    this.entryOwner = new Int32Array(Math.max(16, entries));
    this.entryNext = new Int32Array(Math.max(16, entries));
    this.mask = capacity - 1;
    for (let k = 0; k < names.length; k++) {
      const name = names[k];
      if (name !== null && name !== undefined) this.insert(k, name);
    }
  }

  /** Adds the hashes of `name` (owner `k`), growing the arrays when they are full. */
  insert(k: number, name: string): void {
    if (this.hs.length <= name.length) this.hs = new Int32Array(name.length * 2 + 2);
    const count = deletionHashes(name, this.hs);
    if (this.entries + count > this.entryOwner.length) {
      const size = Math.max(this.entryOwner.length * 2, this.entries + count);
      const owner = new Int32Array(size);
      owner.set(this.entryOwner);
      const next = new Int32Array(size);
      next.set(this.entryNext);
      this.entryOwner = owner;
      this.entryNext = next;
    }
    // Keep the table at most half full, so that probe runs stay short.
    if ((this.usedSlots + count) * 2 > this.slotHash.length) this.rehash((this.usedSlots + count) * 4);
    for (let i = 0; i < count; i++) {
      const h = this.hs[i]!;
      const slot = this.slotOf(h);
      if (this.slotHead[slot] === 0) this.usedSlots++;
      this.slotHash[slot] = h;
      this.entryOwner[this.entries] = k;
      this.entryNext[this.entries] = this.slotHead[slot]!;
      this.slotHead[slot] = ++this.entries;
    }
  }

  /** Moves every list to a table of at least `minimum` slots; the entries stay where they are. */
  private rehash(minimum: number): void {
    let capacity = this.slotHash.length;
    while (capacity < minimum) capacity *= 2;
    const oldHash = this.slotHash;
    const oldHead = this.slotHead;
    this.slotHash = new Int32Array(capacity);
    this.slotHead = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let s = 0; s < oldHead.length; s++) {
      if (oldHead[s] === 0) continue;
      const slot = this.slotOf(oldHash[s]!);
      this.slotHash[slot] = oldHash[s]!;
      this.slotHead[slot] = oldHead[s]!;
    }
  }

  /** The slot holding `h`, or the empty slot where it belongs. */
  private slotOf(h: number): number {
    let slot = mix(h) & this.mask;
    while (this.slotHead[slot] !== 0 && this.slotHash[slot] !== h) slot = (slot + 1) & this.mask;
    return slot;
  }

  /** Every name exactly one edit from `query` (exact case). */
  oneEditAway(query: string): string[] {
    // The insertion's scratch: a query's hashes are used before anything is inserted again.
    if (this.hs.length <= query.length) this.hs = new Int32Array(query.length * 2 + 2);
    const hs = this.hs;
    const count = deletionHashes(query, hs);
    const seen = new Set<number>();
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const slot = this.slotOf(hs[i]!);
      for (let e = this.slotHead[slot]!; e !== 0; e = this.entryNext[e - 1]!) {
        const owner = this.entryOwner[e - 1]!;
        if (seen.has(owner)) continue;
        seen.add(owner);
        const name = this.names[owner];
        if (name !== null && name !== undefined && name !== query && oneEditApart(query, name)) out.push(name);
      }
    }
    return out;
  }
}

/** Spreads a hash's bits so that nearby hashes land in distant slots. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Order of suggestions: fewest edits, then the longest shared prefix, then by name. */
function closestFirst(query: string): (a: NearMatch, b: NearMatch) => number {
  return (a, b) =>
    a.distance - b.distance ||
    commonPrefix(query, b.name) - commonPrefix(query, a.name) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The nearest of a few candidates (a secret's keys): compared one by one, no index needed. */
export function nearestAmong(query: string, candidates: readonly string[], max = 3): NearMatch[] {
  const bound = typoBound(query.length);
  const found: NearMatch[] = [];
  for (const name of candidates) {
    if (name === query) continue;
    const d = boundedDistance(query, name, bound);
    if (d <= bound) found.push({ name, distance: d });
  }
  found.sort(closestFirst(query));
  return found.slice(0, max);
}
