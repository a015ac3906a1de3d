// Live change events. The store persists each event with its change, under the account's own
// sequence, and an account's events commit in id order (see AuditStore.eventsAfter). This bus
// fans them out to the open SSE streams of the account, and it reads them from the database, not
// from the process that made them: with several replicas on one database (or the CLI on the same
// SQLite file), a stream on any replica sees every change made through any of them, in order.
//
// Per account with listeners, the bus keeps the last id it delivered and "pumps" the events after
// it. A pump is asked for by a local commit (publish), by the store's wake-up signal (PostgreSQL's
// NOTIFY: early, best effort) and by a poll every `pollMs` (the guarantee: a lost signal delays an
// event by at most that, it never loses one).

import type { VaultEventEnvelope } from '../../protocol/api';
import type { AuditStore, StoreSignal } from './store/types';

type Listener = (event: VaultEventEnvelope) => void;

/** Where the bus reads events from (the store). */
export interface EventSource {
  readonly audit: Pick<AuditStore, 'eventsAfter' | 'lastEventId'>;
  watch?(listener: (signal: StoreSignal) => void): () => void;
}

export interface EventBusOptions {
  /** How often accounts with listeners are checked for events nobody signalled (default 1 s). */
  pollMs?: number;
  /** Told when reading events fails (the database is away); the bus retries at the next pump. */
  onError?: (e: unknown) => void;
}

const PAGE = 500;

interface AccountFeed {
  listeners: Set<Listener>;
  /** The last id delivered; undefined until the starting position is known. */
  last: number | undefined;
  /** Settles when `last` is known (rejects when it could not be read; the next pump tries again). */
  ready: Promise<void>;
  starting: boolean;
  running: boolean;
  again: boolean;
}

export class EventBus {
  private readonly feeds = new Map<string, AccountFeed>();
  private timer: NodeJS.Timeout | undefined;
  private unwatch: (() => void) | undefined;
  private readonly pollMs: number;

  constructor(
    private readonly source: EventSource,
    private readonly options: EventBusOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1000;
  }

  subscribe(accountId: string, listener: Listener): () => void {
    let feed = this.feeds.get(accountId);
    if (!feed) {
      feed = { listeners: new Set(), last: undefined, ready: Promise.resolve(), starting: false, running: false, again: false };
      this.feeds.set(accountId, feed);
      this.begin(accountId, feed);
      this.start();
    }
    const f = feed;
    f.listeners.add(listener);
    return () => {
      f.listeners.delete(listener);
      if (f.listeners.size === 0 && this.feeds.get(accountId) === f) {
        this.feeds.delete(accountId);
        if (this.feeds.size === 0) this.stop();
      }
    };
  }

  /**
   * Settles once events committed from now on will reach the account's listeners (those
   * subscribed before the call): a stream subscribes, awaits this, then replays from the store.
   * Rejects when the starting position could not be read.
   */
  async ready(accountId: string): Promise<void> {
    await this.feeds.get(accountId)?.ready;
  }

  /**
   * A change was committed in this process with these events: deliver them (read back from the
   * store, after whatever committed before them, so the order is the database's).
   */
  publish(accountId: string, _events: VaultEventEnvelope[]): void {
    const feed = this.feeds.get(accountId);
    if (feed) this.pump(accountId, feed);
  }

  get subscriberCount(): number {
    let n = 0;
    for (const f of this.feeds.values()) n += f.listeners.size;
    return n;
  }

  /** Stops polling and watching (the vault is closing). */
  close(): void {
    for (const f of this.feeds.values()) f.listeners.clear();
    this.feeds.clear();
    this.stop();
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      for (const [id, f] of this.feeds) this.pump(id, f);
    }, this.pollMs);
    this.timer.unref();
    this.unwatch = this.source.watch?.((signal) => {
      if (signal.kind === 'events') {
        const f = this.feeds.get(signal.accountId);
        if (f) this.pump(signal.accountId, f);
      } else {
        for (const [id, f] of this.feeds) this.pump(id, f);
      }
    });
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.unwatch?.();
    this.unwatch = undefined;
  }

  /** Reads the starting position: events committed after it reach the listeners; a stream replays what came before. */
  private begin(accountId: string, feed: AccountFeed): void {
    feed.starting = true;
    feed.ready = this.source.audit.lastEventId(accountId).then(
      (id) => {
        feed.starting = false;
        feed.last ??= id;
        if (feed.again) this.pump(accountId, feed);
      },
      (e: unknown) => {
        feed.starting = false;
        this.options.onError?.(e);
        throw e;
      },
    );
    feed.ready.catch(() => {});
  }

  /** Reads and delivers the account's events after the last delivered; one pump at a time per account. */
  private pump(accountId: string, feed: AccountFeed): void {
    if (feed.last === undefined) {
      feed.again = true;
      if (!feed.starting) this.begin(accountId, feed);
      return;
    }
    if (feed.running) {
      feed.again = true;
      return;
    }
    feed.running = true;
    feed.again = false;
    void (async () => {
      try {
        for (;;) {
          const page = await this.source.audit.eventsAfter(accountId, feed.last!, PAGE);
          for (const e of page) {
            if (e.id <= feed.last!) continue;
            feed.last = e.id;
            for (const l of feed.listeners) l(e);
          }
          if (page.length < PAGE && !feed.again) break;
          feed.again = false;
        }
      } catch (e) {
        this.options.onError?.(e);
      } finally {
        feed.running = false;
      }
    })();
  }
}
