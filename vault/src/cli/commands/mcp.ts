// `mcp`: the Model Context Protocol server for coding assistants (vault/src/mcp/), over stdio.
// Same URL and token rules as every other command (remote.ts), checked before the server starts.

import { Command } from 'commander';
import { mcpClientMarker } from '../../../../protocol/assistantClient';
import { checkAgentId } from '../../../../protocol/names';
import { assistantTransport, type McpContext } from '../../mcp/toolContext';
import { version as VERSION } from '../../../../package.json';
import { loadCheckEngine } from '../../mcp/engine';
import { takeLinkKey } from '../../mcp/linkSignature';
import { CliError, EXIT } from '../io';
import { findWorkspaceConfig, remoteApi } from '../remote';
import type { CommandContext } from './commandContext';

export function registerMcpCommands(cli: Command, ctx: CommandContext): void {
  cli
    .command('mcp')
    .description(
      'serve the vault to a coding assistant (Model Context Protocol over stdio): names, kinds, keys, access and checks, never a value; read-only unless --allow-requests',
    )
    .option('--allow-requests', 'also offer request_access (files an access request as you) and propose_secret (prepares a Create Secret form; stores nothing)')
    .option('--agent <id>', "the agent the tools default to (default: the nearest secrets-vault.json's)")
    .action(async (o: { allowRequests?: boolean; agent?: string }) => {
      const cwd = process.cwd();
      if (o.agent !== undefined) {
        const problem = checkAgentId(o.agent);
        if (problem !== undefined) throw new CliError(`'${o.agent}' is not an agent id. ${problem}`, EXIT.usage);
      }
      let marker = mcpClientMarker(undefined);
      const api = remoteApi(ctx.g(), process.env, cwd, (t) => assistantTransport(t, () => marker));
      // A bad token or an unreachable vault is said now, on stderr, rather than at the first tool call.
      const who = await api.whoami();
      if (who.principal.type !== 'user') {
        throw new CliError('secrets-vault mcp takes a user API key (svu_…), not an agent token: it works with names and metadata, never with what an agent reads at run time.', EXIT.usage);
      }
      let engine: ReturnType<typeof loadCheckEngine> | undefined;
      const mcpCtx: McpContext = {
        api,
        cwd,
        defaultAgent: o.agent ?? (findWorkspaceConfig(cwd)?.config.agent || undefined),
        allowRequests: Boolean(o.allowRequests),
        linkKey: takeLinkKey(process.env),
        engine: () => (engine ??= loadCheckEngine()),
        audit: (tool, target, outcome) => api.recordAssistantCall({ tool, target, outcome }),
      };
      // The MCP SDK (and its schema library) loads for this command only.
      const { createMcpServer, runStdio } = await import('../../mcp/server');
      const server = createMcpServer(mcpCtx, VERSION);
      server.server.oninitialized = () => {
        marker = mcpClientMarker(server.server.getClientVersion()?.name);
      };
      await runStdio(server);
    });
}
