// `npm run publish:check`: is the extension ready for both marketplaces, without a token?
// - Visual Studio Marketplace: `vsce package` exactly as `npm run package` runs it (the user README
//   with its images inlined, scripts/extension-readme.mjs), into a temporary file; any warning or
//   prompt fails the check.
// - The README the VSIX carries (the page in VS Code's Extensions view and on both marketplaces):
//   every image must show with no network (the rule: scripts/extension-readme.mjs).
// - Open VSX: the checks `ovsx publish` makes on this machine before it uploads: the manifest's
//   required fields and a license (ovsx's own functions), then the packaged VSIX read back with
//   ovsx's reader, whose manifest must be this package.json's.
// Publish the packaged file to both (`vsce publish --packagePath secrets-vault.vsix`, `ovsx publish
// secrets-vault.vsix`): ovsx packaging from the folder itself would take the root (developer) README.
// Not checked (needs the registries and a token): the publisher's or namespace's ownership
// (`vsce verify-pat`, `ovsx verify-pat`), and the checks the registries make on upload.
// Expects a production build (`npm run publish:check` builds first).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeImageProblems } from './extension-readme.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const problems = [];

/** The `vsce package` arguments of the `package` script, with the output file replaced. */
function vsceArgs(out) {
  const script = pkg.scripts.package;
  const m = /vsce package (.*?) --out \S+/.exec(script);
  if (!m) throw new Error(`the package script does not run 'vsce package … --out FILE': ${script}`);
  return ['package', ...m[1].split(/\s+/).filter(Boolean), '--out', out];
}

/** One file of a zip (a VSIX), read with the zip reader vsce itself uses. */
function readFromZip(zip, name) {
  const yauzl = createRequire(require.resolve('@vscode/vsce/package.json'))('yauzl');
  return new Promise((resolve, reject) => {
    yauzl.open(zip, { lazyEntries: true }, (err, file) => {
      if (err) return reject(err);
      file.on('error', reject);
      file.on('end', () => resolve(undefined));
      file.on('entry', (entry) => {
        if (entry.fileName.toLowerCase() !== name) return file.readEntry();
        file.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks = [];
          stream.on('data', (c) => chunks.push(c));
          stream.on('end', () => {
            file.close();
            resolve(Buffer.concat(chunks));
          });
        });
      });
      file.readEntry();
    });
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'sv-publish-check-'));
try {
  const vsix = path.join(dir, `${pkg.name}-${pkg.version}.vsix`);
  const readme = spawnSync(process.execPath, [path.join(root, 'scripts', 'extension-readme.mjs')], { cwd: root, encoding: 'utf8' });
  if (readme.status !== 0) problems.push(readme.stderr.trim());
  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, vsceArgs(vsix), { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const output = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) problems.push(`vsce package failed (exit ${r.status}):\n${output}`);
  for (const line of output.split('\n')) {
    if (/warn|\[y\/N\]/i.test(line)) problems.push(`vsce: ${line.trim()}`);
  }
  console.log(`vsce package: ${r.status === 0 ? 'ok' : 'failed'}`);
  if (r.status === 0) {
    const packaged = await readFromZip(vsix, 'extension/readme.md');
    const images = packaged === undefined ? ['the VSIX has no extension/readme.md'] : readmeImageProblems(packaged.toString('utf8'));
    for (const p of images) problems.push(`README image that would not show: ${p}`);
    console.log(`README images: ${images.length === 0 ? 'ok' : 'failed'}`);
  }

  // Open VSX, as `ovsx publish` checks before uploading.
  const { validateManifest } = require('ovsx/lib/util');
  const { isLicenseOk } = require('ovsx/lib/check-license');
  const { readVSIXPackage } = require('ovsx/lib/zip');
  try {
    validateManifest(pkg);
    if (!(await isLicenseOk(root, pkg))) problems.push('ovsx: no license (Open VSX accepts only licensed extensions)');
  } catch (e) {
    problems.push(`ovsx: ${e.message}`);
  }
  if (r.status === 0) {
    const manifest = await readVSIXPackage(vsix);
    for (const field of ['publisher', 'name', 'version', 'license']) {
      if (manifest[field] !== pkg[field]) problems.push(`ovsx: the VSIX's ${field} is ${manifest[field]}, package.json's ${pkg[field]}`);
    }
    if (!manifest.engines?.vscode) problems.push('ovsx: the VSIX has no engines.vscode');
  }
  console.log(`ovsx manifest and license: ${problems.some((p) => p.startsWith('ovsx')) ? 'failed' : 'ok'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`\nNot ready to publish:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('Ready for the Visual Studio Marketplace and Open VSX (not checked: tokens, namespace ownership, the registries\' own checks on upload).');
