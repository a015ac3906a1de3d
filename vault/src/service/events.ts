// The account's change events and the store's change signal, as the event stream and listing ETags read them.

import type { VaultEventEnvelope } from '../../../protocol/api';
import { ServiceContext } from './serviceContext';

/** Event ids and replay, and the store's change signal. */
export class EventsService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The account's last event id (0 before its first change); never goes backwards. */
  lastEventId(accountId: string): Promise<number> {
    return this.ctx.store.audit.lastEventId(accountId);
  }

  /** The account's oldest event id still retained (0 when none). */
  oldestEventId(accountId: string): Promise<number> {
    return this.ctx.store.audit.oldestEventId(accountId);
  }

  /** The account's events after `afterId`, in order, at most `limit` (a stream's replay on resume). */
  eventsAfter(accountId: string, afterId: number, limit: number): Promise<VaultEventEnvelope[]> {
    return this.ctx.store.audit.eventsAfter(accountId, afterId, limit);
  }

  /** Calls `listener` on the store's best-effort change signals (see VaultStore.watch); returns a function that stops. */
  watchStore(listener: () => void): () => void {
    return this.ctx.store.watch?.((signal) => {
      if (signal.kind === 'change') listener();
    }) ?? (() => {});
  }
}
