// The editor bench's monorepo data is what the bench says it is: 200 ADK projects at several depths,
// 50 function files each (10,000), 200 agents with Agent Studio ids, 10,000 secrets granted across
// them, and in every file exactly one problem, the not-granted read the bench counts, as the built
// `secrets-vault check` (the editor's own analysis) finds it with the file's project agent.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { nearestProjectRoot, projectFromManifest } from '../../protocol/adkProject';
import { SNAPSHOT_FILE_VERSION, type CheckFinding, type SnapshotFile } from '../../protocol/check';
import { PLAIN_WORD } from '../../bench/editor/data';
import {
  ACTIVE_PROJECT,
  FILES_PER_PROJECT,
  generateMonorepo,
  HEADER,
  KV,
  PROJECTS,
  REFS_PER_FILE,
  SECRETS,
  writeMonorepo,
} from '../../bench/editor/monorepoData';

const ROOT = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'sv-bench-monorepo-'));
const repo = generateMonorepo();
const workspace = path.join(dir, 'repo');
let written: ReturnType<typeof writeMonorepo>;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  written = writeMonorepo(workspace, repo, 'http://127.0.0.1:9');
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench/editor monorepo data', () => {
  it('has the projects, agents and vault the bench describes, the same on every run', () => {
    expect(repo.agents).toHaveLength(PROJECTS);
    expect(new Set(repo.agents.map((a) => a.id)).size).toBe(PROJECTS);
    for (const a of repo.agents) expect(a.id).toMatch(/^PROJECT-[A-Z0-9]{8}$/);
    expect(repo.secrets).toHaveLength(SECRETS);
    expect(new Set(repo.secrets.map((s) => s.name)).size).toBe(SECRETS);
    expect(repo.secrets.filter((s) => s.kind === 'kv')).toHaveLength(KV);
    // Every secret is granted, and every agent holds at least its own 50.
    expect(repo.secrets.every((s) => s.agents.length >= 1)).toBe(true);
    for (const a of repo.agents) expect(repo.secrets.filter((s) => s.agents.includes(a.id)).length).toBeGreaterThanOrEqual(SECRETS / PROJECTS);
    expect(generateMonorepo()).toEqual(repo);
  });

  it('writes 10,000 function files in ADK projects at depths one to three, each file in its own project', () => {
    expect(written.files).toHaveLength(PROJECTS * FILES_PER_PROJECT);
    expect(new Set(written.files.map((f) => path.basename(f)).filter((b) => !/^(start|end)_function\.py$/.test(b))).size).toBe(PROJECTS * (FILES_PER_PROJECT - 2));
    const roots = repo.projects.map((p) => p.root);
    expect(new Set(roots.map((r) => r.split('/').length))).toEqual(new Set([1, 2, 3]));
    for (const project of repo.projects) {
      const manifest = projectFromManifest(parseYaml(readFileSync(path.join(workspace, project.root, 'project.yaml'), 'utf8')));
      expect(manifest).toEqual({ project: { id: project.agent.id, name: project.agent.name, accountId: expect.any(String), region: 'euw-1' } });
      for (const f of project.files) expect(nearestProjectRoot(f, roots)).toBe(project.root);
    }
    const kinds = repo.projects[0]!.files.map((f) => f.slice(repo.projects[0]!.root.length + 1).replace(/[^/]+\.py$/, ''));
    expect(new Set(kinds)).toEqual(new Set(['functions/', 'flows/main_flow/functions/', 'flows/main_flow/function_steps/', 'flows/escalation/functions/', 'flows/escalation/function_steps/']));
    for (const f of written.files.slice(0, 500)) {
      const text = readFileSync(path.join(workspace, f), 'utf8');
      expect(text.split('\n')[0]).toBe(HEADER);
      expect(text.match(/get_secret\('/g)).toHaveLength(REFS_PER_FILE);
    }
    // The word for the editor's word completion is the trigger file's only word starting with its letter.
    const words = new Set(readFileSync(path.join(workspace, written.triggerFile), 'utf8').match(/[A-Za-z_][A-Za-z0-9_]*/g));
    expect([...words].filter((w) => w.startsWith(PLAIN_WORD[0]!))).toEqual([PLAIN_WORD]);
    expect(readFileSync(path.join(workspace, written.plainFile), 'utf8')).toBe(readFileSync(path.join(workspace, written.triggerFile), 'utf8'));
    expect(nearestProjectRoot(written.plainFile, roots)).toBe(repo.projects[ACTIVE_PROJECT]!.root);
    expect(written.triggerFile.startsWith(`${repo.projects[ACTIVE_PROJECT]!.root}/functions/`)).toBe(true);
    expect(written.activeAgent).toBe(repo.projects[ACTIVE_PROJECT]!.agent.id);
    expect(JSON.parse(readFileSync(path.join(workspace, 'secrets-vault.json'), 'utf8'))).toEqual({ vault: 'http://127.0.0.1:9' });
  });

  it("has exactly one problem per file, the not-granted read the bench expects, as check finds it with the file's project agent", async () => {
    const snapshot: SnapshotFile = {
      version: SNAPSHOT_FILE_VERSION,
      generatedAt: new Date().toISOString(),
      vault: 'http://127.0.0.1:9',
      namingStyle: 'snake_case',
      secrets: repo.secrets.map((s) => ({ name: s.name, description: s.description, kind: s.kind, keys: s.keys, agents: s.agents })),
      agents: repo.agents.map((a) => ({ id: a.id, name: a.name })),
    };
    const snapshotFile = path.join(dir, 'snapshot.json');
    writeFileSync(snapshotFile, JSON.stringify(snapshot));
    // The whole repository, with no --agent: each file is held to its own project's agent.
    const run = await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/vault/cli.js'), 'check', '--snapshot', snapshotFile, '--format', 'json', '--fail-on', 'info'], {
      cwd: workspace,
      maxBuffer: 256 * 1024 * 1024,
    }).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    const findings = (JSON.parse(run.stdout) as { findings: CheckFinding[] }).findings;
    expect(findings).toHaveLength(written.expectedProblems);
    expect(new Set(findings.map((f) => f.code))).toEqual(new Set(['not-granted']));
    const found = new Map(findings.map((f) => [f.path, /'([^']+)'/.exec(f.message)![1]]));
    expect(found).toEqual(written.notGranted);
  }, 300_000);
});
