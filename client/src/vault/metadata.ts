// The extension's copy of the vault's metadata (never a value): secrets and agents by id, and the
// account's pending access requests, kept up to date from listings and change events. Versions guard
// against an event that is older than a listing fetched meanwhile.

import type { AccessRequest, Agent, SecretMetadata, VaultEvent } from '../../../protocol/api';
import type { PendingAccess } from '../../../protocol/lsp';

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class MetadataStore {
  private secretMap = new Map<string, SecretMetadata>();
  private agentMap = new Map<string, Agent>();
  /** Pending access requests only, by id: a decided one leaves. */
  private requestMap = new Map<string, AccessRequest>();
  private sortedSecrets: SecretMetadata[] | undefined;
  private sortedAgents: Agent[] | undefined;
  private sortedRequests: AccessRequest[] | undefined;
  private pendingPairs: PendingAccess[] | undefined;
  /** From the offline cache: the pending (secret, agent) pairs, until a listing brings the requests. */
  private cachedPending: PendingAccess[] | undefined;
  /** Bumped by every change, so that readers (views, sync) can tell "nothing changed" for free. */
  private changes = 0;

  get version(): number {
    return this.changes;
  }

  private touch(): void {
    this.changes++;
    this.sortedSecrets = this.sortedAgents = undefined;
    this.sortedRequests = undefined;
    this.pendingPairs = undefined;
  }

  /** `requests`: the pending ones; undefined keeps those held (a vault without access requests, or a cache). */
  replace(secrets: readonly SecretMetadata[], agents: readonly Agent[], requests?: readonly AccessRequest[]): void {
    if (requests) this.requestMap = new Map(requests.filter((r) => r.status === 'pending').map((r) => [r.id, r]));
    this.cachedPending = undefined;
    // An object whose content is unchanged is kept, so that identity tells "unchanged" downstream.
    const old = this.secretMap;
    this.secretMap = new Map(secrets.map((s) => {
      const o = old.get(s.name);
      return [s.name, o && o.version === s.version && o.updatedAt === s.updatedAt && sameList(o.agents, s.agents) ? o : s];
    }));
    this.agentMap = new Map(agents.map((a) => [a.id, a]));
    this.touch();
  }

  clear(): void {
    this.replace([], [], []);
  }

  /** Applies one change; returns false when it changed nothing (a stale or repeated event). */
  apply(event: VaultEvent): boolean {
    switch (event.type) {
      case 'secret.created':
      case 'secret.updated':
      case 'access.changed':
        return this.upsert(event.secret);
      case 'secret.deleted':
        if (!this.secretMap.delete(event.name)) return false;
        this.touch();
        return true;
      case 'agent.created':
        if (this.agentMap.has(event.agent.id)) return false;
        this.agentMap.set(event.agent.id, event.agent);
        this.touch();
        return true;
      case 'agent.updated':
        // A new display name or description (PATCH /v1/agents/{id}); the id is the same agent.
        this.agentMap.set(event.agent.id, event.agent);
        this.touch();
        return true;
      case 'agent.deleted': {
        const had = this.agentMap.delete(event.id);
        // The vault removes a deleted agent from every access list; the events for those lists may
        // not follow, so drop it here too.
        for (const [name, s] of this.secretMap) {
          if (s.agents.includes(event.id)) this.secretMap.set(name, { ...s, agents: s.agents.filter((a) => a !== event.id) });
        }
        this.touch();
        return had;
      }
      case 'access.requested':
      case 'access.decided':
        return this.upsertRequest(event.request);
    }
  }

  /**
   * Applies a request from an event or an API answer: a pending one is held (or updated), a decided
   * one leaves. Returns false when that changes nothing (a repeated event, our own answer then its event).
   */
  upsertRequest(request: AccessRequest): boolean {
    const held = this.requestMap.get(request.id);
    if (request.status !== 'pending') {
      if (!held) return false;
      this.requestMap.delete(request.id);
      this.touch();
      return true;
    }
    if (held && held.reason === request.reason && held.status === request.status) return false;
    this.requestMap.set(request.id, request);
    this.touch();
    return true;
  }

  /** Applies a secret from an API response (after a grant, an edit) at once. */
  upsert(secret: SecretMetadata): boolean {
    const current = this.secretMap.get(secret.name);
    if (current && current.version > secret.version) return false;
    if (current && current.version === secret.version && current.updatedAt === secret.updatedAt) return false;
    this.secretMap.set(secret.name, secret);
    this.touch();
    return true;
  }

  /** Sorted by name; the same array until the next change (callers must not modify it). */
  get secrets(): readonly SecretMetadata[] {
    return (this.sortedSecrets ??= [...this.secretMap.values()].sort(byName));
  }

  get agents(): readonly Agent[] {
    return (this.sortedAgents ??= [...this.agentMap.values()].sort(byId));
  }

  /** The pending access requests, newest first; the same array until the next change. */
  get requests(): readonly AccessRequest[] {
    return (this.sortedRequests ??= [...this.requestMap.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : byId(a, b))));
  }

  /**
   * The pending pairs the offline cache kept, so that a requester's problem still says "access
   * requested, pending" while the vault is away. The next listing (replace) supersedes them.
   */
  seedPending(pending: readonly PendingAccess[]): void {
    this.cachedPending = pending.map((p) => ({ secret: p.secret, agent: p.agent }));
    this.touch();
  }

  /** The secret and agent of each pending request, for the language server (and the offline cache). */
  get pendingAccess(): readonly PendingAccess[] {
    return (this.pendingPairs ??= this.cachedPending ?? this.requests.map((r) => ({ secret: r.secret, agent: r.agent })));
  }

  request(id: string): AccessRequest | undefined {
    return this.requestMap.get(id);
  }

  get size(): number {
    return this.secretMap.size;
  }

  secret(name: string): SecretMetadata | undefined {
    return this.secretMap.get(name);
  }

  agent(id: string): Agent | undefined {
    return this.agentMap.get(id);
  }
}
