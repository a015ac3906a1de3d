// A module's function that reads the secret its caller names (`def credentials(conv, secret_name):
// return conv.utils.get_secret(secret_name)`), as the module gives it to the modules that import
// it (evaluate/templates.ts's readerName): there, each call of it is a read of the secret its
// argument names (pythonRefs.ts), checked where the name is written, as the reads of the module's
// own functions are closed over their calls in the module. Given only where the function has one
// read, whose name is the parameter itself, never bound again in the function; and said to return
// the value it reads only where every `return` is that read (or None), so that the call is a
// source of the value for the leak analysis and its keys are the secret's.
// A class is given the same way when its instances read the secret a parameter of its `__init__`
// names: read there, kept as `self.X = p` and read as `get_secret(self.X)` in a method, or handed
// on to another reader of the module (`self.session = Session(conv, p)`, `super().__init__(…)`); a
// subclass without `__init__` is its base's, a dataclass's fields are its parameters; its calls
// return an instance, not the value. A function whose one read joins its parameters into the name
// (`get_secret(f"{service}_api_key")`) is given as a template reader (templateReadAt): the read's
// names with those parameters marked, for each call to fill. Readers handing the name on are found
// once per module, a chain followed 16 deep (evaluate/templates.ts's readerMemo).

import { markValue, MAX_TEMPLATE_READS, readerMemo, readerName, type TemplateParam } from '../evaluate/templates';
import { spanOf } from '../evaluate/evaluation';
import { joinedRead } from '../evaluate/joins';
import type { Alternative } from '../evaluate/values';
import { PYTHON_JOINS } from './nameSetsTemplates';
import { CH_LPAREN, CLOSE, IDENT, LINE, OPEN, OP_ASSIGN, OP_AUG, OP_COMMA, OP_DOT, OP_POW, OP_STAR, OP_WALRUS, isOp, isOpen, lowerBound, tokenIs } from '../scan/tokens';
import { argumentEnd, argumentStart, chainStart, endsPrimary, groupEnd, SECRET_NAME_KEYWORDS } from '../scan/calls';
import type { NameCandidate, SecretReference } from '../scan/types';
import { SK_DEF, SK_RETURN, SK_SIMPLE } from './keyFlow';
import { type Param, parametersOf } from './nameSetsCalls';
import { dataclassFields } from './nameSetsScopes';
import { argumentFor } from './pythonRefsArgs';
import { statementEnd } from './nameSetsFlow';
import { enclosingScope, isClassScope, nameAt, parameterGroup, scopeOpenedBy, scopeStatements, scopeTo, statementOf } from './nameSetsIndex';
import type { Resolver } from './nameSetsTypes';
import { statements as S } from './pythonRefsState';

/** Words before a name that bind it (`for p in`, `as p`, `global p`). */
const BINDERS = new Set(['for', 'as', 'global', 'nonlocal', 'del', 'import']);

/** Gives the module function `fname` of scope `fscope` as a reader (see the file's head), when it is one. */
export function exportReader(r: Resolver, fname: string, fscope: number, out: Map<string, NameCandidate[]>): void {
  const reader = readerAt(r, fscope);
  if (reader !== null) out.set(readerName(fname, reader.params, reader.k, reader.returnsValue), []);
  else {
    // No read of its own: one that hands its parameter whole to another reader of the module (`return Client(conv, name)`).
    const handed = handingReader(r, fscope);
    if (handed !== null) out.set(readerName(fname, handed.params, handed.k, false), []);
  }
}

/** The module function of scope `fscope` as a reader that hands its parameter on to another of the module's (classReaderAt's rule), or null. */
function handingReader(r: Resolver, fscope: number): Handing | null {
  const group = parameterGroup(r, fscope);
  if (group === null) return null;
  const { text, buf } = r.scan;
  if (starred(r, group)) return null;
  const end = r.scan.scopeEnd[fscope]!;
  for (let t = group[1] + 1; t < end; t++) if (buf.kind[t] === IDENT && tokenIs(text, buf, t, 'get_secret')) return null;
  const params = parametersOf(r, fscope);
  const k = handedOn(r, fscope, params, 0);
  return k < 0 ? null : { params: params.map((p) => ({ name: p.name, keywordOnly: p.position < 0 })), k };
}

/** Gives the module class `cname` of scope `cscope` as a reader (see the file's head), when it is one. */
export function exportClassReader(r: Resolver, cname: string, cscope: number, out: Map<string, NameCandidate[]>): void {
  const reader = classReaderAt(r, cscope);
  if (reader !== null) out.set(readerName(cname, reader.params, reader.k, false), []);
}

/** A reader's parameters and the one that names the secret. */
type Handing = { params: TemplateParam[]; k: number };

/**
 * The module class of scope `cscope` as a reader: the parameters of its `__init__` after the
 * instance's, and the one that names the secret; null when it is none. Its instances read that
 * secret when the class's one read is `get_secret(p)` in `__init__`, or `get_secret(self.X)` in a
 * method with `self.X = p` a statement of `__init__` (the module writing `.X` nowhere else); or,
 * with no read of its own, when `__init__` hands `p` whole to another reader of the module (a
 * class, or a function). Made once per class (Resolver's readers).
 */
export function classReaderAt(r: Resolver, cscope: number): Handing | null {
  return memoized(r, cscope, () => classReader(r, cscope));
}

/** What `find` says of scope `scope`, made once per resolver (templates.ts's readerMemo). */
function memoized(r: Resolver, scope: number, find: () => Handing | null): Handing | null {
  return readerMemo((r.readers ??= new Map()), scope, find);
}

function classReader(r: Resolver, cscope: number): Handing | null {
  const init = methodScope(r, cscope, '__init__');
  // No `__init__` of its own: a dataclass's fields are its parameters; with no read, its base's (`class StripeHandler(PaymentHandler): …`).
  if (init < 0) return readsIn(r, S.end[r.scan.scopeHeader[cscope]!]!, r.scan.scopeEnd[cscope]!) ? dataclassReader(r, cscope) : baseReader(r, cscope);
  const params = parametersOf(r, init);
  if (params.length < 2 || params[0]!.position !== 0) return null;
  const group = parameterGroup(r, init)!;
  const { text, buf } = r.scan;
  if (starred(r, group)) return null;
  const given = (k: number) => (k < 1 ? null : { params: params.slice(1).map((p) => ({ name: p.name, keywordOnly: p.position < 0 })), k: k - 1 });
  // The class's read, in any of its methods.
  const read = classRead(r, cscope);
  if (read === MANY) return null;
  if (read < 0) return given(handedOn(r, init, params, 1));
  const open = read + 1;
  if (buf.match[open]! < 0) return null;
  const arg = argumentStart(text, buf, open, groupEnd(text, buf, open), SECRET_NAME_KEYWORDS, true);
  if (arg < 0) return null;
  const at = S.scope[statementOf(read)]!;
  // `get_secret(p)` in `__init__`: as a function's (readerAt), the instance's parameter not counted.
  if (argumentEnd === arg + 1) return at === init ? given(readerAt(r, init)?.k ?? -1) : null;
  // `get_secret(self.X)` in a method whose instance parameter is `self`.
  if (argumentEnd !== arg + 3 || buf.kind[arg] !== IDENT || !isOp(buf, arg + 1, OP_DOT) || buf.kind[arg + 2] !== IDENT) return null;
  if (enclosingScope(r, at) !== cscope || parametersOf(r, at)[0]?.name !== nameAt(r, arg)) return null;
  return given(keptFrom(r, init, params, nameAt(r, arg + 2)));
}

/**
 * A dataclass (or NamedTuple) of `cscope` whose one read is `get_secret(self.X)` in a method, `X`
 * one of the fields its constructor takes by place (nameSetsScopes.ts's dataclassFields) and written
 * nowhere in the module: a reader of that field (`@dataclass class Client: secret_name: str`, then
 * `Client(conv, "crm_oauth")` or `Client(secret_name="crm_oauth")`); null otherwise.
 */
function dataclassReader(r: Resolver, cscope: number): Handing | null {
  const fields = dataclassFields(r, cscope);
  if (fields === null) return null;
  const { text, buf } = r.scan;
  const read = classRead(r, cscope);
  if (read < 0 || buf.match[read + 1]! < 0) return null;
  const arg = argumentStart(text, buf, read + 1, groupEnd(text, buf, read + 1), SECRET_NAME_KEYWORDS, true);
  if (arg < 0 || argumentEnd !== arg + 3 || buf.kind[arg] !== IDENT || !isOp(buf, arg + 1, OP_DOT) || buf.kind[arg + 2] !== IDENT) return null;
  const at = S.scope[statementOf(read)]!;
  if (enclosingScope(r, at) !== cscope || parametersOf(r, at)[0]?.name !== nameAt(r, arg)) return null;
  const k = fields.indexOf(nameAt(r, arg + 2));
  if (k < 0 || attributeWrites(r).has(fields[k]!)) return null;
  return { params: fields.map((name) => ({ name, keywordOnly: false })), k };
}

/** The `get_secret` token of the one `….get_secret(` in the class of `cscope` (its methods' bodies too): -1 when it has none, MANY when more. */
function classRead(r: Resolver, cscope: number): number {
  return onlyRead(r, S.end[r.scan.scopeHeader[cscope]!]!, r.scan.scopeEnd[cscope]!);
}

/** The `get_secret` token of the one `….get_secret(` among tokens [from, to): -1 when there is none, MANY when more. */
function onlyRead(r: Resolver, from: number, to: number): number {
  const { text, buf } = r.scan;
  let read = -1;
  for (let t = from; t < to; t++) {
    if (buf.kind[t] !== IDENT || !tokenIs(text, buf, t, 'get_secret') || !isOp(buf, t - 1, OP_DOT) || !isOpen(buf, t + 1, CH_LPAREN)) continue;
    if (read >= 0) return MANY;
    read = t;
  }
  return read;
}

/** onlyRead's answer for more than one read. */
const MANY = -2;

/** Whether a parameter group [open, close) takes `*args` or `**kwargs`. */
function starred(r: Resolver, group: [number, number]): boolean {
  const { buf } = r.scan;
  for (let t = group[0] + 1; t < group[1]; t++) if ((isOp(buf, t, OP_STAR) || isOp(buf, t, OP_POW)) && buf.kind[t + 1] === IDENT) return true;
  return false;
}

/** The reader its one base gives the class of `cscope`, when that base is a class of the module; null otherwise. */
function baseReader(r: Resolver, cscope: number): Handing | null {
  const base = baseClass(r, cscope);
  return base < 0 ? null : classReaderAt(r, base);
}

/** The scope of the class of the module that the class of `cscope` names as its one base (`class A(Base):`), or -1. */
function baseClass(r: Resolver, cscope: number): number {
  const { buf } = r.scan;
  const open = S.end[r.scan.scopeHeader[cscope]!]!;
  if (!isOpen(buf, open, CH_LPAREN) || buf.match[open] !== open + 2 || buf.kind[open + 1] !== IDENT) return -1;
  const scope = moduleScope(r, nameAt(r, open + 1));
  return scope >= 0 && isClassScope(r, scope) ? scope : -1;
}

/** Whether tokens [from, to) hold a `….get_secret(`. */
function readsIn(r: Resolver, from: number, to: number): boolean {
  const { text, buf } = r.scan;
  for (let t = from; t < to; t++) if (buf.kind[t] === IDENT && tokenIs(text, buf, t, 'get_secret') && isOp(buf, t - 1, OP_DOT)) return true;
  return false;
}

/** The scope of method `name` declared in the class of `cscope` (its first), or -1. */
function methodScope(r: Resolver, cscope: number, name: string): number {
  const { text, buf } = r.scan;
  for (const i of scopeStatements(r, cscope)) {
    let t = S.start[i]!;
    if (tokenIs(text, buf, t, 'async')) t++;
    if (S.kind[i] === SK_DEF && tokenIs(text, buf, t, 'def') && buf.kind[t + 1] === IDENT && tokenIs(text, buf, t + 1, name)) return scopeOpenedBy(r, i);
  }
  return -1;
}

/**
 * The parameter of `__init__` (scope `init`, `params`) that `self.X = p`, a statement of it, keeps
 * as attribute `attr`, where the module writes `.attr` nowhere else and `p` is never bound again:
 * its index, or -1.
 */
function keptFrom(r: Resolver, init: number, params: readonly Param[], attr: string): number {
  const { text, buf } = r.scan;
  let k = -1;
  for (const i of scopeStatements(r, init)) {
    const a = S.start[i]!;
    if (statementEnd(r, i) !== a + 5 || !tokenIs(text, buf, a, params[0]!.name) || !isOp(buf, a + 1, OP_DOT) || !tokenIs(text, buf, a + 2, attr) || !isOp(buf, a + 3, OP_ASSIGN)) continue;
    if (k >= 0 || buf.kind[a + 4] !== IDENT) return -1;
    k = params.findIndex((p) => tokenIs(text, buf, a + 4, p.name));
  }
  if (k < 1) return -1;
  // Written once in the whole module: no other `.attr =` (nor `+=`, a tuple target).
  return attributeWrites(r).get(attr) === 1 && neverBound(r, init, params[k]!.name, -1) ? k : -1;
}

/** How many times the module writes each attribute (`x.attr =`, `+=`, in a tuple target), counted in one pass (Resolver's attributeWrites). */
function attributeWrites(r: Resolver): Map<string, number> {
  if (r.attributeWrites !== undefined) return r.attributeWrites;
  const { buf } = r.scan;
  const out = new Map<string, number>();
  for (let t = 1; t < r.scan.count; t++) {
    if (buf.kind[t] !== IDENT || !isOp(buf, t - 1, OP_DOT)) continue;
    if (!(isOp(buf, t + 1, OP_ASSIGN) || isOp(buf, t + 1, OP_AUG) || (isOp(buf, t + 1, OP_COMMA) && statementAssigns(r, t)))) continue;
    const attr = nameAt(r, t);
    out.set(attr, (out.get(attr) ?? 0) + 1);
  }
  return (r.attributeWrites = out);
}

/**
 * The parameter (from index `first`: an `__init__`'s instance is not one) that the function of
 * scope `fscope` (`params`) hands whole to another reader of the module (a class or a function
 * defined at its top level) as that reader's name: its index, or -1.
 */
function handedOn(r: Resolver, fscope: number, params: readonly Param[], first: number): number {
  const { text, buf } = r.scan;
  const end = r.scan.scopeEnd[fscope]!;
  const group = parameterGroup(r, fscope)!;
  let found = -1;
  const cscope = first === 1 ? enclosingScope(r, fscope) : -1;
  for (let t = group[1] + 1; t < end; t++) {
    if (buf.kind[t] !== IDENT || isOp(buf, t - 1, OP_DOT) || !isOpen(buf, t + 1, CH_LPAREN) || buf.match[t + 1]! < 0) continue;
    // `super().__init__(conv, secret_name)` in an `__init__`: its base's.
    const init = cscope > 0 && tokenIs(text, buf, t, 'super') && buf.match[t + 1] === t + 2 && isOp(buf, t + 3, OP_DOT) && tokenIs(text, buf, t + 4, '__init__') && isOpen(buf, t + 5, CH_LPAREN);
    const reader = init ? baseReader(r, cscope) : moduleReader(r, nameAt(r, t));
    if (reader === null) continue;
    const open = init ? t + 5 : t + 1;
    const arg = argumentFor(r.scan, open, buf.match[open]!, reader.params, reader.k);
    if (arg === null || arg[1] !== arg[0] + 1 || buf.kind[arg[0]] !== IDENT) continue;
    const k = params.findIndex((p) => tokenIs(text, buf, arg[0], p.name));
    if (k < first || (found >= 0 && found !== k)) return -1;
    found = k;
  }
  return found >= 0 && neverBound(r, fscope, params[found]!.name, -1) ? found : -1;
}

/** The reader `name` defined at the module's top level (its first class or function of that name), or null. */
function moduleReader(r: Resolver, name: string): Handing | null {
  const scope = moduleScope(r, name);
  if (scope < 0) return null;
  if (isClassScope(r, scope)) return classReaderAt(r, scope);
  return memoized(r, scope, () => {
    const reader = readerAt(r, scope);
    return reader === null ? handingReader(r, scope) : { params: reader.params, k: reader.k };
  });
}

/** The scope of the module's first class or function named `name`, or -1 (the module's by name, found once). */
function moduleScope(r: Resolver, name: string): number {
  const { text, buf } = r.scan;
  if (r.moduleDefs === undefined) {
    r.moduleDefs = new Map();
    for (const i of scopeStatements(r, 0)) {
      if (S.kind[i] !== SK_DEF) continue;
      let t = S.start[i]!;
      if (tokenIs(text, buf, t, 'async')) t++;
      if (buf.kind[t + 1] !== IDENT || r.moduleDefs.has(nameAt(r, t + 1))) continue;
      r.moduleDefs.set(nameAt(r, t + 1), i);
    }
  }
  const i = r.moduleDefs.get(name);
  return i === undefined ? -1 : scopeOpenedBy(r, i);
}

/**
 * The module function of scope `fscope` as a reader: its parameters, the one that names the secret,
 * whether it returns the value, and the token of its read's `get_secret`; null when it is none.
 */
export function readerAt(r: Resolver, fscope: number): { params: TemplateParam[]; k: number; returnsValue: boolean; read: number } | null {
  const one = oneRead(r, fscope);
  if (one === null || one.argEnd !== one.arg + 1) return null;
  const { buf } = r.scan;
  const { arg, params } = one;
  if (buf.kind[arg] !== IDENT) return null;
  const k = params.findIndex((p) => p.tok !== arg && nameAt(r, p.tok) === nameAt(r, arg));
  if (k < 0 || (k === 0 && (params[0]!.name === 'self' || params[0]!.name === 'cls'))) return null;
  // The parameter is the name wherever the read is: bound nowhere else in the function.
  if (!neverBound(r, fscope, params[k]!.name, arg)) return null;
  return { params: params.map((p) => ({ name: p.name, keywordOnly: p.position < 0 })), k, returnsValue: returnsRead(r, fscope, one.read), read: one.read };
}

/**
 * The module function of scope `fscope` whose one read's name joins parameters into it (`return
 * conv.utils.get_secret(f"{service}_api_key")`, or `name = prefix + "_token"`, then
 * `get_secret(name)`): its parameters, the read's argument [arg, argEnd) and statement, the binding
 * of each parameter it only joins to its mark, and whether it returns the value; null when it is
 * none. A parameter qualifies only where every read of it is a part of a join in the read's argument
 * or in the value of an assignment of the function (evaluate/joins.ts), and it is never bound
 * again: a test of it (`if service == "crm"`) would be read with the mark for a value.
 */
export function templateReadAt(r: Resolver, fscope: number): { params: TemplateParam[]; arg: number; argEnd: number; stmt: number; bind: (name: string) => (() => Alternative[]) | undefined; returnsValue: boolean } | null {
  const one = oneRead(r, fscope);
  if (one === null) return null;
  const { text, buf } = r.scan;
  const { arg, argEnd, params } = one;
  // The parameter itself: a reader (readerAt).
  if (argEnd === arg + 1 && buf.kind[arg] === IDENT && params.some((p) => tokenIs(text, buf, arg, p.name))) return null;
  const names = new Set(params.map((p) => p.name));
  const used = new Set<string>();
  const refused = new Set<string>();
  const end = scopeTo(r, fscope);
  let reads = 0;
  for (let t = parameterGroup(r, fscope)![1] + 1; t < end; t++) {
    if (buf.kind[t] !== IDENT || t === one.read) continue;
    const name = nameAt(r, t);
    if (!names.has(name) || refused.has(name) || isOp(buf, t - 1, OP_DOT)) continue;
    if (isOp(buf, t + 1, OP_ASSIGN) && (isOp(buf, t - 1, OP_COMMA) || isOpen(buf, t - 1, CH_LPAREN)) && amongArguments(r, t)) continue;
    if (++reads > MAX_TEMPLATE_READS) return null;
    const stmt = statementOf(t);
    const a = S.start[stmt]!;
    const joined =
      (t >= arg && t < argEnd && joinedRead(text, buf, t, arg, argEnd, PYTHON_JOINS)) ||
      (S.scope[stmt] === fscope && S.kind[stmt] === SK_SIMPLE && buf.kind[a] === IDENT && isOp(buf, a + 1, OP_ASSIGN) && joinedRead(text, buf, t, a + 2, statementEnd(r, stmt), PYTHON_JOINS));
    if (joined) used.add(name);
    else refused.add(name);
  }
  for (const name of refused) used.delete(name);
  for (const name of used) if (!neverBound(r, fscope, name, -1)) used.delete(name);
  if (used.size === 0) return null;
  const marks = new Map<string, () => Alternative[]>();
  params.forEach((p, k) => {
    if (!used.has(p.name)) return;
    const value = [markValue(k, spanOf(r, p.tok, p.tok + 1))];
    marks.set(p.name, () => value);
  });
  return {
    params: params.map((p) => ({ name: p.name, keywordOnly: p.position < 0 })),
    arg,
    argEnd,
    stmt: statementOf(one.read),
    bind: (name) => marks.get(name),
    returnsValue: returnsRead(r, fscope, one.read),
  };
}

/** The one read of the module function of `fscope` (no `*args` / `**kwargs`): its `get_secret` token, its name argument's tokens, and the function's parameters; null when it has none, or more. */
function oneRead(r: Resolver, fscope: number): { read: number; arg: number; argEnd: number; params: Param[] } | null {
  const group = parameterGroup(r, fscope);
  if (group === null) return null;
  const { text, buf } = r.scan;
  if (starred(r, group)) return null;
  // The function's one read: `….get_secret(…)`.
  const read = onlyRead(r, group[1] + 1, scopeTo(r, fscope));
  if (read < 0 || buf.match[read + 1]! < 0) return null;
  const arg = argumentStart(text, buf, read + 1, groupEnd(text, buf, read + 1), SECRET_NAME_KEYWORDS, true);
  if (arg < 0 || argumentEnd <= arg) return null;
  return { read, arg, argEnd: argumentEnd, params: parametersOf(r, fscope) };
}

/**
 * Whether every `return` of the function of `fscope` is its read at `read` itself, the one name it
 * is assigned to as a whole statement (`value = conv.utils.get_secret(name)`, then `return value`),
 * or None (and one is).
 */
function returnsRead(r: Resolver, fscope: number, read: number): boolean {
  const { text, buf } = r.scan;
  const close = buf.match[read + 1]!;
  const first = chainStart(text, buf, read - 1, true);
  const held = heldBy(r, fscope, first, close, scopeTo(r, fscope));
  let returnsValue = false;
  let other = false;
  for (const i of scopeStatements(r, fscope)) {
    if (S.kind[i] !== SK_RETURN || !tokenIs(text, buf, S.start[i]!, 'return')) continue;
    const a = S.start[i]! + 1;
    const b = statementEnd(r, i);
    if ((a === first && b === close + 1) || (held !== null && b === a + 1 && buf.kind[a] === IDENT && nameAt(r, a) === held)) returnsValue = true;
    else if (!(b === a || (b === a + 1 && tokenIs(text, buf, a, 'None')))) other = true;
  }
  return returnsValue && !other;
}

/**
 * Whether parameter `name` of the function of `fscope` is bound nowhere in its body (token `arg`,
 * its read, aside): not assigned, augmented, a `for` or `as` target, a tuple target. A function
 * using it more than MAX_TEMPLATE_READS times is taken to bind it (each use may look along its
 * line: its module stays linear).
 */
function neverBound(r: Resolver, fscope: number, name: string, arg: number): boolean {
  const group = parameterGroup(r, fscope);
  if (group === null) return false;
  const { buf } = r.scan;
  const end = scopeTo(r, fscope);
  let uses = 0;
  for (let t = group[1] + 1; t < end; t++) {
    if (buf.kind[t] !== IDENT || t === arg || isOp(buf, t - 1, OP_DOT) || nameAt(r, t) !== name) continue;
    if (++uses > MAX_TEMPLATE_READS) return false;
    const keyword = isOp(buf, t + 1, OP_ASSIGN) && (isOp(buf, t - 1, OP_COMMA) || isOpen(buf, t - 1, CH_LPAREN)) && amongArguments(r, t);
    if (keyword) continue;
    if (isOp(buf, t + 1, OP_ASSIGN) || isOp(buf, t + 1, OP_AUG) || isOp(buf, t + 1, OP_WALRUS)) return false;
    if (buf.kind[t - 1] === IDENT && BINDERS.has(nameAt(r, t - 1))) return false;
    if (isOp(buf, t + 1, OP_COMMA) && statementAssigns(r, t)) return false;
  }
  return true;
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
  // A name among a call's arguments (`f(conv, p, timeout=3)`) is none: its keywords' `=` assign nothing.
  if (amongArguments(r, t)) return false;
  for (let k = t + 1; k < buf.count && buf.kind[k] !== LINE; k++) if (isOp(buf, k, OP_ASSIGN)) return true;
  return false;
}

/** Whether token `t` is directly inside a call's parentheses (`f(a, t)`), not a tuple's or a target's (`other, t = …`). */
function amongArguments(r: Resolver, t: number): boolean {
  const { text, buf } = r.scan;
  let depth = 0;
  for (let k = t + 1; k < buf.count && buf.kind[k] !== LINE; k++) {
    if (buf.kind[k] === OPEN) depth++;
    else if (buf.kind[k] === CLOSE && depth-- === 0) {
      const open = buf.match[k]!;
      return open > 0 && isOpen(buf, open, CH_LPAREN) && endsPrimary(text, buf, open - 1, true);
    }
  }
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
  if (fscope === 0 || header === undefined || header < 0 || isClassScope(r, fscope)) return null;
  // A method of a module class whose instances read the secret a parameter of `__init__` names,
  // the read's unknown part that parameter (not one a caller in the module passes it).
  const cscope = enclosingScope(r, fscope);
  if (cscope > 0 && isClassScope(r, cscope) && enclosingScope(r, cscope) === 0) {
    const reader = classReaderAt(r, cscope);
    if (reader === null || ref.unresolved?.text !== reader.params[reader.k]!.name) return null;
    return nameAt(r, S.end[r.scan.scopeHeader[cscope]!]! - 1);
  }
  if (enclosingScope(r, fscope) !== 0) return null;
  const reader = readerAt(r, fscope);
  if (reader === null) {
    // One whose read joins its parameters into the name: the unknown part one of those.
    const joined = templateReadAt(r, fscope);
    return joined !== null && ref.unresolved !== undefined && joined.bind(ref.unresolved.text) !== undefined ? nameAt(r, S.end[header]! - 1) : null;
  }
  if (buf.start[reader.read]! < ref.span.start || buf.start[reader.read]! >= ref.span.end) return null;
  return nameAt(r, S.end[header]! - 1);
}
