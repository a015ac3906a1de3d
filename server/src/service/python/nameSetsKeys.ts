// Keys read by a computed key (`creds[k]`, `creds[KEY]`), for the name-set resolver: the finite
// set of strings the key expression can take, by the same evaluator as names (a loop or
// comprehension over literals, a constant, a parameter every call passes one), so that a key the
// secret lacks is reported where it is written. Only a subscript, which fails at run time on a
// missing key, is resolved, and only where nothing before it in its function tests the key's
// presence (`if k in creds:`, `if k not in creds: continue`): code that expects a key may be
// missing is left alone. `.get(k)` (which tolerates a missing key) stays unchecked.

import { toCandidates } from '../evaluate/candidates';
import { endRead, startRead, Unresolved } from '../evaluate/evaluation';
import { AnalysisDeadline } from '../scan/budget';
import { IDENT, lowerBound, tokenIs } from '../scan/tokens';
import type { KeyAccess } from '../scan/types';
import { SK_DEF } from './keyFlow';
import { expr } from './nameSetsExpr';
import { statementOf } from './nameSetsFlow';
import type { Resolver } from './nameSetsTypes';
import { statements as S } from './pythonRefsState';

/** How many statements back from a key's read its presence test is looked for. */
const GUARD_STATEMENTS = 64;

/** Sets `access.candidates` for a subscript by a computed key whose values the evaluator knows (see the file's head). */
export function resolveKey(r: Resolver, access: KeyAccess): void {
  if (access.via !== 'subscript' || !access.literal.closed) return;
  const { buf, count, text } = r.scan;
  const span = access.literal.contentSpan;
  const s = lowerBound(buf.start, count, span.start);
  let e = s;
  while (e < count && buf.start[e]! < span.end) e++;
  if (s >= e || buf.start[s] !== span.start) return;
  const stmt = statementOf(s);
  if (e === s + 1 && buf.kind[s] === IDENT && guarded(r, text.slice(buf.start[s]!, buf.end[s]!), stmt)) return;
  const share = startRead(r, r.budget);
  if (share <= 0) return;
  r.depth = 0;
  r.open = null;
  if (r.active.size > 0) r.active.clear();
  let keys: KeyAccess['candidates'] = [];
  try {
    keys = toCandidates(r, expr(r, s, e, { scope: S.scope[stmt]!, stmt, frame: null }), false);
  } catch (err) {
    if (err instanceof AnalysisDeadline || !(err instanceof Unresolved)) throw err;
    keys = [];
  } finally {
    if (endRead(r, r.budget, share)) keys = [];
  }
  // Keys a caller outside the file may choose (an open parameter) are not all known: none is checked.
  if (keys.length > 0 && r.open === null) access.candidates = keys;
}

/**
 * Whether the statement `stmt` reading the key named `key`, or one of the statements before it in
 * its function, tests the key's presence: `key in …` or `key not in …` (a `for key in …` binds it).
 */
function guarded(r: Resolver, key: string, stmt: number): boolean {
  const { text, buf } = r.scan;
  let indent = S.indent[stmt]!;
  for (let i = stmt, n = 0; i >= 0 && n < GUARD_STATEMENTS; i--, n++) {
    if (S.kind[i] === SK_DEF && S.indent[i]! < indent) return false;
    indent = Math.min(indent, S.indent[i]!);
    for (let t = S.start[i]!; t < S.end[i]!; t++) {
      if (buf.kind[t] !== IDENT || !tokenIs(text, buf, t, key) || tokenIs(text, buf, t - 1, 'for')) continue;
      if (tokenIs(text, buf, t + 1, 'in') || (tokenIs(text, buf, t + 1, 'not') && tokenIs(text, buf, t + 2, 'in'))) return true;
    }
  }
  return false;
}
