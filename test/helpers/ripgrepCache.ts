// The planted ripgrep cache (issue 50, point 7), as an attack on scripts/code-server.mjs's
// writeRipgrepCache: another local user makes $TMPDIR/vscode-ripgrep-cache-<version>/ first, with an
// archive whose `rg` is their program and links meant to make the install write elsewhere. Each
// function performs one form of the attack under `base` and returns what it observed, for
// test/scripts/codeServerEnvironment.test.ts and the security suite's editor-install scenario.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeRipgrepCache } from '../../scripts/code-server.mjs';

export const RG_VERSION = '1.15.14';
export const RG_ASSET = 'v13.0.0-13';
const NAME = `ripgrep-${RG_ASSET}-x86_64-unknown-linux-musl.tar.gz`;

/** The system's rg, or '' when there is none (the attacks need one to archive). */
export const systemRg = (): string => spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export interface PlantedObservation {
  /** The install's private folder is mode 700 (mkdtemp). */
  privateMode: number;
  /** Where the archive was written, relative to the shared folder. */
  archive: string;
  /** What the archive lists, and whether its rg is the system's rg (the digest returned agrees). */
  listing: string;
  holdsSystemRg: boolean;
  archiveMode: number;
  /** The planted folder, archive and victim as the attacker left them. */
  plantedUntouched: boolean;
  victimUntouched: boolean;
}

/** The planted folder in the shared place, then the install (its private folder made in the same place, as ensureEdition makes it). */
export function plantedCacheAttack(base: string, rg: string): PlantedObservation {
  const shared = mkdtempSync(path.join(base, 'shared-tmp-'));
  const planted = path.join(shared, `vscode-ripgrep-cache-${RG_VERSION}`);
  mkdirSync(planted);
  const evil = path.join(shared, 'evil');
  mkdirSync(evil);
  writeFileSync(path.join(evil, 'rg'), '#!/bin/sh\ntouch /tmp/pwned\n', { mode: 0o755 });
  if (spawnSync('tar', ['-czf', path.join(planted, NAME), '-C', evil, 'rg']).status !== 0) throw new Error('could not plant the archive');
  const victim = path.join(shared, 'victim');
  const victimText = 'a file the attacker wants overwritten\n';
  writeFileSync(victim, victimText);
  const before = readFileSync(path.join(planted, NAME));

  const tmp = mkdtempSync(path.join(shared, 'sv-code-server-'));
  const { archive, digest: rgDigest } = writeRipgrepCache(tmp, RG_VERSION, RG_ASSET, rg);
  const inside = spawnSync('tar', ['-xzOf', archive, 'rg'], { maxBuffer: 256 << 20 }).stdout;
  return {
    privateMode: statSync(tmp).mode & 0o777,
    archive: path.relative(shared, archive),
    listing: spawnSync('tar', ['-tzf', archive], { encoding: 'utf8' }).stdout,
    holdsSystemRg: rgDigest === digest(readFileSync(rg)) && digest(inside) === rgDigest,
    archiveMode: lstatSync(archive).mode & 0o777,
    plantedUntouched: readFileSync(path.join(planted, NAME)).equals(before) && readdirSync(planted).join() === NAME,
    victimUntouched: readFileSync(victim, 'utf8') === victimText,
  };
}

/** The expected observation: the archive in the private folder, holding the system's rg only; the planted things untouched. */
export function plantedCacheHeld(o: PlantedObservation): boolean {
  return (
    o.privateMode === 0o700 &&
    /^sv-code-server-[^/]+\/vscode-ripgrep-cache-[^/]+\/ripgrep-[^/]+\.tar\.gz$/.test(o.archive) &&
    o.listing === 'rg\n' &&
    o.holdsSystemRg &&
    o.archiveMode === 0o600 &&
    o.plantedUntouched &&
    o.victimUntouched
  );
}

/** Had the attacker reached the private folder: a cache folder made first, then one holding a link where the archive goes. Returns each error (or null). */
export function existingCacheAttack(base: string, rg: string): { emptyFolder: string | null; link: string | null; victimUntouched: boolean; linkKept: boolean } {
  const attempt = (f: () => void) => {
    try {
      f();
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  };
  const tmp = mkdtempSync(path.join(base, 'own-'));
  mkdirSync(path.join(tmp, `vscode-ripgrep-cache-${RG_VERSION}`));
  const emptyFolder = attempt(() => writeRipgrepCache(tmp, RG_VERSION, RG_ASSET, rg));

  const tmp2 = mkdtempSync(path.join(base, 'own-'));
  const victim = path.join(tmp2, 'victim');
  writeFileSync(victim, 'untouched\n');
  const cache = path.join(tmp2, `vscode-ripgrep-cache-${RG_VERSION}`);
  mkdirSync(cache);
  symlinkSync(victim, path.join(cache, NAME));
  const link = attempt(() => writeRipgrepCache(tmp2, RG_VERSION, RG_ASSET, rg));
  return { emptyFolder, link, victimUntouched: readFileSync(victim, 'utf8') === 'untouched\n', linkKept: lstatSync(path.join(cache, NAME)).isSymbolicLink() };
}
