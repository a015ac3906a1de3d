// Destructuring patterns of JavaScript / TypeScript whose names the resolver follows to their
// place in a value: the flat ones, each name an array's element or an object's entry.

import { literalOf } from '../scan/literals';
import { CH_LBRACE, IDENT, OP_COLON, OP_COMMA, STRING, type TokenBuffer, isOp, isOpen } from '../scan/tokens';

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
