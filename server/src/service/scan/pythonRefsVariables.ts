// Pass 3 of the Python reference finder: keys read through a variable (`creds = get_secret('x')`,
// then `creds['user']`), attached to every secret the variable may hold at the read: reaching
// definitions over the scope's statements (keyFlow.ts). Code that runs later (a lambda body, a
// generator expression) sees whatever the name holds anywhere in its scope.

import { EV_BIND, EV_BIND_INLINE, EV_USE, Flow, OTHER, type FlowEvent } from './keyFlow';
import { keyAccess } from './pythonRefsArgs';
import { type PythonRefScan, scratch, statements, type Tracked } from './pythonRefsState';
import { IDENT, OP_DOT, OP_WALRUS, isOp } from './tokens';
import { SpanSet } from './tokenSets';
import type { KeyAccess, SecretReference } from './types';

/** Keys read through variables, attached to every secret the variable may hold at the read. */
export function variables(scan: PythonRefScan): void {
  const { text, buf, count } = scan;
  const names = new Map<string, number>();
  for (const tr of scan.tracked) if (!names.has(tr.name)) names.set(tr.name, names.size);
  // A name declared global / nonlocal and bound in that scope may be set by a call we cannot
  // follow: it holds something unknown everywhere.
  const poisoned = new Set<string>();
  if (scan.declared.length > 0) {
    const declared = new Set<string>();
    for (const t of scan.declared) {
      const name = scan.trackedNames.candidate(text, buf, t);
      if (name !== null) declared.add(`${scratch.scopeOf[t]!}:${name}`);
    }
    for (let k = 0; k < scan.bindingCount && declared.size > 0; k++) {
      const b = scratch.bindings[k]!;
      const name = scan.trackedNames.candidate(text, buf, b);
      if (name !== null && declared.has(`${scratch.scopeOf[b]!}:${name}`)) poisoned.add(name);
    }
  }
  const isTracked = (name: string, scope: number): boolean => !poisoned.has(name) && !scan.starScopes.has(scope) && scan.trackedByName.get(name)!.has(scope);
  const targetDef = new Map<number, number>();
  const indexOf = new Map<Tracked, number>();
  scan.tracked.forEach((tr, i) => {
    targetDef.set(tr.target, i);
    indexOf.set(tr, i);
  });

  const events: FlowEvent[] = [];
  // Bindings: where a name gets something else (or, at a tracked target, its secret).
  const otherBound = new Set<string>();
  for (let k = 0; k < scan.bindingCount; k++) {
    const b = scratch.bindings[k]!;
    const name = scan.trackedNames.candidate(text, buf, b);
    if (name === null || !isTracked(name, scratch.scopeOf[b]!)) continue;
    // A secret whose name is computed counts when the name resolves (its keys are checked against
    // every name it may take); one that does not is as unknown as any other value.
    const found = targetDef.get(b);
    const def = found !== undefined && known(scan.tracked[found]!.ref) ? found : OTHER;
    if (def === OTHER) otherBound.add(`${scratch.scopeOf[b]!}:${name}`);
    events.push({ tok: b, type: isOp(buf, b + 1, OP_WALRUS) ? EV_BIND_INLINE : EV_BIND, name: names.get(name)!, scope: scratch.scopeOf[b]!, value: def });
  }
  // Uses: key reads through a tracked name, not shadowed, not written.
  const uses: Array<{ key: KeyAccess; name: string; scope: number; deferred: boolean }> = [];
  for (let t = 0; t < count; t++) {
    if (buf.kind[t] !== IDENT) continue;
    const name = scan.trackedNames.candidate(text, buf, t);
    if (name === null || isOp(buf, t - 1, OP_DOT)) continue;
    const scope = scratch.scopeOf[t]!;
    if (!isTracked(name, scope) || shadowed(scan, t, name)) continue;
    const key = keyAccess(scan, t + 1);
    if (!key) continue;
    const late = inDeferred(scan, t);
    uses.push({ key, name, scope, deferred: late });
    if (!late) events.push({ tok: t, type: EV_USE, name: names.get(name)!, scope, value: uses.length - 1 });
  }
  if (uses.length === 0) return;
  events.sort((x, y) => x.tok - y.tok);

  // Each statement's events.
  const n = statements.count;
  const evFrom = new Int32Array(n);
  const evTo = new Int32Array(n);
  let e = 0;
  for (let k = 0; k < n; k++) {
    while (e < events.length && events[e]!.tok < statements.start[k]!) e++;
    evFrom[k] = e;
    let f = e;
    while (f < events.length && events[f]!.tok < statements.end[k]!) f++;
    evTo[k] = f;
    e = f;
  }
  const reach: Array<ReadonlySet<number> | null> = new Array(uses.length).fill(null);
  const flow = new Flow(statements, events, evFrom, evTo, reach, names.size);
  const scopes = new Map<number, number[]>();
  for (const u of uses) {
    if (u.deferred) continue;
    const ids = scopes.get(u.scope) ?? [];
    const id = names.get(u.name)!;
    if (!ids.includes(id)) ids.push(id);
    scopes.set(u.scope, ids);
  }
  for (const [scope, ids] of scopes) {
    if (scope === 0) flow.run(0, 0, -1, ids);
    else {
      const header = scan.scopeHeader[scope]!;
      flow.run(scope, header + 1, statements.indent[header]!, ids);
    }
  }
  uses.forEach((u, i) => {
    let defs: Iterable<number>;
    if (u.deferred) {
      // Runs later: whatever the name holds anywhere in its scope.
      const all = scan.trackedByName.get(u.name)!.get(u.scope)!;
      if (otherBound.has(`${u.scope}:${u.name}`) || all.some((tr) => !known(tr.ref))) return;
      defs = all.map((tr) => indexOf.get(tr)!);
    } else {
      const set = reach[i];
      if (!set || set.has(OTHER)) return;
      defs = set;
    }
    for (const d of defs) scan.tracked[d]!.ref.keys.push(u.key);
  });
}

/** Whether the name at `t` is a lambda parameter or comprehension target there. */
export function shadowed(scan: PythonRefScan, t: number, name: string): boolean {
  if (scan.shadowSpans === null) {
    // Built once, when the first use is checked (every shadow is known by then): one lookup per
    // use instead of a pass over every lambda and comprehension of the file.
    const { text, buf } = scan;
    const byName = new Map<string, number[]>();
    for (let k = 0; k < scan.shadowCount; k++) {
      const shadowedName = scan.trackedNames.candidate(text, buf, scratch.shadows[k * 3]!);
      if (shadowedName === null) continue;
      let list = byName.get(shadowedName);
      if (!list) byName.set(shadowedName, (list = []));
      list.push(scratch.shadows[k * 3 + 1]!, scratch.shadows[k * 3 + 2]!);
    }
    scan.shadowSpans = new Map([...byName].map(([n, pairs]) => [n, new SpanSet(pairs)]));
  }
  return scan.shadowSpans.get(name)?.has(t) ?? false;
}

export function inDeferred(scan: PythonRefScan, t: number): boolean {
  scan.deferredSpans ??= new SpanSet(Array.from(scratch.deferred.subarray(0, scan.deferredCount * 2)));
  return scan.deferredSpans.has(t);
}

/** A read whose name is a literal, or computed and resolved to its candidates. */
function known(ref: SecretReference): boolean {
  return ref.name !== null || ref.candidates !== undefined;
}
