// Shared by the computed-name feature tests: a vault with per-environment secrets, and documents
// whose computed reads carry the candidates the resolver gives them (or, where a test needs exact
// control, candidates written by hand over the same text).

import type { SecretInfo, VaultSnapshot } from '../../protocol/lsp';
import type { NameCandidate, SecretReference } from '../../server/src/service/scan/types';
import { VaultModel } from '../../server/src/service/model/model';
import { doc, snapshot, type Doc } from './vaultFixture';

export const ENV_SECRETS: SecretInfo[] = [
  { name: 'x_uat_api', description: 'X in UAT', kind: 'kv', keys: ['token', 'user'], agents: ['booking-agent'] },
  { name: 'x_prod_apis', description: 'X in production', kind: 'single', keys: [], agents: ['booking-agent'] },
  { name: 'x_new_api', description: 'X, the new API', kind: 'kv', keys: ['token'], agents: ['support-agent'] },
  { name: 'narvar_staging_api', description: '', kind: 'single', keys: [], agents: ['support-agent'] },
  { name: 'narvar_prod_api', description: '', kind: 'single', keys: [], agents: ['booking-agent'] },
];

export function envModel(overrides: Partial<VaultSnapshot> = {}): VaultModel {
  return VaultModel.fromSnapshot(snapshot({ secrets: ENV_SECRETS, ...overrides }));
}

export interface CandidateSpec {
  name: string;
  environments?: string[] | null;
  /** Each test as written in the text, and whether the candidate is taken where it holds. */
  when?: [string, boolean][];
  uri?: string;
}

/**
 * `text`'s first computed read, given `specs` as its candidates: each literal is the first `'name'`
 * in the text, each test the first occurrence of its text.
 */
export function withCandidates(text: string, specs: CandidateSpec[], uri?: string): Doc & { ref: SecretReference } {
  const d = doc(text, uri);
  const ref = d.result.references.find((r) => r.name === null);
  if (!ref) throw new Error('no computed read in the text');
  ref.candidates = specs.map((s): NameCandidate => {
    const single = text.indexOf(`'${s.name}'`);
    let at = single >= 0 ? single : text.indexOf(`"${s.name}"`);
    if (at < 0) throw new Error(`no literal '${s.name}'`);
    const end = at + s.name.length + 2;
    // A string prefix (r'…', f"…") belongs to the literal.
    while (at > 0 && /[rRbBfFuU]/.test(text.charAt(at - 1))) at--;
    return {
      name: s.name,
      literal: { start: at, end },
      ...(s.uri ? { uri: s.uri } : {}),
      when: (s.when ?? []).map(([t, holds]) => {
        const w = text.indexOf(t);
        if (w < 0) throw new Error(`no test ${t}`);
        return { text: t, span: { start: w, end: w + t.length }, holds };
      }),
      environments: s.environments === undefined ? null : s.environments,
    };
  });
  return { ...d, ref };
}

/** A function choosing its secret by conv.env, its result's key read directly. */
export const BY_ENV = `def run(conv):
    if conv.env == 'live':
        name = 'x_prod_api'
    else:
        name = 'x_uat_api'
    return conv.utils.get_secret(name)['token']
`;

export const BY_ENV_CANDIDATES: CandidateSpec[] = [
  { name: 'x_prod_api', environments: ['live'], when: [["conv.env == 'live'", true]] },
  { name: 'x_uat_api', environments: ['sandbox', 'pre-release'], when: [["conv.env == 'live'", false]] },
];
