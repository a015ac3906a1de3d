// The combinators of alternatives: names joined from parts (`join`, the one rule of both languages
// for which literal and tests a joined name keeps), `conv.env` as a value (one alternative per
// environment of the file), values under a further test (`under`), and names changed by a string
// method (one table, each language's spelling of each).

import { charge, type Evaluation, spanOf, unresolved, MAX_NAMES } from './evaluation';
import { environmentSet, intersect, mergeConds, noEnvironment, pathWith, universeOf } from './envSet';
import { type Alternative, type Cond, type EnvSet, NO_CONDS } from './values';

/**
 * The one rule of joined names, in both languages: `+` of strings, `+=`, an f-string's or a template
 * literal's text and placeholders, a `.format` / `%` template's pieces, a separator joining a list
 * written out (joinedBy). `parts` are the values of
 * each part in the order written ([s, e): the whole expression); the result is every combination,
 * the parts' names joined in that order, in first-written order:
 * - taken in the environments every one of its parts takes (a combination none takes is dropped:
 *   `f"{a}_{b}"` with both chosen by `conv.env` joins live with live only);
 * - chosen by the tests of its parts in the order written, each once: a test two parts passed
 *   (both set under the same `if`), or the same test of the environment written twice (`tier` and
 *   `region` each chosen by `conv.env == 'live'`), is listed once (envSet.ts's mergeConds);
 * - its literal (where "… is chosen here" points, and what a correction edits) is that of the last
 *   part whose name is not the same in every value (what tells this name from the others:
 *   `'x_' + tier + '_api'` points at the `tier` literal it takes); when no part varies, the first
 *   part's (an f-string's or template's pieces are the whole f-string / template);
 * - a part that is no string (None, undefined) makes no name: in Python the join fails at run time;
 *   in JavaScript it makes 'undefined…', a name nobody wrote. That combination is dropped.
 * More than MAX_NAMES combinations: unresolved at [s, e).
 */
export function join(r: Evaluation, parts: readonly (readonly Alternative[])[], s: number, e: number): Alternative[] {
  let varying = 0;
  for (let i = 1; i < parts.length; i++) if (varies(parts[i]!)) varying = i;
  let acc = parts[0]!;
  for (let i = 1; i < parts.length; i++) {
    const next: Alternative[] = [];
    for (const a of acc) {
      if (a.name === null) continue;
      for (const b of parts[i]!) {
        if (b.name === null) continue;
        const env = intersect(a.env, b.env);
        if (env !== null && noEnvironment(env)) continue;
        const chosen = i === varying ? b : a;
        const p: Alternative = { name: a.name + b.name, literal: chosen.literal, when: mergeConds(a.when, b.when), env };
        if (chosen.uri !== undefined) p.uri = chosen.uri;
        next.push(p);
        if (next.length > MAX_NAMES) unresolved(r, s, e);
      }
    }
    acc = next;
  }
  return acc as Alternative[];
}

/**
 * `sep.join([a, b])` (Python) and `[a, b].join(sep)` (JavaScript) of a list written out: each
 * element's values with the separator's between them, by `join`'s rule. [s, e): the whole call.
 */
export function joinedBy(r: Evaluation, elements: readonly Alternative[][], separator: readonly Alternative[], s: number, e: number): Alternative[] {
  if (elements.length === 0) unresolved(r, s, e);
  const parts: Array<readonly Alternative[]> = [elements[0]!];
  for (let k = 1; k < elements.length; k++) parts.push(separator, elements[k]!);
  return join(r, parts, s, e);
}

/** Whether the values of a part have more than one name. */
function varies(values: readonly Alternative[]): boolean {
  for (let k = 1; k < values.length; k++) if (values[k]!.name !== values[0]!.name) return true;
  return false;
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

/** `alts` under a further test, outermost: its condition first (once: not again where a value passed it), its environments intersected; impossible ones dropped. */
export function under(alts: readonly Alternative[], cond: Cond | null, env: EnvSet | null): Alternative[] {
  const out: Alternative[] = [];
  const conds = cond ? [cond] : NO_CONDS;
  for (const a of alts) {
    const e = intersect(a.env, env);
    if (e !== null && noEnvironment(e)) continue;
    out.push(pathWith(a, mergeConds(conds, a.when), e));
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
