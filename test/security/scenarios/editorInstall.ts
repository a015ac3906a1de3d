// The editor install's ripgrep cache (issue 50, point 7): another local user plants
// $TMPDIR/vscode-ripgrep-cache-<version>/ with an archive whose `rg` is theirs and links meant to make
// the install write elsewhere. The attack runs against scripts/code-server.mjs's own
// writeRipgrepCache (test/helpers/ripgrepCache.ts): the install writes only into its private
// folder, holds the system's rg and nothing else, and refuses a cache folder or link made before it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { existingCacheAttack, plantedCacheAttack, plantedCacheHeld, systemRg } from '../../helpers/ripgrepCache';
import { tally } from '../helpers/ledger';

const S = 'editor install: a planted ripgrep cache is never used';

export function registerEditorInstall(): void {
  describe(S, () => {
    const rg = systemRg();
    const dir = mkdtempSync(path.join(tmpdir(), 'sv-sec-rg-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.skipIf(!rg)('the planted folder, archive and link are ignored; a folder or link made first is refused', () => {
      const planted = plantedCacheAttack(dir, rg);
      const existing = existingCacheAttack(dir, rg);
      const cases = [
        ['planted folder and archive in the shared place', plantedCacheHeld(planted)],
        ['cache folder made first in the private folder', /EEXIST/.test(existing.emptyFolder ?? '')],
        ['link where the archive goes', /EEXIST/.test(existing.link ?? '') && existing.victimUntouched && existing.linkKept],
      ] as const;
      tally(S, cases.length, cases.filter(([, ok]) => !ok).length, 'planted cache folder and archive, folder made first, link to a victim file');
      expect(planted).toMatchObject({ privateMode: 0o700, listing: 'rg\n', holdsSystemRg: true, archiveMode: 0o600, plantedUntouched: true, victimUntouched: true });
      expect(cases.filter(([, ok]) => !ok).map(([what]) => what)).toEqual([]);
    });
  });
}
