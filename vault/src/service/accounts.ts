// Who a caller is and the account's settings; accounts created by local commands.

import { type AccountSettings, DEFAULT_VERSIONS_KEPT, MAX_VERSIONS_KEPT, MIN_VERSIONS_KEPT, type UpdateAccountRequest, type WhoAmI } from '../../../protocol/api';
import type { Principal } from '../auth';
import { problems } from '../errors';
import type { Account } from '../store/types';
import { ServiceContext } from './serviceContext';

/** Identity and account settings. */
export class AccountsService {
  constructor(private readonly ctx: ServiceContext) {}

  async whoami(p: Principal): Promise<WhoAmI> {
    const account = await this.ctx.account(p.accountId);
    const acc = { id: account.id, name: account.name, namingStyle: account.namingStyle };
    if (p.type === 'user') return { account: acc, principal: { type: 'user', id: p.tokenId, name: p.name, role: p.role } };
    return { account: acc, principal: { type: 'agent', id: p.agentId, name: p.name } };
  }

  async accountSettings(p: Principal): Promise<AccountSettings> {
    const user = this.ctx.user(p);
    return settingsOf(await this.ctx.account(user.accountId));
  }

  async updateAccountSettings(p: Principal, body: UpdateAccountRequest): Promise<AccountSettings> {
    const user = await this.ctx.admin(p, 'account.update', p.accountId);
    if (body.localRuns === undefined && body.versionsKept === undefined) {
      throw problems.badRequest(`Nothing to change: give localRuns ("admins" or "developers") and/or versionsKept (${MIN_VERSIONS_KEPT} to ${MAX_VERSIONS_KEPT}).`);
    }
    const kept = body.versionsKept;
    if (kept !== undefined && (!Number.isInteger(kept) || kept < MIN_VERSIONS_KEPT || kept > MAX_VERSIONS_KEPT)) {
      throw problems.badRequest(`versionsKept must be a whole number from ${MIN_VERSIONS_KEPT} to ${MAX_VERSIONS_KEPT} (the current value included).`, 'versionsKept');
    }
    const detail = [body.localRuns !== undefined && `localRuns: ${body.localRuns}`, kept !== undefined && `versionsKept: ${kept}`].filter(Boolean).join('; ');
    const account = await this.ctx.store.accounts.updateAccountSettings(
      user.accountId,
      { ...(body.localRuns !== undefined ? { localRuns: body.localRuns } : {}), ...(kept !== undefined ? { versionsKept: kept } : {}) },
      this.ctx.mutation(user, 'account.update', user.accountId, detail),
    );
    if (!account) throw problems.unauthorized();
    // Back to admins: the store revoked developers' run tokens; remembered principals go now.
    if (body.localRuns === 'admins') for (const listener of this.ctx.onRevoked) listener();
    return settingsOf(account);
  }

  /** Creates an account, audited in it as done by the local command `command`. */
  async createAccountLocally(account: Account, command: string): Promise<void> {
    await this.ctx.store.accounts.createAccount(
      account,
      this.ctx.systemMutation(account.id, command, 'account.create', account.id, `name: ${account.name}; naming: ${account.namingStyle}`),
    );
  }
}

function settingsOf(a: Account): AccountSettings {
  return { id: a.id, name: a.name, namingStyle: a.namingStyle, localRuns: a.localRuns ?? 'admins', versionsKept: a.versionsKept ?? DEFAULT_VERSIONS_KEPT };
}
