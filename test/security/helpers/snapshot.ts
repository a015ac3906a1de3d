// The stored state of one account, read straight from SQLite: what a refused request must leave
// exactly as it was (sealed bytes included, so a value cannot change behind an unchanged version).

import type { Vault } from '../../../vault/src/vault';
import { sqliteStore } from '../../helpers/sqliteStore';

export function accountSnapshot(vault: Vault, accountId: string): string {
  const db = sqliteStore(vault.store).db;
  return JSON.stringify([
    db.prepare('SELECT name, description, kind, keys, version, key_id, hex(nonce), hex(ciphertext) FROM secrets WHERE account_id = ? ORDER BY name').all(accountId),
    db.prepare('SELECT secret_name, agent_id FROM grants WHERE account_id = ? ORDER BY 1, 2').all(accountId),
    db.prepare('SELECT id, name, description FROM agents WHERE account_id = ? ORDER BY id').all(accountId),
    db.prepare('SELECT id, kind, role, revoked_at FROM tokens WHERE account_id = ? ORDER BY id').all(accountId),
    // Kept values (their bytes too), the settings, access requests.
    db.prepare('SELECT secret_name, value_version, key_id, hex(nonce), hex(ciphertext) FROM secret_versions WHERE account_id = ? ORDER BY 1, 2').all(accountId),
    db.prepare('SELECT local_runs, versions_kept FROM accounts WHERE id = ?').all(accountId),
    db.prepare('SELECT id, secret_name, agent_id, status, decided_by FROM access_requests WHERE account_id = ? ORDER BY n').all(accountId),
  ]);
}
