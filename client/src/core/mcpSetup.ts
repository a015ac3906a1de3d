// The stdio configuration of `secrets-vault mcp` for an assistant outside VS Code (Claude Code,
// Cursor, any MCP client): the command line only. The key is never in it: the server takes it from
// SECRETS_VAULT_TOKEN in the assistant's environment, or from a token file the user names.

export type AssistantKind = 'claude-code' | 'cursor' | 'other';

export interface McpSetup {
  /** The vault URL the editor uses. */
  url: string;
  /** A token file the user chose; none: SECRETS_VAULT_TOKEN in the assistant's environment. */
  tokenFile?: string;
  allowInsecureHttp?: boolean;
}

export const MCP_SERVER_KEY = 'secrets-vault';

/** Where each assistant reads a project's MCP servers, relative to the workspace folder. */
export const CONFIG_FILES: Record<Exclude<AssistantKind, 'other'>, string> = {
  'claude-code': '.mcp.json',
  cursor: '.cursor/mcp.json',
};

export function mcpCommand(setup: McpSetup): { command: string; args: string[] } {
  const args = ['mcp', '--url', setup.url];
  if (setup.tokenFile) args.push('--token-file', setup.tokenFile);
  if (setup.allowInsecureHttp) args.push('--allow-insecure-http');
  return { command: 'secrets-vault', args };
}

/** The command as one shell line (for "another client", and the README). */
export function mcpCommandLine(setup: McpSetup): string {
  const { command, args } = mcpCommand(setup);
  return [command, ...args].map((a) => (/^[A-Za-z0-9_./:@=-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * The file's new text: its other servers and fields kept, ours added or replaced. Throws when the
 * existing text is not a JSON object (the user's file is not overwritten).
 */
export function mergeMcpConfig(existing: string | undefined, setup: McpSetup): string {
  let doc: Record<string, unknown> = {};
  if (existing !== undefined && existing.trim() !== '') {
    const parsed: unknown = JSON.parse(existing);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('it is not a JSON object');
    doc = parsed as Record<string, unknown>;
  }
  const servers = doc.mcpServers;
  if (servers !== undefined && (typeof servers !== 'object' || servers === null || Array.isArray(servers))) throw new Error('its mcpServers is not an object');
  const { command, args } = mcpCommand(setup);
  doc.mcpServers = { ...(servers as Record<string, unknown> | undefined), [MCP_SERVER_KEY]: { type: 'stdio', command, args } };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
