// Agent Development Kit projects in the workspace, without vscode: a folder with `project.yaml` is a
// project, and its `project_id` is the agent of every file in it (the nearest `project.yaml` wins,
// protocol/adkProject.ts). An explicit agent (the folder's `secretsVault.agent` setting, or `agent`
// in its secrets-vault.json) still wins for every file of that workspace folder. From the folders
// and the discovered projects this decides the folder rules the language server gets (one
// FolderAgent per project root besides the workspace folders), which agent and project a file has,
// which project the Secrets view follows (the active file's, or the one picked), how a project is
// named, and what is said when the vault does not know a project's agent.

import { parse } from 'yaml';
import type { Agent, CreateAgentRequest, Role } from '../../../protocol/api';
import { projectFromManifest, type AdkProject } from '../../../protocol/adkProject';
import { VaultApiError, type VaultApi } from '../../../protocol/client';
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
  /** The folder's agent from its settings or secrets-vault.json (the user-level setting included). */
  agent: string | null;
  /**
   * Whether that agent was chosen for this folder (a workspace or folder setting, or
   * secrets-vault.json): it then wins over the projects inside. A user-level setting is a fallback
   * for files outside every project, not explicit.
   */
  explicit: boolean;
}

/** One rule of the list the language server gets, with where its agent comes from. */
export interface AgentRule {
  folderUri: string;
  agent: string | null;
  /** The project whose agent this is; null for a folder's own (or no) agent. */
  project: ProjectEntry | null;
  /** The rule is an explicit folder agent. */
  explicit: boolean;
}

/** The agent a file gets and the project it comes from (null: the folder's agent, or none). */
export interface Resolution {
  agent: string | null;
  project: ProjectEntry | null;
  /** The agent is a workspace folder's explicit choice. */
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

/** Whether `root` is `uri` or one of its ancestors, segment by segment. */
function contains(root: string, uri: string): boolean {
  const r = trimSlash(root);
  return uri === r || (uri.startsWith(r) && uri.charCodeAt(r.length) === 47 /* / */);
}

/**
 * The workspace's folders and projects, and every answer derived from them. Built again when either
 * changes (a handful of folders, at most some thousands of projects).
 */
export class ProjectModel {
  /** Sorted by root; one per root. */
  readonly projects: readonly ProjectEntry[];
  /** The projects whose agent applies somewhere (not inside a folder with an explicit agent). */
  readonly effective: readonly ProjectEntry[];
  /** Workspace folders first (in their order), then project roots by path. */
  readonly rules: readonly AgentRule[];
  /** The rules, longest folder first: the first that contains a file is its innermost. */
  private readonly byDepth: readonly AgentRule[];
  private agentList: readonly FolderAgent[] | undefined;

  constructor(
    readonly folders: readonly FolderInput[],
    projects: readonly ProjectEntry[],
  ) {
    const byRoot = new Map<string, ProjectEntry>();
    for (const p of projects) {
      const rootUri = trimSlash(p.rootUri);
      if (!byRoot.has(rootUri)) byRoot.set(rootUri, rootUri === p.rootUri ? p : { ...p, rootUri });
    }
    this.projects = [...byRoot.values()].sort((a, b) => (a.rootUri < b.rootUri ? -1 : a.rootUri > b.rootUri ? 1 : 0));
    const folderRules: AgentRule[] = folders.map((f) => ({ folderUri: f.folderUri, agent: f.agent, project: null, explicit: f.explicit }));
    const folderDepth = [...folderRules].sort((a, b) => trimSlash(b.folderUri).length - trimSlash(a.folderUri).length);
    const effective: ProjectEntry[] = [];
    const projectRules: AgentRule[] = [];
    for (const p of this.projects) {
      // The innermost workspace folder holding the project.
      const owner = folderDepth.find((f) => contains(f.folderUri, p.rootUri));
      // Above every folder (a folder opened inside it: below), or in a folder that chose its agent.
      if (!owner || owner.explicit) continue;
      effective.push(p);
      if (trimSlash(owner.folderUri) === p.rootUri) {
        owner.agent = p.project.id;
        owner.project = p;
      } else {
        projectRules.push({ folderUri: p.rootUri, agent: p.project.id, project: p, explicit: false });
      }
    }
    // A workspace folder opened inside a project (its project.yaml above the folder): the nearest such project.
    for (const f of folderRules) {
      if (f.explicit || f.project) continue;
      let best: ProjectEntry | null = null;
      for (const p of this.projects) if (contains(p.rootUri, f.folderUri) && (!best || p.rootUri.length > best.rootUri.length)) best = p;
      if (best) {
        f.agent = best.project.id;
        f.project = best;
        if (!effective.includes(best)) effective.push(best);
      }
    }
    this.effective = effective.sort((a, b) => (a.rootUri < b.rootUri ? -1 : a.rootUri > b.rootUri ? 1 : 0));
    this.rules = [...folderRules, ...projectRules];
    this.byDepth = [...this.rules].sort((a, b) => trimSlash(b.folderUri).length - trimSlash(a.folderUri).length);
  }

  /**
   * The folder rules the language server gets: each workspace folder, then each project root, with
   * the project's name as shown (on one line, control and invisible characters as escapes).
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
    const rule = this.byDepth.find((r) => contains(r.folderUri, fileUri));
    return rule ? { agent: rule.agent, project: rule.project, explicit: rule.explicit } : null;
  }

  /** The effective project with this root, if any. */
  project(rootUri: string): ProjectEntry | undefined {
    return this.effective.find((p) => p.rootUri === rootUri);
  }
}

/**
 * Which project the Secrets view follows: the active editor's file's, or the one picked with Select
 * Project until the editor moves to a file with another agent (another project's, or a folder's
 * explicit one). Editors that are not workspace files (output, a form) change nothing: the last file
 * still decides. Before any file, the first folder's agent, else the first project.
 */
export class ProjectFocus {
  private pinned: string | null = null;
  private lastFile: string | null = null;

  /** The active editor shows this workspace file. */
  editorFile(fileUri: string, model: ProjectModel): void {
    this.lastFile = fileUri;
    if (this.pinned === null) return;
    const r = model.resolve(fileUri);
    if (r && (r.explicit || (r.project !== null && r.project.rootUri !== this.pinned))) this.pinned = null;
  }

  pin(rootUri: string): void {
    this.pinned = rootUri;
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
    const project = model.effective[0];
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

/** The one notice about a project whose agent the vault does not know, for this role. */
export function missingAgentNotice(project: AdkProject, role: Role): { message: string; actions: string[] } {
  const what = `This folder is the Agent Studio project ${project.name === null ? '' : `'${safeText(project.name)}' `}(${project.id}), which the vault does not know yet.`;
  return role === 'admin'
    ? { message: `${what} Create the agent so that its functions can be given secrets?`, actions: [CREATE_AGENT, NOT_NOW] }
    : { message: `${what} Ask an admin to create the agent.`, actions: [COPY_REQUEST] };
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

/** One word for a POSIX shell: single quotes, each quote written as '\\''. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Remembers the projects already asked about in this window: one notice per project, never again. */
export class MissingAgentPrompts {
  private readonly asked = new Set<string>();

  /** Whether to ask about this id now (true once per id). */
  take(id: string): boolean {
    if (this.asked.has(id)) return false;
    this.asked.add(id);
    return true;
  }
}
