// Run-time reads in PostgreSQL: answers come from the granted-read cache (grantedCache.ts), proven
// current once per batch of reads by reading the change counter that every writer moves.

import type { GrantedReader, GrantedValue } from '../types';
import { toGranted, type GrantedDbRow } from '../rows';
import type { PgContext } from './pgContext';
import { PgGrantedCache } from './grantedCache';

const CHANGE_SEQ_SQL = 'SELECT change_seq FROM vault_state';
const GRANTED_SQL = `SELECT s.name, s.kind, s.value_version, s.key_id, s.nonce, s.ciphertext, s.expires_at, s.value_mac FROM secrets s
  JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
  WHERE s.account_id = $1 AND s.name = $2 AND g.agent_id = $3`;
/** A batch's misses in one statement: row i answers key i (absent: missing or not granted). */
const GRANTED_MANY_SQL = `SELECT k.i, s.name, s.kind, s.value_version, s.key_id, s.nonce, s.ciphertext, s.expires_at, s.value_mac
  FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(account_id, name, agent_id, i)
  JOIN secrets s ON s.account_id = k.account_id AND s.name = k.name
  JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name AND g.agent_id = k.agent_id`;

/** The store's run-time reads. */
export class PgRuntime {
  private readonly granted: PgGrantedCache;

  constructor(private readonly ctx: PgContext) {
    this.granted = new PgGrantedCache(async (keys) => {
      if (keys.length === 1) {
        const k = keys[0]!;
        const rows = await this.ctx.q<GrantedDbRow>({ name: 'sv_granted', text: GRANTED_SQL, values: [k.accountId, k.name, k.agent] });
        return [rows[0] && toGranted(rows[0])];
      }
      const rows = await this.ctx.q<GrantedDbRow & { i: number }>({
        name: 'sv_granted_many',
        text: GRANTED_MANY_SQL,
        values: [keys.map((k) => k.accountId), keys.map((k) => k.name), keys.map((k) => k.agent)],
      });
      const answers: (GrantedValue | undefined)[] = keys.map(() => undefined);
      for (const r of rows) answers[r.i - 1] = toGranted(r);
      return answers;
    });
  }

  generation(): number {
    return this.granted.generation;
  }

  /** The freshness check: one round trip reading the change counter; empties the cache when it moved. */
  private async check(): Promise<void> {
    const rows = await this.ctx.q<{ change_seq: number }>({ name: 'sv_change_seq', text: CHANGE_SEQ_SQL });
    this.granted.observe(rows[0]!.change_seq);
  }

  async readGranted(accountId: string, name: string, agent: string): Promise<GrantedValue | undefined> {
    await this.check();
    return this.granted.lookup(accountId, name, agent);
  }

  grantedReader(): GrantedReader {
    // One check for the whole batch, sent now: every read of the batch had arrived before it, so
    // its answers reflect every change committed before those requests were sent.
    const checked = this.check();
    // Whoever reads uses `checked` (and sees its rejection); an unread one must not be an unhandled rejection.
    checked.catch(() => {});
    return {
      checked,
      readGranted: async (accountId, name, agent) => {
        await checked;
        return this.granted.lookup(accountId, name, agent);
      },
    };
  }

  async listGranted(accountId: string, agent: string): Promise<GrantedValue[]> {
    const rows = await this.ctx.q<GrantedDbRow>(
      `SELECT s.name, s.kind, s.value_version, s.key_id, s.nonce, s.ciphertext, s.expires_at, s.value_mac FROM secrets s
       JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
       WHERE s.account_id = $1 AND g.agent_id = $2 ORDER BY s.name`,
      [accountId, agent],
    );
    return rows.map(toGranted);
  }
}
