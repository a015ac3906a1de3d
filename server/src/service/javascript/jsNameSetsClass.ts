// Fields of a class for the JavaScript / TypeScript name-set resolver: `this.X` read in a method of
// a class whose constructor alone sets it, at the top level of its body (the last such assignment
// holds), declares it as a TypeScript parameter property (`private readonly name: string`) or in the
// body with its value. A constructor parameter is the argument every `new Cls(…)` of the file passes
// for it (the class used otherwise, or never constructed: unknown). The class's subclasses of the
// file add what each gives it, and a class that gives it nothing reads its nearest base's (the same
// rule as Python's, nameSetsFamily.ts). Read through an object instead (`s.secretName`, `const s =
// new Session(conv, 'crm_api')`), a field takes that construction's arguments; `Cls.NAME` is a
// `static NAME = …` nothing assigns.

import { work } from '../evaluate/evaluation';
import { MAX_FAMILY, familyOf } from '../evaluate/family';
import { skipGroup } from '../scan/calls';
import { assigned, assignments, callFunction, calledFunction, conditionalParts, eachReturn, evalExpr, find, parameterValue, splitArgs, underTests } from './jsNameSetsExpr';
import { assignedAs } from './jsNameSetsFlow';
import { stripGroup } from './jsNameSetsEnv';
import { under } from '../evaluate/combine';
import { returnPaths } from './jsNameSetsStatements';
import { mutated, propertyChanged } from './jsNameSetsChanges';
import { classBodyAround, classNameOf, constructorOf, subclassBodies, superclassOf, typeUse } from './jsClassBody';
import { type Alternative } from '../evaluate/values';
import { attempt, fail, settle, type JsNames, type MethodCalls, type Outcome } from './jsNameSetsTypes';
import { B_CONST, B_LET, B_OTHER, B_PARAM, type JsBinding, type JsFunction } from './jsNameSetsIndex';
import { CH_LBRACE, CH_LPAREN, CLOSE, IDENT, OP_ARROW, OP_ASSIGN, OP_COLON, OP_COMMA, OP_OPTDOT, OP_SEMI, isOp, isOpen, lowerBound, tokenIs } from '../scan/tokens';

/** The fields already read, by document and by class body and name. */
const known = new WeakMap<JsNames, Map<string, Outcome>>();

/** `this.X` at tokens [thisTok, to): the values its class, or a subclass of the file, gives it. */
export function thisField(r: JsNames, thisTok: number, to: number): Alternative[] {
  const { ix } = r;
  const name = ix.word(to - 1);
  const body = classBodyAround(ix, thisTok, true);
  if (body < 0) return fail(r, thisTok, to);
  return remembered(r, `${body}:${name}`, () => familyField(r, body, name, thisTok, to));
}

/**
 * The field `name` read through `this` in the class at `body`: the values the class and each of its
 * subclasses of the file give it (any may be what runs), and, when the class gives it none, what it
 * inherits from the nearest base of the file that does. Every write of `.X` in the file must be a
 * `this.X = …` at the top level of the constructor of one of those classes or of a base.
 */
function familyField(r: JsNames, body: number, name: string, thisTok: number, to: number): Alternative[] {
  return fieldOfFamily(r, body, name, thisTok, to, (c, writes) => field(r, c, name, thisTok, to, -1, writes), (fn) => getterValue(r, fn, thisTok, to));
}

/** What a getter returns (`get secretName() { return 'crm_api'; }`); one without a `return` (abstract, or throwing): nothing. */
function getterValue(r: JsNames, fn: JsFunction, thisTok: number, to: number): Alternative[] {
  if (returnPaths(r.ix, fn).length === 0) return [];
  return atDeclaration(r, () => callFunction(r, fn, [], thisTok, to));
}

/**
 * familyField's walk, `own` reading what one class gives the field (its values, or the tables a
 * value written there holds) from the writes of its constructor.
 */
function fieldOfFamily<T>(r: JsNames, body: number, name: string, thisTok: number, to: number, own: (c: number, writes: readonly number[]) => T[], getter?: (fn: JsFunction) => T[]): T[] {
  const { ix } = r;
  const { buf, text } = ix;
  const family = descendants(r, body);
  if (family === null) return fail(r, thisTok, to);
  // Each write of `.X`, by the class whose constructor makes it.
  const writes = new Map<number, number[]>();
  for (const k of fieldWrites(r, name)) {
    const block = isOp(buf, k + 1, OP_ASSIGN) && tokenIs(text, buf, k - 2, 'this') ? ix.parent[k - 2]! : -1;
    const c = block >= 0 ? ix.braceOf(block) : -1;
    if (c < 0 || constructorOf(ix, c)?.block !== block) return fail(r, thisTok, to);
    const list = writes.get(c) ?? [];
    list.push(k);
    writes.set(c, list);
  }
  // A class's getter of that name is what it gives (when `getter` reads one); a method or a setter:
  // what it returns is not read here.
  const fromGetter = (c: number): T[] | null => {
    const g = getterOf(r, c, name);
    if (g === undefined || (g !== null && (getter === undefined || gives(r, c, name, writes)))) return fail(r, thisTok, to);
    return g === null ? null : getter!(g);
  };
  if (family.length === 1 && superclassOf(ix, body) < 0) return fromGetter(body) ?? own(body, writes.get(body) ?? []);
  const out: T[] = [];
  let given = false;
  for (const c of family) {
    const got = fromGetter(c);
    if (got !== null) {
      given ||= c === body;
      out.push(...got);
    } else if (gives(r, c, name, writes)) out.push(...own(c, writes.get(c) ?? []));
  }
  // The bases, nearest first: each a class of the file. Walked when the class gives nothing, or
  // when a write is in no class of the family (a base's constructor's, overwritten or inherited).
  const inherit = !given && !gives(r, body, name, writes);
  let placed = 0;
  for (const c of writes.keys()) if (family.includes(c)) placed++;
  let giver = -1;
  for (let c = body, steps = 0; (inherit && giver < 0) || placed < writes.size; steps++) {
    const sup = superclassOf(ix, c);
    if (sup < 0) break;
    const b = find(r, ix.word(sup), sup);
    const next = b && isClass(r, b) ? classBodyAt(r, b) : -1;
    if (next < 0 || family.includes(next) || steps >= MAX_FAMILY) return fail(r, thisTok, to);
    if (writes.has(next)) placed++;
    if (inherit && giver < 0) {
      const got = fromGetter(next);
      if (got !== null || gives(r, next, name, writes)) {
        giver = next;
        out.push(...(got ?? own(next, writes.get(next) ?? [])));
      }
    }
    c = next;
  }
  if (placed < writes.size || out.length === 0) return fail(r, thisTok, to);
  return out;
}

/**
 * The getter `get name() {…}` the class body at `body` declares (not static): its function; null
 * when the class declares no method, getter or setter of that name; undefined when it declares a
 * method or a setter of it (what they do is not read here).
 */
function getterOf(r: JsNames, body: number, name: string): JsFunction | null | undefined {
  const { ix } = r;
  const { buf, text } = ix;
  const uses = ix.occurrences(name);
  const end = ix.closeOf(body);
  let found: JsFunction | null | undefined = null;
  for (let i = lowerBound(uses, uses.length, body + 1); i < uses.length && uses[i]! < end; i++) {
    const k = uses[i]!;
    work.n++;
    if (ix.parent[k] !== body || ix.isDot(k - 1) || !isOpen(buf, k + 1, CH_LPAREN) || tokenIs(text, buf, k - 1, 'static')) continue;
    // `abstract get name(): string;`: no value of its own (a subclass's is what runs).
    if (tokenIs(text, buf, k - 1, 'get') && tokenIs(text, buf, k - 2, 'abstract')) continue;
    const fn: JsFunction | undefined = tokenIs(text, buf, k - 1, 'get') && found === null ? ix.functions.get(k + 1) : undefined;
    if (fn === undefined) return undefined;
    found = fn;
  }
  return found;
}

/**
 * What `this.X` (at [thisTok, to)) holds as `read` reads a value where it is written: the tables of
 * a field declared or assigned with a table (`NAMES = { live: 'crm_prod' }`), through the class's
 * family as its names are; a field set from a constructor parameter is unknown here.
 */
export function thisFieldAs<T>(r: JsNames, thisTok: number, to: number, read: (from: number, to: number) => T[]): T[] {
  const { ix } = r;
  const name = ix.word(to - 1);
  const body = classBodyAround(ix, thisTok, true);
  // A table changed in place through any object (`this.NAMES.live = x`): unknown.
  if (body < 0 || propertyChanged(r, name)) return fail(r, thisTok, to);
  return fieldOfFamily(r, body, name, thisTok, to, (c, writes) => {
    const range = writtenValue(r, c, name, writes);
    if (range === null) return fail(r, thisTok, to);
    return atDeclaration(r, () => read(range[0], range[1]));
  });
}

/** `Cls.X` of a class of the file (its `static X = …`, nothing assigning it) as `read` reads its value where it is written; null when `Cls` names no class. */
export function staticFieldAs<T>(r: JsNames, from: number, to: number, read: (from: number, to: number) => T[]): T[] | null {
  const { ix } = r;
  const b = find(r, ix.word(from), from);
  if (!b || !isClass(r, b)) return null;
  const value = staticValue(r, b, ix.word(to - 1));
  if (value < 0 || propertyChanged(r, ix.word(to - 1))) return fail(r, from, to);
  return atDeclaration(r, () => read(value, ix.exprEnd(value)));
}

/** The value one class writes the field with: its constructor's last write, or its declaration; null when it is a constructor parameter or none. */
function writtenValue(r: JsNames, body: number, name: string, writes: readonly number[]): [number, number] | null {
  const { ix } = r;
  const { buf } = ix;
  const made = constructorOf(ix, body);
  const last = writes.length > 0 ? writes[writes.length - 1]! : -1;
  if (last >= 0) {
    if (made === null || ix.parent[last - 2] !== made.block) return null;
    const from = last + 2;
    const end = ix.exprEnd(from);
    if (end === from + 1 && buf.kind[from] === IDENT && parameterPosition(r, made.params, ix.word(from)) >= 0) return null;
    return [from, end];
  }
  const init = instanceInitializer(r, body, name);
  return init >= 0 ? [init, ix.exprEnd(init)] : null;
}

/** What `read` gives outside any call (a declaration sees no call's arguments). */
function atDeclaration<T>(r: JsNames, read: () => T[]): T[] {
  const saved = r.frame;
  r.frame = null;
  try {
    return read();
  } finally {
    r.frame = saved;
  }
}

/** The documents' classes with their subclasses (descendants), by class body. */
const families = new WeakMap<JsNames, Map<number, readonly number[] | null>>();

/** The class at `body` and its subclasses of the file, transitively (evaluate/family.ts); null when one is extended some other way. */
function descendants(r: JsNames, body: number): readonly number[] | null {
  let memo = families.get(r);
  if (!memo) families.set(r, (memo = new Map()));
  return familyOf(memo, body, (c) => subclassBodies(r.ix, c), (n) => (work.n += n));
}

/** The body of the class declared by binding `b`: after its name, or after `extends Base`. */
function classBodyAt(r: JsNames, b: JsBinding): number {
  const { buf, text } = r.ix;
  if (isOpen(buf, b.tok + 1, CH_LBRACE)) return b.tok + 1;
  return tokenIs(text, buf, b.tok + 1, 'extends') && buf.kind[b.tok + 2] === IDENT && isOpen(buf, b.tok + 3, CH_LBRACE) ? b.tok + 3 : -1;
}

/** Whether the class at `body` gives its instances the field: a declaration, a constructor's write, a parameter property. */
function gives(r: JsNames, body: number, name: string, writes: Map<number, number[]>): boolean {
  if ((writes.get(body)?.length ?? 0) > 0 || instanceInitializer(r, body, name) !== -1) return true;
  const made = constructorOf(r.ix, body);
  return made !== null && parameterPosition(r, made.params, name, true) >= 0;
}

/** Whether the class body at `body` has a method, getter or setter called `name` (not static). */
function hasMethod(r: JsNames, body: number, name: string): boolean {
  const { ix } = r;
  const uses = ix.occurrences(name);
  const end = ix.closeOf(body);
  for (let i = lowerBound(uses, uses.length, body + 1); i < uses.length && uses[i]! < end; i++) {
    const k = uses[i]!;
    work.n++;
    if (ix.parent[k] === body && !ix.isDot(k - 1) && isOpen(ix.buf, k + 1, CH_LPAREN) && !tokenIs(ix.text, ix.buf, k - 1, 'static')) return true;
  }
  return false;
}

/** What `evaluate` gives, kept for the document by `key` (a failure too, thrown again). */
function remembered(r: JsNames, key: string, evaluate: () => Alternative[]): Alternative[] {
  let memo = known.get(r);
  if (!memo) known.set(r, (memo = new Map()));
  const had = memo.get(key);
  if (had) return settle(had);
  const outcome = attempt(evaluate);
  memo.set(key, outcome);
  return settle(outcome);
}

/**
 * `x.X` at [from, to) where `x` names a class (`Plain.NAME`: its static field) or a `const` holding
 * one construction of a class (`const s = new Session(conv, 'crm_api')`: the field as that
 * construction's arguments set it); null when `x` is neither (a table, perhaps).
 */
export function objectField(r: JsNames, from: number, to: number): Alternative[] | null {
  const { ix } = r;
  const b = find(r, ix.word(from), from);
  if (!b) return null;
  const name = ix.word(to - 1);
  // One that reads itself (`const s = new Session(conv, s.secretName)`, `static NAME = Plain.NAME`): unknown.
  if (r.active.has(b)) return fail(r, from, to);
  r.active.add(b);
  try {
    return ownField(r, b, name, from, to);
  } finally {
    r.active.delete(b);
  }
}

function ownField(r: JsNames, b: JsBinding, name: string, from: number, to: number): Alternative[] | null {
  if (isClass(r, b)) return remembered(r, `static:${b.tok}:${name}`, () => staticField(r, b, name, from, to));
  if ((b.kind !== B_CONST && b.kind !== B_LET) || b.ofFrom >= 0) return null;
  if (b.kind === B_LET && assigned(r, b) && !mutated(r, b)) return assignedObjects(r, b, name, from, to);
  if (b.valueFrom < 0) return null;
  // `const c = test ? new A(…) : new B(…)`: each construction's field under the test as it holds and fails.
  const single = isConstruction(r, b.valueFrom, b.valueTo);
  const made = single ? null : madeChoice(r, b.valueFrom, b.valueTo, name, from, to);
  if (!single && made === null) return null;
  // One changed after it was made: unknown.
  if ((b.kind === B_LET && assigned(r, b)) || mutated(r, b)) return fail(r, from, to);
  return made ?? constructedField(r, b.valueFrom, name, from, to);
}

/**
 * `let c; if (…) c = new A(…); else c = new B(…);` then `c.X` at [from, to): each assignment's
 * object's field under the tests on the way to it (jsNameSetsFlow.ts's walk); where none is assigned
 * the read gives nothing (it throws). Null when a value assigned is no object made there (a table's
 * `let`: jsNameSetsTables.ts reads it).
 */
function assignedObjects(r: JsNames, b: JsBinding, name: string, from: number, to: number): Alternative[] | null {
  const { buf, text } = r.ix;
  const made = (k: number): boolean => isOp(buf, k + 1, OP_ASSIGN) && tokenIs(text, buf, k + 2, 'new');
  if (!assignments(r, b).every(made) || (b.valueFrom >= 0 && !tokenIs(text, buf, b.valueFrom, 'new'))) return null;
  const chosen = assignedAs<{ values: Alternative[] } | null>(r, b, from, {
    read: (a, e) => [{ values: madeChoice(r, a, e, name, from, to) ?? fail(r, from, to) }],
    under: (objects, tests) => objects.map((o) => (o === null ? null : { values: underTests(r, o.values, tests) })),
    unset: () => null,
  });
  return chosen.flatMap((o) => o?.values ?? []);
}

/**
 * The field `name` (read at [from, to)) of the object [a, e) makes: a construction, a conditional of
 * them, or a `const` holding one (`LIVE` of `const LIVE = new Settings(…)`), each under its test;
 * null when a branch makes anything else.
 */
export function madeChoice(r: JsNames, a: number, e: number, name: string, from: number, to: number): Alternative[] | null {
  [a, e] = stripGroup(r.ix, a, e);
  if (isConstruction(r, a, e)) return constructedField(r, a, name, from, to);
  if (e === a + 1 && r.ix.buf.kind[a] === IDENT) {
    const b = find(r, r.ix.word(a), a);
    if (!b || b.kind !== B_CONST || b.valueFrom < 0 || b.fn || b.ofFrom >= 0 || b.part !== undefined) return null;
    // One that holds itself, or changed after it was made: unknown.
    if (r.active.has(b) || mutated(r, b)) return fail(r, from, to);
    r.active.add(b);
    try {
      return madeChoice(r, b.valueFrom, b.valueTo, name, from, to);
    } finally {
      r.active.delete(b);
    }
  }
  const made = factoryCall(r, a, e, name, from, to);
  if (made !== undefined) return made;
  const parts = conditionalParts(r, a, e);
  if (parts === null) return null;
  const yes = madeChoice(r, parts.q + 1, parts.colon, name, from, to);
  const no = yes === null ? null : madeChoice(r, parts.colon + 1, e, name, from, to);
  if (yes === null || no === null) return null;
  return [...under(yes, parts.holds, parts.holds.env), ...under(no, parts.fails, parts.fails.env)];
}

/**
 * `makeClient(conv)` at [a, e), a function of the file each of whose returns makes an object (a
 * construction, a conditional of them, a constant holding one): the field `name` of each, read with
 * the call's arguments as its parameters and under the tests on the way to its return; null when a
 * return gives anything else; undefined when [a, e) is no call of a function of the file.
 */
function factoryCall(r: JsNames, a: number, e: number, name: string, from: number, to: number): Alternative[] | null | undefined {
  const { buf } = r.ix;
  const open = buf.kind[e - 1] === CLOSE ? buf.match[e - 1]! : -1;
  const fn = open > a && isOpen(buf, open, CH_LPAREN) ? calledFunction(r, a, open) : null;
  const args = fn === null ? null : splitArgs(r, open);
  if (fn === null || args === null) return undefined;
  const out: Alternative[] = [];
  let objects = true;
  eachReturn(r, fn, args, from, to, (path) => {
    const made = objects ? madeChoice(r, path.from, path.to, name, from, to) : null;
    if (made === null) objects = false;
    else out.push(...underTests(r, made, path.tests));
  });
  return objects ? out : null;
}

/** Whether [from, to) is `new Cls(…)` (a name, then its arguments). */
export function isConstruction(r: JsNames, from: number, to: number): boolean {
  const { ix } = r;
  const { buf, text } = ix;
  return tokenIs(text, buf, from, 'new') && buf.kind[from + 1] === IDENT && isOpen(buf, from + 2, CH_LPAREN) && ix.closeOf(from + 2) + 1 === to;
}

/**
 * The field `name` of the object `new Cls(…)` starting at `newTok` (isConstruction) makes, read at
 * [from, to): as that construction's arguments set it.
 */
export function constructedField(r: JsNames, newTok: number, name: string, from: number, to: number): Alternative[] {
  const { ix } = r;
  const clsTok = newTok + 1;
  const site = clsTok + 1;
  const cls = find(r, ix.word(clsTok), clsTok);
  // Another class's object: unknown.
  if (!cls || !isClass(r, cls) || assigned(r, cls)) return fail(r, from, to);
  const body = inheritedBody(r, classBodyAt(r, cls), name);
  if (body < 0) return fail(r, from, to);
  // A getter of the class: what it returns (a method or a setter of that name: unknown).
  const getter = getterOf(r, body, name);
  if (getter === undefined) return fail(r, from, to);
  if (getter !== null) return getterValue(r, getter, from, to);
  const compute = () => field(r, body, name, from, to, site);
  return r.frame === null ? remembered(r, `${body}:${name}:${site}`, compute) : compute();
}

/**
 * The body of the class whose field `name` an instance made by `new Cls(…)` holds, Cls's body at
 * `body`: Cls's own, or, when Cls declares no such field and has no constructor (its arguments go to
 * its base's), the one its base of the file (`class Cls extends Base`) gives, and so on up; -1 when
 * the base is not a class of the file.
 */
function inheritedBody(r: JsNames, body: number, name: string): number {
  const { ix } = r;
  for (let depth = 0; isOpen(ix.buf, body, CH_LBRACE); depth++) {
    const base = superclassOf(ix, body);
    if (base < 0 || instanceInitializer(r, body, name) !== -1 || constructorOf(ix, body) !== null || getterOf(r, body, name) !== null) return body;
    const b = find(r, ix.word(base), base);
    if (!b || !isClass(r, b) || assigned(r, b) || depth >= MAX_FAMILY) return -1;
    body = classBodyAt(r, b);
  }
  return -1;
}

/**
 * The function `Obj.name(…)` calls: a method or function-valued property of the object literal a
 * `const` holds (`const Keys = { name(conv) {…}, other: (conv) => … }`), or a static method of a
 * class without `extends`; null when it is neither, is declared twice, or the object, the class or
 * any object's `.name` is changed in the file.
 */
export function memberFunction(r: JsNames, objTok: number, nameTok: number): JsFunction | null {
  const { ix } = r;
  const { buf, text } = ix;
  if (tokenIs(text, buf, objTok, 'this')) return thisMethod(r, objTok, ix.word(nameTok));
  const made = tokenIs(text, buf, objTok, 'new');
  const b = find(r, ix.word(made ? objTok + 1 : objTok), made ? objTok + 1 : objTok);
  if (!b) return null;
  const name = ix.word(nameTok);
  let body: number;
  const ofClass = !made && isClass(r, b);
  if (made) {
    // `new Cfg(…).name(…)`: a method of the class (its own, not an inherited one), as through `const cfg = new Cfg(…)`.
    if (!isClass(r, b) || assigned(r, b)) return null;
    body = classBodyAt(r, b);
    if (!isOpen(buf, body, CH_LBRACE)) return null;
  } else if (ofClass) {
    body = b.tok + 1;
    if (!isOpen(buf, body, CH_LBRACE) || assigned(r, b)) return null;
  } else if (b.kind === B_CONST && b.valueFrom >= 0 && isOpen(buf, b.valueFrom, CH_LBRACE) && wholeValue(r, ix.closeOf(b.valueFrom) + 1, b.valueTo)) {
    body = b.valueFrom;
    if (mutated(r, b)) return null;
  } else if ((b.kind === B_CONST || b.kind === B_LET) && b.valueFrom >= 0 && b.ofFrom < 0 && isConstruction(r, b.valueFrom, b.valueTo)) {
    // `const cfg = new Cfg(…)`, `cfg.name(…)`: a method of the class it was made by (its own, not an inherited one).
    const cls = find(r, ix.word(b.valueFrom + 1), b.valueFrom + 1);
    if (!cls || !isClass(r, cls) || assigned(r, cls) || (b.kind === B_LET && assigned(r, b)) || mutated(r, b)) return null;
    body = classBodyAt(r, cls);
    if (!isOpen(buf, body, CH_LBRACE)) return null;
  } else return null;
  if (fieldWrites(r, name).length > 0) return null;
  const end = ix.closeOf(body);
  let found: JsFunction | null = null;
  const uses = ix.occurrences(name);
  for (let i = lowerBound(uses, uses.length, body + 1); i < uses.length && uses[i]! < end; i++) {
    const k = uses[i]!;
    work.n++;
    if (ix.parent[k] !== body) continue;
    let m = k - 1;
    while (buf.kind[m] === IDENT && (MODIFIERS.test(ix.word(m)) || tokenIs(text, buf, m, 'async')) && !tokenIs(text, buf, m, 'static')) m--;
    if (ofClass !== tokenIs(text, buf, m, 'static')) continue;
    let fn: JsFunction | undefined;
    if (isOpen(buf, k + 1, CH_LPAREN)) fn = ix.functions.get(k + 1);
    else if (!ofClass && isOp(buf, k + 1, OP_COLON)) {
      let v = k + 2;
      if (tokenIs(text, buf, v, 'async')) v++;
      if (tokenIs(text, buf, v, 'function')) fn = ix.functions.get(v);
      else {
        for (let t = v; t < end && !isOp(buf, t, OP_COMMA); t = skipGroup(buf, t, end)) {
          if (isOp(buf, t, OP_ARROW)) {
            fn = ix.functions.get(t);
            break;
          }
        }
      }
    }
    if (fn === undefined) continue;
    if (found !== null) return null;
    found = fn;
  }
  return found;
}

/**
 * The method `this.name(…)` calls in a class of the file: the class's own (not static), when no
 * subclass of the file declares that name again and nothing assigns `.name`; null otherwise (an
 * inherited method, an override: which runs is not known here).
 */
function thisMethod(r: JsNames, thisTok: number, name: string): JsFunction | null {
  const { ix } = r;
  const { buf, text } = ix;
  const body = classBodyAround(ix, thisTok, true);
  if (body < 0 || fieldWrites(r, name).length > 0) return null;
  const family = descendants(r, body);
  if (family === null) return null;
  for (const c of family) if (c !== body && (hasMethod(r, c, name) || instanceInitializer(r, c, name) !== -1)) return null;
  const uses = ix.occurrences(name);
  const end = ix.closeOf(body);
  let found: JsFunction | null = null;
  for (let i = lowerBound(uses, uses.length, body + 1); i < uses.length && uses[i]! < end; i++) {
    const k = uses[i]!;
    work.n++;
    if (ix.parent[k] !== body || !isOpen(buf, k + 1, CH_LPAREN)) continue;
    let m = k - 1;
    while (buf.kind[m] === IDENT && (MODIFIERS.test(ix.word(m)) || tokenIs(text, buf, m, 'async'))) m--;
    // A static method, a getter or a setter is not what `this.name(…)` calls.
    if (tokenIs(text, buf, k - 1, 'static') || tokenIs(text, buf, k - 1, 'get') || tokenIs(text, buf, k - 1, 'set') || tokenIs(text, buf, m + 1, 'static')) return null;
    const fn = ix.functions.get(k + 1);
    if (fn === undefined || found !== null) return null;
    found = fn;
  }
  return found;
}

/**
 * The calls in the file of `fn` when it is a method (`name(…) {…}`, not a constructor, a getter or a
 * setter) of a class or of an object a `const` holds: each `this.name(…)` that calls it (thisMethod)
 * and each `Holder.name(…)` (a static method, an object's: memberFunction). Other callers may pass
 * other arguments (`outside`) when the holder is exported or used other than constructed, extended,
 * as a type or through a member, or `.name` is reached some other way (another object, a subclass,
 * `super`). The token of `.name` used other than called (passed on: its arguments are not known).
 */
export function methodCalls(r: JsNames, fn: JsFunction): MethodCalls | number {
  const { ix } = r;
  const { buf, text } = ix;
  const nameTok = fn.at - 1;
  const body = ix.parent[fn.at]!;
  const none = { sites: [], outside: true };
  if (buf.kind[nameTok] !== IDENT || body < 0 || ix.parent[nameTok] !== body || !isOpen(buf, body, CH_LBRACE)) return none;
  if (tokenIs(text, buf, nameTok, 'constructor')) return constructions(r, body);
  const holder = classBodyAround(ix, fn.at, true) === body ? classNameOf(ix, body) : isOp(buf, body - 1, OP_ASSIGN) && buf.kind[body - 2] === IDENT ? body - 2 : -1;
  if (holder < 0 || tokenIs(text, buf, nameTok - 1, 'get') || tokenIs(text, buf, nameTok - 1, 'set')) return none;
  let outside = tokenIs(text, buf, holder - 2, 'export') || tokenIs(text, buf, holder - 2, 'default');
  for (const k of ix.occurrences(ix.word(holder))) {
    work.n++;
    if (k !== holder && !ix.isDot(k + 1) && !tokenIs(text, buf, k - 1, 'new') && !tokenIs(text, buf, k - 1, 'extends') && !typeUse(ix, k)) outside = true;
  }
  const name = ix.word(nameTok);
  const sites: number[] = [];
  for (const k of memberUses(r, name)) {
    work.n++;
    const recv = k - 2;
    const self = tokenIs(text, buf, recv, 'this');
    const calls = buf.kind[recv] === IDENT && !ix.isDot(recv - 1) && (self ? thisMethod(r, recv, name) : r.methodOf(recv, k)) === fn;
    if (!calls) {
      outside = true;
      continue;
    }
    const open = isOp(buf, k + 1, OP_OPTDOT) ? k + 2 : k + 1;
    if (!isOpen(buf, open, CH_LPAREN)) return k;
    sites.push(open);
  }
  return { sites, outside: outside || sites.length === 0 };
}

/**
 * The calls of the constructor of the class whose body is at `body` (`class Cls {`): each `new
 * Cls(…)` of the file, so that a parameter takes every construction's argument, or its default where
 * one passes none, and each `super(…)` of a subclass's constructor. Other callers may pass others
 * (`outside`) when the class is exported, extended by a class whose constructor the file does not
 * show calling super(…), or used as a value otherwise (passed on, held by another name, `new Cls`
 * without arguments): the read is open, the names the file shows checked.
 */
function constructions(r: JsNames, body: number): MethodCalls | number {
  const { ix } = r;
  const { buf, text } = ix;
  const cls = classNameOf(ix, body);
  if (buf.kind[cls] !== IDENT || !tokenIs(text, buf, cls - 1, 'class')) return { sites: [], outside: true };
  let outside = tokenIs(text, buf, cls - 2, 'export') || tokenIs(text, buf, cls - 2, 'default');
  const sites: number[] = [];
  for (const k of ix.occurrences(ix.word(cls))) {
    work.n++;
    if (k === cls || typeUse(ix, k) || ix.isDot(k - 1) || ix.isDot(k + 1) || tokenIs(text, buf, k - 1, 'instanceof')) continue;
    if (tokenIs(text, buf, k - 1, 'new') && isOpen(buf, k + 1, CH_LPAREN)) sites.push(k + 1);
    else if (!(tokenIs(text, buf, k - 1, 'extends') && superCalls(r, k + 1, sites))) outside = true;
  }
  return { sites, outside: outside || sites.length === 0 };
}

/**
 * The `super(…)` calls of the constructor of the subclass whose body is at `body` (`class Sub extends
 * Cls {`), added to `sites`; false when there is none to see (no constructor: the subclass's own
 * constructions pass their arguments on; or one that calls no super(…) the file shows).
 */
function superCalls(r: JsNames, body: number, sites: number[]): boolean {
  const { ix } = r;
  const { buf, text } = ix;
  if (!isOpen(buf, body, CH_LBRACE)) return false;
  const ctor = constructorOf(ix, body);
  if (ctor === null || !isOpen(buf, ctor.block, CH_LBRACE)) return false;
  const uses = ix.occurrences('super');
  const end = ix.closeOf(ctor.block);
  const before = sites.length;
  for (let i = lowerBound(uses, uses.length, ctor.block); i < uses.length && uses[i]! < end; i++) {
    work.n++;
    if (isOpen(buf, uses[i]! + 1, CH_LPAREN) && tokenIs(text, buf, uses[i]!, 'super')) sites.push(uses[i]! + 1);
  }
  return sites.length > before;
}

/** The tokens of each `.X` of a document (`x.X`, `x?.X`), by X: made in one pass on first use. */
const members = new WeakMap<JsNames, Map<string, number[]>>();

function memberUses(r: JsNames, name: string): readonly number[] {
  let byName = members.get(r);
  if (byName === undefined) {
    const { ix } = r;
    work.n += ix.count >> 4;
    byName = new Map();
    for (let k = 2; k < ix.count; k++) {
      if (ix.buf.kind[k] !== IDENT || !ix.isDot(k - 1)) continue;
      const w = ix.word(k);
      const list = byName.get(w);
      if (list) list.push(k);
      else byName.set(w, [k]);
    }
    members.set(r, byName);
  }
  return byName.get(name) ?? [];
}

/** Whether nothing but a TypeScript `as …` / `satisfies …` follows an object literal from `after` to the value's end `to`. */
function wholeValue(r: JsNames, after: number, to: number): boolean {
  const { text, buf } = r.ix;
  return after === to || (after < to && (tokenIs(text, buf, after, 'as') || tokenIs(text, buf, after, 'satisfies')));
}

/** Whether `b` is a class declaration's name. */
function isClass(r: JsNames, b: JsBinding): boolean {
  return b.kind === B_OTHER && tokenIs(r.ix.text, r.ix.buf, b.tok - 1, 'class') && !r.ix.isDot(b.tok - 2);
}

/** `Cls.X` of the class `cls` (no `extends`): its own `static X = …`, which nothing in the file assigns. */
function staticField(r: JsNames, cls: JsBinding, name: string, from: number, to: number): Alternative[] {
  const value = staticValue(r, cls, name);
  if (value < 0) return fail(r, from, to);
  return declaredValue(r, value);
}

/** The first token of the value of `static name = …` of class `cls` (no `extends`), which nothing in the file assigns; -1 otherwise. */
function staticValue(r: JsNames, cls: JsBinding, name: string): number {
  const { ix } = r;
  const { buf, text } = ix;
  const body = cls.tok + 1;
  if (!isOpen(buf, body, CH_LBRACE) || assigned(r, cls) || mutated(r, cls) || fieldWrites(r, name).length > 0) return -1;
  let value = -1;
  // Only the name's occurrences in the class's body (the list is in token order): a name every class of a file declares is not walked whole for each.
  const uses = ix.occurrences(name);
  const end = ix.closeOf(body);
  for (let i = lowerBound(uses, uses.length, body + 1); i < uses.length && uses[i]! < end; i++) {
    const k = uses[i]!;
    work.n++;
    if (ix.parent[k] !== body) continue;
    let m = k - 1;
    while (buf.kind[m] === IDENT && MODIFIERS.test(ix.word(m)) && !tokenIs(text, buf, m, 'static')) m--;
    if (!tokenIs(text, buf, m, 'static') || value >= 0) return -1;
    let eq = k + 1;
    if (isOp(buf, eq, OP_COLON)) while (eq < ix.count && ix.parent[eq] === body && !isOp(buf, eq, OP_ASSIGN) && !isOp(buf, eq, OP_SEMI) && eq - k < 64) eq++;
    if (!isOp(buf, eq, OP_ASSIGN)) return -1;
    value = eq + 1;
  }
  return value;
}

/** The value starting at `from` of a field's declaration, read where it is written: it sees no call's arguments. */
function declaredValue(r: JsNames, from: number): Alternative[] {
  const saved = r.frame;
  r.frame = null;
  try {
    return evalExpr(r, from, r.ix.exprEnd(from));
  } finally {
    r.frame = saved;
  }
}

/** A class member's modifiers (before its name). */
const MODIFIERS = /^(static|public|private|protected|readonly|declare|override)$/;

/** The writes of `.name` in the document (JsIndex.propertyWrites), its one pass charged to the read that makes it. */
function fieldWrites(r: JsNames, name: string): readonly number[] {
  if (!r.ix.propertyWritesIndexed) work.n += r.ix.count >> 4;
  return r.ix.propertyWrites(name);
}

/**
 * The field `name` of the class at `body`; `site`: the `(` of the construction whose arguments it
 * takes (-1: every construction's); `writes`: the writes of `.X` its constructor makes, when the
 * caller has placed the file's (by default every write must be there).
 */
function field(r: JsNames, body: number, name: string, thisTok: number, to: number, site = -1, writes?: readonly number[]): Alternative[] {
  const { ix } = r;
  const { buf, text } = ix;
  const made = constructorOf(ix, body);
  if (made !== null && !isOpen(buf, made.block, CH_LBRACE)) return fail(r, thisTok, to);
  const params = made === null ? -1 : made.params;
  const ctor = made === null ? -1 : made.block;
  // Every write of `.X` in the file: only `this.X = …` at the top level of the constructor's body.
  let last = -1;
  for (const k of writes ?? fieldWrites(r, name)) {
    if (ctor < 0 || !isOp(buf, k + 1, OP_ASSIGN) || !tokenIs(text, buf, k - 2, 'this') || ix.parent[k - 2] !== ctor) return fail(r, thisTok, to);
    last = k;
  }
  if (last < 0) {
    // A field declared with its value (`secretName = 'crm_api';`), which the constructor leaves: read
    // where it is declared, as a static one is (it sees no constructor parameter).
    const init = instanceInitializer(r, body, name);
    if (init === -2) return fail(r, thisTok, to);
    if (init >= 0) return declaredValue(r, init);
    if (ctor < 0) return fail(r, thisTok, to);
    // TypeScript's parameter property: `constructor(private readonly name: string) {}` sets `this.name`.
    const position = parameterPosition(r, params, name, true);
    if (position < 0) return fail(r, thisTok, to);
    if (site < 0) return constructorParameter(r, params, name, thisTok, to);
    const arg = splitArgs(r, site)?.[position];
    return arg ? evalExpr(r, arg[0], arg[1]) : fail(r, thisTok, to);
  }
  const from = last + 2;
  const valueTo = ix.exprEnd(from);
  // One construction's: its arguments are the constructor's parameters while the value is read.
  if (site >= 0) return inConstruction(r, params, site, thisTok, to, () => evalExpr(r, from, valueTo));
  // A constructor parameter is read as any parameter is: the argument of every `new Cls(…)`, or its default.
  return evalExpr(r, from, valueTo);
}

/**
 * The constructor's parameter `name` (its parameters' `(` at `params`), read for `this.name` at
 * [thisTok, to): the argument of every `new Cls(…)` of the file, or its default where one passes none.
 */
function constructorParameter(r: JsNames, params: number, name: string, thisTok: number, to: number): Alternative[] {
  const b = find(r, name, r.ix.closeOf(params));
  return b !== null && b.kind === B_PARAM && b.fn?.at === params ? parameterValue(r, b, thisTok) : fail(r, thisTok, to);
}

/**
 * The first token of the value of the instance field `name` declared in the class body at `body`
 * (`name = …`, `private readonly name: string = …`); -1 when none is declared with a value, -2 when
 * it is declared more than once (a getter or a method of that name is no field).
 */
function instanceInitializer(r: JsNames, body: number, name: string): number {
  const { ix } = r;
  const { buf, text } = ix;
  const uses = ix.occurrences(name);
  const end = ix.closeOf(body);
  let value = -1;
  for (let i = lowerBound(uses, uses.length, body + 1); i < uses.length && uses[i]! < end; i++) {
    const k = uses[i]!;
    work.n++;
    if (ix.parent[k] !== body || ix.isDot(k - 1)) continue;
    let m = k - 1;
    while (buf.kind[m] === IDENT && MODIFIERS.test(ix.word(m)) && !tokenIs(text, buf, m, 'static')) m--;
    if (tokenIs(text, buf, m, 'static')) continue;
    // A member starts after `{`, `;`, `}` or a line break (ASI); what follows the name says a field.
    let eq = k + 1;
    if (isOp(buf, eq, 33) || isOp(buf, eq, 63)) eq++; // `name!: T`, `name?: T`
    if (isOp(buf, eq, OP_COLON)) while (eq < end && ix.parent[eq] === body && !isOp(buf, eq, OP_ASSIGN) && !isOp(buf, eq, OP_SEMI) && eq - k < 64) eq++;
    if (isOpen(buf, k + 1, CH_LPAREN)) continue; // a method
    if (value !== -1) return -2;
    value = isOp(buf, eq, OP_ASSIGN) ? eq + 1 : -3;
  }
  return value === -3 ? -1 : value;
}

/** What `evaluate` gives while the constructor (its parameters at `params`) is called by the construction at `site`. */
function inConstruction(r: JsNames, params: number, site: number, from: number, to: number, evaluate: () => Alternative[]): Alternative[] {
  const { ix } = r;
  const args = splitArgs(r, site);
  // A spread argument (`new Session(...args)`): which parameter takes what is unknown.
  if (args === null) return fail(r, from, to);
  let fn: JsFunction | null = null;
  for (let k = params + 1; k < ix.closeOf(params) && fn === null; k++) {
    if (ix.parent[k] !== params || ix.buf.kind[k] !== IDENT) continue;
    const b = find(r, ix.word(k), k);
    if (b && b.kind === B_PARAM && b.tok === k && b.fn?.at === params) fn = b.fn;
  }
  if (fn === null) return evaluate();
  const saved = r.frame;
  r.frame = { fn, args, caller: saved };
  try {
    return evaluate();
  } finally {
    r.frame = saved;
  }
}

/**
 * The place of the plain parameter `name` (`name`, `name: T`, `readonly name: T`) in the group at
 * `open`, or -1; with `property`, only one declared with a modifier (a parameter property).
 */
function parameterPosition(r: JsNames, open: number, name: string, property = false): number {
  const { ix } = r;
  const { buf, text } = ix;
  const close = ix.closeOf(open);
  let position = 0;
  let atStart = true;
  let modified = false;
  for (let k = open + 1; k < close; k++) {
    if (ix.parent[k] !== open) continue;
    if (isOp(buf, k, OP_COMMA)) {
      position++;
      atStart = true;
      modified = false;
      continue;
    }
    if (atStart && buf.kind[k] === IDENT && /^(public|private|protected|readonly|override)$/.test(ix.word(k)) && buf.kind[k + 1] === IDENT) {
      modified = true;
      continue;
    }
    if (atStart && (modified || !property) && tokenIs(text, buf, k, name) && (k + 1 === close || isOp(buf, k + 1, OP_COMMA) || isOp(buf, k + 1, OP_COLON))) return position;
    atStart = false;
  }
  return -1;
}
