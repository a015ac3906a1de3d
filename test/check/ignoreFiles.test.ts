// Ignore files that are not plain files: a `.gitignore` checked out as a link to
// /dev/zero took `check` to 16.8 GB; a FIFO would block it for ever. Through the built CLI, as CI runs
// it: each such file is reported as unreadable and its rules are not applied, and the check finishes
// (bounded by the test's own timeout; no clock is asserted).

import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckFinding } from '../../protocol/check';
import { copyProject, ROOT, runCli, type RunResult } from './helpers';

const temps: string[] = [];
beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
});
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

type Report = { findings: CheckFinding[]; skipped: { path: string; reason: string; detail: string }[] };
const json = (r: RunResult) => JSON.parse(r.out) as Report;
/** A fresh copy of the fixture project; its `.gitignore` ignores generated/ (and so leak.py's secret). */
function project(): string {
  const copy = copyProject('project');
  temps.push(copy.dir);
  return copy.project;
}
const check = (cwd: string) => runCli(['check', '--snapshot', '../snapshot.json', '--format', 'json'], { cwd });
const paths = (r: RunResult) => [...new Set(json(r).findings.map((f) => f.path))];

describe('check: ignore files that are not regular files, or too large', () => {
  it('a .gitignore linked to /dev/zero is not followed: reported, its rules not applied, the check completes', async () => {
    const p = project();
    unlinkSync(path.join(p, '.gitignore'));
    symlinkSync('/dev/zero', path.join(p, '.gitignore'));
    const r = await check(p);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(json(r).skipped).toContainEqual({ path: '.gitignore', reason: 'unreadable', detail: 'a symbolic link, not followed: its rules are not applied' });
    // Not applied: what it ignored is checked now.
    expect(paths(r)).toContain('generated/leak.py');
  });

  it('a .gitignore linked to a regular file is not followed either (as git 2.32 on)', async () => {
    const p = project();
    writeFileSync(path.join(p, 'rules.txt'), 'generated/\n');
    unlinkSync(path.join(p, '.gitignore'));
    symlinkSync('rules.txt', path.join(p, '.gitignore'));
    const r = await check(p);
    expect(json(r).skipped).toContainEqual({ path: '.gitignore', reason: 'unreadable', detail: 'a symbolic link, not followed: its rules are not applied' });
    expect(paths(r)).toContain('generated/leak.py');
  });

  it('a FIFO as a sub-folder .gitignore, and as .git/info/exclude, does not block: both reported', async () => {
    const p = project();
    mkdirSync(path.join(p, 'piped'));
    writeFileSync(path.join(p, 'piped/reads.py'), "def f(conv):\n    return conv.utils.get_secret('read_beside_a_fifo')\n");
    execFileSync('mkfifo', [path.join(p, 'piped/.gitignore')]);
    mkdirSync(path.join(p, '.git/info'), { recursive: true });
    execFileSync('mkfifo', [path.join(p, '.git/info/exclude')]);
    const r = await check(p);
    expect(r.err).toBe('');
    const skipped = json(r).skipped;
    expect(skipped).toContainEqual({ path: 'piped/.gitignore', reason: 'unreadable', detail: 'not a regular file: its rules are not applied' });
    expect(skipped).toContainEqual({ path: '.git/info/exclude', reason: 'unreadable', detail: 'not a regular file: its rules are not applied' });
    expect(paths(r)).toContain('piped/reads.py');
    // The project's own regular .gitignore still applies.
    expect(paths(r)).not.toContain('generated/leak.py');
  });

  it('a 2 MiB .gitignore is over the 1 MiB cap: reported with its size, not applied; one of 1 MiB is read', async () => {
    const p = project();
    const line = '# padding padding padding padding padding padding padding padding\n';
    const big = `generated/\n${line.repeat(Math.ceil((2 * 1024 * 1024) / line.length))}`;
    writeFileSync(path.join(p, '.gitignore'), big);
    const r = await check(p);
    expect(r.err).toBe('');
    expect(json(r).skipped).toContainEqual({
      path: '.gitignore',
      reason: 'unreadable',
      detail: `${Buffer.byteLength(big)} bytes, over the limit of 1048576 for an ignore file: its rules are not applied`,
    });
    expect(paths(r)).toContain('generated/leak.py');

    // At the cap exactly, the file is read and its rules apply.
    writeFileSync(path.join(p, '.gitignore'), big.slice(0, 1024 * 1024));
    const atCap = await check(p);
    expect(json(atCap).skipped.filter((s) => s.path === '.gitignore')).toEqual([]);
    expect(paths(atCap)).not.toContain('generated/leak.py');
  });

  it('text output names the ignore file that was not applied', async () => {
    const p = project();
    unlinkSync(path.join(p, '.gitignore'));
    symlinkSync('/dev/zero', path.join(p, '.gitignore'));
    const r = await runCli(['check', '--snapshot', '../snapshot.json'], { cwd: p });
    expect(r.out).toContain('.gitignore: a symbolic link, not followed: its rules are not applied');
  });
});
