// Expressions for the name-set resolver: what the argument of a secret read can evaluate to.
// String literals (implicit concatenation, f-strings without placeholders), `a + b`, parentheses,
// `x if c else y`, `a or b`, tables of literals (`T[k]`, `T.get(k, d)`), names (their reaching
// definitions, module constants, class attributes, parameters, imports), calls of the module's own
// functions (their returns, with the call's arguments bound), `str(x)` and `x.lower()`-style
// methods. Anything else throws Unresolved naming the part.

import { environmentValues, join, joinedBy, renamed, stringMethod } from '../evaluate/combine';
import { noEnvironment, intersect, negate, withConds, pathWith } from '../evaluate/envSet';
import { charge, tick, spanOf, unresolved, work, Unresolved } from '../evaluate/evaluation';
import { type Cond, NO_CONDS, type Alternative } from '../evaluate/values';
import { decodePython } from '../scan/literals';
import { SK_RETURN } from './keyFlow';
import { LONG_WALK, longWalk, outOfSteps, parens, stringValue, hasWord, splitWord, testCond } from './nameSetsEnv';
import {
  attributeWritten,
  bindingsOf,
  boundInScope,
  enclosingScope,
  identsOf,
  isClassScope,
  nameKey,
  reaching,
  scopeFrom,
  scopeOpenedBy,
  scopeStatements,
  scopeTo,
  statementEnd,
  statementOf,
} from './nameSetsFlow';
import { argumentFor, boundMethod, callArguments, classAround, classNamed, type Construction, constructionAt, constructionFrame, constructionOf, frameFor, madeFrame, namedTupleField, parametersOf } from './nameSetsCalls';
import { nameAt } from './nameSetsIndex';
import { initialised } from './nameSetsInit';
import { constructed, instanceAttribute, selfAttribute } from './nameSetsFamily';
import { dataclassFields, isDataclass, isEnum, isProperty } from './nameSetsScopes';
import { formatted, plainString } from './nameSetsFormat';
import { type At, DEF_AUG, DEF_EXPR, DEF_FOR, DEF_FUNCTION, DEF_IMPORT, DEF_PARAM, DEF_UNPACK, type Def, type Frame, MAX_DEPTH, MAX_PATHS, type Resolver } from './nameSetsTypes';
import { skipGroup } from '../scan/calls';
import { definitionsAt, enumLoopValues, literalIndex, loopValues, partValues } from './nameSetsIter';
import { guardedLoopValues, heldNext, madeValues, rowInstances, rowKeyValues } from './nameSetsRows';
import { imported, importedCall, importedModule, moduleAttribute, starImported } from './nameSetsImports';
import { commaParts } from './nameSetsTargets';
import { index, indexAttribute, literalTable } from './nameSetsTables';
import { statements as S } from './pythonRefsState';
import {
  CLOSE,
  IDENT,
  NUMBER,
  OP,
  OP_CMP,
  OP_COLON,
  OP_COMMA,
  OP_DOT,
  OP_ASSIGN,
  STRING,
  TPL_HEAD,
  TPL_MID,
  PREFIX_SHIFT,
  S_CLOSED,
  S_TRIPLE,
  CH_LBRACE,
  CH_LBRACKET,
  CH_LPAREN,
  isOp,
  isOpen,
  tokenIs,
} from '../scan/tokens';

function cap(r: Resolver, paths: Alternative[], s: number, e: number): Alternative[] {
  if (paths.length > MAX_PATHS) unresolved(r, s, e);
  return paths;
}

/** The values expression [s, e) may take where `at` says it is evaluated. */
export function expr(r: Resolver, s0: number, e0: number, at: At): Alternative[] {
  tick(r, s0, e0);
  if (r.depth >= MAX_DEPTH) unresolved(r, s0, e0);
  // The depth is put back on the way out, not on a throw: every catch that goes on after an
  // Unresolved puts back the depth it had (classNamed, call, envAlias; readCond and match in
  // nameSetsFlow.ts, pick in nameSetsTables.ts). A `finally` here would have every throw caught and
  // thrown again at each level of the expression, several times the cost of the throw itself.
  r.depth++;
  const out = cap(r, expression(r, s0, e0, at), s0, e0);
  r.depth--;
  return out;
}

function expression(r: Resolver, s0: number, e0: number, at: At): Alternative[] {
  const { text, buf } = r.scan;
  const wrap = parens(r, s0, e0);
  const s = s0 + wrap;
  const e = e0 - wrap;
  if (e <= s) unresolved(r, s0, e0);
  // Conditional expression: the first top-level `if` (its `else` follows).
  // The walks below over the expression's top-level tokens are charged, one step a token (at the
  // next step; at once when they are more than the read has left): an expression as long as the
  // file costs its length at each read of it.
  let ifTok = -1;
  let lambda = false;
  let walked = 0;
  for (let t = s; t < e; t = skipGroup(buf, t, e)) {
    if (++walked > LONG_WALK) {
      // A long one is walked once per document.
      const long = longWalk(r, s, e);
      walked = long.walked;
      lambda = long.lambda;
      ifTok = long.ifTok;
      break;
    }
    if (buf.kind[t] !== IDENT) continue;
    if (tokenIs(text, buf, t, 'lambda')) {
      lambda = true;
      break;
    }
    if (t > s && tokenIs(text, buf, t, 'if')) {
      ifTok = t;
      break;
    }
  }
  if (walked > r.steps) throw outOfSteps(r, s0, e0);
  if (lambda) unresolved(r, s, e);
  if (ifTok >= 0) {
    let elseTok = -1;
    let nested = 0;
    for (let t = ifTok + 1; t < e; t = skipGroup(buf, t, e)) {
      if (tokenIs(text, buf, t, 'if')) nested++;
      else if (tokenIs(text, buf, t, 'else')) {
        if (nested === 0) {
          elseTok = t;
          break;
        }
        nested--;
      }
    }
    if (elseTok < 0) unresolved(r, s, e);
    const around = parens(r, ifTok + 1, elseTok);
    const c = testCond(r, ifTok + 1 + around, elseTok - around, at);
    const out: Alternative[] = [];
    const holds = [c];
    for (const p of expr(r, s, ifTok, at)) out.push(withConds(p, holds));
    const no = expr(r, elseTok + 1, e, at);
    // Negated after the branch is read: reading it may add environments the complement takes.
    const fails = no.length > 0 ? [negate(r, c)] : NO_CONDS;
    for (const p of no) out.push(withConds(p, fails));
    return live(out);
  }
  if (hasWord(r, s, e, 'or')) return orChain(r, splitWord(r, s, e, 'or'), 0, at);
  if (hasWord(r, s, e, 'and') || tokenIs(text, buf, s, 'not')) unresolved(r, s, e);
  // Concatenation: top-level binary `+`.
  const parts: Array<[number, number]> = [];
  let part = s;
  let percent = -1;
  for (let t = s; t < e; t = skipGroup(buf, t, e)) {
    if (++walked > r.steps) throw outOfSteps(r, s0, e0);
    const kind = buf.kind[t];
    if (kind === OP && buf.aux[t] === CH_PERCENT && t > s) percent = percent < 0 ? t : e; // a second: not followed
    if (kind === OP && buf.aux[t] === OP_CMP) unresolved(r, s, e);
    if (kind === IDENT && (tokenIs(text, buf, t, 'in') || tokenIs(text, buf, t, 'is'))) unresolved(r, s, e);
    if (kind === OP && buf.aux[t] === 43 && t > part) {
      parts.push([part, t]);
      part = t + 1;
    }
  }
  work.n += walked;
  if (parts.length === 0 && percent >= 0) return printf(r, s, percent, e, at);
  if (parts.length === 0) return primary(r, s, e, at);
  parts.push([part, e]);
  return join(r, parts.map(([a, b]) => expr(r, a, b, at)), s, e);
}

/**
 * `%` of the operand [s, op) by [op + 1, e): a template of `%s` fields filled with one value or a
 * tuple's, or of `%(key)s` fields filled from a dict literal (`"%(env)s_key" % {"env": env}`).
 */
function printf(r: Resolver, s: number, op: number, e: number, at: At): Alternative[] {
  if (op >= e) unresolved(r, s, e);
  if (isOpen(r.scan.buf, op + 1, CH_LBRACE) && r.scan.buf.match[op + 1] === e - 1) {
    const table = literalTable(r, op + 1, e);
    if (!table.dict) unresolved(r, s, e);
    // A key written twice holds its last value, as Python's dict display does.
    const keywords = new Map(table.entries.map((x) => [x.key, x.value]));
    return formatted(r, expr(r, s, op, at), { positional: [], keywords }, true, s, e, at);
  }
  const inner = parens(r, op + 1, e);
  const tuple = inner === 0 && isOpen(r.scan.buf, op + 1, CH_LPAREN) && r.scan.buf.match[op + 1] === e - 1;
  const positional = tuple ? commaParts(r, op + 2, e - 1) : [[op + 1, e] as [number, number]];
  return formatted(r, expr(r, s, op, at), { positional, keywords: new Map() }, true, s, e, at);
}

/** A loop variable that is each element itself. */
const NO_UNPACK: readonly number[] = [];

/** Whether [s, e) is `iter(X)`. */
function isIter(r: Resolver, s: number, e: number): boolean {
  const { buf } = r.scan;
  return e > s + 3 && isOpen(buf, s + 1, CH_LPAREN) && buf.match[s + 1] === e - 1 && tokenIs(r.scan.text, buf, s, 'iter') && !isOp(buf, s - 1, OP_DOT);
}

/** Whether [s, e) has a comma outside any brackets (a tuple, not a parenthesised value). */
function hasComma(r: Resolver, s: number, e: number): boolean {
  for (let t = s; t < e; t = skipGroup(r.scan.buf, t, e)) if (isOp(r.scan.buf, t, OP_COMMA)) return true;
  return false;
}

/** `%`, as a one-character operator token holds it. */
const CH_PERCENT = 37;

/** Drops paths no environment takes. */
function live(paths: Alternative[]): Alternative[] {
  // Most have none to drop: the list itself, without a copy.
  for (const p of paths) if (p.env !== null && noEnvironment(p.env)) return paths.filter((q) => q.env === null || !noEnvironment(q.env));
  return paths;
}

function orChain(r: Resolver, parts: Array<[number, number]>, i: number, at: At): Alternative[] {
  const paths = expr(r, parts[i]![0], parts[i]![1], at);
  if (i === parts.length - 1) return paths;
  const out = paths.filter((p) => p.name !== null && p.name !== '');
  const falsy = paths.filter((p) => p.name === null || p.name === '');
  if (falsy.length > 0) {
    const rest = orChain(r, parts, i + 1, at);
    for (const f of falsy) {
      for (const q of rest) {
        const p = withConds(q, f.when);
        out.push(pathWith(p, p.when, intersect(f.env, p.env)));
      }
    }
  }
  return live(out);
}

/** A literal, a name, an attribute, a subscript, a call. */
function primary(r: Resolver, s: number, e: number, at: At): Alternative[] {
  const { text, buf } = r.scan;
  const first = buf.kind[s];
  if (first === STRING) {
    let allStrings = true;
    for (let t = s; t < e && allStrings; t++) if (buf.kind[t] !== STRING) allStrings = false;
    if (allStrings) {
      const value = stringValue(r, s, e);
      if (value === null) unresolved(r, s, e);
      return [{ name: value, literal: spanOf(r, s, e), when: NO_CONDS, env: null }];
    }
  }
  if (first === TPL_HEAD) return fstring(r, s, e, at);
  // `await name_for(conv)`: what the coroutine returns (its `return`s, as a plain function's).
  if (e > s + 1 && first === IDENT && tokenIs(text, buf, s, 'await') && buf.kind[s + 1] !== OP) return expr(r, s + 1, e, at);
  if (e === s + 1 && first === IDENT) {
    if (tokenIs(text, buf, s, 'None')) return [{ name: null, literal: null, when: NO_CONDS, env: null }];
    const defs = lookup(r, s, at);
    // A loop's variable read where a test compares another part of its row with the environment.
    const guarded = defs.length === 1 && defs[0]!.kind === DEF_FOR ? guardedLoopValues(r, s, at, defs[0]!, NO_UNPACK) : null;
    return guarded !== null ? live(guarded) : defsPaths(r, defs, nameAt(r, s), at.frame);
  }
  const last = e - 1;
  if (buf.kind[last] === CLOSE) {
    const open = buf.match[last]!;
    if (open <= s) unresolved(r, s, e);
    if (isOpen(buf, open, CH_LPAREN)) return call(r, s, open, last, at);
    if (isOpen(buf, open, CH_LBRACKET)) return rowPart(r, s, open, last, at) ?? rowKey(r, s, open, open + 1, last, at, false, null, e) ?? index(r, s, open, open + 1, last, at, false, -1, -1, e);
    unresolved(r, s, e);
  }
  // An attribute: `conv.env` (each environment), `self.X`, `cls.X`, `Cls.X`. As a value, only the
  // conversation's (`conv`, `conversation`): another object's `env` (`settings.env`) would make
  // names nobody wrote; as a test, any `X.env` labels a branch (nameSetsEnv.ts).
  if (e === s + 3 && first === IDENT && isOp(buf, s + 1, OP_DOT) && buf.kind[s + 2] === IDENT) {
    if (tokenIs(text, buf, s + 2, 'env') && !isOp(buf, s - 1, OP_DOT) && (tokenIs(text, buf, s, 'conv') || tokenIs(text, buf, s, 'conversation'))) return environmentValues(r, s, e);
    // `s.value` of a loop over an Enum class of the module: each member's value.
    const members = tokenIs(text, buf, s + 2, 'value') ? enumLoopValues(r, s, at) : null;
    if (members !== null) return members;
    // `config.CRM_KEY` of a module of the project imported whole (`from . import config`, `import functions.config as config`).
    const module = r.imports === undefined ? null : importedModule(r, s, at);
    if (module !== null) return moduleAttribute(r, module, s);
    const instances = rowInstances(r, s, at);
    if (instances !== null) return live(instances);
    const defs = attribute(r, s, at);
    return defsPaths(r, defs, nameAt(r, s + 2), constructionFrame(r, s, defs, at) ?? at.frame);
  }
  // `Settings().api_key_secret`, `SETTINGS[conv.env].secret`: the attribute of an object made there, as of one a name holds.
  if (e >= s + 5 && first === IDENT && buf.kind[last] === IDENT && isOp(buf, e - 2, OP_DOT) && buf.kind[e - 3] === CLOSE && buf.match[e - 3]! > s) {
    const made = inPlace(r, s, e, at);
    if (made !== null) return made;
  }
  // `self.conv.env`: the conversation an instance keeps, as a value.
  if (e === s + 5 && tokenIs(text, buf, s, 'self') && isOp(buf, s + 1, OP_DOT) && (tokenIs(text, buf, s + 2, 'conv') || tokenIs(text, buf, s + 2, 'conversation')) && isOp(buf, s + 3, OP_DOT) && tokenIs(text, buf, s + 4, 'env') && !isOp(buf, s - 1, OP_DOT)) return environmentValues(r, s, e);
  // `Names.CRM.value` of an Enum class of the module: the member's value, which `Names.CRM` is written as.
  if (e === s + 5 && first === IDENT && isOp(buf, s + 1, OP_DOT) && buf.kind[s + 2] === IDENT && isOp(buf, s + 3, OP_DOT) && tokenIs(text, buf, s + 4, 'value') && isEnum(r, classNamed(r, s, at))) {
    return defsPaths(r, attribute(r, s, at), nameAt(r, s + 2), at.frame);
  }
  unresolved(r, s, e);
}


/** The attribute read off an object made in place ([s, e): `Cls(…).name`, `settings_for(conv).name`, `T[key].name`); null when none is an object of a class of the module. */
function inPlace(r: Resolver, s: number, e: number, at: At): Alternative[] | null {
  const open = r.scan.buf.match[e - 3]!;
  const name = nameAt(r, e - 1);
  try {
    let values: Alternative[] | null = null;
    // (`settings_for(conv).secret`: what the module's function returns; a table's: what its entries picked by the key make.)
    const called = open === s + 1 || (open === s + 3 && isOp(r.scan.buf, s + 1, OP_DOT)); // `Cls(…)`, `Cls.for_env(…)`
    if (called && isOpen(r.scan.buf, open, CH_LPAREN)) values = madeAttribute(r, s, e - 2, name, e - 3, at) ?? madeValues(r, s, e - 2, name, e - 3, at, at);
    else if (isOpen(r.scan.buf, open, CH_LBRACKET)) values = indexAttribute(r, s, open, e - 3, at, name, e);
    return values === null ? null : live(values);
  } catch (err) {
    // What does not resolve is the whole read, not its last tokens (madeAttribute quotes `).name`).
    if (!(err instanceof Unresolved) || err.tooLarge) throw err;
    unresolved(r, s, e);
  }
}

/**
 * `row[1]` of a loop variable (`for row in ROWS`): part 1 of each row, as `for _, part in ROWS`
 * would take it; null when [s, last] is no such read (a table's subscript, index.ts's).
 */
function rowPart(r: Resolver, s: number, open: number, last: number, at: At): Alternative[] | null {
  const { buf } = r.scan;
  const index = open === s + 1 && buf.kind[s] === IDENT ? literalIndex(r, open, last) : null;
  if (index === null || index < 0) return null;
  const defs = lookup(r, s, at);
  if (defs.length === 0 || defs.some((d) => d.kind !== DEF_FOR)) return null;
  const guarded = defs.length === 1 ? guardedLoopValues(r, s, at, defs[0]!, [index]) : null;
  if (guarded !== null) return live(guarded);
  const out: Alternative[] = [];
  for (const d of defs) {
    const dAt: At = { scope: d.scope, stmt: d.stmt, frame: frameFor(at.frame, d.scope) };
    for (const p of loopValues(r, d.start, d.end, [...(d.unpack ?? []), index], dAt)) out.push(withConds(p, d.conds));
    if (out.length > MAX_PATHS) unresolved(r, s, last + 1);
  }
  return live(out);
}

/**
 * `p["secret"]` / `p.get("secret", d)` where `p` is a loop's variable, a parameter or an unpacked
 * part holding dicts (nameSetsIter.ts's rowKeyValues): tokens [s, base) are `p`, [ks, ke) the key,
 * `missing` `.get`'s default. Null when `p` is bound otherwise or the key is no string: a table's
 * look-up (index's, which also reads a key chosen by the environment).
 */
function rowKey(r: Resolver, s: number, base: number, ks: number, ke: number, at: At, get: boolean, missing: readonly [number, number] | null, end: number): Alternative[] | null {
  const { buf } = r.scan;
  if (base !== s + 1 || buf.kind[s] !== IDENT) return null;
  const key = stringValue(r, ks, ke);
  if (key === null) return null;
  const defs = lookup(r, s, at);
  if (defs.length === 0 || defs.some((d) => d.kind !== DEF_FOR && d.kind !== DEF_PARAM && d.kind !== DEF_UNPACK && !heldNext(r, d))) return null;
  return live(rowKeyValues(r, s, key, at, get, missing, end));
}

/** An f-string with placeholders: its text pieces and each placeholder's values, concatenated. */
function fstring(r: Resolver, s: number, e: number, at: At): Alternative[] {
  const { text, buf } = r.scan;
  const tail = buf.match[s]!;
  if (tail !== e - 1 || !(buf.aux[tail]! & S_CLOSED)) unresolved(r, s, e);
  const flags = buf.aux[s]!;
  const quote = flags & S_TRIPLE ? 3 : 1;
  const whole = spanOf(r, s, e);
  const piece = (from: number, to: number): Alternative[] => [{ name: decodePython(text, from, Math.max(from, to), flags), literal: whole, when: NO_CONDS, env: null }];
  const pieces = [piece(buf.start[s]! + ((flags >> PREFIX_SHIFT) & 3) + quote, buf.end[s]! - 1)];
  let part = s + 1;
  for (let t = s + 1; t <= tail; ) {
    const kind = buf.kind[t];
    if (kind === TPL_MID || t === tail) {
      // A conversion (`!r`), a format spec (`:>3`) or a self-documenting `=` changes the text.
      for (let k = part; k < t; k = skipGroup(buf, k, t)) {
        if (isOp(buf, k, OP_COLON) || text.charCodeAt(buf.start[k]!) === 33 || (k === t - 1 && isOp(buf, k, OP_ASSIGN))) unresolved(r, part, t);
      }
      // A conversion or format spec is not a token: text between the expression and the `}`.
      if (t > part && text.slice(buf.end[t - 1]!, buf.start[t]!).trim() !== '') unresolved(r, part, t);
      pieces.push(expr(r, part, t, at));
      pieces.push(t === tail ? piece(buf.start[t]! + 1, buf.end[t]! - quote) : piece(buf.start[t]! + 1, buf.end[t]! - 1));
      part = t + 1;
      t++;
      continue;
    }
    t = skipGroup(buf, t, tail);
  }
  return join(r, pieces, s, e);
}

/** The definitions of the name at token `t` that reach where `at` is (definitionsAt), or those a star import gives it. */
export function lookup(r: Resolver, t: number, at: At): Def[] {
  const defs = definitionsAt(r, t, at);
  if (defs !== undefined) {
    if (defs === null || defs.length === 0) unresolved(r, t, t + 1);
    return defs;
  }
  // Bound by no statement: a module of the project imported with `*` may define it.
  const star = r.imports === undefined || r.scan.starScopes.size === 0 ? null : starImported(r, nameAt(r, t));
  if (star !== null) return [star];
  unresolved(r, t, t + 1);
}

/**
 * `self.X` / `cls.X` / `Cls.X` (tokens s, s+1, s+2): X's definitions in the class body; and `obj.X`
 * of a name bound once to a construction of a class of the module (`cfg = Config()`), as `self.X`.
 */
export function attribute(r: Resolver, s: number, at: At): Def[] {
  const { text, buf } = r.scan;
  const onSelf = tokenIs(text, buf, s, 'self') || tokenIs(text, buf, s, 'cls');
  let cls = onSelf ? classAround(r, at.scope) : classNamed(r, s, at);
  // The construction's class and arguments, when `obj` was made by one.
  let made: Construction | null = null;
  if (cls < 0 && !onSelf) {
    made = constructionOf(r, s, at);
    if (made !== null) cls = made.cls;
  }
  return classAttribute(r, cls, made, onSelf, nameAt(r, s + 2), s);
}

/**
 * `name`'s definitions in class `cls` (-1: none) read through `self` (`onSelf`), through an
 * instance made by `made`, or on the class; the read's tokens are s, s+1, s+2.
 */
function classAttribute(r: Resolver, cls: number, made: Construction | null, onSelf: boolean, name: string, s: number): Def[] {
  const onInstance = onSelf || made !== null;
  // Through the instance, the class or any subclass of the module may be what runs.
  if (onSelf && cls >= 0) return selfAttribute(r, cls, name, s);
  if (cls >= 0 && onInstance && !boundInScope(r, name, cls)) {
    const set = initialised(r, cls, name);
    if (set !== null) return set;
    // `c = Child()`, X given by a base of the module: what Child inherits.
    if (made !== null && made.close === made.open + 1) return instanceAttribute(r, cls, name, s);
  }
  // Given arguments, a class attribute may not be what the instance holds: a dataclass's field is
  // its keyword's argument, or its default when no argument names it; anything else is unknown.
  if (made !== null && made.close > made.open + 1) {
    if (attributeStored(r, name)) unresolved(r, s, s + 3);
    // A `@property` of the class (`cfg = Cfg(conv.env)`, `cfg.secret_name`): what it returns, its
    // `self.` reads followed as for any instance of the class; a method (`cfg.name(conv.env)`): the
    // function a call runs (read as a value, a method is no string: propertyValue says so).
    if (boundInScope(r, name, cls)) {
      const own = reaching(r, cls, name, -1).defs;
      if (own !== null && own.length > 0 && own.every((d) => d.kind === DEF_FUNCTION)) return own;
    }
    const args = callArguments(r, made.open, made.close);
    if (!isDataclass(r, cls)) unresolved(r, s, s + 3);
    // By position, the fields in the order the body writes them.
    const fields = args.positional.length > 0 ? dataclassFields(r, cls) : null;
    if (args.positional.length > 0 && (fields === null || args.positional.length > fields.length)) unresolved(r, s, s + 3);
    const place = fields === null ? -1 : fields.indexOf(name);
    const arg = place >= 0 && place < args.positional.length ? args.positional[place] : args.keywords.get(name);
    if (arg !== undefined) return [{ kind: DEF_EXPR, start: arg[0], end: arg[1], stmt: made.at.stmt, scope: made.at.scope, conds: NO_CONDS }];
  }
  if (cls < 0 || !boundInScope(r, name, cls) || attributeStored(r, name)) unresolved(r, s, s + 3);
  const fr = reaching(r, cls, name, -1);
  if (fr.defs === null || fr.defs.length === 0) unresolved(r, s, s + 3);
  return fr.defs;
}

/**
 * The attribute `name` of the object the construction [a, b) (evaluated where `made` says) makes,
 * read at tokens s..s+2 from `at` (where the read is: its frame); null when [a, b) is no
 * construction of a class of the module.
 */
export function madeAttribute(r: Resolver, a: number, b: number, name: string, s: number, madeAt: At, at: At = madeAt): Alternative[] | null {
  const made = constructionAt(r, a, b, madeAt);
  if (made === null) return namedTupleField(r, a, b, name, madeAt);
  const attr = classAttribute(r, made.cls, made, false, name, s);
  return defsPaths(r, attr, name, madeFrame(r, made, attr, at) ?? at.frame);
}

/** Whether `X.name = …` (or `+=`) is written anywhere in the file: the attribute changes at run time. */
function attributeStored(r: Resolver, name: string): boolean {
  return attributeWritten(r, name);
}

export function defsPaths(r: Resolver, defs: readonly Def[], name: string, frame: Frame | null): Alternative[] {
  const out: Alternative[] = [];
  for (const d of defs) {
    for (const p of defPaths(r, d, name, frame)) out.push(withConds(p, d.conds));
    if (out.length > MAX_PATHS) unresolved(r, d.start, d.end);
  }
  return live(out);
}

function defPaths(r: Resolver, d: Def, name: string, frame: Frame | null): Alternative[] {
  const at: At = { scope: d.scope, stmt: d.stmt, frame: frameFor(frame, d.scope) };
  switch (d.kind) {
    case DEF_EXPR:
      return frame === null && r.active.size === 0 ? definitionValue(r, d, at) : expr(r, d.start, d.end, at);
    case DEF_AUG:
      return join(r, [defsPaths(r, d.base ?? [], name, frame), expr(r, d.start, d.end, at)], d.start, d.end);
    case DEF_PARAM:
      return parameter(r, d, name, frame);
    case DEF_FOR:
      return loopValues(r, d.start, d.end, d.unpack ?? [], at);
    case DEF_UNPACK:
      return partValues(r, d.start, d.end, d.unpack ?? [], at);
    case DEF_IMPORT:
      return imported(r, d, name);
    case DEF_FUNCTION:
      return propertyValue(r, d, frame);
    default:
      unresolved(r, d.start, d.end);
  }
}

/**
 * A `@property` (or `cached_property`) of a class, read as an attribute (`self.secret_name`): what
 * its `return`s give, `self` its only parameter (none for one without a `return`: an abstract one, a
 * subclass's is what runs); any other `def` read as a value is unknown.
 */
function propertyValue(r: Resolver, d: Def, frame: Frame | null): Alternative[] {
  const fscope = scopeOpenedBy(r, d.stmt);
  if (fscope < 0 || !isClassScope(r, d.scope) || !isProperty(r, d.stmt) || parametersOf(r, fscope).length !== 1) unresolved(r, d.start, d.end);
  const out: Alternative[] = [];
  // An abstract one (`raise NotImplementedError`, `...`): no value of its own; a subclass's runs.
  const { text, buf } = r.scan;
  if (!scopeStatements(r, fscope).some((i) => S.kind[i] === SK_RETURN && tokenIs(text, buf, S.start[i]!, 'return'))) return out;
  eachReturn(r, fscope, { scope: fscope, params: new Map(), parent: frame }, d.start, d.end, (a, b, inside, conds) => {
    for (const p of expr(r, a, b, inside)) out.push(withConds(p, conds));
  });
  return live(out);
}

/**
 * A definition's value read outside any call. It is the same at every read entering it at the same
 * depth (a name read in every function of the file), while the file's environments are the same
 * (its tests' complements are taken in them): the value, or the failure, is kept, and a later read
 * is charged the steps it took and given it without the walk.
 */
function definitionValue(r: Resolver, d: Def, at: At): Alternative[] {
  // The value's first token says which definition (depth < MAX_DEPTH <= 32).
  const key = d.start * 32 + r.depth;
  const failed = (r.failed ??= new Map()).get(key);
  if (failed !== undefined) {
    charge(r, failed.cost);
    throw failed.err.again();
  }
  const universe = r.universe === null ? -1 : r.universe.length;
  const known = (r.values ??= new Map()).get(key);
  if (known !== undefined && known.universe === universe) {
    charge(r, known.cost);
    // The open parameter its evaluation met is this read's too.
    if (known.open !== null) r.open ??= known.open;
    return known.paths;
  }
  const before = r.steps - work.n;
  const open = r.open;
  r.open = null;
  try {
    const paths = expr(r, d.start, d.end, at);
    // Kept only when its evaluation left the environments as they were (the lists of paths are never changed in place).
    if ((r.universe === null ? -1 : r.universe.length) === universe) r.values.set(key, { paths, cost: before - (r.steps - work.n), universe, open: r.open ?? null });
    return paths;
  } catch (err) {
    if (err instanceof Unresolved && !err.tooLarge) r.failed.set(key, { err, cost: before - (r.steps - work.n) });
    throw err;
  } finally {
    r.open = open ?? r.open;
  }
}

// ---- calls ----

/** `f(…)`, `self.f(…)`, `Cls.f(…)` of the module's own function; `str(x)`; `x.lower()`; `T.get(k, d)`. */
function call(r: Resolver, s: number, open: number, close: number, at: At): Alternative[] {
  const { text, buf } = r.scan;
  const args = callArguments(r, open, close);
  const n = args.positional.length + args.keywords.size;
  if (open === s + 1 && tokenIs(text, buf, s, 'str') && args.positional.length === 1 && n === 1) return expr(r, args.positional[0]![0], args.positional[0]![1], at);
  // `next(n for n in NAMES if …)`, `next(iter(NAMES))`, `next(…, "fallback")`: an element of the
  // iterable (any of them: a filter is not followed), or the default where it has none.
  if (open === s + 1 && tokenIs(text, buf, s, 'next') && !isOp(buf, s - 1, OP_DOT) && args.keywords.size === 0 && (n === 1 || n === 2)) {
    const [g, d] = args.positional;
    const it = isIter(r, g![0], g![1]);
    const out = loopValues(r, it ? g![0] + 2 : g![0], it ? g![1] - 1 : g![1], NO_UNPACK, at);
    if (d !== undefined) for (const p of expr(r, d[0], d[1], at)) out.push(p);
    return live(out);
  }
  if (open - s >= 3 && isOp(buf, open - 2, OP_DOT) && buf.kind[open - 1] === IDENT) {
    const method = nameAt(r, open - 1);
    const transform = stringMethod('python', method);
    if (transform && n === 0) {
      return renamed(expr(r, s, open - 2, at), transform);
    }
    if (method === 'replace' && args.positional.length === 2 && n === 2) {
      const from = plainString(r, args.positional[0]![0], args.positional[0]![1]);
      const to = plainString(r, args.positional[1]![0], args.positional[1]![1]);
      if (from !== null && from !== '' && to !== null) return renamed(expr(r, s, open - 2, at), (name) => name.split(from).join(to));
    }
    if (method === 'format') return formatted(r, expr(r, s, open - 2, at), args, false, s, close + 1, at);
    // `'_'.join(['crm', tier])`, `'_'.join(('crm', tier))`: a list or tuple written out (a string's characters are not names).
    if (method === 'join' && args.positional.length === 1 && n === 1) {
      const [a, b] = args.positional[0]!;
      const list = isOpen(buf, a, CH_LBRACKET) || (isOpen(buf, a, CH_LPAREN) && hasComma(r, a + 1, b - 1));
      if (list && buf.match[a] === b - 1) return joinedBy(r, commaParts(r, a + 1, b - 1).map(([x, y]) => expr(r, x, y, at)), expr(r, s, open - 2, at), s, close + 1);
    }
    if (method === 'get' && args.positional.length >= 1 && args.positional.length <= 2 && args.keywords.size === 0) {
      const [k, d] = args.positional;
      return rowKey(r, s, open - 2, k![0], k![1], at, true, d ?? null, close + 1) ?? index(r, s, open - 2, k![0], k![1], at, true, d ? d[0] : -1, d ? d[1] : -1, close + 1);
    }
  }
  // `secret_name_for(conv)` of a helper another module of the project defines: what it returns there.
  const fromModule = r.imports === undefined ? null : importedCall(r, s, open, close, at);
  if (fromModule !== null) return fromModule;
  const out: Alternative[] = [];
  returnsOf(r, s, open, close, at, (a, b, inside, conds) => {
    for (const p of expr(r, a, b, inside)) out.push(withConds(p, conds));
  });
  return live(out);
}

/**
 * What the module's function of scope `fscope` returns whatever it is given (a parameter's read
 * does not resolve, unless `bind` gives it a value: a template's mark; `conv.env` is each
 * environment): the values the modules that import it read (nameSets.ts's pythonModuleNames).
 */
/** A frame for the function of `fscope` evaluated on its own: each parameter `bind` marks gives its mark, any other read fails there. */
export function markedFrame(r: Resolver, fscope: number, bind?: (name: string) => (() => Alternative[]) | undefined): Frame {
  const frame: Frame = { scope: fscope, params: new Map(), parent: null };
  for (const param of parametersOf(r, fscope)) frame.params.set(param.name, bind?.(param.name) ?? (() => unresolved(r, param.tok, param.tok + 1)));
  return frame;
}

export function functionReturns(r: Resolver, fscope: number, bind?: (name: string) => (() => Alternative[]) | undefined): Alternative[] {
  const frame = markedFrame(r, fscope, bind);
  const first = S.start[scopeStatements(r, fscope)[0] ?? 0]!;
  const out: Alternative[] = [];
  eachReturn(r, fscope, frame, first, first + 1, (a, b, inside, conds) => {
    for (const p of expr(r, a, b, inside)) out.push(withConds(p, conds));
  });
  return live(out);
}

/**
 * `f(…)`, `self.f(…)`, `Cls.f(…)` at [s, close] calling the module's own function: `each` is given
 * every `return`'s value [a, b), where it is read (the call's arguments bound to the parameters) and
 * the tests on the way to it. Unresolved when the callee is no such function, or has no return, or
 * is being read already (recursion); a bare `return` (None) is unknown.
 */
export function returnsOf(r: Resolver, s: number, open: number, close: number, at: At, each: (a: number, b: number, inside: At, conds: readonly Cond[]) => void): void {
  const { buf } = r.scan;
  let defs: Def[] | null = null;
  const depth = r.depth;
  // `Cfg().name(…)`, `Cfg(conv.env).name(…)`: a method of an object made there.
  const inline = open > s + 4 && buf.kind[open - 3] === CLOSE && isOp(buf, open - 2, OP_DOT) && buf.kind[open - 1] === IDENT && buf.match[open - 3] === s + 1 ? constructionAt(r, s, open - 2, at) : null;
  try {
    if (open === s + 1 && buf.kind[s] === IDENT) defs = lookup(r, s, at);
    else if (open === s + 3 && buf.kind[s] === IDENT && isOp(buf, s + 1, OP_DOT) && buf.kind[s + 2] === IDENT) defs = attribute(r, s, at);
    else if (inline !== null) defs = classAttribute(r, inline.cls, inline, false, nameAt(r, open - 1), open - 3);
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
    r.depth = depth; // left where the lookup stopped (see expr)
  }
  if (defs === null || defs.length !== 1 || defs[0]!.kind !== DEF_FUNCTION) unresolved(r, s, close + 1);
  const fscope = scopeOpenedBy(r, defs[0]!.stmt);
  if (fscope < 0 || isClassScope(r, fscope) || r.active.has(fscope)) unresolved(r, s, close + 1);
  const args = callArguments(r, open, close);
  const params = parametersOf(r, fscope);
  const method = boundMethod(r, fscope, params) && (open === s + 3 || inline !== null);
  const frame: Frame = { scope: fscope, params: new Map(), parent: at.frame };
  for (const param of params) {
    let memo: Alternative[] | null = null;
    frame.params.set(param.name, () => (memo ??= argumentFor(r, param, method, args, at, fscope, [s, close + 1])));
  }
  eachReturn(r, fscope, frame, s, close + 1, each);
}

/**
 * Every `return`'s value [a, b) of the function of scope `fscope`, read in `frame`, with the tests on
 * the way to it; unresolved ([s, e) quoted) when it has none or is being read already, and at a bare
 * `return` (None).
 */
function eachReturn(r: Resolver, fscope: number, frame: Frame, s: number, e: number, each: (a: number, b: number, inside: At, conds: readonly Cond[]) => void): void {
  const { text, buf } = r.scan;
  if (r.active.has(fscope)) unresolved(r, s, e);
  const body = scopeStatements(r, fscope);
  work.n += body.length; // a walk of the function's statements per call
  const returns = body.filter((i) => S.kind[i] === SK_RETURN && tokenIs(text, buf, S.start[i]!, 'return'));
  if (returns.length === 0) unresolved(r, s, e);
  r.active.add(fscope);
  try {
    for (const ret of returns) {
      const fr = reaching(r, fscope, null, ret);
      if (fr.defs === null) continue;
      const end = statementEnd(r, ret);
      if (end <= S.start[ret]! + 1) unresolved(r, S.start[ret]!, end); // a bare `return`: None
      each(S.start[ret]! + 1, end, { scope: fscope, stmt: ret, frame }, fr.path);
    }
  } finally {
    r.active.delete(fscope);
  }
}

/**
 * A parameter read in its function: the argument bound by the call being evaluated, or the union of
 * the arguments at every call site in the module (unresolved when one is unknown, when there is no
 * call site, or when the function is used other than called).
 */
function parameter(r: Resolver, d: Def, name: string, frame: Frame | null): Alternative[] {
  const bound = frameFor(frame, d.scope)?.params.get(name);
  if (bound) return bound();
  return live(parameterValues(r, d, name, (s, e, at) => expr(r, s, e, at), withConds));
}

/**
 * What parameter `name` (defined by `d`) is given, read by `value`: at every call site in the
 * module, each on the tests on the way to its call (`on`); a function nothing here calls that may
 * be called from outside, its default (and the read is open). The string values (parameter), or the
 * containers a loop over it iterates (nameSetsIter.ts).
 */
export function parameterValues<T>(r: Resolver, d: Def, name: string, value: (s: number, e: number, at: At) => T[], on: (x: T, conds: readonly Cond[]) => T): T[] {
  const { text, buf } = r.scan;
  const scope = d.scope;
  const params = parametersOf(r, scope);
  const param = params.find((p) => p.name === name);
  if (!param) unresolved(r, d.start, d.end);
  const key = -nameKey(r, scope, name); // apart from the functions' scopes
  if (r.active.has(key)) unresolved(r, param.tok, param.tok + 1);
  // The function the platform calls in an ADK resource file: Agent Studio passes its arguments,
  // whatever this file's own calls or defaults show.
  const platform = r.imports?.platformFunction;
  if (platform !== undefined && enclosingScope(r, scope) === 0 && nameAt(r, S.end[r.scan.scopeHeader[scope]!]! - 1) === platform) {
    const err = new Unresolved(r.scan, param.tok, param.tok + 1, false);
    err.platform = platform;
    throw err;
  }
  // A default that is no name (`partner_id=123`): unknown wherever a call leaves it out, and without
  // a call at all; said before looking for call sites.
  if (param.default) {
    // A number names nothing: what evaluating it would conclude, said without a throw more (its step spent the same).
    if (param.default[1] === param.default[0] + 1 && buf.kind[param.default[0]] === NUMBER) {
      r.steps--;
      unresolved(r, param.tok, param.tok + 1);
    }
    try {
      const header = r.scan.scopeHeader[scope]!;
      value(param.default[0], param.default[1], { scope: S.scope[header]!, stmt: header, frame: null });
    } catch (err) {
      if (err instanceof Unresolved) unresolved(r, param.tok, param.tok + 1);
      throw err;
    }
  }
  const header = r.scan.scopeHeader[scope]!;
  const fnameTok = S.end[header]! - 1;
  const fname = nameAt(r, fnameTok);
  const cls = isClassScope(r, enclosingScope(r, scope)) ? enclosingScope(r, scope) : -1;
  const method = boundMethod(r, scope, params);
  // A function defined in a function: called only there (and in what is defined in it), by the name
  // its `def` binds there and nothing rebinds.
  const home = cls < 0 ? enclosingScope(r, scope) : 0;
  if (home > 0 && bindingsOf(r, fname, home).length !== 1) unresolved(r, param.tok, param.tok + 1);
  const from = home > 0 ? scopeFrom(r, home) : 0;
  const to = home > 0 ? scopeTo(r, home) : r.scan.count;
  const out: T[] = [];
  let sites = 0;
  r.active.add(key);
  try {
    if (fname === '__init__' && cls >= 0 && method) {
      // A constructor's parameter: the arguments of every `Cls(…)` in the module.
      sites = constructed(r, cls, param, scope, out, value, on);
      if (sites === 0) unresolved(r, param.tok, param.tok + 1);
      return out;
    }
    for (const t of identsOf(r, fname)) {
      tick(r, t, t + 1);
      if (t === fnameTok || t < from || t >= to) continue;
      const afterDot = isOp(buf, t - 1, OP_DOT);
      if (cls >= 0) {
        if (!afterDot) continue;
        const recv = t - 2;
        const callAt0: At = { scope: S.scope[statementOf(t)]!, stmt: statementOf(t), frame: null };
        const ok = tokenIs(text, buf, recv, 'self') || tokenIs(text, buf, recv, 'cls') || classNamed(r, recv, callAt0) === cls;
        if (!ok || isOp(buf, recv - 1, OP_DOT)) continue;
      } else if (afterDot) continue;
      if (!isOpen(buf, t + 1, CH_LPAREN) || buf.match[t + 1]! < 0) unresolved(r, param.tok, param.tok + 1);
      // A local of the same name elsewhere is not this function.
      const stmt = statementOf(t);
      const callScope = S.scope[stmt]!;
      if (cls < 0 && callScope !== 0 && callScope !== home && boundInScope(r, fname, callScope)) continue;
      sites++;
      const callAt: At = { scope: callScope, stmt, frame: null };
      const args = callArguments(r, t + 1, buf.match[t + 1]!);
      const viaInstance = cls >= 0 && method;
      const paths = argumentFor(r, param, viaInstance, args, callAt, scope, [t, buf.match[t + 1]! + 1], value);
      const path = reaching(r, callScope, null, stmt);
      if (path.defs === null) continue;
      for (const p of paths) out.push(on(p, path.path));
    }
  } finally {
    r.active.delete(key);
  }
  if (sites === 0) {
    // A module-level function, or a method of a module-level class, nothing here calls, with a
    // default: callable from outside (another module, the platform), so open; the default is the
    // name the code shows.
    const outside = cls >= 0 ? method && enclosingScope(r, cls) === 0 : enclosingScope(r, scope) === 0;
    if (param.default === null || !outside) unresolved(r, param.tok, param.tok + 1);
    r.open ??= { tok: param.tok };
    const header = r.scan.scopeHeader[scope]!;
    return value(param.default[0], param.default[1], { scope: S.scope[header]!, stmt: header, frame: null });
  }
  return out;
}
