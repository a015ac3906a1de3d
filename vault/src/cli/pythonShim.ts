// Where the Python runtime shim (the `secrets_vault` package, standard library only) is, for the
// commands that run a user's Python with it (`secrets-vault run` puts this folder on PYTHONPATH).
// Its source is vault/python/secrets_vault; scripts/build.mjs copies it to dist/python beside the
// bundled CLI (dist/vault/cli.js), so an installed package needs nothing from the source tree.

import { existsSync } from 'node:fs';
import path from 'node:path';

/** The folder that holds `secrets_vault/` (to put on PYTHONPATH), or undefined when neither copy exists. */
export function pythonShimDir(from: string = __dirname): string | undefined {
  const candidates = [
    path.join(from, '../python'), // bundled: dist/vault/cli.js -> dist/python
    path.join(from, '../../python'), // from source: vault/src/cli -> vault/python
  ];
  return candidates.find((dir) => existsSync(path.join(dir, 'secrets_vault', '__init__.py')));
}
