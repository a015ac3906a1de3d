// The callback given to an array's method, as the JavaScript / TypeScript name-set resolver reads
// it: `X.map((p) => body)`, `X.find((r) => test)`.

import { skipGroup } from '../scan/calls';
import { CH_LBRACE, CH_LPAREN, CLOSE, IDENT, OPEN, OP_ARROW, OP_COLON, OP_COMMA, OP_SEMI, isOp, isOpen, tokenIs } from '../scan/tokens';
import type { JsIndex } from './jsNameSetsIndex';

/** A callback's body (an expression, or the one `return`'s), its one parameter's token (-1: none or a pattern), the `[` or `{` of its one parameter's pattern (-1: none), the call's `(`. */
export interface Callback {
  body: [number, number];
  param: number;
  pattern: number;
  open: number;
}

/**
 * `X.method((p) => body)` (`p => body`, `async`, `function (p) { return body; }`, the callback the
 * only argument) over [from, to); null when [from, to) is not such a call, or the body is a block
 * other than one `return`.
 */
export function callbackOf(ix: JsIndex, from: number, to: number, method: string): Callback | null {
  const { buf, text } = ix;
  const last = to - 1;
  if (buf.kind[last] !== CLOSE || buf.aux[last] !== 41) return null;
  const open = buf.match[last]!;
  if (open <= from + 2 || !isOpen(buf, open, CH_LPAREN) || buf.kind[open - 1] !== IDENT || !ix.isDot(open - 2) || !tokenIs(text, buf, open - 1, method)) return null;
  let k = open + 1;
  if (tokenIs(text, buf, k, 'async')) k++;
  let bodyFrom = -1;
  let bodyTo = last;
  let params = -1;
  if (tokenIs(text, buf, k, 'function')) {
    params = buf.kind[k + 1] === IDENT ? k + 2 : k + 1;
    if (!isOpen(buf, params, CH_LPAREN)) return null;
    const brace = buf.match[params]! + 1;
    if (!isOpen(buf, brace, CH_LBRACE) || buf.match[brace] !== last - 1) return null;
    bodyFrom = brace;
  } else {
    if (isOpen(buf, k, CH_LPAREN)) params = k;
    const arrow = params >= 0 ? buf.match[k]! + 1 : buf.kind[k] === IDENT ? k + 1 : -1;
    if (arrow < 0 || !isOp(buf, arrow, OP_ARROW)) return null;
    bodyFrom = arrow + 1;
  }
  // The one parameter: `p`, `(p)`, `(p: Row)`.
  const param = params < 0 ? k : buf.kind[params + 1] === IDENT && (buf.match[params] === params + 2 || isOp(buf, params + 2, OP_COLON)) ? params + 1 : -1;
  // `([env, name]) =>`, `({ env }: Row) =>`: one pattern, the only parameter.
  const p = params + 1;
  const afterPattern = params >= 0 && buf.kind[p] === OPEN && buf.aux[p] !== CH_LPAREN ? buf.match[p]! + 1 : -1;
  const pattern = afterPattern > 0 && (afterPattern === buf.match[params] || isOp(buf, afterPattern, OP_COLON)) ? p : -1;
  if (bodyFrom >= bodyTo) return null;
  // A block body: one `return X;` is X; anything else is not followed.
  if (isOpen(buf, bodyFrom, CH_LBRACE) && buf.match[bodyFrom] === bodyTo - 1) {
    const returnTok = bodyFrom + 1;
    if (!tokenIs(text, buf, returnTok, 'return')) return null;
    let end = bodyTo - 1;
    if (isOp(buf, end - 1, OP_SEMI)) end--;
    for (let t = returnTok + 1; t < end; t = skipGroup(buf, t, end)) if (isOp(buf, t, OP_SEMI)) return null;
    return end > returnTok + 1 ? { body: [returnTok + 1, end], param, pattern, open } : null;
  }
  // A second argument (`thisArg`) after the body: not followed.
  for (let t = bodyFrom; t < bodyTo; t = skipGroup(buf, t, bodyTo)) if (isOp(buf, t, OP_COMMA)) return null;
  return { body: [bodyFrom, bodyTo], param, pattern, open };
}
