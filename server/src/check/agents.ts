// Whose access each checked file is held to when no agent is given for all of them: the editor's
// rule for ADK projects, on disk. A file's agent is the `agent` of the nearest secrets-vault.json
// above it when that file names one (an explicit choice wins for every file under its folder, nested
// projects included), else the `project_id` of the nearest project.yaml above it (as `poly` finds
// its project, walking up), else none. The nearest secrets-vault.json is that folder's
// configuration, as for the CLI's vault URL: one without `agent` does not let an outer one's apply
// (protocol/adkProject.ts decidingSource and agentOfConfig, which the extension follows too).
// A project.yaml that cannot be used gives its files no agent (they are that project's files, not an
// outer project's) and is reported once. Each folder is looked at once, however many files it holds.

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { agentOfConfig, decidingSource, projectFromManifest, PROJECT_FILE } from '../../../protocol/adkProject';
import { WORKSPACE_CONFIG_FILE } from '../../../protocol/api';
import type { AgentSourceKind, ConfigProblem } from '../../../protocol/check';
import { parseWorkspaceConfig } from '../../../protocol/guards';
import { errorCode } from './walk';

/** A file that decides the agent of the files below it. */
export interface AgentSource {
  kind: Exclude<AgentSourceKind, 'given'>;
  /** The project.yaml or secrets-vault.json, absolute. */
  file: string;
  /** null: the file names no usable agent (a problem was reported, or a secrets-vault.json without one). */
  agent: string | null;
  /** The project's name (project.yaml only). */
  name: string | null;
  /** Why it gives no agent, for the report; reported only when it decides some file's agent. */
  problem?: string;
}

interface FolderState {
  /** The nearest secrets-vault.json at or above the folder. */
  config: AgentSource | null;
  /** The nearest project.yaml at or above the folder. */
  project: AgentSource | null;
}

/** Larger manifests are not read: a project.yaml is a few lines. */
const MAX_MANIFEST_BYTES = 64 * 1024;

export class AgentResolver {
  private readonly folders = new Map<string, FolderState>();
  private readonly problems = new Map<string, ConfigProblem>();

  /** `relOf` names a file in problems as the report names paths (relative to the working folder). */
  constructor(private readonly relOf: (abs: string) => string) {}

  /** What decides the agent of a file in folder `dir` (absolute): the source, or null when nothing does. */
  sourceFor(dir: string): AgentSource | null {
    const state = this.folder(dir);
    // A secrets-vault.json that meant to name an agent and could not is reported: its files fall
    // through to their project, or to none.
    if (state.config?.problem !== undefined) this.report(state.config);
    const source = decidingSource(state.config, state.project);
    if (source?.problem !== undefined) this.report(source);
    return source;
  }

  /** Files that could not be used, sorted by path. */
  configProblems(): ConfigProblem[] {
    return [...this.problems.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private folder(dir: string): FolderState {
    // Iterative, from the folder up to the first one already known (or the root), then back down.
    const chain: string[] = [];
    let known: FolderState | undefined;
    for (let d = dir; ; ) {
      known = this.folders.get(d);
      if (known) break;
      chain.push(d);
      const up = path.dirname(d);
      if (up === d) break;
      d = up;
    }
    let state: FolderState = known ?? { config: null, project: null };
    for (let i = chain.length - 1; i >= 0; i--) {
      const d = chain[i]!;
      const config = this.readConfig(d);
      const project = this.readProject(d);
      state = { config: config ?? state.config, project: project ?? state.project };
      this.folders.set(d, state);
    }
    return state;
  }

  private readConfig(dir: string): AgentSource | null {
    const file = path.join(dir, WORKSPACE_CONFIG_FILE);
    const text = this.read(file);
    if (text === null) return null;
    const source: AgentSource = { kind: 'config', file, agent: null, name: null };
    if (typeof text !== 'string') {
      return { ...source, problem: `${WORKSPACE_CONFIG_FILE} cannot be read (${text.error}), so it gives no agent.` };
    }
    const { agent, problem } = agentOfConfig(parseWorkspaceConfig(text, WORKSPACE_CONFIG_FILE));
    return problem === undefined ? { ...source, agent } : { ...source, agent, problem };
  }

  private readProject(dir: string): AgentSource | null {
    const file = path.join(dir, PROJECT_FILE);
    const text = this.read(file);
    if (text === null) return null;
    const source: AgentSource = { kind: 'project', file, agent: null, name: null };
    if (typeof text !== 'string') {
      return { ...source, problem: `${PROJECT_FILE} cannot be read (${text.error}). The project's files have no agent.` };
    }
    let parsed: unknown;
    try {
      // Errors thrown, warnings not printed (a warning quotes the file).
      parsed = parse(text, { logLevel: 'error' });
    } catch (e) {
      // The parser's message quotes the file's lines: only the position is kept.
      const at = (e as { linePos?: { line: number; col: number }[] }).linePos?.[0];
      return { ...source, problem: `${PROJECT_FILE} is not valid YAML${at ? ` (line ${at.line}, column ${at.col})` : ''}. The project's files have no agent.` };
    }
    const outcome = projectFromManifest(parsed);
    if ('problem' in outcome) {
      return { ...source, problem: `${outcome.problem} The project's files have no agent.` };
    }
    return { ...source, agent: outcome.project.id, name: outcome.project.name };
  }

  /** The file's text; null when there is none; the error code when it is there but cannot be read. */
  private read(file: string): string | null | { error: string } {
    try {
      // Looked at first: a FIFO would block the read, a huge file would be read whole.
      const info = statSync(file);
      if (!info.isFile()) return { error: 'not a regular file' };
      if (info.size > MAX_MANIFEST_BYTES) return { error: `over ${MAX_MANIFEST_BYTES} bytes` };
      return readFileSync(file, 'utf8');
    } catch (e) {
      const code = errorCode(e);
      return code === 'ENOENT' || code === 'ENOTDIR' ? null : { error: code };
    }
  }

  private report(source: AgentSource): void {
    const rel = this.relOf(source.file);
    if (!this.problems.has(rel)) this.problems.set(rel, { path: rel, detail: source.problem! });
  }
}
