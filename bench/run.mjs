// Runs benchmarks: `node bench/run.mjs <name>` bundles bench/<name>.ts with esbuild and runs it;
// with no name, runs every bench/*.ts in turn (bench/editor/ holds the editor bench's modules).
// `--compare` and `--baseline` run the quick variants against bench/baseline.json (bench/compare.mjs).
// Packages stay external and load from node_modules (tree-sitter finds its wasm files there), so the bundle is written inside node_modules/.cache.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareOrBaseline } from './compare.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'node_modules/.cache/bench');
const args = process.argv.slice(2);
const mode = args.includes('--compare') ? 'compare' : args.includes('--baseline') ? 'baseline' : undefined;
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const names = args.filter((a, i) => !a.startsWith('--') && !(runsAt >= 0 && i === runsAt + 1));
const all = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

const selected = names.length > 0 ? names : all;
// scripts/*.mjs find the repository from their own location: import them where they are, unbundled.
const scriptsInPlace = {
  name: 'scripts-in-place',
  setup(build) {
    build.onResolve({ filter: /scripts\/[\w.-]+\.mjs$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path), external: true }));
  },
};
let failed = 0;
mkdirSync(outDir, { recursive: true });

/** Bundles bench/<name>.ts; returns the bundle's path. */
async function build(name) {
  const outfile = path.join(outDir, `${name}.mjs`);
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: [`bench/${name}.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: 'inline',
    plugins: [scriptsInPlace],
    logLevel: 'warning',
  });
  return outfile;
}

if (mode) {
  if (!Number.isInteger(runs) || runs < 1) {
    console.error('--runs takes a whole number of runs, 1 or more');
    process.exit(1);
  }
  process.exit(await compareOrBaseline({ root, names, build, mode, runs }));
}

for (const name of selected) {
  if (!all.includes(name)) {
    console.error(`no benchmark bench/${name}.ts (have: ${all.join(', ')})`);
    failed++;
    continue;
  }
  const outfile = await build(name);
  console.log(`# ${name}`);
  const run = spawnSync(process.execPath, ['--enable-source-maps', '--expose-gc', outfile], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
