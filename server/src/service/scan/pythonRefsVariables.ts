// Pass 3 of the Python reference finder: keys read through a variable (`creds = get_secret('x')`,
// then `creds['user']`), attached to every secret the variable may hold at the read: reaching
// definitions over the scope's statements (keyFlow.ts). Code that runs later (a lambda body, a
// generator expression) sees whatever the name holds anywhere in its scope.

import { EV_BIND, EV_BIND_INLINE, EV_USE, Flow, OTHER, type FlowEvent } from './keyFlow';
import { keyAccess } from './pythonRefsArgs';
import { type PythonRefScan, scratch, statements } from './pythonRefsState';
import { OP_WALRUS, isOp } from './tokens';
import { SpanSet } from './tokenSets';
import type { KeyAccess, SecretReference } from './types';

/** Keys read through variables, attached to every secret the variable may hold at the read. */
export function variables(scan: PythonRefScan): void {
  const { text, buf, tracked } = scan;
  const targets = scan.trackedTargets;
  // Each tracked name's index, in the order first assigned; a (scope, name) pair is one number.
  const names = new Map<string, number>();
  const nameOf = new Int32Array(tracked.length);
  for (let i = 0; i < tracked.length; i++) {
    const name = scan.trackedNames.candidate(text, buf, targets[i]!)!;
    let id = names.get(name);
    if (id === undefined) names.set(name, (id = names.size));
    nameOf[i] = id;
  }
  const width = names.size;
  const pair = (scope: number, id: number): number => scope * width + id;
  // Per (scope, name), the definitions there in order: the first, then a chain through `nextDef`.
  const firstDef = new Map<number, number>();
  const nextDef = new Int32Array(tracked.length);
  for (let i = tracked.length - 1; i >= 0; i--) {
    const key = pair(scratch.scopeOf[targets[i]!]!, nameOf[i]!);
    nextDef[i] = firstDef.get(key) ?? -1;
    firstDef.set(key, i);
  }
  // A name declared global / nonlocal and bound in that scope may be set by a call we cannot
  // follow: it holds something unknown everywhere.
  const poisoned = new Uint8Array(width);
  if (scan.declared.length > 0) {
    const declared = new Set<number>();
    for (const t of scan.declared) {
      const name = scan.trackedNames.candidate(text, buf, t);
      if (name !== null) declared.add(pair(scratch.scopeOf[t]!, names.get(name)!));
    }
    for (let k = 0; k < scan.bindingCount && declared.size > 0; k++) {
      const b = scratch.bindings[k]!;
      const name = scan.trackedNames.candidate(text, buf, b);
      if (name === null) continue;
      const id = names.get(name)!;
      if (declared.has(pair(scratch.scopeOf[b]!, id))) poisoned[id] = 1;
    }
  }
  const isTracked = (id: number, scope: number): boolean => poisoned[id] === 0 && !scan.starScopes.has(scope) && firstDef.has(pair(scope, id));

  // Uses: key reads (`name[…]`, `name.get(…)`, found by the references pass) through a tracked
  // name, not shadowed, not written.
  const useKey: KeyAccess[] = [];
  const useName: number[] = [];
  const useScope: number[] = [];
  const useDeferred: boolean[] = [];
  const useEvents: FlowEvent[] = [];
  /** The (scope, name) pairs read where they stand (their bindings are the flow's events), and later. */
  const flowPairs = new Set<number>();
  const latePairs = new Set<number>();
  /** 1 for the scopes with a read: a binding elsewhere is passed over at once. */
  const readScopes = new Uint8Array(scan.scopeCounter + 1);
  for (let k = 0; k < scan.keyReadCount; k++) {
    const t = scratch.keyReads[k]!;
    const name = scan.trackedNames.candidate(text, buf, t);
    if (name === null) continue;
    const scope = scratch.scopeOf[t]!;
    const id = names.get(name)!;
    if (!isTracked(id, scope) || shadowed(scan, t, name)) continue;
    const key = keyAccess(scan, t + 1);
    if (!key) continue;
    const late = inDeferred(scan, t);
    useKey.push(key);
    useName.push(id);
    useScope.push(scope);
    useDeferred.push(late);
    readScopes[scope] = 1;
    if (!late) {
      useEvents.push({ tok: t, type: EV_USE, name: id, scope, value: useKey.length - 1 });
      flowPairs.add(pair(scope, id));
    } else latePairs.add(pair(scope, id));
  }
  if (useKey.length === 0) return;

  // Bindings: where a name gets something else (or, at a tracked target, its secret).
  const targetDef = new Map<number, number>();
  for (let i = 0; i < tracked.length; i++) targetDef.set(targets[i]!, i);
  const otherBound = new Set<number>();
  const bindEvents: FlowEvent[] = [];
  for (let k = 0; k < scan.bindingCount; k++) {
    const b = scratch.bindings[k]!;
    const scope = scratch.scopeOf[b]!;
    if (readScopes[scope] === 0) continue;
    const name = scan.trackedNames.candidate(text, buf, b);
    if (name === null) continue;
    const id = names.get(name)!;
    // Only the pairs read matter (each is tracked where it is read).
    const key = pair(scope, id);
    const inFlow = flowPairs.has(key);
    if (!inFlow && !latePairs.has(key)) continue;
    // A secret whose name is computed counts when the name resolves (its keys are checked against
    // every name it may take); one that does not is as unknown as any other value.
    const found = targetDef.get(b);
    const def = found !== undefined && known(tracked[found]!) ? found : OTHER;
    if (def === OTHER) otherBound.add(key);
    if (inFlow) bindEvents.push({ tok: b, type: isOp(buf, b + 1, OP_WALRUS) ? EV_BIND_INLINE : EV_BIND, name: id, scope, value: def });
  }
  // In token order (a stable sort: a binding before a use at the same token).
  const events = bindEvents.concat(useEvents).sort((x, y) => x.tok - y.tok);

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
  const reach: Array<ReadonlySet<number> | null> = new Array(useKey.length).fill(null);
  const flow = new Flow(statements, events, evFrom, evTo, reach, width);
  const scopes = new Map<number, number[]>();
  for (let u = 0; u < useKey.length; u++) {
    if (useDeferred[u]) continue;
    const ids = scopes.get(useScope[u]!);
    if (!ids) scopes.set(useScope[u]!, [useName[u]!]);
    else if (!ids.includes(useName[u]!)) ids.push(useName[u]!);
  }
  for (const [scope, ids] of scopes) {
    if (scope === 0) flow.run(0, 0, -1, ids);
    else {
      const header = scan.scopeHeader[scope]!;
      flow.run(scope, header + 1, statements.indent[header]!, ids);
    }
  }
  for (let u = 0; u < useKey.length; u++) {
    const access = useKey[u]!;
    if (useDeferred[u]) {
      // Runs later: whatever the name holds anywhere in its scope.
      const at = pair(useScope[u]!, useName[u]!);
      if (otherBound.has(at)) continue;
      const first = firstDef.get(at)!;
      let unknown = false;
      for (let d = first; d >= 0 && !unknown; d = nextDef[d]!) unknown = !known(tracked[d]!);
      if (unknown) continue;
      for (let d = first; d >= 0; d = nextDef[d]!) tracked[d]!.keys.push(access);
    } else {
      const set = reach[u];
      if (!set || set.has(OTHER)) continue;
      for (const d of set) tracked[d]!.keys.push(access);
    }
  }
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
