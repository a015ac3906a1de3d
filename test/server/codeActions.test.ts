import { describe, expect, it } from 'vitest';
import { CodeActionKind, type CodeAction, type TextEdit } from 'vscode-languageserver-types';
import { codeActions } from '../../server/src/service/features/codeActions';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { VaultModel } from '../../server/src/service/model/model';
import { Commands } from '../../protocol/lsp';
import { LEGACY, doc, envSnapshot, model, textOf } from './vaultFixture';

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

  it('nothing for not-a-mapping and dynamic names, nor when only other kinds are asked for', () => {
    expect(fixes("conv.utils.get_secret('stripe_key')['x']\nconv.utils.get_secret(name)", model({ defaultAgent: null }), `${LEGACY}/x.py`)).toEqual([]);
    expect(fixes("conv.utils.get_secret('stripe_key')", model(), undefined, [CodeActionKind.Refactor])).toEqual([]);
    expect(fixes("conv.utils.get_secret('stripe_key')", model(), undefined, [CodeActionKind.QuickFix])).toHaveLength(1);
  });

  it('ignores diagnostics from other sources', () => {
    const d = doc("conv.utils.get_secret('stripe_key')");
    const [ours] = computeDiagnostics(d.doc, d.result, model());
    expect(codeActions(d.doc, d.result, model(), [{ ...ours!, source: 'pylint' }])).toEqual([]);
  });
});
