// Destructuring patterns of JavaScript / TypeScript whose names the resolver follows to their
// place in a value: the flat ones, each name an array's element or an object's entry.

import { literalOf } from '../scan/literals';
import { itemEnd, skipGroup } from '../scan/calls';
import { CH_LBRACE, IDENT, NUMBER, OP_ASSIGN, OP_COLON, OP_COMMA, STRING, type TokenBuffer, isOp, isOpen } from '../scan/tokens';

/**
 * The names of a flat pattern at [open, close], in order, each with its place: an array's `[a, b]`
 * (its index), an object's `{ a, 'k': b, k: c }` (its key); null for any other (defaults, rest,
 * nesting, holes, computed keys, empty).
 */
export function flatPattern(text: string, buf: TokenBuffer, open: number, close: number): Array<[number, number | string]> | null {
  const names: Array<[number, number | string]> = [];
  if (isOpen(buf, open, CH_LBRACE)) {
    for (let k = open + 1; k < close; ) {
      const keyed = isOp(buf, k + 1, OP_COLON) && buf.kind[k + 2] === IDENT;
      const local = keyed ? k + 2 : k;
      const key = buf.kind[k] === IDENT ? text.slice(buf.start[k]!, buf.end[k]!) : keyed && buf.kind[k] === STRING ? literalOf(text, buf, k, k + 1, false).value : null;
      if (key === null || buf.kind[local] !== IDENT || !(local + 1 === close || isOp(buf, local + 1, OP_COMMA))) return null;
      names.push([local, key]);
      k = local + 2;
    }
  } else {
    for (let k = open + 1; k < close; k += 2) {
      if (buf.kind[k] !== IDENT || !(k + 1 === close || isOp(buf, k + 1, OP_COMMA))) return null;
      names.push([k, names.length]);
    }
  }
  return names.length === 0 ? null : names;
}

/** An entry of an object pattern: a plain name (`a`, `k: a`, `'k': a`, either `= default`), or another entry (`rest`: a rest, a nested pattern). */
export type PatternEntry = { local: number; key: string; defaultFrom: number; defaultTo: number } | { rest: [number, number] };

/** The entries of the object pattern at [open, close], in order (see PatternEntry). */
export function objectEntries(text: string, buf: TokenBuffer, open: number, close: number): PatternEntry[] {
  const out: PatternEntry[] = [];
  let a = open + 1;
  while (a < close) {
    const e = itemEnd(buf, a, close);
    const kind = buf.kind[a];
    const keyed = e > a + 2 && isOp(buf, a + 1, OP_COLON) && buf.kind[a + 2] === IDENT;
    const local = keyed ? a + 2 : a;
    const key = kind === IDENT ? text.slice(buf.start[a]!, buf.end[a]!) : keyed && (kind === STRING || kind === NUMBER) ? literalOf(text, buf, a, a + 1, false).value : null;
    const dflt = isOp(buf, local + 1, OP_ASSIGN) && e > local + 2;
    if (key !== null && (kind === IDENT || keyed) && buf.kind[local] === IDENT && (local + 1 === e || dflt)) {
      out.push({ local, key: kind === NUMBER ? String(Number(key)) : key, defaultFrom: dflt ? local + 2 : -1, defaultTo: dflt ? e : -1 });
    } else if (e > a) out.push({ rest: [a, e] });
    a = e + 1;
  }
  return out;
}

/**
 * A parameter written as an object pattern at [k, e) (`{ secretName = 'x', region } = {}`, a type
 * annotation allowed before the `=`): its entries, and the whole parameter's default ([-1, -1]:
 * none); null when [k, e) is no such pattern.
 */
export function objectParameter(text: string, buf: TokenBuffer, k: number, e: number): { entries: PatternEntry[]; defaultFrom: number; defaultTo: number } | null {
  if (!isOpen(buf, k, CH_LBRACE)) return null;
  const close = buf.match[k]!;
  if (close < 0 || close >= e) return null;
  let eq = close + 1;
  while (eq < e && !isOp(buf, eq, OP_ASSIGN)) eq = skipGroup(buf, eq, e);
  if (!(eq === close + 1 || eq === e || isOp(buf, close + 1, OP_COLON))) return null;
  const given = eq < e && eq + 1 < e;
  return { entries: objectEntries(text, buf, k, close), defaultFrom: given ? eq + 1 : -1, defaultTo: given ? e : -1 };
}
