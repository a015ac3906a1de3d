// Environment expressions through names (Python name sets): a name every binding of which holds
// `conv.env` in some form (`env = str(conv.env or "").lower()`, `env = env.strip()`), a parameter
// every call passes one, a call of the module's function that returns one. Each decided once per
// name and scope (or function) and kept in the resolver's facts; reached through r.envAlias and
// r.envHelper from nameSetsEnv.ts's envForm.

import { complement, environmentSet, union, universeOf } from '../evaluate/envSet';
import { charge, tick, work, Unresolved } from '../evaluate/evaluation';
import { type EnvSet } from '../evaluate/values';
import { SK_RETURN } from './keyFlow';
import { ENV_EXACT, ENV_FOLDED, ENV_NONE, envForm, envSet, isEnvExpr, literalKeys, literalSet, stringsOnly, stringValue } from './nameSetsEnv';
import { literalTable } from './nameSetsTables';
import { scopeBindingCount } from './nameSetsIndex';
import { boundMethod, callArguments, classAround, constructionAt, constructionOf, definedScope, parametersOf } from './nameSetsCalls';
import { initialised } from './nameSetsInit';
import { walrusEnd } from './nameSetsTargets';
import { attributeWritten, nameAt, scopeOpenedBy } from './nameSetsIndex';
import { tableChanged } from './nameSetsAppend';
import { bindingsOf, boundInScope, enclosingScope, identsOf, isClassScope, nameKey, scopeStatements, statementEnd, statementOf } from './nameSetsFlow';
import { subclassesOf } from './nameSetsFamily';
import { isEnum, isStringEnum } from './nameSetsScopes';
import { type At, DEF_FUNCTION, MAX_DEPTH, type Resolver } from './nameSetsTypes';
import { statements as S } from './pythonRefsState';
import { environmentOfLiteral } from '../../../../protocol/environments';
import { CH_LBRACE, CH_LBRACKET, CH_LPAREN, CLOSE, IDENT, NUMBER, STRING, OP_ARROW, OP_ASSIGN, OP_COLON, OP_DOT, OP_WALRUS, isOp, isOpen, tokenIs } from '../scan/tokens';

/** How the name at token `tok` holds an environment expression where `at` reads it (ENV_*: none, as it is, case changed). */
export function envAlias(r: Resolver, tok: number, at: At): number {
  const name = nameAt(r, tok);
  const scope = bindingScope(r, name, at.scope);
  if (scope < 0 || r.depth >= MAX_DEPTH) return ENV_NONE;
  // Flow-insensitive, so found once per name and scope: every binding there is `name = <env expression>`
  // (`env = env.lower()` among them: read as one while it is being decided).
  const key = nameKey(r, scope, name);
  const known = knownFact(r, key);
  if (known !== UNKNOWN) return known;
  return envFact(r, key, () => {
    const { buf } = r.scan;
    let form = ENV_NONE;
    for (const b of bindingsOf(r, name, scope)) {
      const stmt = statementOf(b);
      if (scope !== 0 && stmt === r.scan.scopeHeader[scope]) {
        // A parameter: an alias when every call in the module passes `conv.env` (or one) for it.
        if (!parameterAlwaysEnv(r, scope, name)) return ENV_NONE;
        form = Math.max(form, ENV_EXACT);
        continue;
      }
      let end = statementEnd(r, stmt);
      // `(env := str(conv.env).lower()) == "live"`: the value the walrus names.
      if (isOp(buf, b + 1, OP_WALRUS)) end = walrusEnd(r, b + 2, end);
      else if (S.start[stmt] !== b || !isOp(buf, b + 1, OP_ASSIGN)) return ENV_NONE;
      if (b + 2 >= end) return ENV_NONE;
      const f = envForm(r, b + 2, end, { scope, stmt, frame: null });
      if (f === ENV_NONE) return ENV_NONE;
      form = Math.max(form, f);
    }
    return form;
  });
}

/**
 * How `self.X` (`self` at `tok`) holds an environment expression where `at` reads it: X is set by
 * the `__init__` of the class around alone (nameSetsInit.ts), each of its values one
 * (`self.environment = str(conv.env).lower()`). Decided once per class and attribute.
 */
export function envField(r: Resolver, tok: number, at: At): number {
  if (r.depth >= MAX_DEPTH) return ENV_NONE;
  const field = initField(r, tok, at);
  if (field === null) return ENV_NONE;
  const key = nameKey(r, field.cls, `.${field.name}`);
  const known = knownFact(r, key);
  if (known !== UNKNOWN) return known;
  return envFact(r, key, () => {
    const defs = initialised(r, field.cls, field.name);
    if (defs === null) return ENV_NONE;
    let form = ENV_NONE;
    for (const d of defs) {
      const f = envForm(r, d.start, d.end, { scope: d.scope, stmt: d.stmt, frame: null });
      if (f === ENV_NONE) return ENV_NONE;
      form = Math.max(form, f);
    }
    return form;
  });
}

/** The class around `at` and the attribute of `self.X` (`self` at `tok`) when X is no attribute of the class's body (which `__init__` would only shadow); null otherwise. */
function initField(r: Resolver, tok: number, at: At): { cls: number; name: string } | null {
  const cls = classAround(r, at.scope);
  if (cls < 0) return null;
  const name = nameAt(r, tok + 2);
  return boundInScope(r, name, cls) ? null : { cls, name };
}

/**
 * How a call of the module's own function named at `tok` returns an environment expression: every
 * `return` of it does (`def get_env(conv): return str(conv.env or '').lower()`).
 */
export function envHelper(r: Resolver, tok: number, at: At): number {
  if (r.depth >= MAX_DEPTH) return ENV_NONE;
  // `Env.current(conv)`, `self.env_name()`: every method of the class (or family) that may run.
  if (isOp(r.scan.buf, tok + 1, OP_DOT)) {
    let form = ENV_NONE;
    for (const fscope of methodScopes(r, tok, at)) {
      const f = helperForm(r, fscope);
      if (f === ENV_NONE) return ENV_NONE;
      form = Math.max(form, f);
    }
    return form;
  }
  const fscope = helperScope(r, tok, at);
  return fscope < 0 ? ENV_NONE : helperForm(r, fscope);
}

/**
 * The functions `X.m` at token `tok` may call, a class's method or a method through `self`
 * (nameSetsExpr.ts's attribute); none when it names anything else.
 */
function methodScopes(r: Resolver, tok: number, at: At): number[] {
  const { buf } = r.scan;
  if (buf.kind[tok] !== IDENT || buf.kind[tok + 2] !== IDENT || isOp(buf, tok - 1, OP_DOT)) return [];
  // The look-up walks statements whose tests may ask this again (`if self.env() == …` read while
  // finding `env`): asked again, the method is no helper.
  if (r.depth >= MAX_DEPTH || methodsAsked.has(tok)) return [];
  const depth = r.depth;
  methodsAsked.add(tok);
  r.depth++;
  try {
    const defs = r.ev.attribute(r, tok, at);
    const out: number[] = [];
    for (const d of defs) {
      const fscope = d.kind === DEF_FUNCTION ? scopeOpenedBy(r, d.stmt) : -1;
      if (fscope < 0) return [];
      out.push(fscope);
    }
    return out;
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
    return [];
  } finally {
    r.depth = depth;
    methodsAsked.delete(tok);
  }
}

/** The receivers methodScopes is looking up (by token; one document's, while it is analysed). */
const methodsAsked = new Set<number>();

/** How the function of scope `fscope` returns `conv.env` at every `return` (envForm), decided once. */
function helperForm(r: Resolver, fscope: number): number {
  const known = knownFact(r, -1 - fscope);
  if (known !== UNKNOWN) return known;
  return envFact(r, -1 - fscope, () => {
    const { text, buf } = r.scan;
    const body = scopeStatements(r, fscope);
    work.n += body.length; // a walk of the function's statements, once per function
    let form = ENV_NONE;
    for (const ret of body) {
      if (S.kind[ret] !== SK_RETURN || !tokenIs(text, buf, S.start[ret]!, 'return')) continue;
      const end = statementEnd(r, ret);
      const f = end > S.start[ret]! + 1 ? envForm(r, S.start[ret]! + 1, end, { scope: fscope, stmt: ret, frame: null }) : ENV_NONE;
      if (f === ENV_NONE) return ENV_NONE;
      form = Math.max(form, f);
    }
    return form;
  });
}

/**
 * What r.facts knows of the fact `key` (ENV_*), or UNKNOWN when it is not decided nor being decided
 * (asked before `envFact`, so that a known fact costs no closure). One being decided is taken to
 * hold (the name reassigned through itself, `env = env.lower()`), and the one deciding is told it
 * leaned on it.
 */
function knownFact(r: Resolver, key: number): number {
  const known = r.facts.get(key);
  if (known === undefined) return UNKNOWN;
  if (known >= 0) return known;
  envDeciding.lowest = Math.min(envDeciding.lowest, DECIDING - known);
  return ENV_EXACT;
}

/** knownFact's answer for a fact not known yet. */
const UNKNOWN = -1;

/**
 * Decides the fact `key` (r.facts') by `decide`, once: knownFact said it is not known. An answer
 * that leaned on another fact still being decided is not kept, since that one may yet fail.
 */
function envFact(r: Resolver, key: number, decide: () => number): number {
  const level = envDeciding.level++;
  const lowest = envDeciding.lowest;
  envDeciding.lowest = level;
  r.facts.set(key, DECIDING - level);
  const depth = r.depth;
  r.depth++;
  let form = ENV_NONE;
  try {
    form = decide();
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
  } finally {
    r.depth = depth; // also where an expression inside stopped (see expr)
    envDeciding.level--;
  }
  const leaned = envDeciding.lowest < level;
  if (form !== ENV_NONE && leaned) r.facts.delete(key);
  else r.facts.set(key, form);
  envDeciding.lowest = Math.min(lowest, envDeciding.lowest);
  return form;
}

/** r.facts' mark of a fact being decided at level L is DECIDING - L (a decided one is its ENV_* form, 0 or more). */
const DECIDING = -1;
/** The facts being decided (how many), and the lowest level one being decided leaned on. */
const envDeciding = { level: 0, lowest: 0 };

/**
 * Whether every call of the module-level function of `scope`, or of the method of a module-level
 * class (`self.m(…)`, `cls.m(…)`, `Cls.m(…)`), passes an environment expression for `name` (and
 * there is one).
 */
function parameterAlwaysEnv(r: Resolver, scope: number, name: string): boolean {
  const home = enclosingScope(r, scope);
  const cls = home > 0 && isClassScope(r, home) && enclosingScope(r, home) === 0 ? home : -1;
  if (home !== 0 && cls < 0) return false;
  const params = parametersOf(r, scope);
  const param = params.find((p) => p.name === name);
  if (!param) return false;
  const { text, buf } = r.scan;
  const fnameTok = S.end[r.scan.scopeHeader[scope]!]! - 1;
  const clsName = cls < 0 ? '' : nameAt(r, S.end[r.scan.scopeHeader[cls]!]! - 1);
  const bound = cls >= 0 && boundMethod(r, scope, params);
  // A constructor runs where the class is called (`Cfg(conv.env)`), its `self` not among the arguments.
  const init = cls >= 0 && tokenIs(text, buf, fnameTok, '__init__');
  // A subclass's construction may run it too, with arguments of its own: not followed.
  if (init && subclassesOf(r, cls).length > 0) return false;
  let sites = 0;
  for (const t of identsOf(r, init ? clsName : nameAt(r, fnameTok))) {
    tick(r, t, t + 1);
    if (t === fnameTok) continue;
    let shift = 0;
    if (init) {
      // An annotation is no use of the class; any other but a call (passed as a value, a base,
      // reached through a module) may construct it with anything, as constructed() in nameSetsExpr.ts says.
      if (t === S.end[r.scan.scopeHeader[cls]!]! - 1 || isOp(buf, t - 1, OP_COLON) || isOp(buf, t - 1, OP_ARROW)) continue;
      if (isOp(buf, t - 1, OP_DOT) || !isOpen(buf, t + 1, CH_LPAREN)) return false;
      const callScope = S.scope[statementOf(t)]!;
      if (callScope !== 0 && boundInScope(r, clsName, callScope)) return false; // another `Config` there
      shift = bound ? 1 : 0;
    } else if (cls >= 0) {
      // A method: called through the instance (its `self` not among the arguments) or the class.
      if (!isOp(buf, t - 1, OP_DOT) || isOp(buf, t - 3, OP_DOT)) continue;
      // Or through an object of the class: one held by a name (`cfg = Cfg()`, `cfg.m(…)`) or made there (`Cfg().m(…)`).
      const onInstance = tokenIs(text, buf, t - 2, 'self') || tokenIs(text, buf, t - 2, 'cls') || madeOf(r, t - 2, statementOf(t)) === cls;
      if (!onInstance && !tokenIs(text, buf, t - 2, clsName)) continue;
      shift = bound && onInstance ? 1 : 0;
    } else if (isOp(buf, t - 1, OP_DOT)) continue;
    if (!isOpen(buf, t + 1, CH_LPAREN) || buf.match[t + 1]! < 0) return false;
    const args = callArguments(r, t + 1, buf.match[t + 1]!);
    const range = args.keywords.get(name) ?? (param.position - shift >= 0 ? args.positional[param.position - shift] : undefined);
    const stmt = statementOf(t);
    if (!range || !isEnvExpr(r, range[0], range[1], { scope: S.scope[stmt]!, stmt, frame: null })) return false;
    sites++;
  }
  return sites > 0;
}

/** The class scope of the object the receiver ending at token `t` (in statement `stmt`) is: a name bound to a construction, or one written there; -1 for anything else. */
function madeOf(r: Resolver, t: number, stmt: number): number {
  const { buf } = r.scan;
  const at: At = { scope: S.scope[stmt]!, stmt, frame: null };
  if (buf.kind[t] === IDENT) return isOp(buf, t - 1, OP_DOT) ? -1 : (constructionOf(r, t, at)?.cls ?? -1);
  const open = buf.kind[t] === CLOSE ? buf.match[t]! : -1;
  return open > 0 && isOpen(buf, open, CH_LPAREN) && !isOp(buf, open - 2, OP_DOT) ? (constructionAt(r, open - 1, t + 1, at)?.cls ?? -1) : -1;
}

/**
 * The environments where the flag [s, e) holds: a name bound once, in the scope it is read from or
 * one around it, to a test of the environment (`is_live = conv.env == "live"`, then `if is_live:`),
 * or a call of the module's function every `return` of which is the same test (`def is_prod(conv):
 * return conv.env == "live"`). A name bound more than once (`is_live = False` in a branch), a
 * parameter, or a test of something else is not one (null). Decided once per name and scope (or
 * function) while the file's environments are the same.
 */
export function envFlag(r: Resolver, s: number, e: number, at: At): EnvSet | null {
  const { buf } = r.scan;
  if (r.depth >= MAX_DEPTH || isOp(buf, s - 1, OP_DOT)) return null;
  if (buf.kind[e - 1] === CLOSE && buf.match[e - 1]! > s) {
    const looked = envLookup(r, s, e, at);
    if (looked !== null) return looked;
  }
  if (buf.kind[s] !== IDENT) return null;
  if (e === s + 1) return flagName(r, s, at);
  if (e === s + 3 && isOp(buf, s + 1, OP_DOT) && buf.kind[s + 2] === IDENT && tokenIs(r.scan.text, buf, s, 'self')) return flagField(r, s, at);
  if (e > s + 2 && buf.kind[e - 1] === CLOSE && buf.match[e - 1] === s + 1 && isOpen(buf, s + 1, CH_LPAREN)) return flagHelper(r, helperScope(r, s, at));
  // `Env.is_live(conv)`, `self.is_live()`: the same set from every method that may run.
  if (e > s + 4 && buf.kind[e - 1] === CLOSE && buf.match[e - 1] === s + 3 && isOpen(buf, s + 3, CH_LPAREN) && isOp(buf, s + 1, OP_DOT)) {
    let set: EnvSet | null = null;
    const scopes = methodScopes(r, s, at);
    for (const fscope of scopes) {
      const one = flagHelper(r, fscope);
      if (one === null || (set !== null && !sameSet(set, one))) return null;
      set = one;
    }
    return set;
  }
  return null;
}

/**
 * A table of the environments looked up as a test: `IS_PROD[conv.env]`, `IS_PROD.get(env)`,
 * `{"live": True}.get(conv.env, False)`, with the table a dict written there or a constant of the
 * module or a class bound once to one and never changed, its values literals (`True`, `False`,
 * `None`, numbers, strings). It holds where the key's value is truthy; an environment the table has
 * no key for takes `.get`'s default (None without one), and raises with `[…]` (no branch taken).
 * Null when [s, e) is not such a lookup.
 */
function envLookup(r: Resolver, s: number, e: number, at: At): EnvSet | null {
  const { text, buf } = r.scan;
  const close = e - 1;
  const open = buf.match[close]!;
  let receiverEnd: number;
  let args: Array<[number, number]>;
  if (isOpen(buf, open, CH_LBRACKET)) {
    receiverEnd = open;
    args = [[open + 1, close]];
  } else if (isOpen(buf, open, CH_LPAREN) && open - 2 > s && isOp(buf, open - 2, OP_DOT) && tokenIs(text, buf, open - 1, 'get')) {
    receiverEnd = open - 2;
    const call = callArguments(r, open, close);
    if (call.keywords.size > 0 || call.positional.length < 1 || call.positional.length > 2) return null;
    args = call.positional;
  } else return null;
  const key = args[0]!;
  const form = envForm(r, key[0], key[1], at);
  if (form === ENV_NONE) return null;
  const table = dictLiteral(r, s, receiverEnd, at);
  if (table === null) return null;
  let byDefault: boolean | null = false;
  if (args.length === 2) byDefault = truthiness(r, args[1]![0], args[1]![1]);
  if (byDefault === null) return null;
  let entries;
  try {
    entries = literalTable(r, table[0], table[1]);
  } catch (err) {
    if (err instanceof Unresolved) return null;
    throw err;
  }
  if (!entries.dict) return null;
  let holds: EnvSet = 0;
  let keyed: EnvSet = 0;
  for (const entry of entries.entries) {
    if (entry.keyStart === undefined || stringValue(r, entry.keyStart, entry.value[0] - 1) === null) return null;
    const value = truthiness(r, entry.value[0], entry.value[1]);
    if (value === null) return null;
    const set = environmentSet(r, environmentOfLiteral(entry.key, form === ENV_FOLDED));
    keyed = union(keyed, set);
    if (value) holds = union(holds, set);
  }
  // `[…]` of an environment with no key raises: no branch is taken there.
  return byDefault && receiverEnd !== open ? union(holds, complement(r, keyed)) : holds;
}

/** The tokens of the dict literal [s, e) is: written there, or a constant's value (the module's or a class's, bound once, never changed); null otherwise. */
function dictLiteral(r: Resolver, s: number, e: number, at: At): [number, number] | null {
  const { buf } = r.scan;
  if (isOpen(buf, s, CH_LBRACE) && buf.match[s] === e - 1) return [s, e];
  if (e !== s + 1 || buf.kind[s] !== IDENT) return null;
  const name = nameAt(r, s);
  const value = constantValue(r, name, bindingScope(r, name, at.scope));
  return value !== null && isOpen(buf, value[0], CH_LBRACE) && buf.match[value[0]] === value[1] - 1 ? value : null;
}

/** Whether the literal [s, e) is truthy: `True`, `False`, `None`, a number, a string; null for anything else. */
function truthiness(r: Resolver, s: number, e: number): boolean | null {
  const { text, buf } = r.scan;
  // One keyword or number, or string tokens (implicitly concatenated).
  const one = e === s + 1;
  for (let t = s; t < e; t++) if (buf.kind[t] !== STRING && !(one && (buf.kind[t] === IDENT || buf.kind[t] === NUMBER))) return null;
  if (tokenIs(text, buf, s, 'True')) return true;
  if (tokenIs(text, buf, s, 'False') || tokenIs(text, buf, s, 'None')) return false;
  if (buf.kind[s] === NUMBER) {
    const n = Number(text.slice(buf.start[s]!, buf.end[s]!).replace(/_/g, '').replace(/[jJ]$/, ''));
    return Number.isNaN(n) ? null : n !== 0;
  }
  if (buf.kind[s] !== STRING) return null;
  const value = stringValue(r, s, e);
  return value === null ? null : value.length > 0;
}

function flagName(r: Resolver, tok: number, at: At): EnvSet | null {
  const name = nameAt(r, tok);
  // The scope that binds it, found once per name and scope read from (each scope's walk charged).
  const where = (r.flagScopes ??= new Map());
  const from = nameKey(r, at.scope, name);
  let scope = where.get(from);
  if (scope === undefined) {
    scope = at.scope;
    let own = true;
    while (scope >= 0) {
      charge(r, scopeBindingCount(r, scope));
      if ((own || !isClassScope(r, scope)) && boundInScope(r, name, scope)) break;
      scope = enclosingScope(r, scope);
      own = false;
    }
    where.set(from, scope);
  }
  if (scope < 0) return null;
  const binder = scope;
  return flagFact(r, nameKey(r, binder, name), () => {
    charge(r, scopeBindingCount(r, binder));
    const bindings = bindingsOf(r, name, binder);
    if (bindings.length !== 1) return null;
    const b = bindings[0]!;
    const stmt = statementOf(b);
    if (binder !== 0 && stmt === r.scan.scopeHeader[binder]) return null;
    const end = statementEnd(r, stmt);
    if (S.start[stmt] !== b || !isOp(r.scan.buf, b + 1, OP_ASSIGN) || b + 2 >= end) return null;
    return envSet(r, b + 2, end, { scope: binder, stmt, frame: null });
  });
}

/**
 * `self.is_live` as a flag: the `__init__` of the class around sets it once, on its every way (no
 * test on the way to it), to a test of the environment (`self.is_live = conv.env == "live"`), and
 * nothing else in the file writes it.
 */
function flagField(r: Resolver, tok: number, at: At): EnvSet | null {
  const field = initField(r, tok, at);
  if (field === null) return null;
  return flagFact(r, nameKey(r, field.cls, `.${field.name}`), () => {
    const defs = initialised(r, field.cls, field.name);
    if (defs === null || defs.length !== 1 || defs[0]!.conds.length > 0) return null;
    const d = defs[0]!;
    return envSet(r, d.start, d.end, { scope: d.scope, stmt: d.stmt, frame: null });
  });
}

/** The scope of the module's own function (not a class) named at token `tok` where `at` calls it, or -1. */
function helperScope(r: Resolver, tok: number, at: At): number {
  const fscope = definedScope(r, tok, at);
  return fscope < 0 || isClassScope(r, fscope) ? -1 : fscope;
}

function flagHelper(r: Resolver, fscope: number): EnvSet | null {
  if (fscope < 0) return null;
  return flagFact(r, -1 - fscope, () => {
    const { text, buf } = r.scan;
    const body = scopeStatements(r, fscope);
    work.n += body.length; // a walk of the function's statements, once per function
    let set: EnvSet | null = null;
    for (const ret of body) {
      if (S.kind[ret] !== SK_RETURN || !tokenIs(text, buf, S.start[ret]!, 'return')) continue;
      const end = statementEnd(r, ret);
      if (end <= S.start[ret]! + 1) return null;
      const one = envSet(r, S.start[ret]! + 1, end, { scope: fscope, stmt: ret, frame: null });
      if (one === null || (set !== null && !sameSet(set, one))) return null;
      set = one;
    }
    return set;
  });
}

function sameSet(a: EnvSet, b: EnvSet): boolean {
  return typeof a === 'number' || typeof b === 'number' ? a === b : a.lo === b.lo && a.hi === b.hi;
}

/**
 * The flag `key` by `decide`, decided once while the file's environments are the same (a set
 * decided with fewer may lack a complement's newer ones). One being decided is not a flag (a name
 * bound through itself): null, and not kept for the one that leaned on it.
 */
function flagFact(r: Resolver, key: number, decide: () => EnvSet | null): EnvSet | null {
  const flags = (r.flags ??= new Map());
  const known = flags.get(key);
  if (known === null) return null;
  if (known !== undefined && known.universe === universeOf(r).length) return known.set;
  flags.set(key, null);
  const depth = r.depth;
  r.depth++;
  let set: EnvSet | null = null;
  try {
    set = decide();
  } catch (err) {
    if (!(err instanceof Unresolved) || err.tooLarge) {
      flags.delete(key);
      throw err;
    }
  } finally {
    r.depth = depth;
  }
  flags.set(key, { set, universe: universeOf(r).length });
  return set;
}

/**
 * The literals a constant of the module or of a class stands for where the environment is compared
 * with it (`conv.env == LIVE`, `conv.env in LIVE_ENVIRONMENTS`, `Env.LIVE`, `Settings.PROD`): a name
 * bound once, in the module or a class, to a literal or a tuple, list or set of literals, and never
 * changed in place; null otherwise. A function's own names are no constants (each call may give them
 * another value). Read without following the flow, as the aliases above are: the test may be in the
 * walk that would find its definitions.
 */
export function envConstant(r: Resolver, s: number, e: number, container: boolean, at: At): string[] | null {
  const { buf } = r.scan;
  if (buf.kind[s] !== IDENT) return null;
  if (e === s + 1) return constantIn(r, nameAt(r, s), bindingScope(r, nameAt(r, s), at.scope), container);
  // `Cls.ATTR`: a class of the module (or around the test), bound once; `Env.LIVE.value` of an Enum's member.
  const member = e === s + 5 && isOp(buf, s + 3, OP_DOT) && tokenIs(r.scan.text, buf, s + 4, 'value');
  if ((e !== s + 3 && !member) || !isOp(buf, s + 1, OP_DOT) || buf.kind[s + 2] !== IDENT) return null;
  const cls = nameAt(r, s);
  const scope = bindingScope(r, cls, at.scope);
  if (scope < 0 || (scope !== 0 && !isClassScope(r, scope))) return null;
  const bindings = bindingsOf(r, cls, scope);
  if (bindings.length !== 1) return null;
  const body = scopeOpenedBy(r, statementOf(bindings[0]!));
  // A plain Enum's member is no string: `conv.env == Env.LIVE` never holds, and is not read as a test.
  if (body < 0 || !isClassScope(r, body) || (member ? !isEnum(r, body) : isEnum(r, body) && !isStringEnum(r, body))) return null;
  const attr = nameAt(r, s + 2);
  return attributeWritten(r, attr) ? null : constantIn(r, attr, body, container);
}

/** The scope `name` is bound in, seen from `scope` (a class's names are not seen from its methods), or -1. */
function bindingScope(r: Resolver, name: string, scope: number): number {
  let own = true;
  while (scope >= 0 && !((own || !isClassScope(r, scope)) && boundInScope(r, name, scope))) {
    scope = enclosingScope(r, scope);
    own = false;
  }
  return scope;
}

/**
 * The literals `name` is bound to once in `scope`, the module's or a class's: `NAME = "…"`, or with
 * `container` a tuple, list or set of them (`in` a string asks for a substring: not one of these).
 */
function constantIn(r: Resolver, name: string, scope: number, container: boolean): string[] | null {
  const value = constantValue(r, name, scope);
  if (value === null || container === stringsOnly(r, value[0], value[1])) return null;
  return literalSet(r, value[0], value[1]) ?? (container ? literalKeys(r, value[0], value[1]) : null);
}

/** The tokens of the value `name` is bound to once in `scope`, the module's or a class's, by `NAME = …`, and never changed in place; null otherwise. */
function constantValue(r: Resolver, name: string, scope: number): [number, number] | null {
  if (scope < 0 || (scope !== 0 && !isClassScope(r, scope)) || tableChanged(r, name) !== null) return null;
  const bindings = bindingsOf(r, name, scope);
  if (bindings.length !== 1) return null;
  const b = bindings[0]!;
  const stmt = statementOf(b);
  const end = statementEnd(r, stmt);
  charge(r, end - b);
  if (S.start[stmt] !== b || !isOp(r.scan.buf, b + 1, OP_ASSIGN) || b + 2 >= end) return null;
  return [b + 2, end];
}

