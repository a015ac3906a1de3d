import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { computeDiagnostics, nameProblem } from '../../server/src/service/features/diagnostics';
import { textOf } from './vaultFixture';
import { BY_ENV, BY_ENV_CANDIDATES, envModel, withCandidates } from './computedNamesHelpers';

function summary(d: ReturnType<typeof withCandidates>, found: Diagnostic[]) {
  return found.map((x) => ({
    code: x.code,
    severity: x.severity,
    text: textOf(d.doc, x.range),
    message: x.message,
    related: (x.relatedInformation ?? []).map((r) => `${textOf(d.doc, r.location.range)}: ${r.message}`),
  }));
}

describe('computed names: a diagnostic per candidate', () => {
  it('names the environment each failing candidate is taken in, on the read, pointing at the literal and the test', () => {
    const d = withCandidates(BY_ENV, BY_ENV_CANDIDATES);
    const found = computeDiagnostics(d.doc, d.result, envModel());
    expect(summary(d, found)).toEqual([
      {
        code: 'unknown-secret',
        severity: DiagnosticSeverity.Error,
        text: 'name',
        message: "In live: reads 'x_prod_api', which does not exist in the vault. Did you mean 'x_prod_apis'?",
        related: ["'x_prod_api': 'x_prod_api' is chosen here", "conv.env == 'live': taken when conv.env == 'live'"],
      },
    ]);
    // The key is read from both candidates' results: x_uat_api has it; x_prod_api is unknown, nothing more to say.
    expect(found[0]!.data).toMatchObject({ name: 'x_prod_api', candidate: { uri: d.doc.uri, opening: "'" } });
  });

  it('checks keys against every candidate that may reach them', () => {
    const text = BY_ENV.replace("['token']", "['secret']").replace("'x_prod_api'", "'x_prod_apis'");
    const d2 = withCandidates(text, [
      { name: 'x_prod_apis', environments: ['live'], when: [["conv.env == 'live'", true]] },
      { name: 'x_uat_api', environments: ['sandbox', 'pre-release'], when: [["conv.env == 'live'", false]] },
    ]);
    const found = summary(d2, computeDiagnostics(d2.doc, d2.result, envModel()));
    expect(found.map((f) => [f.code, f.text, f.message])).toEqual([
      ['not-a-mapping', 'secret', "In live: reads 'x_prod_apis', a single value: get_secret returns a str, so ['secret'] fails at run time."],
      ['unknown-key', 'secret', "In sandbox and pre-release: reads 'x_uat_api', which has no key 'secret' (its keys: 'token', 'user')."],
    ]);
  });

  it('reports only the candidates taken in the chosen environment', () => {
    const text = BY_ENV.replace("'x_uat_api'", "'narvar_staging_api'").replace("['token']", '');
    const specs = [
      { name: 'x_prod_api', environments: ['live'], when: [["conv.env == 'live'", true]] as [string, boolean][] },
      { name: 'narvar_staging_api', environments: ['sandbox', 'pre-release'], when: [["conv.env == 'live'", false]] as [string, boolean][] },
    ];
    const codes = (environment: string) => {
      const d = withCandidates(text, specs);
      return computeDiagnostics(d.doc, d.result, envModel({ environment })).map((x) => x.message);
    };
    expect(codes('all')).toEqual([
      "In live: reads 'x_prod_api', which does not exist in the vault. Did you mean 'x_prod_apis'?",
      "In sandbox and pre-release: reads 'narvar_staging_api', which is not granted to agent 'booking-agent' (granted to: support-agent).",
    ]);
    expect(codes('live')).toEqual(["In live: reads 'x_prod_api', which does not exist in the vault. Did you mean 'x_prod_apis'?"]);
    expect(codes('sandbox')).toEqual([
      "In sandbox and pre-release: reads 'narvar_staging_api', which is not granted to agent 'booking-agent' (granted to: support-agent).",
    ]);
    expect(codes('pre_release')).toEqual(codes('pre-release'));
    expect(codes('pre_release')).toHaveLength(1);
    expect(codes('draft')).toEqual([]);
  });

  it('labels a choice on anything else with its condition, and a choice on nothing with "May read"', () => {
    const text = `def run(conv):
    name = 'x_new_api' if conv.state.get('new_api') else 'narvar_staging_api'
    return conv.utils.get_secret(name)
`;
    const d = withCandidates(text, [
      { name: 'x_new_api', when: [["conv.state.get('new_api')", true]] },
      { name: 'narvar_staging_api', when: [["conv.state.get('new_api')", false]] },
    ]);
    expect(summary(d, computeDiagnostics(d.doc, d.result, envModel())).map((f) => [f.message, f.related])).toEqual([
      [
        "When conv.state.get('new_api') holds: may read 'x_new_api', which is not granted to agent 'booking-agent' (granted to: support-agent).",
        ["'x_new_api': 'x_new_api' is chosen here", "conv.state.get('new_api'): taken when conv.state.get('new_api')"],
      ],
      [
        "When conv.state.get('new_api') does not hold: may read 'narvar_staging_api', which is not granted to agent 'booking-agent' (granted to: support-agent).",
        ["'narvar_staging_api': 'narvar_staging_api' is chosen here", "conv.state.get('new_api'): taken when conv.state.get('new_api') does not hold"],
      ],
    ]);
    const constant = `NAME = 'narvar_staging_api'\n\ndef run(conv):\n    return conv.utils.get_secret(NAME)\n`;
    const c = withCandidates(constant, [{ name: 'narvar_staging_api' }]);
    expect(computeDiagnostics(c.doc, c.result, envModel()).map((x) => x.message)).toEqual([
      "May read 'narvar_staging_api', which is not granted to agent 'booking-agent' (granted to: support-agent).",
    ]);
  });

  it('says nothing about a resolved read whose every candidate passes', () => {
    const text = BY_ENV.replace("'x_prod_api'", "'x_prod_apis'").replace("['token']", '');
    const d = withCandidates(text, [
      { name: 'x_prod_apis', environments: ['live'] },
      { name: 'x_uat_api', environments: ['sandbox', 'pre-release'] },
    ]);
    expect(computeDiagnostics(d.doc, d.result, envModel())).toEqual([]);
  });

  it('gives invalid, off-convention, expired and pending candidates the checks a literal gets', () => {
    const text = `def run(conv):
    name = 'X-Prod Api' if conv.env == 'live' else 'narvar_prod_api'
    return conv.utils.get_secret(name)
`;
    const d = withCandidates(text, [
      { name: 'X-Prod Api', environments: ['live'] },
      { name: 'narvar_prod_api', environments: ['sandbox'] },
    ]);
    const secrets = [
      { name: 'X-Prod Api', description: '', kind: 'single' as const, keys: [], agents: ['booking-agent'] },
      { name: 'narvar_prod_api', description: '', kind: 'single' as const, keys: [], agents: ['booking-agent'], expiresAt: '2026-01-01T00:00:00.000Z' },
    ];
    const found = computeDiagnostics(d.doc, d.result, envModel({ secrets }), Date.parse('2026-06-01T00:00:00Z')).map((x) => [x.code, x.message]);
    expect(found).toEqual([
      ['naming-convention', "In live: reads 'X-Prod Api', which does not follow this account's naming convention (snake_case): 'x_prod_api' would. The vault accepts it as it is; to follow the convention, rename the secret in the vault and its reads together."],
      ['secret-expired', "In sandbox: reads 'narvar_prod_api', which expired on 2026-01-01: run-time reads are refused. Set a new value and move or clear its expiry."],
    ]);
    const pending = computeDiagnostics(d.doc, d.result, envModel({ pendingAccess: [{ secret: 'X-Prod Api', agent: 'booking-agent' }], secrets: [] })).map((x) => x.message);
    expect(pending).toEqual([
      "In live: reads 'X-Prod Api', which does not exist in the vault yet: access requested, pending.",
      "In sandbox: reads 'narvar_prod_api', which does not exist in the vault.",
    ]);
    const long = 'x'.repeat(129);
    const invalid = withCandidates(text.replace("'X-Prod Api'", `'${long}'`), [{ name: long, environments: ['live'] }]);
    expect(computeDiagnostics(invalid.doc, invalid.result, envModel()).map((x) => [x.code, x.message])).toEqual([
      ['invalid-name', `In live: reads '${long}', which is not a valid secret name: ${nameProblem(long, 'snake_case')}`],
    ]);
  });

  it('never quotes a candidate that is a credential', () => {
    const key = ['sk', 'live', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4'].join('_');
    const text = `def run(conv):\n    name = '${key}' if conv.env == 'live' else 'x_uat_api'\n    return conv.utils.get_secret(name)\n`;
    const d = withCandidates(text, [
      { name: key, environments: ['live'] },
      { name: 'x_uat_api', environments: ['sandbox'] },
    ]);
    for (const x of computeDiagnostics(d.doc, d.result, envModel())) {
      expect(x.message).not.toContain(key);
      expect(JSON.stringify(x.data ?? null)).not.toContain(key);
      expect(JSON.stringify(x.relatedInformation ?? null)).not.toContain(key);
    }
  });

  it('names the part a computed name does not resolve through, escaped', () => {
    const text = "def run(conv):\n    return conv.utils.get_secret(conv.state['api\u202e'])\n";
    const e = withCandidatesUnresolved(text);
    const found = computeDiagnostics(e.doc, e.result, envModel());
    expect(found.map((x) => [x.code, x.message])).toEqual([
      [
        'dynamic-name',
        "The secret name is computed at run time from `conv.state['api\\u202e']`, which the editor cannot follow, so it cannot be checked against the vault. Use a literal name, for example get_secret('stripe_api_key'), or choose among literal names.",
      ],
    ]);
  });
});

function withCandidatesUnresolved(text: string) {
  const d = withCandidates(text, []);
  delete d.ref.candidates;
  const part = "conv.state['api\u202e']";
  const at = text.indexOf(part);
  d.ref.unresolved = { text: part, span: { start: at, end: at + part.length } };
  return d;
}
