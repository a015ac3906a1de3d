// Keys of a dict or object told apart: after `cfg = {"api_key": key, "model": "gpt-4"}` (or
// `cfg["model"] = …`), `cfg["model"]` carries only what was stored under it. Each key known is a
// name of its own in the environment (`cfg['model']` in Python, `cfg.model` in JavaScript), listed
// per container in FlowState.fieldsOf; a key with no binding of its own reads the whole container.

import type { FlowState } from './state';
import type { Taint } from './taint';

/** The environment's name for key `key` (as keyName gives it: quoted) of the container at `path`. */
function fieldPath(flow: FlowState, path: string, key: string): string {
  if (flow.python) return `${path}[${key}]`;
  const bare = key.slice(1, -1);
  return /^[A-Za-z_$][\w$]*$/.test(bare) ? `${path}.${bare}` : `${path}[${key}]`;
}

/** Binds key `key` of the container at `path` to `taint`, as a name of its own. */
export function bindField(flow: FlowState, path: string, key: string, taint: Taint): void {
  const field = fieldPath(flow, path, key);
  let fields = flow.fieldsOf.get(path);
  if (fields === undefined) flow.fieldsOf.set(path, (fields = new Set()));
  fields.add(field);
  flow.env.assign(field, taint, flow.block);
}

/** What a key of the container at `path` holds when one is known; undefined when none is. */
export function fieldRead(flow: FlowState, path: string | null, key: string | null): Taint | undefined {
  if (path === null || key === null || flow.fieldsOf.size === 0) return undefined;
  return flow.env.lookup(fieldPath(flow, path, key), flow.block);
}

/** `taint` added to the container at `path` under a key not known, so to each of its known keys too. */
export function addToContainer(flow: FlowState, path: string, taint: Taint): void {
  flow.env.add(path, taint, flow.block);
  const fields = flow.fieldsOf.size > 0 ? flow.fieldsOf.get(path) : undefined;
  if (fields !== undefined) for (const field of fields) flow.env.add(field, taint, flow.block);
}
