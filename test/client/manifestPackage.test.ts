// The package a user installs: the marketplace fields, the icon, the walkthrough (its markdown files
// exist and each step completes on an event that really fires: a command the extension contributes
// or a workbench command a keybinding runs, or a context key the extension sets), and the VSIX as
// `npm run package` builds it: the user README, icon, CHANGELOG and LICENSE, and no developer file.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inlineImages, readmeImageProblems } from '../../scripts/extension-readme.mjs';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** PNG width and height from the IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('the marketplace fields', () => {
  it('names an icon of 128×128 pixels, a banner, repository, bugs, homepage, license, categories and keywords', () => {
    expect(pngSize(path.join(root, pkg.icon))).toEqual({ width: 128, height: 128 });
    expect(pkg.galleryBanner.color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(['dark', 'light']).toContain(pkg.galleryBanner.theme);
    expect(pkg.repository.url).toMatch(/^https:\/\//);
    expect(pkg.bugs.url).toMatch(/^https:\/\//);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(path.join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    // The categories the marketplaces know.
    const known = ['Programming Languages', 'Snippets', 'Linters', 'Themes', 'Debuggers', 'Formatters', 'Keymaps', 'SCM Providers', 'Other', 'Extension Packs', 'Language Packs', 'Data Science', 'Machine Learning', 'Visualization', 'Notebooks', 'Education', 'Testing', 'AI', 'Chat'];
    expect(pkg.categories.length).toBeGreaterThan(0);
    for (const c of pkg.categories) expect(known).toContain(c);
    expect(pkg.keywords.length).toBeGreaterThan(0);
    expect(pkg.keywords.length).toBeLessThanOrEqual(30);
  });

  it('has a CHANGELOG with an entry for the package version', () => {
    const changelog = readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`## ${pkg.version}`);
  });

  it('packages the user README, not the developer one, and publish:check checks both marketplaces', () => {
    // The user README, its images inlined (scripts/extension-readme.mjs), so that vsce must not rewrite them to repository URLs.
    expect(pkg.scripts.package).toMatch(/node scripts\/extension-readme\.mjs && vsce package .*--readme-path dist\/extension-readme\.md --no-rewrite-relative-links/);
    expect(pkg.scripts['publish:check']).toContain('scripts/publish-check.mjs');
    expect(pkg.devDependencies.ovsx).toBeTruthy();
    const readme = readFileSync(path.join(root, 'extension/README.md'), 'utf8');
    for (const heading of ['## What it does', '## Connect to a vault', '## PolyAI Agent Studio (ADK) projects', '## Settings', '## Privacy: values are never shown']) {
      expect(readme).toContain(heading);
    }
    expect(readme).not.toMatch(/npm (ci|test)|npm start/);
    // Every image the README shows is a PNG in the repository, beside the README (vsce refuses SVG in a README).
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(images.length).toBeGreaterThanOrEqual(3);
    for (const image of images) {
      expect(image).toMatch(/^images\/[\w-]+\.png$/);
      expect(existsSync(path.join(root, 'extension', image))).toBe(true);
    }
    // Every setting the extension contributes is in the README's table.
    for (const key of Object.keys(pkg.contributes.configuration.properties)) {
      const prefix = key.startsWith('secretsVault.snippets.') ? 'secretsVault.snippets.*' : key;
      expect(readme).toContain(`\`${prefix}\``);
    }
  });
});

describe('the walkthrough', () => {
  const walkthroughs: { id: string; title: string; description: string; steps: { id: string; title: string; description: string; media: { markdown?: string }; completionEvents: string[] }[] }[] = pkg.contributes.walkthroughs;
  const commands = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));
  const contextKeys = new Set([...readFileSync(path.join(root, 'client/src/contextKeys.ts'), 'utf8').matchAll(/^\s+'(secretsVault\.[\w.]+)'\??:/gm)].map((m) => m[1]!));
  // Workbench commands that the walkthrough's buttons run or that a default keybinding runs
  // (Ctrl+Space, Ctrl+.), so an onCommand event on them fires when the user does the step.
  const workbench = new Set(['editor.action.triggerSuggest', 'editor.action.quickFix', 'workbench.action.terminal.new', 'workbench.actions.view.problems']);

  it('goes from connecting to a vault to CI, each step with a markdown file the VSIX carries', () => {
    expect(walkthroughs).toHaveLength(1);
    const steps = walkthroughs[0]!.steps;
    expect(steps.map((s) => s.id)).toEqual(['connect', 'agent', 'complete', 'fix', 'run', 'ci']);
    for (const step of steps) {
      expect(step.title.length).toBeGreaterThan(0);
      expect(step.media.markdown).toMatch(/^extension\/walkthrough\/\w+\.md$/);
      const text = readFileSync(path.join(root, step.media.markdown!), 'utf8');
      expect(text).toMatch(/^# /);
    }
  });

  it('completes each step on an event that fires: a command it offers or a context key the extension sets', () => {
    for (const step of walkthroughs[0]!.steps) {
      expect(step.completionEvents.length, step.id).toBeGreaterThan(0);
      for (const event of step.completionEvents) {
        const [kind, ...rest] = event.split(':');
        const arg = rest.join(':');
        if (kind === 'onCommand') expect(commands.has(arg) || workbench.has(arg), event).toBe(true);
        else if (kind === 'onContext') expect(contextKeys.has(arg.split(/\s/)[0]!), event).toBe(true);
        else throw new Error(`unexpected completion event ${event}`);
      }
      // Each button in the step's description runs a command that exists.
      for (const m of step.description.matchAll(/\]\(command:([\w.]+)\)/g)) {
        expect(commands.has(m[1]!) || workbench.has(m[1]!), m[1]).toBe(true);
      }
    }
  });
});

// The package is built from a copy of the repository's top level with stand-in bundles under dist/
// (what matters here is which files go in, not the bundles: the real ones are packaged by the
// end-to-end tests' setup and by publish:check, from a production build).
describe('the VSIX', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sv-vsix-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('carries the user README, the icon, the CHANGELOG, the LICENSE and the walkthrough, and no developer file', () => {
    const tree = path.join(dir, 'tree');
    mkdirSync(tree);
    const skip = new Set(['node_modules', 'dist', '.git', '.cache', 'test-results', '.secrets-vault', 'secrets-vault.vsix']);
    for (const entry of readdirSync(root)) {
      if (!skip.has(entry)) cpSync(path.join(root, entry), path.join(tree, entry), { recursive: true });
    }
    symlinkSync(path.join(root, 'node_modules'), path.join(tree, 'node_modules'));
    const bundles = ['client/extension.js', 'client/extension.js.map', 'server/server.js', 'server/check.js', 'mcp/server.js', 'webview/createSecret.js', 'vault/cli.js', 'python/secrets_vault/__init__.py'];
    for (const b of bundles) {
      mkdirSync(path.dirname(path.join(tree, 'dist', b)), { recursive: true });
      writeFileSync(path.join(tree, 'dist', b), '// stand-in\n');
    }
    const readmeStep = spawnSync(process.execPath, [path.join(tree, 'scripts', 'extension-readme.mjs')], { cwd: tree, encoding: 'utf8' });
    expect(readmeStep.status, readmeStep.stderr).toBe(0);
    const vsix = path.join(dir, 'test.vsix');
    const args = /vsce package (.*?) --out \S+/.exec(pkg.scripts.package)![1]!.split(/\s+/);
    const r = spawnSync(path.join(root, 'node_modules/.bin/vsce'), ['package', ...args, '--out', vsix], { cwd: tree, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/warn/i);
    const list = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
    expect(list.status).toBe(0);
    const files = list.stdout.trim().split('\n');
    const read = (name: string) => spawnSync('unzip', ['-p', vsix, name], { encoding: 'utf8' }).stdout;

    // The user README, its screenshots inlined as data: URIs: the extension's page shows them with no
    // network (the editor's Extensions view loads images from https: and data: only).
    const source = readFileSync(path.join(root, 'extension/README.md'), 'utf8');
    const packagedReadme = read('extension/readme.md');
    expect(packagedReadme).toBe(inlineImages(source, path.join(root, 'extension')));
    expect(readmeImageProblems(packagedReadme)).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['extension/dist/client/extension.js', 'extension/dist/server/server.js', 'extension/media/icon.png', 'extension/changelog.md', 'extension/LICENSE.txt', 'extension/package.json']));
    for (const step of pkg.contributes.walkthroughs[0].steps) expect(files).toContain(`extension/${step.media.markdown}`);
    expect(read('extension.vsixmanifest')).toContain('Microsoft.VisualStudio.Services.Icons.Default');

    // No developer file: sources, tests, maps, docs for developers, the repository's tooling.
    const developer = files.filter((f) =>
      /\.(ts|map|mts|mjs)$/.test(f) ||
      /^extension\/(src|client|server|vault|protocol|webview|test|scripts|bench|docs|node_modules|\.ci|\.cache|\.github)\//.test(f) ||
      /^extension\/(ARCHITECTURE\.md|README\.md|tsconfig\.json|package-lock\.json|vitest[^/]*|\.npmrc|\.vscodeignore|extension\/README\.md|extension\/icon\.svg)$/.test(f),
    );
    expect(developer).toEqual([]);
    expect(files).not.toContain('extension/dist/vault/cli.js');
  }, 180_000);
});
