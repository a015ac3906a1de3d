// Reading a reference's arguments for the Python reference finder: the secret's or variable's name
// passed to a call (positional or by keyword), the extent of a call's group, and a key read off a
// reference (`[…]` or `.get(…)`), each decoded from its string literal.

import { argumentEnd, argumentStart, groupEnd, itemEnd } from '../scan/calls';
import type { TemplateParam } from '../evaluate/templates';
import { emptyLiteral, literalOf } from '../scan/literals';
import { type PythonRefScan, scratch } from './pythonRefsState';
import { IDENT, OP_ASSIGN, OP_DOT, OP_POW, OP_STAR, CH_LBRACKET, CH_LPAREN, isOp, isOpen, tokenIs } from '../scan/tokens';
import type { KeyAccess, StringLiteral } from '../scan/types';

export function callLiteral(scan: PythonRefScan, open: number, limit: number, keywords: readonly string[]): StringLiteral {
  const start = argumentStart(scan.text, scan.buf, open, limit, keywords, true);
  if (start < 0) return emptyLiteral(scan.buf.end[open]!);
  return argumentEnd > start ? literalOf(scan.text, scan.buf, start, argumentEnd, true) : emptyLiteral(scan.buf.end[start - 1]!);
}

/** The end offset of a group opened at `open` whose contents end at `limit`. */
export function groupSpanEnd(scan: PythonRefScan, open: number, limit: number): number {
  const { buf } = scan;
  const close = buf.match[open]!;
  if (close >= 0) return buf.end[close]!;
  return limit > open + 1 ? buf.end[limit - 1]! : buf.end[open]!;
}

/** A key read at token `t`: `[…]` or `.get(…)`; null when there is none, or when it is written. */
export function keyAccess(scan: PythonRefScan, t: number): KeyAccess | null {
  const { text, buf } = scan;
  if (isOpen(buf, t, CH_LBRACKET)) {
    const m = buf.match[t]!;
    if (m >= 0 && scratch.storeEnd[m]) return null;
    const limit = groupEnd(text, buf, t);
    const literal = limit > t + 1 ? literalOf(text, buf, t + 1, limit, true) : emptyLiteral(buf.end[t]!);
    return { key: literal.value, literal, via: 'subscript' };
  }
  if (isOp(buf, t, OP_DOT) && tokenIs(text, buf, t + 1, 'get') && isOpen(buf, t + 2, CH_LPAREN)) {
    const open = t + 2;
    const start = argumentStart(text, buf, open, groupEnd(text, buf, open), null, true);
    const literal = start >= 0 ? literalOf(text, buf, start, argumentEnd, true) : emptyLiteral(buf.end[open]!);
    return { key: literal.value, literal, via: 'get' };
  }
  return null;
}

/** The argument a call opened at `open` (its items up to `limit`) gives parameter `k` of `params` (by keyword, else by place); null when none, or a `*args` / `**kwargs` comes before it. */
export function argumentFor(scan: PythonRefScan, open: number, limit: number, params: readonly TemplateParam[], k: number): [number, number] | null {
  const { text, buf } = scan;
  const param = params[k];
  if (param === undefined) return null;
  const position = param.keywordOnly ? -1 : params.filter((p) => !p.keywordOnly).indexOf(param);
  let positional = 0;
  let range: [number, number] | null = null;
  for (let a = open + 1; a < limit; ) {
    const e = itemEnd(buf, a, limit);
    if (e > a) {
      if ((isOp(buf, a, OP_STAR) || isOp(buf, a, OP_POW)) && range === null) return null;
      const keyword = buf.kind[a] === IDENT && isOp(buf, a + 1, OP_ASSIGN);
      if (keyword && tokenIs(text, buf, a, param.name)) range = [a + 2, e];
      else if (!keyword && positional++ === position) range = [a, e];
    }
    a = e + 1;
  }
  return range;
}
