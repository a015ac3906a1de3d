// What the language server is told, and when (protocol/lsp.ts, the metadata sync contract): a full
// snapshot once per connection of the language client (and when the server asks for one), then
// deltas. Each message is derived by comparing the metadata now with what was last sent, so a vault
// event becomes one change, and nothing is sent when nothing changed (a state change that leaves
// the metadata as it was, a switch between editors of the same agent). No vscode here.

import type { AgentInfo, MetadataChange, MetadataDelta, SecretInfo, StaleInfo, VaultSnapshot, ContextChange } from '../../../protocol/lsp';
import { sameFolderAgents, samePending, sameSecret } from '../../../protocol/sync';
import { buildContext, secretInfo, type SnapshotInput, type SyncContext } from './snapshot';

const NONE: readonly object[] = [];

export type Outgoing = { kind: 'snapshot'; snapshot: VaultSnapshot } | { kind: 'delta'; delta: MetadataDelta };

interface Sent {
  revision: number;
  context: SyncContext;
  /** What the server holds, by name, with the source object it came from (identity saves the comparison). */
  secrets: Map<string, { source: object; info: SecretInfo }>;
  agents: Map<string, AgentInfo>;
  /** The lists last compared: the metadata store hands out the same array until it changes. */
  secretList: readonly object[];
  agentList: readonly object[];
  /** The last reads the secrets were built with (a new object when they change). */
  reads: object | undefined;
}

export class MetadataSync {
  private sent: Sent | undefined;
  private revision = 0;
  /** For tests and the log: what went out. */
  readonly stats = { snapshots: 0, deltas: 0, skipped: 0 };

  /** The next message must be a full snapshot (a new language client connection, or the server asked). */
  reset(): void {
    this.sent = undefined;
  }

  /** The message that brings the server to `input`, or undefined when it has it already. */
  next(input: SnapshotInput): Outgoing | undefined {
    const context = buildContext(input);
    const keep = context.connection !== 'signed-out';
    // Signing out drops every secret: one small snapshot says it better than a delete per secret.
    if (this.sent && !keep && (this.sent.secrets.size > 0 || this.sent.agents.size > 0)) this.sent = undefined;
    if (!this.sent) {
      const secrets = new Map<string, { source: object; info: SecretInfo }>();
      if (keep) for (const s of input.secrets) secrets.set(s.name, { source: s, info: secretInfo(s, input.reads) });
      const agents = new Map<string, AgentInfo>();
      if (keep) for (const a of input.agents) agents.set(a.id, { id: a.id, name: a.name });
      const revision = ++this.revision;
      this.sent = { revision, context, secrets, agents, secretList: keep ? input.secrets : NONE, agentList: keep ? input.agents : NONE, reads: input.reads };
      this.stats.snapshots++;
      return {
        kind: 'snapshot',
        snapshot: {
          revision,
          ...context,
          folders: context.folders.map((f) => ({ ...f })),
          pendingAccess: context.pendingAccess.map((p) => ({ ...p })),
          secrets: [...secrets.values()].map((e) => e.info),
          agents: [...agents.values()],
        },
      };
    }
    const sent = this.sent;
    const changes: MetadataChange[] = [];

    // The same list as last time (the store's cached array): no secret or agent changed.
    // Signed out nothing is held, whatever the lists say (NONE differs from every list).
    const secretList = keep ? input.secrets : NONE;
    const agentList = keep ? input.agents : NONE;
    // New reads change secrets whose objects did not: every one is compared again (once per fetch).
    const readsChanged = input.reads !== sent.reads;
    if (secretList !== sent.secretList || readsChanged) {
      this.diffSecrets(sent, keep ? input.secrets : [], changes, input.reads, readsChanged);
      sent.secretList = secretList;
      sent.reads = input.reads;
    }
    if (agentList !== sent.agentList) {
      this.diffAgents(sent, keep ? input.agents : [], changes);
      sent.agentList = agentList;
    }

    const contextChange = diffContext(sent.context, context);
    if (contextChange) {
      // Context first: a secret judged under the new agent or style arrives with it in one message.
      changes.unshift(contextChange);
      sent.context = context;
    }

    if (changes.length === 0) {
      this.stats.skipped++;
      return undefined;
    }
    const baseRevision = sent.revision;
    sent.revision = ++this.revision;
    this.stats.deltas++;
    return { kind: 'delta', delta: { baseRevision, revision: sent.revision, changes } };
  }

  private diffSecrets(sent: Sent, secrets: SnapshotInput['secrets'], changes: MetadataChange[], reads: SnapshotInput['reads'], readsChanged: boolean): void {
    const held = sent.secrets.size;
    let known = 0;
    for (const s of secrets) {
      const before = sent.secrets.get(s.name);
      if (before) {
        known++;
        if (before.source === s && !readsChanged) continue;
        const info = secretInfo(s, reads);
        before.source = s;
        if (sameSecret(before.info, info)) continue;
        before.info = info;
        changes.push({ kind: 'secret', secret: info });
      } else {
        const info = secretInfo(s, reads);
        sent.secrets.set(s.name, { source: s, info });
        changes.push({ kind: 'secret', secret: info });
      }
    }
    // Every name held was seen again (the store's names are unique): nothing was deleted.
    if (known === held) return;
    const names = new Set(secrets.map((s) => s.name));
    for (const name of [...sent.secrets.keys()]) {
      if (names.has(name)) continue;
      sent.secrets.delete(name);
      changes.push({ kind: 'secretDeleted', name });
    }
  }

  private diffAgents(sent: Sent, agents: SnapshotInput['agents'], changes: MetadataChange[]): void {
    const held = sent.agents.size;
    let known = 0;
    for (const a of agents) {
      const before = sent.agents.get(a.id);
      if (before) known++;
      if (before && before.name === a.name) continue;
      const info = { id: a.id, name: a.name };
      sent.agents.set(a.id, info);
      changes.push({ kind: 'agent', agent: info });
    }
    if (known === held) return;
    const ids = new Set(agents.map((a) => a.id));
    for (const id of [...sent.agents.keys()]) {
      if (ids.has(id)) continue;
      sent.agents.delete(id);
      changes.push({ kind: 'agentDeleted', id });
    }
  }

  /** The revision the server should hold, for tests and the log. */
  get sentRevision(): number | undefined {
    return this.sent?.revision;
  }
}

const sameStale = (a: StaleInfo | null, b: StaleInfo | null) => (a?.since ?? null) === (b?.since ?? null);

/** The fields of the context that changed, or undefined. */
export function diffContext(before: SyncContext, after: SyncContext): ContextChange | undefined {
  const change: ContextChange = { kind: 'context' };
  let any = false;
  if (before.connection !== after.connection) {
    change.connection = after.connection;
    any = true;
  }
  if (before.role !== after.role) {
    change.role = after.role;
    any = true;
  }
  if (before.namingStyle !== after.namingStyle) {
    change.namingStyle = after.namingStyle;
    any = true;
  }
  if (!sameFolderAgents(before.folders, after.folders)) {
    change.folders = after.folders.map((f) => ({ ...f }));
    any = true;
  }
  if (before.defaultAgent !== after.defaultAgent) {
    change.defaultAgent = after.defaultAgent;
    any = true;
  }
  if (!sameStale(before.stale, after.stale)) {
    change.stale = after.stale ? { since: after.stale.since } : null;
    any = true;
  }
  if (!samePending(before.pendingAccess, after.pendingAccess)) {
    change.pendingAccess = after.pendingAccess.map((p) => ({ ...p }));
    any = true;
  }
  if (before.environment !== after.environment) {
    change.environment = after.environment;
    any = true;
  }
  return any ? change : undefined;
}
