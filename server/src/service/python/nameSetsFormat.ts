// Names formatted from parts (Python name sets): the templates that format values in
// (`"crm_{}".format(env)`, `"crm_%s" % env`), their pieces joined by evaluate/combine.ts's join.
// Expressions are read through r.ev (nameSetsExpr.ts), which reads these.

import { join } from '../evaluate/combine';
import { unresolved } from '../evaluate/evaluation';
import { NO_CONDS, type Alternative } from '../evaluate/values';
import { stringValue } from './nameSetsEnv';
import { type At, MAX_CANDIDATES, type Resolver } from './nameSetsTypes';
import { STRING } from '../scan/tokens';

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

/** printf-style `%s` and `%(key)s` fields and `%%`; null for any other conversion (`%d`, `%(key)r`, `%5s`). */
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
    else if (kind === 's' || kind === '(') {
      const key = kind === '(' ? /^\(([^()]*)\)s/.exec(template.slice(k)) : null;
      if (kind === '(' && key === null) return null;
      if (text !== '') out.push(text);
      text = '';
      out.push(key === null ? next++ : { keyword: key[1]! });
      if (key !== null) k += key[0].length - 1;
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
export function formatted(r: Resolver, templates: Alternative[], args: TemplateArguments, percent: boolean, s: number, e: number, at: At): Alternative[] {
  const values = new Map<string | number, Alternative[]>();
  const valueOf = (key: string | number): Alternative[] => {
    let known = values.get(key);
    if (known === undefined) {
      const range = typeof key === 'number' ? args.positional[key] : args.keywords.get(key);
      if (range === undefined) unresolved(r, s, e);
      values.set(key, (known = r.ev.expr(r, range[0], range[1], at)));
    }
    return known;
  };
  const out: Alternative[] = [];
  for (const t of templates) {
    if (t.name === null) unresolved(r, s, e);
    const pieces = percent ? percentPieces(t.name) : formatPieces(t.name);
    if (pieces === null) unresolved(r, s, e);
    if (percent && pieces.filter((p) => typeof p === 'number').length !== args.positional.length) unresolved(r, s, e);
    const start: Alternative = { name: '', literal: t.literal, when: t.when, env: t.env };
    if (t.uri !== undefined) start.uri = t.uri;
    const parts: Alternative[][] = [[start]];
    for (const piece of pieces) parts.push(typeof piece === 'string' ? [{ name: piece, literal: t.literal, when: NO_CONDS, env: null }] : valueOf(typeof piece === 'number' ? piece : piece.keyword));
    for (const p of join(r, parts, s, e)) out.push(p);
    if (out.length > MAX_CANDIDATES) unresolved(r, s, e);
  }
  return out;
}
