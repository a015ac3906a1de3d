// The CLI bundled as scripts/build.mjs bundles it, into a folder of its own under dist/ (ignored by
// git; node_modules is found by walking up), for suites that run the CLI as child processes. Each
// suite gets its own folder, so it runs this checkout's code without depending on `npm run build`
// or on another suite's bundle. Not .cache/: in a git worktree that may be shared with other
// checkouts, which would run this one's code.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bundles = new Map<string, Promise<string>>();

/** Builds (once per process) `dist/<folder>/cli.js` and returns its path. */
export function cliBundle(folder: string): Promise<string> {
  let bundle = bundles.get(folder);
  if (!bundle) {
    bundle = (async () => {
      const outfile = path.join(root, 'dist', folder, 'cli.js');
      await esbuild.build({
        entryPoints: [path.join(root, 'vault/src/cli/main.ts')],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        packages: 'external',
        // 'error': the audit worker's import.meta fallback is unused under CommonJS, as in scripts/build.mjs.
        logLevel: 'error',
        absWorkingDir: root,
      });
      return outfile;
    })();
    bundles.set(folder, bundle);
  }
  return bundle;
}
