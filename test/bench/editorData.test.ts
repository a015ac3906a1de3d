// The editor bench's generated data is what the bench says it is: 10,000 secrets (3,072 granted to
// the agent, 2,500 key/value), 500 files of 20 references, and exactly the 2,500 problems the bench
// waits for in the Problems panel, as the built `secrets-vault check` (the editor's own analysis)
// finds them.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_FILE_VERSION, type SnapshotFile } from '../../protocol/check';
import { AGENT, FILES, generateSecrets, GRANTED, KV, OTHER_AGENTS, PLAIN_WORD, REFS_PER_FILE, SECRETS, writeWorkspace } from '../../bench/editor/data';

const ROOT = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'sv-bench-data-'));
const secrets = generateSecrets();

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench/editor data', () => {
  it('has the vault the benchmark describes (its secrets, grants and key/value ones), the same on every run', () => {
    expect(secrets).toHaveLength(SECRETS);
    expect(secrets.filter((s) => s.agents.includes(AGENT))).toHaveLength(GRANTED);
    expect(secrets.filter((s) => s.kind === 'kv')).toHaveLength(KV);
    expect(new Set(secrets.map((s) => s.name)).size).toBe(SECRETS);
    expect(secrets.every((s) => /^[a-z][a-z0-9_]{0,63}$/.test(s.name))).toBe(true);
    expect(generateSecrets()).toEqual(secrets);
  });

  it('writes 500 files of 20 references whose problems are exactly the ones the bench waits for', async () => {
    const workspace = path.join(dir, 'workspace');
    const generated = writeWorkspace(workspace, secrets, 'http://127.0.0.1:9');
    expect(generated.files).toHaveLength(FILES);
    for (const f of generated.files) expect(readFileSync(path.join(workspace, f), 'utf8').match(/get_secret\('/g)).toHaveLength(REFS_PER_FILE);
    // The word for the editor's word completion is the file's only word starting with its letter.
    const words = new Set(readFileSync(path.join(workspace, generated.triggerFile), 'utf8').match(/[A-Za-z_][A-Za-z0-9_]*/g));
    expect([...words].filter((w) => w.startsWith(PLAIN_WORD[0]!))).toEqual([PLAIN_WORD]);

    const snapshot: SnapshotFile = {
      version: SNAPSHOT_FILE_VERSION,
      generatedAt: new Date().toISOString(),
      vault: 'http://127.0.0.1:9',
      namingStyle: 'snake_case',
      agent: AGENT,
      secrets: secrets.map((s) => ({ name: s.name, description: s.description, kind: s.kind, keys: s.keys, agents: s.agents })),
      agents: [AGENT, ...OTHER_AGENTS].map((id) => ({ id, name: id })),
    };
    const snapshotFile = path.join(dir, 'snapshot.json');
    writeFileSync(snapshotFile, JSON.stringify(snapshot));
    const run = await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/vault/cli.js'), 'check', '--snapshot', snapshotFile, '--format', 'json', '--fail-on', 'info', 'functions'], {
      cwd: workspace,
      maxBuffer: 64 * 1024 * 1024,
    }).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    const report = JSON.parse(run.stdout) as { findings: { code: string }[] };
    expect(report.findings).toHaveLength(generated.expectedProblems);
    const byCode: Record<string, number> = {};
    for (const f of report.findings) byCode[f.code] = (byCode[f.code] ?? 0) + 1;
    expect(byCode).toEqual({ 'not-granted': 3 * FILES, 'unknown-secret': FILES, 'unknown-key': FILES });
  }, 120_000);
});
