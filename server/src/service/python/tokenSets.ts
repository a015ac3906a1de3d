// Small sets the Python reference finder checks tokens against without allocating: token ranges
// (SpanSet), names (NameSet) and pairs of numbers (PairIndex).

import { lowerBound, type TokenBuffer } from '../scan/tokens';

/** Token ranges [from, to] (inclusive), merged and sorted: whether a token lies in any, by binary search. */
export class SpanSet {
  private readonly from: Int32Array;
  private readonly to: Int32Array;

  /** `pairs`: from, to, from, to, … in any order, overlapping or not. */
  constructor(pairs: readonly number[]) {
    const order = Array.from({ length: pairs.length >> 1 }, (_, k) => k).sort((x, y) => pairs[x * 2]! - pairs[y * 2]!);
    const from: number[] = [];
    const to: number[] = [];
    for (const k of order) {
      const a = pairs[k * 2]!;
      const b = pairs[k * 2 + 1]!;
      if (b < a) continue;
      const last = to.length - 1;
      if (last >= 0 && a <= to[last]!) to[last] = Math.max(to[last]!, b);
      else {
        from.push(a);
        to.push(b);
      }
    }
    this.from = Int32Array.from(from);
    this.to = Int32Array.from(to);
  }

  has(t: number): boolean {
    const last = lowerBound(this.from, this.from.length, t + 1) - 1;
    return last >= 0 && this.to[last]! >= t;
  }
}

/**
 * A small set of names that identifier tokens are checked against without allocating: a filter
 * on length and first character, then a hash of the token's characters, then a comparison. Each
 * name has an id, its index in the order added.
 */
export class NameSet {
  private readonly names: string[] = [];
  /** The ids of the names, by hash. */
  private readonly byHash = new Map<number, number[]>();
  /**
   * Bits: lengths 0–255 (the last for longer names) in words 0–7, ASCII first characters in words
   * 8–11. 48 bytes, so that V8 keeps them on its heap: the two byte tables they replace were
   * allocated outside it, for each set of each document, a tenth of a Python file's scan (bench/check).
   */
  private readonly bits = new Int32Array(12);
  private wideFirst = false;

  add(name: string): void {
    if (this.has(name)) return;
    const h = hash(name, 0, name.length);
    const ids = this.byHash.get(h);
    if (ids) ids.push(this.names.length);
    else this.byHash.set(h, [this.names.length]);
    this.names.push(name);
    const len = Math.min(name.length, 255);
    this.bits[len >> 5] = this.bits[len >> 5]! | (1 << (len & 31));
    const c = name.charCodeAt(0);
    if (c < 128) this.bits[8 + (c >> 5)] = this.bits[8 + (c >> 5)]! | (1 << (c & 31));
    else this.wideFirst = true;
  }

  get size(): number {
    return this.names.length;
  }

  has(name: string): boolean {
    const ids = this.byHash.get(hash(name, 0, name.length));
    if (ids) for (const id of ids) if (this.names[id] === name) return true;
    return false;
  }

  /** The id of the name the token spells when it is in the set; -1 otherwise. */
  id(text: string, buf: TokenBuffer, t: number): number {
    const s = buf.start[t]!;
    const len = buf.end[t]! - s;
    const l = Math.min(len, 255);
    if ((this.bits[l >> 5]! & (1 << (l & 31))) === 0) return -1;
    const c = text.charCodeAt(s);
    if (c < 128 ? (this.bits[8 + (c >> 5)]! & (1 << (c & 31))) === 0 : !this.wideFirst) return -1;
    const ids = this.byHash.get(hash(text, s, s + len));
    if (!ids) return -1;
    for (const id of ids) {
      const name = this.names[id]!;
      if (name.length === len && text.startsWith(name, s)) return id;
    }
    return -1;
  }

  /** The name the token spells when it is in the set; null otherwise. */
  candidate(text: string, buf: TokenBuffer, t: number): string | null {
    const id = this.id(text, buf, t);
    return id < 0 ? null : this.names[id]!;
  }
}

/**
 * Numbers pairs of non-negative integers (a scope and a name, say) 0, 1, 2, … in the order first
 * added: a hash table in typed arrays, kept from one scan to the next, so that data kept per pair
 * (in arrays indexed by the number) costs no allocation per pair, as a Map's entries would.
 */
export class PairIndex {
  /** Per bucket: the number of the pair there, or -1; the length is a power of two. */
  private slots = new Int32Array(16).fill(-1);
  /** Per number: the pair. */
  private firsts = new Int32Array(8);
  private seconds = new Int32Array(8);
  size = 0;

  /** Empties the index, sized for about `expected` pairs. */
  reset(expected: number): void {
    const buckets = bucketsFor(expected);
    this.size = 0;
    // Grow to fit; give memory back after an unusually large file.
    if (this.slots.length < buckets || (this.slots.length > 1 << 16 && this.slots.length > buckets * 8)) this.allocate(buckets);
    else this.slots.fill(-1);
  }

  /** The pair's number; -1 when it was not added. */
  get(a: number, b: number): number {
    const mask = this.slots.length - 1;
    for (let h = mix(a, b) & mask; ; h = (h + 1) & mask) {
      const id = this.slots[h]!;
      if (id < 0 || (this.firsts[id] === a && this.seconds[id] === b)) return id;
    }
  }

  /** The pair's number, numbering it when new. */
  add(a: number, b: number): number {
    if (this.size * 2 >= this.slots.length) this.allocate(this.slots.length * 2);
    const mask = this.slots.length - 1;
    let h = mix(a, b) & mask;
    for (; ; h = (h + 1) & mask) {
      const id = this.slots[h]!;
      if (id < 0) break;
      if (this.firsts[id] === a && this.seconds[id] === b) return id;
    }
    const id = this.size++;
    this.slots[h] = id;
    this.firsts[id] = a;
    this.seconds[id] = b;
    return id;
  }

  /** New buckets (the pairs numbered so far re-entered) and room for half as many pairs. */
  private allocate(buckets: number): void {
    const firsts = new Int32Array(buckets >> 1);
    const seconds = new Int32Array(buckets >> 1);
    firsts.set(this.firsts.subarray(0, this.size));
    seconds.set(this.seconds.subarray(0, this.size));
    this.firsts = firsts;
    this.seconds = seconds;
    this.slots = new Int32Array(buckets).fill(-1);
    const mask = buckets - 1;
    for (let id = 0; id < this.size; id++) {
      let h = mix(firsts[id]!, seconds[id]!) & mask;
      while (this.slots[h]! >= 0) h = (h + 1) & mask;
      this.slots[h] = id;
    }
  }
}

/** A power of two at least twice `pairs` (so that probes stay short), 16 at least. */
function bucketsFor(pairs: number): number {
  let buckets = 16;
  while (buckets < pairs * 2) buckets *= 2;
  return buckets;
}

function mix(a: number, b: number): number {
  const h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
  return h ^ (h >>> 15);
}

function hash(text: string, from: number, to: number): number {
  let h = 0;
  for (let k = from; k < to; k++) h = (Math.imul(h, 31) + text.charCodeAt(k)) | 0;
  return h;
}
