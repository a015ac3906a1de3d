import { describe, expect, it } from 'vitest';
import { changeProblem, sameSnapshotContent, snapshotProblem } from '../../protocol/sync';
import { createLanguageService } from '../../server/src/service';
import { doc, snapshot } from './vaultFixture';
import { BY_ENV, BY_ENV_CANDIDATES, ENV_SECRETS, withCandidates } from './computedNamesHelpers';

describe('the chosen environment in the sync messages', () => {
  it("accepts 'all' or an environment's name, and nothing else", () => {
    for (const environment of ['all', 'sandbox', 'pre-release', 'live', 'draft', 'pre_release', 'x'.repeat(64)]) {
      expect(snapshotProblem(snapshot({ environment }))).toBeUndefined();
      expect(changeProblem({ kind: 'context', environment })).toBeUndefined();
    }
    for (const environment of ['', 'x'.repeat(65), 'live env', 'live\n', '\u202elive', 5, null]) {
      expect(snapshotProblem({ ...snapshot(), environment })).toBe('bad environment');
      expect(changeProblem({ kind: 'context', environment })).toBe('bad environment');
    }
  });

  it('counts the environment as content (absent is all)', () => {
    expect(sameSnapshotContent(snapshot(), snapshot({ environment: 'all' }))).toBe(true);
    expect(sameSnapshotContent(snapshot(), snapshot({ environment: 'live' }))).toBe(false);
  });
});

describe('the chosen environment in the model', () => {
  it('is all by default, follows snapshots and context changes, and re-checks only documents with computed reads', () => {
    const service = createLanguageService();
    service.load(snapshot({ secrets: ENV_SECRETS }));
    expect(service.model.environment).toBe('all');
    const computed = withCandidates(BY_ENV, BY_ENV_CANDIDATES);
    const literal = doc("def run(conv):\n    return conv.utils.get_secret('x_uat_api')\n");
    expect(service.diagnostics(computed.doc, computed.result)).toHaveLength(1);

    const impact = service.apply([{ kind: 'context', environment: 'sandbox' }]);
    expect(service.model.environment).toBe('sandbox');
    expect(impact).toMatchObject({ changed: true, all: false, environment: true });
    expect(service.affects(impact, computed.doc.uri, computed.result)).toBe(true);
    expect(service.affects(impact, literal.doc.uri, literal.result)).toBe(false);
    // x_prod_api is taken in live only: not reported in sandbox.
    expect(service.diagnostics(computed.doc, computed.result)).toEqual([]);

    // The same environment again changes nothing.
    expect(service.apply([{ kind: 'context', environment: 'sandbox' }]).changed).toBe(false);
    // A later snapshot is applied as its difference, the environment included.
    const back = service.load(snapshot({ secrets: ENV_SECRETS, environment: 'live' }));
    expect(back.environment).toBe(true);
    expect(service.model.environment).toBe('live');
    expect(service.model.toSnapshot(3)?.environment).toBe('live');
    expect(service.diagnostics(computed.doc, computed.result).map((d) => d.message)).toEqual([
      "In live: reads 'x_prod_api', which does not exist in the vault. Did you mean 'x_prod_apis'?",
    ]);
  });

  it("re-checks a computed read when one of its candidates' secrets changes", () => {
    const service = createLanguageService();
    service.load(snapshot({ secrets: ENV_SECRETS }));
    const computed = withCandidates(BY_ENV, BY_ENV_CANDIDATES);
    const revoked = { ...ENV_SECRETS[0]!, agents: [] };
    const impact = service.apply([{ kind: 'secret', secret: revoked }]);
    expect(service.affects(impact, computed.doc.uri, computed.result)).toBe(true);
    expect(service.diagnostics(computed.doc, computed.result).map((d) => d.message)).toContain(
      "In sandbox and pre-release: reads 'x_uat_api', which is not granted to agent 'booking-agent' (no agent has access).",
    );
  });
});
