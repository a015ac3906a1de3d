// Small sets the Python reference finder checks tokens against without allocating: token ranges
// (SpanSet) and names (NameSet).

import { lowerBound, type TokenBuffer } from './tokens';

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
 * on length and first character, then a hash of the token's characters, then a comparison.
 */
export class NameSet {
  private readonly byHash = new Map<number, string[]>();
  private readonly lengths = new Uint8Array(256);
  private readonly firsts = new Uint8Array(128);
  private wideFirst = false;
  private count = 0;

  add(name: string): void {
    if (this.has(name)) return;
    const h = hash(name, 0, name.length);
    const list = this.byHash.get(h);
    if (list) list.push(name);
    else this.byHash.set(h, [name]);
    this.count++;
    this.lengths[Math.min(name.length, 255)] = 1;
    const c = name.charCodeAt(0);
    if (c < 128) this.firsts[c] = 1;
    else this.wideFirst = true;
  }

  get size(): number {
    return this.count;
  }

  has(name: string): boolean {
    return this.byHash.get(hash(name, 0, name.length))?.includes(name) ?? false;
  }

  /** The name the token spells when it is in the set; null otherwise. */
  candidate(text: string, buf: TokenBuffer, t: number): string | null {
    const s = buf.start[t]!;
    const len = buf.end[t]! - s;
    if (!this.lengths[Math.min(len, 255)]) return null;
    const c = text.charCodeAt(s);
    if (c < 128 ? !this.firsts[c] : !this.wideFirst) return null;
    const list = this.byHash.get(hash(text, s, s + len));
    if (!list) return null;
    for (const name of list) if (name.length === len && text.startsWith(name, s)) return name;
    return null;
  }
}

function hash(text: string, from: number, to: number): number {
  let h = 0;
  for (let k = from; k < to; k++) h = (Math.imul(h, 31) + text.charCodeAt(k)) | 0;
  return h;
}
