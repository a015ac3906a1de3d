// Names built from parts (Python name sets): concatenation of the parts' values, `conv.env` as a
// value (one path per environment of the file, each taken in that environment alone), and the
// templates that format values in (`"crm_{}".format(env)`, `"crm_%s" % env`). Expressions are read
// through r.ev (nameSetsExpr.ts), which reads these.

import { environmentSet, intersect, noEnvironment, spanOf, stringValue, universeOf, charge, unresolved, withConds } from './nameSetsEnv';
import { type At, MAX_CANDIDATES, NO_CONDS, type Path, type Resolver } from './nameSetsTypes';
import { STRING } from '../scan/tokens';

/** Every name of `left` followed by every name of `right` (the literal of the side that varies), in the environments both take. */
export function concat(r: Resolver, left: Path[], right: Path[], s: number, e: number): Path[] {
  const out: Path[] = [];
  const rightVaries = new Set(right.map((p) => p.name)).size > 1;
  for (const a of left) {
    for (const b of right) {
      if (a.name === null || b.name === null) continue;
      const env = intersect(a.env, b.env);
      if (env !== null && noEnvironment(env)) continue;
      const p = withConds({ name: a.name + b.name, literal: rightVaries ? b.literal : a.literal, when: a.when, env }, b.when);
      if (rightVaries ? b.uri : a.uri) p.uri = rightVaries ? b.uri : a.uri;
      out.push(p);
      if (out.length > MAX_CANDIDATES) unresolved(r, s, e);
    }
  }
  return out;
}

/**
 * `conv.env` [s, e) as a value: each environment of the file (protocol/environments.ts's and those
 * it tests for) as `conv.env` holds it, taken in that environment. Unresolved when the file
 * compares `conv.env` with something other than literals: its environments are not all known.
 */
export function environmentValues(r: Resolver, s: number, e: number): Path[] {
  const universe = universeOf(r);
  if (r.universeOpen) unresolved(r, s, e);
  charge(r, universe.length);
  const literal = spanOf(r, s, e);
  return universe.map((env) => ({ name: env, literal, when: NO_CONDS, env: environmentSet(r, env) }));
}

/** The value of [s, e) when it is string literals only (`'-'`, `'a' 'b'`); null otherwise. */
export function plainString(r: Resolver, s: number, e: number): string | null {
  for (let t = s; t < e; t++) if (r.scan.buf.kind[t] !== STRING) return null;
  return stringValue(r, s, e);
}

/** A template's parts: text, or the argument that goes there (a position, or a keyword). */
type Piece = string | number | { keyword: string };

/** `str.format`'s fields: `{}`, `{0}`, `{name}`, `{{` and `}}`; null when a field converts or formats (`{!r}`, `{:>3}`, `{0.x}`). */
function formatPieces(template: string): Piece[] | null {
  const out: Piece[] = [];
  let text = '';
  let auto = 0;
  let numbered = false;
  for (let k = 0; k < template.length; k++) {
    const c = template[k]!;
    if ((c === '{' || c === '}') && template[k + 1] === c) {
      text += c;
      k++;
      continue;
    }
    if (c === '}') return null;
    if (c !== '{') {
      text += c;
      continue;
    }
    const close = template.indexOf('}', k);
    if (close < 0) return null;
    const field = template.slice(k + 1, close);
    if (text !== '') out.push(text);
    text = '';
    if (field === '') {
      if (numbered) return null;
      out.push(auto++);
    } else if (/^[0-9]+$/.test(field)) {
      if (auto > 0) return null;
      numbered = true;
      out.push(Number(field));
    } else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) out.push({ keyword: field });
    else return null;
    k = close;
  }
  if (text !== '') out.push(text);
  return out;
}

/** printf-style `%s` fields and `%%`; null for any other conversion (`%d`, `%(name)s`, `%5s`). */
function percentPieces(template: string): Piece[] | null {
  const out: Piece[] = [];
  let text = '';
  let next = 0;
  for (let k = 0; k < template.length; k++) {
    const c = template[k]!;
    if (c !== '%') {
      text += c;
      continue;
    }
    const kind = template[++k];
    if (kind === '%') text += '%';
    else if (kind === 's') {
      if (text !== '') out.push(text);
      text = '';
      out.push(next++);
    } else return null;
  }
  if (text !== '') out.push(text);
  return out;
}

/** The arguments of a template: their token ranges by position and keyword, evaluated when a field asks. */
export interface TemplateArguments {
  positional: Array<[number, number]>;
  keywords: Map<string, [number, number]>;
}

/**
 * The names `template` (its paths) gives with `args` put in its fields, `str.format`'s way or
 * the `%` operator's (where every argument must have its `%s`); [s, e) the whole expression.
 */
export function formatted(r: Resolver, templates: Path[], args: TemplateArguments, percent: boolean, s: number, e: number, at: At): Path[] {
  const values = new Map<string | number, Path[]>();
  const valueOf = (key: string | number): Path[] => {
    let known = values.get(key);
    if (known === undefined) {
      const range = typeof key === 'number' ? args.positional[key] : args.keywords.get(key);
      if (range === undefined) unresolved(r, s, e);
      values.set(key, (known = r.ev.expr(r, range[0], range[1], at)));
    }
    return known;
  };
  const out: Path[] = [];
  for (const t of templates) {
    if (t.name === null) unresolved(r, s, e);
    const pieces = percent ? percentPieces(t.name) : formatPieces(t.name);
    if (pieces === null) unresolved(r, s, e);
    if (percent && pieces.filter((p) => typeof p === 'number').length !== args.positional.length) unresolved(r, s, e);
    const start: Path = { name: '', literal: t.literal, when: t.when, env: t.env };
    if (t.uri !== undefined) start.uri = t.uri;
    let acc: Path[] = [start];
    for (const piece of pieces) {
      const part: Path[] = typeof piece === 'string' ? [{ name: piece, literal: t.literal, when: NO_CONDS, env: null }] : valueOf(typeof piece === 'number' ? piece : piece.keyword);
      acc = concat(r, acc, part, s, e);
    }
    for (const p of acc) out.push(p);
    if (out.length > MAX_CANDIDATES) unresolved(r, s, e);
  }
  return out;
}
