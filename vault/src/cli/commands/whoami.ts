// `whoami`: the account and the identity behind the token.

import { Command } from 'commander';
import { safeJson } from '../../../../protocol/safeText';
import { human, out } from '../io';
import type { CommandContext } from './commandContext';

export function registerWhoamiCommands(cli: Command, ctx: CommandContext): void {
  const { g, api } = ctx;
  cli
    .command('whoami')
    .description('show the account and the identity of your token')
    .action(async () => {
      const w = await api().whoami();
      if (g().json) return out(safeJson(w));
      const p = w.principal;
      out(human`${p.type === 'user' ? `${p.name} (${p.role})` : `agent ${p.id}`} in account '${w.account.name}' (${w.account.namingStyle} names)`);
    });
}
