// Accounts and their settings, user keys and agent tokens (run tokens included), in SQLite.

import type { UserKey } from '../../../../protocol/api';
import type { Account, AccountSettingsChange, AccountStore, Mutation, RevokeResult, TokenRow, TokenStore } from '../types';
import { toTokenRow, TOKEN_SELECT, type TokenDbRow } from '../rows';
import type { SqliteContext } from './sqliteContext';

const ACCOUNT_COLUMNS = 'id, name, naming_style AS namingStyle, created_at AS createdAt, local_runs AS localRuns, versions_kept AS versionsKept';

/** The store's accounts and tokens. */
export class SqliteAccounts implements AccountStore, TokenStore {
  constructor(private readonly ctx: SqliteContext) {}

  async createAccount(account: Account, mutation: Mutation | null): Promise<void> {
    this.ctx.tx(() => {
      this.ctx.db
        .prepare('INSERT INTO accounts (id, name, naming_style, created_at) VALUES (?, ?, ?, ?)')
        .run(account.id, account.name, account.namingStyle, account.createdAt);
      if (mutation) this.ctx.audit(mutation);
    });
  }

  async getAccount(id: string): Promise<Account | undefined> {
    return this.ctx.db
      .prepare(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ?`)
      .get(id) as Account | undefined;
  }

  async listAccounts(): Promise<Account[]> {
    return this.ctx.db
      .prepare(`SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY created_at`)
      .all() as Account[];
  }

  async updateAccountSettings(accountId: string, settings: AccountSettingsChange, mutation: Mutation): Promise<Account | undefined> {
    let pruned = 0;
    const changed = this.ctx.tx(() => {
      const r = this.ctx.db
        .prepare('UPDATE accounts SET local_runs = COALESCE(?, local_runs), versions_kept = COALESCE(?, versions_kept) WHERE id = ?')
        .run(settings.localRuns ?? null, settings.versionsKept ?? null, accountId);
      if (r.changes === 0) return false;
      // Local runs back to admins: developers' run tokens stop now, in this transaction (auth.ts
      // refuses them anyway; revoking them keeps the token list honest and the refusal permanent).
      if (settings.localRuns === 'admins') {
        const revoked = this.ctx.db
          .prepare(
            `UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL AND minted_by IN
               (SELECT id FROM tokens WHERE account_id = ? AND kind = 'user' AND role = 'developer') RETURNING id, agent_id`,
          )
          .all(mutation.now, accountId, accountId) as { id: string; agent_id: string }[];
        this.auditRunTokenRevocations(mutation, revoked, 'local runs returned to admins');
      }
      // Fewer versions kept: every secret's values beyond the new number go now (the current one always stays).
      if (settings.versionsKept !== undefined) {
        pruned = this.ctx.db
          .prepare(
            `DELETE FROM secret_versions WHERE account_id = ? AND value_version <=
               (SELECT s.value_version FROM secrets s WHERE s.account_id = secret_versions.account_id AND s.name = secret_versions.secret_name) - ?`,
          )
          .run(accountId, settings.versionsKept).changes;
      }
      this.ctx.audit(mutation);
      return true;
    });
    if (pruned > 0) this.ctx.shred();
    return changed ? this.getAccount(accountId) : undefined;
  }

  async insertToken(token: TokenRow, mutation: Mutation | null): Promise<void> {
    this.ctx.tx(() => {
      this.ctx.db
        .prepare(
          'INSERT INTO tokens (id, account_id, digest, kind, role, agent_id, name, created_at, revoked_at, expires_at, minted_by, minted_by_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)',
        )
        .run(token.id, token.accountId, token.digest, token.kind, token.role, token.agentId, token.name, token.createdAt, token.expiresAt ?? null, token.mintedBy ?? null, token.mintedByName ?? null);
      if (mutation) this.ctx.audit(mutation);
    });
  }

  async findTokenByDigest(digest: Buffer): Promise<TokenRow | undefined> {
    const r = this.ctx.stmt.tokenByDigest.get(digest) as TokenDbRow | undefined;
    return r && toTokenRow(r);
  }

  async findToken(accountId: string, id: string): Promise<TokenRow | undefined> {
    const r = this.ctx.db.prepare('SELECT * FROM tokens WHERE account_id = ? AND id = ?').get(accountId, id) as TokenDbRow | undefined;
    return r && toTokenRow(r);
  }

  async listUserKeys(accountId: string): Promise<UserKey[]> {
    return this.ctx.db
      .prepare(
        "SELECT id, name, role, created_at AS createdAt, revoked_at AS revokedAt FROM tokens WHERE account_id = ? AND kind = 'user' ORDER BY created_at, id",
      )
      .all(accountId) as UserKey[];
  }

  async revokeToken(accountId: string, id: string, mutation: Mutation): Promise<RevokeResult> {
    // Check and revoke in one IMMEDIATE transaction: two admins revoking each other's keys at once
    // (in two processes, even) cannot both succeed and leave the account without an admin.
    return this.ctx.tx((): RevokeResult => {
      const row = this.ctx.db
        .prepare('SELECT kind, role FROM tokens WHERE account_id = ? AND id = ? AND revoked_at IS NULL')
        .get(accountId, id) as { kind: string; role: string | null } | undefined;
      if (!row) return 'missing';
      if (row.kind === 'user' && row.role === 'admin') {
        const others = this.ctx.db
          .prepare("SELECT COUNT(*) FROM tokens WHERE account_id = ? AND kind = 'user' AND role = 'admin' AND revoked_at IS NULL AND id != ?")
          .pluck()
          .get(accountId, id) as number;
        if (others === 0) {
          this.ctx.audit(mutation, 'denied', 'the last active admin key of the account');
          return 'last-admin';
        }
      }
      this.ctx.db.prepare('UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND id = ?').run(mutation.now, accountId, id);
      this.ctx.audit(mutation);
      // A user key's run tokens go with it, in this transaction: a stolen key's tokens must not outlive it.
      if (row.kind === 'user') {
        const minted = this.ctx.db
          .prepare('UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND minted_by = ? AND revoked_at IS NULL RETURNING id, agent_id')
          .all(mutation.now, accountId, id) as { id: string; agent_id: string }[];
        this.auditRunTokenRevocations(mutation, minted, `its minter ${id} revoked`);
      }
      return 'revoked';
    });
  }

  /** One `agent.runtoken.revoke` record per run token revoked as a consequence of `mutation`. */
  private auditRunTokenRevocations(mutation: Mutation, tokens: { id: string; agent_id: string }[], why: string): void {
    for (const t of tokens) {
      this.ctx.audit({ ...mutation, audit: { ...mutation.audit, action: 'agent.runtoken.revoke', target: t.agent_id, detail: `id: ${t.id}; ${why}` } });
    }
  }

  async listAgentTokens(accountId: string, agentId: string): Promise<TokenRow[]> {
    const rows = this.ctx.db
      .prepare(`${TOKEN_SELECT} WHERE t.account_id = ? AND t.kind = 'agent' AND t.agent_id = ? AND t.revoked_at IS NULL ORDER BY t.created_at, t.id`)
      .all(accountId, agentId) as TokenDbRow[];
    return rows.map(toTokenRow);
  }

  async pruneTokens(cutoff: Date): Promise<number> {
    const at = cutoff.toISOString();
    return this.ctx.tx(() => this.ctx.db.prepare('DELETE FROM tokens WHERE revoked_at < ? OR expires_at < ?').run(at, at).changes);
  }
}
