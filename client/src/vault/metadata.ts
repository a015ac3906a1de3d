// The extension's copy of the vault's metadata (never a value): secrets and agents by id, kept up
// to date from listings and change events. Versions guard against an event that is older than a
// listing fetched meanwhile.

import type { Agent, SecretMetadata, VaultEvent } from '../../../protocol/api';

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class MetadataStore {
  private secretMap = new Map<string, SecretMetadata>();
  private agentMap = new Map<string, Agent>();
  private sortedSecrets: SecretMetadata[] | undefined;
  private sortedAgents: Agent[] | undefined;
  /** Bumped by every change, so that readers (views, sync) can tell "nothing changed" for free. */
  private changes = 0;

  get version(): number {
    return this.changes;
  }

  private touch(): void {
    this.changes++;
    this.sortedSecrets = this.sortedAgents = undefined;
  }

  replace(secrets: readonly SecretMetadata[], agents: readonly Agent[]): void {
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
    this.replace([], []);
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
    }
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
