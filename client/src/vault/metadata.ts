// The extension's copy of the vault's metadata (never a value): secrets and agents by id, kept up
// to date from listings and change events. Versions guard against an event that is older than a
// listing fetched meanwhile.

import type { Agent, SecretMetadata, VaultEvent } from '../../../protocol/api';

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class MetadataStore {
  private secretMap = new Map<string, SecretMetadata>();
  private agentMap = new Map<string, Agent>();

  replace(secrets: readonly SecretMetadata[], agents: readonly Agent[]): void {
    this.secretMap = new Map(secrets.map((s) => [s.name, s]));
    this.agentMap = new Map(agents.map((a) => [a.id, a]));
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
        return this.secretMap.delete(event.name);
      case 'agent.created':
        if (this.agentMap.has(event.agent.id)) return false;
        this.agentMap.set(event.agent.id, event.agent);
        return true;
      case 'agent.deleted': {
        const had = this.agentMap.delete(event.id);
        // The vault removes a deleted agent from every access list; the events for those lists may
        // not follow, so drop it here too.
        for (const [name, s] of this.secretMap) {
          if (s.agents.includes(event.id)) this.secretMap.set(name, { ...s, agents: s.agents.filter((a) => a !== event.id) });
        }
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
    return true;
  }

  get secrets(): SecretMetadata[] {
    return [...this.secretMap.values()].sort(byName);
  }

  get agents(): Agent[] {
    return [...this.agentMap.values()].sort(byId);
  }

  secret(name: string): SecretMetadata | undefined {
    return this.secretMap.get(name);
  }

  agent(id: string): Agent | undefined {
    return this.agentMap.get(id);
  }
}
