// PolyAI Agent Development Kit projects (`poly pull`): a folder with `project.yaml` is a project, and
// its `project_id` is the agent of every file in it (the nearest `project.yaml` wins). The language
// server, the extension and `secrets-vault check` share these rules: which manifest describes a
// project, which folders are generated and never scanned, which text is an unresolved merge,
// which project a file belongs to, and whether a secrets-vault.json or a project.yaml decides a
// file's agent. Pure: the hosts read and parse `project.yaml` (with the `yaml`
// package) and hand the parsed value in.

import { WORKSPACE_CONFIG_FILE, type WorkspaceConfig } from './api';
import { checkAgentId } from './names';

export const PROJECT_FILE = 'project.yaml';

export interface AdkProject {
  /** `project_id`: the agent of every file in the project. */
  id: string;
  /** `project_name`, a human title, when there is one. */
  name: string | null;
  accountId: string | null;
  region: string | null;
}

/**
 * The project a parsed project.yaml describes, or a problem (no project_id, not a valid agent id per
 * protocol/names AGENT_ID_PATTERN, not a mapping). Never throws. A `project_id` must be text: a
 * number would have lost its leading zeros or its spelling in the YAML parser, so it is a problem
 * rather than a guess. The optional fields keep text (trimmed; empty is none) and numbers (as
 * written by `String`); anything else is none.
 */
export function projectFromManifest(parsed: unknown): { project: AdkProject } | { problem: string } {
  if (parsed === null || parsed === undefined) return { problem: 'project.yaml is empty.' };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { problem: `project.yaml is not a mapping of fields (it holds ${Array.isArray(parsed) ? 'a list' : `a ${typeof parsed}`}).` };
  }
  const fields = parsed as Record<string, unknown>;
  const raw = Object.prototype.hasOwnProperty.call(fields, 'project_id') ? fields['project_id'] : undefined;
  if (raw === undefined || raw === null || raw === '') return { problem: 'project.yaml has no project_id.' };
  if (typeof raw !== 'string') return { problem: `project.yaml's project_id is not text (it is a ${Array.isArray(raw) ? 'list' : typeof raw}).` };
  const id = raw.trim();
  const invalid = checkAgentId(id);
  if (invalid !== undefined) return { problem: `project.yaml's project_id is not a valid agent id. ${invalid}` };
  return {
    project: {
      id,
      name: optionalText(fields, 'project_name'),
      accountId: optionalText(fields, 'account_id'),
      region: optionalText(fields, 'region'),
    },
  };
}

function optionalText(fields: Record<string, unknown>, key: string): string | null {
  if (!Object.prototype.hasOwnProperty.call(fields, key)) return null;
  const value = fields[key];
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? null : text;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * Folders never scanned or indexed, as path segment names: `_gen` (stubs rewritten by every pull,
 * and `.agent_studio_config`, a base64 copy of every function) and `real_time_configuration`.
 */
export const GENERATED_FOLDERS: ReadonlySet<string> = new Set(['_gen', 'real_time_configuration']);

/** Whether a path (either separator) has a generated folder among its segments. */
export function inGeneratedFolder(path: string): boolean {
  for (const segment of path.split(/[\\/]/)) if (GENERATED_FOLDERS.has(segment)) return true;
  return false;
}

/**
 * The function the platform calls in a file of an ADK project, by the file's path inside the project
 * (either separator): `functions/<name>.py`, `flows/<flow>/functions/<name>.py` and
 * `flows/<flow>/function_steps/<name>.py` each define a function named like the file, whose
 * arguments Agent Studio passes. Null for any other file (a helper module, a file deeper down).
 */
export function platformFunctionOf(pathInProject: string): string | null {
  const parts = pathInProject.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  const file = parts[parts.length - 1];
  if (file === undefined || !file.endsWith('.py') || file.length <= 3) return null;
  const resource =
    (parts.length === 2 && parts[0] === 'functions') ||
    (parts.length === 4 && parts[0] === 'flows' && (parts[2] === 'functions' || parts[2] === 'function_steps'));
  return resource ? file.slice(0, -3) : null;
}

/**
 * Whether text has an unresolved merge conflict: a line starting with 7 '<', then on a later line
 * '=======', then on a later line 7 '>'. As git writes and checks them, a marker is exactly 7
 * characters followed by the end of the line or whitespace (`<<<<<<< HEAD`, `=======`,
 * `>>>>>>> branch`; CRLF line ends count). Only line starts are looked at, so a marker git put at the
 * start of a line inside a string literal still counts. One pass, no regular expression.
 */
export function hasMergeMarkers(text: string): boolean {
  // Most texts have neither marker: a native search says so without the pass over their lines.
  if (!text.includes('<<<<<<<') || !text.includes('>>>>>>>')) return false;
  let stage = 0; // 0: looking for <<<<<<<, 1: for =======, 2: for >>>>>>>
  const wanted = [0x3c, 0x3d, 0x3e]; // '<', '=', '>'
  let start = 0;
  const n = text.length;
  while (start <= n) {
    if (markerAt(text, start, wanted[stage]!)) {
      if (stage === 2) return true;
      stage++;
    }
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    start = nl + 1;
  }
  return false;
}

function markerAt(text: string, at: number, code: number): boolean {
  if (at + 7 > text.length) return false;
  for (let i = at; i < at + 7; i++) if (text.charCodeAt(i) !== code) return false;
  if (at + 7 === text.length) return true;
  const next = text.charCodeAt(at + 7);
  return next === 0x0a || next === 0x0d || next === 0x20 || next === 0x09;
}

/**
 * Of project roots (folder paths or URIs with '/' separators), the innermost one containing `file`;
 * null if none. A root contains itself and what lies under it segment by segment, so `/a/proj` does
 * not contain `/a/proj2/x.py`. A trailing '/' on a root is allowed. Comparison is exact (case
 * matters): hand in paths or URIs spelled the same way.
 */
export function nearestProjectRoot(file: string, roots: readonly string[]): string | null {
  let best: string | null = null;
  let bestLength = -1;
  for (const root of roots) {
    const bare = root.length > 1 && root.endsWith('/') ? root.slice(0, -1) : root;
    const prefix = bare.endsWith('/') ? bare : `${bare}/`;
    const contains = file === bare || file === prefix || file.startsWith(prefix);
    if (contains && bare.length > bestLength) {
      best = root;
      bestLength = bare.length;
    }
  }
  return best;
}

/**
 * What a folder's secrets-vault.json (as protocol/guards parseWorkspaceConfig reads it) says about
 * the agent of the files below it: the agent it names, or none, with why when it meant to name one
 * and cannot (the `problem` of an unreadable or malformed file passes through). The agent is taken
 * as written, never trimmed: ` booking ` is not an agent id. Whatever it says, the file is its
 * folder's configuration: one that names no usable agent still hides those further up.
 */
export function agentOfConfig(read: { config?: WorkspaceConfig | undefined; problem?: string | undefined }): { agent: string | null; problem?: string } {
  const agent = read.config?.agent;
  if (agent === undefined || agent === '') return read.problem === undefined ? { agent: null } : { agent: null, problem: read.problem };
  const invalid = checkAgentId(agent);
  if (invalid !== undefined) return { agent: null, problem: `${WORKSPACE_CONFIG_FILE}'s "agent" is not an agent id, so it gives no agent. ${invalid}` };
  return { agent };
}

/**
 * The rule every host follows for a file's agent, given the nearest secrets-vault.json and the
 * nearest project.yaml at or above its folder (null: none): the secrets-vault.json when it names an
 * agent (an explicit choice wins over every project below it, and over one above it, which is
 * further away), else the project.yaml (whose agent is null when it cannot be used: its files are
 * that project's, not an outer one's), else nothing. A nearer secrets-vault.json without an agent
 * thus lets the nearest project decide, never an outer secrets-vault.json.
 */
export function decidingSource<T extends { agent: string | null }>(config: T | null, project: T | null): T | null {
  return config !== null && config.agent !== null && config.agent !== '' ? config : project;
}
