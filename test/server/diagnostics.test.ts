import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { VaultModel } from '../../server/src/service/model/model';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { scan } from '../../server/src/service/analyze';
import { BOOKING, LEGACY, SNAKE_SECRETS, SUPPORT, doc, envSnapshot, model, snapshot, textOf } from './vaultFixture';

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
      // A valid name off the convention that the vault lacks: unknown, with the near name.
      {
        code: 'unknown-secret',
        severity: DiagnosticSeverity.Error,
        text: 'Stripe-Key',
        message: "Secret 'Stripe-Key' does not exist in the vault. Did you mean 'stripe_key'?",
        source: 'secrets-vault',
      },
      {
        code: 'dynamic-name',
        severity: DiagnosticSeverity.Information,
        text: "f'{region}_key'",
        message:
          "The secret name is computed at run time from `region`, which the editor cannot follow, so it cannot be checked against the vault. Use a literal name, for example get_secret('stripe_api_key'), or choose among literal names.",
        source: 'secrets-vault',
      },
    ]);
  });

  it("checks the name an open parameter's default shows, and says that callers outside may pass others", () => {
    const text = `def charge(conv, name='stripe_kee'):
    return conv.utils.get_secret(name)
`;
    const found = check(text, model());
    expect(found.map((d) => [d.code, d.severity])).toEqual([
      ['unknown-secret', DiagnosticSeverity.Error],
      ['dynamic-name', DiagnosticSeverity.Information],
    ]);
    expect(found[0]!.message).toContain("'stripe_kee'");
    expect(found[1]).toMatchObject({
      text: 'name',
      message: 'The secret name comes from `name`, a parameter that callers outside this file (another module, the platform) may pass other names to: only the names this file shows are checked.',
    });
  });

  it("says a parameter of an ADK resource function is the platform's to pass, whatever its default", () => {
    const text = `from _gen import *  # <AUTO GENERATED>


def lookup_order(conv, flow, secret='stripe_key'):
    return conv.utils.get_secret(secret)
`;
    const d = TextDocument.create(`${BOOKING}/flows/Orders/functions/lookup_order.py`, 'python', 1, text);
    const found = computeDiagnostics(d, scan(text, 'python', Object.assign(() => undefined, { platformFunction: 'lookup_order' })), model());
    expect(found.map((x) => [x.code, textOf(d, x.range), x.message])).toEqual([
      [
        'dynamic-name',
        'secret',
        "The secret name comes from `secret`, a parameter of `lookup_order`, the function Agent Studio calls: the platform passes it at run time, so it cannot be checked against the vault. Use a literal name, for example get_secret('stripe_api_key'), or choose among literal names in the function.",
      ],
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

  it('a computed key whose values are known is checked: each it may take, at the key; not where the code tests for it', () => {
    const keyed = (body: string) => check(`KEY = "client_secert"\n\ndef f(conv):\n    creds = conv.utils.get_secret('google_oauth')\n${body.replace(/^/gm, '    ')}\n`, model()).map((d) => `${d.code}:${d.text}:${d.message}`);
    const misspelt = "unknown-key:k:Secret 'google_oauth' has no key 'client_secert' (its keys: 'client_id', 'client_secret'). Did you mean 'client_secret'?";
    expect(keyed('for k in ("client_id", "client_secert"):\n    print(len(creds[k]))')).toEqual([misspelt]);
    expect(keyed('return {k: creds[k] for k in ["client_id", "client_secert"]}')).toEqual([misspelt]);
    expect(keyed('return creds[KEY]').map((x) => x.split(':').slice(0, 2).join(':'))).toEqual(['unknown-key:KEY']);
    expect(keyed('for k in ("client_id", "client_secret"):\n    print(len(creds[k]))')).toEqual([]);
    // Code that expects a key may be missing, and .get (which gives None), are left alone.
    expect(keyed('for k in ("client_id", "client_secert"):\n    if k in creds:\n        print(len(creds[k]))')).toEqual([]);
    expect(keyed('for k in ("client_id", "client_secert"):\n    if k not in creds:\n        continue\n    print(len(creds[k]))')).toEqual([]);
    expect(keyed('return [creds.get(k) for k in ("client_id", "client_secert")]')).toEqual([]);
    // A key a caller passes (the function may be called from elsewhere): not all known, not checked.
    expect(check("def f(conv, k='client_secert'):\n    return conv.utils.get_secret('google_oauth')[k]\n", model()).map((d) => d.code)).toEqual([]);
  });

  it('still reports unknown secrets and key problems when no agent is chosen', () => {
    const text = "conv.utils.get_secret('nope_key')\nconv.utils.get_secret('google_oauth')['nope']\nconv.utils.get_secret('stripe_key')\n";
    expect(check(text, model(), `${LEGACY}/c.py`).map((d) => d.code)).toEqual(['unknown-secret', 'unknown-key']);
  });

  it('signed out, unreachable or before any snapshot: only the checks that need no vault', () => {
    const text = "conv.utils.get_secret('strpe_key')\nconv.utils.get_secret('stripe_key')\nconv.utils.get_secret(' bad_name')\nconv.utils.get_secret('Off-Convention')\nconv.utils.get_secret(name)\n";
    for (const m of [model({ connection: 'signed-out', role: null }), model({ connection: 'unreachable' })]) {
      expect(check(text, m).map((d) => d.code)).toEqual(['invalid-name', 'naming-convention', 'dynamic-name']);
    }
    // Before any snapshot the convention is unknown too: only what no account could hold.
    expect(check(text, VaultModel.empty).map((d) => d.code)).toEqual(['invalid-name', 'dynamic-name']);
  });

  it('before any snapshot the naming style is unknown, so either style passes', () => {
    expect(check("conv.utils.get_secret('STRIPE_KEY')\nconv.utils.get_secret('stripe_key')\n", VaultModel.empty)).toEqual([]);
    expect(check("conv.utils.get_secret('Prod API Credentials')\n", VaultModel.empty)).toEqual([]);
    const [d] = check("conv.utils.get_secret('stripe key ')\n", VaultModel.empty);
    expect(d?.message).toBe("Invalid secret name 'stripe key ': A secret name cannot start or end with a space.");
  });

  it('a valid name off the convention is naming-convention, information with the conforming form, never an error', () => {
    const m = model({
      secrets: [
        ...SNAKE_SECRETS,
        { name: 'Prod API Credentials', description: '', kind: 'kv', keys: ['client_id'], agents: ['booking-agent'] },
        { name: '¡¿!', description: '', kind: 'single', keys: [], agents: ['booking-agent'] },
        { name: 'Shared Key', description: '', kind: 'single', keys: [], agents: ['support-agent'] },
      ],
    });
    const text = "a = conv.utils.get_secret('Prod API Credentials')['client_id']\nb = conv.utils.get_secret('¡¿!')\nc = conv.utils.get_secret('Shared Key')\nd = conv.utils.get_secret('Not In Vault')\n";
    expect(check(text, m)).toEqual([
      {
        code: 'naming-convention',
        severity: DiagnosticSeverity.Information,
        text: 'Prod API Credentials',
        message:
          "Secret name 'Prod API Credentials' does not follow this account's naming convention (snake_case): 'prod_api_credentials' would. The vault accepts it as it is; to follow the convention, rename the secret in the vault and its reads together.",
        source: 'secrets-vault',
      },
      {
        code: 'naming-convention',
        severity: DiagnosticSeverity.Information,
        text: '¡¿!',
        // Nothing of it is left in snake_case: no form to offer.
        message: "Secret name '¡¿!' does not follow this account's naming convention (snake_case). The vault accepts it as it is; to follow the convention, rename the secret in the vault and its reads together.",
        source: 'secrets-vault',
      },
      expect.objectContaining({ code: 'naming-convention', text: 'Shared Key' }),
      // The advice stays beside the real problem of a secret the vault has.
      expect.objectContaining({ code: 'not-granted', text: 'Shared Key' }),
      // An unknown name is unknown-secret only: its create form suggests the conforming name.
      expect.objectContaining({ code: 'unknown-secret', text: 'Not In Vault' }),
    ]);
    // In an environment-style account the convention is the rule: invalid-name, never this.
    const env = VaultModel.fromSnapshot(envSnapshot());
    expect(check("os.environ['Stripe Key']\n", env).map((d) => d.code)).toEqual(['invalid-name']);
  });

  it('a \\N{…} escape makes the name unknown for sure: dynamic-name on the literal’s content, with what to do', () => {
    expect(check("conv.utils.get_secret('stripe\\N{LOW LINE}key')\n", model())).toEqual([
      {
        code: 'dynamic-name',
        severity: DiagnosticSeverity.Information,
        text: 'stripe\\N{LOW LINE}key',
        message: 'The secret name uses a \\N{…} escape, which the editor does not decode, so it cannot be checked against the vault. Write the character itself.',
        source: 'secrets-vault',
      },
    ]);
  });

  it('a bidirectional control or line break in a name from the document is refused and shown as an escape, never raw', () => {
    const found = check("conv.utils.get_secret('abc\u202edef')\nconv.utils.get_secret('a\\n::error::x')\n", model());
    expect(found.map((d) => [d.code, d.message])).toEqual([
      ['invalid-name', "Invalid secret name 'abc\\u202edef': A secret name cannot hold control, invisible, separator or bidirectional-control characters (it holds U+202E)."],
      ['invalid-name', "Invalid secret name 'a\\n::error::x': A secret name cannot hold control, invisible, separator or bidirectional-control characters (it holds U+000A)."],
    ]);
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

  describe('real code: a variable may hold several secrets, and writes are not reads', () => {
    const keyFindings = (text: string) => check(text, model()).filter((d) => d.code === 'unknown-key' || d.code === 'not-a-mapping').map((d) => `${d.code}:${d.text}:${d.message}`);

    it('checks a key against every secret assigned in the branches that reach it', () => {
      const branches = (other: string, read: string) =>
        `def f(conv, prod):\n    if prod:\n        creds = conv.utils.get_secret('google_oauth')\n    else:\n        creds = conv.utils.get_secret('${other}')\n    return creds['${read}']\n`;
      // Both key/value secrets have the key: fine.
      expect(keyFindings(branches('google_oauth', 'client_id'))).toEqual([]);
      // One lacks it: unknown-key naming that one only.
      expect(keyFindings(branches('zendesk', 'client_id'))).toEqual([
        "unknown-key:client_id:Secret 'zendesk' has no key 'client_id' (its keys: 'email', 'subdomain', 'token').",
      ]);
      // One is a single value: not-a-mapping naming it.
      expect(keyFindings(branches('opentable_token', 'client_id'))).toEqual([
        "not-a-mapping:client_id:Secret 'opentable_token' is a single value: get_secret returns a str, so ['client_id'] fails at run time.",
      ]);
      // try / except, and match cases, choose too.
      const tried = `def f(conv):\n    try:\n        creds = conv.utils.get_secret('google_oauth')\n    except KeyError:\n        creds = conv.utils.get_secret('twilio_auth')\n    creds['auth_token']\n`;
      expect(keyFindings(tried)).toEqual([
        "unknown-key:auth_token:Secret 'google_oauth' has no key 'auth_token' (its keys: 'client_id', 'client_secret').",
      ]);
      const matched = `def f(conv, m):\n    match m:\n        case 1:\n            creds = conv.utils.get_secret('google_oauth')\n        case _:\n            creds = conv.utils.get_secret('zendesk')\n    creds.get('token')\n`;
      expect(keyFindings(matched)).toEqual([
        "unknown-key:token:Secret 'google_oauth' has no key 'token' (its keys: 'client_id', 'client_secret').",
      ]);
    });

    it('checks nothing once something else may have been assigned on a path to the read', () => {
      for (const other of ['creds = cached', 'creds = conv.utils.get_secret(name)', 'for creds in rows: pass', 'with open(p) as creds: pass', 'del creds']) {
        const text = `def f(conv, ok, cached):\n    creds = conv.utils.get_secret('zendesk')\n    if ok:\n        ${other}\n    return creds['client_id']\n`;
        expect(keyFindings(text), other).toEqual([]);
      }
      // A lambda parameter, a comprehension variable or a key written does not reassign it.
      const text = `def f(conv, rows):\n    creds = conv.utils.get_secret('zendesk')\n    g = lambda creds: creds['x']\n    h = [creds['y'] for creds in rows]\n    creds['new_key'] = 1\n    return creds['client_id']\n`;
      expect(keyFindings(text).map((d) => d.split(':')[1])).toEqual(['client_id']);
    });

    it('reports nothing for definitions named like get_secret, and checks `name=` next to **kwargs', () => {
      const text = `try:\n    from vaultlib import get_secret as _get_secret\nexcept ImportError:\n    def _get_secret(key, default=None):\n        return default\nclass get_secret(Base):\n    def get_secret(self, name): pass\nx = _get_secret(name='missing_name', **extra)\ny = _get_secret(('google_oauth'))\n`;
      expect(check(text, model()).map((d) => `${d.code}:${d.text}`)).toEqual(['unknown-secret:missing_name']);
    });

    it('in an environment-style account, assigning or deleting a variable is not a reference; += is', () => {
      const env = VaultModel.fromSnapshot(envSnapshot());
      const text = `import os as _os\nfrom os import environ, getenv as ge\n_os.environ['MY_FLAG'] = '1'\ndel _os.environ['MY_FLAG']\n_os.environ[name] = old\n_os.environ['path'] = x\nenviron['MY_FLAG']: str = 'v'\n_os.environ['MY_FLAG'] += 'x'\n_os.getenv('X_BEARER_TOKN')\nge('NOPE_TOKEN')\n`;
      expect(check(text, env).map((d) => `${d.code}:${d.text}`)).toEqual(['unknown-secret:MY_FLAG', 'unknown-secret:X_BEARER_TOKN', 'unknown-secret:NOPE_TOKEN']);
      const js = `process.env.MY_FLAG = '1';\ndelete process.env.MY_FLAG;\nprocess.env['OTHER'] = x;\nprocess.env.NOPE_TOKEN += 'x';\n`;
      expect(check(js, env, `${BOOKING}/a.ts`, 'typescript').map((d) => `${d.code}:${d.text}`)).toEqual(['unknown-secret:NOPE_TOKEN']);
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
