// Early notice of changes made through other replicas: one dedicated connection that LISTENs on the
// channels the schema's triggers NOTIFY (schema.ts). Best effort by design: notifications sent
// while this connection is down are lost, so after each reconnect it reports a plain `change`
// (look again), and nothing's correctness depends on it (caches check the change counter anyway).

import pg from 'pg';
import type { StoreSignal } from '../types';

export const CHANGE_CHANNEL = 'secrets_vault_change';
export const EVENTS_CHANNEL = 'secrets_vault_events';

/** Reconnect delays: doubling from the first to the last, then staying there. */
const BACKOFF_FIRST_MS = 200;
const BACKOFF_MAX_MS = 5_000;

export class ChangeListener {
  private readonly listeners = new Set<(signal: StoreSignal) => void>();
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private delay = BACKOFF_FIRST_MS;
  private stopped = false;
  private started = false;
  /** Connection attempts so far: any connection after the first may have missed notifications. */
  private attempts = 0;

  constructor(private readonly config: pg.ClientConfig) {}

  add(listener: (signal: StoreSignal) => void): () => void {
    this.listeners.add(listener);
    if (!this.started && !this.stopped) {
      this.started = true;
      void this.connect();
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(signal: StoreSignal): void {
    for (const l of [...this.listeners]) {
      try {
        l(signal);
      } catch {
        // A listener's failure is its own; the others still hear about the change.
      }
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.attempts++;
    // No statement or query timeout on this connection: it waits for notifications indefinitely.
    const client = new pg.Client({ ...this.config, statement_timeout: undefined, query_timeout: undefined });
    this.client = client;
    let failed = false;
    const fail = () => {
      if (failed) return;
      failed = true;
      if (this.client === client) this.client = undefined;
      client.removeAllListeners('notification');
      void client.end().catch(() => {});
      this.retry();
    };
    client.on('error', fail);
    client.on('end', fail);
    client.on('notification', (n) => {
      if (n.channel === EVENTS_CHANNEL && n.payload) this.emit({ kind: 'events', accountId: n.payload });
      else this.emit({ kind: 'change' });
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}; LISTEN ${EVENTS_CHANNEL}`);
    } catch {
      fail();
      return;
    }
    if (this.stopped) {
      void client.end().catch(() => {});
      return;
    }
    this.delay = BACKOFF_FIRST_MS;
    if (this.attempts > 1) this.emit({ kind: 'change' });
  }

  private retry(): void {
    if (this.stopped || this.timer) return;
    const delay = this.delay;
    this.delay = Math.min(this.delay * 2, BACKOFF_MAX_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, delay);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.listeners.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
  }
}
