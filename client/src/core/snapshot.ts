// The metadata snapshot the language server checks documents against (protocol/lsp.ts). Built from
// the connection's metadata, never from values, which the extension never reads anyway.

import type { Agent, Role, SecretMetadata } from '../../../protocol/api';
import type { ConnectionState as LspConnectionState, FolderAgent, VaultSnapshot } from '../../../protocol/lsp';
import type { NamingStyle } from '../../../protocol/names';
import type { ConnectionState } from '../vault/connection';

export interface SnapshotInput {
  state: ConnectionState['state'];
  namingStyle: NamingStyle;
  role: Role | null;
  secrets: readonly SecretMetadata[];
  agents: readonly Agent[];
  folders: readonly FolderAgent[];
  defaultAgent: string | null;
}

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

export function buildSnapshot(input: SnapshotInput): VaultSnapshot {
  const connection = lspConnectionState(input.state);
  // Signed out, the server must not judge references against a previous account's secrets; while
  // unreachable the last metadata is still the best knowledge there is.
  const keep = connection !== 'signed-out';
  return {
    connection,
    namingStyle: input.namingStyle,
    role: connection === 'connected' ? input.role : null,
    secrets: keep
      ? input.secrets.map((s) => ({
          name: s.name,
          description: s.description,
          kind: s.kind,
          keys: [...s.keys],
          agents: [...s.agents],
          updatedAt: s.updatedAt,
        }))
      : [],
    agents: keep ? input.agents.map((a) => ({ id: a.id, name: a.name })) : [],
    folders: input.folders.map((f) => ({ folderUri: f.folderUri, agent: f.agent })),
    defaultAgent: input.defaultAgent,
  };
}
