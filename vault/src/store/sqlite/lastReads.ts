// The last successful run-time read per secret and agent, in SQLite: audit.db's last_reads, which
// the audit worker upserts with each group of read records (auditWorker.ts), so keeping it costs
// the read path no statement of its own. Read here for metadata; its rows go with a deleted secret
// or agent (kept when a grant is only revoked: that history is what an access review asks for).

import type { SecretLastRead } from '../../../../protocol/api';
import type { AgentLastRead } from '../types';
import type { SqliteContext } from './sqliteContext';

/** The store's last reads. */
export class SqliteLastReads {
  private readonly stmt;

  constructor(private readonly ctx: SqliteContext) {
    const log = ctx.accessLog;
    this.stmt = {
      ofSecret: log.prepare('SELECT agent_id AS agent, at, environment FROM last_reads WHERE account_id = ? AND secret_name = ? ORDER BY agent_id'),
      ofAgent: log.prepare('SELECT secret_name AS secret, at, environment FROM last_reads WHERE account_id = ? AND agent_id = ? ORDER BY secret_name'),
      forgetSecret: log.prepare('DELETE FROM last_reads WHERE account_id = ? AND secret_name = ?'),
      forgetAgent: log.prepare('DELETE FROM last_reads WHERE account_id = ? AND agent_id = ?'),
    };
  }

  async lastReads(accountId: string, name: string): Promise<SecretLastRead[]> {
    return this.stmt.ofSecret.all(accountId, name) as SecretLastRead[];
  }

  async agentReads(accountId: string, agent: string): Promise<AgentLastRead[]> {
    const rows = this.stmt.ofAgent.all(accountId, agent) as AgentLastRead[];
    // A read's group can commit just after its secret's delete removed the rows (two files, no
    // shared transaction): such a row names no secret and is not listed.
    const secrets = new Set(this.ctx.db.prepare('SELECT name FROM secrets WHERE account_id = ?').pluck().all(accountId) as string[]);
    return rows.filter((r) => secrets.has(r.secret));
  }

  /** After a secret is deleted or created: no reads of an earlier secret of that name. */
  forgetSecret(accountId: string, name: string): void {
    this.stmt.forgetSecret.run(accountId, name);
  }

  /** After an agent is deleted or created: no reads of an earlier agent of that id. */
  forgetAgent(accountId: string, agent: string): void {
    this.stmt.forgetAgent.run(accountId, agent);
  }
}
