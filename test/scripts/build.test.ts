// scripts/build.mjs skips esbuild when nothing a bundle is built from has changed (about thirty test
// files build before they run), and builds again when any input, output or option differs. It runs
// here with a stamp of its own, so that the test neither disturbs nor depends on other files' builds.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'sv-build-'));
const stampFile = path.join(dir, 'stamp.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CURRENT = 'bundles are current: nothing they are built from has changed';
const build = (...args: string[]) =>
  execFileSync(process.execPath, ['scripts/build.mjs', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SECRETS_VAULT_BUILD_STAMP: stampFile } });

interface Stamp {
  key: string;
  inputs: Record<string, string>;
  outputs: Record<string, number>;
}
const readStamp = (): Stamp => JSON.parse(readFileSync(stampFile, 'utf8')) as Stamp;

describe('scripts/build.mjs', () => {
  it('builds without a record, records what it read, and then finds the bundles current', () => {
    expect(build()).not.toContain(CURRENT);
    const stamp = readStamp();
    // What the bundles are built from: the entry points, the code they import, the bundled packages.
    expect(Object.keys(stamp.inputs)).toEqual(expect.arrayContaining(['client/src/extension.ts', 'server/src/server.ts', 'vault/src/cli/main.ts', 'protocol/lsp.ts']));
    expect(Object.keys(stamp.inputs).some((f) => f.startsWith('node_modules/vscode-languageclient/'))).toBe(true);
    expect(Object.keys(stamp.outputs)).toEqual(expect.arrayContaining(['dist/client/extension.js', 'dist/server/server.js', 'dist/vault/cli.js', 'dist/webview/createSecret.js']));
    const before = Date.now() - 1000;
    expect(build()).toContain(CURRENT);
    // Current bundles get the time a rewrite would give them (the webview tests check it).
    expect(statSync(path.join(ROOT, 'dist/webview/createSecret.js')).mtimeMs).toBeGreaterThanOrEqual(before);
  });

  it('builds again when an input differs from the record', () => {
    const stamp = readStamp();
    stamp.inputs['protocol/lsp.ts'] = '0:0';
    writeFileSync(stampFile, JSON.stringify(stamp));
    expect(build()).not.toContain(CURRENT);
    expect(readStamp().inputs['protocol/lsp.ts']).not.toBe('0:0');
    expect(build()).toContain(CURRENT);
  });

  it('builds again when an output is not what it wrote', () => {
    const stamp = readStamp();
    stamp.outputs['dist/server/server.js'] = 1;
    writeFileSync(stampFile, JSON.stringify(stamp));
    expect(build()).not.toContain(CURRENT);
    expect(build()).toContain(CURRENT);
    // A build with other options (--production, for the VSIX) is not current either; the record
    // keeps them. Not run here: the minified bundles would replace the ones other tests are using.
    expect(readStamp().key).toContain('"production":false');
  });
});
