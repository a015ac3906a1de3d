// Whether a read of a name is only a part of a join in the expression around it, in either
// language: its value goes into the string the expression makes and nowhere else (`+`, a
// placeholder of an f-string or template literal, `str(…)` / `String(…)`, a group, a branch's value
// of a conditional expression), never tested, looked up, changed by a method, passed to a call or
// combined otherwise. The front ends say which reads to ask about and where each expression is
// (templates.ts's parameters); the languages differ only in the spelling of a conditional
// expression and their words (JoinSyntax). Imports no front end.

import { CLOSE, IDENT, NUMBER, OP, OPEN, OP_COLON, OP_COMMA, OP_DOT, OP_OPTDOT, STRING, TPL_HEAD, TPL_MID, TPL_TAIL, type TokenBuffer, isOp, tokenIs } from '../scan/tokens';

/** `+`: the only operator of a join. */
const OP_PLUS = 43;
/** `?`: JavaScript's conditional (`??` is two of them, side by side). */
const OP_QUESTION = 63;

/** What a language spells differently in a join. */
export interface JoinSyntax {
  /** JavaScript's `test ? a : b`; else Python's `a if test else b`. */
  ternary: boolean;
  /** Words that make an expression no join wherever they stand in it (`and`, `typeof`, `as`). */
  stops: ReadonlySet<string>;
  /** Words after which `(` opens a group, not a call's arguments (`return`, `else`). */
  keywords: ReadonlySet<string>;
  /** The function that makes a string of a string unchanged: `str`, `String`. */
  stringify: string;
}

/** The answer of a scan along a chain where a token of it is no part of a join. */
const FAIL = -2;

/**
 * Whether the name read at token `t` is only a part of a join in the expression [lo, hi) (a
 * `return`'s value, an arrow function's body) that holds it. The name is read whole (no `.`, `(`
 * or `[` after it); going out from it, each expression that holds it is a join of parts, a group
 * (nothing done to it after), a `stringify(…)` of it, a placeholder written plainly (no
 * conversion, format or `=` after the value), or a branch's value of a conditional; [lo, hi) is
 * reached so.
 */
export function joinedRead(text: string, buf: TokenBuffer, t: number, lo: number, hi: number, syntax: JoinSyntax): boolean {
  if (t < lo || t >= hi || isOp(buf, t + 1, OP_DOT) || isOp(buf, t + 1, OP_OPTDOT) || buf.kind[t + 1] === OPEN) return false;
  let a = t;
  let b = t + 1;
  for (;;) {
    const left = chainStart(text, buf, a, lo, syntax);
    const right = chainEnd(text, buf, b, hi, syntax);
    if (left === FAIL || right === FAIL) return false;
    if (left < lo && right >= hi) return true;
    if (left < lo || right >= hi) return false;
    const open = buf.kind[left];
    if (open === OPEN && buf.match[left] === right && buf.aux[left] === 40 /* ( */) {
      // A group: a value of its own, unless something is done to it after (`(…).upper()`, `(…)[0]`).
      if (isOp(buf, right + 1, OP_DOT) || isOp(buf, right + 1, OP_OPTDOT) || buf.kind[right + 1] === OPEN) return false;
      const callee = left - 1;
      const kind = buf.kind[callee];
      const called = callee >= lo && ((kind === IDENT && !syntax.keywords.has(text.slice(buf.start[callee]!, buf.end[callee]!))) || kind === CLOSE || kind === STRING || kind === TPL_TAIL);
      if (called && (!tokenIs(text, buf, callee, syntax.stringify) || isOp(buf, callee - 1, OP_DOT) || isOp(buf, callee - 1, OP_OPTDOT))) return false;
      a = called ? callee : left;
      b = right + 1;
      continue;
    }
    if ((open === TPL_HEAD || open === TPL_MID) && (buf.kind[right] === TPL_MID || buf.kind[right] === TPL_TAIL)) {
      if (text.slice(buf.end[right - 1]!, buf.start[right]!).trim() !== '') return false;
      const tail = templateTail(buf, right, hi);
      const head = tail < 0 ? -1 : buf.match[tail]!;
      // A tagged template (`tag\`…\``) is a call.
      if (head < lo || (buf.kind[head - 1] === IDENT && head - 1 >= lo && !syntax.keywords.has(text.slice(buf.start[head - 1]!, buf.end[head - 1]!))) || (buf.kind[head - 1] === CLOSE && head - 1 >= lo)) return false;
      a = head;
      b = tail + 1;
      continue;
    }
    return false;
  }
}

/** A `?` that is no conditional: one of `??`. */
function nullish(buf: TokenBuffer, k: number): boolean {
  return (isOp(buf, k - 1, OP_QUESTION) && buf.end[k - 1] === buf.start[k]) || (isOp(buf, k + 1, OP_QUESTION) && buf.end[k] === buf.start[k + 1]);
}

/**
 * The token before the join that [a, …) is a part of, going left from `a`: the group or
 * placeholder it is in, or lo - 1; FAIL where something other than `+`, a value or the start of a
 * conditional's branch stands in it, or the read is a conditional's test.
 */
function chainStart(text: string, buf: TokenBuffer, a: number, lo: number, syntax: JoinSyntax): number {
  for (let k = a - 1; k >= lo; k--) {
    const kind = buf.kind[k];
    if (kind === CLOSE || kind === TPL_TAIL) {
      const m = buf.match[k]!;
      if (m < lo || m >= k) return FAIL;
      k = m;
    } else if (kind === OPEN || kind === TPL_HEAD || kind === TPL_MID) return k;
    else if (kind === OP) {
      const op = buf.aux[k];
      if (op === OP_PLUS || op === OP_DOT || op === OP_OPTDOT) continue;
      // `test ? [a] : [b]`: a branch, from its start.
      if (syntax.ternary && ((op === OP_QUESTION && !nullish(buf, k)) || op === OP_COLON)) return enclosing(text, buf, k, lo, -1);
      return FAIL;
    } else if (kind === IDENT) {
      const word = text.slice(buf.start[k]!, buf.end[k]!);
      if (!syntax.ternary && word === 'else') return enclosing(text, buf, k, lo, -1);
      if ((!syntax.ternary && word === 'if') || syntax.stops.has(word)) return FAIL;
    } else if (kind !== STRING && kind !== NUMBER) return FAIL;
  }
  return lo - 1;
}

/** chainStart going right from `b`: the group's or placeholder's end, or hi. */
function chainEnd(text: string, buf: TokenBuffer, b: number, hi: number, syntax: JoinSyntax): number {
  for (let k = b; k < hi; k++) {
    const kind = buf.kind[k];
    if (kind === OPEN || kind === TPL_HEAD) {
      const m = buf.match[k]!;
      if (m <= k || m >= hi) return FAIL;
      k = m;
    } else if (kind === CLOSE || kind === TPL_MID || kind === TPL_TAIL) return k;
    else if (kind === OP) {
      const op = buf.aux[k];
      if (op === OP_PLUS || op === OP_DOT || op === OP_OPTDOT) continue;
      // `test ? a : [b]` read from a: past the other branch.
      if (syntax.ternary && op === OP_COLON) return enclosing(text, buf, k, hi, 1);
      return FAIL;
    } else if (kind === IDENT) {
      const word = text.slice(buf.start[k]!, buf.end[k]!);
      if (!syntax.ternary && word === 'if') return enclosing(text, buf, k, hi, 1);
      if ((!syntax.ternary && word === 'else') || syntax.stops.has(word)) return FAIL;
    } else if (kind !== STRING && kind !== NUMBER) return FAIL;
  }
  return hi;
}

/**
 * Past a conditional's word at `k`, in direction `step`, to what holds the whole conditional (its
 * group, placeholder or the expression: `limit` past its end); FAIL when it is one item of several
 * (a comma), or a lambda's body or a comprehension's element.
 */
function enclosing(text: string, buf: TokenBuffer, k: number, limit: number, step: 1 | -1): number {
  for (let j = k + step; step < 0 ? j >= limit : j < limit; j += step) {
    const kind = buf.kind[j];
    const nested = step < 0 ? kind === CLOSE || kind === TPL_TAIL : kind === OPEN || kind === TPL_HEAD;
    const ends = step < 0 ? kind === OPEN || kind === TPL_HEAD || kind === TPL_MID : kind === CLOSE || kind === TPL_MID || kind === TPL_TAIL;
    if (nested) {
      const m = buf.match[j]!;
      if (m < 0 || (step < 0 ? m >= j || m < limit : m <= j || m >= limit)) return FAIL;
      j = m;
    } else if (ends) return j;
    else if (kind === OP && buf.aux[j] === OP_COMMA) return FAIL;
    else if (kind === IDENT && (tokenIs(text, buf, j, 'lambda') || tokenIs(text, buf, j, 'for'))) return FAIL;
  }
  return step < 0 ? limit - 1 : limit;
}

/** The f-string's or template literal's last token from its placeholder's end `k` (a middle or the tail); -1 when not before `hi`. */
function templateTail(buf: TokenBuffer, k: number, hi: number): number {
  for (let j = k; j < hi; j++) {
    const kind = buf.kind[j];
    if (kind === TPL_TAIL) return j;
    if ((kind === OPEN || kind === TPL_HEAD) && buf.match[j]! > j) j = buf.match[j]!;
  }
  return -1;
}
