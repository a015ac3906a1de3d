// What `check` and `snapshot` read from a live vault: each secret's lifecycle fields
// (for secret-expired and rotation-due) and the account's pending access requests (for "access
// requested, pending"), and nothing else of them; a snapshot file carries the lifecycle fields too.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretInfoOf } from '../../protocol/check';
import { fetchMetadata } from '../../vault/src/cli/check';
import { startTestVault, type TestVault } from '../helpers/vault';

let v: TestVault;
let dir: string;
let tokenFile: string;

beforeAll(async () => {
  v = await startTestVault();
  dir = mkdtempSync(path.join(tmpdir(), 'sv-check-meta-'));
  const api = v.api();
  await api.createAgent({ id: 'booking-agent' });
  await api.createSecret({ name: 'old_key', value: 'old-key-value-5d1e', agents: ['booking-agent'], expiresAt: '2020-01-01T00:00:00Z', rotationDays: 30 });
  await api.createSecret({ name: 'plain_key', value: 'plain-value-0c3b' });
  const developer = await api.createUserKey({ name: 'dev', role: 'developer' });
  await v.api(developer.token).createAccessRequest({ secret: 'plain_key', agent: 'booking-agent', reason: 'check' });
  await v.api(developer.token).createAccessRequest({ secret: 'future_key', agent: 'booking-agent' });
  tokenFile = path.join(dir, 'token');
  writeFileSync(tokenFile, developer.token, { mode: 0o600 });
});
afterAll(async () => {
  await v.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('check metadata from a live vault', () => {
  it('carries expiresAt, rotationDays and valueUpdatedAt of each secret, and the pending requests (secret and agent only)', async () => {
    const source = await fetchMetadata({ url: v.url, tokenFile });
    const old = source.metadata.secrets.find((s) => s.name === 'old_key')!;
    const meta = await v.api().getSecret('old_key');
    expect(old).toEqual({
      name: 'old_key',
      description: '',
      kind: 'single',
      keys: [],
      agents: ['booking-agent'],
      updatedAt: meta.updatedAt,
      expiresAt: '2020-01-01T00:00:00.000Z',
      rotationDays: 30,
      valueUpdatedAt: meta.valueUpdatedAt,
    });
    expect(source.metadata.secrets.find((s) => s.name === 'plain_key')).toMatchObject({ expiresAt: null, rotationDays: null });
    expect(source.metadata.pendingAccess).toEqual([
      { secret: 'future_key', agent: 'booking-agent' },
      { secret: 'plain_key', agent: 'booking-agent' },
    ]);
    // Decided requests are not pending.
    const pending = await v.api().listAccessRequests('pending');
    await v.api().denyAccessRequest(pending[0]!.id);
    expect((await fetchMetadata({ url: v.url, tokenFile })).metadata.pendingAccess).toEqual([{ secret: 'plain_key', agent: 'booking-agent' }]);
    expect(JSON.stringify(source)).not.toMatch(/old-key-value|plain-value/);
  });

  it('secretInfoOf keeps well-typed lifecycle fields only (a snapshot file is anyone\'s to edit)', () => {
    const base = { name: 'x', description: '', kind: 'single' as const, keys: [], agents: [] };
    expect(secretInfoOf({ ...base, expiresAt: '2030-01-01T00:00:00.000Z', rotationDays: 7, valueUpdatedAt: '2026-01-01T00:00:00.000Z' })).toEqual({
      ...base,
      expiresAt: '2030-01-01T00:00:00.000Z',
      rotationDays: 7,
      valueUpdatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(secretInfoOf({ ...base, expiresAt: 5, rotationDays: '7', valueUpdatedAt: null } as never)).toEqual(base);
  });
});
