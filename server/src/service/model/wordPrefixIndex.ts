// Finding names by what the user has typed, in a vault too large to send whole: typed text matches
// a name when it starts the name or one of its `_`-separated words (`oauth` finds `google_oauth`).
// Every word start of every name is one sorted key, so a lookup is two binary searches. A vault
// change adds or removes one name's keys in place (binary search and splice), not a rebuild.

/** Whether `typed` starts `name` or one of its words; both in lower case. */
export function matchesWordStart(name: string, typed: string): boolean {
  if (name.startsWith(typed)) return true;
  for (let at = name.indexOf('_'); at >= 0; at = name.indexOf('_', at + 1)) {
    if (name.startsWith(typed, at + 1)) return true;
  }
  return false;
}

const SEPARATOR = '\u0000';

export class WordPrefixIndex {
  /** `<word start onwards>\0<owner>`, sorted: the separator sorts before every character of a name. */
  private readonly keys: string[] = [];
  /** Per name, the lookup that last reported it: answers list each name once without a Set. */
  private seen: Uint32Array;
  private generation = 0;

  /**
   * `names` in lower case, by owner (holes allowed); lookups answer with owners: indexes into it,
   * or the owners given to `add`.
   */
  constructor(names: readonly (string | undefined)[]) {
    this.seen = new Uint32Array(names.length);
    names.forEach((name, owner) => {
      if (name !== undefined) for (const key of keysOf(name, owner)) this.keys.push(key);
    });
    // The default sort compares strings natively, far quicker than a comparator over 30,000 keys.
    this.keys.sort();
  }

  /** Adds a name (lower case) under `owner`, a number no other name present has. */
  add(owner: number, name: string): void {
    if (owner >= this.seen.length) {
      const grown = new Uint32Array(Math.max(owner + 1, this.seen.length * 2));
      grown.set(this.seen);
      this.seen = grown;
    }
    for (const key of keysOf(name, owner)) this.keys.splice(this.lowerBound(key), 0, key);
  }

  /** Removes what `add(owner, name)` added. */
  remove(owner: number, name: string): void {
    for (const key of keysOf(name, owner)) {
      const at = this.lowerBound(key);
      if (this.keys[at] === key) this.keys.splice(at, 1);
    }
  }

  /** Every key, for tests that compare an index changed in place with one built afresh. */
  get size(): number {
    return this.keys.length;
  }

  /**
   * The indexes of the names `typed` matches (lower case), each once, or undefined when more than
   * `cap` word starts match: then a walk over the names finds enough matches sooner.
   */
  lookup(typed: string, cap: number): number[] | undefined {
    const lo = this.lowerBound(typed);
    const hi = this.lowerBound(`${typed}\uffff`);
    if (hi - lo > cap) return undefined;
    const generation = ++this.generation;
    const owners: number[] = [];
    for (let i = lo; i < hi; i++) {
      const key = this.keys[i]!;
      const owner = Number(key.slice(key.lastIndexOf(SEPARATOR) + 1));
      if (this.seen[owner] === generation) continue;
      this.seen[owner] = generation;
      owners.push(owner);
    }
    return owners;
  }

  private lowerBound(value: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The keys of one name: the whole name, then each word start. */
function keysOf(name: string, owner: number): string[] {
  const keys = [`${name}${SEPARATOR}${owner}`];
  for (let at = name.indexOf('_'); at >= 0; at = name.indexOf('_', at + 1)) {
    if (at + 1 < name.length) keys.push(`${name.slice(at + 1)}${SEPARATOR}${owner}`);
  }
  return keys;
}
