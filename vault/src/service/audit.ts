// The audit listing, records of local operations and audit retention.

import type { AuditAction, AuditOutcome, AuditPage } from '../../../protocol/api';
import { systemActor } from '../audit';
import type { Principal } from '../auth';
import { problems } from '../errors';
import { refuseCredentials } from '../nameChecks';
import type { PruneReport } from '../store/types';
import { ServiceContext } from './serviceContext';

/** The audit log as the API and the local commands see it. */
export class AuditService {
  constructor(private readonly ctx: ServiceContext) {}

  async page(p: Principal, before: string | undefined, limit: number): Promise<AuditPage> {
    const user = await this.ctx.admin(p, null, '');
    const codec = this.ctx.auditIds();
    const cursor = before === undefined ? undefined : codec.decode(before);
    const records = before !== undefined && cursor === undefined ? undefined : await this.ctx.store.audit.listAudit(user.accountId, cursor, limit + 1);
    if (!records) throw problems.badRequest(`No audit record has the id '${before}' in this account.`, 'before');
    const page = records.slice(0, limit).map((r) => ({ ...r, id: codec.encode(r.id) }));
    return { records: page, next: records.length > limit ? page[page.length - 1]!.id : null };
  }

  /** A coding assistant's tool call, recorded as the user; only a request naming its assistant may record one. */
  async recordAssistantCall(p: Principal, body: { tool: string; target: string; outcome: 'success' | 'failed' }): Promise<void> {
    if (p.type !== 'user') throw problems.forbidden('Agent tokens can only read their granted secrets at run time.');
    if (p.client === undefined) throw problems.badRequest('Only an assistant records its tool calls: send the X-Secrets-Vault-Client header.', 'x-secrets-vault-client');
    // An assistant that passed a credential where a name goes (explain_secret, snippet): never recorded.
    refuseCredentials({ tool: body.tool, target: body.target });
    await this.ctx.record(p, 'assistant.call', body.target ? `${body.tool} ${body.target}` : body.tool, body.outcome);
  }

  /** Records a local operation that concerns every account (rotate-key) in each account's audit. */
  async recordLocal(command: string, action: AuditAction, target: string, outcome: AuditOutcome, detail: string): Promise<void> {
    const accounts = await this.ctx.store.accounts.listAccounts();
    const actor = systemActor(command);
    await this.ctx.store.audit.appendSystemAudit(
      accounts.map((a) => ({ accountId: a.id, ...actor, actorType: 'system', action, target, outcome, detail })),
      this.ctx.now(),
    );
  }

  /** Audit retention: deletes records older than `days` days (both files); the pruning is audited. */
  async pruneAudit(days: number): Promise<PruneReport> {
    const cutoff = new Date(this.ctx.clock().getTime() - days * 86_400_000);
    const report = await this.ctx.store.audit.pruneAudit(cutoff, systemActor('audit-retention'), this.ctx.now());
    // Token rows revoked or expired before the cutoff: their audit records are gone too.
    await this.ctx.store.tokens.pruneTokens(cutoff);
    return report;
  }
}
