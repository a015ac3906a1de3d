// `agents`: list, create and delete agents; mint, list and revoke agent tokens.

import { Command } from 'commander';
import { timeAgo } from '../../../../protocol/dates';
import { safeJson } from '../../../../protocol/safeText';
import { CliError, EXIT, human, out, table } from '../io';
import type { CommandContext } from './commandContext';

export function registerAgentsCommands(cli: Command, ctx: CommandContext): void {
  const { g, api } = ctx;
  const agents = cli.command('agents').description("list, create and delete agents; mint, list and revoke agent tokens; an agent's last reads");
  agents
    .command('list')
    .action(async () => {
      const list = await api().listAgents();
      if (g().json) return out(safeJson(list));
      out(list.length ? table(list.map((a) => [a.id, a.name, a.description]), ['ID', 'NAME', 'DESCRIPTION']) : 'No agents.');
    });
  agents
    .command('create')
    .argument('<id>', 'agent id: the Agent Studio project id (PROJECT-WEVYLLDV) or an id like booking-agent; 1 to 64 letters, digits, - or _, case kept')
    .option('--name <name>', "display name, e.g. Agent Studio's project name (up to 100 characters; default: the id)")
    .option('--description <text>', 'what the agent does')
    .action(async (id: string, o: { name?: string; description?: string }) => {
      const a = await api().createAgent({ id, ...(o.name ? { name: o.name } : {}), ...(o.description ? { description: o.description } : {}) });
      if (g().json) return out(safeJson(a));
      out(a.name && a.name !== a.id ? human`Created agent '${a.id}' ('${a.name}').` : human`Created agent '${a.id}'.`);
    });
  agents
    .command('update')
    .description("admins: change an agent's display name and/or description (the id never changes)")
    .argument('<id>')
    .option('--name <name>', 'new display name (up to 100 characters)')
    .option('--description <text>', 'new description')
    .action(async (id: string, o: { name?: string; description?: string }) => {
      if (o.name === undefined && o.description === undefined) throw new CliError('Nothing to change: give --name and/or --description.', EXIT.usage);
      const a = await api().updateAgent(id, { ...(o.name !== undefined ? { name: o.name } : {}), ...(o.description !== undefined ? { description: o.description } : {}) });
      if (g().json) return out(safeJson(a));
      out(human`Updated agent '${a.id}': name '${a.name}'.`);
    });
  agents
    .command('delete')
    .argument('<id>')
    .action(async (id: string) => {
      await api().deleteAgent(id);
      if (g().json) return out(safeJson({ deleted: id }));
      out(human`Deleted agent '${id}' and removed it from every access list.`);
    });
  agents
    .command('token')
    .description('mint a run-time token for an agent (shown once)')
    .argument('<id>')
    .option('--name <name>', 'label for the token')
    .action(async (id: string, o: { name?: string }) => {
      const t = await api().createAgentToken(id, o.name);
      if (g().json) return out(safeJson(t));
      out(human`Agent token for '${id}' (shown once):\n  ${t.token}`);
    });
  agents
    .command('reads')
    .description("the agent's last run-time read of each secret it has read: when, and the environment it said (never a value)")
    .argument('<id>')
    .action(async (id: string) => {
      const list = await api().agentReads(id);
      if (g().json) return out(safeJson(list));
      const now = Date.now();
      out(
        list.reads.length
          ? table(
              list.reads.map((r) => [r.secret, r.at, timeAgo(r.at, now) ?? '', r.environment ?? '-']),
              ['SECRET', 'LAST READ', 'AGO', 'ENVIRONMENT'],
            )
          : human`'${id}' has read no secret (since the vault began keeping reads).`,
      );
    });
  agents
    .command('tokens')
    .description("list an agent's live tokens: agent tokens and run tokens (never the tokens themselves)")
    .argument('<id>')
    .action(async (id: string) => {
      const list = await api().listAgentTokens(id);
      if (g().json) return out(safeJson(list));
      out(
        list.length
          ? table(
              list.map((t) => [t.id, t.kind, t.minter ? `${t.minter.name} (${t.minter.id})` : '-', t.createdAt, t.expiresAt ?? 'never']),
              ['ID', 'KIND', 'MINTED BY', 'CREATED', 'EXPIRES'],
            )
          : human`No live tokens for '${id}'.`,
      );
    });
  agents
    .command('revoke-token')
    .description("revoke one of an agent's tokens (an agent token: admins; a run token: its minter or an admin)")
    .argument('<id>', 'agent id')
    .argument('<tokenId>', "the token's id (tok_…), as 'agents tokens ID' lists it")
    .action(async (id: string, tokenId: string) => {
      await api().revokeAgentToken(id, tokenId);
      if (g().json) return out(safeJson({ revoked: tokenId, agent: id }));
      out(human`Revoked token ${tokenId} of agent '${id}'.`);
    });
}
