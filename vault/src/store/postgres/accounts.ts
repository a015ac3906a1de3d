// Accounts and their settings, user keys and agent tokens (run tokens included), in PostgreSQL.

import type { UserKey } from '../../../../protocol/api';
import type { Account, AccountSettingsChange, AccountStore, Mutation, RevokeResult, TokenRow, TokenStore } from '../types';
import { toTokenRow, TOKEN_SELECT, type TokenDbRow } from '../rows';
import type { Db, PgContext } from './pgContext';

const ACCOUNT_COLUMNS = 'id, name, naming_style AS "namingStyle", created_at AS "createdAt", local_runs AS "localRuns", versions_kept AS "versionsKept"';

/** The store's accounts and tokens. */
export class PgAccounts implements AccountStore, TokenStore {
  constructor(private readonly ctx: PgContext) {}

  async createAccount(account: Account, mutation: Mutation | null): Promise<void> {
    await this.ctx.tx(async (c) => {
      await c.query('INSERT INTO accounts (id, name, naming_style, created_at) VALUES ($1, $2, $3, $4)', [account.id, account.name, account.namingStyle, account.createdAt]);
      if (mutation) await this.ctx.audit(c, mutation);
    });
  }

  async getAccount(id: string): Promise<Account | undefined> {
    return (await this.ctx.q<Account>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [id]))[0];
  }

  async listAccounts(): Promise<Account[]> {
    return this.ctx.q<Account>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY created_at`);
  }

  async insertToken(token: TokenRow, mutation: Mutation | null): Promise<void> {
    await this.ctx.tx(async (c) => {
      await c.query(
        'INSERT INTO tokens (id, account_id, digest, kind, role, agent_id, name, created_at, revoked_at, expires_at, minted_by, minted_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10, $11)',
        [token.id, token.accountId, token.digest, token.kind, token.role, token.agentId, token.name, token.createdAt, token.expiresAt ?? null, token.mintedBy ?? null, token.mintedByName ?? null],
      );
      if (mutation) await this.ctx.audit(c, mutation);
    });
  }

  async findTokenByDigest(digest: Buffer): Promise<TokenRow | undefined> {
    const r = (await this.ctx.q<TokenDbRow>({ name: 'sv_token_by_digest', text: `${TOKEN_SELECT} WHERE t.digest = $1`, values: [digest] }))[0];
    return r && toTokenRow(r);
  }

  async findToken(accountId: string, id: string): Promise<TokenRow | undefined> {
    const r = (await this.ctx.q<TokenDbRow>('SELECT * FROM tokens WHERE account_id = $1 AND id = $2', [accountId, id]))[0];
    return r && toTokenRow(r);
  }

  async updateAccountSettings(accountId: string, settings: AccountSettingsChange, mutation: Mutation): Promise<Account | undefined> {
    const changed = await this.ctx.tx(async (c) => {
      const r = await c.query('UPDATE accounts SET local_runs = COALESCE($1, local_runs), versions_kept = COALESCE($2, versions_kept) WHERE id = $3', [
        settings.localRuns ?? null,
        settings.versionsKept ?? null,
        accountId,
      ]);
      if (r.rowCount === 0) return false;
      // Local runs back to admins: developers' run tokens stop now, in this transaction (auth.ts
      // refuses them anyway; revoking them keeps the token list honest and the refusal permanent).
      if (settings.localRuns === 'admins') {
        const revoked = await c.query<{ id: string; agent_id: string }>(
          `UPDATE tokens SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL AND minted_by IN
             (SELECT id FROM tokens WHERE account_id = $2 AND kind = 'user' AND role = 'developer') RETURNING id, agent_id`,
          [mutation.now, accountId],
        );
        await this.auditRunTokenRevocations(c, mutation, revoked.rows, 'local runs returned to admins');
      }
      // Fewer versions kept: every secret's values beyond the new number go now (the current one always stays).
      if (settings.versionsKept !== undefined) {
        await c.query(
          `DELETE FROM secret_versions v USING secrets s
           WHERE v.account_id = $1 AND s.account_id = v.account_id AND s.name = v.secret_name AND v.value_version <= s.value_version - $2`,
          [accountId, settings.versionsKept],
        );
      }
      await this.ctx.audit(c, mutation);
      return true;
    });
    return changed ? this.getAccount(accountId) : undefined;
  }

  async listUserKeys(accountId: string): Promise<UserKey[]> {
    return this.ctx.q<UserKey>(
      `SELECT id, name, role, created_at AS "createdAt", revoked_at AS "revokedAt" FROM tokens WHERE account_id = $1 AND kind = 'user' ORDER BY created_at, id`,
      [accountId],
    );
  }

  async revokeToken(accountId: string, id: string, mutation: Mutation): Promise<RevokeResult> {
    return this.ctx.tx(async (c): Promise<RevokeResult> => {
      const row = (await c.query<{ kind: string; role: string | null }>('SELECT kind, role FROM tokens WHERE account_id = $1 AND id = $2 AND revoked_at IS NULL', [accountId, id])).rows[0];
      if (!row) return 'missing';
      if (row.kind === 'user' && row.role === 'admin') {
        // Lock the account's active admin keys before counting them (in id order, so that two
        // revocations lock in the same order): a concurrent revocation, through another replica or
        // psql, waits here and then counts without the key the first one revoked. The vault_state
        // lock already serialises the vault's own writers; this holds without it.
        const admins = await c.query<{ id: string }>(
          "SELECT id FROM tokens WHERE account_id = $1 AND kind = 'user' AND role = 'admin' AND revoked_at IS NULL ORDER BY id FOR UPDATE",
          [accountId],
        );
        const ids = admins.rows.map((a) => a.id);
        if (!ids.includes(id)) return 'missing';
        if (ids.length === 1) {
          await this.ctx.audit(c, mutation, 'denied', 'the last active admin key of the account');
          return 'last-admin';
        }
      }
      const done = await c.query('UPDATE tokens SET revoked_at = $1 WHERE account_id = $2 AND id = $3 AND revoked_at IS NULL', [mutation.now, accountId, id]);
      if (done.rowCount === 0) return 'missing';
      await this.ctx.audit(c, mutation);
      // A user key's run tokens go with it, in this transaction: a stolen key's tokens must not outlive it.
      if (row.kind === 'user') {
        const minted = await c.query<{ id: string; agent_id: string }>(
          'UPDATE tokens SET revoked_at = $1 WHERE account_id = $2 AND minted_by = $3 AND revoked_at IS NULL RETURNING id, agent_id',
          [mutation.now, accountId, id],
        );
        await this.auditRunTokenRevocations(c, mutation, minted.rows, `its minter ${id} revoked`);
      }
      return 'revoked';
    });
  }

  /** One `agent.runtoken.revoke` record per run token revoked as a consequence of `mutation`. */
  private async auditRunTokenRevocations(c: Db, mutation: Mutation, tokens: { id: string; agent_id: string }[], why: string): Promise<void> {
    for (const t of tokens) {
      await this.ctx.audit(c, { ...mutation, audit: { ...mutation.audit, action: 'agent.runtoken.revoke', target: t.agent_id, detail: `id: ${t.id}; ${why}` } });
    }
  }

  async listAgentTokens(accountId: string, agentId: string): Promise<TokenRow[]> {
    const rows = await this.ctx.q<TokenDbRow>(
      `${TOKEN_SELECT} WHERE t.account_id = $1 AND t.kind = 'agent' AND t.agent_id = $2 AND t.revoked_at IS NULL ORDER BY t.created_at, t.id`,
      [accountId, agentId],
    );
    return rows.map(toTokenRow);
  }

  async pruneTokens(cutoff: Date): Promise<number> {
    const at = cutoff.toISOString();
    return this.ctx.tx(async (c) => (await c.query('DELETE FROM tokens WHERE revoked_at < $1 OR expires_at < $1', [at])).rowCount ?? 0);
  }
}
