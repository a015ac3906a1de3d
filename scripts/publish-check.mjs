// `npm run publish:check`: is the extension ready for both marketplaces, without a token?
// - Visual Studio Marketplace: `vsce package` exactly as `npm run package` runs it (the user README,
//   its images rewritten to https URLs in the repository), into a temporary file; any warning or prompt fails the check.
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

const dir = mkdtempSync(path.join(tmpdir(), 'sv-publish-check-'));
try {
  const vsix = path.join(dir, `${pkg.name}-${pkg.version}.vsix`);
  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, vsceArgs(vsix), { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const output = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) problems.push(`vsce package failed (exit ${r.status}):\n${output}`);
  for (const line of output.split('\n')) {
    if (/warn|\[y\/N\]/i.test(line)) problems.push(`vsce: ${line.trim()}`);
  }
  console.log(`vsce package: ${r.status === 0 ? 'ok' : 'failed'}`);

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
