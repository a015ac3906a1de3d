// `access`: access lists (set, grant, revoke), and access requests (request, requests, approve, deny).

import { Command, Option } from 'commander';
import type { AccessRequest, AccessRequestStatus } from '../../../../protocol/api';
import { safeJson } from '../../../../protocol/safeText';
import { CliError, EXIT, human, out, table } from '../io';
import { registerAccessReview } from './accessReview';
import type { CommandContext } from './commandContext';

export function registerAccessCommands(cli: Command, ctx: CommandContext): void {
  const { g, api } = ctx;
  const access = cli.command('access').description('access lists');
  access
    .command('set')
    .description('replace the whole access list (guarded by the version read just before)')
    .argument('<name>')
    .argument('[agents...]', 'the agents that keep or get access; none removes all')
    .action(async (name: string, list: string[]) => {
      const client = api();
      const current = await client.getSecret(name);
      const s = await client.replaceAccess(name, list, current.version);
      if (g().json) return out(safeJson(s));
      out(human`'${name}' is now granted to ${s.agents.join(', ') || 'no agent'}.`);
    });
  for (const [verb, grant] of [
    ['grant', true],
    ['revoke', false],
  ] as const) {
    access
      .command(verb)
      .argument('<name>')
      .argument('<agent>')
      .option('--reason <text>', 'why, kept in the audit record (at most 500 characters)')
      .action(async (name: string, agent: string, o: { reason?: string }) => {
        const s = grant ? await api().grant(name, agent, o.reason) : await api().revoke(name, agent, o.reason);
        if (g().json) return out(safeJson(s));
        out(human`'${name}' is granted to ${s.agents.join(', ') || 'no agent'}.`);
      });
  }
  access
    .command('request')
    .description('ask an admin to let an agent read a secret (or, for a secret that does not exist yet, to create it); any user key')
    .argument('<name>')
    .argument('<agent>')
    .option('--reason <text>', 'why the agent needs it (at most 500 characters)')
    .option('--key <key...>', 'for a secret that does not exist yet: the keys the code reads (a key/value secret)')
    .action(async (name: string, agent: string, o: { reason?: string; key?: string[] }) => {
      const r = await api().createAccessRequest({ secret: name, agent, ...(o.reason !== undefined ? { reason: o.reason } : {}), ...(o.key ? { keys: o.key } : {}) });
      if (g().json) return out(safeJson(r));
      if (r.outcome === 'granted') return out(human`'${agent}' can already read '${name}': nothing to ask.`);
      out(human`${r.outcome === 'created' ? 'Requested' : 'Already requested'}: ${r.request.id} ('${agent}' on '${name}'${r.request.newSecret ? ', a new secret' : ''}), pending an admin's decision.`);
    });
  access
    .command('requests')
    .description('access requests, newest first')
    .addOption(new Option('--status <status>', 'only those pending, approved or denied').choices(['pending', 'approved', 'denied']))
    .action(async (o: { status?: AccessRequestStatus }) => {
      const list = await api().listAccessRequests(o.status);
      if (g().json) return out(safeJson(list));
      out(list.length ? table(list.map(requestRow), ['ID', 'STATUS', 'SECRET', 'AGENT', 'BY', 'KEY ID', 'REASON']) : 'No access requests.');
    });
  access
    .command('approve')
    .description('admins: grant what a request asks (a new secret must be created first)')
    .argument('<id>')
    .action(async (id: string) => {
      const r = await api().approveAccessRequest(id);
      if (g().json) return out(safeJson(r));
      out(human`Approved ${r.id}: '${r.agent}' can now read '${r.secret}'.`);
    });
  access
    .command('deny')
    .description('admins: refuse requests, with a reason the requester sees: one or more ids, every pending one of a key (--requester), or all (--all)')
    .argument('[ids...]')
    .option('--reason <text>', 'why (at most 500 characters)')
    .option('--requester <keyId>', "every pending request of this user key (the KEY ID column of access requests)")
    .option('--all', 'every pending request of the account')
    .action(async (ids: string[], o: { reason?: string; requester?: string; all?: boolean }) => {
      if (o.reason !== undefined && o.reason.length > 500) throw new CliError('--reason is at most 500 characters.', EXIT.usage);
      if ([ids.length > 0, o.requester !== undefined, o.all === true].filter(Boolean).length !== 1) {
        throw new CliError('Give request ids, or --requester KEY_ID, or --all (exactly one of them).', EXIT.usage);
      }
      const client = api();
      if (ids.length === 1) {
        const r = await client.denyAccessRequest(ids[0]!, o.reason);
        if (g().json) return out(safeJson(r));
        return out(human`Denied ${r.id} ('${r.agent}' on '${r.secret}').`);
      }
      // In bulk: the vault denies up to 1,000 per call and says when more match (a bounded loop).
      const filter = ids.length > 0 ? { ids } : o.requester !== undefined ? { requestedById: o.requester } : { all: true as const };
      const denied: string[] = [];
      for (let call = 0; call < 100; call++) {
        const r = await client.denyAccessRequests({ ...filter, ...(o.reason !== undefined ? { reason: o.reason } : {}) });
        denied.push(...r.denied);
        if (!r.more || r.denied.length === 0) break;
      }
      if (g().json) return out(safeJson({ denied }));
      out(denied.length ? human`Denied ${String(denied.length)} pending request${denied.length === 1 ? '' : 's'}.` : 'No pending request matched; nothing denied.');
    });
  registerAccessReview(access, ctx);
}

function requestRow(r: AccessRequest): string[] {
  const what = r.newSecret ? `${r.secret} (new${r.kind ? `, ${r.kind}` : ''})` : r.secret;
  return [r.id, r.status, what, r.agent, r.requestedBy, r.requestedById, r.status === 'denied' && r.decisionReason ? `${r.reason} / denied: ${r.decisionReason}` : r.reason];
}
