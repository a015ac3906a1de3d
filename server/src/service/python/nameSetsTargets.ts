// Target lists of the Python name-set resolver: the top-level parts of a comma list, and where a
// name sits in a target list (`for label, name in ROWS`, `a, (b, c) = …`) as the places of the
// parts it is in.

import { skipGroup } from '../scan/calls';
import { CH_LPAREN, CLOSE, IDENT, OP_COLON, OP_COMMA, OP_STAR, OPEN, isOp, isOpen, tokenIs } from '../scan/tokens';
import { work } from '../evaluate/evaluation';
import { parens } from './nameSetsEnv';
import type { Resolver } from './nameSetsTypes';

/**
 * Where the name at token `tt` sits in the target list [a, b): the places of the parts it is in,
 * outermost first ([] when the target is the name alone); null when it is not a bare name, or is
 * starred or after a starred part (its place in the value depends on the value's length).
 */
export function targetPath(r: Resolver, a0: number, b0: number, tt: number): number[] | null {
  const { buf } = r.scan;
  const path: number[] = [];
  let a = a0;
  let b = b0;
  for (let depth = 0; depth < 16; depth++) {
    const wrap = parens(r, a, b);
    a += wrap;
    b -= wrap;
    if (b === a + 1) return a === tt ? path : null;
    // A list pattern `[a, b]` or a tuple in parentheses: one level of its own.
    let parts: Array<[number, number]>;
    if (buf.kind[a] === OPEN && buf.match[a] === b - 1 && (buf.aux[a] === CH_LPAREN || isOpen(buf, a, 91))) parts = commaParts(r, a + 1, b - 1);
    else parts = commaParts(r, a, b);
    if (parts.length < 2 && !(parts.length === 1 && isOp(buf, b - 1, OP_COMMA))) return null;
    const i = parts.findIndex(([s, e]) => tt >= s && tt < e);
    if (i < 0) return null;
    // Starred itself, or after a starred part (`*init, last`): its place in the value is not known.
    for (let k = 0; k <= i; k++) if (isOp(buf, parts[k]![0], OP_STAR)) return null;
    path.push(i);
    [a, b] = parts[i]!;
  }
  return null;
}

/**
 * The top-level comma-separated parts of [s, e). A comprehension's `for` at the top level (a bare
 * generator as a call's one argument, `next(n for e, n in ROWS)`, or the inside of `[…]`) makes
 * the rest one part with it: the commas of its target list separate no parts.
 */
export function commaParts(r: Resolver, s: number, e: number): Array<[number, number]> {
  const { text, buf } = r.scan;
  const out: Array<[number, number]> = [];
  let part = s;
  for (let t = s; t <= e; ) {
    if (t === e || isOp(buf, t, OP_COMMA)) {
      if (t > part) out.push([part, t]);
      part = t + 1;
      t++;
      continue;
    }
    if (buf.kind[t] === IDENT && t > part && tokenIs(text, buf, t, 'for')) {
      out.push([part, e]);
      return out;
    }
    t = skipGroup(buf, t, e);
  }
  return out;
}

/** The end of a walrus's value from `from` (`(name := value)`): where the group around it closes, a comma or a colon at its level, or `end`. */
export function walrusEnd(r: Resolver, from: number, end: number): number {
  const { buf } = r.scan;
  let k = from;
  while (k < end && buf.kind[k] !== CLOSE && !isOp(buf, k, OP_COMMA) && !isOp(buf, k, OP_COLON)) k = skipGroup(buf, k, end);
  work.n += k - from;
  return k;
}
