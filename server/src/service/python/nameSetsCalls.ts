// Calls and constructions for the name-set resolver: the classes and functions a name refers to, a
// call's arguments, a function's parameters and what a call passes for each (or its default), the
// frame that binds them, and an instance's one construction (`session = Session("crm_api")`, then
// `session.secret_name` takes that call's arguments). Expressions are read through the resolver's
// evaluator (r.ev), which nameSetsExpr.ts is.

import { unresolved, Unresolved } from '../evaluate/evaluation';
import { type Alternative } from '../evaluate/values';
import { skipGroup } from '../scan/calls';
import { CH_LBRACKET, CH_LPAREN, IDENT, OP_ASSIGN, OP_COMMA, OP_DOT, OP_POW, OP_STAR, STRING, isOp, isOpen, tokenIs } from '../scan/tokens';
import { bindingsOf, enclosingScope, isClassScope, reaching, scopeOpenedBy, statementEnd, statementOf } from './nameSetsFlow';
import { SK_RETURN } from './keyFlow';
import { classLevel } from './nameSetsScopes';
import { stringValue } from './nameSetsEnv';
import { nameAt, parameterGroup, scopeStatements } from './nameSetsIndex';
import { commaParts } from './nameSetsTargets';
import { type At, DEF_EXPR, DEF_FUNCTION, type Def, type Frame, type Resolver } from './nameSetsTypes';
import { statements as S } from './pythonRefsState';

/** The class whose body is around `scope` (a method's), or -1. */
export function classAround(r: Resolver, scope: number): number {
  for (let sc = scope; sc > 0; sc = enclosingScope(r, sc)) if (isClassScope(r, sc)) return sc;
  return -1;
}

/** The scope of the class named at token `t` (a module-level or enclosing class), or -1. */
export function classNamed(r: Resolver, t: number, at: At): number {
  const sc = definedScope(r, t, at);
  return sc >= 0 && isClassScope(r, sc) ? sc : -1;
}

/**
 * The definitions of the name at token `t` that reach `at`, or null when they cannot be known (a
 * name the file does not bind). `tooLarge`: a read past its share still ends the read (thrown on).
 */
export function lookupOrNull(r: Resolver, t: number, at: At, tooLarge = false): Def[] | null {
  const depth = r.depth;
  try {
    return r.ev.lookup(r, t, at);
  } catch (err) {
    if (!(err instanceof Unresolved) || (tooLarge && err.tooLarge)) throw err;
    r.depth = depth; // left where the lookup stopped (see expr)
    return null;
  }
}

/** The scope that the one `def` or `class` the name at token `t` refers to where `at` is opens, or -1. */
export function definedScope(r: Resolver, t: number, at: At): number {
  const defs = lookupOrNull(r, t, at);
  if (defs === null || defs.length !== 1 || defs[0]!.kind !== DEF_FUNCTION) return -1;
  return scopeOpenedBy(r, defs[0]!.stmt);
}

/**
 * For `obj.X` set by `__init__` from its parameters, where `obj` holds one construction: the
 * construction's arguments bound to those parameters (that call's names, not every call's); null
 * otherwise.
 */
export function constructionFrame(r: Resolver, s: number, defs: readonly Def[], at: At): Frame | null {
  const { text, buf } = r.scan;
  if (defs.length === 0 || tokenIs(text, buf, s, 'self') || tokenIs(text, buf, s, 'cls')) return null;
  const made = constructionOf(r, s, at);
  return made === null ? null : madeFrame(r, made, defs, at);
}

/** For an attribute whose definitions `defs` are in `__init__`, the construction `made`'s arguments bound to its parameters; null otherwise. */
export function madeFrame(r: Resolver, made: Construction, defs: readonly Def[], at: At): Frame | null {
  if (defs.length === 0) return null;
  const init = defs[0]!.scope;
  if (defs.some((d) => d.scope !== init)) return null;
  if (enclosingScope(r, init) !== made.cls) return null;
  const params = parametersOf(r, init);
  const method = boundMethod(r, init, params);
  const args = callArguments(r, made.open, made.close);
  const frame: Frame = { scope: init, params: new Map(), parent: at.frame };
  for (const param of params) {
    let memo: Alternative[] | null = null;
    frame.params.set(param.name, () => (memo ??= argumentFor(r, param, method, args, made.at, init, [made.open - 1, made.close + 1])));
  }
  return frame;
}

/** A construction of a class of the module: the class's scope and the argument group's `(` and `)`. */
export interface Construction {
  cls: number;
  open: number;
  close: number;
  /** Where the construction is evaluated. */
  at: At;
}

/** The one construction the name at token `s` holds where `at` is (`cfg = Config(…)`), or null. */
export function constructionOf(r: Resolver, s: number, at: At): Construction | null {
  const defs = lookupOrNull(r, s, at);
  if (defs === null || defs.length !== 1 || defs[0]!.kind !== DEF_EXPR) return null;
  const d = defs[0]!;
  return constructionAt(r, d.start, d.end, { scope: d.scope, stmt: d.stmt, frame: frameFor(at.frame, d.scope) });
}

/**
 * [a, b) as a construction of a class of the module (`Provider("CRM", "crm_api")`) evaluated where
 * `at` is, or a call of its factory (`Settings.for_env(conv)`: factoryMade); or null.
 */
export function constructionAt(r: Resolver, a: number, b: number, at: At): Construction | null {
  const { buf } = r.scan;
  if (buf.kind[a] !== IDENT) return null;
  if (!isOpen(buf, a + 1, CH_LPAREN) || buf.match[a + 1] !== b - 1) return factoryMade(r, a, b, at);
  const cls = classNamed(r, a, { scope: at.scope, stmt: at.stmt, frame: null });
  if (cls >= 0) return { cls, open: a + 1, close: b - 1, at };
  // `cls(…)` in a `@classmethod`: its class (a subclass's call makes the subclass, with the same `__init__` unless it has its own).
  const owner = at.scope > 0 ? enclosingScope(r, at.scope) : -1;
  if (owner < 0 || !isClassScope(r, owner) || classLevel(r, r.scan.scopeHeader[at.scope]!) !== 'class') return null;
  return parametersOf(r, at.scope)[0]?.name === nameAt(r, a) ? { cls: owner, open: a + 1, close: b - 1, at } : null;
}

/**
 * `Cls.make(…)` at [a, b), a `@classmethod` or `@staticmethod` of a class of the module whose one
 * `return`, on no test, makes the object (`return cls(…)`, `return Cls(…)`): that construction, read
 * inside the method with the call's arguments bound to its parameters; null otherwise.
 */
function factoryMade(r: Resolver, a: number, b: number, at: At): Construction | null {
  const { text, buf } = r.scan;
  if (!isOp(buf, a + 1, OP_DOT) || buf.kind[a + 2] !== IDENT || !isOpen(buf, a + 3, CH_LPAREN) || buf.match[a + 3] !== b - 1 || isOp(buf, a - 1, OP_DOT)) return null;
  const cls = classNamed(r, a, { scope: at.scope, stmt: at.stmt, frame: null });
  const defs = cls < 0 ? [] : bindingsOf(r, nameAt(r, a + 2), cls);
  const header = defs.length === 1 ? statementOf(defs[0]!) : -1;
  const fscope = header < 0 || classLevel(r, header) === null ? -1 : scopeOpenedBy(r, header);
  if (fscope < 0) return null;
  const returns = scopeStatements(r, fscope).filter((i) => S.kind[i] === SK_RETURN && tokenIs(text, buf, S.start[i]!, 'return'));
  if (returns.length !== 1) return null;
  const ret = returns[0]!;
  const s = S.start[ret]! + 1;
  const end = statementEnd(r, ret);
  const flow = reaching(r, fscope, null, ret);
  if (buf.kind[s] !== IDENT || !isOpen(buf, s + 1, CH_LPAREN) || buf.match[s + 1] !== end - 1 || flow.defs === null || flow.path.length > 0) return null;
  const params = parametersOf(r, fscope);
  const method = boundMethod(r, fscope, params);
  const args = callArguments(r, a + 3, b - 1);
  const frame: Frame = { scope: fscope, params: new Map(), parent: at.frame };
  for (const param of params) {
    let memo: Alternative[] | null = null;
    frame.params.set(param.name, () => (memo ??= argumentFor(r, param, method, args, at, fscope, [a, b])));
  }
  const made = constructionAt(r, s, end, { scope: fscope, stmt: ret, frame });
  return made?.cls === cls ? made : null;
}

/**
 * The fields of the `collections.namedtuple` class the call [a, b) makes (`Provider("CRM", "crm_api")`
 * where `Provider = namedtuple("Provider", ["label", "secret"])`, or `"label secret"`, `"label,
 * secret"`, bound once), or null: a call of anything else, or fields not written as literals.
 */
export function namedTupleFields(r: Resolver, a: number, b: number, at: At): string[] | null {
  const { text, buf } = r.scan;
  if (buf.kind[a] !== IDENT || !isOpen(buf, a + 1, CH_LPAREN) || buf.match[a + 1] !== b - 1 || isOp(buf, a - 1, OP_DOT)) return null;
  const defs = lookupOrNull(r, a, { scope: at.scope, stmt: at.stmt, frame: null });
  if (defs === null || defs.length !== 1 || defs[0]!.kind !== DEF_EXPR || defs[0]!.unpack !== undefined) return null;
  const d = defs[0]!;
  const k = tokenIs(text, buf, d.start, 'collections') && isOp(buf, d.start + 1, OP_DOT) ? d.start + 2 : d.start;
  if (!tokenIs(text, buf, k, 'namedtuple') || !isOpen(buf, k + 1, CH_LPAREN) || buf.match[k + 1] !== d.end - 1) return null;
  const args = callArguments(r, k + 1, d.end - 1);
  // `defaults=` / `rename=` change what a call gives: not followed.
  if (args.positional.length !== 2 || args.keywords.size > 0) return null;
  const [fa, fb] = args.positional[1]!;
  if (fb === fa + 1 && buf.kind[fa] === STRING) {
    const names = stringValue(r, fa, fb);
    return names === null ? null : names.replace(/,/g, ' ').split(/\s+/).filter((n) => n !== '');
  }
  if (!(isOpen(buf, fa, CH_LBRACKET) || isOpen(buf, fa, CH_LPAREN)) || buf.match[fa] !== fb - 1) return null;
  const fields: string[] = [];
  for (const [x, y] of commaParts(r, fa + 1, fb - 1)) {
    const field = y === x + 1 && buf.kind[x] === STRING ? stringValue(r, x, y) : null;
    if (field === null) return null;
    fields.push(field);
  }
  return fields;
}

/** The field `name` of the namedtuple the call [a, b) makes: its argument by keyword or place (unknown when not given); null when [a, b) makes none or `name` is no field. */
export function namedTupleField(r: Resolver, a: number, b: number, name: string, madeAt: At): Alternative[] | null {
  const fields = namedTupleFields(r, a, b, madeAt);
  const i = fields === null ? -1 : fields.indexOf(name);
  if (i < 0) return null;
  const args = callArguments(r, a + 1, b - 1);
  const arg = args.keywords.get(name) ?? args.positional[i];
  if (arg === undefined) unresolved(r, a, b);
  return r.ev.expr(r, arg[0], arg[1], madeAt);
}

/** Whether [a, b) makes an object of the module (constructionAt's class, or a namedtuple's: namedTupleFields). */
export function isMade(r: Resolver, a: number, b: number, at: At): boolean {
  return constructionAt(r, a, b, at) !== null || namedTupleFields(r, a, b, at) !== null;
}

/** The frame that binds the parameters of `scope` when evaluation stays in it; none otherwise. */
export function frameFor(frame: Frame | null, scope: number): Frame | null {
  for (let f = frame; f; f = f.parent) if (f.scope === scope) return f;
  return null;
}

/** The arguments of the call whose parentheses are `open`..`close`: positional ranges and keywords. */
export function callArguments(r: Resolver, open: number, close: number): { positional: Array<[number, number]>; keywords: Map<string, [number, number]> } {
  const { buf } = r.scan;
  const positional: Array<[number, number]> = [];
  const keywords = new Map<string, [number, number]>();
  let part = open + 1;
  for (let t = open + 1; t <= close; ) {
    if (t === close || isOp(buf, t, OP_COMMA)) {
      if (t > part) {
        if (isOp(buf, part, OP_STAR) || isOp(buf, part, OP_POW)) unresolved(r, part, t);
        if (buf.kind[part] === IDENT && isOp(buf, part + 1, OP_ASSIGN)) keywords.set(nameAt(r, part), [part + 2, t]);
        else positional.push([part, t]);
      }
      part = t + 1;
      t++;
      continue;
    }
    // A bare generator, the call's one argument (`next(n for e, n in ROWS)`): its target list's commas are its own.
    if (buf.kind[t] === IDENT && t > part && tokenIs(r.scan.text, buf, t, 'for')) {
      positional.push([part, close]);
      break;
    }
    t = skipGroup(buf, t, close);
  }
  return { positional, keywords };
}

export interface Param {
  name: string;
  tok: number;
  /** Position among the positional parameters; -1 keyword-only. */
  position: number;
  default: [number, number] | null;
}

export function parametersOf(r: Resolver, scope: number): Param[] {
  const group = parameterGroup(r, scope);
  if (!group) return [];
  const { buf } = r.scan;
  const [open, close] = group;
  const out: Param[] = [];
  let position = 0;
  let keywordOnly = false;
  let part = open + 1;
  for (let t = open + 1; t <= close; ) {
    if (t === close || isOp(buf, t, OP_COMMA)) {
      if (t > part) {
        let k = part;
        if (isOp(buf, k, OP_STAR) || isOp(buf, k, OP_POW)) {
          keywordOnly = true;
          k++;
        }
        if (buf.kind[k] === IDENT && k === part) {
          let def: [number, number] | null = null;
          for (let j = k + 1; j < t; j = skipGroup(buf, j, t)) if (isOp(buf, j, OP_ASSIGN)) def = [j + 1, t];
          out.push({ name: nameAt(r, k), tok: k, position: keywordOnly ? -1 : position++, default: def });
        } else if (isOp(buf, part, 47)) {
          // `/`: positional-only marker
        }
      }
      part = t + 1;
      t++;
      continue;
    }
    t = skipGroup(buf, t, close);
  }
  return out;
}

/** Whether the function of `scope` is a method whose first parameter is the instance or class. */
export function boundMethod(r: Resolver, scope: number, params: Param[]): boolean {
  return isClassScope(r, enclosingScope(r, scope)) && params.length > 0 && (params[0]!.name === 'self' || params[0]!.name === 'cls');
}

/**
 * The argument a call passes for `param`: its tokens, or the parameter's default (at the def), or
 * unresolved; read by `value` (the string values by default; the containers when it is iterated).
 */
export function argumentFor<T = Alternative>(
  r: Resolver,
  param: Param,
  method: boolean,
  args: ReturnType<typeof callArguments>,
  callAt: At,
  scope: number,
  callSpan: [number, number],
  value: (s: number, e: number, at: At) => T[] = (s, e, at) => r.ev.expr(r, s, e, at) as T[],
): T[] {
  const kw = args.keywords.get(param.name);
  const position = method ? param.position - 1 : param.position;
  const range = kw ?? (position >= 0 ? args.positional[position] : undefined);
  if (range) return value(range[0], range[1], callAt);
  if (param.default) {
    const header = r.scan.scopeHeader[scope]!;
    return value(param.default[0], param.default[1], { scope: S.scope[header]!, stmt: header, frame: null });
  }
  unresolved(r, callSpan[0], callSpan[1]);
}
