// The platform's own keyword, `get_secret(secret_name=…)` (`def get_secret(self, secret_name: str)`
// in the ADK's `_gen/conv_utils.py`), read wherever `name=` is, by every feature; and a read that
// names no secret at all (`get_secret()`), reported as missing-name.

import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, type CodeAction, type Diagnostic, type MarkupContent, type TextEdit } from 'vscode-languageserver-types';
import { Commands } from '../../protocol/lsp';
import { codeActions } from '../../server/src/service/features/codeActions';
import { complete } from '../../server/src/service/features/completion';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { hover } from '../../server/src/service/features/hover';
import { scan } from '../../server/src/service/analyze';
import type { VaultModel } from '../../server/src/service/model/model';
import { BOOKING, doc, model, textOf } from './vaultFixture';

function diagnose(text: string, m: VaultModel = model(), uri?: string, languageId?: string): string[] {
  const d = doc(text, uri, languageId);
  return computeDiagnostics(d.doc, d.result, m).map((x: Diagnostic) => `${x.code}:${textOf(d.doc, x.range)}`);
}

describe('get_secret(secret_name=…)', () => {
  it('is a read of that name, keys included, as name= is; a positional argument still comes first', () => {
    const names = (text: string) => scan(text, 'python').references.map((r) => [r.name, r.keys.map((k) => k.key)]);
    expect(names(`x = conv.utils.get_secret(secret_name="google_oauth")["client_id"]`)).toEqual([['google_oauth', ['client_id']]]);
    expect(names(`x = conv.utils.get_secret(secret_name='google_oauth').get('client_id')`)).toEqual([['google_oauth', ['client_id']]]);
    expect(names(`x = conv.utils.get_secret(default=None, secret_name='a', **extra)`)).toEqual([['a', []]]);
    expect(names(`x = c.get_secret('pos', secret_name='ignored')`)).toEqual([['pos', []]]);
    // Through a variable: the key is checked against the secret it holds.
    expect(names(`creds = conv.utils.get_secret(secret_name='google_oauth')\nx = creds['client_id']`)).toEqual([['google_oauth', ['client_id']]]);
    // Another keyword of the same call is not the name, and a variable called secret_name is not a keyword.
    expect(names(`x = conv.utils.get_secret(default='not_a_name')`)).toEqual([['', []]]);
    expect(names(`secret_name = 'a'\nx = conv.utils.get_secret(secret_name)`)).toEqual([[null, []]]);
  });

  it('gets every diagnostic a positional name gets: unknown, not granted, unknown key, not a mapping, invalid', () => {
    const text = [
      'def f(conv):',
      "    a = conv.utils.get_secret(secret_name='strpe_key')",
      "    b = conv.utils.get_secret(secret_name='stripe_key')",
      "    c = conv.utils.get_secret(secret_name='google_oauth')['clientid']",
      "    d = conv.utils.get_secret(secret_name='opentable_token')['x']",
      "    e = conv.utils.get_secret(secret_name=' padded')",
      "    g = conv.utils.get_secret(secret_name='opentable_token')",
      '',
    ].join('\n');
    expect(diagnose(text)).toEqual(['unknown-secret:strpe_key', 'not-granted:stripe_key', 'unknown-key:clientid', 'not-a-mapping:x', 'invalid-name: padded']);
  });

  it('resolves a computed name passed by keyword, labelled by environment', () => {
    const text = [
      "NAME_BY_ENV = {'live': 'x_prod_api', 'sandbox': 'opentable_token'}",
      'def f(conv):',
      '    return conv.utils.get_secret(secret_name=NAME_BY_ENV[conv.env])',
      '',
    ].join('\n');
    const [ref] = scan(text, 'python').references;
    expect(ref!.candidates!.map((c) => [c.name, c.environments])).toEqual([
      ['x_prod_api', ['live']],
      ['opentable_token', ['sandbox']],
    ]);
    const d = doc(text);
    const found = computeDiagnostics(d.doc, d.result, model());
    expect(found.map((x) => [x.code, textOf(d.doc, x.range), (x.message as string).split(':')[0]])).toEqual([['unknown-secret', 'NAME_BY_ENV[conv.env]', 'In live']]);
  });

  it('completes inside the string, replacing what is typed', () => {
    for (const [text, expected] of [
      ["x = conv.utils.get_secret(secret_name='goo|", "x = conv.utils.get_secret(secret_name='google_oauth')"],
      ['x = conv.utils.get_secret(secret_name="goo|")', 'x = conv.utils.get_secret(secret_name="google_oauth")'],
      ['x = conv.utils.get_secret(secret_name=|)', "x = conv.utils.get_secret(secret_name='google_oauth')"],
    ] as const) {
      const d = doc(text);
      const list = complete(d.doc, d.result, model(), d.cursor, { editRangeDefault: false, dataDefault: false });
      const item = list!.items.find((i) => i.label === 'google_oauth')!;
      const edit = item.textEdit as TextEdit;
      const source = d.doc.getText();
      const applied = source.slice(0, d.doc.offsetAt(edit.range.start)) + edit.newText + source.slice(d.doc.offsetAt(edit.range.end));
      expect(applied, text).toBe(expected);
    }
  });

  it('hovers with the secret, and offers grant and create as quick fixes', () => {
    const h = (text: string) => {
      const d = doc(text);
      return (hover(d.doc, d.result, model(), d.cursor)!.contents as MarkupContent).value.split('\n\n')[0];
    };
    expect(h("conv.utils.get_secret(secret_name='google_o|auth')")).toBe('**google\\_oauth** (key/value, 2 keys)');
    const fixes = (text: string) => {
      const d = doc(text);
      const diagnostics = computeDiagnostics(d.doc, d.result, model());
      return codeActions(d.doc, d.result, model(), diagnostics).map((a: CodeAction) => [a.title, a.command?.command ?? null]);
    };
    expect(fixes("x = conv.utils.get_secret(secret_name='stripe_key')\n")).toContainEqual(["Grant 'booking-agent' access to 'stripe_key'", Commands.grantAccess]);
    expect(fixes("x = conv.utils.get_secret(secret_name='brand_new_key')\n")).toContainEqual(["Create secret 'brand_new_key'…", Commands.createSecret]);
  });

  it('a value read that way and logged is secret-in-log; the name itself is not a hard-coded credential', () => {
    const text = ['def notify(conv):', "    token = conv.utils.get_secret(secret_name='sendgrid_api_key')", '    print(token)', ''].join('\n');
    expect(diagnose(text)).toEqual(['secret-in-log:token']);
    // A credential pasted where the name goes is reported once, as what it is, and never quoted.
    const pasted = `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`;
    const d = doc(`x = conv.utils.get_secret(secret_name="${pasted}")\n`);
    const found = computeDiagnostics(d.doc, d.result, model());
    expect(found.map((x) => x.code)).toEqual(['hardcoded-secret']);
    expect(found[0]!.severity).toBe(DiagnosticSeverity.Error);
    expect(JSON.stringify(found)).not.toContain(pasted.slice(8));
    // After other keywords too, once; but after a positional name it is a value, a warning of its own.
    const codes = (text: string) => {
      const x = doc(text);
      return computeDiagnostics(x.doc, x.result, model()).map((f) => `${f.code}:${f.severity}:${textOf(x.doc, f.range)}`);
    };
    for (const kw of ['secret_name', 'name']) {
      expect(codes(`x = conv.utils.get_secret(default=None, ${kw}="${pasted}", **extra)\n`)).toEqual([`hardcoded-secret:${DiagnosticSeverity.Error}:${pasted}`]);
      expect(codes(`x = conv.utils.get_secret('opentable_token', ${kw}="${pasted}")\n`)).toEqual([`hardcoded-secret:${DiagnosticSeverity.Warning}:"${pasted}"`]);
    }
    expect(codes(`x = conv.utils.get_secret(secret_name='opentable_token', name="${pasted}")\n`)).toEqual([`hardcoded-secret:${DiagnosticSeverity.Warning}:"${pasted}"`]);
  });
});

describe('missing-name', () => {
  it('reports a finished read with no name as an error on the call', () => {
    const text = [
      'def f(conv):',
      '    a = conv.utils.get_secret()',
      '    b = conv.utils.get_secret(secret_name=)',
      '    c = conv.utils.get_secret(default=None)',
      '    d = get_secret()',
      '    e = secret_vault()',
      '',
    ].join('\n');
    const source = `from utils.secret_vault import secret_vault\nfrom conv_utils import get_secret\n${text}`;
    const d = doc(source);
    const found = computeDiagnostics(d.doc, d.result, model());
    expect(found.map((x) => `${x.code}:${textOf(d.doc, x.range)}`)).toEqual([
      'missing-name:conv.utils.get_secret()',
      'missing-name:conv.utils.get_secret(secret_name=)',
      'missing-name:conv.utils.get_secret(default=None)',
      'missing-name:get_secret()',
      'missing-name:secret_vault()',
    ]);
    for (const x of found) {
      expect(x.severity).toBe(DiagnosticSeverity.Error);
      expect(x.message).toBe(
        "This reads a secret without naming it: the call fails at run time. Pass the secret's name, for example get_secret('stripe_api_key') or get_secret(secret_name='stripe_api_key').",
      );
    }
    // With no vault metadata at all it is still reported: the call fails whatever the vault holds.
    const offline = doc('x = conv.utils.get_secret()\n');
    expect(computeDiagnostics(offline.doc, offline.result, model({ secrets: [] })).map((x) => x.code)).toEqual(['missing-name']);
  });

  it('is not reported while the call is still being typed, nor for *args / **kwargs (a dynamic name)', () => {
    expect(diagnose('x = conv.utils.get_secret(')).toEqual([]);
    expect(diagnose('x = conv.utils.get_secret(secret_name=')).toEqual([]);
    expect(diagnose('x = conv.utils.get_secret(\n')).toEqual([]);
    expect(diagnose('def f(conv, **kw):\n    return conv.utils.get_secret(**kw)\n')).toEqual(['dynamic-name:**kw']);
    expect(diagnose('def f(conv, *args):\n    return conv.utils.get_secret(*args)\n')).toEqual(['dynamic-name:*args']);
    // Not a read of a secret: a definition, an environment read in a get_secret account.
    expect(diagnose('def get_secret():\n    pass\nos.getenv()\n')).toEqual([]);
  });

  it('is the platform’s read only: another object’s get_secret() with no argument is some other API', () => {
    expect(diagnose('x = client.get_secret()\ny = self.vault.get_secret()\n')).toEqual([]);
    expect(diagnose('x = self.conv.utils.get_secret()\ny = utils.get_secret()\nz = conv.utils . get_secret ()\n')).toEqual([
      'missing-name:self.conv.utils.get_secret()',
      'missing-name:utils.get_secret()',
      'missing-name:conv.utils . get_secret ()',
    ]);
    expect(diagnose('const a = sdk.get_secret();\nconst b = this.conv.utils.get_secret();', model(), `${BOOKING}/a.ts`, 'typescript')).toEqual([
      'missing-name:this.conv.utils.get_secret()',
    ]);
  });

  it('in JavaScript and TypeScript too (no keywords there: the name is the first argument)', () => {
    expect(diagnose('const a = conv.utils.get_secret();\nconst b = conv.utils.get_secret(', model(), `${BOOKING}/a.ts`, 'typescript')).toEqual([
      'missing-name:conv.utils.get_secret()',
    ]);
    expect(diagnose("const a = conv.utils.get_secret({ secret_name: 'x' });", model(), `${BOOKING}/a.js`, 'javascript')).toEqual([
      'dynamic-name:{ secret_name: \'x\' }',
    ]);
  });
});
