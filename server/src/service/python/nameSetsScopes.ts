// Scopes as Python defines them, for the name-set resolver: what a closure sees of the function it
// is defined in, and whether a class is an Enum (whose members' `.value` is what they are written as).

import { bindingsOf, isClassScope } from './nameSetsFlow';
import type { Resolver } from './nameSetsTypes';
import { statements as S } from './pythonRefsState';
import { CH_LPAREN, IDENT, isOpen, tokenIs } from '../scan/tokens';

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
  const { text, buf } = r.scan;
  if (cls < 0) return false;
  // The header statement is `class Names`; its bases are the group after it.
  const open = S.end[r.scan.scopeHeader[cls]!]!;
  if (!isOpen(buf, open, CH_LPAREN)) return false;
  const close = Math.min(buf.match[open]! >= 0 ? buf.match[open]! : open, open + 64);
  for (let k = open + 1; k < close; k++) if (buf.kind[k] === IDENT && (tokenIs(text, buf, k, 'Enum') || tokenIs(text, buf, k, 'StrEnum'))) return true;
  return false;
}
