// Choose Agent and Create Agent: the folder's agent is written to its secrets-vault.json, the one
// place the extension, the CLI and `check` all read; admins can create an agent from the picker.

import * as vscode from 'vscode';
import { WORKSPACE_CONFIG_FILE } from '../../protocol/api';
import { VaultApiError } from '../../protocol/client';
import { MAX_AGENT_NAME_LENGTH } from '../../protocol/names';
import { config } from './config';
import { agentPickItems } from './core/agentLabels';
import { AGENT_ID_PROMPT, agentPickerPlaceholder, newAgentIdProblem } from './core/agentChoice';
import { configWithAgent } from './core/workspaceConfigEdit';
import type { Ctx } from './ctx';


type Item = vscode.QuickPickItem & { agent: string | undefined; create?: true };

/** The folder a choice is for: the only one, or the one picked; null when the user cancelled. */
async function folderOf(): Promise<vscode.WorkspaceFolder | undefined | null> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'The folder whose agent to set' })) ?? null;
}

export async function chooseAgent(ctx: Ctx): Promise<void> {
  const conn = ctx.requireConnected();
  const folder = await folderOf();
  if (folder === null) return;
  const setting = config.agentChosenForFolder(folder) ? config.folderSettings(folder).agent : undefined;
  // The id as label (what the file holds, exactly), the display name beside it.
  const items: Item[] = agentPickItems(conn.metadata.agents, ctx.currentAgent);
  if (conn.role === 'admin') items.push({ label: '$(add) Create Agent…', description: 'A new agent in the vault, chosen here', agent: undefined, create: true });
  items.push({ label: '$(close) No agent', description: folder ? `Remove "agent" from ${WORKSPACE_CONFIG_FILE}` : 'Clear the user setting', agent: undefined });
  const picked = await vscode.window.showQuickPick(items, { placeHolder: agentPickerPlaceholder(setting), matchOnDescription: true, matchOnDetail: true });
  if (!picked) return;
  if (picked.create) {
    await createAgent(ctx, folder);
    return;
  }
  await setFolderAgent(ctx, folder, picked.agent);
}

/** Secrets Vault: Create Agent… (admins): an id checked as it is typed, an optional name; then chosen for the folder. */
export async function createAgent(ctx: Ctx, known?: vscode.WorkspaceFolder | null): Promise<void> {
  const conn = ctx.requireConnected();
  if (conn.role !== 'admin') {
    void vscode.window.showWarningMessage('Only an admin can create an agent. Ask an admin of the vault to create it.');
    return;
  }
  const folder = known === undefined ? await folderOf() : known;
  if (folder === null) return;
  const id = await vscode.window.showInputBox({
    title: 'Create Agent',
    prompt: AGENT_ID_PROMPT,
    placeHolder: 'PROJECT-BK7QF2MA',
    validateInput: (v) => newAgentIdProblem(v, conn.metadata.agents),
  });
  if (id === undefined) return;
  const name = await vscode.window.showInputBox({
    title: `Create Agent ${id.trim()}`,
    prompt: `Its display name (optional, up to ${MAX_AGENT_NAME_LENGTH} characters; the id when empty)`,
    validateInput: (v) => (v.trim().length > MAX_AGENT_NAME_LENGTH ? `At most ${MAX_AGENT_NAME_LENGTH} characters.` : undefined),
  });
  if (name === undefined) return;
  const body = { id: id.trim(), ...(name.trim() !== '' ? { name: name.trim() } : {}) };
  try {
    const created = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating the agent '${body.id}'…` }, () => conn.api.createAgent(body));
    conn.applyLocalAgent(created);
    ctx.log.info(`Created the agent ${created.id}.`);
  } catch (e) {
    if (!(e instanceof VaultApiError && e.status === 409)) throw e;
    // Created by someone else since the listing: the listing brings it, and it is chosen all the same.
    await conn.refresh();
  }
  await setFolderAgent(ctx, folder, body.id);
}

/**
 * Writes the folder's agent into its secrets-vault.json (created when absent, other fields and
 * formatting kept). Without a folder, the user setting is the only place there is.
 */
async function setFolderAgent(ctx: Ctx, folder: vscode.WorkspaceFolder | undefined, agent: string | undefined): Promise<void> {
  if (!folder) {
    await config.setAgent(undefined, agent);
    ctx.log.info(`Agent for the user settings: ${agent ?? 'none'}.`);
    return;
  }
  const file = vscode.Uri.joinPath(folder.uri, WORKSPACE_CONFIG_FILE);
  let text: string | undefined;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  } catch (e) {
    if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) throw e;
  }
  const next = configWithAgent(text, agent);
  if (next !== undefined && next !== text) await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(next));
  ctx.log.info(`Agent for ${folder.name}: ${agent ?? 'none'} (${WORKSPACE_CONFIG_FILE}).`);
  if (config.agentChosenForFolder(folder)) {
    void vscode.window.showWarningMessage(
      `Wrote ${agent === undefined ? 'no agent' : `'${agent}'`} to ${WORKSPACE_CONFIG_FILE}, but the setting secretsVault.agent ('${config.folderSettings(folder).agent}') still decides ${folder.name}'s agent: clear it in Settings for the file to apply.`,
    );
  }
}
