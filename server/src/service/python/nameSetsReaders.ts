// A module's function that reads the secret its caller names (`def credentials(conv, secret_name):
// return conv.utils.get_secret(secret_name)`), as the module gives it to the modules that import
// it (evaluate/templates.ts's readerName): there, each call of it is a read of the secret its
// argument names (pythonRefs.ts), checked where the name is written, as the reads of the module's
// own functions are closed over their calls in the module. Given only where the function has one
// read, whose name is the parameter itself, never bound again in the function; and said to return
// the value it reads only where every `return` is that read (or None), so that the call is a
// source of the value for the leak analysis and its keys are the secret's.

import { MAX_TEMPLATE_READS, readerName, type TemplateParam } from '../evaluate/templates';
import { CH_LPAREN, IDENT, OP_ASSIGN, OP_AUG, OP_COMMA, OP_DOT, OP_POW, OP_STAR, OP_WALRUS, isOp, isOpen, lowerBound, tokenIs } from '../scan/tokens';
import { argumentEnd, argumentStart, chainStart, groupEnd, SECRET_NAME_KEYWORDS } from '../scan/calls';
import type { NameCandidate, SecretReference } from '../scan/types';
import { SK_RETURN } from './keyFlow';
import { parametersOf } from './nameSetsCalls';
import { statementEnd } from './nameSetsFlow';
import { enclosingScope, isClassScope, nameAt, parameterGroup, scopeStatements, scopeTo, statementOf } from './nameSetsIndex';
import type { Resolver } from './nameSetsTypes';
import { statements as S } from './pythonRefsState';

/** Words before a name that bind it (`for p in`, `as p`, `global p`). */
const BINDERS = new Set(['for', 'as', 'global', 'nonlocal', 'del', 'import']);

/** Gives the module function `fname` of scope `fscope` as a reader (see the file's head), when it is one. */
export function exportReader(r: Resolver, fname: string, fscope: number, out: Map<string, NameCandidate[]>): void {
  const reader = readerAt(r, fscope);
  if (reader !== null) out.set(readerName(fname, reader.params, reader.k, reader.returnsValue), []);
}

/**
 * The module function of scope `fscope` as a reader: its parameters, the one that names the secret,
 * whether it returns the value, and the token of its read's `get_secret`; null when it is none.
 */
export function readerAt(r: Resolver, fscope: number): { params: TemplateParam[]; k: number; returnsValue: boolean; read: number } | null {
  const group = parameterGroup(r, fscope);
  if (group === null) return null;
  const { text, buf } = r.scan;
  for (let t = group[0] + 1; t < group[1]; t++) if ((isOp(buf, t, OP_STAR) || isOp(buf, t, OP_POW)) && buf.kind[t + 1] === IDENT) return null;
  const end = scopeTo(r, fscope);
  // The function's one read: `….get_secret(…)`.
  let read = -1;
  for (let t = group[1] + 1; t < end; t++) {
    if (buf.kind[t] !== IDENT || !tokenIs(text, buf, t, 'get_secret') || !isOp(buf, t - 1, OP_DOT) || !isOpen(buf, t + 1, CH_LPAREN)) continue;
    if (read >= 0) return null;
    read = t;
  }
  if (read < 0) return null;
  const open = read + 1;
  const close = buf.match[open]!;
  if (close < 0) return null;
  const arg = argumentStart(text, buf, open, groupEnd(text, buf, open), SECRET_NAME_KEYWORDS, true);
  if (arg < 0 || argumentEnd !== arg + 1 || buf.kind[arg] !== IDENT) return null;
  const params = parametersOf(r, fscope);
  const k = params.findIndex((p) => p.tok !== arg && nameAt(r, p.tok) === nameAt(r, arg));
  if (k < 0 || (k === 0 && (params[0]!.name === 'self' || params[0]!.name === 'cls'))) return null;
  // The parameter is the name wherever the read is: bound nowhere else in the function.
  const name = params[k]!.name;
  let uses = 0;
  for (let t = group[1] + 1; t < end; t++) {
    if (buf.kind[t] !== IDENT || t === arg || isOp(buf, t - 1, OP_DOT) || nameAt(r, t) !== name) continue;
    // Each use may look along its line: a function of very many is given no reader (its module stays linear).
    if (++uses > MAX_TEMPLATE_READS) return null;
    const keyword = isOp(buf, t + 1, OP_ASSIGN) && (isOp(buf, t - 1, OP_COMMA) || isOpen(buf, t - 1, CH_LPAREN));
    if (keyword) continue;
    if (isOp(buf, t + 1, OP_ASSIGN) || isOp(buf, t + 1, OP_AUG) || isOp(buf, t + 1, OP_WALRUS)) return null;
    if (buf.kind[t - 1] === IDENT && BINDERS.has(nameAt(r, t - 1))) return null;
    if (isOp(buf, t + 1, OP_COMMA) && statementAssigns(r, t)) return null;
  }
  // Whether every `return` of the function is the read itself, the one name it is assigned to as a
  // whole statement (`value = conv.utils.get_secret(name)`, then `return value`), or None.
  const first = chainStart(text, buf, read - 1, true);
  const held = heldBy(r, fscope, first, close, end);
  let returnsValue = false;
  let other = false;
  for (const i of scopeStatements(r, fscope)) {
    if (S.kind[i] !== SK_RETURN || !tokenIs(text, buf, S.start[i]!, 'return')) continue;
    const a = S.start[i]! + 1;
    const b = statementEnd(r, i);
    if ((a === first && b === close + 1) || (held !== null && b === a + 1 && buf.kind[a] === IDENT && nameAt(r, a) === held)) returnsValue = true;
    else if (!(b === a || (b === a + 1 && tokenIs(text, buf, a, 'None')))) other = true;
  }
  return { params: params.map((p) => ({ name: p.name, keywordOnly: p.position < 0 })), k, returnsValue: returnsValue && !other, read };
}

/**
 * The name the read [first, close] is assigned to as a whole statement of the function of `fscope`
 * (`value = conv.utils.get_secret(name)`), when nothing else in the function (up to `end`) binds
 * it; null otherwise.
 */
function heldBy(r: Resolver, fscope: number, first: number, close: number, end: number): string | null {
  const { buf } = r.scan;
  const target = first - 2;
  if (!isOp(buf, first - 1, OP_ASSIGN) || buf.kind[target] !== IDENT || isOp(buf, target - 1, OP_DOT)) return null;
  const stmt = statementOf(target);
  if (S.start[stmt] !== target || S.scope[stmt] !== fscope || statementEnd(r, stmt) !== close + 1) return null;
  const name = nameAt(r, target);
  for (let t = S.start[scopeStatements(r, fscope)[0] ?? stmt]!; t < end; t++) {
    if (t === target || buf.kind[t] !== IDENT || isOp(buf, t - 1, OP_DOT) || nameAt(r, t) !== name) continue;
    if (isOp(buf, t + 1, OP_ASSIGN) || isOp(buf, t + 1, OP_AUG) || isOp(buf, t + 1, OP_WALRUS) || isOp(buf, t + 1, OP_COMMA)) return null;
    if (buf.kind[t - 1] === IDENT && BINDERS.has(nameAt(r, t - 1))) return null;
  }
  return name;
}

/** Whether the statement holding token `t` (a name followed by a comma) assigns to a tuple of names it is in (`a, p = …`). */
function statementAssigns(r: Resolver, t: number): boolean {
  const { buf } = r.scan;
  for (let k = t + 1; k < buf.count && buf.kind[k] !== 7 /* LINE */; k++) if (isOp(buf, k, OP_ASSIGN)) return true;
  return false;
}

/**
 * The module function a read whose name did not resolve is the one read of, when that function is
 * a reader (its callers in other modules are checked where they call it); null otherwise.
 */
export function readerOfRead(r: Resolver, ref: SecretReference): string | null {
  const { buf, count } = r.scan;
  const t = lowerBound(buf.start, count, ref.literal.contentSpan.start);
  if (t >= count) return null;
  const fscope = S.scope[statementOf(t)]!;
  const header = r.scan.scopeHeader[fscope];
  if (fscope === 0 || header === undefined || header < 0 || enclosingScope(r, fscope) !== 0 || isClassScope(r, fscope)) return null;
  const reader = readerAt(r, fscope);
  if (reader === null || buf.start[reader.read]! < ref.span.start || buf.start[reader.read]! >= ref.span.end) return null;
  return nameAt(r, S.end[header]! - 1);
}
