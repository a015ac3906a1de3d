// Secrets Vault for coding assistants: the MCP server definition VS Code's assistants see with no
// setup (VS Code 1.101's vscode.lm.registerMcpServerDefinitionProvider, used only where it exists),
// and the command that writes the stdio configuration for another assistant. The definition runs
// the bundled server (dist/mcp/server.js) on the extension host's Node, with the vault URL and the
// key in the server process's environment only, added when the server starts; no settings file
// ever holds the key.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { CREATE_SECRET_LINK_KEY_ENV, parseCreateSecretLink } from '../../protocol/assistantClient';
import { resolveToken } from './core/connectionConfig';
import { linkTarget, verifyCreateSecretLink } from './core/createSecretLinks';
import { CONFIG_FILES, mcpCommandLine, mergeMcpConfig, type AssistantKind, type McpSetup } from './core/mcpSetup';
import type { Ctx } from './ctx';
import { UsedLinks } from './usedLinks';

export const MCP_PROVIDER_ID = 'secretsVault.mcp';

/** The part of VS Code 1.101's MCP API used here (@types/vscode is 1.100's: the API is looked up at run time). */
interface McpStdioDefinition {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string | number | null>;
  cwd?: vscode.Uri;
  version?: string;
}
interface McpApi {
  registerMcpServerDefinitionProvider(
    id: string,
    provider: {
      onDidChangeMcpServerDefinitions?: vscode.Event<void>;
      provideMcpServerDefinitions(token: vscode.CancellationToken): Promise<McpStdioDefinition[]>;
      resolveMcpServerDefinition?(server: McpStdioDefinition, token: vscode.CancellationToken): Promise<McpStdioDefinition | undefined>;
    },
  ): vscode.Disposable;
}
type McpStdioCtor = new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => McpStdioDefinition;

/** Whether this VS Code has the MCP API (1.101 and later). */
export function mcpApi(): { lm: McpApi; Definition: McpStdioCtor } | undefined {
  const lm = (vscode as unknown as { lm?: Partial<McpApi> }).lm;
  const Definition = (vscode as unknown as { McpStdioServerDefinition?: McpStdioCtor }).McpStdioServerDefinition;
  if (!lm || typeof lm.registerMcpServerDefinitionProvider !== 'function' || typeof Definition !== 'function') return undefined;
  return { lm: lm as McpApi, Definition };
}

/**
 * This session's key for signing Create Secret links: drawn at activation, held in memory, given
 * only to the assistants' Secrets Vault server this editor starts (in its environment). A link made
 * by any other process, or before the editor restarted, does not verify.
 */
const linkKey = randomBytes(32);

export function registerMcp(ctx: Ctx): void {
  const extension = ctx.extension;
  // propose_secret's link opens the Create Secret form. It fills the name, agent and keys in only
  // when this session's assistant server signed it (the key below), recently, and it was never
  // opened before; any other link opens the form empty, saying why (core/createSecretLinks.ts).
  const links = new UsedLinks(extension.globalState);
  ctx.own(
    vscode.window.registerUriHandler({
      handleUri: (uri) => {
        const link = parseCreateSecretLink(uri.path, uri.query);
        if (!link) return;
        const verdict = verifyCreateSecretLink(link, linkKey, Date.now(), (once) => {
          const claim = links.claim(once);
          claim.saved.then(undefined, (e: unknown) => ctx.log.warn(`Could not remember the opened link: ${e instanceof Error ? e.message : String(e)}`));
          return claim.first;
        });
        // Nothing from the link is logged: it came from outside the editor.
        if (verdict.kind === 'refused') ctx.log.warn(`A Create Secret link was not filled in (${verdict.reason}): the form opens empty.`);
        try {
          ctx.requireConnected();
        } catch (e) {
          void vscode.window.showErrorMessage(`Secrets Vault: ${e instanceof Error ? e.message : String(e)}`);
          return;
        }
        const { prefill, origin } = linkTarget(verdict);
        ctx.panels.openCreate(prefill, origin);
      },
    }),
  );
  const api = mcpApi();
  if (!api) {
    ctx.log.info('This VS Code has no MCP server API (1.101 or later): assistants can use Secrets Vault through Set Up for Another Assistant.');
    return;
  }
  const changed = new vscode.EventEmitter<void>();
  ctx.own(changed);
  ctx.own(ctx.credentials.onDidChange(() => changed.fire()));
  ctx.own(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('secretsVault') && changed.fire()));
  const server = extension.asAbsolutePath(path.join('dist', 'mcp', 'server.js'));
  // VS Code 1.100 has the function as a proposed API that throws for extensions without the
  // proposal: the extension must start all the same.
  try {
    registerProvider(ctx, api, server, changed);
  } catch (e) {
    ctx.log.info(`The MCP server API is not available here (${e instanceof Error ? e.message : String(e)}): assistants can use Secrets Vault through Set Up for Another Assistant.`);
  }
}

function registerProvider(ctx: Ctx, api: { lm: McpApi; Definition: McpStdioCtor }, server: string, changed: vscode.EventEmitter<void>): void {
  const extension = ctx.extension;
  ctx.own(
    api.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: async () => {
        const args = [server];
        if (vscode.workspace.getConfiguration('secretsVault').get<boolean>('allowInsecureHttp')) args.push('--allow-insecure-http');
        // The URL the extension itself uses (the workspace-trust rules already applied), as the
        // environment's: the server trusts it as the user's choice. No key here.
        const def = new api.Definition('Secrets Vault', process.execPath, args, { ELECTRON_RUN_AS_NODE: '1', SECRETS_VAULT_URL: ctx.url }, String(extension.extension.packageJSON.version ?? ''));
        const folder = vscode.workspace.workspaceFolders?.[0];
        if (folder) def.cwd = folder.uri;
        return [def];
      },
      // The key is added when the server starts, into its process environment only; so is the
      // session's link-signing key (propose_secret signs its links with it).
      resolveMcpServerDefinition: async (def) => {
        const stored = await ctx.credentials.get(ctx.url);
        const { token } = resolveToken(ctx.url, stored, { SECRETS_VAULT_URL: process.env.SECRETS_VAULT_URL, SECRETS_VAULT_TOKEN: process.env.SECRETS_VAULT_TOKEN });
        if (!token) {
          void vscode.window.showWarningMessage('Secrets Vault: sign in first; the assistants\' Secrets Vault server uses your API key.', 'Sign In').then((c) => c && vscode.commands.executeCommand('secretsVault.signIn'));
          return undefined;
        }
        def.env = { ...def.env, SECRETS_VAULT_URL: ctx.url, SECRETS_VAULT_TOKEN: token, [CREATE_SECRET_LINK_KEY_ENV]: linkKey.toString('base64url') };
        return def;
      },
    }),
  );
}

/** Secrets Vault: Set Up for Another Assistant… (registered in commands.ts). */
export async function setUpAssistant(ctx: Ctx): Promise<void> {
  const kind = await vscode.window.showQuickPick(
    [
      { label: 'Claude Code', detail: `Writes ${CONFIG_FILES['claude-code']} in the workspace folder`, assistant: 'claude-code' as AssistantKind },
      { label: 'Cursor', detail: `Writes ${CONFIG_FILES.cursor} in the workspace folder`, assistant: 'cursor' as AssistantKind },
      { label: 'Another MCP client', detail: 'Copies the command line (stdio)', assistant: 'other' as AssistantKind },
    ],
    { title: 'Set Up Secrets Vault for Another Assistant', placeHolder: 'Which assistant?' },
  );
  if (!kind) return;
  const source = await vscode.window.showQuickPick(
    [
      { label: 'SECRETS_VAULT_TOKEN', detail: "The assistant's environment has your API key in SECRETS_VAULT_TOKEN", file: false },
      { label: 'A token file…', detail: 'A file holding your API key (chmod 600); only its path is written', file: true },
    ],
    { title: 'Where does the server find your API key?', placeHolder: 'The key itself is never written into the configuration' },
  );
  if (!source) return;
  const setup: McpSetup = { url: ctx.url, ...(vscode.workspace.getConfiguration('secretsVault').get<boolean>('allowInsecureHttp') ? { allowInsecureHttp: true } : {}) };
  if (source.file) {
    const picked = await vscode.window.showOpenDialog({ title: 'The file holding your API key', canSelectMany: false, openLabel: 'Use This Token File' });
    if (!picked?.[0]) return;
    setup.tokenFile = picked[0].fsPath;
  }
  const line = mcpCommandLine(setup);
  if (kind.assistant === 'other') {
    await vscode.env.clipboard.writeText(line);
    void vscode.window.showInformationMessage(`Secrets Vault: copied the stdio command for your MCP client: ${line}`);
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('Open a folder first: the configuration is written into it.');
  const file = path.join(folder.uri.fsPath, CONFIG_FILES[kind.assistant]);
  let existing: string | undefined;
  try {
    existing = readFileSync(file, 'utf8');
  } catch {
    existing = undefined;
  }
  let text: string;
  try {
    text = mergeMcpConfig(existing, setup);
  } catch (e) {
    throw new Error(`${file} was left as it is: ${e instanceof Error ? e.message : String(e)}.`);
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  const open = await vscode.window.showInformationMessage(
    `Secrets Vault: ${kind.label} runs '${line}'${setup.tokenFile ? '' : ' (start it with SECRETS_VAULT_TOKEN set)'}.`,
    'Open File',
  );
  if (open) await vscode.window.showTextDocument(vscode.Uri.file(file));
}
