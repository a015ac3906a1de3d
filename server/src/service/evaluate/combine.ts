// The combinators of alternatives: the bounded products of parts (Python's `concat`, JavaScript's
// `product`: each language's rule for which literal and tests a joined name keeps), `conv.env` as a
// value (one alternative per environment of the file), values under a further test (`under`), and
// names changed by a string method (one table, each language's spelling of each).

import { MAX_NAMES } from '../scan/limits';
import { charge, type Evaluation, spanOf, unresolved } from './evaluation';
import { environmentSet, intersect, noEnvironment, universeOf, withConds } from './envSet';
import { type Alternative, type Cond, type EnvSet, NO_CONDS } from './values';

/** Every name of `left` followed by every name of `right` (the literal of the side that varies), in the environments both take. */
export function concat(r: Evaluation, left: Alternative[], right: Alternative[], s: number, e: number): Alternative[] {
  const out: Alternative[] = [];
  const rightVaries = new Set(right.map((p) => p.name)).size > 1;
  for (const a of left) {
    for (const b of right) {
      if (a.name === null || b.name === null) continue;
      const env = intersect(a.env, b.env);
      if (env !== null && noEnvironment(env)) continue;
      const p = withConds({ name: a.name + b.name, literal: rightVaries ? b.literal : a.literal, when: a.when, env }, b.when);
      if (rightVaries ? b.uri : a.uri) p.uri = rightVaries ? b.uri : a.uri;
      out.push(p);
      if (out.length > MAX_NAMES) unresolved(r, s, e);
    }
  }
  return out;
}

/**
 * `conv.env` [s, e) as a value: each environment of the file (protocol/environments.ts's and those
 * it tests for) as `conv.env` holds it, taken in that environment; `written` (the expression as
 * written): each labelled with the test `written === 'env'`, as a table keyed by it is. Unresolved
 * when the file compares `conv.env` with something other than literals: its environments are not
 * all known.
 */
export function environmentValues(r: Evaluation, s: number, e: number, written?: string): Alternative[] {
  const universe = universeOf(r);
  if (r.universeOpen) unresolved(r, s, e);
  charge(r, universe.length);
  const literal = spanOf(r, s, e);
  return universe.map((name) => {
    const env = environmentSet(r, name);
    return { name, literal, when: written === undefined ? NO_CONDS : [{ text: `${written} === '${name}'`, span: literal, holds: true, env }], env };
  });
}

/** The languages whose spellings the string-method table has. */
export type Language = 'python' | 'javascript';

/** What each string method does to a name, by the way each language spells it (none: the language has no such method). */
const STRING_METHODS: ReadonlyArray<{ python?: readonly string[]; javascript?: readonly string[]; change: (v: string) => string }> = [
  { python: ['lower', 'casefold'], javascript: ['toLowerCase'], change: (v) => v.toLowerCase() },
  { python: ['upper'], javascript: ['toUpperCase'], change: (v) => v.toUpperCase() },
  { python: ['strip'], javascript: ['trim'], change: (v) => v.trim() },
  { python: ['lstrip'], change: (v) => v.trimStart() },
  { python: ['rstrip'], change: (v) => v.trimEnd() },
  { javascript: ['toString', 'valueOf'], change: (v) => v },
];

const METHODS_BY_LANGUAGE: Record<Language, Map<string, (v: string) => string>> = { python: new Map(), javascript: new Map() };
for (const m of STRING_METHODS) for (const language of ['python', 'javascript'] as const) for (const spelling of m[language] ?? []) METHODS_BY_LANGUAGE[language].set(spelling, m.change);

/** The change a string method of no arguments makes to a name (`.lower()`, `.toLowerCase()`), by its name in `language`; undefined: no such method. */
export function stringMethod(language: Language, method: string): ((v: string) => string) | undefined {
  return METHODS_BY_LANGUAGE[language].get(method);
}

/**
 * Every combination of the parts' values, joined (JavaScript's `+` and template literals; Python's
 * concatenation is `concat`, which also shares tests both sides pass); null past MAX_NAMES. A
 * combination's literal is that of the last part that varies, or the first part's when none does;
 * a part that is no string (null) makes the combination none.
 */
export function product(values: Alternative[][]): Alternative[] | null {
  let varying = 0;
  for (let i = 1; i < values.length; i++) if (values[i]!.length > 1) varying = i;
  let acc: Alternative[] = values[0]!;
  for (let i = 1; i < values.length; i++) {
    const next: Alternative[] = [];
    for (const a of acc) {
      for (const b of values[i]!) {
        const env = intersect(a.env, b.env);
        if (env !== null && noEnvironment(env)) continue;
        const name = a.name === null || b.name === null ? null : a.name + b.name;
        next.push({ name, literal: i === varying ? b.literal : a.literal, when: [...a.when, ...b.when], env });
      }
    }
    if (next.length > MAX_NAMES) return null;
    acc = next;
  }
  return acc;
}

/** `alts` under a further test, outermost: its condition first, its environments intersected; impossible ones dropped. */
export function under(alts: readonly Alternative[], cond: Cond | null, env: EnvSet | null): Alternative[] {
  const out: Alternative[] = [];
  for (const a of alts) {
    const e = intersect(a.env, env);
    if (e !== null && noEnvironment(e)) continue;
    out.push({ name: a.name, literal: a.literal, when: cond ? [cond, ...a.when] : a.when, env: e });
  }
  return out;
}

/** `alts` with each name changed (a string method, `.replace`); no string stays none. */
export function renamed(alts: readonly Alternative[], change: (v: string) => string): Alternative[] {
  return alts.map((a) => (a.name === null ? a : pathWithName(a, change(a.name))));
}

function pathWithName(a: Alternative, name: string): Alternative {
  const out: Alternative = { name, literal: a.literal, when: a.when, env: a.env };
  if (a.uri !== undefined) out.uri = a.uri;
  return out;
}
