// The offline copy of the metadata (core/offlineCache.ts) in the extension's global storage: read
// when a connection starts (used until the vault's listing arrives, or for as long as the vault
// cannot be reached), written a few seconds after the metadata changes while known to be current.

import type { VaultConnection } from './vault/connection';
import { cacheFileName, deleteCache, readCache, toCache, writeCache } from './core/offlineCache';

const WRITE_DELAY_MS = 2_000;

export class OfflineStore {
  private timer: NodeJS.Timeout | undefined;
  private pending: (() => Promise<void>) | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** What was last written, so that a retry cycle (connecting, unreachable, …) writes nothing new. */
  /** Keys signed out of in this session: nothing more is written for them. */
  private readonly forgotten = new Set<string>();
  private written: { conn: VaultConnection; version: number; savedAt: string | undefined } | undefined;

  constructor(
    private readonly dir: string,
    private readonly log: { info(m: string): void; warn(m: string): void },
  ) {}

  /** Seeds `conn` from the cache, unless its listing arrived first. Resolves with whether it did. */
  async seed(conn: VaultConnection, token: string): Promise<boolean> {
    // A new connection with this key (signed in again): its metadata may be kept again.
    this.forgotten.delete(cacheFileName(conn.url, token));
    const read = await readCache(this.dir, conn.url, token);
    if (read.problem) this.log.warn(`Offline metadata: ${read.problem}.`);
    if (!read.cache || conn.hasMetadata) return false;
    conn.seed(read.cache);
    this.log.info(`Offline metadata as of ${read.cache.savedAt}: ${read.cache.secrets.length} secrets, used until the vault answers.`);
    return true;
  }

  /** Writes the connection's metadata soon (coalesced), when it came from the vault. */
  schedule(conn: VaultConnection, token: string): void {
    const whoami = conn.lastWhoami;
    if (conn.fromCache || !conn.hasMetadata || !whoami || this.forgotten.has(cacheFileName(conn.url, token))) return;
    const w = this.written;
    if (w && w.conn === conn && w.version === conn.metadata.version && w.savedAt === conn.knownCurrentAt) return;
    this.pending = () => {
      const savedAt = conn.knownCurrentAt;
      if (!savedAt) return Promise.resolve();
      this.written = { conn, version: conn.metadata.version, savedAt };
      return writeCache(this.dir, token, toCache(conn.url, savedAt, whoami, conn.metadata.secrets, conn.metadata.agents, conn.metadata.pendingAccess));
    };
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), WRITE_DELAY_MS);
  }

  /** Writes what is pending now (the connection is being replaced, the extension stops). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const write = this.pending;
    this.pending = undefined;
    if (!write) return this.writing;
    this.writing = this.writing.then(write).catch((e: unknown) => this.log.warn(`Could not save the offline metadata: ${e instanceof Error ? e.message : String(e)}`));
    return this.writing;
  }

  /** Signing out forgets what this key could see. */
  async forget(url: string, token: string): Promise<void> {
    this.forgotten.add(cacheFileName(url, token));
    this.pending = undefined;
    await this.writing;
    await deleteCache(this.dir, url, token);
  }
}
