// TypeScript's string literal types, for the name-set resolver: a parameter declared with a union of
// string literals (`name: 'crm_api' | 'billing_api'`, or a type alias of the file that is one,
// `type SecretName = 'crm_api' | 'billing_api'`) can only be passed those strings, so it takes them
// whoever calls it: the type checker closes it where no call site of the file could.

import { work } from '../evaluate/evaluation';
import type { Alternative } from '../evaluate/values';
import { CLOSE, IDENT, OP, OP_ASSIGN, OP_COLON, OP_COMMA, OP_SEMI, STRING, isOp, tokenIs } from '../scan/tokens';
import type { JsBinding } from './jsNameSetsIndex';
import type { JsNames } from './jsNameSetsTypes';

/** `|` */
const CH_PIPE = 124;
/** How many members a union may have to be read. */
const MAX_MEMBERS = 64;

/**
 * The strings parameter `b` is declared to be (`b: 'a' | 'b'`, `b?: Alias`), each read where it is
 * written by `read`; null when its type is anything else (a wider type, a union with another type,
 * an alias not of the file, none).
 */
export function literalUnion(r: JsNames, b: JsBinding, read: (from: number, to: number) => Alternative[]): Alternative[] | null {
  const { ix } = r;
  const { buf } = ix;
  let colon = b.tok + 1;
  if (isOp(buf, colon, 63)) colon++; // `name?: T`
  if (!isOp(buf, colon, OP_COLON)) return null;
  let members = unionAt(r, colon + 1);
  if (members === null) {
    // A single name: a type alias of the file.
    const alias = colon + 1;
    if (buf.kind[alias] !== IDENT || !endsType(r, alias + 1)) return null;
    const value = aliasValue(r, ix.word(alias));
    members = value < 0 ? null : unionAt(r, value);
  }
  if (members === null) return null;
  const out: Alternative[] = [];
  for (const k of members) out.push(...read(k, k + 1));
  return out;
}

/** The string literal tokens of a union of them starting at `from` and ending the type there; null if it is not one. */
function unionAt(r: JsNames, from: number): number[] | null {
  const { buf } = r.ix;
  let k = from;
  if (isPipe(r, k)) k++; // a leading `|`
  const out: number[] = [];
  for (;;) {
    work.n++;
    if (buf.kind[k] !== STRING || out.length >= MAX_MEMBERS) return null;
    out.push(k);
    k++;
    if (!isPipe(r, k)) break;
    k++;
  }
  return endsType(r, k) ? out : null;
}

function isPipe(r: JsNames, k: number): boolean {
  const { buf, text } = r.ix;
  return buf.kind[k] === OP && buf.end[k]! - buf.start[k]! === 1 && text.charCodeAt(buf.start[k]!) === CH_PIPE;
}

/** Whether a type ends before token `k`: a parameter's `,`, `)` or `=`, an alias's `;`, or a new line. */
function endsType(r: JsNames, k: number): boolean {
  const { buf, text } = r.ix;
  if (k >= r.ix.count || isOp(buf, k, OP_COMMA) || isOp(buf, k, OP_ASSIGN) || isOp(buf, k, OP_SEMI) || buf.kind[k] === CLOSE) return true;
  // An alias ended by a line break (no `;`): the next token starts a line.
  return text.lastIndexOf('\n', buf.start[k]!) > buf.end[k - 1]! - 1;
}

/** The first token of the value of `type name = …` declared once at the file's top level, or -1. */
function aliasValue(r: JsNames, name: string): number {
  const { ix } = r;
  const { buf, text } = ix;
  let found = -1;
  for (const k of ix.occurrences(name)) {
    work.n++;
    if (!tokenIs(text, buf, k - 1, 'type') || ix.isDot(k - 2) || !isOp(buf, k + 1, OP_ASSIGN) || ix.parent[k]! >= 0) continue;
    if (found >= 0) return -1;
    found = k + 2;
  }
  return found;
}
