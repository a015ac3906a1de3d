// Python scopes around an offset, for the Move to vault quick fix: whether code runs inside a
// function (where the `conv` an agent's function receives exists) or when the module is loaded.

import { lexPython } from './pythonLexer';
import { CLOSE, LINE, OP, OPEN, OP_COLON, TokenBuffer, lowerBound, tokenIs } from '../scan/tokens';

const scratch = new TokenBuffer();

/**
 * Python: whether the code at `offset` runs outside every function (at module or class level, or in
 * a `def` line's defaults and annotations), that is when the module is loaded, where the `conv` an
 * agent's function receives does not exist. Lexes the text (on request only: a quick fix).
 */
export function outsideFunction(text: string, offset: number): boolean {
  lexPython(text, scratch);
  const buf = scratch;
  let t = lowerBound(buf.start, buf.count, offset + 1) - 1;
  // The logical line the offset is on (a line inside brackets belongs to the statement that opened them).
  while (t >= 0 && buf.kind[t] !== LINE) t--;
  if (t < 0) return true;
  if (inBodyOnDefLine(text, buf, t, offset)) return false;
  // The lines indented less, outwards: the first `def` among them is a function the code is in.
  let indent = buf.aux[t]!;
  for (let k = t - 1; k >= 0 && indent > 0; k--) {
    if (buf.kind[k] !== LINE || buf.aux[k]! >= indent) continue;
    indent = buf.aux[k]!;
    if (defAt(text, buf, k + 1) >= 0) return false;
  }
  return true;
}

/** The token after `def`'s name when token `t` starts `def name` or `async def name`; else -1. */
function defAt(text: string, buf: TokenBuffer, t: number): number {
  if (tokenIs(text, buf, t, 'def')) return t + 2;
  if (tokenIs(text, buf, t, 'async') && tokenIs(text, buf, t + 1, 'def')) return t + 3;
  return -1;
}

/** Whether `offset` is in the body of a one-line `def` that starts at LINE token `line` (`def f(conv): return "…"`). */
function inBodyOnDefLine(text: string, buf: TokenBuffer, line: number, offset: number): boolean {
  const open = defAt(text, buf, line + 1);
  if (open < 0 || buf.kind[open] !== OPEN || buf.match[open]! < 0) return false;
  // After the parameters, an optional `-> annotation`, then the colon that starts the body.
  for (let k = buf.match[open]! + 1; k < buf.count && buf.kind[k] !== LINE; k++) {
    if (buf.kind[k] === OPEN && buf.match[k]! > k) k = buf.match[k]!;
    else if (buf.kind[k] === OP && buf.aux[k] === OP_COLON) return offset >= buf.end[k]!;
    else if (buf.kind[k] === CLOSE) return false;
  }
  return false;
}
