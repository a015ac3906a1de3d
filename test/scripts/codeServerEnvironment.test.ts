// The code-server install runs in an environment of its own (scripts/code-server.mjs): npm's
// variables of an `npm test` that starts it do not reach it (they name Node 20, and code-server
// 4.104's post-install then refuses to run on Node 22), its temporary files go to a private folder,
// and the ripgrep archive its post-install reads is written there, never into a folder or through a
// link someone else made in the shared, predictable place.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installEnvironment, installScripts, NPM_SOURCE_SETTINGS, REBUILT, rebuildEnvironment } from '../../scripts/code-server.mjs';
import { existingCacheAttack, plantedCacheAttack, plantedCacheHeld, RG_VERSION, systemRg } from '../helpers/ripgrepCache';

const dir = mkdtempSync(path.join(tmpdir(), 'sv-cs-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = path.resolve('scripts/code-server.mjs');
const rg = systemRg();

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

  it("gives the native rebuild an npm cache of its own (npx's unpacked node-gyp raced between two editions installed side by side)", () => {
    const env = installEnvironment({ PATH: '/bin', npm_config_registry: 'https://registry.example.test/' }, { tmp: '/private/a', nodeBin: '/n' });
    const rebuild = rebuildEnvironment(env, '/private/a');
    expect(rebuild.npm_config_cache).toBe(path.join('/private/a', 'npm-cache'));
    // The rest is the install's; two installs' caches differ, as their private folders do.
    expect({ ...rebuild, npm_config_cache: undefined }).toEqual({ ...env, npm_config_cache: undefined });
    expect(rebuildEnvironment(env, '/private/b').npm_config_cache).not.toBe(rebuild.npm_config_cache);
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
  it.skipIf(!rg)('ignores a folder, an archive and a link planted in the shared, predictable place', () => {
    const seen = plantedCacheAttack(dir, rg);
    expect(seen).toMatchObject({ privateMode: 0o700, listing: 'rg\n', holdsSystemRg: true, archiveMode: 0o600, plantedUntouched: true, victimUntouched: true });
    expect(seen.archive).toMatch(new RegExp(`^sv-code-server-[^/]+/vscode-ripgrep-cache-${RG_VERSION}/`));
    expect(plantedCacheHeld(seen)).toBe(true);
  });

  it.skipIf(!rg)('refuses a cache folder that exists already, empty or holding a link, and writes nothing through it', () => {
    const seen = existingCacheAttack(dir, rg);
    expect(seen.emptyFolder).toMatch(/EEXIST/);
    expect(seen.link).toMatch(/EEXIST/);
    expect(seen).toMatchObject({ victimUntouched: true, linkKept: true });
  });
});
