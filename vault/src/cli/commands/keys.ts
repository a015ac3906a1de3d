// `keys`: user API keys.

import { Command, Option } from 'commander';
import type { Role } from '../../../../protocol/api';
import { safeJson } from '../../../../protocol/safeText';
import { human, out, table } from '../io';
import type { CommandContext } from './commandContext';

export function registerKeysCommands(cli: Command, ctx: CommandContext): void {
  const { g, api } = ctx;
  const keys = cli.command('keys').description('user API keys');
  keys.command('list').action(async () => {
    const list = await api().listUserKeys();
    if (g().json) return out(safeJson(list));
    out(table(list.map((k) => [k.id, k.role, k.revokedAt ? 'revoked' : 'active', k.name]), ['ID', 'ROLE', 'STATE', 'NAME']));
  });
  keys
    .command('create')
    .argument('<name>', 'who or what the key is for')
    .addOption(new Option('--role <role>', 'role').choices(['admin', 'developer']).default('developer'))
    .action(async (name: string, o: { role: Role }) => {
      const k = await api().createUserKey({ name, role: o.role });
      if (g().json) return out(safeJson(k));
      out(human`API key '${name}' (${o.role}, shown once):\n  ${k.token}`);
    });
  keys
    .command('revoke')
    .argument('<id>')
    .action(async (id: string) => {
      await api().revokeUserKey(id);
      if (g().json) return out(safeJson({ revoked: id }));
      out(human`Revoked API key ${id}.`);
    });
}
