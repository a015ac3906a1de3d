// What the extension sends the language server for a connection (ctx.snapshotInput), for one
// folder-less workspace whose default agent is booking-agent.

import type { SnapshotInput } from '../../client/src/core/snapshot';
import type { VaultConnection } from '../../client/src/vault/connection';

export function snapshotInputOf(conn: VaultConnection): SnapshotInput {
  return {
    state: conn.state.state,
    namingStyle: conn.namingStyle,
    role: conn.role,
    secrets: conn.metadata.secrets,
    agents: conn.metadata.agents,
    folders: [],
    defaultAgent: 'booking-agent',
    stale: conn.stale,
    pendingAccess: conn.metadata.pendingAccess,
  };
}
