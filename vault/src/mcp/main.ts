// The editor's copy of `secrets-vault mcp` (dist/mcp/server.js, shipped in the VSIX with every
// dependency bundled): the same command, options and rules as the CLI's, without the vault's
// storage code, so that it runs from the extension with no node_modules. Arguments are the mcp
// command's and the global --url/--token-file/--trust-config-url/--allow-insecure-http.

import { Command, CommanderError } from 'commander';
import { VaultApiError } from '../../../protocol/client';
import { safeText } from '../../../protocol/safeText';
import { registerMcpCommands } from '../cli/commands/mcp';
import type { Global } from '../cli/commands/commandContext';
import { CliError, EXIT, info } from '../cli/io';
import { apiFailure, remoteApi } from '../cli/remote';

async function main(argv: string[]): Promise<number> {
  const cli = new Command('secrets-vault')
    .option('--url <url>')
    .option('--token-file <file>')
    .option('--trust-config-url')
    .option('--allow-insecure-http')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stderr.write(s), writeErr: (s) => process.stderr.write(s) });
  const g = (): Global => cli.opts<Global>();
  registerMcpCommands(cli, { g, api: () => remoteApi(g()) });
  try {
    await cli.parseAsync(['node', 'secrets-vault', 'mcp', ...argv]);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' ? EXIT.ok : EXIT.usage;
    const failure = e instanceof CliError ? e : e instanceof VaultApiError ? apiFailure(e) : undefined;
    info(`secrets-vault mcp: ${safeText(failure ? failure.message : e instanceof Error ? e.message : String(e))}`);
    return failure?.exitCode ?? EXIT.failure;
  }
}

void main(process.argv.slice(2)).then((code) => {
  if (code !== EXIT.ok) process.exitCode = code;
});
