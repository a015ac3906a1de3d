// The diagnostics and quick fixes for what code exposes itself: hardcoded-secret and
// secret-in-log as the editor and the check see them, over the engines' findings. Credential-shaped
// strings are made at run time: none is in the repository.

import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { Commands, type MoveToVaultArgs } from '../../protocol/lsp';
import { codeActions } from '../../server/src/service/features/codeActions';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { suggestSecretName } from '../../server/src/service/credentials/suggestName';
import { outsideFunction } from '../../server/src/service/python/pythonScope';
import { VaultModel } from '../../server/src/service/model/model';
import { doc, envSnapshot, model, textOf } from './vaultFixture';
import { prng } from './scan/corpus';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// Seeded: an unseeded draw is now and then a string the detector rightly takes for no key (2 in
// 1,000: a run of one letter, a word in it), and the test failed by chance.
const rand = prng(20261126);
function random(n: number): string {
  return Array.from({ length: n }, () => ALNUM[Math.floor(rand() * ALNUM.length)]).join('');
}
const STRIPE = `sk_live_${random(24)}`;
const CONTEXT_KEY = random(40);

function diagnostics(text: string, m: VaultModel = model(), uri?: string, languageId?: string) {
  const d = doc(text, uri, languageId);
  return { d, all: computeDiagnostics(d.doc, d.result, m) };
}

const only = (ds: Diagnostic[], code: string) => ds.filter((x) => x.code === code);

describe('hardcoded-secret', () => {
  it('a warning on the whole literal naming the kind and where it is assigned, never the value', () => {
    const { d, all } = diagnostics(`STRIPE_KEY = "${STRIPE}"\napi_key = '${CONTEXT_KEY}'\n`);
    const found = only(all, 'hardcoded-secret');
    expect(found.map((x) => [textOf(d.doc, x.range), x.severity, x.message])).toEqual([
      [`"${STRIPE}"`, DiagnosticSeverity.Warning, "Hard-coded Stripe secret key in 'STRIPE_KEY': anyone who can read this code has it. Move it to the vault and read it with get_secret."],
      [`'${CONTEXT_KEY}'`, DiagnosticSeverity.Warning, "Hard-coded API key in 'api_key': anyone who can read this code has it. Move it to the vault and read it with get_secret."],
    ]);
    const json = JSON.stringify(found);
    expect(json).not.toContain(STRIPE.slice(8));
    expect(json).not.toContain(CONTEXT_KEY);
  });

  it('words the fix for environment-style accounts, by language', () => {
    const env = VaultModel.fromSnapshot(envSnapshot());
    expect(only(diagnostics(`KEY = "${STRIPE}"\n`, env).all, 'hardcoded-secret')[0]?.message).toMatch(/read it from os\.environ\.$/);
    expect(only(diagnostics(`const key = "${STRIPE}";\n`, env, undefined, 'typescript').all, 'hardcoded-secret')[0]?.message).toMatch(/read it from process\.env\.$/);
  });

  it('is reported without any vault metadata (signed out), and in JavaScript template literals', () => {
    const { all } = diagnostics(`const stripe = \`${STRIPE}\`;\n`, VaultModel.empty, undefined, 'javascript');
    expect(only(all, 'hardcoded-secret')).toHaveLength(1);
  });
});

describe('Move to vault and the secret request', () => {
  function fixes(text: string, m: VaultModel = model()) {
    const d = doc(text);
    const ds = computeDiagnostics(d.doc, d.result, m);
    return { d, actions: codeActions(d.doc, d.result, m, only(ds, 'hardcoded-secret')) };
  }

  it('the suggested name is free to a person too: not a twin of a secret the vault holds', () => {
    const m = model({ secrets: [{ name: 'Stripe Key', description: '', kind: 'single', keys: [], agents: [] }] });
    expect(fixes(`STRIPE_KEY = "${STRIPE}"\n`, m).actions.map((a) => a.title)).toEqual(["Move to vault as 'stripe_key_2'…"]);
  });

  it('admins get Move to vault with ranges only: the literal, its content, a free name in the account style, kind and agent', () => {
    // The fixture's vault has a 'stripe_key' already: the suggestion is a free name.
    const { d, actions } = fixes(`STRIPE_KEY = "${STRIPE}"\n`);
    expect(actions.map((a) => a.title)).toEqual(["Move to vault as 'stripe_key_2'…"]);
    const args = actions[0]!.command!.arguments![0] as MoveToVaultArgs;
    expect(actions[0]!.command!.command).toBe(Commands.moveToVault);
    expect(args).toEqual({
      uri: d.doc.uri,
      version: d.doc.version,
      range: expect.anything(),
      contentRange: expect.anything(),
      suggestedName: 'stripe_key_2',
      kind: 'Stripe secret key',
      agent: 'booking-agent',
      // At module level: the form says to move the read into the agent's function.
      outsideFunction: true,
    });
    expect(textOf(d.doc, args.range)).toBe(`"${STRIPE}"`);
    expect(textOf(d.doc, args.contentRange)).toBe(STRIPE);
    // The server sends where the value is, never what it is.
    expect(JSON.stringify(actions)).not.toContain(STRIPE);
  });

  it('says whether the literal is outside every function, where the replacing read would run as the module loads (Python)', () => {
    const at = (lines: string[]) => {
      const text = lines.join('\n') + '\n';
      const d = doc(text);
      const marked = text.indexOf('"sk_');
      return outsideFunction(d.doc.getText(), marked);
    };
    const key = `"${STRIPE}"`;
    expect(at([`KEY = ${key}`])).toBe(true);
    expect(at(['CONFIG = {', `    "stripe": ${key},`, '}'])).toBe(true);
    expect(at(['class Billing:', `    key = ${key}`])).toBe(true);
    expect(at(['if True:', `    KEY = ${key}`])).toBe(true);
    expect(at([`def pay(conv, key=${key}):`, '    return key'])).toBe(true);
    expect(at(['def pay(conv):', `    key = ${key}`])).toBe(false);
    expect(at(['async def pay(conv):', '    headers = {', `        "Authorization": ${key},`, '    }'])).toBe(false);
    expect(at(['class Billing:', '    @staticmethod', '    def pay(conv):', '        if conv:', `            return ${key}`])).toBe(false);
    expect(at(['def outer(conv):', '    class Inner:', `        key = ${key}`])).toBe(false);
    expect(at([`def pay(conv) -> dict[str, str]: return {"key": ${key}}`])).toBe(false);
    expect(at(['def pay(conv):', '    pass', '', `KEY = ${key}`])).toBe(true);
    // Only Python documents carry it.
    const ts = doc(`const key = ${key};\n`, undefined, 'typescript');
    const tsActions = codeActions(ts.doc, ts.result, model(), only(computeDiagnostics(ts.doc, ts.result, model()), 'hardcoded-secret'));
    expect((tsActions[0]!.command!.arguments![0] as MoveToVaultArgs).outsideFunction).toBeUndefined();
    const inside = fixes(['def pay(conv):', `    key = ${key}`, ''].join('\n'));
    expect((inside.actions[0]!.command!.arguments![0] as MoveToVaultArgs).outsideFunction).toBe(false);
  });

  it('everyone else gets a secret request, with no value in it', () => {
    const { actions } = fixes(`PAYMENTS_KEY = "${STRIPE}"\n`, model({ role: 'developer' }));
    expect(actions.map((a) => [a.title, a.command?.command])).toEqual([["Copy as a secret request for 'payments_key'", Commands.copySecretRequest]]);
    expect(JSON.stringify(actions)).not.toContain(STRIPE);
  });

  it('no Move where escapes make the source differ from the value', () => {
    const escaped = `${STRIPE.slice(0, 10)}\\x41${STRIPE.slice(10)}`;
    const { actions } = fixes(`STRIPE_KEY = "${escaped}"\n`);
    expect(actions).toEqual([]);
  });

  it('suggests a name from the variable or key, the provider in front of a generic one, free and in style', () => {
    const none = () => false;
    expect(suggestSecretName({ context: 'STRIPE_KEY', kind: 'Stripe secret key' }, 'snake_case', none)).toBe('stripe_key');
    expect(suggestSecretName({ context: 'openaiApiKey', kind: 'OpenAI API key' }, 'snake_case', none)).toBe('openai_api_key');
    expect(suggestSecretName({ context: 'api_key', kind: 'SendGrid API key' }, 'snake_case', none)).toBe('sendgrid_api_key');
    expect(suggestSecretName({ context: 'Authorization', kind: 'GitHub personal access token' }, 'snake_case', none)).toBe('github_authorization');
    expect(suggestSecretName({ context: 'self.client.token', kind: 'token' }, 'snake_case', none)).toBe('token');
    expect(suggestSecretName({ context: null, kind: 'PEM private key' }, 'snake_case', none)).toBe('pem_private_key');
    expect(suggestSecretName({ context: '2fa-seed', kind: 'secret' }, 'snake_case', none)).toBe('secret');
    expect(suggestSecretName({ context: 'db_password', kind: 'password' }, 'UPPER_CASE', none)).toBe('DB_PASSWORD');
    const taken = new Set(['stripe_key', 'stripe_key_2']);
    expect(suggestSecretName({ context: 'STRIPE_KEY', kind: 'Stripe secret key' }, 'snake_case', (n) => taken.has(n))).toBe('stripe_key_3');
    expect(suggestSecretName({ context: 'x'.repeat(80), kind: 'token' }, 'snake_case', (n) => n === 'x'.repeat(64))).toBe(`${'x'.repeat(62)}_2`);
  });
});

describe('secret-in-log', () => {
  const text = ['def notify(conv):', "    token = conv.utils.get_secret('sendgrid_api_key')", '    url = f"https://api.example.com/send?key={token}"', '    print(url)', ''].join('\n');

  it('a warning at the argument naming the secret and the sink, with the flow as related information', () => {
    const { d, all } = diagnostics(text);
    const found = only(all, 'secret-in-log');
    expect(found).toHaveLength(1);
    expect(textOf(d.doc, found[0]!.range)).toBe('url');
    expect(found[0]!.severity).toBe(DiagnosticSeverity.Warning);
    expect(found[0]!.message).toBe(
      "The value of secret 'sendgrid_api_key' reaches print, so it would be written where logs and errors are kept. Log something that is not the value (whether it is set, its length, a masked or hashed form).",
    );
    const steps = found[0]!.relatedInformation!;
    expect(steps.length).toBeGreaterThanOrEqual(3);
    for (const s of steps) expect(s.location.uri).toBe(d.doc.uri);
    expect(steps.map((s) => s.location.range.start.line)).toEqual([...steps.map((s) => s.location.range.start.line)].sort((a, b) => a - b));
    expect(steps[0]!.location.range.start.line).toBe(1);
    expect(steps.at(-1)!.location.range.start.line).toBe(3);
  });

  it('environment reads are sources only in environment-style accounts', () => {
    const env = ['import os', 'def f(conv):', "    print(os.environ['X_BEARER_TOKEN'])", ''].join('\n');
    expect(only(diagnostics(env).all, 'secret-in-log')).toEqual([]);
    const found = only(diagnostics(env, VaultModel.fromSnapshot(envSnapshot())).all, 'secret-in-log');
    expect(found.map((f) => String(f.message).split(',')[0])).toEqual(["The value of secret 'X_BEARER_TOKEN' reaches print"]);
  });

  it("in environment-style accounts, only the vault's secrets among the environment's variables", () => {
    const code = [
      'import os',
      'def f(conv):',
      "    proxy = os.environ['HTTPS_PROXY']",
      '    print(f"proxy from the environment: {proxy}")',
      "    print(os.environ['PATH'])",
      "    name = 'X_BEARER_TOKEN'",
      '    print(os.environ[name])',
      "    print(os.environ['OPENTABLE_TOKEN'])",
      '',
    ].join('\n');
    const messages = (m: VaultModel) => only(diagnostics(code, m).all, 'secret-in-log').map((f) => String(f.message).split(',')[0]);
    // With the vault's metadata: the secret, not the proxy, PATH or a name computed at run time.
    expect(messages(VaultModel.fromSnapshot(envSnapshot()))).toEqual(["The value of secret 'OPENTABLE_TOKEN' reaches print"]);
    // Without the metadata (the vault unreachable, nothing cached): any named variable but those every process has.
    const loading = VaultModel.fromSnapshot(envSnapshot({ connection: 'unreachable', stale: null, secrets: [] }));
    expect(loading.ready).toBe(false);
    expect(messages(loading)).toEqual(["The value of secret 'HTTPS_PROXY' reaches print", "The value of secret 'OPENTABLE_TOKEN' reaches print"]);
  });

  it('a sanitised value or its intended use is no finding', () => {
    const clean = [
      'import requests',
      'def f(conv):',
      "    token = conv.utils.get_secret('sendgrid_api_key')",
      '    print(len(token))',
      '    r = requests.get("https://x", headers={"Authorization": f"Bearer {token}"})',
      '    print(r.status_code)',
      '',
    ].join('\n');
    expect(only(diagnostics(clean).all, 'secret-in-log')).toEqual([]);
  });
});
