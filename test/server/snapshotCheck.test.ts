import { describe, expect, it } from 'vitest';
import { isVaultSnapshot, snapshotProblem } from '../../server/src/snapshotCheck';
import { snapshot } from './vaultFixture';

describe('snapshot check', () => {
  it('accepts a well-formed snapshot', () => {
    expect(snapshotProblem(snapshot())).toBeUndefined();
    expect(isVaultSnapshot(snapshot({ role: null, connection: 'signed-out', defaultAgent: 'booking-agent' }))).toBe(true);
  });

  it('names what is wrong with a malformed one', () => {
    const base = snapshot();
    const cases: [unknown, string][] = [
      [null, 'not an object'],
      [{ ...base, connection: 'online' }, 'bad connection'],
      [{ ...base, namingStyle: 'camelCase' }, 'bad namingStyle'],
      [{ ...base, role: 'owner' }, 'bad role'],
      [{ ...base, defaultAgent: 3 }, 'bad defaultAgent'],
      [{ ...base, secrets: {} }, 'secrets is not an array'],
      [{ ...base, secrets: [{ ...base.secrets[0], kind: 'map' }] }, 'bad secret entry'],
      [{ ...base, secrets: [{ ...base.secrets[0], agents: [1] }] }, 'bad secret entry'],
      [{ ...base, agents: [{ id: 'a' }] }, 'bad agents'],
      [{ ...base, folders: [{ folderUri: 'file:///w', agent: 1 }] }, 'bad folders'],
    ];
    for (const [value, problem] of cases) expect(snapshotProblem(value)).toBe(problem);
  });
});
