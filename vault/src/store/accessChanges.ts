// A batch of access changes, decided the same way by both stores inside their transaction: the
// first change that cannot apply refuses the batch; otherwise which changes change anything and
// which secrets they touch. Each store looks the state up its own way (SQLite row by row, PostgreSQL
// in three queries) and writes the result.

import type { AccessChange } from '../../../protocol/api';
import type { AccessChangesWrite } from './types';

/** What the decision needs to know of the state, as the transaction sees it. */
export interface AccessChangeState {
  /** The secret's version; undefined when there is no such secret. */
  version(secret: string): number | undefined;
  agentExists(agent: string): boolean;
  granted(secret: string, agent: string): boolean;
}

export type AccessChangesPlan =
  | { ok: true; changed: boolean[]; touched: string[] }
  | Extract<AccessChangesWrite, { ok: false }>;

/** Refused at the first change, in order, that names a missing secret, an unknown agent or a moved version. */
export function planAccessChanges(changes: readonly AccessChange[], state: AccessChangeState): AccessChangesPlan {
  const changed: boolean[] = [];
  const touched = new Set<string>();
  for (const [index, c] of changes.entries()) {
    const version = state.version(c.secret);
    if (version === undefined) return { ok: false, index, reason: 'missing' };
    if (c.version !== undefined && c.version !== version) return { ok: false, index, reason: 'conflict', currentVersion: version };
    if (!state.agentExists(c.agent)) return { ok: false, index, reason: 'unknown-agent' };
    const change = state.granted(c.secret, c.agent) !== c.granted;
    changed.push(change);
    if (change) touched.add(c.secret);
  }
  // Sorted: the order of the events, and of the rows a store locks.
  return { ok: true, changed, touched: [...touched].sort() };
}

/** Memoised lookups: a batch names the same secrets and agents many times. */
export function memo<K, V>(look: (key: K) => V): (key: K) => V {
  const seen = new Map<K, V>();
  return (key) => {
    if (seen.has(key)) return seen.get(key)!;
    const v = look(key);
    seen.set(key, v);
    return v;
  };
}
