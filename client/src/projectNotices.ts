// What the editor says about a project whose agent the vault does not know (core/projects.ts has the
// words): the one notice per project and window, with Create Agent for admins and Copy Request for
// the others, and the item the Secrets view keeps for it so that the step stays reachable after
// Not Now. The commands themselves are in projectCommands.ts.

import * as vscode from 'vscode';
import type { Role } from '../../protocol/api';
import { COPY_REQUEST, CREATE_AGENT, CREATE_AGENTS, missingAgentNotice, projectLabel, repositoryNotice, type ProjectEntry } from './core/projects';
import type { ViewNotice } from './secretsView';

export const CREATE_PROJECT_AGENT = 'secretsVault.createProjectAgent';
export const COPY_AGENT_REQUEST = 'secretsVault.copyAgentRequest';

/** The folder of a project as the workspace names it (`agents/support`, or the folder's name). */
export function relativeFolder(rootUri: string): string {
  const uri = vscode.Uri.parse(rootUri);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (folder && folder.uri.toString() === rootUri) return folder.name;
  return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

/** The Secrets view's item for a project whose agent is missing: Create Agent (admins) or Copy Request. */
export function missingAgentItem(entry: ProjectEntry, role: Role): ViewNotice {
  const { project } = entry;
  return role === 'admin'
    ? {
        type: 'notice',
        id: `missing-agent/${project.id}`,
        label: `Create agent ${project.id}…`,
        tooltip: `${projectLabel(project)} is not an agent of the vault yet. Create it to give its functions secrets.`,
        icon: 'add',
        command: { command: CREATE_PROJECT_AGENT, title: 'Create Agent', arguments: [entry.rootUri] },
      }
    : {
        type: 'notice',
        id: `missing-agent/${project.id}`,
        label: `Ask an admin to create agent ${project.id}…`,
        tooltip: `${projectLabel(project)} is not an agent of the vault yet. Copies a request for an admin.`,
        icon: 'mail',
        command: { command: COPY_AGENT_REQUEST, title: 'Copy Request', arguments: [entry.rootUri] },
      };
}

/**
 * The one notice per project and window (the caller decides when); Not Now leaves the view's item.
 * `several`: the workspace holds other projects too, so the notice says where this one is.
 */
export async function askAboutMissingAgent(log: vscode.LogOutputChannel, entry: ProjectEntry, role: Role, several = false): Promise<void> {
  const notice = missingAgentNotice(entry.project, role, several ? relativeFolder(entry.rootUri) : undefined);
  log.info(`The vault has no agent ${entry.project.id} (the project at ${relativeFolder(entry.rootUri)}).`);
  const choice = await vscode.window.showInformationMessage(notice.message, ...notice.actions);
  if (choice === CREATE_AGENT) await vscode.commands.executeCommand(CREATE_PROJECT_AGENT, entry.rootUri);
  else if (choice === COPY_REQUEST) await vscode.commands.executeCommand(COPY_AGENT_REQUEST, entry.rootUri);
}

/**
 * The one notice of a workspace holding several projects, some of whose agents the vault does not
 * know: it speaks of them all; Create Agents makes the missing ones, Copy Request asks for them all.
 */
export async function askAboutRepository(log: vscode.LogOutputChannel, projects: readonly ProjectEntry[], missing: readonly ProjectEntry[], role: Role): Promise<void> {
  const where = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? 'workspace' : 'folder';
  const notice = repositoryNotice(
    projects.map((p) => p.project),
    missing.map((p) => p.project),
    role,
    where,
  );
  log.info(`The vault has no agent for ${missing.length} of the ${projects.length} projects: ${missing.map((p) => `${p.project.id} at ${relativeFolder(p.rootUri)}`).join(', ')}.`);
  const choice = await vscode.window.showInformationMessage(notice.message, ...notice.actions);
  const roots = missing.map((p) => p.rootUri);
  if (choice === CREATE_AGENT || choice === CREATE_AGENTS) await vscode.commands.executeCommand(CREATE_PROJECT_AGENT, roots);
  else if (choice === COPY_REQUEST) await vscode.commands.executeCommand(COPY_AGENT_REQUEST, roots);
}
