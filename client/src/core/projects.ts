// Agent Development Kit projects in the workspace, without vscode: a folder with `project.yaml` is a
// project, and its `project_id` is the agent of every file in it (the nearest `project.yaml` wins,
// protocol/adkProject.ts). A `secrets-vault.json` naming an `agent`, at any depth, wins over the
// projects below it, exactly as `secrets-vault check` decides (the nearest one is its folder's
// configuration: one without `agent` lets the nearest project decide, never an outer file). A
// workspace folder's `secretsVault.agent` chosen in folder or workspace settings still wins for
// every file of that folder. From the folders, the discovered projects and secrets-vault.json files
// this decides the folder rules the language server gets, which agent and project a file has, which
// project the Secrets view follows (the active file's, or the one picked), how a project is named,
// and what is said when the vault does not know a project's agent.

import { parse } from 'yaml';
import { WORKSPACE_CONFIG_FILE, type Agent, type CreateAgentRequest, type Role } from '../../../protocol/api';
import { agentOfConfig, decidingSource, projectFromManifest, type AdkProject } from '../../../protocol/adkProject';
import { VaultApiError, type VaultApi } from '../../../protocol/client';
import { parseWorkspaceConfig } from '../../../protocol/guards';
import type { FolderAgent } from '../../../protocol/lsp';
import { agentIdFold, MAX_AGENT_NAME_LENGTH } from '../../../protocol/names';
import { firstUnsafeCodePoint, safeText } from '../../../protocol/safeText';

/** A discovered project: the folder holding its `project.yaml` (a URI, no trailing '/'), and what it says. */
export interface ProjectEntry {
  rootUri: string;
  project: AdkProject;
}

/** A workspace folder as the projects see it. */
export interface FolderInput {
  folderUri: string;
  /** The folder's `secretsVault.agent` setting (the user-level one included); its secrets-vault.json is a ConfigEntry. */
  agent: string | null;
  /**
   * Whether that agent was chosen for this folder (a workspace or folder setting): it then wins for
   * every file of the folder. A user-level setting is the agent of the files that no
   * secrets-vault.json or project.yaml decides, not explicit.
   */
  explicit: boolean;
}

/** A secrets-vault.json: its folder (a URI) and the agent it names for the files below it (null: none, or one that cannot be used). */
export interface ConfigEntry {
  rootUri: string;
  agent: string | null;
}

/** What decides agents besides the projects. */
export interface SourceInput {
  /** Every secrets-vault.json found (the workspace folders' own, nested ones, the nearest above a folder); the first per folder counts. */
  configs?: readonly ConfigEntry[];
  /** The folders of project.yaml files that cannot be used: their files have no agent (not an outer project's). */
  unusableProjects?: readonly string[];
}

/** One rule of the list the language server gets, with where its agent comes from. */
export interface AgentRule {
  folderUri: string;
  agent: string | null;
  /** The project whose agent this is; null for a chosen agent, the user-level one, or none. */
  project: ProjectEntry | null;
  /** The agent was chosen: a secrets-vault.json's, or a folder's setting. */
  explicit: boolean;
}

/** The agent a file gets and the project it comes from (null: the folder's agent, or none). */
export interface Resolution {
  agent: string | null;
  project: ProjectEntry | null;
  /** The agent was chosen (a secrets-vault.json's, or a folder's setting), not a project's. */
  explicit: boolean;
}

/** What `project.yaml`'s text describes: its project, or why it describes none. Never throws. */
export function readManifest(text: string): { project: AdkProject } | { problem: string } {
  let parsed: unknown;
  try {
    // The core schema (plain data: no tags that build objects), one document, aliases bounded.
    parsed = parse(text, { schema: 'core', maxAliasCount: 100, prettyErrors: false });
  } catch (e) {
    return { problem: `project.yaml is not valid YAML (${e instanceof Error ? firstLine(e.message) : 'unreadable'}).` };
  }
  return projectFromManifest(parsed);
}

function firstLine(s: string): string {
  return safeText(s.split('\n', 1)[0] ?? '').slice(0, 200);
}

const trimSlash = (uri: string) => (uri.length > 1 && uri.endsWith('/') ? uri.slice(0, -1) : uri);

/**
 * The folder above a folder URI (no trailing '/'), or null past the root. The root of a file URI's
 * path (`file:///`) is `file://` once trimmed, as the language server trims it.
 */
function parentOf(uri: string): string | null {
  const i = uri.lastIndexOf('/');
  if (i <= 0) return null;
  const up = uri.slice(0, i);
  return /^[a-z][a-z0-9+.-]*:\/?$/i.test(up) ? null : up;
}

/** The value of the nearest folder at or above `uri` that `map` holds (keys without trailing '/'). */
function nearest<T>(map: ReadonlyMap<string, T>, uri: string): { root: string; value: T } | null {
  for (let d: string | null = trimSlash(uri); d !== null; d = parentOf(d)) {
    if (map.has(d)) return { root: d, value: map.get(d)! };
  }
  return null;
}

/** The text of a secrets-vault.json: the agent it names for the files below it (null: none), as `check` reads it. */
export function readConfigAgent(text: string): { agent: string | null; problem?: string } {
  return agentOfConfig(parseWorkspaceConfig(text, WORKSPACE_CONFIG_FILE));
}

/**
 * The workspace's folders, projects and secrets-vault.json files, and every answer derived from
 * them. Built again when any changes (a handful of folders, at most some thousands of projects):
 * each lookup walks a path's folders up through maps, so building is linear in the files found.
 *
 * A file's agent follows `secrets-vault check` exactly (protocol/adkProject.ts decidingSource): the
 * nearest secrets-vault.json when it names an agent, else the nearest project.yaml's project_id
 * (none when that project.yaml cannot be used), else none. Two things only the editor has come on
 * top: a workspace folder's `secretsVault.agent` chosen in folder or workspace settings wins for
 * every file of the folder, and the user-level one is the agent of files that nothing decides.
 * Since what decides a file changes only at a folder holding one of these files, one rule per such
 * folder (where it says something its enclosing rule does not) gives the language server's
 * innermost-rule choice the same answers.
 */
export class ProjectModel {
  /** Sorted by root; one per root. */
  readonly projects: readonly ProjectEntry[];
  /** The projects whose agent applies somewhere (not hidden by a secrets-vault.json or a folder's chosen agent). */
  readonly effective: readonly ProjectEntry[];
  /** Workspace folders first (in their order), then the other rules by folder. */
  readonly rules: readonly AgentRule[];
  /** The rules by folder (no trailing '/'): the nearest at or above a file is its innermost. */
  private readonly byRoot = new Map<string, AgentRule>();
  private agentList: readonly FolderAgent[] | undefined;

  constructor(
    readonly folders: readonly FolderInput[],
    projects: readonly ProjectEntry[],
    sources: SourceInput = {},
  ) {
    const byRoot = new Map<string, ProjectEntry>();
    for (const p of projects) {
      const rootUri = trimSlash(p.rootUri);
      if (!byRoot.has(rootUri)) byRoot.set(rootUri, rootUri === p.rootUri ? p : { ...p, rootUri });
    }
    this.projects = [...byRoot.values()].sort((a, b) => compare(a.rootUri, b.rootUri));
    // Each folder's project.yaml (null: one that cannot be used) and secrets-vault.json (its agent, or null).
    const projectAt = new Map<string, ProjectEntry | null>(byRoot);
    for (const root of sources.unusableProjects ?? []) if (!projectAt.has(trimSlash(root))) projectAt.set(trimSlash(root), null);
    const configAt = new Map<string, string | null>();
    for (const c of sources.configs ?? []) if (!configAt.has(trimSlash(c.rootUri))) configAt.set(trimSlash(c.rootUri), c.agent);
    const folderAt = new Map<string, FolderInput>();
    for (const f of folders) if (!folderAt.has(trimSlash(f.folderUri))) folderAt.set(trimSlash(f.folderUri), f);

    // Outer folders first, so that each rule is compared with the one enclosing it.
    const roots = [...new Set([...folderAt.keys(), ...configAt.keys(), ...projectAt.keys()])].sort((a, b) => a.length - b.length || compare(a, b));
    const folderRules = new Map<string, AgentRule>();
    const inner: AgentRule[] = [];
    for (const root of roots) {
      // Above every workspace folder (or outside them), a file decides only for the folders below it.
      const owner = nearest(folderAt, root)?.value;
      if (!owner) continue;
      const isFolder = folderAt.get(root) === owner;
      const rule: AgentRule = { folderUri: isFolder ? owner.folderUri : root, ...this.decide(owner, root, configAt, projectAt) };
      if (isFolder) {
        folderRules.set(root, rule);
        this.byRoot.set(root, rule);
        continue;
      }
      const enclosing = nearest(this.byRoot, root)?.value;
      if (enclosing && sameRule(enclosing, rule)) continue;
      inner.push(rule);
      this.byRoot.set(root, rule);
    }
    const folderRuleList = folders.flatMap((f) => (folderAt.get(trimSlash(f.folderUri)) === f ? [folderRules.get(trimSlash(f.folderUri))!] : []));
    this.rules = [...folderRuleList, ...inner.sort((a, b) => compare(a.folderUri, b.folderUri))];
    const effective = new Set<ProjectEntry>();
    for (const r of this.rules) if (r.project) effective.add(r.project);
    this.effective = [...effective].sort((a, b) => compare(a.rootUri, b.rootUri));
  }

  /** The agent of the files directly in `root`, a folder inside the workspace folder `owner`. */
  private decide(owner: FolderInput, root: string, configAt: ReadonlyMap<string, string | null>, projectAt: ReadonlyMap<string, ProjectEntry | null>): Omit<AgentRule, 'folderUri'> {
    if (owner.explicit) return { agent: owner.agent, project: null, explicit: true };
    const config = nearest(configAt, root);
    const project = nearest(projectAt, root);
    const source = decidingSource<Source>(
      config && { kind: 'config', agent: config.value, entry: null },
      project && { kind: 'project', agent: project.value?.project.id ?? null, entry: project.value },
    );
    if (source === null) return { agent: owner.agent, project: null, explicit: false };
    if (source.kind === 'config') return { agent: source.agent, project: null, explicit: true };
    return { agent: source.agent, project: source.entry, explicit: false };
  }

  /**
   * The folder rules the language server gets: each workspace folder, then each folder where a
   * project.yaml or a secrets-vault.json changes the agent, with the project's name as shown (on
   * one line, control and invisible characters as escapes).
   */
  folderAgents(): readonly FolderAgent[] {
    // Asked on every render (the sync compares it with what the server has): built once per model.
    return (this.agentList ??= this.rules.map((r): FolderAgent => {
      if (!r.project) return { folderUri: r.folderUri, agent: r.agent };
      const name = r.project.project.name;
      return { folderUri: r.folderUri, agent: r.agent, name: name === null ? null : safeText(name) };
    }));
  }

  /** The agent of a file (as the language server decides it: the innermost rule); null outside every rule. */
  resolve(fileUri: string): Resolution | null {
    const rule = nearest(this.byRoot, fileUri)?.value;
    return rule ? { agent: rule.agent, project: rule.project, explicit: rule.explicit } : null;
  }

  /** The effective project with this root, if any. */
  project(rootUri: string): ProjectEntry | undefined {
    return this.effective.find((p) => p.rootUri === rootUri);
  }
}

/** A secrets-vault.json or a project.yaml, as decidingSource weighs them. */
interface Source {
  kind: 'config' | 'project';
  agent: string | null;
  entry: ProjectEntry | null;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether two rules give a file the same answer. */
function sameRule(a: AgentRule, b: AgentRule): boolean {
  return a.agent === b.agent && a.explicit === b.explicit && (a.project?.rootUri ?? null) === (b.project?.rootUri ?? null);
}

/**
 * Which project the Secrets view follows: the active editor's file's, or the one picked with Select
 * Project until the editor moves to a file with another agent (another project's, or a folder's
 * explicit one). Editors that are not workspace files (output, a form) change nothing: the last file
 * still decides. Before any file, the first folder's agent; else the workspace's one project; with
 * several, the one last used in this workspace (remembered across windows), else none: the first
 * project found is no more the user's than any other.
 */
export class ProjectFocus {
  private pinned: string | null = null;
  private lastFile: string | null = null;
  /** The project last used (a file of it shown, or picked), by root: what the workspace remembers. */
  private used: string | null;

  constructor(remembered: string | null = null) {
    this.used = remembered;
  }

  /** The active editor shows this workspace file. */
  editorFile(fileUri: string, model: ProjectModel): void {
    this.lastFile = fileUri;
    const r = model.resolve(fileUri);
    if (r?.project) this.used = r.project.rootUri;
    if (this.pinned === null) return;
    if (r && (r.explicit || (r.project !== null && r.project.rootUri !== this.pinned))) this.pinned = null;
  }

  pin(rootUri: string): void {
    this.pinned = rootUri;
    this.used = rootUri;
  }

  /** The projects changed: the last file's project (found only now, perhaps) is the one in use. */
  projectsChanged(model: ProjectModel): void {
    const r = this.lastFile === null ? null : model.resolve(this.lastFile);
    if (r?.project) this.used = r.project.rootUri;
  }

  /** The root of the project last used (null: none yet), to remember for the workspace. */
  get lastUsed(): string | null {
    return this.used;
  }

  get pinnedRoot(): string | null {
    return this.pinned;
  }

  /** The agent and project the view shows. */
  current(model: ProjectModel): Resolution {
    const pinned = this.pinned === null ? undefined : model.project(this.pinned);
    if (pinned) return { agent: pinned.project.id, project: pinned, explicit: false };
    const file = this.lastFile === null ? null : model.resolve(this.lastFile);
    if (file) return file;
    const first = model.rules[0];
    if (first && (first.agent !== null || first.explicit)) return { agent: first.agent, project: first.project, explicit: first.explicit };
    const used = this.used === null ? undefined : model.project(this.used);
    const project = model.effective.length === 1 ? model.effective[0] : used;
    if (project) return { agent: project.project.id, project, explicit: false };
    return { agent: first?.agent ?? null, project: null, explicit: false };
  }
}

/** `Field Service Template (PROJECT-WEVYLLDV)`, or the id alone when project.yaml names none. */
export function projectLabel(project: AdkProject): string {
  return project.name === null ? project.id : `${safeText(project.name)} (${project.id})`;
}

/** The projects as quick pick items: name, id beside it, the folder below (relative to the workspace). */
export function projectPickItems(
  projects: readonly ProjectEntry[],
  current: string | null,
  relative: (rootUri: string) => string,
): { label: string; description: string; detail: string; rootUri: string }[] {
  return projects.map((p) => ({
    label: noIcons(p.project.name === null ? p.project.id : safeText(p.project.name)),
    description: [p.project.id, p.rootUri === current ? '(current)' : ''].filter(Boolean).join(' '),
    detail: noIcons(safeText(relative(p.rootUri))),
    rootUri: p.rootUri,
  }));
}

const noIcons = (text: string) => text.replace(/\$\(/g, '\\$(');

/** Whether the vault's agents lack this id (ids that differ only in case are one agent to the vault). */
export function isMissingAgent(id: string, agents: readonly Agent[]): boolean {
  const fold = agentIdFold(id);
  return !agents.some((a) => a.id === id || agentIdFold(a.id) === fold);
}

/** The body of Create Agent: the id, and project.yaml's name when the vault can take it. */
export function createAgentBody(project: AdkProject): CreateAgentRequest {
  const name = project.name === null ? '' : [...project.name.replace(/\s+/g, ' ').trim()].slice(0, MAX_AGENT_NAME_LENGTH).join('').trim();
  // A name with control or invisible characters is refused by the vault: the id alone then.
  return name === '' || firstUnsafeCodePoint(name) !== undefined ? { id: project.id } : { id: project.id, name };
}

/**
 * Creates the project's agent (POST /v1/agents with project.yaml's id and name). An agent made
 * meanwhile by someone else (409) is no failure: the caller lists the agents again.
 */
export async function createProjectAgent(api: Pick<VaultApi, 'createAgent'>, project: AdkProject): Promise<{ created: Agent } | { existed: string }> {
  try {
    return { created: await api.createAgent(createAgentBody(project)) };
  } catch (e) {
    if (e instanceof VaultApiError && e.status === 409) return { existed: e.message };
    throw e;
  }
}

export const CREATE_AGENT = 'Create Agent';
export const NOT_NOW = 'Not Now';
export const COPY_REQUEST = 'Copy Request';

/**
 * The one notice about a project whose agent the vault does not know, for this role. `folder` is
 * where the project is when the workspace holds several (the workspace is not the project then).
 */
export function missingAgentNotice(project: AdkProject, role: Role, folder?: string): { message: string; actions: string[] } {
  const named = `${project.name === null ? '' : `'${safeText(project.name)}' `}(${project.id})`;
  const what =
    folder === undefined
      ? `This folder is the Agent Studio project ${named}, which the vault does not know yet.`
      : `The Agent Studio project ${named} in ${safeText(folder)} is not an agent the vault knows yet.`;
  return role === 'admin'
    ? { message: `${what} Create the agent so that its functions can be given secrets?`, actions: [CREATE_AGENT, NOT_NOW] }
    : { message: `${what} Ask an admin to create the agent.`, actions: [COPY_REQUEST] };
}

/** `A, B, C and D`, or the first `max` and how many more (never "1 more": it would fit). */
function listed(items: readonly string[], max = 5): string {
  if (items.length <= 1) return items[0] ?? '';
  const shown = items.length > max + 1 ? [...items.slice(0, max), `${items.length - max} more`] : [...items];
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

export const CREATE_AGENTS = 'Create Agents';

/**
 * The one notice of a workspace with several projects, some of whose agents the vault does not
 * know: it speaks of them all (`This folder holds 5 Agent Studio projects: …`), not of whichever
 * was found first. `where` is `folder` (one workspace folder) or `workspace`.
 */
export function repositoryNotice(projects: readonly AdkProject[], missing: readonly AdkProject[], role: Role, where: 'folder' | 'workspace'): { message: string; actions: string[] } {
  const names = projects.map((p) => (p.name === null ? p.id : `'${safeText(p.name)}'`));
  const holds = `This ${where} holds ${projects.length} Agent Studio projects: ${listed(names)}.`;
  const n = missing.length;
  const which =
    n === projects.length
      ? `The vault knows none of their agents yet (${listed(missing.map((p) => p.id))}).`
      : n === 1
        ? `The vault does not know the agent of ${projectLabel(missing[0]!)} yet.`
        : `The vault does not know the agents of ${n} of them yet (${listed(missing.map((p) => p.id))}).`;
  const them = n === 1 ? 'it' : 'them';
  return role === 'admin'
    ? { message: `${holds} ${which} Create ${n === 1 ? 'the agent so that its' : `the ${n} agents so that their`} functions can be given secrets?`, actions: [n === 1 ? CREATE_AGENT : CREATE_AGENTS, NOT_NOW] }
    : { message: `${holds} ${which} Ask an admin to create ${them}.`, actions: [COPY_REQUEST] };
}

/** What a developer sends an admin for a project's agent (the style of the secret request note). */
export function agentRequestNote(project: AdkProject, folder: string): { clipboard: string; notice: string } {
  const name = project.name === null ? '' : ` (${safeText(project.name)})`;
  const body = createAgentBody(project);
  const clipboard = [
    `Agent request: please create the agent '${project.id}'${name} in the vault.`,
    `It is the Agent Studio project in ${safeText(folder)}; its functions need it before they can be given secrets.`,
    `An admin can run: secrets-vault agents create ${project.id}${body.name === undefined ? '' : ` --name ${shellQuote(body.name)}`}`,
  ].join('\n');
  return { clipboard, notice: `Copied a request for the agent '${project.id}' for an admin.` };
}

/** One request for the agents of several projects: each with its folder, and the commands an admin runs. */
export function agentsRequestNote(entries: readonly { project: AdkProject; folder: string }[]): { clipboard: string; notice: string } {
  if (entries.length === 1) return agentRequestNote(entries[0]!.project, entries[0]!.folder);
  const lines = [`Agent request: please create these ${entries.length} agents in the vault; the Agent Studio projects' functions need them before they can be given secrets.`];
  for (const { project, folder } of entries) lines.push(`- '${project.id}'${project.name === null ? '' : ` (${safeText(project.name)})`}: the project in ${safeText(folder)}`);
  lines.push('An admin can run:');
  for (const { project } of entries) {
    const body = createAgentBody(project);
    lines.push(`  secrets-vault agents create ${project.id}${body.name === undefined ? '' : ` --name ${shellQuote(body.name)}`}`);
  }
  return { clipboard: lines.join('\n'), notice: `Copied a request for ${entries.length} agents for an admin.` };
}

/** One word for a POSIX shell: single quotes, each quote written as '\\''. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Remembers the projects already asked about in this window: one notice per project, never again. */
export class MissingAgentPrompts {
  /** The key of the one notice about a workspace's several projects (no project id looks like it). */
  static readonly WORKSPACE = '*';
  private readonly asked = new Set<string>();

  /** Whether to ask about this id now (true once per id). */
  take(id: string): boolean {
    if (this.asked.has(id)) return false;
    this.asked.add(id);
    return true;
  }
}
