// A secret's access list: replaced whole (If-Match) or one agent granted or revoked idempotently.

import type { AuditAction, SecretMetadata } from '../../../protocol/api';
import type { Principal } from '../auth';
import { problems } from '../errors';
import { checkReason } from '../nameChecks';
import { CONFLICT_RETRIES, conflictPause, detailOf, ServiceContext, uniqueSorted, type User } from './serviceContext';

/** Access lists. */
export class AccessService {
  constructor(private readonly ctx: ServiceContext) {}

  async replaceAccess(p: Principal, name: string, agents: string[], ifMatch: number | undefined, reason?: string): Promise<SecretMetadata> {
    const why = checkReason(reason);
    const user = await this.ctx.admin(p, 'access.replace', name);
    if (ifMatch === undefined) {
      throw problems.preconditionRequired(`Replacing the access list of '${name}' needs If-Match with the version you read.`);
    }
    const list = uniqueSorted(agents);
    return this.ctx.writeWithVersion(user, name, ifMatch, 'access.changed', async () => ({ agents: list }), this.ctx.mutation(user, 'access.replace', name, withReason(detailOf({ agents: list }), why)));
  }

  /** Grant or revoke one agent; idempotent: no change, no new version (and no audit record). */
  async setGrant(p: Principal, name: string, agent: string, granted: boolean, reason?: string): Promise<SecretMetadata> {
    const why = checkReason(reason);
    const action: AuditAction = granted ? 'access.grant' : 'access.revoke';
    const user = await this.ctx.admin(p, action, `${name}/${agent}`);
    return this.ctx.oneAtATime(user.accountId, name, () => this.setGrantOnce(user, name, agent, granted, action, why));
  }

  private async setGrantOnce(user: User, name: string, agent: string, granted: boolean, action: AuditAction, why: string): Promise<SecretMetadata> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.ctx.store.getSecret(user.accountId, name);
      if (!current) throw problems.notFound(`Secret '${name}' does not exist.`);
      if (granted && !(await this.ctx.store.getAgent(user.accountId, agent))) {
        throw problems.notFound(`Agent '${agent}' does not exist.`);
      }
      const has = current.agents.includes(agent);
      const { sealed: _s, ...meta } = current;
      if (has === granted) return meta;
      const agents = granted ? uniqueSorted([...current.agents, agent]) : current.agents.filter((a) => a !== agent);
      // A metadata write: the value and its ciphertext stay as they are.
      const r = await this.ctx.store.updateSecret(
        user.accountId,
        name,
        { expectedVersion: current.version, agents },
        this.ctx.mutation(user, action, name, withReason(`agent: ${agent}`, why)),
        'access.changed',
      );
      // A concurrent change moved the version: read again and re-apply (the caller asked for no precondition).
      if (!r.ok && r.reason === 'conflict' && attempt < CONFLICT_RETRIES) {
        await conflictPause(attempt);
        continue;
      }
      return this.ctx.unwrap(user.accountId, r, {
        missing: () => problems.notFound(`Secret '${name}' does not exist.`),
        'unknown-agent': () => problems.notFound(`Agent '${agent}' does not exist.`),
        // Still losing to concurrent writers (another process) after every retry: say so, do not fail.
        conflict: () => problems.conflict(`Secret '${name}' kept changing while ${granted ? 'granting' : 'revoking'} '${agent}'; nothing was changed, try again.`),
      });
    }
  }
}

/** An audit detail with the change's reason, when it has one (`agents: a, b; reason: …`). */
function withReason(detail: string, why: string): string {
  return why ? `${detail}; reason: ${why}` : detail;
}
