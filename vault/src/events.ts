// Live change events: the store persists each event with its change (so Last-Event-ID can resume
// from the database); this bus fans committed events out to the open SSE streams of the account.

import type { VaultEventEnvelope } from '../../protocol/api';

type Listener = (event: VaultEventEnvelope) => void;

export class EventBus {
  private readonly listeners = new Map<string, Set<Listener>>();

  subscribe(accountId: string, listener: Listener): () => void {
    let set = this.listeners.get(accountId);
    if (!set) this.listeners.set(accountId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(accountId);
    };
  }

  publish(accountId: string, events: VaultEventEnvelope[]): void {
    const set = this.listeners.get(accountId);
    if (!set) return;
    for (const event of events) for (const l of set) l(event);
  }

  get subscriberCount(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
}
