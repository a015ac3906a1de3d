// Shape checks for metadata that arrives as JSON from another process (the client's snapshot, a
// snapshot file). Type-only imports, so this file costs a bundle nothing beyond itself.

import type { SecretInfo } from './lsp';

/** Whether `value` has the shape of SecretInfo (JSON from another process is checked before use). */
export function isSecretInfo(value: unknown): value is SecretInfo {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  return (
    typeof s.name === 'string' &&
    typeof s.description === 'string' &&
    (s.kind === 'single' || s.kind === 'kv') &&
    strings(s.keys) &&
    strings(s.agents) &&
    (s.updatedAt === undefined || typeof s.updatedAt === 'string')
  );
}
