// Attributes an `__init__` sets, for the name-set resolver: `self.X` read in a method of a class
// whose `__init__` alone writes it (nothing else in the file does). Its values are those of the
// assignments there not overwritten by a later one at the body's own level, each with the tests on
// the way to it; a parameter of `__init__` among them is closed over the class's constructions
// (nameSetsExpr.ts's parameter). Read through `self`, an attribute other methods set too
// (`def setup(self): self.X = …`) takes the values of each method's writes (writesIn's anyMethod).

import { tick } from '../evaluate/evaluation';
import { skipGroup } from '../scan/calls';
import { enclosingScope, identsOf, nameKey, reaching, scopeStatements, statementEnd, statementOf } from './nameSetsFlow';
import { DEF_EXPR, type Def, type Resolver } from './nameSetsTypes';
import { scratch, statements as S } from './pythonRefsState';
import { OP, OP_ASSIGN, OP_AUG, OP_DOT, isOp, tokenIs } from '../scan/tokens';

/**
 * `self.X` that the class's `__init__` sets and nothing else in the file writes: the values of its
 * assignments there (those not overwritten by a later one at the body's own level), each with the
 * tests on the way to it; null when X is written anywhere else (or not at all).
 */
export function initialised(r: Resolver, cls: number, name: string): Def[] | null {
  // The same for every read of it (a class whose every method reads it): found once.
  const key = nameKey(r, cls, name);
  const known = (r.inits ??= new Map()).get(key);
  if (known !== undefined) return known;
  const found = writesIn(r, (scope) => scope === cls, name);
  r.inits.set(key, found && found.length > 0 ? found : null);
  return r.inits.get(key)!;
}

/**
 * The values `self.X = …` gives X in the `__init__`s of the classes `among` accepts (`anyMethod`: in
 * any of their methods), each method's assignments not overwritten by a later one at its body's own
 * level, with the tests on the way to each; [] when nothing writes X, null when anything else in the
 * file does (another method, another class, `obj.X = …`, a tuple of targets, `del`).
 */
export function writesIn(r: Resolver, among: (cls: number) => boolean, name: string, anyMethod = false): Def[] | null {
  const { buf } = r.scan;
  const all = initWrites(r, name, anyMethod);
  if (all === null) return null;
  const writes: number[] = [];
  for (const stmt of all) {
    // (A method's `self` is the object of a class: a function nested in one, a class's own body, are not methods.)
    if (!among(enclosingScope(r, S.scope[stmt]!))) return null;
    writes.push(stmt);
  }
  const out: Def[] = [];
  // Each `__init__`'s writes (in token order, so one `__init__`'s are together).
  for (let a = 0; a < writes.length; ) {
    const init = S.scope[writes[a]!]!;
    let b = a;
    while (b < writes.length && S.scope[writes[b]!] === init) b++;
    // A write at the body's own level overwrites the ones before it.
    const base = S.indent[scopeStatements(r, init)[0]!]!;
    let from = a;
    for (let k = a; k < b; k++) if (S.indent[writes[k]!] === base) from = k;
    for (let k = from; k < b; k++) {
      const stmt = writes[k]!;
      const fr = reaching(r, init, null, stmt);
      if (fr.defs === null) continue;
      const end = statementEnd(r, stmt);
      let value = S.start[stmt]! + 4;
      for (let t = value; t < end; t = skipGroup(buf, t, end)) if (isOp(buf, t, OP_ASSIGN)) value = t + 1; // `self.a = self.b = …`
      if (value >= end) return null;
      out.push({ kind: DEF_EXPR, start: value, end, stmt, scope: init, conds: fr.path });
    }
    a = b;
  }
  return out;
}

/**
 * The statements writing `.X` in the file, when each is `self.X = …` as a statement of some class's
 * `__init__` (`anyMethod`: of any function; writesIn keeps those of methods) (null: another write:
 * another method, `obj.X = …`, a tuple of targets, `del`); found once per name, whichever classes ask.
 */
function initWrites(r: Resolver, name: string, anyMethod: boolean): readonly number[] | null {
  const memo = (r.initWrites ??= new Map());
  const key = anyMethod ? `.${name}` : name;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const { text, buf } = r.scan;
  let writes: number[] | null = [];
  for (const t of identsOf(r, name)) {
    tick(r, t, t + 1);
    if (!isOp(buf, t - 1, OP_DOT)) continue;
    const next = buf.kind[t + 1] === OP ? buf.aux[t + 1] : -1;
    // Stored: a target of any kind (`=`, `+=`, `x.X: T = …`, `for x.X in`, `as x.X`, `del`, an
    // element of a tuple of targets), not a header's test (`if self.X:`) nor a slice's bound.
    if (next !== OP_ASSIGN && next !== OP_AUG && scratch.storeEnd[t] !== 1 && !tokenIs(text, buf, t - 3, 'del')) continue;
    // A write: only `self.X = …` as a statement of an `__init__` of a class.
    const stmt = statementOf(t);
    const scope = S.scope[stmt]!;
    const header = r.scan.scopeHeader[scope];
    if (next !== OP_ASSIGN || S.start[stmt] !== t - 2 || !tokenIs(text, buf, t - 2, 'self') || header === undefined || header < 0 || !(anyMethod ? !tokenIs(text, buf, S.start[header]!, 'class') : tokenIs(text, buf, S.end[header]! - 1, '__init__'))) {
      writes = null;
      break;
    }
    writes.push(stmt);
  }
  memo.set(key, writes);
  return writes;
}
