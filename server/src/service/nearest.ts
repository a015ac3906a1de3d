// "Did you mean" over many names: names bucketed by length so that a query only visits buckets
// within the distance bound, and a banded edit distance that gives up as soon as the bound is passed.
// With 10,000 names a query touches a fraction of them and each comparison is a few dozen cells.

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
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > bound) return bound + 1;
  if (la === 0) return lb;
  if (lb === 0) return la;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  // Three rolling rows: the swap rule looks two rows back.
  let prev2 = new Array<number>(lb + 1).fill(0);
  let prev = new Array<number>(lb + 1);
  let cur = new Array<number>(lb + 1);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ci = x.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cj = y.charCodeAt(j - 1);
      const cost = ci === cj ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && ci === y.charCodeAt(j - 2) && x.charCodeAt(i - 2) === cj) {
        v = Math.min(v, prev2[j - 2]! + 1);
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

export interface NearMatch {
  name: string;
  distance: number;
}

export class NameIndex {
  /** byLength[n]: the names of length n; built by the first search that compares names. */
  private byLength: string[][] | undefined;
  private readonly names: Iterable<string>;
  private readonly lookup: { has(name: string): boolean };
  private alphabet: string[] | undefined;

  /**
   * `alphabet`: the characters names can hold, when the naming rules say so; otherwise it is
   * collected from the names on first use. `lookup` answers membership when the caller already
   * has a map of the names (so that no copy is made).
   */
  constructor(names: Iterable<string>, alphabet?: string, lookup?: { has(name: string): boolean }) {
    if (lookup) {
      this.names = names;
      this.lookup = lookup;
    } else {
      // Iterated more than once: a one-shot iterator must become a collection first.
      const set = new Set(names);
      this.names = set;
      this.lookup = set;
    }
    if (alphabet !== undefined) this.alphabet = [...alphabet];
  }

  private buckets(): string[][] {
    if (!this.byLength) {
      this.byLength = [];
      for (const name of this.names) (this.byLength[name.length] ??= []).push(name);
    }
    return this.byLength;
  }

  /**
   * Up to `max` names within the typo bound of `query`, nearest first; ties go to the name that
   * shares the longest prefix with the query, then alphabetical order. The query itself is never
   * returned.
   *
   * Most typos are one edit away, and the names one edit away can be listed by generating every
   * single edit of the query and looking each up (about 40 per character): no comparison with the
   * other names at all. Only when that finds fewer than `max` names does the search compare the
   * query with every name of a close length.
   */
  nearest(query: string, max = 3, bound = typoBound(query.length)): NearMatch[] {
    if (max <= 0 || bound <= 0) return [];
    const close = this.oneEditAway(query);
    let found: NearMatch[];
    if (close.length >= max || bound === 1) {
      found = close.map((name) => ({ name, distance: 1 }));
    } else {
      found = [];
      const byLength = this.buckets();
      const lo = Math.max(0, query.length - bound);
      const hi = Math.min(byLength.length - 1, query.length + bound);
      for (let len = lo; len <= hi; len++) {
        const bucket = byLength[len];
        if (!bucket) continue;
        for (const name of bucket) {
          if (name === query) continue;
          const d = boundedDistance(query, name, bound);
          if (d <= bound) found.push({ name, distance: d });
        }
      }
    }
    found.sort(
      (a, b) =>
        a.distance - b.distance ||
        commonPrefix(query, b.name) - commonPrefix(query, a.name) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    return found.slice(0, max);
  }

  /** Every name one deletion, insertion, substitution or swap of neighbours away (exact case). */
  private oneEditAway(query: string): string[] {
    const alphabet = (this.alphabet ??= this.collectAlphabet());
    const out = new Set<string>();
    const probe = (candidate: string) => {
      if (candidate !== query && this.lookup.has(candidate)) out.add(candidate);
    };
    const n = query.length;
    for (let i = 0; i <= n; i++) {
      const head = query.slice(0, i);
      const tail = query.slice(i);
      if (i < n) probe(head + query.slice(i + 1));
      if (i < n - 1) probe(head + query.charAt(i + 1) + query.charAt(i) + query.slice(i + 2));
      for (const c of alphabet) {
        probe(head + c + tail);
        if (i < n && c !== query.charAt(i)) probe(head + c + query.slice(i + 1));
      }
    }
    return [...out];
  }

  /** The characters names are made of: edits only ever need to try these. */
  private collectAlphabet(): string[] {
    const chars = new Set<string>();
    for (const name of this.names) for (const c of name) chars.add(c);
    return [...chars];
  }
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
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
  found.sort(
    (a, b) =>
      a.distance - b.distance ||
      commonPrefix(query, b.name) - commonPrefix(query, a.name) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return found.slice(0, max);
}
