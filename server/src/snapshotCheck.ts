// The snapshot arrives as JSON from the client: check its shape before building a model from it, so
// that a client bug shows up as one log line instead of a crash on the next keystroke.

import { isSecretInfo } from '../../protocol/guards';
import type { VaultSnapshot } from '../../protocol/lsp';
import { NAMING_STYLES } from '../../protocol/names';

const isString = (v: unknown): v is string => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const nullableString = (v: unknown): boolean => v === null || typeof v === 'string';

/** Why `value` is not a VaultSnapshot, or undefined when it is one. */
export function snapshotProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not an object';
  if (!['connected', 'signed-out', 'unreachable'].includes(value.connection as string)) return 'bad connection';
  if (!NAMING_STYLES.includes(value.namingStyle as never)) return 'bad namingStyle';
  if (!(value.role === null || value.role === 'admin' || value.role === 'developer')) return 'bad role';
  if (!nullableString(value.defaultAgent)) return 'bad defaultAgent';
  if (!Array.isArray(value.secrets)) return 'secrets is not an array';
  if (!(value.secrets as unknown[]).every(isSecretInfo)) return 'bad secret entry';
  if (!Array.isArray(value.agents) || !value.agents.every((a) => isObject(a) && isString(a.id) && isString(a.name))) {
    return 'bad agents';
  }
  if (!Array.isArray(value.folders) || !value.folders.every((f) => isObject(f) && isString(f.folderUri) && nullableString(f.agent))) {
    return 'bad folders';
  }
  return undefined;
}

export function isVaultSnapshot(value: unknown): value is VaultSnapshot {
  return snapshotProblem(value) === undefined;
}
