// Builds every bundle into dist/: the vault CLI, the language server, the extension and the
// webviews. `--watch` rebuilds on change. Each part is bundled separately (as vscode-eslint does).
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const webviewEntries = existsSync(path.join(root, 'webview/src/panels'))
  ? readdirSync(path.join(root, 'webview/src/panels'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `webview/src/panels/${f}`)
  : [];

const builds = [
  // The vault service and CLI run from the repository (or an npm install): dependencies stay in
  // node_modules, and better-sqlite3 is native anyway.
  {
    ...node,
    entryPoints: ['vault/src/cli/main.ts'],
    outfile: 'dist/vault/cli.js',
    packages: 'external',
    banner: { js: '#!/usr/bin/env node' },
    // auditWorker.ts reads import.meta.url only where `require` is missing (ESM, under vitest).
    logOverride: { 'empty-import-meta': 'silent' },
  },
  // The language server and the extension ship in the VSIX without node_modules: bundle everything.
  { ...node, entryPoints: ['server/src/server.ts'], outfile: 'dist/server/server.js' },
  // `secrets-vault check` loads this at run time: the language service over files, no LSP.
  { ...node, entryPoints: ['server/src/check/index.ts'], outfile: 'dist/server/check.js' },
  // The editor's MCP server (secrets-vault mcp without the vault's storage): everything bundled, for the VSIX.
  { ...node, entryPoints: ['vault/src/mcp/main.ts'], outfile: 'dist/mcp/server.js' },
  { ...node, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client/extension.js', external: ['vscode'] },
  webviewEntries.length > 0 && {
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    sourcemap: production ? false : 'inline',
    minify: production,
    logLevel: 'warning',
    absWorkingDir: root,
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    loader: { '.css': 'text' },
  },
].filter((b) => b && b.entryPoints.every((e) => existsSync(path.join(root, e))));

// The Python runtime shim (standard library only) ships beside the bundles: the CLI finds it at
// dist/python (its `../python`), and so can the extension in the VSIX. A file is written only when
// its contents differ, and whole (renamed into place), so that a build running beside another never
// truncates one being read.
function copyPythonShim() {
  const from = path.join(root, 'vault/python/secrets_vault');
  const to = path.join(root, 'dist/python/secrets_vault');
  if (!existsSync(from)) return;
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from).filter((n) => n.endsWith('.py'))) {
    const text = readFileSync(path.join(from, f));
    const target = path.join(to, f);
    if (existsSync(target) && readFileSync(target).equals(text)) continue;
    const staged = `${target}.${process.pid}.tmp`;
    writeFileSync(staged, text);
    renameSync(staged, target);
  }
}
copyPythonShim();

/** A file's size and modification time, or null when it is missing. */
function signature(file) {
  try {
    const st = statSync(path.join(root, file));
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return null;
  }
}

// What a build read, and what it wrote: when none of it changed, the bundles are current and the
// next build only sets their times (as a rewrite would). About thirty test files build before they
// run, each a few CPU-seconds of esbuild; this makes all but the first a few milliseconds.
// SECRETS_VAULT_BUILD_STAMP keeps the record elsewhere (the build's own test).
const STAMP = path.resolve(root, process.env.SECRETS_VAULT_BUILD_STAMP ?? 'dist/.build-inputs.json');
// Besides the files esbuild read: the options, this script, esbuild's version and the tsconfig esbuild follows.
const stampKey = JSON.stringify({
  production,
  builds: builds.map((b) => b.entryPoints),
  script: signature('scripts/build.mjs'),
  tsconfig: signature('tsconfig.json'),
  esbuild: esbuild.version,
});

function current() {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return null;
  }
  if (stamp?.key !== stampKey) return null;
  for (const [file, sig] of Object.entries(stamp.inputs)) if (signature(file) !== sig) return null;
  // Outputs by size: their times change on every build, current or not.
  for (const [file, size] of Object.entries(stamp.outputs)) if (signature(file)?.split(':')[0] !== String(size)) return null;
  return Object.keys(stamp.outputs);
}

/** Records the inputs a build read, unless one changed while it ran (then the next build runs again). */
function writeStamp(results, started) {
  const inputs = {};
  const outputs = {};
  for (const r of results) {
    for (const file of Object.keys(r.metafile.inputs)) {
      const sig = signature(file);
      if (sig === null || Number(sig.split(':')[1]) >= started) return;
      inputs[file] = sig;
    }
    for (const out of r.outputFiles) outputs[path.relative(root, out.path)] = out.contents.length;
  }
  const staged = `${STAMP}.${process.pid}.tmp`;
  writeFileSync(staged, JSON.stringify({ key: stampKey, inputs, outputs }));
  renameSync(staged, STAMP);
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log(`watching ${builds.length} bundles`);
} else {
  const unchanged = current();
  if (unchanged !== null) {
    const now = new Date();
    for (const file of unchanged) utimesSync(path.join(root, file), now, now);
    console.log('bundles are current: nothing they are built from has changed');
    process.exit(0);
  }
  const started = Date.now();
  // Test files build before they run (so that one runs this checkout's code alone too), and files
  // run side by side: a bundle is replaced whole (written beside it, then renamed over it), and only
  // when it changed (else only its time is set, as a rewrite would), so that a CLI starting while
  // another build runs never reads half of one. A bundle that builds is written even when another
  // fails (as esbuild alone would); the build then fails with the errors esbuild printed.
  const results = await Promise.allSettled(builds.map((b) => esbuild.build({ ...b, write: false, metafile: true })));
  const now = new Date();
  for (const r of results) {
    if (r.status !== 'fulfilled') continue;
    for (const file of r.value.outputFiles) {
      if (existsSync(file.path) && readFileSync(file.path).equals(file.contents)) {
        utimesSync(file.path, now, now);
        continue;
      }
      mkdirSync(path.dirname(file.path), { recursive: true });
      const staged = `${file.path}.${process.pid}.tmp`;
      writeFileSync(staged, file.contents);
      renameSync(staged, file.path);
    }
  }
  if (results.some((r) => r.status === 'rejected')) process.exit(1);
  writeStamp(
    results.map((r) => r.value),
    started,
  );
}
