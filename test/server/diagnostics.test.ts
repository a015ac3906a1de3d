import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { computeDiagnostics } from '../../server/src/service/diagnostics';
import { VaultModel } from '../../server/src/service/model';
import { BOOKING, LEGACY, SUPPORT, doc, envSnapshot, model, snapshot, textOf } from './vaultFixture';

function check(text: string, m: VaultModel, uri?: string, languageId?: string) {
  const d = doc(text, uri, languageId);
  return computeDiagnostics(d.doc, d.result, m).map((x: Diagnostic) => ({
    code: x.code,
    severity: x.severity,
    text: textOf(d.doc, x.range),
    message: x.message,
    source: x.source,
  }));
}

const BOOKING_FILE = `from conv import utils

def book(conv):
    """Books a table. conv.utils.get_secret('in_docstring') is not a reference."""
    token = conv.utils.get_secret('opentable_token')
    s = conv.utils.get_secret('strpe_key')
    k = conv.utils.get_secret('stripe_key')
    g = conv.utils.get_secret('google_oauth')
    a = g['client_id']
    b = g['clientid']
    t = conv.utils.get_secret('opentable_token')['x']
    u = conv.utils.get_secret('opentable_token').get('y')
    conv.utils.get_secret('Stripe-Key')
    conv.utils.get_secret(f'{region}_key')
    # conv.utils.get_secret('in_comment')
    return token
`;

describe('diagnostics', () => {
  it('reports every problem of a booking function, each on the name or key it is about', () => {
    const found = check(BOOKING_FILE, model());
    expect(found).toEqual([
      {
        code: 'unknown-secret',
        severity: DiagnosticSeverity.Error,
        text: 'strpe_key',
        message: "Secret 'strpe_key' does not exist in the vault. Did you mean 'stripe_key'?",
        source: 'secrets-vault',
      },
      {
        code: 'not-granted',
        severity: DiagnosticSeverity.Error,
        text: 'stripe_key',
        message: "Secret 'stripe_key' is not granted to agent 'booking-agent' (granted to: billing-agent).",
        source: 'secrets-vault',
      },
      {
        code: 'unknown-key',
        severity: DiagnosticSeverity.Error,
        text: 'clientid',
        message: "Secret 'google_oauth' has no key 'clientid' (its keys: 'client_id', 'client_secret'). Did you mean 'client_id'?",
        source: 'secrets-vault',
      },
      {
        code: 'not-a-mapping',
        severity: DiagnosticSeverity.Error,
        text: 'x',
        message: "Secret 'opentable_token' is a single value: get_secret returns a str, so ['x'] fails at run time.",
        source: 'secrets-vault',
      },
      {
        code: 'not-a-mapping',
        severity: DiagnosticSeverity.Error,
        text: 'y',
        message: "Secret 'opentable_token' is a single value: get_secret returns a str, so .get('y') fails at run time.",
        source: 'secrets-vault',
      },
      {
        code: 'invalid-name',
        severity: DiagnosticSeverity.Error,
        text: 'Stripe-Key',
        message:
          "Invalid secret name 'Stripe-Key': Use a lower-case letter, then lower-case letters, digits or underscores (for example stripe_api_key).",
        source: 'secrets-vault',
      },
      {
        code: 'dynamic-name',
        severity: DiagnosticSeverity.Information,
        text: "f'{region}_key'",
        message:
          "The secret name is computed at run time, so it cannot be checked against the vault. Use a literal name, for example get_secret('stripe_api_key').",
        source: 'secrets-vault',
      },
    ]);
  });

  it('finds nothing in a correct function', () => {
    const text = `def f(conv):
    g = conv.utils.get_secret('google_oauth')
    return g['client_id'], g.get('client_secret'), conv.utils.get_secret(name='sendgrid_api_key')
`;
    expect(check(text, model())).toEqual([]);
  });

  it('gives no did-you-mean when nothing is close', () => {
    const [d] = check("conv.utils.get_secret('salesforce_password')\n", model());
    expect(d?.message).toBe("Secret 'salesforce_password' does not exist in the vault.");
  });

  it('says when no agent has access, and shortens long access lists', () => {
    const found = check("conv.utils.get_secret('twilio_auth')\nconv.utils.get_secret('webhook_signing_key')\n", model());
    expect(found.map((d) => d.message)).toEqual([
      "Secret 'twilio_auth' is not granted to agent 'booking-agent' (no agent has access).",
      "Secret 'webhook_signing_key' is not granted to agent 'booking-agent' (granted to: a1-agent, a2-agent, a3-agent, a4-agent, a5-agent and 2 more).",
    ]);
  });

  it('checks access for the agent of the innermost workspace folder, else the default agent', () => {
    const text = "conv.utils.get_secret('sendgrid_api_key')\nconv.utils.get_secret('zendesk')\n";
    const codes = (uri: string, m = model()) => check(text, m, uri).map((d) => `${d.code}:${d.text}`);
    expect(codes(`${BOOKING}/a.py`)).toEqual(['not-granted:zendesk']);
    expect(codes(`${SUPPORT}/deep/b.py`)).toEqual([]);
    // The legacy folder sits inside the booking folder and has no agent: no access checks at all.
    expect(codes(`${LEGACY}/c.py`)).toEqual([]);
    // A sibling whose name only starts like a folder is not inside it.
    expect(codes('file:///work/booking-old/d.py')).toEqual([]);
    expect(codes('file:///work/booking-old/d.py', model({ defaultAgent: 'billing-agent' }))).toEqual([
      'not-granted:sendgrid_api_key',
      'not-granted:zendesk',
    ]);
  });

  it('still reports unknown secrets and key problems when no agent is chosen', () => {
    const text = "conv.utils.get_secret('nope_key')\nconv.utils.get_secret('google_oauth')['nope']\nconv.utils.get_secret('stripe_key')\n";
    expect(check(text, model(), `${LEGACY}/c.py`).map((d) => d.code)).toEqual(['unknown-secret', 'unknown-key']);
  });

  it('signed out, unreachable or before any snapshot: only the checks that need no vault', () => {
    const text = "conv.utils.get_secret('strpe_key')\nconv.utils.get_secret('stripe_key')\nconv.utils.get_secret('Bad-Name')\nconv.utils.get_secret(name)\n";
    for (const m of [model({ connection: 'signed-out', role: null }), model({ connection: 'unreachable' }), VaultModel.empty]) {
      expect(check(text, m).map((d) => d.code)).toEqual(['invalid-name', 'dynamic-name']);
    }
  });

  it('before any snapshot the naming style is unknown, so either style passes', () => {
    expect(check("conv.utils.get_secret('STRIPE_KEY')\nconv.utils.get_secret('stripe_key')\n", VaultModel.empty)).toEqual([]);
    const [d] = check("conv.utils.get_secret('stripe key')\n", VaultModel.empty);
    expect(d?.message).toBe(
      "Invalid secret name 'stripe key': A secret name is a letter, then letters, digits or underscores, all in one case (for example stripe_api_key).",
    );
  });

  it('reports an empty name as invalid but stays quiet while a name is being typed', () => {
    expect(check("conv.utils.get_secret('')\n", model()).map((d) => d.message)).toEqual(["Invalid secret name '': A secret name cannot be empty."]);
    expect(check("x = conv.utils.get_secret('strpe\n", model())).toEqual([]);
    expect(check('x = conv.utils.get_secret(\n', model())).toEqual([]);
  });

  it('places ranges right in a file with CRLF line ends and non-ASCII text before the reference', () => {
    const text = '# Réservation — 予約\r\ndef f(conv):\r\n    k = conv.utils.get_secret("stripe_key")  # 💳\r\n    return conv.utils.get_secret("strpe_key")\r\n';
    const d = doc(text);
    const found = computeDiagnostics(d.doc, d.result, model());
    expect(found.map((x) => [x.code, x.range.start.line, x.range.start.character, textOf(d.doc, x.range)])).toEqual([
      ['not-granted', 2, 31, 'stripe_key'],
      ['unknown-secret', 3, 34, 'strpe_key'],
    ]);
  });

  it('ignores environment reads in a snake_case account', () => {
    const text = "import os\nos.environ['NOPE_TOKEN']\nos.getenv('STRIPE_KEY')\nos.environ.get(name)\n";
    expect(check(text, model())).toEqual([]);
    expect(check('const a = process.env.NOPE_TOKEN;\n', model(), `${BOOKING}/a.ts`, 'typescript')).toEqual([]);
  });

  describe('in an environment-style account', () => {
    const env = VaultModel.fromSnapshot(envSnapshot());

    it('checks os.environ, os.getenv and get_secret alike', () => {
      const text = `import os
a = os.environ['X_BEARER_TOKEN']
b = os.environ.get('STRIPE_API_KEY')
c = os.getenv('X_BEARER_TOKN')
d = os.environ['PATH']
e = conv.utils.get_secret('x_bearer_token')
f = os.environ[name]
`;
      expect(check(text, env).map((d) => `${d.code}:${d.text}`)).toEqual([
        'not-granted:STRIPE_API_KEY',
        'unknown-secret:X_BEARER_TOKN',
        'invalid-name:x_bearer_token',
        "dynamic-name:name",
      ]);
      expect(check(text, env)[2]?.message).toBe(
        "Invalid secret name 'x_bearer_token': This account uses environment-style names: did you mean 'X_BEARER_TOKEN'?",
      );
    });

    it('checks process.env in JavaScript and TypeScript', () => {
      const text = "const a = process.env.X_BEARER_TOKEN;\nconst b = process.env['STRIPE_API_KEY'];\nconst c = process.env.NODE_ENV;\nconst d = process.env.MISSING_TOKEN;\n";
      for (const [uri, lang] of [[`${BOOKING}/a.js`, 'javascript'], [`${BOOKING}/a.tsx`, 'typescriptreact']] as const) {
        expect(check(text, env, uri, lang).map((d) => `${d.code}:${d.text}`)).toEqual([
          'not-granted:STRIPE_API_KEY',
          'unknown-secret:MISSING_TOKEN',
        ]);
      }
    });
  });

  it('holds no value anywhere: every message is built from names, keys and agents only', () => {
    // The snapshot type has no value field; a stray one must not leak into messages either.
    const poisoned = snapshot({
      secrets: snapshot().secrets.map((s) => ({ ...s, value: 'sk_live_SHOULD_NOT_APPEAR' }) as typeof s),
    });
    const found = check(BOOKING_FILE, VaultModel.fromSnapshot(poisoned));
    expect(found.length).toBeGreaterThan(5);
    expect(JSON.stringify(found)).not.toContain('sk_live_SHOULD_NOT_APPEAR');
  });
});
