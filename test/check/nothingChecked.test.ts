// `secrets-vault check` never passes on nothing: a run that reads no file exits with 2 and says why
// (everything ignored, no source files) and how to include the files; the working folder, when it is
// what was skipped, is reported as '.'. The demo workspace `npm start` makes is checked as written.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepository, prepareWorkspace } from '../../scripts/editor.mjs';
import { FIXTURES, ROOT, runCli } from './helpers';

const SNAPSHOT = path.join(FIXTURES, 'snapshot.json');
let repo: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  // A repository whose .gitignore ignores its state folder, as this one's ignores .secrets-vault/.
  repo = mkdtempSync(path.join(tmpdir(), 'sv-nothing-'));
  mkdirSync(path.join(repo, '.git'));
  writeFileSync(path.join(repo, '.gitignore'), 'state/\n');
  mkdirSync(path.join(repo, 'state', 'work', 'functions'), { recursive: true });
  writeFileSync(path.join(repo, 'state', 'work', 'functions', 'pay.py'), "def pay(conv):\n    return conv.utils.get_secret('stripe_api_key')\n");
  mkdirSync(path.join(repo, 'docs'));
  writeFileSync(path.join(repo, 'docs', 'README.md'), '# Notes\n');
}, 120_000);
afterAll(() => rmSync(repo, { recursive: true, force: true }));

const check = (args: string[], cwd: string) => runCli(['check', '--snapshot', SNAPSHOT, ...args], { cwd });

describe('check: 0 files checked is exit 2, never a silent pass', () => {
  it('a folder an outer .gitignore ignores: the folder as ".", why, and how to include it', async () => {
    const r = await check([], path.join(repo, 'state', 'work'));
    expect(r.out).toBe(['Not checked:', '  .: ignored by ../../.gitignore', '', 'No problems: 0 files checked, 1 skipped.', ''].join('\n'));
    expect(r.err).toBe(
      "secrets-vault: No files were checked, so nothing was verified: the current folder is ignored by ../../.gitignore: check ignored files with --no-gitignore, or run check in a folder git does not ignore (a repository of its own is checked by its own .gitignore).\n",
    );
    expect(r.code).toBe(2);
  });

  it('--no-gitignore checks the same folder: its file is read and the run passes', async () => {
    const r = await check(['--no-gitignore'], path.join(repo, 'state', 'work'));
    expect(r.out).toBe('No problems: 1 file checked, 0 skipped.\n');
    expect(r.code).toBe(0);
  });

  it('a named path that is ignored is named in the message', async () => {
    const r = await check(['state/work'], repo);
    expect(r.out).toContain('  state/work: ignored by .gitignore\n');
    expect(r.err).toContain('No files were checked, so nothing was verified: state/work is ignored by .gitignore: check ignored files with --no-gitignore');
    expect(r.code).toBe(2);
  });

  it('a folder without source files: no Python, JavaScript or TypeScript file, and what to name', async () => {
    const r = await check([], path.join(repo, 'docs'));
    expect(r.out).toBe('No problems: 0 files checked, 0 skipped.\n');
    expect(r.err).toBe(
      "secrets-vault: No files were checked, so nothing was verified: there is no Python, JavaScript or TypeScript file in the current folder that .gitignore does not ignore (dependency and build folders are never read): name the folders that hold your functions, or add --no-gitignore.\n",
    );
    expect(r.code).toBe(2);
  });

  it('the formats for machines get the report and the exit code 2 too', async () => {
    const r = await check(['--format', 'json'], path.join(repo, 'state', 'work'));
    expect(JSON.parse(r.out).skipped).toEqual([{ path: '.', reason: 'ignored', detail: 'ignored by ../../.gitignore' }]);
    expect(r.code).toBe(2);
  });
});

describe("the demo workspace npm start makes (in the repository's ignored .secrets-vault/)", () => {
  it('is a repository of its own, so check reads its files', async () => {
    const state = path.join(repo, 'state');
    const workspace = prepareWorkspace(path.join(state, 'demo-workspace'), { vaultUrl: 'http://127.0.0.1:8787' });
    expect(initRepository(workspace)).toBe(true);
    const r = await check(['--agent', 'booking-agent'], workspace);
    expect(r.out).not.toContain('Not checked:\n  .:');
    expect(r.out).toMatch(/in \d+ files?: (1\d|[2-9]) files checked, \d+ skipped\./);
    expect(r.code).toBe(1);
  });
});
