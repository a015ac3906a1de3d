// The Python shim (standard library only, so it cannot import protocol/) spells conv.env for a run
// as protocol/environments.ts does: each environment, its other spellings and a name of the code's
// own (draft) agree, read by the shim's own normalise_env in a real python3.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalEnvironment, ENVIRONMENTS, environmentSpellings } from '../../protocol/environments';

const SHIM = path.resolve(__dirname, '../../vault/python');

describe('conv.env spellings: the shim and protocol/environments.ts agree', () => {
  it('normalise_env gives canonicalEnvironment for every spelling', () => {
    const inputs = [...ENVIRONMENTS.flatMap((e) => environmentSpellings(e)), 'draft', 'Live'];
    const script = 'import json, sys\nfrom secrets_vault.adk import normalise_env\nprint(json.dumps([normalise_env(a) for a in sys.argv[1:]]))';
    const r = spawnSync('python3', ['-I', '-c', `import sys; sys.path.insert(0, ${JSON.stringify(SHIM)})\n${script}`, ...inputs], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(inputs.map(canonicalEnvironment));
    expect(inputs).toContain('pre_release');
  });
});
