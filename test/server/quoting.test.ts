// A credential written where a name goes, through the pure language service:
// `get_secret('<a credential>')` is a hard-coded credential (by kind), not an unknown or invalid
// name quoting it; no fix, title, suggestion, hover or related step carries it; a dict keyed by a
// credential neither quotes the key nor suggests it as the new secret's name. Credentials of many
// kinds are made at run time (test/helpers/credentialNames.ts), and searched for as sentinels.

import '../../server/src/nodeHmac';
import { describe, expect, it } from 'vitest';
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { Commands, DIAGNOSTIC_SOURCE, type MoveToVaultArgs } from '../../protocol/lsp';
import { codeActions } from '../../server/src/service/features/codeActions';
import { credentialIn } from '../../server/src/service/credentials';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { suggestSecretName } from '../../server/src/service/credentials/suggestName';
import { hover } from '../../server/src/service/features/hover';
import { VaultModel } from '../../server/src/service/model/model';
import { credentialName, scrubCode, withArticle } from '../../server/src/service/features/quoting';
import { CREDENTIAL_SEED, credentialSamples, envReadsWithCredential, leakOf, pythonWithCredential, stripeKey } from '../helpers/credentialNames';
import { doc, envSnapshot, model, SNAKE_SECRETS, textOf, type Doc } from './vaultFixture';

const samples = credentialSamples();
const VALUE = stripeKey();
const seedNote = `CREDENTIAL_SEED=${CREDENTIAL_SEED}`;

/** Every output the service gives for `d`: diagnostics, the fixes for them and for any code a client may claim at each, hovers at each. */
function everything(d: Doc, m: VaultModel): { diagnostics: Diagnostic[]; actions: CodeAction[]; hovers: unknown[] } {
  const diagnostics = computeDiagnostics(d.doc, d.result, m);
  // A client returns what it was given, or anything: ask for fixes under every code at every range.
  const forged: Diagnostic[] = diagnostics.flatMap((x) =>
    ['unknown-secret', 'invalid-name', 'naming-convention', 'not-granted', 'unknown-key', 'not-a-mapping', 'hardcoded-secret'].map((code) => ({ ...x, code })),
  );
  const actions = codeActions(d.doc, d.result, m, [...diagnostics, ...forged]);
  const hovers: unknown[] = [];
  const text = d.doc.getText();
  for (let at = 0; at < text.length; at++) if (text[at] === "'") hovers.push(hover(d.doc, d.result, m, at + 1));
  return { diagnostics, actions, hovers };
}

function expectNoLeak(output: unknown, credential: string, label: string): void {
  const leak = leakOf(JSON.stringify(output), credential);
  expect(leak, `${label} (${seedNote})`).toBeNull();
}

describe('credentials written where a name goes', () => {
  it('the detector takes every sample for a credential, and no name of the fixture vault', () => {
    for (const s of samples) expect(credentialIn(s.value), `${s.label} (${seedNote})`).not.toBeNull();
    for (const s of SNAKE_SECRETS) expect(credentialIn(s.name)).toBeNull();
    // Names of words and numbers (a bench's `svc00004_api_key` looks random to the value test as a whole).
    const names = ['stripe_api_key', 'X_BEARER_TOKEN', 'OPENAI_API_KEY_PROD', 'google_oauth_client', 'webhook_signing_key_v2', 'Stripe secret key (live)'];
    names.push('svc00004_api_key', 'svc01236_api_key', 'OPENAI_API_KEY_20240101', 'prod-db-password-7f3a9c', 'tenant_4f9a2c_sendgrid_key');
    for (const name of names) {
      expect(credentialIn(name), name).toBeNull();
    }
  });

  for (const role of ['admin', 'developer'] as const) {
    it(`a secret read of a credential is hardcoded-secret by kind, with no fix; nothing of it in any output (${role})`, () => {
      const m = model({ role });
      for (const s of samples) {
        const d = doc(pythonWithCredential(s.value, VALUE));
        const out = everything(d, m);
        expectNoLeak(out, s.value, s.label);
        // Both reads by name: reported as the credential they are, an error (the read fails too).
        const atReads = out.diagnostics.filter((x) => textOf(d.doc, x.range) === s.value && x.range.start.line <= 4);
        expect(atReads.map((x) => [x.code, x.severity, x.range.start.line]), s.label).toEqual([
          ['hardcoded-secret', DiagnosticSeverity.Error, 3],
          ['hardcoded-secret', DiagnosticSeverity.Error, 4],
        ]);
        const kind = credentialIn(s.value)!.kind;
        expect(atReads[0]!.message).toBe(
          `Hard-coded ${kind} where a secret's name goes: get_secret reads a secret by its name, so this read fails, and anyone who can read this code has ${/^[AEIOaeio]/.test(kind) ? 'an' : 'a'} ${kind}. Revoke it, put a new one in the vault and read it by the secret's name.`,
        );
        expect(atReads[0]!.data).toEqual({ name: null, rule: credentialIn(s.value)!.rule });
        // Nothing quotes it as a name: no unknown or invalid name, no create, request, did-you-mean or rename.
        expect(out.diagnostics.filter((x) => x.code === 'unknown-secret' || x.code === 'invalid-name'), s.label).toEqual([]);
        expect(out.actions.filter((a) => a.diagnostics?.some((x) => textOf(d.doc, x.range) === s.value && x.range.start.line <= 4)), s.label).toEqual([]);
        // The keys are checked and described: the secret is named, the key is not.
        const keyed = out.diagnostics.filter((x) => x.code === 'unknown-key' || x.code === 'not-a-mapping');
        expect(keyed.map((x) => x.code).sort()).toEqual(['not-a-mapping', 'unknown-key']);
        for (const x of keyed) expect(x.message).toMatch(/named by an? .+ \(not shown\)/);
      }
    });
  }

  it('a dict keyed by a credential: the message does not quote the key, Move to vault names the secret by its kind (title, form, request)', () => {
    for (const role of ['admin', 'developer'] as const) {
      const m = model({ role });
      for (const s of samples) {
        const d = doc(pythonWithCredential(s.value, VALUE));
        const diagnostics = computeDiagnostics(d.doc, d.result, m);
        const moved = diagnostics.filter((x) => x.code === 'hardcoded-secret' && textOf(d.doc, x.range) === `'${VALUE}'`);
        expect(moved, s.label).toHaveLength(1);
        expect(moved[0]!.message).toMatch(/^Hard-coded Stripe secret key( under a name that is itself an? .+ \(not shown\))?: anyone/);
        const actions = codeActions(d.doc, d.result, m, moved);
        expect(actions).toHaveLength(1);
        const args = actions[0]!.command!.arguments![0] as MoveToVaultArgs;
        expect(args.suggestedName, s.label).toBe('stripe_secret_key');
        expect(actions[0]!.title).toBe(role === 'admin' ? "Move to vault as 'stripe_secret_key'…" : "Copy as a secret request for 'stripe_secret_key'");
        expectNoLeak(actions, s.value, s.label);
      }
    }
  });

  it('suggestSecretName never makes a name of a credential context, in either style', () => {
    const none = () => false;
    for (const s of samples) {
      for (const context of [s.value, `self.${s.value}`]) {
        for (const style of ['snake_case', 'UPPER_CASE', null] as const) {
          const name = suggestSecretName({ context, kind: 'GitHub personal access token' }, style, none);
          expect(name.toLowerCase(), s.label).toBe('github_personal_access_token');
        }
      }
    }
  });

  it('environment-style reads of a credential (Python and TypeScript) are hardcoded-secret, not unknown names', () => {
    const m = VaultModel.fromSnapshot(envSnapshot());
    for (const s of samples) {
      const { python, typescript } = envReadsWithCredential(s.value);
      for (const [text, languageId] of [[python, 'python'], [typescript, 'typescript']] as const) {
        const d = doc(text, undefined, languageId);
        const out = everything(d, m);
        expectNoLeak(out, s.value, `${s.label} (${languageId})`);
        expect(out.diagnostics.filter((x) => x.code === 'unknown-secret' || x.code === 'invalid-name'), s.label).toEqual([]);
        const found = out.diagnostics.filter((x) => x.code === 'hardcoded-secret');
        expect(found.length, `${s.label} (${languageId})`).toBeGreaterThanOrEqual(1);
        expect(found[0]!.message).toContain("the environment is read by a variable's name");
      }
    }
  });

  it('before any snapshot (no metadata) as well', () => {
    for (const s of samples) {
      const d = doc(pythonWithCredential(s.value, VALUE));
      const out = everything(d, VaultModel.empty);
      expectNoLeak(out, s.value, s.label);
      expect(out.diagnostics.filter((x) => x.code === 'hardcoded-secret' && x.range.start.line <= 4), s.label).toHaveLength(2);
    }
  });

  it('a secret-in-log of such a read describes the name in its message and its steps', () => {
    for (const s of samples) {
      const d = doc(pythonWithCredential(s.value, VALUE));
      const leaks = computeDiagnostics(d.doc, d.result, model()).filter((x) => x.code === 'secret-in-log');
      expect(leaks.length, s.label).toBeGreaterThanOrEqual(1);
      expect(leaks[0]!.message).toMatch(/^The value of secret named by an? .+ \(not shown\) reaches logging\.info/);
      expect(leaks[0]!.data).toEqual({ name: null });
      expect(leaks[0]!.relatedInformation![0]!.message).toMatch(/^read secret named by an? .+ \(not shown\)$/);
      expectNoLeak(leaks, s.value, s.label);
    }
  });

  it('a random-looking name the vault has is a name: only its shape, no provider format, and the vault says it exists', () => {
    const hex = samples.find((s) => s.label.startsWith('hex key (a valid'))!.value;
    const m = model({ secrets: [...SNAKE_SECRETS, { name: hex, description: '', kind: 'single', keys: [], agents: ['booking-agent'] }] });
    const d = doc(`def f(conv):\n    return conv.utils.get_secret('${hex}')\n`);
    expect(computeDiagnostics(d.doc, d.result, m)).toEqual([]);
    // Not in the vault, it is a credential again.
    expect(computeDiagnostics(d.doc, d.result, model()).map((x) => x.code)).toEqual(['hardcoded-secret']);
  });

  it('a create or request fix for another secret does not carry a credential read as its key into the form', () => {
    for (const role of ['admin', 'developer'] as const) {
      for (const s of samples) {
        const d = doc(`def f(conv):\n    creds = conv.utils.get_secret('new_secret')\n    return creds['${s.value}'], creds['region']\n`);
        const m = model({ role });
        const actions = codeActions(d.doc, d.result, m, computeDiagnostics(d.doc, d.result, m));
        const fix = actions.find((a) => a.command?.command === (role === 'admin' ? Commands.createSecret : Commands.requestAccess));
        expect(fix?.command?.arguments?.[0], s.label).toMatchObject({ name: 'new_secret', keys: ['region'] });
        expectNoLeak(actions, s.value, s.label);
      }
    }
  });

  it('ordinary names are still quoted as they were', () => {
    const d = doc("def f(conv):\n    return conv.utils.get_secret('strpe_key'), conv.utils.get_secret('Stripe-Key')\n");
    const ds = computeDiagnostics(d.doc, d.result, model());
    expect(ds.map((x) => x.message)).toEqual([
      "Secret 'strpe_key' does not exist in the vault. Did you mean 'stripe_key'?",
      // A valid name, off the convention and not in the vault: unknown, with its twin.
      "Secret 'Stripe-Key' does not exist in the vault. Did you mean 'stripe_key'?",
    ]);
    expect(codeActions(d.doc, d.result, model(), ds).map((a) => a.title)).toContain("Create secret 'strpe_key'…");
    expect(ds.every((x) => x.source === DIAGNOSTIC_SOURCE)).toBe(true);
    expect(CodeActionKind.QuickFix).toBe('quickfix');
  });
});

describe('a credential inside the code a message quotes', () => {
  // Code the editor cannot follow is quoted in the dynamic-name message (and in `check`'s output);
  // a test is quoted in "taken when …". A credential written there is described, never shown,
  // even where the part quoted is a table changed by a method call (`KEYS.append("…")`).
  const python = (c: string): string => `KEYS = ["crm_api"]
KEYS.append("${c}")


def read(conv, x):
    a = conv.utils.get_secret(decode("${c}"))
    b = conv.utils.get_secret(x.lookup(token="${c}", padding="${'p'.repeat(60)}"))
    c = conv.utils.get_secret(KEYS[0])
    name = "stripe_key" if x == "${c}" else "google_oauth"
    return conv.utils.get_secret(name)
`;
  const typescript = (c: string): string => `export function read(conv: any, x: any) {
  conv.utils.get_secret(decode('${c}'));
  conv.utils.get_secret(x.lookup({ token: \`${c}\`, padding: '${'p'.repeat(60)}' }));
  const name = x === "${c}" ? 'stripe_key' : 'google_oauth';
  return conv.utils.get_secret(name);
}
`;

  it('is described by its kind in every message, related place, fix and hover, in Python and TypeScript', () => {
    const m = model({ role: 'admin' });
    const quotable = samples.filter((s) => !/["'`\\$]/.test(s.value));
    expect(quotable.length).toBeGreaterThan(5);
    for (const s of quotable) {
      const kind = credentialIn(s.value)!.kind;
      for (const d of [doc(python(s.value)), doc(typescript(s.value), 'file:///work/booking/functions/read.ts', 'typescript')]) {
        const out = everything(d, m);
        expectNoLeak(out, s.value, s.label);
        const dynamic = out.diagnostics.filter((x) => x.code === 'dynamic-name').map((x) => (typeof x.message === 'string' ? x.message : x.message.value));
        // Described by its kind when the quoted part holds it whole; cut off by the part's length, none of it.
        const fits = `decode("${s.value}")`.length < 60;
        const shown = fits ? `decode(<${withArticleOf(kind)}, not shown>)` : /decode\(["']…`/;
        expect(dynamic.filter((x) => (typeof shown === 'string' ? x.includes(shown) : shown.test(x))), s.label).toHaveLength(1);
        expect(dynamic.filter((x) => x.includes(`lookup(`)), s.label).toHaveLength(1);
        const related = out.diagnostics.flatMap((x) => x.relatedInformation ?? []).map((r) => r.message);
        // Each front end quotes a test up to its own length: the whole credential described, or none of it.
        const described = (r: string): boolean => r.includes(`<${withArticleOf(kind)}, not shown>`) || (!fits && r.includes('"…'));
        expect(related.filter(described).length, s.label).toBeGreaterThan(0);
        const appended = `KEYS.append("${s.value}")`.length < 60 ? `KEYS.append(<${withArticleOf(kind)}, not shown>)` : 'KEYS.append("…';
        if (d.doc.languageId === 'python') expect(dynamic.filter((x) => x.includes(appended)), s.label).toHaveLength(1);
      }
    }
  });
});


describe('scrubCode', () => {
  // Its quick answer (every literal closed and short: the code unchanged) must be what the
  // regular expression gives: checked against that expression alone on pieces of quotes, short and
  // long literals, escapes, line ends and credentials.
  const LITERAL = /(["'`])((?:\\.|(?!\1)[^\\\n])*)(\1|$)/g;
  const slow = (code: string): string =>
    code.length < 10
      ? code
      : code.replace(LITERAL, (whole, quote: string, inner: string, close: string) => {
          if (close === '') return inner === '' ? whole : `${quote}…`;
          if (inner.length < 8) return whole;
          const verdict = credentialName(inner);
          return verdict === null ? whole : `<${withArticle(verdict.kind)}, not shown>`;
        });
  it('gives what its regular expression gives, for code with and without literals worth a look', () => {
    const pieces = ['"', "'", '`', 'env', ' == ', 'live', 'abcdefgh', '\\', '\n', '(', VALUE, 'x', "'live'", '"sandbox"'];
    let seed = 7;
    const next = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let unchanged = 0;
    for (let i = 0; i < 4000; i++) {
      let code = '';
      const length = 1 + Math.floor(next() * 14);
      for (let k = 0; k < length; k++) code += pieces[Math.floor(next() * pieces.length)];
      const got = scrubCode(code);
      expect(got, JSON.stringify(code)).toBe(slow(code));
      if (got === code) unchanged++;
    }
    // Both kinds were met: code left as it is, and code changed.
    expect(unchanged).toBeGreaterThan(400);
    expect(unchanged).toBeLessThan(3600);
  });
});

function withArticleOf(kind: string): string {
  return `${/^[AEIOaeio]/.test(kind) ? 'an' : 'a'} ${kind}`;
}
