// `audit`: the audit log, newest first.

import { Command, Option } from 'commander';
import { safeJson } from '../../../../protocol/safeText';
import { human, out, table } from '../io';
import { parseVersion } from './commandContext';
import type { CommandContext } from './commandContext';

export function registerAuditCommands(cli: Command, ctx: CommandContext): void {
  const { g, api } = ctx;
  cli
    .command('audit')
    .description('the audit log, newest first')
    .addOption(new Option('--limit <n>', 'records per page').default(50).argParser(parseVersion))
    .addOption(new Option('--before <id>', 'records older than this one (an id from the ID column)'))
    .action(async (o: { limit: number; before?: string }) => {
      const page = await api().audit({ limit: o.limit, ...(o.before ? { before: o.before } : {}) });
      if (g().json) return out(safeJson(page));
      out(
        table(
          page.records.map((r) => [r.id, r.time, r.actor, r.actorId, r.action, r.target, r.outcome, r.detail]),
          ['ID', 'TIME', 'ACTOR', 'ACTOR ID', 'ACTION', 'TARGET', 'OUTCOME', 'DETAIL'],
        ),
      );
      if (page.next) out(human`(more: --before ${page.next})`);
    });
}
