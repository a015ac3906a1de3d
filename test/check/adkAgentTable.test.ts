// One table of repositories on disk, run against both resolvers that decide a file's agent with no
// agent given, so that the editor and `secrets-vault check` cannot drift apart: check's
// (server/src/check/agents.ts, over the real files) and the extension's (client/src/core/projects.ts,
// fed the files as the extension finds and reads them, answered both by its own lookup and by the
// language server's model from the folder rules the extension sends). The rule: the nearest
// secrets-vault.json naming an agent, else the nearest project.yaml (none when it cannot be used),
// else none; a nearer secrets-vault.json without an agent lets the nearest project decide.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { agentOfConfig, PROJECT_FILE } from '../../protocol/adkProject';
import { WORKSPACE_CONFIG_FILE } from '../../protocol/api';
import { readWorkspaceConfig } from '../../client/src/core/connectionConfig';
import { ProjectModel, readConfigAgent, readManifest, type ConfigEntry, type ProjectEntry } from '../../client/src/core/projects';
import { AgentResolver } from '../../server/src/check/agents';
import { VaultModel } from '../../server/src/service/model/model';

interface Case {
  name: string;
  /** The repository's project.yaml and secrets-vault.json files (the files of `expect` are written too). */
  files: Record<string, string>;
  /** The folder opened in the editor and where check runs (relative; '' is the repository). */
  workspace?: string;
  /** Each file (relative to the repository) and the agent it must get; null: none. */
  expect: Record<string, string | null>;
}

const manifest = (id: string, name = 'A project') => `account_id: acme\nproject_id: ${id}\nregion: euw-1\nproject_name: "${name}"\n`;
const agentConfig = (agent: string) => `${JSON.stringify({ agent })}\n`;
const VAULT_ONLY = '{ "vault": "http://127.0.0.1:8787" }\n';

const TABLE: Case[] = [
  {
    name: 'a project under a nested secrets-vault.json naming an agent gets that agent; a project elsewhere its own',
    files: {
      'team/secrets-vault.json': agentConfig('hr-agent'),
      'team/proj/project.yaml': manifest('PROJECT-TEAMPROJ'),
      'billing/project.yaml': manifest('PROJECT-BILLING1'),
    },
    expect: {
      'team/proj/functions/a.py': 'hr-agent',
      'team/proj/flows/f/function_steps/s.py': 'hr-agent',
      'team/loose.py': 'hr-agent',
      'billing/functions/b.py': 'PROJECT-BILLING1',
      'billing2/functions/c.py': null,
    },
  },
  {
    name: 'a secrets-vault.json naming an agent inside a project wins there, over the projects below it too',
    files: {
      'proj/project.yaml': manifest('PROJECT-OUTERAAA'),
      'proj/legacy/secrets-vault.json': agentConfig('legacy-agent'),
      'proj/legacy/inner/project.yaml': manifest('PROJECT-INNERBBB'),
      'proj/other/project.yaml': manifest('PROJECT-OTHERCCC'),
    },
    expect: {
      'proj/functions/a.py': 'PROJECT-OUTERAAA',
      'proj/legacy/b.py': 'legacy-agent',
      'proj/legacy/inner/functions/c.py': 'legacy-agent',
      'proj/other/functions/d.py': 'PROJECT-OTHERCCC',
    },
  },
  {
    name: 'a folder opened inside a project: the project.yaml above it decides',
    files: { 'proj/project.yaml': manifest('PROJECT-ABOVE001') },
    workspace: 'proj/functions',
    expect: { 'proj/functions/a.py': 'PROJECT-ABOVE001', 'proj/functions/helpers/b.py': 'PROJECT-ABOVE001' },
  },
  {
    name: 'a folder opened inside a project under a secrets-vault.json naming an agent: that agent, found above both',
    files: { 'secrets-vault.json': agentConfig('hr-agent'), 'proj/project.yaml': manifest('PROJECT-ABOVE001') },
    workspace: 'proj/functions',
    expect: { 'proj/functions/a.py': 'hr-agent' },
  },
  {
    name: 'a project above a nested secrets-vault.json without an agent decides below it',
    files: { 'proj/project.yaml': manifest('PROJECT-ABOVE001'), 'proj/tools/secrets-vault.json': VAULT_ONLY },
    expect: { 'proj/tools/t.py': 'PROJECT-ABOVE001', 'proj/functions/a.py': 'PROJECT-ABOVE001' },
  },
  {
    name: 'root-level files: the root secrets-vault.json’s agent, which also wins over the projects below it',
    files: { 'secrets-vault.json': agentConfig('root-agent'), 'proj/project.yaml': manifest('PROJECT-BELOW001') },
    expect: { 'main.py': 'root-agent', 'scripts/tool.py': 'root-agent', 'proj/functions/a.py': 'root-agent' },
  },
  {
    name: 'root-level files with nothing above them have no agent',
    files: { 'proj/project.yaml': manifest('PROJECT-BELOW001'), 'secrets-vault.json': VAULT_ONLY },
    expect: { 'main.py': null, 'proj/functions/a.py': 'PROJECT-BELOW001' },
  },
  {
    name: 'a nearer secrets-vault.json without an agent hides an outer one: the nearest project decides, else none',
    files: {
      'secrets-vault.json': agentConfig('root-agent'),
      'repo/secrets-vault.json': VAULT_ONLY,
      'repo/proj/project.yaml': manifest('PROJECT-INREPO01'),
      'outer/project.yaml': manifest('PROJECT-OUTERAAA'),
      'outer/sub/secrets-vault.json': '{}\n',
    },
    expect: {
      'other.py': 'root-agent',
      'repo/loose.py': null,
      'repo/proj/functions/a.py': 'PROJECT-INREPO01',
      // Under the root file the outer project has no say, except below a nearer file without an agent.
      'outer/functions/b.py': 'root-agent',
      'outer/sub/c.py': 'PROJECT-OUTERAAA',
    },
  },
  {
    name: 'a secrets-vault.json whose agent cannot be used (not an id, not JSON) names none and hides the outer one',
    files: {
      'secrets-vault.json': agentConfig('root-agent'),
      'spaced/secrets-vault.json': agentConfig(' hr-agent '),
      'broken/secrets-vault.json': '{ "agent": ',
      'broken/proj/project.yaml': manifest('PROJECT-INBROKEN'),
    },
    expect: { 'spaced/a.py': null, 'broken/b.py': null, 'broken/proj/c.py': 'PROJECT-INBROKEN', 'ok.py': 'root-agent' },
  },
  {
    name: 'a project.yaml that cannot be used gives its files no agent, not an outer project’s',
    files: {
      'outer/project.yaml': manifest('PROJECT-OUTERAAA'),
      'outer/inner/project.yaml': 'project_id: [unclosed\n',
      'outer/numeric/project.yaml': 'project_id: 12345\n',
    },
    expect: { 'outer/c.py': 'PROJECT-OUTERAAA', 'outer/inner/a.py': null, 'outer/numeric/b.py': null },
  },
  {
    name: 'the workspace folder is a project whose nested secrets-vault.json chooses another agent',
    files: { 'project.yaml': manifest('PROJECT-ROOT0001'), 'functions/secrets-vault.json': agentConfig('functions-agent'), 'functions/deep/project.yaml': manifest('PROJECT-DEEP0001') },
    expect: { 'flows/f/functions/x.py': 'PROJECT-ROOT0001', 'functions/y.py': 'functions-agent', 'functions/deep/z.py': 'functions-agent' },
  },
];

const temps: string[] = [];
afterAll(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The case's repository in a fresh temporary folder (its real path: URIs and paths must agree). */
function materialize(c: Case): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sv-agent-table-'));
  temps.push(dir);
  const files: Record<string, string> = { ...Object.fromEntries(Object.keys(c.expect).map((rel) => [rel, 'def f(conv):\n    return None\n'])), ...c.files };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  mkdirSync(path.join(dir, c.workspace ?? ''), { recursive: true });
  return dir;
}

type Resolve = (root: string, c: Case) => Promise<(rel: string) => string | null>;

/** `secrets-vault check`'s resolver over the real files, run in the workspace folder. */
const checkResolver: Resolve = async (root, c) => {
  const cwd = path.join(root, c.workspace ?? '');
  const resolver = new AgentResolver((abs) => path.relative(cwd, abs));
  return (rel) => resolver.sourceFor(path.dirname(path.join(root, rel)))?.agent ?? null;
};

const uri = (abs: string) => pathToFileURL(abs).href;

/**
 * What the extension finds and reads, as projects.ts and folders.ts do: every project.yaml and
 * secrets-vault.json in the workspace folder (the folder's own read by folders.ts), and the nearest
 * of each above it; a project.yaml that cannot be used is kept as such.
 */
async function discover(folder: string): Promise<{ projects: ProjectEntry[]; configs: ConfigEntry[]; unusableProjects: string[] }> {
  const projects: ProjectEntry[] = [];
  const configs: ConfigEntry[] = [];
  const unusableProjects: string[] = [];
  const own = await readWorkspaceConfig(folder);
  if (own.config || own.problem) configs.push({ rootUri: uri(folder), agent: agentOfConfig(own).agent });
  const take = (file: string) => {
    const dir = path.dirname(file);
    if (path.basename(file) === WORKSPACE_CONFIG_FILE) {
      if (dir !== folder) configs.push({ rootUri: uri(dir), agent: readConfigAgent(readFileSync(file, 'utf8')).agent });
      return;
    }
    const read = readManifest(readFileSync(file, 'utf8'));
    if ('problem' in read) unusableProjects.push(uri(dir));
    else projects.push({ rootUri: uri(dir), project: read.project });
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !['_gen', 'node_modules', '.git'].includes(entry.name)) walk(full);
      else if (entry.isFile() && (entry.name === PROJECT_FILE || entry.name === WORKSPACE_CONFIG_FILE)) take(full);
    }
  };
  walk(folder);
  const wanted = new Set([PROJECT_FILE, WORKSPACE_CONFIG_FILE]);
  for (let dir = path.dirname(folder); wanted.size > 0; dir = path.dirname(dir)) {
    for (const name of [...wanted]) {
      if (statSync(path.join(dir, name), { throwIfNoEntry: false })?.isFile()) {
        take(path.join(dir, name));
        wanted.delete(name);
      }
    }
    if (path.dirname(dir) === dir) break;
  }
  return { projects, configs, unusableProjects };
}

/** The extension's resolver; its answer must equal the language server's from the rules it is sent. */
const extensionResolver: Resolve = async (root, c) => {
  const folder = path.join(root, c.workspace ?? '');
  const found = await discover(folder);
  const model = new ProjectModel([{ folderUri: uri(folder), agent: null, explicit: false }], found.projects, found);
  const server = VaultModel.fromSnapshot({ revision: 1, connection: 'connected', namingStyle: 'snake_case', role: 'admin', secrets: [], agents: [], folders: [...model.folderAgents()], defaultAgent: null, stale: null });
  return (rel) => {
    const file = uri(path.join(root, rel));
    const agent = model.resolve(file)?.agent ?? null;
    expect(server.agentFor(file), `the language server's agent for ${rel}`).toBe(agent);
    return agent;
  };
};

describe.each([
  ['secrets-vault check', checkResolver],
  ['the extension', extensionResolver],
] as const)('%s', (_label, resolver) => {
  it.each(TABLE.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const root = materialize(c);
    const agentOf = await resolver(root, c);
    const got = Object.fromEntries(Object.keys(c.expect).map((rel) => [rel, agentOf(rel)]));
    expect(got).toEqual(c.expect);
  });
});
