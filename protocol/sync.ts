// Validators for the metadata sync messages (protocol/lsp.ts): the server checks every snapshot and
// delta on receipt (a bad one is logged and answered with a resync, never a crash), and the client
// checks its offline cache file with the same functions. Type-only imports of ours.

import type { AgentInfo, FolderAgent, MetadataChange, MetadataDelta, PendingAccess, SecretInfo, SecretReadInfo, StaleInfo, VaultSnapshot } from './lsp';
import { NAMING_STYLES } from './names';
import { hasValidLifecycle, isPendingAccess, isSecretInfo } from './guards';
import { KEY_SENSITIVITIES, sameKeyMarks, type KeySensitivity } from './keySensitivity';
import { isEnvironmentChoice } from './environments';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const nullableString = (v: unknown): boolean => v === null || typeof v === 'string';
const isRevision = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isConnection = (v: unknown): boolean => v === 'connected' || v === 'signed-out' || v === 'unreachable';
const isRole = (v: unknown): boolean => v === null || v === 'admin' || v === 'developer';
const isNamingStyle = (v: unknown): boolean => NAMING_STYLES.includes(v as never);
const isAgentInfo = (v: unknown): v is AgentInfo => isObject(v) && isString(v.id) && isString(v.name);
const isFolderAgent = (v: unknown): v is FolderAgent => isObject(v) && isString(v.folderUri) && nullableString(v.agent) && (v.name === undefined || nullableString(v.name));
const isStale = (v: unknown): v is StaleInfo | null => v === null || (isObject(v) && isString(v.since));
/** A secret of a sync message: the shape, its lifecycle fields and its keys' marks well-typed (the server compares dates). */
const isSyncedSecret = (v: unknown): v is SecretInfo =>
  isSecretInfo(v) &&
  hasValidLifecycle(v) &&
  ((v as { keySensitivity?: unknown }).keySensitivity === undefined || isKeyMarks((v as { keySensitivity?: unknown }).keySensitivity)) &&
  ((v as { reads?: unknown }).reads === undefined || isReadList((v as { reads?: unknown }).reads));
const isReadInfo = (v: unknown): v is SecretReadInfo => isObject(v) && isString(v.agent) && nullableString(v.at) && nullableString(v.environment);
const isReadList = (v: unknown): v is SecretReadInfo[] => Array.isArray(v) && v.every(isReadInfo);

/** Whether two secrets' known reads are the same (absent and absent only). */
function sameReads(a: readonly SecretReadInfo[] | undefined, b: readonly SecretReadInfo[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((r, i) => r.agent === b[i]!.agent && r.at === b[i]!.at && r.environment === b[i]!.environment);
}

/** Whether `v` is a secret's marks on its keys: an object of `sensitive` / `not-sensitive` (SecretInfo.keySensitivity). */
export function isKeyMarks(v: unknown): v is Record<string, KeySensitivity> {
  return isObject(v) && Object.values(v).every((m) => KEY_SENSITIVITIES.includes(m as KeySensitivity));
}

/**
 * A copy of a secret's marks on its keys when they are well-typed and there is at least one;
 * undefined otherwise (no mark: every key takes its default). The client, the snapshot file and the
 * check copy them through here, so that nothing else an object holds travels with them.
 */
export function keyMarksOf(v: unknown): Record<string, KeySensitivity> | undefined {
  if (!isKeyMarks(v)) return undefined;
  const entries = Object.entries(v);
  if (entries.length === 0) return undefined;
  const out: Record<string, KeySensitivity> = {};
  for (const [k, m] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = m;
  return out;
}

const isPendingList = (v: unknown): v is PendingAccess[] => Array.isArray(v) && v.every(isPendingAccess);
/** The environment chosen in the editor: 'all', or an environment's name (`sandbox`, `pre-release`, `live`, `draft`…). */
export { isEnvironmentChoice };

/** Why `value` is not a VaultSnapshot, or undefined when it is one. */
export function snapshotProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not an object';
  if (!isRevision(value.revision)) return 'bad revision';
  if (!isConnection(value.connection)) return 'bad connection';
  if (!isNamingStyle(value.namingStyle)) return 'bad namingStyle';
  if (!isRole(value.role)) return 'bad role';
  if (!nullableString(value.defaultAgent)) return 'bad defaultAgent';
  if (!Array.isArray(value.secrets)) return 'secrets is not an array';
  if (!value.secrets.every(isSyncedSecret)) return 'bad secret entry';
  if (!Array.isArray(value.agents) || !value.agents.every(isAgentInfo)) return 'bad agents';
  if (!Array.isArray(value.folders) || !value.folders.every(isFolderAgent)) return 'bad folders';
  if (!isStale(value.stale)) return 'bad stale';
  if (value.pendingAccess !== undefined && !isPendingList(value.pendingAccess)) return 'bad pendingAccess';
  if (value.environment !== undefined && !isEnvironmentChoice(value.environment)) return 'bad environment';
  return undefined;
}

export function isVaultSnapshot(value: unknown): value is VaultSnapshot {
  return snapshotProblem(value) === undefined;
}

/** Why `value` is not a MetadataChange, or undefined when it is one. */
export function changeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'change is not an object';
  switch (value.kind) {
    case 'secret':
      return isSyncedSecret(value.secret) ? undefined : 'bad secret';
    case 'secretDeleted':
      return isString(value.name) ? undefined : 'bad secret name';
    case 'agent':
      return isAgentInfo(value.agent) ? undefined : 'bad agent';
    case 'agentDeleted':
      return isString(value.id) ? undefined : 'bad agent id';
    case 'context':
      if (value.connection !== undefined && !isConnection(value.connection)) return 'bad connection';
      if (value.role !== undefined && !isRole(value.role)) return 'bad role';
      if (value.namingStyle !== undefined && !isNamingStyle(value.namingStyle)) return 'bad namingStyle';
      if (value.folders !== undefined && !(Array.isArray(value.folders) && value.folders.every(isFolderAgent))) return 'bad folders';
      if (value.defaultAgent !== undefined && !nullableString(value.defaultAgent)) return 'bad defaultAgent';
      if (value.stale !== undefined && !isStale(value.stale)) return 'bad stale';
      if (value.pendingAccess !== undefined && !isPendingList(value.pendingAccess)) return 'bad pendingAccess';
      if (value.environment !== undefined && !isEnvironmentChoice(value.environment)) return 'bad environment';
      return undefined;
    default:
      return 'unknown change kind';
  }
}

/** Why `value` is not a MetadataDelta, or undefined when it is one. */
export function deltaProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not an object';
  if (!isRevision(value.baseRevision)) return 'bad baseRevision';
  if (!isRevision(value.revision)) return 'bad revision';
  if (!Array.isArray(value.changes)) return 'changes is not an array';
  for (let i = 0; i < value.changes.length; i++) {
    const problem = changeProblem(value.changes[i]);
    if (problem !== undefined) return `change ${i}: ${problem}`;
  }
  return undefined;
}

export function isMetadataDelta(value: unknown): value is MetadataDelta {
  return deltaProblem(value) === undefined;
}

export function isMetadataChange(value: unknown): value is MetadataChange {
  return changeProblem(value) === undefined;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Whether two secrets carry the same metadata. Every field counts: a change this misses is dropped
 * by both ends (the client sends no delta for it, the server keeps the old entry). Absent and null
 * lifecycle fields are the same thing (none).
 */
export function sameSecret(a: SecretInfo, b: SecretInfo): boolean {
  return (
    a.name === b.name &&
    a.description === b.description &&
    a.kind === b.kind &&
    a.updatedAt === b.updatedAt &&
    (a.expiresAt ?? null) === (b.expiresAt ?? null) &&
    (a.rotationDays ?? null) === (b.rotationDays ?? null) &&
    a.valueUpdatedAt === b.valueUpdatedAt &&
    a.valueUpdatedBy === b.valueUpdatedBy &&
    sameStrings(a.keys, b.keys) &&
    sameStrings(a.agents, b.agents) &&
    sameKeyMarks(a.keySensitivity, b.keySensitivity) &&
    sameReads(a.reads, b.reads)
  );
}

/** Whether two lists of pending requests hold the same pairs, in any order (absent: none). */
export function samePending(a: readonly PendingAccess[] | undefined, b: readonly PendingAccess[] | undefined): boolean {
  const key = (p: PendingAccess) => `${p.secret}\u0000${p.agent}`;
  const x = new Set((a ?? []).map(key));
  const y = new Set((b ?? []).map(key));
  return x.size === y.size && [...x].every((k) => y.has(k));
}

/** Whether two folder lists are the same rules, in order (a project's name included: absent is none). */
export function sameFolderAgents(a: readonly FolderAgent[], b: readonly FolderAgent[]): boolean {
  return a.length === b.length && a.every((f, i) => f.folderUri === b[i]!.folderUri && f.agent === b[i]!.agent && f.name === b[i]!.name);
}

/**
 * Whether two snapshots hold the same metadata, whatever their revisions: secrets and agents are
 * matched by name and id (their order does not matter), folders in order.
 */
export function sameSnapshotContent(a: VaultSnapshot, b: VaultSnapshot): boolean {
  if (
    a.connection !== b.connection ||
    a.namingStyle !== b.namingStyle ||
    a.role !== b.role ||
    a.defaultAgent !== b.defaultAgent ||
    (a.stale?.since ?? null) !== (b.stale?.since ?? null) ||
    (a.environment ?? 'all') !== (b.environment ?? 'all') ||
    a.secrets.length !== b.secrets.length ||
    a.agents.length !== b.agents.length ||
    a.folders.length !== b.folders.length ||
    !samePending(a.pendingAccess, b.pendingAccess)
  ) {
    return false;
  }
  if (!sameFolderAgents(a.folders, b.folders)) return false;
  // Both lists must be free of duplicates, or a repeated entry could stand in for a missing one.
  const agents = new Map(b.agents.map((x) => [x.id, x.name]));
  if (agents.size !== b.agents.length || new Set(a.agents.map((x) => x.id)).size !== a.agents.length) return false;
  if (!a.agents.every((x) => agents.get(x.id) === x.name)) return false;
  const secrets = new Map(b.secrets.map((s) => [s.name, s]));
  if (secrets.size !== b.secrets.length || new Set(a.secrets.map((s) => s.name)).size !== a.secrets.length) return false;
  return a.secrets.every((s) => {
    const other = secrets.get(s.name);
    return other !== undefined && sameSecret(s, other);
  });
}
