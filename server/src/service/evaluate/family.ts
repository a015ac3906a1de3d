// Class families, the same in every language: a field read through the instance (`self.X`,
// `this.X`) may be any value the class or one of its subclasses gives it, so both front ends ask for
// a class with its subclasses, transitively. The front end knows what a class and a subclass are
// (a scope, a class body); this knows how to walk them within a bound.

/** How many classes a family may have (the class, its subclasses and theirs): more is unknown. */
export const MAX_FAMILY = 64;

/**
 * Class `root` and its subclasses, transitively, the root first; null past MAX_FAMILY, in a cycle,
 * or when `subclassesOf` says a class has subclasses it cannot list (null). Each class's family is
 * kept in `memo`, found bottom up: a chain of thousands of subclasses costs each class one merge of
 * at most MAX_FAMILY, charged through `charge`.
 */
export function familyOf(
  memo: Map<number, readonly number[] | null>,
  root: number,
  subclassesOf: (cls: number) => readonly number[] | null,
  charge: (n: number) => void,
): readonly number[] | null {
  const known = memo.get(root);
  if (known !== undefined) return known;
  const stack = [root];
  const open = new Set<number>([root]);
  const subs = new Map<number, readonly number[] | null>();
  while (stack.length > 0) {
    const c = stack[stack.length - 1]!;
    if (memo.has(c)) {
      stack.pop();
      continue;
    }
    if (!subs.has(c)) subs.set(c, subclassesOf(c));
    const direct = subs.get(c)!;
    let pending = false;
    for (const sub of direct ?? []) {
      if (memo.has(sub) || open.has(sub)) continue;
      stack.push(sub);
      open.add(sub);
      pending = true;
    }
    if (pending) continue;
    memo.set(c, merged(c, direct, memo, charge));
    stack.pop();
    open.delete(c);
  }
  return memo.get(root) ?? null;
}

/** Class `c` and the families of its direct subclasses (each known by now), or null. */
function merged(c: number, direct: readonly number[] | null, memo: Map<number, readonly number[] | null>, charge: (n: number) => void): number[] | null {
  if (direct === null) return null;
  const out = [c];
  for (const sub of direct) {
    // Undefined: a class among its own bases, through others.
    const below = memo.get(sub);
    if (below === undefined || below === null) return null;
    charge(below.length);
    // One subclass (a chain): its family as it is; several may share one below them (a diamond).
    if (direct.length === 1) out.push(...below);
    else for (const x of below) if (!out.includes(x)) out.push(x);
    if (out.length > MAX_FAMILY) return null;
  }
  return out;
}
