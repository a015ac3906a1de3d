import { describe, expect, it } from 'vitest';
import { CodeActionKind, type CodeAction, type TextEdit } from 'vscode-languageserver-types';
import { accessorSpan, codeActions } from '../../server/src/service/features/codeActions';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { VaultModel } from '../../server/src/service/model/model';
import { Commands } from '../../protocol/lsp';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { BOOKING, LEGACY, doc, envSnapshot, model, textOf } from './vaultFixture';
import { scan } from '../../server/src/service/analyze';
import { pythonModuleNames } from '../../server/src/service/python/nameSets';

/** The quick fixes an editor would offer for the diagnostics of `text`, as title → what they do. */
function fixes(text: string, m: VaultModel, uri?: string, only?: string[]) {
  const d = doc(text, uri);
  const diagnostics = computeDiagnostics(d.doc, d.result, m);
  const actions = codeActions(d.doc, d.result, m, diagnostics, only);
  return actions.map((a: CodeAction) => {
    expect(a.kind).toBe(CodeActionKind.QuickFix);
    expect(a.diagnostics?.length).toBe(1);
    const edit = a.edit?.changes?.[d.doc.uri]?.[0] as TextEdit | undefined;
    return {
      title: a.title,
      preferred: a.isPreferred ?? false,
      ...(edit ? { replaces: textOf(d.doc, edit.range), with: edit.newText } : {}),
      ...(a.command ? { command: a.command.command, args: a.command.arguments } : {}),
    };
  });
}

describe('code actions', () => {
  it('unknown secret: did-you-mean, nearest first and preferred, then create for admins', () => {
    const text = "creds = conv.utils.get_secret('googel_oauth')\ncreds['client_id']\ncreds['tenant']\n";
    expect(fixes(text, model())).toEqual([
      { title: "Change to 'google_oauth'", preferred: true, replaces: 'googel_oauth', with: 'google_oauth' },
      {
        title: "Create secret 'googel_oauth'…",
        preferred: false,
        command: Commands.createSecret,
        args: [{ name: 'googel_oauth', agent: 'booking-agent', keys: ['client_id', 'tenant'] }],
      },
    ]);
  });

  it('offers up to three names, closest first', () => {
    const m = model({
      secrets: ['stripe_key', 'stripe_keys', 'strip_key', 'stripe_kay', 'stripe_token'].map((name) => ({
        name,
        description: '',
        kind: 'single' as const,
        keys: [],
        agents: ['booking-agent'],
      })),
    });
    expect(fixes("conv.utils.get_secret('strpe_key')", m).map((f) => f.title)).toEqual([
      "Change to 'stripe_key'",
      "Change to 'strip_key'",
      "Change to 'stripe_kay'",
      "Create secret 'strpe_key'…",
    ]);
  });

  it('not granted: grant the folder’s agent, for admins only', () => {
    const text = "conv.utils.get_secret('stripe_key')";
    expect(fixes(text, model())).toEqual([
      {
        title: "Grant 'booking-agent' access to 'stripe_key'",
        preferred: true,
        command: Commands.grantAccess,
        args: [{ name: 'stripe_key', agent: 'booking-agent' }],
      },
    ]);
    // Developers ask instead (test/server/lifecycle.test.ts has the details).
    expect(fixes(text, model({ role: 'developer' })).map((f) => f.command)).toEqual([Commands.requestAccess]);
  });

  it('developers get did-you-mean and a request, but no vault changes', () => {
    const titles = fixes("conv.utils.get_secret('strpe_key')", model({ role: 'developer' })).map((f) => f.title);
    expect(titles).toEqual(["Change to 'stripe_key'", "Request secret 'strpe_key' for 'booking-agent'…"]);
  });

  it('without an agent the create command leaves the access list to the form', () => {
    const [, create] = fixes("conv.utils.get_secret('strpe_key')", model(), `${LEGACY}/x.py`);
    expect(create?.args).toEqual([{ name: 'strpe_key', agent: null }]);
  });

  it('unknown key: the secret’s nearest keys', () => {
    expect(fixes("conv.utils.get_secret('zendesk')['tokn']", model({ defaultAgent: null }), `${LEGACY}/x.py`)).toEqual([
      { title: "Change to 'token'", preferred: true, replaces: 'tokn', with: 'token' },
    ]);
  });

  it('invalid name: the account’s style, preferred when that secret exists', () => {
    const env = VaultModel.fromSnapshot(envSnapshot());
    expect(fixes("conv.utils.get_secret('x_bearer_token')", env)).toEqual([
      { title: "Change to 'X_BEARER_TOKEN'", preferred: true, replaces: 'x_bearer_token', with: 'X_BEARER_TOKEN' },
    ]);
    expect(fixes("conv.utils.get_secret('x_new_token')", env)).toEqual([
      { title: "Change to 'X_NEW_TOKEN' (not in the vault yet)", preferred: false, replaces: 'x_new_token', with: 'X_NEW_TOKEN' },
    ]);
    // A name no environment-style secret can have, with no clean mapping: nothing to offer.
    expect(fixes("conv.utils.get_secret('stripe-key')", env)).toEqual([]);
  });

  it('a name that differs from a vault name only in case, spacing or _/-/space: that name first, written for the literal', () => {
    const m = model({
      secrets: [
        { name: 'Prod API Credentials', description: '', kind: 'single', keys: [], agents: ['booking-agent'] },
        { name: "it's \\ {x}", description: '', kind: 'single', keys: [], agents: ['booking-agent'] },
        { name: 'prod_api_credential', description: '', kind: 'single', keys: [], agents: ['booking-agent'] },
      ],
      role: 'developer',
    });
    // 'prod_api_credential' is one edit away, the vault's 'Prod API Credentials' eight: the fold wins.
    expect(fixes("conv.utils.get_secret('prod_api_credentials')", m)[0]).toEqual({
      title: "Change to 'Prod API Credentials'",
      preferred: true,
      replaces: 'prod_api_credentials',
      with: 'Prod API Credentials',
    });
    // Valid Python and JavaScript for each literal: the quote and the backslash escaped, braces doubled in an f-string.
    const first = (text: string, languageId = 'python') => {
      const d = doc(text, undefined, languageId);
      const diagnostics = computeDiagnostics(d.doc, d.result, m);
      const edits = codeActions(d.doc, d.result, m, diagnostics).flatMap((a) => a.edit?.changes?.[d.doc.uri] ?? []);
      return edits[0]?.newText;
    };
    expect(first(String.raw`conv.utils.get_secret('IT\'S_\\_{X}')`)).toBe(String.raw`it\'s \\ {x}`);
    expect(first(String.raw`conv.utils.get_secret("IT'S-\\-{X}")`)).toBe(String.raw`it's \\ {x}`);
    expect(first(String.raw`conv.utils.get_secret(f'IT\'S \\ {{X}}')`)).toBe(String.raw`it\'s \\ {{x}}`);
    expect(first("conv.utils.get_secret(`IT'S \\\\ {X}`)", 'javascript')).toBe(String.raw`it's \\ {x}`);
    // A raw string cannot hold the name's backslash: no fix that would change what it reads.
    expect(first(String.raw`conv.utils.get_secret(r"IT'S \ {X}")`)).toBeUndefined();
  });

  describe('not-a-mapping: read the value as a string, or (admins) make the secret key/value', () => {
    /** The text after the "Read … as a string" fix, and the other fixes' titles. */
    function asString(text: string, languageId = 'python', m = model()) {
      const d = doc(text, `${BOOKING}/functions/main.${languageId === 'python' ? 'py' : languageId === 'typescript' ? 'ts' : 'js'}`, languageId);
      const diagnostics = computeDiagnostics(d.doc, d.result, m).filter((x) => x.code === 'not-a-mapping');
      expect(diagnostics).toHaveLength(1);
      const actions = codeActions(d.doc, d.result, m, diagnostics);
      const read = actions.find((a) => a.title.startsWith('Read '));
      const edit = read?.edit?.changes?.[d.doc.uri]?.[0];
      return {
        titles: actions.map((a) => a.title),
        after: edit ? TextDocument.applyEdits(d.doc, [edit]) : undefined,
        command: actions.find((a) => a.command)?.command,
      };
    }

    it('removes exactly the subscript or the .get(…), inline or through a variable, in Python', () => {
      const cases: [string, string][] = [
        ["x = conv.utils.get_secret('sendgrid_api_key')['token']\n", "x = conv.utils.get_secret('sendgrid_api_key')\n"],
        ["s = conv.utils.get_secret('sendgrid_api_key')\nx = s['token']\n", "s = conv.utils.get_secret('sendgrid_api_key')\nx = s\n"],
        ["s = conv.utils.get_secret('sendgrid_api_key')\nx = s [ 'token' ]\n", "s = conv.utils.get_secret('sendgrid_api_key')\nx = s\n"],
        ["x = conv.utils.get_secret('sendgrid_api_key').get('token')\n", "x = conv.utils.get_secret('sendgrid_api_key')\n"],
        ["s = conv.utils.get_secret('sendgrid_api_key')\nx = s.get('token', 'none')\n", "s = conv.utils.get_secret('sendgrid_api_key')\nx = s\n"],
        ["s = conv.utils.get_secret('sendgrid_api_key')\nx = s.get('token', f(')', [1, (2)]) )  # )\n", "s = conv.utils.get_secret('sendgrid_api_key')\nx = s  # )\n"],
        ["s = conv.utils.get_secret('sendgrid_api_key')\nx = s.get(\n    'token',\n    '''a ) b''',\n)\n", "s = conv.utils.get_secret('sendgrid_api_key')\nx = s\n"],
      ];
      for (const [text, after] of cases) {
        const found = asString(text);
        expect(found.titles, text).toEqual(["Read 'sendgrid_api_key' as a string", "Edit secret 'sendgrid_api_key' to make it key/value with key 'token'…"]);
        expect(found.after, text).toBe(after);
      }
    });

    it('the span it removes in JavaScript and TypeScript, optional chaining included (the JS scanner keeps no keys yet: no diagnostic there)', () => {
      /** `text` with the accessor around its first 'token' literal removed. */
      const cut = (text: string, via: 'subscript' | 'get') => {
        const start = text.indexOf("'token'");
        const literal = { value: 'token', span: { start, end: start + 7 }, contentSpan: { start: start + 1, end: start + 6 }, closed: true };
        const span = accessorSpan(text, { key: 'token', literal, via }, false);
        return span && text.slice(0, span.start) + text.slice(span.end);
      };
      expect(cut("const x = conv.utils.get_secret('k')['token'];", 'subscript')).toBe("const x = conv.utils.get_secret('k');");
      expect(cut("const x = s?.['token'];", 'subscript')).toBe('const x = s;');
      expect(cut("const x = s?.get('token');", 'get')).toBe('const x = s;');
      expect(cut("const x = s.get('token', `)${f(')')}` /* ) */ );", 'get')).toBe('const x = s;');
      expect(cut("const x = s.get('token', // )\n  'd');", 'get')).toBe('const x = s;');
      // Not the shape it says: left alone.
      expect(cut("const x = s.forget('token');", 'get')).toBeUndefined();
      expect(cut("const x = s.get('token', 'unclosed;", 'get')).toBeUndefined();
      expect(cut("const x = f('token');", 'get')).toBeUndefined();
    });

    it('the admin fix opens Edit Secret as key/value with the key read; a developer gets only the edit', () => {
      const text = "x = conv.utils.get_secret('sendgrid_api_key')['token']\n";
      expect(asString(text).command).toEqual({
        title: "Edit secret 'sendgrid_api_key' to make it key/value with key 'token'…",
        command: Commands.editSecret,
        arguments: [{ name: 'sendgrid_api_key', keys: ['token'] }],
      });
      expect(asString(text, 'python', model({ role: 'developer' })).titles).toEqual(["Read 'sendgrid_api_key' as a string"]);
    });

    it('no string fix for a computed read that may take a key/value secret, and no key that is a credential quoted', () => {
      const mixed = "def f(conv):\n    name = 'sendgrid_api_key' if conv.env == 'live' else 'google_oauth'\n    return conv.utils.get_secret(name)['client_id']\n";
      expect(asString(mixed).titles).toEqual(["Edit secret 'sendgrid_api_key' to make it key/value with key 'client_id'…"]);
      const credential = asString("x = conv.utils.get_secret('sendgrid_api_key')['sk_live_51HbQz7KkT3Xq9mWvR2pLs8dNf']\n");
      expect(credential.titles).toEqual(["Read 'sendgrid_api_key' as a string"]);
    });
  });

  it('no Create for a name that is an existing secret to a person: the change to it is the fix', () => {
    const m = model({ secrets: [{ name: 'Prod API Credentials', description: '', kind: 'single', keys: [], agents: ['booking-agent'] }] });
    expect(fixes("conv.utils.get_secret('prod_api_credentials')", m).map((f) => f.title)).toEqual(["Change to 'Prod API Credentials'"]);
  });

  it('nothing for dynamic names, nor when only other kinds are asked for', () => {
    expect(fixes("conv.utils.get_secret(name)", model({ defaultAgent: null }), `${LEGACY}/x.py`)).toEqual([]);
    expect(fixes("conv.utils.get_secret('stripe_key')", model(), undefined, [CodeActionKind.Refactor])).toEqual([]);
    expect(fixes("conv.utils.get_secret('stripe_key')", model(), undefined, [CodeActionKind.QuickFix])).toHaveLength(1);
  });

  it('ignores diagnostics from other sources', () => {
    const d = doc("conv.utils.get_secret('stripe_key')");
    const [ours] = computeDiagnostics(d.doc, d.result, model());
    expect(codeActions(d.doc, d.result, model(), [{ ...ours!, source: 'pylint' }])).toEqual([]);
  });
});

describe("a did-you-mean for a name joined from another module's constant", () => {
  /** The edits of the fixes for `main`'s one diagnostic, config.py holding `PREFIX = "<prefix>"`, the read joining PREFIX with `rest`. */
  const fixes = (prefix: string, rest: string) => {
    const configText = `PREFIX = "${prefix}"\n`;
    const configUri = `${BOOKING}/functions/config.py`;
    const names = new Map([...pythonModuleNames(configText)].map(([k, v]) => [k, v.map((c) => ({ ...c, uri: configUri }))]));
    const text = `from .config import PREFIX\n\ndef f(conv):\n    return conv.utils.get_secret(PREFIX + "${rest}")\n`;
    const d = TextDocument.create(`${BOOKING}/functions/main.py`, 'python', 1, text);
    const result = scan(text, 'python', (m) => (m === '.config' ? names : undefined));
    const config = TextDocument.create(configUri, 'python', 1, configText);
    const diagnostics = computeDiagnostics(d, result, model(), Date.now(), (u) => (u === configUri ? config : undefined));
    return codeActions(d, result, model(), diagnostics).flatMap((a) => Object.entries(a.edit?.changes ?? {}).flatMap(([uri, edits]) => edits.map((e) => `${uri.slice(uri.lastIndexOf('/') + 1)}:${e.newText}`)));
  };

  it('edits the constant only with its own part of the name, where that part alone differs', () => {
    // 'strpe' + '_key': the constant becomes 'stripe', not the whole name.
    expect(fixes('strpe', '_key')).toEqual(['config.py:stripe']);
    // 'stripe' + '_ky': the part that differs is not the constant's: no edit of it (it made 'stripe_key_ky').
    expect(fixes('stripe', '_ky')).toEqual([]);
  });
});

