// Classes and their subclasses, for the name-set resolver: `self.X` read in a method of a class may
// be any value the class or a subclass of the module gives X (`secret_name = "stripe_key"` in each
// subclass of a base that reads it), or the one it inherits from a base of the module. The same
// rule as the JavaScript / TypeScript resolver's (jsNameSetsClass.ts), walked by evaluate/family.ts.

import { charge, tick, unresolved } from '../evaluate/evaluation';
import { MAX_FAMILY, familyOf } from '../evaluate/family';
import { itemEnd } from '../scan/calls';
import { type Cond } from '../evaluate/values';
import { CH_LBRACKET, CH_LPAREN, CLOSE, IDENT, OP_ARROW, OP_ASSIGN, OP_COLON, OP_COMMA, OP_DOT, isOp, isOpen, lowerBound, tokenIs } from '../scan/tokens';
import { argumentFor, callArguments, classNamed, constructionAt, type Param } from './nameSetsCalls';
import { bindingsOf, boundInScope, enclosingScope, identsOf, nameKey, reaching, scopeOpenedBy, statementOf } from './nameSetsFlow';
import { nameAt, scopeFrom, scopeTo } from './nameSetsIndex';
import { writesIn } from './nameSetsInit';
import type { At, Def, Resolver } from './nameSetsTypes';
import { statements as S } from './pythonRefsState';


/** Bases that bind no attribute of the program's (`class Base(ABC):`, `Generic[T]`). */
const INERT_BASES = new Set(['object', 'ABC', 'Generic', 'Protocol']);

/**
 * What `self.X` / `cls.X` (tokens s..s+2) read in a method of class `cls` can be: the values X is
 * given in the class's body or its methods (`self.X = …`), in those of each subclass of the module (any may be
 * what runs), and, when the class gives it none, the one it inherits from the first base of the
 * module that does. Unknown when anything else writes X, when the class may inherit it from a base
 * outside the module, or when nothing gives it a value.
 */
export function selfAttribute(r: Resolver, cls: number, name: string, s: number): Def[] {
  return classAttribute(r, cls, name, s, false);
}

/**
 * What `obj.X` reads where `obj` is made by `Cls()` with no arguments: the value class `cls` itself
 * gives X, or the one it inherits (selfAttribute's rules, without the subclasses: the instance is of
 * that class).
 */
export function instanceAttribute(r: Resolver, cls: number, name: string, s: number): Def[] {
  return classAttribute(r, cls, name, s, true);
}

function classAttribute(r: Resolver, cls: number, name: string, s: number, exact: boolean): Def[] {
  // Keys of the exact class's answers are negative: apart from its family's.
  const key = exact ? -1 - nameKey(r, cls, name) : nameKey(r, cls, name);
  const memo = (r.families ??= new Map());
  let found = memo.get(key);
  if (found === undefined) {
    found = familyDefs(r, cls, name, s, exact);
    memo.set(key, found);
  }
  if (found === null) unresolved(r, s, s + 3);
  return found;
}

function familyDefs(r: Resolver, cls: number, name: string, s: number, exact: boolean): Def[] | null {
  const family = exact ? [cls] : descendants(r, cls);
  if (family === null) return null;
  charge(r, family.length, s, s + 3);
  const classes = new Set(family);
  const out: Def[] = [];
  for (const k of family) {
    if (!boundInScope(r, name, k)) continue;
    const defs = reaching(r, k, name, -1).defs;
    if (defs === null) return null;
    out.push(...defs);
  }
  // Not given in the class itself: inherited from the first base of the module that gives it, in
  // the order Python looks (depth first, left to right: enough for the hierarchies of one module).
  if (!boundInScope(r, name, cls)) {
    const seen = new Set<number>([cls]);
    // 1: given, 0: not on this path, -1: may come from a base outside the module.
    const inherited = (c: number): number => {
      for (const b of basesOf(r, c)) {
        if (b < 0) return -1;
        if (seen.has(b) || seen.size > MAX_FAMILY) continue;
        seen.add(b);
        classes.add(b);
        if (boundInScope(r, name, b)) {
          const defs = reaching(r, b, name, -1).defs;
          if (defs === null) return -1;
          out.push(...defs);
          return 1;
        }
        const above = inherited(b);
        if (above !== 0) return above;
      }
      return 0;
    };
    if (inherited(cls) < 0) return null;
  }
  // Through `self`, what any method of theirs sets (`def connect(self): self.X = …`) is what X may be.
  const writes = writesIn(r, (c) => classes.has(c), name, !exact);
  if (writes === null) return null;
  out.push(...writes);
  // An annotation without a value (`secret_name: str`) gives nothing.
  return out.length > 0 ? out : null;
}

/** The class and its subclasses of the module, transitively (evaluate/family.ts). */
function descendants(r: Resolver, cls: number): readonly number[] | null {
  return familyOf((r.descendants ??= new Map()), cls, (c) => subclassesOf(r, c), (n) => charge(r, n));
}

/** The classes of the module that name class `cls` among their bases (`class Sub(Base):`), found once. */
export function subclassesOf(r: Resolver, cls: number): readonly number[] {
  const memo = (r.subclasses ??= new Map());
  const known = memo.get(cls);
  if (known !== undefined) return known;
  const header = r.scan.scopeHeader[cls]!;
  const clsName = nameAt(r, S.end[header]! - 1);
  const out: number[] = [];
  // A module-level class whose name nothing else in the module binds: a base list of a module-level
  // class naming it names it (no lookup needed).
  const unique = enclosingScope(r, cls) === 0 && bindingsOf(r, clsName, 0).length === 1;
  for (const t of identsOf(r, clsName)) {
    tick(r, t, t + 1);
    // In a base list: after its `(` or a `,`, the group opened right after `class Sub`.
    const group = baseListAround(r, t);
    if (group < 0) continue;
    const header = statementOf(group - 1);
    const sub = scopeOpenedBy(r, header);
    if (sub < 0 || sub === cls || out.includes(sub)) continue;
    if (unique && S.scope[header] === 0 && !isOp(r.scan.buf, t - 1, OP_DOT) ? true : basesOf(r, sub).includes(cls)) out.push(sub);
  }
  memo.set(cls, out);
  return out;
}

/**
 * The `(` of each `super().__init__(…)` in the `__init__` of the subclass whose base list token `t`
 * is in (`class Sub(Base):`, `cls` its only base): each passes `cls`'s `__init__` its arguments as a
 * construction does. Null when `t` is no such base, or the subclass has no `__init__` of its own
 * that calls it so (its constructions are then `cls`'s, with arguments not followed here).
 */
export function superInits(r: Resolver, cls: number, t: number): number[] | null {
  const group = baseListAround(r, t);
  const sub = group < 0 ? -1 : scopeOpenedBy(r, statementOf(group - 1));
  if (sub < 0 || sub === cls) return null;
  const bases = basesOf(r, sub);
  const inits = bindingsOf(r, '__init__', sub);
  if (bases.length !== 1 || bases[0] !== cls || inits.length !== 1) return null;
  const init = scopeOpenedBy(r, statementOf(inits[0]!));
  if (init < 0) return null;
  const { text, buf } = r.scan;
  const from = scopeFrom(r, init);
  const to = scopeTo(r, init);
  const out: number[] = [];
  const uses = identsOf(r, '__init__');
  for (let i = lowerBound(uses, uses.length, from); i < uses.length && uses[i]! < to; i++) {
    const k = uses[i]!;
    tick(r, k, k + 1);
    const called = isOp(buf, k - 1, OP_DOT) && buf.kind[k - 2] === CLOSE && buf.match[k - 2] === k - 3 && tokenIs(text, buf, k - 4, 'super');
    if (called && isOpen(buf, k + 1, CH_LPAREN) && buf.match[k + 1]! > 0) out.push(k + 1);
  }
  return out.length > 0 ? out : null;
}

/** The `(` of the base list token `t` is a base in (`class Sub(Mixin, Base):`), or -1. */
function baseListAround(r: Resolver, t: number): number {
  const { text, buf } = r.scan;
  if (!(isOpen(buf, t - 1, CH_LPAREN) || isOp(buf, t - 1, OP_COMMA))) return -1;
  let k = t - 1;
  for (let steps = 0; k > 1 && steps < 64; steps++) {
    if (isOpen(buf, k, CH_LPAREN) && buf.kind[k - 1] === IDENT && tokenIs(text, buf, k - 2, 'class')) return k;
    if (isOpen(buf, k, CH_LPAREN) || buf.kind[k] === undefined) return -1;
    k--;
  }
  return -1;
}

/**
 * Class `cls`'s bases in order: each a class of the module (its scope) or -1, one from elsewhere that
 * may bind attributes (an import, a call; not `object`, `ABC`, `Generic[T]`, `metaclass=…`).
 */
export function basesOf(r: Resolver, cls: number): number[] {
  const { text, buf } = r.scan;
  const header = r.scan.scopeHeader[cls]!;
  const open = S.end[header]!;
  const out: number[] = [];
  if (!isOpen(buf, open, CH_LPAREN)) return out;
  const close = buf.match[open]!;
  if (close < 0) return [-1];
  const at = { scope: S.scope[header]!, stmt: header, frame: null };
  for (let k = open + 1; k < close; ) {
    // One base: [k, end).
    const end = itemEnd(buf, k, close);
    tick(r, k, end);
    if (k === end || isOp(buf, k + 1, OP_ASSIGN)) {
      // `metaclass=ABCMeta`, a trailing comma: no base.
    } else if (buf.kind[k] === IDENT && (end === k + 1 || (isOpen(buf, k + 1, CH_LBRACKET) && buf.match[k + 1] === end - 1))) {
      const c = end === k + 1 ? classNamed(r, k, at) : -1;
      if (c >= 0) out.push(c);
      else if (!INERT_BASES.has(nameAt(r, k))) out.push(-1);
    } else if (!(buf.kind[k] === IDENT && isOp(buf, k + 1, OP_DOT) && end === k + 3 && tokenIs(text, buf, k + 2, 'ABC'))) out.push(-1); // `abc.ABC` binds nothing
    k = end + 1;
  }
  return out;
}

/**
 * The arguments for `param` of class `cls`'s `__init__` (scope `scope`) at each `Cls(…)`, each call
 * of a factory of the class (`Cls.for_env(conv)`: nameSetsCalls.ts's constructionAt) and each
 * `super().__init__(…)` of a subclass's own `__init__`, each read by `value` and taken on the tests
 * on the way to it (`on`), added to `out`; how many there are. Unresolved when the class is used
 * otherwise (passed as a value, subclassed otherwise, another attribute, through a module) but in an
 * annotation.
 */
export function constructed<T>(r: Resolver, cls: number, param: Param, scope: number, out: T[], value: (s: number, e: number, at: At) => T[], on: (x: T, conds: readonly Cond[]) => T): number {
  const { buf } = r.scan;
  const clsTok = S.end[r.scan.scopeHeader[cls]!]! - 1;
  const unknown = () => unresolved(r, param.tok, param.tok + 1);
  let sites = 0;
  for (const t of identsOf(r, nameAt(r, clsTok))) {
    tick(r, t, t + 1);
    if (t === clsTok || isOp(buf, t - 1, OP_COLON) || isOp(buf, t - 1, OP_ARROW)) continue; // an annotation
    // Each construction's arguments (their `(`), where they are read, and the statement whose tests it is under.
    const made: Array<{ open: number; at: At; under: number }> = [];
    const supers = superInits(r, cls, t);
    if (supers !== null) {
      for (const open of supers) made.push({ open, at: { scope: S.scope[statementOf(open)]!, stmt: statementOf(open), frame: null }, under: statementOf(open) });
    } else {
      const stmt = statementOf(t);
      const at: At = { scope: S.scope[stmt]!, stmt, frame: null };
      if (isOp(buf, t - 1, OP_DOT) || (at.scope !== 0 && boundInScope(r, nameAt(r, t), at.scope))) unknown();
      const call = isOpen(buf, t + 1, CH_LPAREN) ? t + 1 : isOp(buf, t + 1, OP_DOT) && isOpen(buf, t + 3, CH_LPAREN) ? t + 3 : -1;
      if (call < 0 || buf.match[call]! < 0) unknown();
      const factory = call === t + 1 ? null : constructionAt(r, t, buf.match[call]! + 1, at);
      if (call !== t + 1 && factory?.cls !== cls) unknown();
      made.push(factory === null ? { open: call, at, under: stmt } : { open: factory.open, at: factory.at, under: stmt });
    }
    for (const { open, at, under } of made) {
      sites++;
      const close = buf.match[open]!;
      const paths = argumentFor(r, param, true, callArguments(r, open, close), at, scope, [open - 1, close + 1], value);
      const path = reaching(r, S.scope[under]!, null, under);
      if (path.defs === null) continue;
      for (const p of paths) out.push(on(p, path.path));
    }
  }
  return sites;
}
