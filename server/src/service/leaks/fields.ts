// Keys of a dict or object told apart: after `cfg = {"api_key": key, "model": "gpt-4"}` (or
// `cfg["model"] = …`), `cfg["model"]` carries only what was stored under it. Each key known is a
// name of its own in the environment (`cfg['model']` in Python, `cfg.model` in JavaScript), listed
// per container in FlowState.fieldsOf; a key with no binding of its own reads the whole container.

import type { FlowState } from './state';
import type { Taint } from './taint';

/** The environment's name for key `key` (as keyName gives it: quoted) of the container at `path`. */
function fieldPath(s: FlowState, path: string, key: string): string {
  if (s.python) return `${path}[${key}]`;
  const bare = key.slice(1, -1);
  return /^[A-Za-z_$][\w$]*$/.test(bare) ? `${path}.${bare}` : `${path}[${key}]`;
}

/** Binds key `key` of the container at `path` to `taint`, as a name of its own. */
export function bindField(s: FlowState, path: string, key: string, taint: Taint): void {
  const field = fieldPath(s, path, key);
  let fields = s.fieldsOf.get(path);
  if (fields === undefined) s.fieldsOf.set(path, (fields = new Set()));
  fields.add(field);
  s.env.assign(field, taint, s.block);
}

/** What a key of the container at `path` holds when one is known; undefined when none is. */
export function fieldRead(s: FlowState, path: string | null, key: string | null): Taint | undefined {
  if (path === null || key === null || s.fieldsOf.size === 0) return undefined;
  return s.env.lookup(fieldPath(s, path, key), s.block);
}

/** `taint` added to the container at `path` under a key not known, so to each of its known keys too. */
export function addToContainer(s: FlowState, path: string, taint: Taint): void {
  s.env.add(path, taint, s.block);
  const fields = s.fieldsOf.size > 0 ? s.fieldsOf.get(path) : undefined;
  if (fields !== undefined) for (const field of fields) s.env.add(field, taint, s.block);
}
