// The check engine on ADK repositories, in-process over real files: whose access each file is held
// to (the nearest project.yaml, unless a secrets-vault.json above it names an agent), what a broken
// project file does, and what is never read (_gen/, real_time_configuration/, conflicted files).

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckMetadata, CheckReport, CheckRequest } from '../../protocol/check';
import { check } from '../../server/src/check/index';

const metadata: CheckMetadata = {
  namingStyle: 'snake_case',
  secrets: [
    { name: 'stripe_key', description: '', kind: 'single', keys: [], agents: ['PROJECT-OUTERAAA'] },
    { name: 'zendesk_token', description: '', kind: 'single', keys: [], agents: ['PROJECT-INNERBBB'] },
    { name: 'payroll_token', description: '', kind: 'single', keys: [], agents: ['hr-agent'] },
  ],
  agents: [
    { id: 'PROJECT-OUTERAAA', name: 'Outer (vault name)' },
    { id: 'PROJECT-INNERBBB', name: '' },
    { id: 'hr-agent', name: 'HR agent' },
  ],
};

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) {
    execFileSync('chmod', ['-R', 'u+rwX', d]);
    rmSync(d, { recursive: true, force: true });
  }
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sv-adk-engine-'));
  temps.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const run = (cwd: string, overrides: Partial<CheckRequest> = {}): Promise<CheckReport> =>
  check({ cwd, paths: [], exclude: [], gitignore: true, maxFileSize: 1024 * 1024, metadata, agent: null, ...overrides });

const manifest = (id: string, name?: string) => `account_id: acme\nproject_id: ${id}\nregion: euw-1\n${name ? `project_name: "${name}"\n` : ''}`;
/** A function reading the three secrets: which of them is not-granted tells whose access applied. */
const READS = "from _gen import *  # <AUTO GENERATED>\n\ndef f(conv):\n    return conv.utils.get_secret('stripe_key'), conv.utils.get_secret('zendesk_token'), conv.utils.get_secret('payroll_token')\n";

/** Per file, the agent named by its not-granted findings ('' when none: no agent, or all granted). */
function agentsByFile(report: CheckReport): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of report.findings) {
    if (f.code !== 'not-granted') continue;
    out[f.path] = /to agent '([^']+)'/.exec(f.message)![1]!;
  }
  return out;
}

describe('each file is held to its own agent', () => {
  it('the nearest project.yaml decides, at any depth; a look-alike folder name is not a parent', async () => {
    const cwd = tree({
      'outer/project.yaml': manifest('PROJECT-OUTERAAA', 'Outer Project'),
      'outer/functions/a.py': READS,
      'outer/agents/inner/project.yaml': manifest('PROJECT-INNERBBB'),
      'outer/agents/inner/flows/x/functions/b.py': READS,
      'outer2/functions/c.py': READS,
    });
    const report = await run(cwd);
    expect(agentsByFile(report)).toEqual({
      'outer/agents/inner/flows/x/functions/b.py': 'PROJECT-INNERBBB',
      'outer/functions/a.py': 'PROJECT-OUTERAAA',
    });
    expect(report.agents).toEqual([
      { id: 'PROJECT-INNERBBB', name: null, kind: 'project', source: 'outer/agents/inner/project.yaml', files: 1, inVault: true },
      { id: 'PROJECT-OUTERAAA', name: 'Outer Project', kind: 'project', source: 'outer/project.yaml', files: 1, inVault: true },
    ]);
    expect(report.withoutAgent).toEqual(['outer2/functions/c.py']);
    // Each file got exactly its agent's findings: two not-granted per project file, none for the loose one.
    expect(report.findings.filter((f) => f.code === 'not-granted').map((f) => f.path)).toEqual([
      'outer/agents/inner/flows/x/functions/b.py',
      'outer/agents/inner/flows/x/functions/b.py',
      'outer/functions/a.py',
      'outer/functions/a.py',
    ]);
  });

  it('a secrets-vault.json naming an agent wins over every project below it; one inside a project wins there', async () => {
    const cwd = tree({
      'team/secrets-vault.json': '{ "agent": "hr-agent" }',
      'team/proj/project.yaml': manifest('PROJECT-OUTERAAA'),
      'team/proj/functions/a.py': READS,
      'proj2/project.yaml': manifest('PROJECT-OUTERAAA'),
      'proj2/functions/b.py': READS,
      'proj2/legacy/secrets-vault.json': '{ "agent": "PROJECT-INNERBBB" }',
      'proj2/legacy/c.py': READS,
    });
    const report = await run(cwd);
    expect(agentsByFile(report)).toEqual({
      'team/proj/functions/a.py': 'hr-agent',
      'proj2/functions/b.py': 'PROJECT-OUTERAAA',
      'proj2/legacy/c.py': 'PROJECT-INNERBBB',
    });
    expect(report.agents.map((a) => [a.id, a.kind, a.source, a.name])).toEqual([
      ['PROJECT-INNERBBB', 'config', 'proj2/legacy/secrets-vault.json', null],
      ['PROJECT-OUTERAAA', 'project', 'proj2/project.yaml', 'Outer (vault name)'],
      ['hr-agent', 'config', 'team/secrets-vault.json', 'HR agent'],
    ]);
  });

  it('the nearest secrets-vault.json is the folder’s configuration: one without "agent" lets the project decide, not an outer file', async () => {
    const cwd = tree({
      'secrets-vault.json': '{ "agent": "hr-agent" }',
      'repo/secrets-vault.json': '{ "vault": "http://127.0.0.1:8787" }',
      'repo/proj/project.yaml': manifest('PROJECT-OUTERAAA'),
      'repo/proj/functions/a.py': READS,
      'repo/loose.py': READS,
      'other.py': READS,
    });
    const report = await run(cwd);
    expect(agentsByFile(report)).toEqual({ 'repo/proj/functions/a.py': 'PROJECT-OUTERAAA', 'other.py': 'hr-agent' });
    expect(report.withoutAgent).toEqual(['repo/loose.py']);
  });

  it('run inside a project, the project.yaml above the working folder applies', async () => {
    const root = tree({ 'proj/project.yaml': manifest('PROJECT-INNERBBB', 'Inner'), 'proj/functions/a.py': READS });
    const report = await run(path.join(root, 'proj/functions'));
    expect(agentsByFile(report)).toEqual({ 'a.py': 'PROJECT-INNERBBB' });
    expect(report.agents).toEqual([{ id: 'PROJECT-INNERBBB', name: 'Inner', kind: 'project', source: '../project.yaml', files: 1, inVault: true }]);
  });

  it('an agent given for all wins over every project and secrets-vault.json', async () => {
    const cwd = tree({ 'proj/project.yaml': manifest('PROJECT-OUTERAAA'), 'proj/a.py': READS, 'cfg/secrets-vault.json': '{"agent":"hr-agent"}', 'cfg/b.py': READS, 'c.py': READS });
    const report = await run(cwd, { agent: 'PROJECT-INNERBBB' });
    expect(agentsByFile(report)).toEqual({ 'proj/a.py': 'PROJECT-INNERBBB', 'cfg/b.py': 'PROJECT-INNERBBB', 'c.py': 'PROJECT-INNERBBB' });
    expect(report.agents).toEqual([{ id: 'PROJECT-INNERBBB', name: null, kind: 'given', source: null, files: 3, inVault: true }]);
    expect(report.withoutAgent).toEqual([]);
    expect(report.configProblems).toEqual([]);
  });

  it('a project the vault does not know is still checked for access (every read would be refused), and marked', async () => {
    const cwd = tree({ 'ghost/project.yaml': manifest('PROJECT-GHOSTXYZ', 'Ghost'), 'ghost/a.py': READS });
    const report = await run(cwd);
    expect(agentsByFile(report)).toEqual({ 'ghost/a.py': 'PROJECT-GHOSTXYZ' });
    expect(report.findings.filter((f) => f.code === 'not-granted')).toHaveLength(3);
    expect(report.agents).toEqual([{ id: 'PROJECT-GHOSTXYZ', name: 'Ghost', kind: 'project', source: 'ghost/project.yaml', files: 1, inVault: false }]);
  });
});

describe('a project file that cannot be used', () => {
  const SENTINEL = 'SENTINEL-manifest-7c1e';

  it('gives its files no agent (not an outer project’s), is reported once by position, and never quotes the file', async () => {
    const cwd = tree({
      'outer/project.yaml': manifest('PROJECT-OUTERAAA'),
      'outer/inner/project.yaml': `project_id: PROJECT-INNERBBB\nproject_name: "${SENTINEL}\n`,
      'outer/inner/a.py': READS,
      'outer/inner/b.py': READS,
      'outer/c.py': READS,
      'numeric/project.yaml': 'project_id: 12345\n',
      'numeric/d.py': READS,
      'listy/project.yaml': `- ${SENTINEL}\n`,
      'listy/e.py': READS,
      'badcfg/secrets-vault.json': `{ "agent": "${SENTINEL} with spaces" }`,
      'badcfg/f.py': READS,
    });
    const report = await run(cwd);
    expect(agentsByFile(report)).toEqual({ 'outer/c.py': 'PROJECT-OUTERAAA' });
    expect(report.withoutAgent).toEqual(['badcfg/f.py', 'listy/e.py', 'numeric/d.py', 'outer/inner/a.py', 'outer/inner/b.py']);
    expect(report.configProblems.map((p) => p.path)).toEqual(['badcfg/secrets-vault.json', 'listy/project.yaml', 'numeric/project.yaml', 'outer/inner/project.yaml']);
    expect(report.configProblems[3]!.detail).toBe("project.yaml is not valid YAML (line 3, column 1). The project's files have no agent.");
    expect(report.configProblems[2]!.detail).toBe("project.yaml's project_id is not text (it is a number). The project's files have no agent.");
    expect(JSON.stringify(report)).not.toContain(SENTINEL);
  });

  it('a project file that is a folder, a FIFO or unreadable is reported, never waited on', async () => {
    const cwd = tree({ 'dir/a.py': READS, 'fifo/b.py': READS, 'locked/c.py': READS });
    mkdirSync(path.join(cwd, 'dir/project.yaml'));
    execFileSync('mkfifo', [path.join(cwd, 'fifo/project.yaml')]);
    writeFileSync(path.join(cwd, 'locked/project.yaml'), manifest('PROJECT-OUTERAAA'));
    chmodSync(path.join(cwd, 'locked/project.yaml'), 0o000);
    const report = await run(cwd);
    const details = Object.fromEntries(report.configProblems.map((p) => [p.path, p.detail]));
    expect(details['dir/project.yaml']).toBe("project.yaml cannot be read (not a regular file). The project's files have no agent.");
    expect(details['fifo/project.yaml']).toBe("project.yaml cannot be read (not a regular file). The project's files have no agent.");
    // root reads any file whatever its mode.
    if (process.getuid?.() !== 0) expect(details['locked/project.yaml']).toBe("project.yaml cannot be read (EACCES). The project's files have no agent.");
    expect(report.withoutAgent).toContain('dir/a.py');
    expect(report.withoutAgent).toContain('fifo/b.py');
  });

  it('a broken project.yaml below a secrets-vault.json naming an agent decides nothing and is not reported', async () => {
    const cwd = tree({ 'secrets-vault.json': '{"agent":"hr-agent"}', 'p/project.yaml': 'project_id: [\n', 'p/a.py': READS });
    const report = await run(cwd);
    expect(report.configProblems).toEqual([]);
    expect(agentsByFile(report)).toEqual({ 'p/a.py': 'hr-agent' });
  });
});

describe('what is never read', () => {
  it('_gen/ and real_time_configuration/ at any depth, however their files are named; look-alike names are read', async () => {
    const cwd = tree({
      'p/project.yaml': manifest('PROJECT-OUTERAAA'),
      'p/_gen/__init__.py': "conv.utils.get_secret('in_gen')\n",
      'p/_gen/.agent_studio_config': Buffer.from(JSON.stringify({ code: "get_secret('in_studio_config')" })).toString('base64'),
      'p/real_time_configuration/live/defaults.py': "conv.utils.get_secret('in_rtc')\n",
      'p/functions/_gen_helpers.py': "conv.utils.get_secret('next_to_gen')\n",
      'p/my_gen/x.py': "conv.utils.get_secret('in_my_gen')\n",
    });
    const report = await run(cwd, { gitignore: false });
    const text = JSON.stringify(report);
    for (const name of ['in_gen', 'in_studio_config', 'in_rtc']) expect(text).not.toContain(name);
    expect(report.findings.map((f) => f.path)).toEqual(['p/functions/_gen_helpers.py', 'p/my_gen/x.py']);
    expect(report.filesChecked).toBe(2);
    expect(report.skipped).toEqual([]);
  });

  it('named explicitly, a generated path is reported as such and not read', async () => {
    const cwd = tree({ 'p/_gen/.agent_studio_config': 'e30=', 'p/_gen/__init__.py': "conv.utils.get_secret('in_gen')\n", 'p/real_time_configuration/live/data.json': '{}' });
    const report = await run(cwd, { paths: ['p/_gen/.agent_studio_config', 'p/_gen', 'p/real_time_configuration/live/data.json'] });
    const detail = 'generated by the ADK (_gen, real_time_configuration): never checked';
    expect(report.skipped).toEqual([
      { path: 'p/_gen', reason: 'ignored', detail },
      { path: 'p/_gen/.agent_studio_config', reason: 'ignored', detail },
      { path: 'p/real_time_configuration/live/data.json', reason: 'ignored', detail },
    ]);
    expect(report.filesChecked).toBe(0);
  });

  it('a file with unresolved merge markers (LF or CRLF) is reported once as not checked, with no findings; once resolved it is checked', async () => {
    const lines = ['def f(conv):', '<<<<<<< HEAD', "    k = conv.utils.get_secret('ours_missing')", '=======', "    k = conv.utils.get_secret('theirs_missing')", '>>>>>>> main', '    return k', ''];
    const cwd = tree({ 'lf.py': lines.join('\n'), 'crlf.py': lines.join('\r\n'), 'setext.py': "'''\nTitle\n=======\n'''\nconv.utils.get_secret('checked_missing')\n" });
    const report = await run(cwd);
    const detail = 'unresolved merge conflict markers (<<<<<<<, =======, >>>>>>>): resolve the conflict to check it';
    expect(report.skipped).toEqual([
      { path: 'crlf.py', reason: 'merge-conflict', detail },
      { path: 'lf.py', reason: 'merge-conflict', detail },
    ]);
    expect(report.findings.map((f) => f.path)).toEqual(['setext.py']);
    expect(report.filesChecked).toBe(1);
    expect(report.withoutAgent).toEqual(['setext.py']);
    writeFileSync(path.join(cwd, 'lf.py'), "def f(conv):\n    return conv.utils.get_secret('ours_missing')\n");
    const resolved = await run(cwd, { paths: ['lf.py'] });
    expect(resolved.skipped).toEqual([]);
    expect(resolved.findings.map((f) => [f.path, f.code])).toEqual([['lf.py', 'unknown-secret']]);
  });
});
