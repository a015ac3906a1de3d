// Once per end-to-end run: build and package the VSIX that every scenario installs, so the tests
// drive the extension as it is in the working tree, not a stale package; and install the editions of
// code-server that are not installed yet (a fresh clone's first run), side by side while the VSIX is
// packaged, each as `node scripts/code-server.mjs <edition>` does: one after the other they were
// three minutes of a CI run, as the first test of each edition installed it.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { EDITIONS, editionInstalled, type EditionName } from '../../scripts/code-server.mjs';
import { packageExtension, root } from '../../scripts/editor.mjs';
import { SHOTS } from './harness';

/** Installs one edition in a process of its own; its two lines (before, after) go to the run's output. */
function install(edition: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts', 'code-server.mjs'), edition], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`installing code-server's ${edition} edition failed (exit ${code}); its install.log says why`))));
  });
}

export default async function setup(): Promise<void> {
  // A run's screenshots are its own: none left over from an earlier run (a stale FAILED-… misleads).
  rmSync(SHOTS, { recursive: true, force: true });
  const installs = (Object.keys(EDITIONS) as EditionName[]).filter((edition) => !editionInstalled(edition)).map(install);
  // Every install is waited for, whether or not packaging succeeds; the first failure is the one said.
  let packaged: unknown = null;
  try {
    packageExtension((line) => console.log(line));
  } catch (e) {
    packaged = e;
  }
  const failed = (await Promise.allSettled(installs)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (packaged !== null) throw packaged;
  if (failed) throw failed.reason;
}
