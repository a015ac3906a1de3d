import { describe, expect, it } from 'vitest';
import { deltaProblem, isMetadataDelta, isVaultSnapshot, keyMarksOf, sameSecret, sameSnapshotContent, snapshotProblem } from '../../protocol/sync';
import { secretInfoOf } from '../../protocol/check';
import { secretInfo } from '../../client/src/core/snapshot';
import { parseWorkspaceConfig } from '../../protocol/guards';
import { snapshot } from './vaultFixture';

describe('snapshot check', () => {
  it('accepts a well-formed snapshot', () => {
    expect(snapshotProblem(snapshot())).toBeUndefined();
    expect(isVaultSnapshot(snapshot({ role: null, connection: 'signed-out', defaultAgent: 'booking-agent' }))).toBe(true);
    expect(isVaultSnapshot(snapshot({ connection: 'unreachable', stale: { since: '2026-11-22T10:00:00.000Z' } }))).toBe(true);
  });

  it('names what is wrong with a malformed one', () => {
    const base = snapshot();
    const cases: [unknown, string][] = [
      [null, 'not an object'],
      [[], 'not an object'],
      [{ ...base, revision: -1 }, 'bad revision'],
      [{ ...base, revision: 1.5 }, 'bad revision'],
      [{ ...base, revision: undefined }, 'bad revision'],
      [{ ...base, connection: 'online' }, 'bad connection'],
      [{ ...base, namingStyle: 'camelCase' }, 'bad namingStyle'],
      [{ ...base, role: 'owner' }, 'bad role'],
      [{ ...base, defaultAgent: 3 }, 'bad defaultAgent'],
      [{ ...base, secrets: {} }, 'secrets is not an array'],
      [{ ...base, secrets: [{ ...base.secrets[0], kind: 'map' }] }, 'bad secret entry'],
      [{ ...base, secrets: [{ ...base.secrets[0], agents: [1] }] }, 'bad secret entry'],
      [{ ...base, agents: [{ id: 'a' }] }, 'bad agents'],
      [{ ...base, folders: [{ folderUri: 'file:///w', agent: 1 }] }, 'bad folders'],
      [{ ...base, stale: undefined }, 'bad stale'],
      [{ ...base, stale: { since: 5 } }, 'bad stale'],
    ];
    for (const [value, problem] of cases) expect(snapshotProblem(value)).toBe(problem);
  });

  it('compares content whatever the revision and the order of secrets and agents', () => {
    const a = snapshot();
    const b = snapshot({ revision: 9, secrets: [...a.secrets].reverse(), agents: [...a.agents].reverse() });
    expect(sameSnapshotContent(a, b)).toBe(true);
    const changed = a.secrets.map((s, i) => (i === 2 ? { ...s, agents: [...s.agents, 'x-agent'] } : s));
    expect(sameSnapshotContent(a, snapshot({ secrets: changed }))).toBe(false);
    expect(sameSnapshotContent(a, snapshot({ stale: { since: '2026-11-22T10:00:00.000Z' } }))).toBe(false);
    expect(sameSnapshotContent(a, snapshot({ folders: [] }))).toBe(false);
    // A duplicate name must not make two different lists look equal.
    const dup = snapshot({ secrets: [a.secrets[0]!, a.secrets[0]!, ...a.secrets.slice(2)] });
    expect(sameSnapshotContent(dup, a)).toBe(false);
  });
});

describe("a secret's marks on its keys", () => {
  const kv = { name: 'oms_api', description: '', kind: 'kv' as const, keys: ['BASE_URL', 'API_KEY'], agents: [] };

  it('travel in a snapshot when well-typed; a mark that is neither is a bad entry', () => {
    expect(snapshotProblem(snapshot({ secrets: [{ ...kv, keySensitivity: { BASE_URL: 'sensitive' } }] }))).toBeUndefined();
    expect(snapshotProblem(snapshot({ secrets: [{ ...kv, keySensitivity: { BASE_URL: 'maybe' } } as never] }))).toBe('bad secret entry');
    expect(snapshotProblem(snapshot({ secrets: [{ ...kv, keySensitivity: ['BASE_URL'] } as never] }))).toBe('bad secret entry');
  });

  it('count as metadata: a change of a mark is a change, their order and absent-or-empty are not', () => {
    expect(sameSecret({ ...kv, keySensitivity: { BASE_URL: 'sensitive' } }, kv)).toBe(false);
    expect(sameSecret({ ...kv, keySensitivity: { BASE_URL: 'sensitive' } }, { ...kv, keySensitivity: { BASE_URL: 'not-sensitive' } })).toBe(false);
    expect(sameSecret({ ...kv, keySensitivity: { A: 'sensitive', B: 'not-sensitive' } }, { ...kv, keySensitivity: { B: 'not-sensitive', A: 'sensitive' } })).toBe(true);
    expect(sameSecret({ ...kv, keySensitivity: {} }, kv)).toBe(true);
  });

  it('are copied, sorted, by the client, the snapshot file and the check; a badly typed set is dropped', () => {
    const marks = { REGION: 'not-sensitive', BASE_URL: 'sensitive' } as const;
    expect(keyMarksOf(marks)).toEqual({ BASE_URL: 'sensitive', REGION: 'not-sensitive' });
    expect(keyMarksOf({})).toBeUndefined();
    expect(keyMarksOf({ BASE_URL: true })).toBeUndefined();
    expect(secretInfoOf({ ...kv, keySensitivity: marks }).keySensitivity).toEqual({ BASE_URL: 'sensitive', REGION: 'not-sensitive' });
    expect('keySensitivity' in secretInfoOf({ ...kv, keySensitivity: { BASE_URL: 'yes' } } as never)).toBe(false);
    const metadata = { ...kv, version: 1, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', updatedBy: 'a', keySensitivity: marks };
    expect(secretInfo(metadata as never).keySensitivity).toEqual({ BASE_URL: 'sensitive', REGION: 'not-sensitive' });
  });
});

describe('delta check', () => {
  const secret = snapshot().secrets[0]!;
  it('accepts every kind of change', () => {
    expect(
      deltaProblem({
        baseRevision: 1,
        revision: 2,
        changes: [
          { kind: 'secret', secret },
          { kind: 'secretDeleted', name: 'x' },
          { kind: 'agent', agent: { id: 'a', name: 'A' } },
          { kind: 'agentDeleted', id: 'a' },
          { kind: 'context', role: null, namingStyle: 'UPPER_CASE', folders: [], defaultAgent: null, stale: null, connection: 'unreachable' },
          { kind: 'context' },
        ],
      }),
    ).toBeUndefined();
  });

  it('names what is wrong', () => {
    const cases: [unknown, string][] = [
      ['x', 'not an object'],
      [{ revision: 2, changes: [] }, 'bad baseRevision'],
      [{ baseRevision: 1, revision: '2', changes: [] }, 'bad revision'],
      [{ baseRevision: 1, revision: 2, changes: {} }, 'changes is not an array'],
      [{ baseRevision: 1, revision: 2, changes: [null] }, 'change 0: change is not an object'],
      [{ baseRevision: 1, revision: 2, changes: [{ kind: 'secret', secret: { name: 'x' } }] }, 'change 0: bad secret'],
      [{ baseRevision: 1, revision: 2, changes: [{ kind: 'secretDeleted' }] }, 'change 0: bad secret name'],
      [{ baseRevision: 1, revision: 2, changes: [{ kind: 'agent', agent: { id: 1 } }] }, 'change 0: bad agent'],
      [{ baseRevision: 1, revision: 2, changes: [{ kind: 'agentDeleted', id: null }] }, 'change 0: bad agent id'],
      [{ baseRevision: 1, revision: 2, changes: [{ kind: 'context' }, { kind: 'context', role: 'owner' }] }, 'change 1: bad role'],
      [{ baseRevision: 1, revision: 2, changes: [{ kind: 'context', folders: [{}] }] }, 'change 0: bad folders'],
      [{ baseRevision: 1, revision: 2, changes: [{ kind: 'context', stale: 'yes' }] }, 'change 0: bad stale'],
      [{ baseRevision: 1, revision: 2, changes: [{ kind: 'rename' }] }, 'change 0: unknown change kind'],
    ];
    for (const [value, problem] of cases) expect(deltaProblem(value)).toBe(problem);
    expect(isMetadataDelta({ baseRevision: 0, revision: 1, changes: [] })).toBe(true);
  });
});

describe('secrets-vault.json', () => {
  it('reads the fields it knows and says why others were dropped', () => {
    expect(parseWorkspaceConfig('{"vault":"http://127.0.0.1:1","agent":"a","x":1}', 'f.json')).toEqual({ config: { vault: 'http://127.0.0.1:1', agent: 'a' } });
    expect(parseWorkspaceConfig('{', 'f.json')).toEqual({ problem: 'f.json is not valid JSON; ignored.' });
    expect(parseWorkspaceConfig('[]', 'f.json').problem).toMatch(/must hold an object/);
    expect(parseWorkspaceConfig('{"agent":3}', 'f.json')).toEqual({ config: {}, problem: 'f.json: "agent" must be a string; ignored those.' });
  });
});
