// Installs code-server (a real VS Code: its server and web client) into .cache/code-server on first
// use, offline-safe: the ripgrep download its post-install would attempt is served from a cache
// seeded with the system's `rg`. `node scripts/code-server.mjs` installs and prints the binary path.
// The install shows one line before and one after; what npm and the native builds print goes to
// .cache/code-server/install.log, and its last lines are shown only if a step fails.
//
// code-server 4.100.3 (VS Code 1.100.3) is the newest whose engines.node matches Node 20.
import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const cacheDir = process.env.SECRETS_VAULT_CODE_SERVER_DIR ?? path.join(root, '.cache', 'code-server');
const pkgDir = path.join(cacheDir, 'node_modules', 'code-server');
export const codeServerBin = path.join(pkgDir, 'out', 'node', 'entry.js');
const marker = path.join(cacheDir, `installed-${CODE_SERVER_VERSION}`);
/** Everything the install's commands print (npm, native builds with their harmless `ERR!` lines). */
export const installLog = path.join(cacheDir, 'install.log');

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Runs a command with its output appended to `logFile`, not shown: a first install prints pages of
 * npm and node-gyp output whose `ERR!` lines are harmless. On failure the error carries the log's
 * last lines, so what went wrong is still in front of the person.
 */
export function runLogged(cmd, args, logFile, options = {}) {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const command = [cmd, ...args].join(' ');
  appendFileSync(logFile, `\n$ ${command}\n`);
  const fd = openSync(logFile, 'a');
  let r;
  try {
    r = spawnSync(cmd, args, { ...options, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  if (r.status !== 0) {
    const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-40).join('\n');
    const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
    throw new Error(`${command} failed (${why}). The last lines of ${logFile}:\n${tail}`);
  }
}

/** Installs code-server if needed; returns the path of its entry script (run it with node). */
export function ensureCodeServer(log = (s) => process.stderr.write(`${s}\n`)) {
  if (existsSync(marker) && existsSync(codeServerBin)) return codeServerBin;
  const rg = which('rg');
  if (!rg) throw new Error("code-server needs ripgrep: install it first (Debian: 'apt-get install ripgrep').");
  log(`Installing code-server ${CODE_SERVER_VERSION} into ${cacheDir} (first use only; a few minutes: native modules compile)…`);
  const started = Date.now();
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(installLog, `code-server ${CODE_SERVER_VERSION} install, ${new Date().toISOString()}\n`);
  const run = (cmd, args, options) => runLogged(cmd, args, installLog, options);
  writeFileSync(path.join(cacheDir, 'package.json'), `${JSON.stringify({ name: 'code-server-cache', private: true }, null, 2)}\n`);
  const env = {
    ...process.env,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  run('npm', ['install', '--ignore-scripts', '--no-save', `code-server@${CODE_SERVER_VERSION}`], { cwd: cacheDir, env });

  // @vscode/ripgrep's post-install downloads a binary; it first looks in this cache folder.
  const shrinkwrap = JSON.parse(readFileSync(path.join(pkgDir, 'lib', 'vscode', 'npm-shrinkwrap.json'), 'utf8'));
  const rgVersion = shrinkwrap.packages?.['node_modules/@vscode/ripgrep']?.version;
  if (!rgVersion) throw new Error('Could not find the @vscode/ripgrep version in code-server.');
  const scratch = mkdtempSync(path.join(tmpdir(), 'sv-rg-'));
  try {
    run('npm', ['pack', `@vscode/ripgrep@${rgVersion}`, '--silent'], { cwd: scratch, env });
    run('tar', ['xzf', `vscode-ripgrep-${rgVersion}.tgz`], { cwd: scratch });
    const post = readFileSync(path.join(scratch, 'package', 'lib', 'postinstall.js'), 'utf8');
    const asset = /const VERSION = '([^']+)'/.exec(post)?.[1];
    if (!asset) throw new Error('Could not find the ripgrep asset version.');
    const tmp = env.TMPDIR ?? tmpdir();
    const rgCache = path.join(tmp, `vscode-ripgrep-cache-${rgVersion}`);
    mkdirSync(rgCache, { recursive: true });
    const staging = path.join(scratch, 'rg-staging');
    mkdirSync(staging);
    copyFileSync(rg, path.join(staging, 'rg'));
    run('tar', ['czf', path.join(rgCache, `ripgrep-${asset}-x86_64-unknown-linux-musl.tar.gz`), '-C', staging, 'rg']);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  run('npm', ['rebuild', '--foreground-scripts'], { cwd: cacheDir, env });
  if (!existsSync(codeServerBin)) throw new Error(`code-server did not install: ${codeServerBin} is missing.`);
  writeFileSync(marker, new Date().toISOString());
  log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s (its output: ${installLog}).`);
  return codeServerBin;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensureCodeServer());
  } catch (e) {
    console.error(`code-server: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
