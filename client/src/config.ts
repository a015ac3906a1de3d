// Typed getters over the `secretsVault.*` settings (rust-analyzer's Config pattern): the rest of the
// extension never spells a setting name.

import * as vscode from 'vscode';
import { environmentChoice, type EnvironmentChoice } from './core/environment';
import type { SnippetTemplates } from './core/snippets';

export const SECTION = 'secretsVault';

function explicit<T>(inspected: { globalValue?: T; workspaceValue?: T; workspaceFolderValue?: T } | undefined): T | undefined {
  return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}

export const config = {
  /** Values the user set for a folder (not defaults), for config resolution. */
  folderSettings(folder: vscode.WorkspaceFolder | undefined): { url?: string; agent?: string } {
    const c = vscode.workspace.getConfiguration(SECTION, folder?.uri);
    const url = explicit(c.inspect<string>('url'));
    const agent = explicit(c.inspect<string>('agent'));
    return { ...(typeof url === 'string' ? { url } : {}), ...(typeof agent === 'string' ? { agent } : {}) };
  },

  /**
   * Whether the folder's `secretsVault.agent` was chosen for it (folder or workspace settings) rather
   * than in the user settings, which are a fallback for files outside every ADK project.
   */
  agentChosenForFolder(folder: vscode.WorkspaceFolder | undefined): boolean {
    const inspected = vscode.workspace.getConfiguration(SECTION, folder?.uri).inspect<string>('agent');
    const chosen = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
    return typeof chosen === 'string' && chosen.trim() !== '';
  },

  snippetTemplates(folder?: vscode.WorkspaceFolder): Partial<SnippetTemplates> {
    const c = vscode.workspace.getConfiguration(`${SECTION}.snippets`, folder?.uri);
    return {
      getSecret: c.get<string>('getSecret', ''),
      getSecretKey: c.get<string>('getSecretKey', ''),
      pythonEnv: c.get<string>('pythonEnv', ''),
      jsEnv: c.get<string>('jsEnv', ''),
    };
  },

  /**
   * Plain http:// to another machine. Only the user's own value counts (the setting is
   * machine-scoped, and read from the user scope here too), so no workspace can turn it on.
   */
  get allowInsecureHttp(): boolean {
    return vscode.workspace.getConfiguration(SECTION).inspect<boolean>('allowInsecureHttp')?.globalValue === true;
  },

  get maxFileSize(): number {
    return vscode.workspace.getConfiguration(SECTION).get<number>('index.maxFileSize', 1024 * 1024);
  },

  /** Where Choose Agent writes: the folder when there is one, else the user settings. */
  async setAgent(folder: vscode.WorkspaceFolder | undefined, agent: string | undefined): Promise<void> {
    const c = vscode.workspace.getConfiguration(SECTION, folder?.uri);
    await c.update('agent', agent, folder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Global);
  },

  /**
   * `secretsVault.environment`: the environment the diagnostics follow and runs get as `conv.env`.
   * One value for the window (the language server follows one), so it is window-scoped.
   */
  get environment(): EnvironmentChoice {
    return environmentChoice(vscode.workspace.getConfiguration(SECTION).get<string>('environment', 'all'));
  },

  /** Where Choose Environment writes: the workspace's settings when a folder is open, else the user's. */
  async setEnvironment(choice: EnvironmentChoice): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SECTION).update('environment', choice, target);
  },

  /** Lifetime of the run tokens Run, Debug and agent terminals mint, in minutes (the vault allows 1 to 720). */
  get runTokenMinutes(): number {
    const v = vscode.workspace.getConfiguration(SECTION).get<number>('run.tokenMinutes', 15);
    return Number.isFinite(v) ? Math.min(720, Math.max(1, Math.round(v))) : 15;
  },

  /** `secretsVault.trace.server`: off, messages or verbose. */
  get traceServer(): 'off' | 'messages' | 'verbose' {
    const v = vscode.workspace.getConfiguration(SECTION).get<string>('trace.server', 'off');
    return v === 'messages' || v === 'verbose' ? v : 'off';
  },

  affects(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration(SECTION);
  },
};
