// Starting the product's pieces for a person (`npm start`) and for the end-to-end tests: the demo
// vault, the demo workspace, and a real VS Code (code-server) with the packaged extension installed.
// Every process is started in its own process group on 127.0.0.1 and stopped as a group.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { applyEdits, modify } from 'jsonc-parser';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureEdition } from './code-server.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const vsixPath = path.join(root, 'secrets-vault.vsix');
const cli = path.join(root, 'dist', 'vault', 'cli.js');

/** Builds the bundles and packages the VSIX (vsce, production build). */
export function packageExtension(log = () => {}) {
  log('Building and packaging the extension…');
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}`);
  if (!existsSync(vsixPath)) throw new Error(`${vsixPath} was not written.`);
  return vsixPath;
}

export async function freePort(preferred) {
  const tryPort = (port) =>
    new Promise((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(undefined));
      s.listen(port, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });
  return (preferred && (await tryPort(preferred))) || (await tryPort(0));
}

/** Starts `secrets-vault demo`; resolves with its URL, an admin key and a token of the Booking agent (the demo workspace's project). */
export function startDemoVault({ dataDir, port, naming = 'snake_case' }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, '--json', 'demo', '--data', dataDir, '--port', String(port), '--naming', naming], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += String(c);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        try {
          const info = JSON.parse(line);
          resolve({ ...info, child, stop: () => stopGroup(child) });
        } catch {
          // not all of the line yet
        }
      }
    });
    child.stderr.on('data', (c) => (err += String(c)));
    child.on('exit', (code) => reject(new Error(`the demo vault exited (${code}): ${err.trim()}`)));
  });
}

/**
 * Copies the demo workspace (once: a person's edits stay) and points its secrets-vault.json at the
 * running vault. The agent comes from the workspace's project.yaml, so the file names none unless
 * `agent` is given. A workspace copied before the demo was an ADK project (no project.yaml) gets the
 * files it lacks, once; the files it has stay as they are.
 */
export function prepareWorkspace(dir, { vaultUrl, agent, fresh = false }) {
  const demo = path.join(root, 'vault', 'demo', 'workspace');
  if (fresh || !existsSync(dir)) cpSync(demo, dir, { recursive: true });
  else if (!existsSync(path.join(dir, 'project.yaml'))) cpSync(demo, dir, { recursive: true, force: false });
  const config = agent === undefined ? { vault: vaultUrl } : { vault: vaultUrl, agent };
  writeFileSync(path.join(dir, 'secrets-vault.json'), `${JSON.stringify(config, null, 2)}\n`);
  return dir;
}

/**
 * Makes `dir` a git repository of its own, as an ADK project's folder is, unless it is one already.
 * The demo workspace lives in this repository's ignored `.secrets-vault/`: as its own repository it
 * is read by its own `.gitignore` (git's rule, and `check`'s), so `secrets-vault check` in it checks
 * its files. False when git is not there to do it.
 */
export function initRepository(dir) {
  if (existsSync(path.join(dir, '.git'))) return true;
  const r = spawnSync('git', ['-c', 'init.defaultBranch=main', 'init', '--quiet', dir], { stdio: 'ignore' });
  return r.status === 0 && existsSync(path.join(dir, '.git'));
}

/**
 * A folder holding `secrets-vault` (and `secrets-vault.cmd`) that run this repository's built CLI
 * with the Node.js running this script: `npm start` puts it on the PATH of the editor's terminals,
 * where the demo README has the user type `secrets-vault …`.
 */
export function cliBinFolder(stateDir) {
  const bin = path.join(stateDir, 'bin');
  mkdirSync(bin, { recursive: true });
  const sh = path.join(bin, 'secrets-vault');
  writeFileSync(sh, `#!/bin/sh\nexec ${shellWord(process.execPath)} ${shellWord(cli)} "$@"\n`, { mode: 0o755 });
  chmodSync(sh, 0o755);
  writeFileSync(path.join(bin, 'secrets-vault.cmd'), `@"${process.execPath}" "${cli}" %*\r\n`);
  return bin;
}

function shellWord(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The demo workspace's `.vscode/settings.json` gets the CLI's folder on its terminals' PATH (VS Code
 * applies `terminal.integrated.env.*` to every terminal of the folder); the file's other settings
 * stay as they are.
 */
export function addTerminalPath(workspace, bin) {
  const file = path.join(workspace, '.vscode', 'settings.json');
  mkdirSync(path.dirname(file), { recursive: true });
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '{}\n';
  const sep = path.delimiter;
  for (const os of ['linux', 'osx', 'windows']) {
    const edits = modify(text, [`terminal.integrated.env.${os}`, 'PATH'], `${bin}${os === 'windows' ? ';' : sep}\${env:PATH}`, { formattingOptions: { insertSpaces: true, tabSize: 2 } });
    text = applyEdits(text, edits);
  }
  writeFileSync(file, text);
  return file;
}

/**
 * What `npm start` adds to the quiet profile: the demo workspace opens on its README, which says
 * what to try (tests keep 'none': they open what they need).
 */
export const FIRST_RUN_SETTINGS = { 'workbench.startupEditor': 'readme' };

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.commandCenter.enabled': false,
};

/**
 * Installs code-server if needed, installs the VSIX into a fresh profile under `stateDir`, and
 * starts it on 127.0.0.1. `env` reaches the extension host (SECRETS_VAULT_URL, SECRETS_VAULT_TOKEN).
 * `edition` picks the editor (scripts/code-server.mjs EDITIONS); `extraVsix` are installed too (a
 * test's own extension).
 */
export async function startCodeServer({ stateDir, port, folder, env = {}, settings = {}, keepHome = false, edition = 'default', extraVsix = [], log = () => {} }) {
  const { entry, node } = ensureEdition(edition, log);
  const dirs = {
    home: path.join(stateDir, 'home'),
    userData: path.join(stateDir, 'user-data'),
    extensions: path.join(stateDir, 'extensions'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  // Tests get a HOME of their own; a person (`keepHome`) keeps theirs, so that the editor's terminals
  // and runs find their pyenv, conda, venv, nvm and git identity. The profile is apart either way
  // (--user-data-dir, --extensions-dir).
  const home = keepHome
    ? {}
    : {
        HOME: dirs.home,
        XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
        XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
        XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
      };
  const childEnv = { ...process.env, ...home, ...env };
  const base = ['--config', '/dev/null', '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  for (const vsix of [vsixPath, ...extraVsix]) {
    const install = spawnSync(node, [entry, ...base, '--install-extension', vsix, '--force'], { env: childEnv, encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`installing ${path.basename(vsix)} into code-server failed:\n${install.stdout}\n${install.stderr}`);
  }
  const child = spawn(node, [entry, ...base, '--bind-addr', `127.0.0.1:${port}`, folder], {
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += String(c)));
  child.stderr.on('data', (c) => (output += String(c)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer /healthz within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, folderUrl: `${url}/?folder=${encodeURIComponent(folder)}`, child, output: () => output, stop: () => stopGroup(child) };
}

/** Stops a detached child and everything it started (code-server leaves file watchers otherwise). */
export function stopGroup(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid, 'SIGKILL'); // leftovers of the group
      } catch {
        // none
      }
      resolve();
    });
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      resolve();
    }
  });
}
