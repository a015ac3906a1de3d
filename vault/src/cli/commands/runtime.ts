// `runtime`: what an agent sees at run time (needs an agent token).

import { Command } from 'commander';
import { safeJson } from '../../../../protocol/safeText';
import { human, out } from '../io';
import type { CommandContext } from './commandContext';

export function registerRuntimeCommands(cli: Command, ctx: CommandContext): void {
  const { g, api } = ctx;
  const runtime = cli.command('runtime').description('what an agent sees at run time (needs an agent token)');
  runtime
    .command('get')
    .description('print a granted value, as get_secret returns it (a string, or JSON for key/value)')
    .argument('<name>')
    .action(async (name: string) => {
      const r = await api().runtimeSecret(name);
      // The value itself, byte for byte, as get_secret returns it: it is data (piped into scripts),
      // and only its owner's agent token can read it, so it is not escaped.
      out(typeof r.value === 'string' && !g().json ? r.value : safeJson(g().json ? r : r.value));
    });
  runtime
    .command('env')
    .description('print the granted single values as NAME=value lines (or JSON)')
    .action(async () => {
      const r = await api().runtimeEnv();
      if (g().json) return out(safeJson(r));
      // The values are data for scripts (JSON strings): only the names are escaped.
      for (const [k, v] of Object.entries(r.env)) out(human`${k}=` + safeJson(v));
    });
}
