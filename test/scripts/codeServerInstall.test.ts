// The first-run code-server install keeps npm's and node-gyp's output (with its harmless `ERR!`
// lines) in a log file, and shows it only when a step fails: runLogged, with real child processes.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLogged } from '../../scripts/code-server.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'sv-cs-install-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs runLogged in a child process, so that what it lets through to stdout/stderr can be seen. */
function inChild(script: string, logFile: string): { status: number | null; stdout: string; stderr: string } {
  const code = `import { runLogged } from ${JSON.stringify(path.resolve('scripts/code-server.mjs'))};
try { runLogged(process.execPath, ['-e', ${JSON.stringify(script)}], ${JSON.stringify(logFile)}); console.log('done'); }
catch (e) { console.error('FAILED: ' + e.message); process.exit(1); }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('runLogged (first-run code-server install)', () => {
  it('keeps a successful step out of sight, in the log file', () => {
    const log = path.join(dir, 'ok.log');
    const r = inChild("console.log('gyp info it worked'); console.error('npm ERR! harmless native build noise')", log);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('done\n');
    expect(r.stderr).toBe('');
    const text = readFileSync(log, 'utf8');
    expect(text).toContain('npm ERR! harmless native build noise');
    expect(text).toContain('gyp info it worked');
  });

  it('shows the log’s last lines when a step fails', () => {
    const log = path.join(dir, 'fail.log');
    const r = inChild("console.log('compiling better-sqlite3'); console.error('gyp ERR! stack Error: make failed'); process.exit(3)", log);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('failed (exit 3)');
    expect(r.stderr).toContain('gyp ERR! stack Error: make failed');
    expect(r.stderr).toContain(log);
  });

  it('throws in-process too, with the command in the message', () => {
    expect(() => runLogged('false', [], path.join(dir, 'false.log'))).toThrow(/^false failed \(exit 1\)/);
  });
});
