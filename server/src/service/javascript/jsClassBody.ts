// The class a `this` is read in, its constructor, and what the constructor alone sets on `this`:
// shared by the readers of fields (jsNameSetsClass.ts: a field's values) and of environments
// (jsNameSetsEnv.ts: `this.env = conv.env`, `this.isLive = conv.env === 'live'`).

import { work } from '../evaluate/evaluation';
import { itemEnd, skipGroup } from '../scan/calls';
import { CH_LBRACE, CH_LBRACKET, CH_LPAREN, CLOSE, IDENT, OP_ARROW, OP_ASSIGN, OP_COLON, OP_COMMA, OP_ELLIPSIS, OP_SEMI, isOp, isOpen, tokenIs } from '../scan/tokens';
import type { JsFunction, JsIndex } from './jsNameSetsIndex';

/** How many braces classBodyAround climbs at most (a method's blocks nested deeper read no field). */
const MAX_CLIMB = 64;

/**
 * The `{` of the body of the class around token `tok`, the nearest one, or -1: a `class Name {`; with
 * `extended`, a `class Name extends Base {` too (its fields may come from the base).
 */
export function classBodyAround(ix: JsIndex, tok: number, extended = false): number {
  let body = ix.braceOf(tok);
  for (let climbed = 0; climbed < MAX_CLIMB && body >= 0; climbed++) {
    if (isClassBody(ix, body) || (extended && superclassOf(ix, body) >= 0)) return body;
    body = ix.braceOf(body);
  }
  return -1;
}

function isClassBody(ix: JsIndex, brace: number): boolean {
  return ix.buf.kind[brace - 1] === IDENT && tokenIs(ix.text, ix.buf, brace - 2, 'class');
}

/** The base's name token of a class body `class Name extends Base {` at `body`, or -1. */
export function superclassOf(ix: JsIndex, body: number): number {
  const { buf, text } = ix;
  const ok = buf.kind[body - 1] === IDENT && tokenIs(text, buf, body - 2, 'extends') && buf.kind[body - 3] === IDENT && tokenIs(text, buf, body - 4, 'class');
  return ok ? body - 1 : -1;
}

/** The name token of the class whose body is at `body` (`class Name {` or `class Name extends Base {`). */
export function classNameOf(ix: JsIndex, body: number): number {
  return superclassOf(ix, body) >= 0 ? body - 3 : body - 1;
}

/**
 * The bodies of the classes of the file written `class Sub extends Name {` for the class whose body
 * is at `body`; null when the class is extended some other way (`class extends Name`, a mixin call,
 * `extends Name<T>`): what those subclasses give is unknown.
 */
export function subclassBodies(ix: JsIndex, body: number): number[] | null {
  const { buf, text } = ix;
  const name = classNameOf(ix, body);
  const out: number[] = [];
  for (const k of ix.occurrences(ix.word(name))) {
    work.n++;
    if (k === name || !tokenIs(text, buf, k - 1, 'extends')) continue;
    if (!isOpen(buf, k + 1, CH_LBRACE) || superclassOf(ix, k + 1) !== k) return null;
    out.push(k + 1);
  }
  return out;
}

/** The constructor of the class body at `body`: the `(` of its parameters and the token after them (its `{` when it is well written); null when it has none. */
export function constructorOf(ix: JsIndex, body: number): { params: number; block: number } | null {
  const { buf, text } = ix;
  const end = ix.closeOf(body);
  // The members at the body's own level: each method's body is one step.
  for (let k = body + 1; k < end; k = skipGroup(buf, k, end)) {
    work.n++;
    if (tokenIs(text, buf, k, 'constructor') && isOpen(buf, k + 1, CH_LPAREN)) return { params: k + 1, block: ix.closeOf(k + 1) + 1 };
  }
  return null;
}

/**
 * The first token of the value of `this.X` (`this` at `thisTok`) where the constructor of the class
 * around sets it once, at the top level of its body, and nothing else in the file writes `.X` (on
 * any object); -1 otherwise.
 */
export function constructorValue(ix: JsIndex, thisTok: number): number {
  const body = classBodyAround(ix, thisTok);
  const ctor = body < 0 ? null : constructorOf(ix, body);
  if (ctor === null || !isOpen(ix.buf, ctor.block, CH_LBRACE)) return -1;
  // The document's writes of `.X`, indexed by one pass over its tokens (charged to the first read that asks).
  if (!ix.propertyWritesIndexed) work.n += ix.count >> 4;
  let value = -1;
  for (const k of ix.propertyWrites(ix.word(thisTok + 2))) {
    work.n++;
    if (value >= 0 || !isOp(ix.buf, k + 1, OP_ASSIGN) || !tokenIs(ix.text, ix.buf, k - 2, 'this') || ix.parent[k - 2] !== ctor.block) return -1;
    value = k + 2;
  }
  return value;
}

/** TypeScript's modifiers of a constructor parameter that make it a field (`private readonly env: string`). */
const PARAMETER_MODIFIERS = new Set(['public', 'private', 'protected', 'readonly', 'override']);

/**
 * The position of the constructor's parameter `name` of the class body at `body` (with
 * `property`, only one declared a field by a modifier: `constructor(private env: string)`); -1
 * when it has none.
 */
export function constructorParameter(ix: JsIndex, body: number, name: string, property: boolean): number {
  const ctor = constructorOf(ix, body);
  if (ctor === null) return -1;
  const { buf } = ix;
  const close = buf.match[ctor.params]!;
  let index = 0;
  for (let a = ctor.params + 1; a < close; index++) {
    let k = a;
    while (buf.kind[k] === IDENT && buf.kind[k + 1] === IDENT && PARAMETER_MODIFIERS.has(ix.word(k))) k++;
    if (buf.kind[k] === IDENT && ix.word(k) === name && (k > a || !property)) return index;
    a = itemEnd(buf, a, close);
    a++;
  }
  return -1;
}

/**
 * The argument at `index` of every construction of the class whose body is at `body` (`new Name(…)`
 * anywhere in the file); null when it has none, when one gives no argument there or spreads, or
 * when the class's name is used any other way (passed as a value, extended: constructed unseen).
 */
export function constructionArguments(ix: JsIndex, body: number, index: number): Array<[number, number]> | null {
  const { buf, text } = ix;
  const name = classNameOf(ix, body);
  const out: Array<[number, number]> = [];
  for (const k of ix.occurrences(ix.word(name))) {
    work.n++;
    if (k === name) continue;
    if (!tokenIs(text, buf, k - 1, 'new') || !isOpen(buf, k + 1, CH_LPAREN)) return null;
    const close = buf.match[k + 1]!;
    let a = k + 2;
    for (let i = 0; i < index && a < close; i++) {
      a = itemEnd(buf, a, close);
      a++;
    }
    const e = itemEnd(buf, a, close);
    if (e <= a || isOp(buf, a, OP_ELLIPSIS)) return null;
    out.push([a, e]);
  }
  return out.length > 0 ? out : null;
}

/**
 * The method `name` written once at the top level of the class body at `body` (`static` ones with
 * `isStatic`, the others without); null when there is none, more than one, or a subclass of the
 * file may give its own (a `this.name()` could run that one).
 */
export function classMethod(ix: JsIndex, body: number, name: string, isStatic: boolean): JsFunction | null {
  const { buf, text } = ix;
  if (!isStatic && subclassBodies(ix, body)?.length !== 0) return null;
  const end = ix.closeOf(body);
  let found: JsFunction | null = null;
  for (const k of ix.occurrences(name)) {
    work.n++;
    if (k <= body || k >= end || ix.parent[k] !== body || !isOpen(buf, k + 1, CH_LPAREN)) continue;
    let m = k - 1;
    while (buf.kind[m] === IDENT && (PARAMETER_MODIFIERS.has(ix.word(m)) || tokenIs(text, buf, m, 'async'))) m--;
    if (isStatic !== tokenIs(text, buf, m, 'static')) continue;
    const fn = ix.functions.get(k + 1);
    if (fn === undefined || found !== null) return null;
    found = fn;
  }
  return found;
}

/**
 * Whether the class name at `k` names a type in TypeScript, not the class as a value: a field's or a
 * parameter's annotation (`session: Session;`, `(s: Session)`), a variable's (`const s: Session =`), a
 * return type (`): Session {`), `as` / `satisfies` / `implements Session`, a type argument
 * (`Array<Session>`). Anything else (passed, subclassed, a static member) is a use of the class.
 */
export function typeUse(ix: JsIndex, k: number): boolean {
  const { buf, text } = ix;
  const before = k - 1;
  if (buf.kind[before] === IDENT) return tokenIs(text, buf, before, 'as') || tokenIs(text, buf, before, 'satisfies') || tokenIs(text, buf, before, 'implements');
  if (isOp(buf, before, CH_LT)) return isOp(buf, k + 1, CH_GT) || isOp(buf, k + 1, OP_COMMA);
  if (!isOp(buf, before, OP_COLON)) return false;
  // `name: Session` in a class body, a parameter list or a declaration, and `): Session`: what
  // follows ends the type. (`{ handler: Session }`, an object literal's value, is a use.)
  const named = before - 1;
  const declared = buf.kind[named] === CLOSE ? isOpen(buf, buf.match[named]!, CH_LPAREN) : buf.kind[named] === IDENT || isOp(buf, named, CH_QUESTION);
  if (!declared) return false;
  const group = ix.parent[k]!;
  const inObjectLiteral = group >= 0 && isOpen(buf, group, CH_LBRACE) && !(buf.kind[group - 1] === IDENT && (tokenIs(text, buf, group - 2, 'class') || tokenIs(text, buf, group - 2, 'extends'))) && buf.kind[group - 1] !== CLOSE;
  if (inObjectLiteral) return false;
  const next = k + 1;
  return next >= ix.count || isOp(buf, next, OP_SEMI) || isOp(buf, next, OP_COMMA) || isOp(buf, next, OP_ASSIGN) || buf.kind[next] === CLOSE || isOpen(buf, next, CH_LBRACE) || isOpen(buf, next, CH_LBRACKET) || isOp(buf, next, CH_PIPE) || isOp(buf, next, CH_AMP) || isOp(buf, next, OP_ARROW);
}

const CH_LT = 60;
const CH_GT = 62;
const CH_QUESTION = 63;
const CH_PIPE = 124;
const CH_AMP = 38;
