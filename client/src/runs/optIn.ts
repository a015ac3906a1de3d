// The names a run opts into beyond the credential-shaped ones (protocol/processEnv.ts): the
// "inject" list of the nearest secrets-vault.json from the run's folder up to its workspace
// folder, as `secrets-vault run` reads the nearest one from its folder.

import path from 'node:path';
import { readWorkspaceConfig } from '../core/connectionConfig';

/** The nearest secrets-vault.json's "inject" from `dir` up to `root` (inclusive); [] when none says. `warn` gets why a file was ignored. */
export async function optedInNames(dir: string, root: string | undefined, warn: (message: string) => void): Promise<string[]> {
  const stop = root === undefined ? undefined : path.resolve(root);
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const read = await readWorkspaceConfig(d);
    if (read.problem) warn(read.problem);
    if (read.config) return read.config.inject ?? [];
    if (d === stop || path.dirname(d) === d || stop === undefined) return [];
  }
}
