// A JavaScript / TypeScript module's exported function that reads the secret its caller names
// (`export function credentials(conv, secretName) { return conv.utils.get_secret(secretName); }`),
// as the module gives it to the modules that import it (evaluate/templates.ts's readerName): there,
// each call of it is a read of the secret its argument names (jsRefs.ts). As in Python
// (python/nameSetsReaders.ts): only where the function has one read, whose only argument is the
// parameter itself, never assigned in the function; said to return the value it reads only where
// every return is that read (awaited or not), `null`, `undefined` or bare.
// An exported class likewise, when its instances read the secret a constructor parameter names:
// read in the constructor, or kept as `this.X = p` (a TypeScript parameter property too) and read as
// `get_secret(this.X)` in a method, or handed by the constructor to another reader of the module;
// each `new Cls(…)` where it is imported is a read of it. A function whose one read joins its
// parameters into the name is a template reader (templateReadOf), as in Python.

import { MAKING, readerMemo, readerName, type TemplateParam } from '../evaluate/templates';
import { joinedRead } from '../evaluate/joins';
import type { Alternative } from '../evaluate/values';
import { joinedMarks, JS_JOINS } from './jsTemplates';
import { chainStart, itemEnd } from '../scan/calls';
import { classBodyAround, constructorOf, constructorParameter, constructorValue } from './jsClassBody';
import { CH_LBRACE, CH_LPAREN, IDENT, OP_AUG, OP_ASSIGN, OP_ELLIPSIS, OP_OPTDOT, isOp, isOpen, tokenIs } from '../scan/tokens';
import type { NameCandidate } from '../scan/types';
import { find, splitArgs } from './jsNameSetsExpr';
import { B_OTHER, B_PARAM, type JsBinding, type JsFunction } from './jsNameSetsIndex';
import { returnPaths } from './jsNameSetsStatements';
import type { JsNames } from './jsNameSetsTypes';

/** Gives the exported function `fn` (as `name`) as a reader (see the file's head), when it is one. */
export function exportJsReader(r: JsNames, fn: JsFunction, name: string, out: Map<string, NameCandidate[]>): void {
  const reader = functionReader(r, fn);
  const params = fn.params.map((p) => ({ name: p.name, keywordOnly: false }));
  if (reader !== null) out.set(readerName(name, params, reader.k, reader.returnsValue), []);
  else if (fn.binding !== null) {
    // No read of its own: one that hands its parameter to another reader (`return new Client(conv, name)`).
    const k = readerParam(r, fn.binding.tok);
    if (k >= 0) out.set(readerName(name, params, k, false), []);
  }
}

/** The function `fn` as a reader (see the file's head): the parameter that names the secret, and whether it returns the value; null when it is none. */
function functionReader(r: JsNames, fn: JsFunction): { k: number; returnsValue: boolean } | null {
  const { buf } = r.ix;
  if (!plainParams(r, fn)) return null;
  const read = oneRead(r, fn.bodyFrom, fn.bodyTo);
  if (read === null) return null;
  const { first: readTok, open, close } = read;
  const arg = open + 1;
  if (close !== arg + 1 || buf.kind[arg] !== IDENT) return null;
  const param = find(r, r.ix.word(arg), arg);
  const k = param === null ? -1 : fn.params.indexOf(param);
  if (k < 0 || !neverAssigned(r, fn, param!, arg)) return null;
  return { k, returnsValue: returnsRead(r, fn, readTok, close) };
}

/** Whether every return of `fn` is its read at `readTok` (closed at `close`, awaited or not), the `const` it is the whole value of, `null`, `undefined` or bare (and one is). */
function returnsRead(r: JsNames, fn: JsFunction, readTok: number, close: number): boolean {
  const { buf, text } = r.ix;
  const first = chainStart(text, buf, readTok - 1, false);
  // `const value = [await] conv.utils.get_secret(name);`: `return value` returns the read too.
  const assigned = tokenIs(text, buf, first - 1, 'await') ? first - 2 : first - 1;
  const held = isOp(buf, assigned, OP_ASSIGN) && buf.kind[assigned - 1] === IDENT && tokenIs(text, buf, assigned - 2, 'const') ? find(r, r.ix.word(assigned - 1), assigned - 1) : null;
  let value = false;
  let other = false;
  for (const path of returnPaths(r.ix, fn)) {
    if (path.from < 0 || path.to <= path.from) continue;
    const a = tokenIs(text, buf, path.from, 'await') ? path.from + 1 : path.from;
    if (held !== null && path.to === a + 1 && buf.kind[a] === IDENT && find(r, r.ix.word(a), a) === held) value = true;
    else if (a === first && path.to === close + 1) value = true;
    else if (!(path.to === path.from + 1 && (tokenIs(text, buf, path.from, 'null') || tokenIs(text, buf, path.from, 'undefined')))) other = true;
  }
  return value && !other;
}

/**
 * The function `fn` whose one read's name joins its parameters (`return
 * conv.utils.get_secret(`${service}_api_key`)`, or `const name = prefix + '_token'` then
 * `get_secret(name)`), as Python's nameSetsReaders.ts's templateReadAt: its parameters, the read's
 * argument [arg, argEnd), the mark of each parameter it only joins, and whether it returns the value;
 * null when it is none. A parameter qualifies only where every read of it is a part of a join in the
 * read's argument or in a `const` / `let` declaration's value (an assignment to it is none).
 */
export function templateReadOf(r: JsNames, fn: JsFunction): { params: TemplateParam[]; arg: number; argEnd: number; marks: Map<number, Alternative[]>; returnsValue: boolean } | null {
  const { buf, text } = r.ix;
  if (!plainParams(r, fn)) return null;
  const read = oneRead(r, fn.bodyFrom, fn.bodyTo);
  if (read === null) return null;
  const arg = read.open + 1;
  const argEnd = itemEnd(buf, arg, read.close);
  if (argEnd <= arg || argEnd !== read.close) return null;
  const byName = new Map(fn.params.map((p) => [p.name, p]));
  // The parameter itself: a reader (functionReader).
  if (argEnd === arg + 1 && byName.has(r.ix.word(arg))) return null;
  // The values of the declarations in the body (`const name = prefix + '_token'`), where a join may be.
  const values: Array<[number, number]> = [];
  for (let t = fn.bodyFrom; t < fn.bodyTo; t++) {
    if (buf.kind[t] !== IDENT || !(tokenIs(text, buf, t, 'const') || tokenIs(text, buf, t, 'let')) || buf.kind[t + 1] !== IDENT || !isOp(buf, t + 2, OP_ASSIGN)) continue;
    const b = find(r, r.ix.word(t + 1), t + 1);
    if (b !== null && b.valueFrom >= 0) values.push([b.valueFrom, b.valueTo]);
  }
  const marks = joinedMarks(r, fn, (t) => {
    const value = values.find(([from, to]) => t >= from && t < to);
    return (t >= arg && t < argEnd && joinedRead(text, buf, t, arg, argEnd, JS_JOINS)) || (value !== undefined && joinedRead(text, buf, t, value[0], value[1], JS_JOINS));
  });
  if (marks === null) return null;
  return { params: fn.params.map((p) => ({ name: p.name, keywordOnly: false })), arg, argEnd, marks, returnsValue: returnsRead(r, fn, read.first, read.close) };
}

/** Whether parameter `param` of `fn` is assigned nowhere in its body (token `arg`, its read, aside). */
function neverAssigned(r: JsNames, fn: JsFunction, param: JsBinding, arg: number): boolean {
  const { buf } = r.ix;
  for (let t = fn.bodyFrom; t < fn.bodyTo; t++) {
    if (t === arg || buf.kind[t] !== IDENT || r.ix.isDot(t - 1) || r.ix.word(t) !== param.name || find(r, param.name, t) !== param) continue;
    if (isOp(buf, t + 1, OP_ASSIGN) || isOp(buf, t + 1, OP_AUG)) return false;
  }
  return true;
}

/**
 * Gives the exported class whose body's `{` is at `body` (as `name`) as a reader of the secret a
 * parameter of its constructor names (see the file's head), when it is one: the class's one read
 * is `get_secret(p)` in the constructor, or `get_secret(this.X)` with `this.X` set once, by the
 * constructor, to `p` (or `p` a parameter property), `p` never assigned there. Its calls return an
 * instance, not the value.
 */
export function exportJsClassReader(r: JsNames, body: number, name: string, out: Map<string, NameCandidate[]>): void {
  const reader = classReader(r, body);
  if (reader !== null) out.set(readerName(name, reader.ctor.params.map((p) => ({ name: p.name, keywordOnly: false })), reader.k, false), []);
}

/** The class whose body's `{` is at `body` as a reader (exportJsClassReader's rule): its constructor and the parameter that names the secret; null when it is none. */
function classReader(r: JsNames, body: number): { ctor: JsFunction; k: number } | null {
  return memoized(r, body, () => findClassReader(r, body));
}

/** What `find` says of the class or function at token `at`, made once per document (templates.ts's readerMemo). */
function memoized<T>(r: JsNames, at: number, find: () => T | null): T | null {
  let memo = readerMemos.get(r);
  if (memo === undefined) readerMemos.set(r, (memo = new Map()));
  return readerMemo(memo as Map<number, T | null | typeof MAKING>, at, find);
}

const readerMemos = new WeakMap<JsNames, Map<number, unknown>>();

function findClassReader(r: JsNames, body: number): { ctor: JsFunction; k: number } | null {
  const { ix } = r;
  const { buf, text } = ix;
  const made = constructorOf(ix, body);
  const ctor = made === null || !isOpen(buf, made.block, CH_LBRACE) ? undefined : ix.functions.get(made.params);
  if (ctor === undefined || !plainParams(r, ctor)) return null;
  // No read of its own: the constructor hands the name to another reader of the module (`this.session = new Session(conv, name)`).
  if (!readsIn(r, body + 1, ix.closeOf(body))) {
    const k = handedOn(r, ctor);
    return k < 0 ? null : { ctor, k };
  }
  // The class's one read, in any of its members.
  const read = oneRead(r, body + 1, ix.closeOf(body));
  if (read === null) return null;
  const { first: readTok, open, close } = read;
  const arg = open + 1;
  let param: JsBinding | null = null;
  const ctorParam = (t: number): JsBinding | null => {
    const b = buf.kind[t] === IDENT ? find(r, ix.word(t), t) : null;
    return b !== null && b.kind === B_PARAM && ctor.params.includes(b) ? b : null;
  };
  if (close === arg + 1) param = readTok > ctor.bodyFrom && readTok < ctor.bodyTo ? ctorParam(arg) : null;
  else if (close === arg + 3 && tokenIs(text, buf, arg, 'this') && ix.isDot(arg + 1) && buf.kind[arg + 2] === IDENT && classBodyAround(ix, arg) === body) {
    const value = constructorValue(ix, arg);
    if (value >= 0) param = ix.exprEnd(value) === value + 1 ? ctorParam(value) : null;
    else if (ix.propertyWrites(ix.word(arg + 2)).length === 0) {
      // `constructor(private readonly secretName: string)`: a parameter property.
      const k = constructorParameter(ix, body, ix.word(arg + 2), true);
      param = k >= 0 ? (ctor.params[k] ?? null) : null;
    }
  }
  if (param === null || !neverAssigned(r, ctor, param, -1)) return null;
  return { ctor, k: ctor.params.indexOf(param) };
}

/** Whether tokens [from, to) hold a `….get_secret`. */
function readsIn(r: JsNames, from: number, to: number): boolean {
  const { buf, text } = r.ix;
  for (let t = from; t < to; t++) if (buf.kind[t] === IDENT && r.ix.isDot(t - 1) && tokenIs(text, buf, t, 'get_secret')) return true;
  return false;
}

/**
 * The parameter of `fn` (with no read of its own) that it hands whole, the same one at every such
 * call, to another reader of the document (`new Session(conv, name)`, `credentials(conv, name)`) as
 * that reader's name, never assigning it: its index, or -1.
 */
function handedOn(r: JsNames, fn: JsFunction): number {
  const { ix } = r;
  const { buf } = ix;
  let found = -1;
  for (let t = fn.bodyFrom; t < fn.bodyTo; t++) {
    if (buf.kind[t] !== IDENT || ix.isDot(t - 1) || !isOpen(buf, t + 1, CH_LPAREN)) continue;
    const k = readerParam(r, t);
    if (k < 0) continue;
    const arg = splitArgs(r, t + 1)?.[k];
    if (arg === undefined || arg[1] !== arg[0] + 1 || buf.kind[arg[0]] !== IDENT) continue;
    const b = find(r, ix.word(arg[0]), arg[0]);
    const param = b === null || b.kind !== B_PARAM ? -1 : fn.params.indexOf(b);
    if (param < 0 || (found >= 0 && found !== param)) return -1;
    found = param;
  }
  return found >= 0 && neverAssigned(r, fn, fn.params[found]!, -1) ? found : -1;
}

/** The parameter that names the secret of the reader called by name at `t` (a class of the document, or a function), or -1. */
function readerParam(r: JsNames, t: number): number {
  const { ix } = r;
  const b = find(r, ix.word(t), t);
  if (b === null) return -1;
  if (b.kind === B_OTHER && tokenIs(ix.text, ix.buf, b.tok - 1, 'class')) {
    const body = isOpen(ix.buf, b.tok + 1, CH_LBRACE) ? b.tok + 1 : -1;
    return body < 0 ? -1 : (classReader(r, body)?.k ?? -1);
  }
  if (b.fn === null || b.fn.binding !== b) return -1;
  const fn = b.fn;
  return memoized(r, fn.at, () => {
    const own = functionReader(r, fn);
    if (own !== null) return own.k;
    if (!plainParams(r, fn) || readsIn(r, fn.bodyFrom, fn.bodyTo)) return null;
    const k = handedOn(r, fn);
    return k < 0 ? null : k;
  }) ?? -1;
}

/** Whether `fn`'s parameters are all plain names (no pattern, no rest, no row of a table). */
function plainParams(r: JsNames, fn: JsFunction): boolean {
  if ((fn.patterns?.length ?? 0) > 0) return false;
  for (const p of fn.params) if (p.paramPart !== undefined || p.ofPath !== undefined || isOp(r.ix.buf, p.tok - 1, OP_ELLIPSIS)) return false;
  return true;
}

/** The one `….get_secret(…)` of tokens [from, to): its name token and its parentheses; null when there is none, more than one, or it is not called. */
function oneRead(r: JsNames, from: number, to: number): { first: number; open: number; close: number } | null {
  const { buf, text } = r.ix;
  let read = -1;
  for (let t = from; t < to; t++) {
    if (buf.kind[t] !== IDENT || !r.ix.isDot(t - 1) || !tokenIs(text, buf, t, 'get_secret')) continue;
    if (read >= 0) return null;
    read = t;
  }
  if (read < 0) return null;
  const open = isOpen(buf, read + 1, CH_LPAREN) ? read + 1 : isOp(buf, read + 1, OP_OPTDOT) && isOpen(buf, read + 2, CH_LPAREN) ? read + 2 : -1;
  return open < 0 ? null : { first: read, open, close: buf.match[open]! };
}

/**
 * The exported function or class a read at token `at` whose name did not resolve (`part`, its unknown
 * part) is the one read of, when it is a reader of the parameter `part` names: its callers in other
 * modules are checked where they call it. `exported`: the module's exported functions and classes.
 */
export function readerOfJsRead(r: JsNames, at: number, part: string, exported: ReadonlyArray<{ name: string; fn: JsFunction | null; body: number }>): string | null {
  for (const e of exported) {
    if (e.fn !== null) {
      if (at < e.fn.bodyFrom || at >= e.fn.bodyTo) continue;
      const reader = functionReader(r, e.fn);
      if (reader !== null) return e.fn.params[reader.k]!.name === part ? e.name : null;
      // One whose read joins its parameters into the name: the unknown part one of those.
      const joined = templateReadOf(r, e.fn);
      return joined !== null && [...joined.marks.keys()].some((k) => e.fn!.params[k]!.name === part) ? e.name : null;
    }
    if (at <= e.body || at >= r.ix.closeOf(e.body)) continue;
    const reader = classReader(r, e.body);
    return reader !== null && reader.ctor.params[reader.k]!.name === part ? e.name : null;
  }
  return null;
}
