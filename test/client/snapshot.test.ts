import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../client/src/core/snapshot';
import { snapshotProblem } from '../../protocol/sync';
import { VaultConnection } from '../../client/src/vault/connection';
import { seedDemo } from '../../vault/src/demo';
import { startTestVault, type TestVault } from '../helpers/vault';
import { waitFor } from './wait';

describe('the snapshot for the language server', () => {
  let tv: TestVault;
  let conn: VaultConnection;
  const values: string[] = [];
  beforeAll(async () => {
    tv = await startTestVault();
    const api = tv.api();
    await seedDemo(api, 'snake_case');
    await api.createSecret({ name: 'probe', value: { user: 'VALUE-USER-123', pass: 'VALUE-PASS-456' }, agents: ['PROJECT-BK7QF2MA'] });
    values.push('VALUE-USER-123', 'VALUE-PASS-456');
    conn = new VaultConnection({ url: tv.url, token: tv.adminKey });
    await conn.start();
    await waitFor(() => conn.state.state === 'connected', 'connected');
  });
  afterAll(async () => {
    await conn.dispose();
    await tv.stop();
  });

  const folders = [{ folderUri: 'file:///work/a', agent: 'PROJECT-BK7QF2MA' }];

  it('carries the metadata, role, style and folder agents, in the shape the server accepts, with no value', () => {
    const snapshot = buildSnapshot({
      state: conn.state.state,
      namingStyle: conn.namingStyle,
      role: conn.role,
      secrets: conn.metadata.secrets,
      agents: conn.metadata.agents,
      folders,
      defaultAgent: 'PROJECT-BK7QF2MA',
    });
    expect(snapshotProblem(snapshot)).toBeUndefined();
    expect(snapshot).toMatchObject({ connection: 'connected', namingStyle: 'snake_case', role: 'admin', defaultAgent: 'PROJECT-BK7QF2MA', folders });
    expect(snapshot.secrets.find((s) => s.name === 'probe')).toEqual({
      name: 'probe',
      description: '',
      kind: 'kv',
      keys: ['pass', 'user'],
      agents: ['PROJECT-BK7QF2MA'],
      updatedAt: expect.any(String),
      // A secret's life: for secret-expired, rotation-due and the hovers.
      expiresAt: null,
      rotationDays: null,
      valueUpdatedAt: expect.any(String),
      valueUpdatedBy: expect.any(String),
    });
    expect(snapshot.agents.map((a) => a.id)).toEqual(['PROJECT-BK7QF2MA', 'PROJECT-BL8NX3RC', 'PROJECT-SP4TK9WD']);
    const json = JSON.stringify(snapshot);
    for (const v of values) expect(json).not.toContain(v);
  });

  it('keeps the last metadata while unreachable, and drops it and the role when signed out', () => {
    const base = { namingStyle: conn.namingStyle, role: conn.role, secrets: conn.metadata.secrets, agents: conn.metadata.agents, folders, defaultAgent: null };
    const unreachable = buildSnapshot({ ...base, state: 'unreachable' });
    expect(unreachable.connection).toBe('unreachable');
    expect(unreachable.secrets.length).toBe(conn.metadata.secrets.length);
    expect(unreachable.role).toBeNull();
    for (const state of ['signed-out', 'unauthorized', 'forbidden'] as const) {
      const s = buildSnapshot({ ...base, state });
      expect(s).toMatchObject({ connection: 'signed-out', role: null, secrets: [], agents: [] });
      expect(snapshotProblem(s)).toBeUndefined();
    }
  });
});
