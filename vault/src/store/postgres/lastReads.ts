// The last successful run-time read per secret and agent, in PostgreSQL: last_reads, upserted by
// the statement that appends a group's read records (pgContext.ts), so keeping it costs the read
// path no round trip of its own. Replicas agree: they share the table, and the newest time wins.
// Its rows go with a deleted secret or agent, in the delete's transaction (secrets.ts, agents.ts);
// a revoked grant keeps them (history an access review needs).

import type { SecretLastRead } from '../../../../protocol/api';
import type { AgentLastRead } from '../types';
import type { Db, PgContext } from './pgContext';

/** The store's last reads. */
export class PgLastReads {
  constructor(private readonly ctx: PgContext) {}

  async lastReads(accountId: string, name: string): Promise<SecretLastRead[]> {
    return this.ctx.q<SecretLastRead>(
      'SELECT agent_id AS agent, at, environment FROM last_reads WHERE account_id = $1 AND secret_name = $2 ORDER BY agent_id',
      [accountId, name],
    );
  }

  async agentReads(accountId: string, agent: string): Promise<AgentLastRead[]> {
    // Joined with secrets: a read's statement can commit just after its secret's delete removed the
    // rows; such a row names no secret and is not listed (a secret created again forgets it).
    return this.ctx.q<AgentLastRead>(
      `SELECT r.secret_name AS secret, r.at, r.environment FROM last_reads r
       JOIN secrets s ON s.account_id = r.account_id AND s.name = r.secret_name
       WHERE r.account_id = $1 AND r.agent_id = $2 ORDER BY r.secret_name`,
      [accountId, agent],
    );
  }
}

/** In a delete's or create's transaction: no reads of a (previous) secret of that name. */
export async function forgetSecretReads(c: Db, accountId: string, name: string): Promise<void> {
  await c.query('DELETE FROM last_reads WHERE account_id = $1 AND secret_name = $2', [accountId, name]);
}

/** In a delete's or create's transaction: no reads of a (previous) agent of that id. */
export async function forgetAgentReads(c: Db, accountId: string, agent: string): Promise<void> {
  await c.query('DELETE FROM last_reads WHERE account_id = $1 AND agent_id = $2', [accountId, agent]);
}
