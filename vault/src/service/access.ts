// A secret's access list: replaced whole (If-Match) or one agent granted or revoked idempotently;
// and grants and revokes of many secrets as one audited change (access review --apply).

import { type AccessChange, type AccessChangesResult, type AuditAction, MAX_ACCESS_CHANGES, type SecretMetadata } from '../../../protocol/api';
import type { Principal } from '../auth';
import { ProblemError, problems } from '../errors';
import { checkReason, refuseCredentialNames } from '../nameChecks';
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

  /**
   * Grants and revokes as one change: one transaction, all or nothing, one audit record
   * (`access.batch`: the count as target, each change and the reason as detail), one new version and
   * access.changed event per secret whose list changed. A change already so is `unchanged`. Refused
   * (nothing written), naming the change by its index: a credential where a name goes (400), the
   * same secret and agent twice (400), a missing secret or agent (404), a moved version (412).
   */
  async applyAccessChanges(p: Principal, changes: AccessChange[], reason?: string): Promise<AccessChangesResult> {
    const why = checkReason(reason);
    const user = await this.ctx.admin(p, 'access.batch', countOf(changes.length));
    if (changes.length === 0 || changes.length > MAX_ACCESS_CHANGES) throw problems.badRequest(`Send 1 to ${MAX_ACCESS_CHANGES} changes.`, 'changes');
    const first = new Map<string, number>();
    for (const [i, c] of changes.entries()) {
      // Never quoted, recorded or shown when it is a credential (a value pasted where a name goes).
      await refuseCredentialNames({ [`changes.${i}.secret`]: c.secret, [`changes.${i}.agent`]: c.agent }, async (field, text) =>
        field.endsWith('.secret') ? (await this.ctx.store.secrets.getSecret(user.accountId, text)) !== undefined : (await this.ctx.store.agents.getAgent(user.accountId, text)) !== undefined,
      );
      const key = `${c.secret}\u0000${c.agent}`;
      const earlier = first.get(key);
      if (earlier !== undefined) throw problems.badRequest(`changes[${i}] names the same secret and agent as changes[${earlier}]; each pair at most once. Nothing was changed.`, `changes.${i}`);
      first.set(key, i);
    }
    const mutation = this.ctx.mutation(user, 'access.batch', countOf(changes.length), why ? `reason: ${why}` : '');
    const tail = mutation.audit.detail;
    const r = await this.ctx.store.access.applyAccessChanges(user.accountId, changes, mutation, (applied) => ({
      target: countOf(applied.length),
      detail: [applied.map(changeText).join(', '), tail].filter(Boolean).join('; '),
    }));
    if (!r.ok) {
      const c = changes[r.index]!;
      const at = `changes[${r.index}]`;
      switch (r.reason) {
        case 'missing':
          throw new ProblemError(404, 'not_found', 'Not found', `${at}: secret '${c.secret}' does not exist. Nothing was changed.`, { field: `changes.${r.index}.secret` });
        case 'unknown-agent':
          throw new ProblemError(404, 'not_found', 'Not found', `${at}: agent '${c.agent}' does not exist. Nothing was changed.`, { field: `changes.${r.index}.agent` });
        case 'conflict':
          throw new ProblemError(
            412,
            'precondition_failed',
            'Precondition failed',
            `${at}: secret '${c.secret}' was changed since you read it (version ${c.version}); it is now at version ${r.currentVersion}. Nothing was changed.`,
            { field: `changes.${r.index}.version`, ...(r.currentVersion !== undefined ? { currentVersion: r.currentVersion } : {}) },
          );
      }
    }
    this.ctx.bus.publish(user.accountId, r.events);
    return {
      changes: changes.map((c, i) => ({ secret: c.secret, agent: c.agent, granted: c.granted, outcome: r.changed[i] ? 'changed' : 'unchanged' })),
      secrets: r.secrets,
      auditId: r.auditId === null ? null : this.ctx.auditIds().encode(r.auditId),
    };
  }

  private async setGrantOnce(user: User, name: string, agent: string, granted: boolean, action: AuditAction, why: string): Promise<SecretMetadata> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.ctx.store.secrets.getSecret(user.accountId, name);
      if (!current) throw problems.notFound(`Secret '${name}' does not exist.`);
      if (granted && !(await this.ctx.store.agents.getAgent(user.accountId, agent))) {
        throw problems.notFound(`Agent '${agent}' does not exist.`);
      }
      const has = current.agents.includes(agent);
      const { sealed: _s, ...meta } = current;
      if (has === granted) return meta;
      const agents = granted ? uniqueSorted([...current.agents, agent]) : current.agents.filter((a) => a !== agent);
      // A metadata write: the value and its ciphertext stay as they are.
      const r = await this.ctx.store.secrets.updateSecret(
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

/** How one change of a batch reads in its audit record: the name quoted as JSON (a name may hold `,` or `;`). */
function changeText(c: AccessChange): string {
  return c.granted ? `grant ${JSON.stringify(c.secret)} to ${c.agent}` : `revoke ${JSON.stringify(c.secret)} from ${c.agent}`;
}

const countOf = (n: number) => `${n} access change${n === 1 ? '' : 's'}`;

/** An audit detail with the change's reason, when it has one (`agents: a, b; reason: …`). */
function withReason(detail: string, why: string): string {
  return why ? `${detail}; reason: ${why}` : detail;
}
