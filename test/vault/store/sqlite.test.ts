// The conformance suite against the SQLite store, made as the vault makes it (the factory, from
// configuration). "Another instance" is a second SqliteStore on the same data folder: its own
// connections, so to SQLite it is another process.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../../vault/src/store/index';
import type { VaultStore } from '../../../vault/src/store/types';
import { describeStoreConformance } from './conformance';

describeStoreConformance('sqlite', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sv-conformance-'));
  // NORMAL: these tests are not about durability across power loss (the crash tests are, with FULL).
  const open = async () => (await openStore({ kind: 'sqlite', dataDir, synchronous: 'NORMAL' })).store;
  const opened: VaultStore[] = [await open()];
  return {
    store: opened[0]!,
    openAnother: async () => {
      const s = await open();
      opened.push(s);
      return s;
    },
    dispose: async () => {
      for (const s of opened) await s.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
