// Keys read through a helper of the file that returns a secret (for the Python reference finder):
// `def _creds(conv): return conv.utils.get_secret("db")`, then `creds = _creds(conv)` and
// `creds["user"]`, or `_creds(conv)["user"]` (a method likewise, called as `self._creds(conv)`).
// The helper's every `return` is such a read; the name each reads is the same for every caller (a
// literal, or chosen without the helper's own parameters: by `conv.env`, a constant), so a key read
// at any call is checked against each. The variables pass (pythonRefsVariables.ts) follows the name
// a call is assigned to, as it follows `creds = get_secret(…)`.

import { SK_RETURN } from './keyFlow';
import { keyAccess } from './pythonRefsArgs';
import { grow, type PythonRefScan, scratch, statements } from './pythonRefsState';
import { CH_LPAREN, IDENT, LINE, OPEN, OP_ASSIGN, OP_COMMA, OP_DOT, OP_SEMI, isOp, isOpen, tokenIs, type TokenBuffer } from '../scan/tokens';
import type { SecretReference } from '../scan/types';

/** A helper: the reads its returns are, and the scope its `def` is in (the module, or a class). */
interface Helper {
  reads: SecretReference[];
  outer: number;
  method: boolean;
}

/** Finds the helpers and their calls: each call assigned to a name is tracked (scan.tracked), each key read on a call attached. */
export function helperHeld(scan: PythonRefScan): void {
  const helpers = findHelpers(scan);
  if (helpers.size === 0) return;
  const { text, buf, count } = scan;
  const { scopeOf, assignTargetAt, stmtEndAt } = scratch;
  for (let t = 0; t < count; t++) {
    if (buf.kind[t] !== IDENT || !isOpen(buf, t + 1, CH_LPAREN)) continue;
    const helper = helpers.get(text.slice(buf.start[t]!, buf.end[t]!));
    if (helper === undefined || tokenIs(text, buf, t - 1, 'def')) continue;
    // `f(…)` of a module's function; `self.f(…)` of a method, within its class.
    let start = t;
    if (helper.method) {
      if (!isOp(buf, t - 1, OP_DOT) || !tokenIs(text, buf, t - 2, 'self') || isOp(buf, t - 3, OP_DOT) || classOf(scan, scopeOf[t]!) !== helper.outer) continue;
      start = t - 2;
    } else if (isOp(buf, t - 1, OP_DOT)) continue;
    const close = buf.match[t + 1]!;
    if (close < 0) continue;
    const key = keyAccess(scan, close + 1);
    if (key) for (const ref of helper.reads) ref.keys.push(key);
    // `name = <this call>` as a whole statement.
    const target = assignTargetAt[start]!;
    if (target < 0 || !isOp(buf, start - 1, OP_ASSIGN) || stmtEndAt[start] !== close + 1) continue;
    const [first, ...others] = helper.reads;
    const i = scan.tracked.length;
    scratch.trackedTargets = grow(scratch.trackedTargets, i + 1);
    scratch.trackedTargets[i] = target;
    scan.tracked.push(first!);
    if (others.length > 0) scan.trackedAlso.set(i, others);
    if (scan.trackedNames.candidate(text, buf, target) === null) scan.trackedNames.add(text.slice(buf.start[target]!, buf.end[target]!));
  }
}

/**
 * The functions of the file whose every `return` is a secret read whose name does not depend on
 * what the function is given (a literal; or computed and resolved, in a function with at most one
 * parameter besides `self` / `cls`: the conversation), by name; a name defined twice is none.
 */
function findHelpers(scan: PythonRefScan): Map<string, Helper> {
  const { text, buf } = scan;
  const out = new Map<string, Helper>();
  const readAt = new Map<number, SecretReference>();
  for (const ref of scan.refs) if (ref.form === 'get_secret' && ref.mapped === undefined && ref.literal.closed) readAt.set(ref.span.start, ref);
  if (readAt.size === 0) return out;
  // Per function scope, the reads its returns are (null: a return that is something else).
  const returns = new Map<number, SecretReference[] | null>();
  for (let i = 0; i < statements.count; i++) {
    if (statements.kind[i] !== SK_RETURN) continue;
    const scope = statements.scope[i]!;
    const s = statements.start[i]!;
    if (scope === 0 || !tokenIs(text, buf, s, 'return') || returns.get(scope) === null) continue;
    const ref = readAt.get(buf.start[s + 1]!);
    const end = valueEnd(buf, s, statements.end[i]!);
    if (ref === undefined || buf.end[end - 1] !== ref.span.end) returns.set(scope, null);
    else (returns.get(scope) ?? returns.set(scope, []).get(scope)!).push(ref);
  }
  // Every def's name, at any level: a name defined twice is no one helper.
  const defs = new Map<string, number>();
  for (let i = 0; i < statements.count; i++) {
    const def = defToken(scan, statements.start[i]!);
    if (def >= 0) defs.set(nameOf(scan, def + 1), (defs.get(nameOf(scan, def + 1)) ?? 0) + 1);
  }
  for (const [scope, reads] of returns) {
    if (reads === null) continue;
    const header = scan.scopeHeader[scope]!;
    const def = defToken(scan, statements.start[header]!);
    if (def < 0) continue;
    const name = nameOf(scan, def + 1);
    const outer = statements.scope[header]!;
    const method = outer > 0 && classOf(scan, scope) === outer;
    // A function nested in another is not called by name from elsewhere.
    if (defs.get(name) !== 1 || (outer > 0 && !method)) continue;
    const params = parameterCount(scan, def + 2) - (method ? 1 : 0);
    if (reads.every((ref) => ref.name !== null || (ref.candidates !== undefined && ref.open === undefined && params <= 1))) out.set(name, { reads, outer, method });
  }
  return out;
}

/** The `def` token of a statement starting at `s` (`def f(…):`, `async def f(…):`) with its name after it, or -1. */
function defToken(scan: PythonRefScan, s: number): number {
  const { text, buf } = scan;
  const def = tokenIs(text, buf, s, 'async') ? s + 1 : s;
  return tokenIs(text, buf, def, 'def') && buf.kind[def + 1] === IDENT ? def : -1;
}

const nameOf = (scan: PythonRefScan, t: number): string => scan.text.slice(scan.buf.start[t]!, scan.buf.end[t]!);

/** The class a method's scope is directly in (the scope its def is in, a `class`), or -1. */
function classOf(scan: PythonRefScan, scope: number): number {
  if (scope <= 0) return -1;
  const outer = statements.scope[scan.scopeHeader[scope]!]!;
  return outer > 0 && tokenIs(scan.text, scan.buf, statements.start[scan.scopeHeader[outer]!]!, 'class') ? outer : -1;
}

/** The end of the statement [s, end)'s value: before its trailing LINE tokens and `;`. */
function valueEnd(buf: TokenBuffer, s: number, end: number): number {
  let e = end;
  while (e > s && (buf.kind[e - 1] === LINE || isOp(buf, e - 1, OP_SEMI))) e--;
  return e;
}

/** The number of parameters in the group opening at `open` (`def f(conv, flag=False)`: 2). */
function parameterCount(scan: PythonRefScan, open: number): number {
  const { buf } = scan;
  const close = buf.match[open]!;
  if (!isOpen(buf, open, CH_LPAREN) || close <= open + 1) return 0;
  let n = 1;
  for (let t = open + 1; t < close; t++) {
    if (buf.kind[t] === OPEN && buf.match[t]! > t) t = buf.match[t]!;
    else if (isOp(buf, t, OP_COMMA) && t + 1 < close) n++;
  }
  return n;
}

