// Prints the sha256 of the vault's outward surface as the built CLI shows it: `GET /v1/openapi.json`
// from a fresh SQLite vault, and every help text (`--help` of the program, each command and each
// subcommand, found by reading the "Commands:" section of each help). A restructuring of vault/src/
// keeps every line of this output identical: run it on dist/ before and after and diff the two.
// Usage: node scripts/vault-surface-hashes.mjs [path/to/dist/vault/cli.js]
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.resolve(process.argv[2] ?? path.join(root, 'dist/vault/cli.js'));
// Help wraps at the terminal width: a fixed width keeps the texts comparable between runs.
const env = { ...process.env, COLUMNS: '100', NO_COLOR: '1' };
delete env.SECRETS_VAULT_URL;
delete env.SECRETS_VAULT_TOKEN;
delete env.SECRETS_VAULT_DATABASE_URL;

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

function help(words) {
  const r = spawnSync(process.execPath, [cli, ...words, '--help'], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`secrets-vault ${words.join(' ')} --help exited ${r.status}: ${r.stderr}`);
  return r.stdout + r.stderr;
}

// The names listed under "Commands:", without commander's own `help [command]`.
function subcommands(text) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === 'Commands:');
  if (start < 0) return [];
  const names = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    const m = /^ {2}([a-z][\w-]*)/.exec(line);
    if (m && m[1] !== 'help') names.push(m[1]);
  }
  return names;
}

const rows = [];
function walk(words) {
  const text = help(words);
  rows.push([`help: ${['secrets-vault', ...words].join(' ')}`, sha256(text)]);
  for (const name of subcommands(text)) walk([...words, name]);
}
walk([]);

async function openapi() {
  const dir = mkdtempSync(path.join(tmpdir(), 'vault-surface-'));
  const data = path.join(dir, 'data');
  const init = spawnSync(process.execPath, [cli, 'init', '--data', data], { env, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
  const server = spawn(process.execPath, [cli, 'serve', '--data', data, '--port', '0', '--quiet'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d) => {
        out += d;
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      server.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    const res = await fetch(`${url}/v1/openapi.json`);
    if (res.status !== 200) throw new Error(`GET /v1/openapi.json: ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode === null ? server.on('exit', r) : r()));
    rmSync(dir, { recursive: true, force: true });
  }
}

rows.unshift(['GET /v1/openapi.json', sha256(await openapi())]);
for (const [what, hash] of rows) console.log(`${hash}  ${what}`);
