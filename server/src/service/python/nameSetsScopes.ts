// Scopes as Python defines them, for the name-set resolver: what a closure sees of the function it
// is defined in, whether a class is an Enum (whose members' `.value` is what they are written as),
// and whether it is a dataclass (whose constructor takes its fields).

import { bindingsOf, boundInScope, isClassScope, reaching } from './nameSetsFlow';
import { nameAt } from './nameSetsIndex';
import type { Def, Resolver } from './nameSetsTypes';
import { scratch, statements as S } from './pythonRefsState';
import { charge } from '../evaluate/evaluation';
import { CH_LPAREN, CLOSE, IDENT, LINE, OP_ASSIGN, OP_COLON, OP_DOT, isOp, isOpen, tokenIs } from '../scan/tokens';

/**
 * Where a name of an enclosing function is read from a function defined in it (`inner`, the scope
 * just inside `scope`): a closure sees the name as it is when it is called, which, when nothing
 * binds the name after the `def`, is what reaches the `def` (`secret_name = …` then `def fetch():
 * … get_secret(secret_name)` then `return fetch()`). Else, and for a module or class, its end (-1).
 */
export function closureTarget(r: Resolver, name: string, scope: number, inner: number): number {
  if (scope === 0 || inner < 0 || isClassScope(r, scope)) return -1;
  const def = r.scan.scopeHeader[inner]!;
  if (def < 0 || S.scope[def] !== scope) return -1;
  const at = S.start[def]!;
  for (const b of bindingsOf(r, name, scope)) if (b > at) return -1;
  return def;
}

/** Whether class scope `cls` (-1: none) has `Enum` or `StrEnum` among its bases (`class Names(str, Enum):`). */
export function isEnum(r: Resolver, cls: number): boolean {
  return hasBase(r, cls, 'Enum') || hasBase(r, cls, 'StrEnum');
}

/** Whether an Enum class's members equal strings (`StrEnum`, or `str` among its bases): `Env.LIVE == "live"`. */
export function isStringEnum(r: Resolver, cls: number): boolean {
  return hasBase(r, cls, 'StrEnum') || hasBase(r, cls, 'str');
}

/** Whether class scope `cls` (-1: none) names `base` among its bases (the first 64 tokens of them). */
function hasBase(r: Resolver, cls: number, base: string): boolean {
  const { text, buf } = r.scan;
  if (cls < 0) return false;
  // The header statement is `class Names`; its bases are the group after it.
  const open = S.end[r.scan.scopeHeader[cls]!]!;
  if (!isOpen(buf, open, CH_LPAREN)) return false;
  const close = Math.min(buf.match[open]! >= 0 ? buf.match[open]! : open, open + 64);
  for (let k = open + 1; k < close; k++) if (buf.kind[k] === IDENT && tokenIs(text, buf, k, base)) return true;
  return false;
}

/** A one-character operator's kind is its character: `@`. */
const OP_AT = 64;

/**
 * Whether class scope `cls` (-1: none) is decorated `@dataclass` / `@dataclass(…)` /
 * `@dataclasses.dataclass`: its constructor takes its fields, by keyword or in order.
 */
export function isDataclass(r: Resolver, cls: number): boolean {
  return dataclassDecorator(r, cls) >= 0 || isNamedTuple(r, cls);
}

/** Whether class scope `cls` is `class P(NamedTuple):` (or `typing.NamedTuple`): its annotated fields are its constructor's parameters, as a dataclass's. */
function isNamedTuple(r: Resolver, cls: number): boolean {
  if (cls < 0) return false;
  const { text, buf } = r.scan;
  const bases = S.end[r.scan.scopeHeader[cls]!]!;
  if (!isOpen(buf, bases, CH_LPAREN)) return false;
  const close = buf.match[bases]!;
  const last = close - 1;
  return tokenIs(text, buf, last, 'NamedTuple') && (last === bases + 1 || (last === bases + 3 && isOp(buf, bases + 2, OP_DOT) && tokenIs(text, buf, bases + 1, 'typing')));
}

/** The `dataclass` token of class scope `cls`'s decorator (-1: none). */
function dataclassDecorator(r: Resolver, cls: number): number {
  return cls < 0 ? -1 : decorator(r, r.scan.scopeHeader[cls]!, 'dataclass', 'dataclasses');
}

/** Whether the `def` header statement `header` is decorated `@property`, `@cached_property` or `@functools.cached_property`. */
export function isProperty(r: Resolver, header: number): boolean {
  return decorator(r, header, 'property', '') >= 0 || decorator(r, header, 'cached_property', 'functools') >= 0;
}

/** How the `def` header statement `header` is called through its class: `@classmethod` ('class'), `@staticmethod` ('static'), or neither (null). */
export function classLevel(r: Resolver, header: number): 'class' | 'static' | null {
  return decorator(r, header, 'classmethod', '') >= 0 ? 'class' : decorator(r, header, 'staticmethod', '') >= 0 ? 'static' : null;
}

/**
 * The `name` token of a decorator `@name`, `@name(…)` or `@module.name` of the `def` or `class`
 * header statement `header` (-1: none), found back over the decorator lines just above it.
 */
function decorator(r: Resolver, header: number, name: string, module: string): number {
  const { text, buf } = r.scan;
  let t = S.start[header]! - 1;
  for (let steps = 0; t >= 0 && steps < 64; steps++) {
    const kind = buf.kind[t];
    if (kind === LINE) t--;
    else if (kind === CLOSE && buf.match[t]! >= 0) t = buf.match[t]! - 1;
    else if (kind === IDENT && tokenIs(text, buf, t, name)) {
      if (isOp(buf, t - 1, OP_AT)) return t;
      if (module !== '' && isOp(buf, t - 1, OP_DOT) && tokenIs(text, buf, t - 2, module) && isOp(buf, t - 3, OP_AT)) return t;
      t--;
    } else if (kind === IDENT || isOp(buf, t, OP_DOT)) t--;
    else if (isOp(buf, t, OP_AT)) {
      // Another decorator: on to the line before, which must be one too.
      t--;
      if (t >= 0 && buf.kind[t] !== LINE) return -1;
    } else return -1;
  }
  return -1;
}

/**
 * The fields a dataclass's constructor takes by position, in order: the annotated names of its
 * body (`secret_name: str = "x"`), leaving out `ClassVar`s and stopping at `KW_ONLY`. Null when the
 * order is not the body's alone: bases (their fields come first), `kw_only=True` or `init=False` on
 * the decorator, a `field(…)` default (it may take a field out of the constructor or make it
 * keyword-only).
 */
export function dataclassFields(r: Resolver, cls: number): string[] | null {
  const { text, buf } = r.scan;
  const at = dataclassDecorator(r, cls);
  const tuple = at < 0 && isNamedTuple(r, cls);
  if (at < 0 && !tuple) return null;
  if (at >= 0 && isOpen(buf, at + 1, CH_LPAREN)) {
    const close = buf.match[at + 1]!;
    for (let k = at + 2; k < close; k++) if (buf.kind[k] === IDENT && (tokenIs(text, buf, k, 'kw_only') || tokenIs(text, buf, k, 'init'))) return null;
  }
  const header = r.scan.scopeHeader[cls]!;
  const bases = S.end[header]!;
  if (!tuple && isOpen(buf, bases, CH_LPAREN) && buf.match[bases] !== bases + 1) return null;
  const end = r.scan.scopeEnd[cls]!;
  const out: string[] = [];
  for (let st = header + 1; st < S.count && S.start[st]! < end; st++) {
    charge(r, 1);
    if (S.scope[st] !== cls) continue;
    const a = S.start[st]!;
    if (buf.kind[a] !== IDENT || !isOp(buf, a + 1, OP_COLON)) continue;
    let assign = -1;
    let classVar = false;
    for (let k = a + 2; k < S.end[st]!; k++) {
      if (isOp(buf, k, OP_ASSIGN)) {
        assign = k;
        break;
      }
      if (buf.kind[k] === IDENT && tokenIs(text, buf, k, 'ClassVar')) classVar = true;
      if (buf.kind[k] === IDENT && tokenIs(text, buf, k, 'KW_ONLY')) return out;
    }
    if (classVar) continue;
    if (assign >= 0) for (let k = assign + 1; k < S.end[st]!; k++) if (buf.kind[k] === IDENT && tokenIs(text, buf, k, 'field')) return null;
    out.push(nameAt(r, a));
  }
  return out;
}

/**
 * A module-level name's definitions `defs` as a function of the module reads them, with those of
 * every other function that declares it `global` and binds it (`global NAME` then `NAME = "b"`:
 * the module's value may be either once that function has run); `defs` itself when none does.
 */
export function withGlobalWrites(r: Resolver, name: string, defs: Def[]): Def[] {
  const { declared } = r.scan;
  let out = defs;
  for (const t of declared) {
    charge(r, 1);
    const scope = scratch.scopeOf[t]!;
    if (scope <= 0 || nameAt(r, t) !== name || !boundInScope(r, name, scope)) continue;
    const written = reaching(r, scope, name, -1).defs;
    if (written && written.length > 0) out = out === defs ? [...defs, ...written] : [...out, ...written];
  }
  return out;
}
