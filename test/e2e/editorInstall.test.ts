// `npm test` on a machine without the editors: the end-to-end tests install code-server on first use,
// from inside `npm test` (npm's variables in the environment, on the machine's Node 20). Both
// editions are installed here the same way, side by side, each under a real `npm run`, into empty folders, and must
// then start and answer /healthz. The shared temporary folder of the install (its TMPDIR) holds
// what a hostile local user planted where @vscode/ripgrep's post-install looks by default
// (issue 50, point 7): none of it may be used.
//
// Minutes of work (two installs whose native modules compile), no browser.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EDITIONS, REBUILT } from '../../scripts/code-server.mjs';
import { freePort, root, stopGroup } from '../../scripts/editor.mjs';

const scratch = mkdtempSync(path.join(tmpdir(), 'sv-e2e-install-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Installed {
  edition: 'default' | 'mcp';
  entry: string;
  node: string;
  version: string;
}

/** What a hostile local user leaves in the shared temporary folder before the install. */
function plant(shared: string): { check(): void } {
  const evil = path.join(shared, 'evil');
  mkdirSync(evil);
  writeFileSync(path.join(evil, 'rg'), '#!/bin/sh\necho planted > "$HOME/planted-rg-ran"\n', { mode: 0o755 });
  const victim = path.join(shared, 'victim');
  writeFileSync(victim, 'the file a link was planted to overwrite\n');
  const planted: string[] = [];
  // Every @vscode/ripgrep version and asset name code-server might use: a folder with a hostile
  // archive, and a link to another file where the archive goes (so that a writer following links
  // would overwrite it).
  for (const version of ['1.15.11', '1.15.13', '1.15.14', '1.16.0']) {
    const folder = path.join(shared, `vscode-ripgrep-cache-${version}`);
    mkdirSync(folder);
    for (const asset of ['v13.0.0-10', 'v13.0.0-13']) {
      const archive = path.join(folder, `ripgrep-${asset}-x86_64-unknown-linux-musl.tar.gz`);
      expect(spawnSync('tar', ['-czf', archive, '-C', evil, 'rg']).status).toBe(0);
      planted.push(archive);
    }
    symlinkSync(victim, path.join(folder, 'ripgrep-v13.0.0-4-x86_64-unknown-linux-musl.tar.gz'));
  }
  const before = new Map(planted.map((p) => [p, sha256(readFileSync(p))]));
  const listing = readdirSync(shared).sort();
  return {
    check() {
      for (const [p, digest] of before) expect(sha256(readFileSync(p)), p).toBe(digest);
      expect(readFileSync(victim, 'utf8')).toBe('the file a link was planted to overwrite\n');
      // The install's own temporary folder is gone; nothing else was left in the shared one.
      expect(readdirSync(shared).sort()).toEqual(listing);
    },
  };
}

/** Starts an installed edition on 127.0.0.1 with a profile of its own; resolves with /healthz's answer. */
async function startAndProbe(installed: Installed): Promise<{ status: number; body: string }> {
  const state = mkdtempSync(path.join(scratch, `run-${installed.edition}-`));
  const folder = path.join(state, 'folder');
  mkdirSync(folder);
  const port = await freePort();
  const child = spawn(
    installed.node,
    [installed.entry, '--config', '/dev/null', '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', path.join(state, 'user-data'), '--extensions-dir', path.join(state, 'extensions'), '--bind-addr', `127.0.0.1:${port}`, folder],
    { env: { ...process.env, HOME: state, XDG_CONFIG_HOME: path.join(state, '.config'), XDG_DATA_HOME: path.join(state, '.local'), XDG_CACHE_HOME: path.join(state, '.cache') }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (c) => (output += String(c)));
  child.stderr.on('data', (c) => (output += String(c)));
  // As scripts/editor.mjs's startCodeServer waits: an answer other than 200 may come before
  // code-server has its routes (CI-4 of 2026-11-29 saw a 404 on a loaded machine), so it is asked
  // again until it says 200 or a minute has passed; the last answer is what the test judges.
  const deadline = Date.now() + 60_000;
  let last: { status: number; body: string } | null = null;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`code-server ${installed.edition} exited (${child.exitCode}):\n${output}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        last = { status: res.status, body: await res.text() };
        if (res.ok) return last;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        if (last !== null) return last;
        throw new Error(`code-server ${installed.edition} did not answer /healthz within 60 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await stopGroup(child);
  }
}

describe('npm test installs the editors it needs, on a machine without them', () => {
  it('installs both editions under `npm run` on this Node into empty folders, untouched by a planted ripgrep; both start', async () => {
    const dirs = { default: path.join(scratch, 'editions', 'code-server'), mcp: path.join(scratch, 'editions', 'code-server-1.104') };
    const shared = path.join(scratch, 'shared-tmp');
    mkdirSync(shared, { recursive: true });
    const attack = plant(shared);

    // A package whose script installs an edition: `npm run` gives it npm's variables, as `npm test`
    // gives them to the end-to-end run that installs the editions on first use. The two run side by
    // side, as that run's global setup runs them, sharing the planted temporary folder.
    const project = path.join(scratch, 'project');
    mkdirSync(project);
    writeFileSync(
      path.join(project, 'install.mjs'),
      `import { ensureEdition } from ${JSON.stringify(path.join(root, 'scripts', 'code-server.mjs'))};
const edition = process.argv[2];
console.log(JSON.stringify({ userAgent: process.env.npm_config_user_agent }));
console.log(JSON.stringify({ edition, ...ensureEdition(edition, (s) => console.error(s)) }));
`,
    );
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'install-probe', private: true, scripts: { 'install-editor': 'node install.mjs' } }));
    const runInstall = (edition: string) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('npm', ['run', '--silent', 'install-editor', '--', edition], {
          cwd: project,
          env: {
            ...process.env,
            PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
            TMPDIR: shared,
            SECRETS_VAULT_CODE_SERVER_DIR: dirs.default,
            SECRETS_VAULT_CODE_SERVER_MCP_DIR: dirs.mcp,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c) => (stdout += String(c)));
        child.stderr.on('data', (c) => (stderr += String(c)));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    const results = await Promise.all(['default', 'mcp'].map(runInstall));
    const installed: Installed[] = [];
    for (const result of results) {
      console.log(result.stderr.trim());
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
      const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
      // It ran as `npm test` runs the tests: npm's user agent names this Node (20 on every machine and CI).
      expect(lines[0]!.userAgent).toMatch(new RegExp(`^npm/\\S+ node/${process.version.replace(/\./g, '\\.')} `));
      installed.push(lines[1] as unknown as Installed);
    }
    expect(installed.map((i) => [i.edition, i.version])).toEqual([['default', EDITIONS.default.vscode], ['mcp', EDITIONS.mcp.vscode]]);
    expect(installed[0]!.entry.startsWith(dirs.default)).toBe(true);
    expect(installed[1]!.entry.startsWith(dirs.mcp)).toBe(true);
    expect(installed[1]!.node.startsWith(dirs.mcp)).toBe(true);

    const systemRg = sha256(readFileSync(spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim()));
    for (const i of installed) {
      const dir = i.edition === 'default' ? dirs.default : dirs.mcp;
      // Each runs on its Node and is the code-server it should be.
      const version = spawnSync(i.node, [i.entry, '--version'], { encoding: 'utf8' });
      expect(version.stdout).toContain(i.edition === 'default' ? EDITIONS.default.version : EDITIONS.mcp.version);
      // The rg VS Code runs is the system's, a regular file: not the planted one.
      const rg = path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
      expect(lstatSync(rg).isFile()).toBe(true);
      expect(sha256(readFileSync(rg))).toBe(systemRg);
      // Only the named packages' install scripts ran.
      expect(readFileSync(path.join(dir, 'install.log'), 'utf8')).toContain(`Rebuilt: ${Object.keys(REBUILT).join(', ')};`);
      const health = await startAndProbe(i);
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toHaveProperty('status');
    }
    attack.check();
  }, 1_800_000);
});
