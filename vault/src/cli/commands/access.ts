// `access`: access lists (set, grant, revoke).

import { Command } from 'commander';
import { safeJson } from '../../../../protocol/safeText';
import { human, out } from '../io';
import type { CommandContext } from './context';

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
      .action(async (name: string, agent: string) => {
        const s = grant ? await api().grant(name, agent) : await api().revoke(name, agent);
        if (g().json) return out(safeJson(s));
        out(human`'${name}' is granted to ${s.agents.join(', ') || 'no agent'}.`);
      });
  }
}
