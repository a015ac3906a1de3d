// Folders and agent resolution: each workspace folder's vault URL (settings > environment >
// secrets-vault.json, core/connectionConfig.ts) and agent setting, the window's one vault URL, the
// agents the files in them get (core/projects.ts: the nearest secrets-vault.json naming an agent,
// else the nearest project.yaml's project_id, as `secrets-vault check` decides, unless the folder's
// settings chose one), and the agent and project of the active editor. A folder's own
// secrets-vault.json is read here (its vault URL counts, under the trust rules); the others, at any
// depth, come from discovery (projects.ts) and name only an agent.

import * as vscode from 'vscode';
import { DEFAULT_VAULT_URL, WORKSPACE_CONFIG_FILE } from '../../protocol/api';
import type { FolderAgent } from '../../protocol/lsp';
import { config } from './config';
import { agentOfConfig } from '../../protocol/adkProject';
import { readWorkspaceConfig, resolveFolderConfig, type ResolvedFolderConfig } from './core/connectionConfig';
import { ProjectFocus, ProjectModel, type ConfigEntry, type ProjectEntry, type Resolution } from './core/projects';
import type { Discovered } from './projects';

interface FolderEntry {
  folder: vscode.WorkspaceFolder | undefined;
  /** The vault URL, and the agent of the settings only (secrets-vault.json's is `config`). */
  resolved: ResolvedFolderConfig;
  /** The agent setting was chosen for this folder (folder or workspace settings): it wins for every file of the folder. */
  explicit: boolean;
  /** The folder's own secrets-vault.json, when there is one. */
  config: ConfigEntry | null;
}

/** The workspace state's key for the root of the project last used. */
const LAST_PROJECT = 'secretsVault.lastProject';

export class Folders {
  private entries: FolderEntry[] = [];
  private readonly logged = new Set<string>();
  private found: Discovered = { projects: [], configs: [], unusableProjects: [] };
  private model = new ProjectModel([], []);
  private readonly focus: ProjectFocus;

  /** `memory` (the workspace's state) keeps the project last used, shown when no file is open. */
  constructor(
    private readonly warn: (message: string) => void,
    private readonly memory?: vscode.Memento,
  ) {
    const remembered = memory?.get<unknown>(LAST_PROJECT);
    this.focus = new ProjectFocus(typeof remembered === 'string' ? remembered : null);
  }

  private remember(): void {
    const used = this.focus.lastUsed;
    if (this.memory && used !== null && this.memory.get(LAST_PROJECT) !== used) void this.memory.update(LAST_PROJECT, used);
  }

  /** What discovery found (projects, secrets-vault.json files) changed. */
  setProjects(found: Discovered): void {
    this.found = found;
    this.rebuild();
  }

  private rebuild(): void {
    const folders = this.entries.flatMap((f) => (f.folder ? [{ folderUri: f.folder.uri.toString(), agent: f.resolved.agent, explicit: f.explicit }] : []));
    // A folder's own secrets-vault.json as read here first: the first one per folder counts.
    const configs = [...this.entries.flatMap((f) => (f.config ? [f.config] : [])), ...this.found.configs];
    this.model = new ProjectModel(folders, this.found.projects, { configs, unusableProjects: this.found.unusableProjects });
    this.focus.projectsChanged(this.model);
    this.remember();
  }

  /** The projects whose agent applies (not inside a folder with an explicit agent), by folder. */
  get projects(): readonly ProjectEntry[] {
    return this.model.effective;
  }

  /** The active editor changed: a workspace file's project becomes the current one (others change nothing). */
  editorChanged(editor: vscode.TextEditor | undefined): void {
    const uri = editor?.document.uri;
    if (uri && vscode.workspace.getWorkspaceFolder(uri)) this.focus.editorFile(uri.toString(), this.model);
    this.remember();
  }

  /** Select Project: the view follows this project until the editor moves to another project's file. */
  pinProject(rootUri: string): void {
    this.focus.pin(rootUri);
    this.remember();
  }

  /** Reads every folder's settings and secrets-vault.json again. */
  async resolve(): Promise<void> {
    const list = vscode.workspace.workspaceFolders ?? [];
    const entries: FolderEntry[] = [];
    for (const folder of list.length ? list : [undefined]) {
      let file;
      let configEntry: ConfigEntry | null = null;
      if (folder?.uri.scheme === 'file') {
        const read = await readWorkspaceConfig(folder.uri.fsPath);
        if (read.problem) this.warnOnce(read.problem);
        file = read.config;
        if (read.config || read.problem) {
          // Its agent as `check` reads it; it decides in the model like any other secrets-vault.json.
          const agent = agentOfConfig(read);
          if (agent.problem !== undefined && agent.problem !== read.problem) this.warnOnce(`${folder.name}: ${agent.problem}`);
          configEntry = { rootUri: folder.uri.toString(), agent: agent.agent };
        }
        // Untrusted, a cloned folder must not choose where requests go; its agent choice is harmless.
        if (file?.vault !== undefined && !vscode.workspace.isTrusted) {
          this.warnOnce(`Ignoring "vault" in ${WORKSPACE_CONFIG_FILE} of ${folder.name}: the workspace is not trusted.`);
          file = { ...file, vault: undefined };
        }
      }
      // The settings' agent only: the file's is weighed in the model, against the projects and the other files.
      const resolved = resolveFolderConfig({ settings: config.folderSettings(folder), file: file && { vault: file.vault }, env: { SECRETS_VAULT_URL: process.env.SECRETS_VAULT_URL } });
      for (const p of resolved.problems) this.warnOnce(p);
      const explicit = resolved.agentSource === 'setting' && config.agentChosenForFolder(folder);
      entries.push({ folder, resolved, explicit, config: configEntry });
    }
    this.entries = entries;
    this.rebuild();
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

  /** The agent and project the views show: the active (or last) workspace file's, or the project picked. */
  current(): Resolution {
    // No workspace folder: the user settings' agent, as before projects.
    if (!vscode.workspace.workspaceFolders?.length) return { agent: this.entries[0]?.resolved.agent ?? null, project: null, explicit: false };
    return this.focus.current(this.model);
  }

  /** The agent of the active editor's file (its project's, or its folder's). */
  currentAgent(): string | null {
    return this.current().agent;
  }

  /** What the language server gets: each workspace folder's agent, and each project's (with its name). */
  folderAgents(): readonly FolderAgent[] {
    return this.model.folderAgents();
  }
}
