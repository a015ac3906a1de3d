// User API keys: minted over the API by admins or by local commands, and revoked.

import type { IssuedToken, Role, UserKey } from '../../../protocol/api';
import { mintToken, newId, type Principal } from '../auth';
import { problems } from '../errors';
import type { Mutation, RevokeResult } from '../store/types';
import { ServiceContext } from './serviceContext';

/** User API keys. */
export class KeysService {
  constructor(private readonly ctx: ServiceContext) {}

  async listUserKeys(p: Principal): Promise<UserKey[]> {
    const user = await this.ctx.admin(p, null, '');
    return this.ctx.store.tokens.listUserKeys(user.accountId);
  }

  async createUserKey(p: Principal, name: string, role: Role): Promise<IssuedToken & { role: Role }> {
    const user = await this.ctx.admin(p, 'userkey.create', name);
    return this.issueUserKey(user.accountId, name, role, this.ctx.mutation(user, 'userkey.create', name));
  }

  /**
   * A key minted by a local command (`init`, `add-account`, `demo`, `issue-key`): holding the data
   * folder and the master key is the authority, and the audit says so with a system actor.
   */
  async issueLocalKey(accountId: string, name: string, role: Role, command: string): Promise<IssuedToken & { role: Role }> {
    if (!(await this.ctx.store.accounts.getAccount(accountId))) throw new Error(`No account '${accountId}' in this vault.`);
    return this.issueUserKey(accountId, name, role, this.ctx.systemMutation(accountId, command, 'userkey.create', name));
  }

  /** Revokes a key or token by a local command (demo's earlier ones); the last admin key is kept all the same. */
  async revokeLocalKey(accountId: string, id: string, command: string): Promise<RevokeResult> {
    return this.ctx.revoked(await this.ctx.store.tokens.revokeToken(accountId, id, this.ctx.systemMutation(accountId, command, 'userkey.revoke', id)), id);
  }

  /** The key's id is in the record's detail: two keys may share a name, never an id. */
  private async issueUserKey(accountId: string, name: string, role: Role, mutation: Mutation): Promise<IssuedToken & { role: Role }> {
    const token = mintToken('user');
    const issued = { id: newId('key'), token, name, role, createdAt: this.ctx.now() };
    mutation = { ...mutation, audit: { ...mutation.audit, detail: `role: ${role}; id: ${issued.id}` } };
    await this.ctx.store.tokens.insertToken(
      {
        id: issued.id,
        accountId,
        digest: this.ctx.keyring.tokenDigest(token),
        kind: 'user',
        role,
        agentId: null,
        name,
        createdAt: issued.createdAt,
        revokedAt: null,
      },
      mutation,
    );
    return issued;
  }

  async revokeUserKey(p: Principal, id: string): Promise<void> {
    const user = await this.ctx.admin(p, 'userkey.revoke', id);
    const r = this.ctx.revoked(await this.ctx.store.tokens.revokeToken(user.accountId, id, this.ctx.mutation(user, 'userkey.revoke', id)), id);
    if (r === 'missing') throw problems.notFound(`No active API key with id '${id}'.`);
    if (r === 'last-admin') {
      throw problems.lastAdmin(
        `Key '${id}' is the account's only active admin key; revoking it would leave the account unmanageable. Create another admin key first (or, on the vault's host, 'secrets-vault issue-key --account ${user.accountId}').`,
      );
    }
  }
}
