// The metadata the language server checks documents against (protocol/lsp.ts), built from the
// connection's metadata, never from values, which the extension never reads anyway. core/sync.ts
// decides whether it goes out whole or as a delta.

import type { Agent, Role, SecretMetadata } from '../../../protocol/api';
import type { ConnectionState as LspConnectionState, FolderAgent, PendingAccess, SecretInfo, StaleInfo, VaultSnapshot } from '../../../protocol/lsp';
import type { NamingStyle } from '../../../protocol/names';
import type { ConnectionState } from '../vault/connection';
import { keyMarksOf } from '../../../protocol/sync';
import { secretReads, type KnownReads } from './lastReads';

export interface SnapshotInput {
  state: ConnectionState['state'];
  namingStyle: NamingStyle;
  role: Role | null;
  secrets: readonly SecretMetadata[];
  agents: readonly Agent[];
  folders: readonly FolderAgent[];
  defaultAgent: string | null;
  /** Set when the metadata is not live (offline cache, vault unreachable): since when it is known. */
  stale?: StaleInfo | null;
  /** The account's pending access requests (secret and agent), for "access requested, pending". */
  pendingAccess?: readonly PendingAccess[];
  /** The environment chosen in the editor ('all' or one environment); absent: 'all'. */
  environment?: string;
  /** The last reads of the agents the editor follows (core/lastReads.ts); absent: not known. A new object when they change. */
  reads?: KnownReads;
}

/** Everything in a snapshot but the secrets and agents. */
export type SyncContext = Pick<VaultSnapshot, 'connection' | 'namingStyle' | 'role' | 'folders' | 'defaultAgent' | 'stale'> & {
  pendingAccess: PendingAccess[];
  environment: string;
};

export function lspConnectionState(state: ConnectionState['state']): LspConnectionState {
  switch (state) {
    case 'connected':
      return 'connected';
    case 'connecting':
    case 'unreachable':
      return 'unreachable';
    default:
      return 'signed-out';
  }
}

/** One secret as the server sees it: metadata only, copied field by field (nothing else leaks through). */
export function secretInfo(s: SecretMetadata, reads?: KnownReads): SecretInfo {
  const info: SecretInfo = { name: s.name, description: s.description, kind: s.kind, keys: [...s.keys], agents: [...s.agents], updatedAt: s.updatedAt };
  // Lifecycle: secret-expired, rotation-due and the hovers. Absent from older vaults.
  if (s.expiresAt !== undefined) info.expiresAt = s.expiresAt;
  if (s.rotationDays !== undefined) info.rotationDays = s.rotationDays;
  if (s.valueUpdatedAt !== undefined) info.valueUpdatedAt = s.valueUpdatedAt;
  if (s.valueUpdatedBy !== undefined) info.valueUpdatedBy = s.valueUpdatedBy;
  // The keys' marks: which keys secret-in-log reports and the hover lists as not sensitive.
  const marks = keyMarksOf(s.keySensitivity);
  if (marks !== undefined) info.keySensitivity = marks;
  // The followed agents' last reads of it (the hovers' "last read by …").
  const known = secretReads(s, reads);
  if (known !== undefined) info.reads = known;
  return info;
}

export function buildContext(input: SnapshotInput): SyncContext {
  const connection = lspConnectionState(input.state);
  return {
    connection,
    namingStyle: input.namingStyle,
    role: connection === 'connected' ? input.role : null,
    folders: input.folders.map((f) => (f.name === undefined ? { folderUri: f.folderUri, agent: f.agent } : { folderUri: f.folderUri, agent: f.agent, name: f.name })),
    defaultAgent: input.defaultAgent,
    // Signed out there is nothing to be stale about.
    stale: connection === 'signed-out' ? null : (input.stale ?? null),
    // Sorted, so that the same requests in another order are no change.
    pendingAccess:
      connection === 'signed-out'
        ? []
        : (input.pendingAccess ?? []).map((p) => ({ secret: p.secret, agent: p.agent })).sort((a, b) => compare(a.secret, b.secret) || compare(a.agent, b.agent)),
    // Whatever the connection: it decides which of a computed read's names are reported.
    environment: input.environment ?? 'all',
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function buildSnapshot(input: SnapshotInput, revision = 0): VaultSnapshot {
  const context = buildContext(input);
  // Signed out, the server must not judge references against a previous account's secrets; while
  // unreachable the last metadata is still the best knowledge there is.
  const keep = context.connection !== 'signed-out';
  return {
    revision,
    ...context,
    secrets: keep ? input.secrets.map((s) => secretInfo(s, input.reads)) : [],
    agents: keep ? input.agents.map((a) => ({ id: a.id, name: a.name })) : [],
  };
}
