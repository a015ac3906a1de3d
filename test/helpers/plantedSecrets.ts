// Secrets an environment-style (UPPER_CASE) account refuses today (400 process_control_name), planted
// in a test vault's SQLite store as an account whose secrets predate the rule holds them: created
// while the account is snake_case, then the account is made UPPER_CASE in its store.

import Database from 'better-sqlite3';
import path from 'node:path';
import { expect } from 'vitest';
import type { TestVault } from './vault';

/** Creates each of `secrets` (name → value) granted to `agent` in `v` (started with naming 'snake_case'), then makes the account UPPER_CASE. */
export async function plantInUpperCaseAccount(v: TestVault, agent: string, secrets: Record<string, string>): Promise<void> {
  const api = v.api();
  await api.createAgent({ id: agent });
  for (const [name, value] of Object.entries(secrets)) await api.createSecret({ name, value, agents: [agent] });
  const db = new Database(path.join(v.dataDir, 'vault.db'));
  db.prepare("UPDATE accounts SET naming_style = 'UPPER_CASE'").run();
  db.close();
  expect((await api.accountSettings()).namingStyle).toBe('UPPER_CASE');
}
