// The code-server install runs in an environment of its own (scripts/code-server.mjs): npm's
// variables of an `npm test` that starts it do not reach it (they name Node 20, and code-server
// 4.104's post-install then refuses to run on Node 22), its temporary files go to a private folder,
// and the ripgrep archive its post-install reads is written there, never into a folder or through a
// link someone else made in the shared, predictable place.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installEnvironment, installScripts, NPM_SOURCE_SETTINGS, REBUILT, writeRipgrepCache } from '../../scripts/code-server.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'sv-cs-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = path.resolve('scripts/code-server.mjs');
const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('installEnvironment: the install does not inherit `npm test`', () => {
  it('drops every variable npm sets for a script it runs, under a real `npm run` on this Node', () => {
    const project = path.join(dir, 'project');
    mkdirSync(path.join(project, 'node_modules', '.bin'), { recursive: true });
    const probe = `import { installEnvironment } from ${JSON.stringify(script)};
const env = installEnvironment(process.env, { tmp: '/private/tmp-of-the-install', nodeBin: '/the/node/bin' });
console.log(JSON.stringify({ outer: process.env, inner: env }));`;
    writeFileSync(path.join(project, 'probe.mjs'), probe);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'probe', private: true, scripts: { probe: 'node probe.mjs' } }));
    const r = spawnSync('npm', ['run', '--silent', 'probe'], { cwd: project, encoding: 'utf8', env: { ...process.env, npm_config_registry: 'https://registry.example.test/' } });
    expect(r.status, r.stderr).toBe(0);
    const { outer, inner } = JSON.parse(r.stdout) as { outer: Record<string, string>; inner: Record<string, string> };
    // What npm gave the script: its user agent names this Node (v20 on CI), its node-gyp, its PATH.
    expect(outer.npm_config_user_agent).toContain(`node/${process.version}`);
    expect(outer.npm_lifecycle_event).toBe('probe');
    expect(outer.INIT_CWD).toBeTruthy();
    expect(outer.PATH).toContain(path.join(project, 'node_modules', '.bin'));

    const npmNames = Object.keys(inner).filter((k) => /^npm_/i.test(k));
    // Only the settings the install needs, and where packages come from (a registry given in the environment).
    const sources = Object.keys(outer).filter((k) => NPM_SOURCE_SETTINGS.has(k.toLowerCase().replace(/^npm_config_/, '')));
    expect(sources).toContain('npm_config_registry');
    expect(npmNames.sort()).toEqual([...new Set(['npm_config_audit', 'npm_config_fund', 'npm_config_unsafe_perm', 'npm_config_update_notifier', 'npm_config_yes', ...sources])].sort());
    expect(inner.npm_config_registry).toBe('https://registry.example.test/');
    for (const gone of ['npm_config_user_agent', 'npm_config_node_gyp', 'npm_lifecycle_event', 'npm_lifecycle_script', 'npm_package_json', 'npm_execpath', 'npm_node_execpath', 'npm_config_local_prefix', 'npm_config_prefix', 'INIT_CWD', 'NODE', 'COLOR']) {
      expect(inner[gone], gone).toBeUndefined();
    }
    expect(inner.PATH!.split(path.delimiter)[0]).toBe('/the/node/bin');
    expect(inner.PATH).not.toMatch(/node_modules[\\/]\.bin|node-gyp-bin/);
    expect([inner.TMPDIR, inner.TMP, inner.TEMP]).toEqual(Array(3).fill('/private/tmp-of-the-install'));
    // Not npm's nodedir of the outer run: the headers of the Node the install runs on, when given.
    expect(inner.npm_config_nodedir).toBeUndefined();
    expect(installEnvironment({ PATH: '/bin', npm_config_nodedir: '/usr' }, { tmp: '/t', nodeBin: '/n', nodedir: '/node-22' }).npm_config_nodedir).toBe('/node-22');
  });

  it('names the packages whose install scripts run, and finds every package that has one', () => {
    expect(Object.keys(REBUILT).sort()).toEqual(['argon2', 'code-server']);
    const modules = path.join(dir, 'scan', 'node_modules');
    const pkg = (folder: string, json: object, gyp = false) => {
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, 'package.json'), JSON.stringify(json));
      if (gyp) writeFileSync(path.join(folder, 'binding.gyp'), '{}');
    };
    pkg(path.join(modules, 'plain'), { name: 'plain', scripts: { prepare: 'tsc', test: 'x' } });
    pkg(path.join(modules, 'argon2'), { name: 'argon2', scripts: { install: 'node-pre-gyp install' } });
    pkg(path.join(modules, '@scope', 'native'), { name: '@scope/native' }, true);
    pkg(path.join(modules, 'outer', 'node_modules', 'nested'), { name: 'nested', scripts: { postinstall: 'node x.js' } });
    pkg(path.join(modules, 'outer'), { name: 'outer', scripts: { preinstall: 'node y.js' } });
    expect(installScripts(modules)).toEqual(['@scope/native', 'argon2', 'nested', 'outer']);
  });
});

describe('writeRipgrepCache: the archive code-server runs `rg` from', () => {
  const rgVersion = '1.15.14';
  const asset = 'v13.0.0-13';
  const name = `ripgrep-${asset}-x86_64-unknown-linux-musl.tar.gz`;

  it.skipIf(!rg)('ignores a folder, an archive and a link planted in the shared, predictable place', () => {
    // The attack: another local user makes $TMPDIR/vscode-ripgrep-cache-<version>/ first, with an
    // archive whose `rg` is their program, and a link meant to make the install write elsewhere.
    const shared = mkdtempSync(path.join(dir, 'shared-tmp-'));
    const planted = path.join(shared, `vscode-ripgrep-cache-${rgVersion}`);
    mkdirSync(planted);
    const evil = path.join(shared, 'evil');
    mkdirSync(evil);
    writeFileSync(path.join(evil, 'rg'), '#!/bin/sh\ntouch /tmp/pwned\n', { mode: 0o755 });
    expect(spawnSync('tar', ['-czf', path.join(planted, name), '-C', evil, 'rg']).status).toBe(0);
    const victim = path.join(shared, 'victim');
    writeFileSync(victim, 'a file the attacker wants overwritten\n');
    const before = readFileSync(path.join(planted, name));

    // The install's temporary folder: mkdtemp in the same shared place, as ensureEdition makes it.
    const tmp = mkdtempSync(path.join(shared, 'sv-code-server-'));
    expect(statSync(tmp).mode & 0o777).toBe(0o700);
    const { archive, digest: rgDigest } = writeRipgrepCache(tmp, rgVersion, asset, rg);
    expect(archive).toBe(path.join(tmp, `vscode-ripgrep-cache-${rgVersion}`, name));
    expect(rgDigest).toBe(digest(readFileSync(rg)));
    // It holds the system's rg, and only it.
    expect(spawnSync('tar', ['-tzf', archive], { encoding: 'utf8' }).stdout).toBe('rg\n');
    expect(digest(spawnSync('tar', ['-xzOf', archive, 'rg'], { maxBuffer: 256 << 20 }).stdout)).toBe(rgDigest);
    expect(lstatSync(archive).mode & 0o777).toBe(0o600);
    // The planted folder, archive and victim are as the attacker left them.
    expect(readFileSync(path.join(planted, name)).equals(before)).toBe(true);
    expect(readdirSync(planted)).toEqual([name]);
    expect(readFileSync(victim, 'utf8')).toBe('a file the attacker wants overwritten\n');
  });

  it.skipIf(!rg)('refuses a cache folder that exists already, empty or holding a link, and writes nothing through it', () => {
    // Someone made the folder first (had they reached the private folder): an error, not used.
    const tmp = mkdtempSync(path.join(dir, 'own-'));
    mkdirSync(path.join(tmp, `vscode-ripgrep-cache-${rgVersion}`));
    expect(() => writeRipgrepCache(tmp, rgVersion, asset, rg)).toThrow(/EEXIST/);

    // ... with a link where the archive goes: refused before the link is reached, the target untouched.
    const tmp2 = mkdtempSync(path.join(dir, 'own-'));
    const victim = path.join(dir, 'victim-2');
    writeFileSync(victim, 'untouched\n');
    const cache = path.join(tmp2, `vscode-ripgrep-cache-${rgVersion}`);
    mkdirSync(cache);
    symlinkSync(victim, path.join(cache, name));
    expect(() => writeRipgrepCache(tmp2, rgVersion, asset, rg)).toThrow(/EEXIST/);
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
    expect(lstatSync(path.join(cache, name)).isSymbolicLink()).toBe(true);
  });
});
