// Folders and agent resolution: each workspace folder's vault URL and agent (settings >
// environment > secrets-vault.json, core/connectionConfig.ts), the window's one vault URL, and the
// effective agent of the active editor.

import * as vscode from 'vscode';
import { DEFAULT_VAULT_URL, WORKSPACE_CONFIG_FILE } from '../../protocol/api';
import type { FolderAgent } from '../../protocol/lsp';
import { config } from './config';
import { readWorkspaceConfig, resolveFolderConfig, type ResolvedFolderConfig } from './core/connectionConfig';

interface FolderEntry {
  folder: vscode.WorkspaceFolder | undefined;
  resolved: ResolvedFolderConfig;
}

export class Folders {
  private entries: FolderEntry[] = [];
  private readonly logged = new Set<string>();

  constructor(private readonly warn: (message: string) => void) {}

  /** Reads every folder's settings and secrets-vault.json again. */
  async resolve(): Promise<void> {
    const list = vscode.workspace.workspaceFolders ?? [];
    const entries: FolderEntry[] = [];
    for (const folder of list.length ? list : [undefined]) {
      let file;
      if (folder?.uri.scheme === 'file') {
        const read = await readWorkspaceConfig(folder.uri.fsPath);
        if (read.problem) this.warnOnce(read.problem);
        file = read.config;
        // Untrusted, a cloned folder must not choose where requests go; its agent choice is harmless.
        if (file?.vault !== undefined && !vscode.workspace.isTrusted) {
          this.warnOnce(`Ignoring "vault" in ${WORKSPACE_CONFIG_FILE} of ${folder.name}: the workspace is not trusted.`);
          file = { ...file, vault: undefined };
        }
      }
      const resolved = resolveFolderConfig({ settings: config.folderSettings(folder), file, env: { SECRETS_VAULT_URL: process.env.SECRETS_VAULT_URL } });
      for (const p of resolved.problems) this.warnOnce(p);
      entries.push({ folder, resolved });
    }
    this.entries = entries;
  }

  private warnOnce(problem: string): void {
    if (this.logged.has(problem)) return;
    this.logged.add(problem);
    this.warn(problem);
  }

  /** One connection per window: the first folder that names a vault decides (the URL is window-scoped). */
  vaultUrl(): string {
    const named = this.entries.find((f) => f.resolved.urlSource !== 'default');
    return (named ?? this.entries[0])?.resolved.url ?? DEFAULT_VAULT_URL;
  }

  /** The active editor's folder, or the first folder. */
  currentFolder(): vscode.WorkspaceFolder | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const folder = uri && vscode.workspace.getWorkspaceFolder(uri);
    return folder ?? vscode.workspace.workspaceFolders?.[0];
  }

  /** The agent of the active editor's folder (or the first folder). */
  currentAgent(): string | null {
    const folder = this.currentFolder();
    const entry = this.entries.find((f) => f.folder?.uri.toString() === folder?.uri.toString()) ?? this.entries[0];
    return entry?.resolved.agent ?? null;
  }

  folderAgents(): FolderAgent[] {
    return this.entries.flatMap((f) => (f.folder ? [{ folderUri: f.folder.uri.toString(), agent: f.resolved.agent }] : []));
  }
}
