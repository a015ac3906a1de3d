// `secrets-vault`: run a vault (init, serve, demo, rotate-key, issue-key) and administer one over its API.

import { Command, CommanderError } from 'commander';
import { VaultApiError } from '../../../protocol/client';
import { MasterKeyError } from '../crypto/master';
import { FileModeError } from '../store/files';
import { VaultSetupError, VERSION } from '../defaults';
import { registerCheckCommands } from './check';
import { safeText } from '../../../protocol/safeText';
import { CliError, EXIT, info } from './io';
import { apiFailure, remoteApi } from './remote';
import { registerAccessCommands } from './commands/access';
import { registerAgentsCommands } from './commands/agents';
import { registerAuditCommands } from './commands/audit';
import type { CommandContext, Global } from './commands/commandContext';
import { registerKeysCommands } from './commands/keys';
import { registerLocalCommands } from './commands/local';
import { registerMcpCommands } from './commands/mcp';
import { registerMigrateCommands } from './commands/migrate';
import { registerRuntimeCommands } from './commands/runtime';
import { registerRunCommands } from './commands/run';
import { registerSecretsCommands } from './commands/secrets';
import { registerWhoamiCommands } from './commands/whoami';
import { StoreUnavailableError } from '../store/errors';

function program(): Command {
  const cli = new Command('secrets-vault')
    .description('Secrets Vault: secrets for AI agents, with access lists, audit and live events.')
    .version(VERSION)
    .option('--url <url>', 'vault URL (default: $SECRETS_VAULT_URL, secrets-vault.json, http://127.0.0.1:8787)')
    .option('--token-file <file>', 'read the API key or agent token from a file (default: $SECRETS_VAULT_TOKEN)')
    .option('--trust-config-url', "send the token to a URL that only secrets-vault.json names (refused otherwise: a repository can edit that file)")
    .option('--allow-insecure-http', 'allow plain http:// to a host that is not loopback (the token and values then cross the network unencrypted)')
    .option('--json', 'print JSON for scripts')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const g = (): Global => cli.opts<Global>();
  const api = () => remoteApi(g());
  const ctx: CommandContext = { g, api };

  // One module per command group (cli/commands/), registered in the order the help lists them.
  // ---- running a vault ----
  registerLocalCommands(cli, ctx);
  registerMigrateCommands(cli, ctx);

  // ---- over the API ----
  registerWhoamiCommands(cli, ctx);
  registerAgentsCommands(cli, ctx);
  registerKeysCommands(cli, ctx);
  registerSecretsCommands(cli, ctx);
  registerAccessCommands(cli, ctx);
  registerAuditCommands(cli, ctx);
  registerRuntimeCommands(cli, ctx);
  registerRunCommands(cli, ctx);

  // ---- for reviewers and CI ----

  registerCheckCommands(cli, g);

  // ---- for coding assistants ----
  registerMcpCommands(cli, ctx);

  return cli;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander printed the message (or the help) already.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    const failure =
      e instanceof CliError
        ? e
        : e instanceof VaultApiError
          ? apiFailure(e)
          : e instanceof MasterKeyError || e instanceof VaultSetupError || e instanceof FileModeError
            ? new CliError(e.message, EXIT.failure)
            : e instanceof StoreUnavailableError
              ? new CliError(`${e.message} Check that PostgreSQL is running and reachable at the --database-url given.`, EXIT.unreachable)
              : isAddrInUse(e)
              ? new CliError(`The port is in use: ${(e as Error).message}. Pick another with --port.`, EXIT.failure)
              : undefined;
    if (failure) {
      info(`secrets-vault: ${safeText(failure.message)}`);
      return failure.exitCode;
    }
    info(`secrets-vault: unexpected error: ${safeText(e instanceof Error ? e.message : String(e))}`);
    return EXIT.failure;
  }
}

function isAddrInUse(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === 'EADDRINUSE';
}

void main(process.argv).then((code) => {
  if (code !== EXIT.ok) process.exitCode = code;
});
