// The conformance suite against the PostgreSQL store, made as the vault makes it (the factory, from
// configuration), on a fresh database of the run's real PostgreSQL cluster per test. "Another
// instance" is a second PostgresStore on the same database: another replica.

import { openStore } from '../../../vault/src/store/index';
import type { VaultStore } from '../../../vault/src/store/types';
import { pgDatabase } from '../../helpers/pg';
import { describeStoreConformance } from './conformance';

describeStoreConformance('postgres', async () => {
  const url = await pgDatabase();
  const open = async () => (await openStore({ kind: 'postgres', url, poolSize: 4 })).store;
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
    },
  };
});
