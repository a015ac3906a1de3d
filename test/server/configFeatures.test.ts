// The language features on an ADK project's agent_settings/experimental_config.json, over in-memory
// documents: diagnostics (wrong-kind beside the access checks), completion inside the string, hover,
// quick fixes and usages; and on `secret_vault(name)` in Python, which is a get_secret.

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, DiagnosticSeverity, type CompletionList, type MarkupContent } from 'vscode-languageserver-types';
import { Commands } from '../../protocol/lsp';
import { scan } from '../../server/src/service/analyze';
import { codeActions } from '../../server/src/service/features/codeActions';
import { complete } from '../../server/src/service/features/completion';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { hover } from '../../server/src/service/features/hover';
import { findUsages } from '../../server/src/service/features/usages';
import { languageOfDocument, languageOfPath } from '../../server/src/service/scan/references';
import { BOOKING, doc, envSnapshot, model, textOf, type Doc } from './vaultFixture';
import { VaultModel } from '../../server/src/service/model/model';

const CONFIG_URI = `${BOOKING}/agent_settings/experimental_config.json`;

/** The configuration as the editor has it open (JSON); a `|` marks the cursor. */
function config(text: string, languageId = 'json'): Doc {
  const cursor = text.indexOf('|');
  const clean = cursor >= 0 ? text.slice(0, cursor) + text.slice(cursor + 1) : text;
  const language = languageOfDocument(languageId, CONFIG_URI);
  expect(language).toBe('config');
  return { doc: TextDocument.create(CONFIG_URI, languageId, 1, clean), result: scan(clean, language!), cursor };
}

const CONFIG = `{
  "llm": {
    "mcp_servers": [
      { "url": "https://mcp.example.com", "auth": { "header": "X-Api-Key", "secret_name": "opentable_token" } },
      { "url": "https://calendar.example.com", "auth": { "oauth": { "client_id": "abc", "client_secret_name": "google_oauth", "token_url": "https://t" } } }
    ]
  },
  "agentic_dial": { "connector_token_secret_name": "sendgrid_api_key" },
  "webhooks": {
    "on_draft_published": [{ "url": "https://h", "auth": { "secret_name": "stripe_key" } }],
    "on_deployment": { "live": [{ "url": "https://h", "auth": { "secret_name": "strpe_key" } }] }
  },
  "ab": { "test_groups": [{ "test_config": { "agentic_dial": { "connector_token_secret_name": "twilio_auth" } } }] }
}
`;

function diagnostics(d: Doc, m = model()) {
  return computeDiagnostics(d.doc, d.result, m).map((x) => ({ code: x.code, severity: x.severity, text: textOf(d.doc, x.range), message: x.message }));
}

describe('configuration references: diagnostics', () => {
  it('checks each field against the vault and the project’s agent, and the kind of secret it needs', () => {
    expect(diagnostics(config(CONFIG))).toEqual([
      {
        code: 'wrong-kind',
        severity: DiagnosticSeverity.Error,
        text: 'google_oauth',
        message: "llm.mcp_servers[].auth.oauth.client_secret_name needs a single-value secret, whose value the platform sends as it is, but 'google_oauth' is a key/value secret.",
      },
      {
        code: 'wrong-kind',
        severity: DiagnosticSeverity.Error,
        text: 'sendgrid_api_key',
        message: "agentic_dial.connector_token_secret_name needs a key/value secret (agent names to connector tokens), but 'sendgrid_api_key' is a single value.",
      },
      {
        code: 'not-granted',
        severity: DiagnosticSeverity.Error,
        text: 'stripe_key',
        message: "Secret 'stripe_key' is not granted to agent 'booking-agent' (granted to: billing-agent).",
      },
      {
        code: 'unknown-secret',
        severity: DiagnosticSeverity.Error,
        text: 'strpe_key',
        message: "Secret 'strpe_key' does not exist in the vault. Did you mean 'stripe_key'?",
      },
      {
        code: 'not-granted',
        severity: DiagnosticSeverity.Error,
        text: 'twilio_auth',
        message: "Secret 'twilio_auth' is not granted to agent 'booking-agent' (no agent has access).",
      },
    ]);
  });

  it('counts in an environment-style account too, where names are environment variables', () => {
    const d = config(`{"agentic_dial": {"connector_token_secret_name": "OPENTABLE_TOKEN"}, "webhooks": {"on_draft_published": [{"auth": {"secret_name": "stripe_key"}}]}}`);
    expect(diagnostics(d, VaultModel.fromSnapshot(envSnapshot())).map((x) => `${x.code}:${x.text}`)).toEqual(['wrong-kind:OPENTABLE_TOKEN', 'invalid-name:stripe_key']);
  });

  it('says what a credential pasted into a field is, without quoting it, and nothing else', () => {
    const key = ['sk', 'live', '51H8xYzQ2eZvKYlo2C9pQwErTyUiOpAsDfGhJkL'].join('_');
    const found = diagnostics(config(`{"webhooks": {"on_draft_published": [{"auth": {"secret_name": "${key}"}}]}}`));
    expect(found.map((x) => x.code)).toEqual(['hardcoded-secret']);
    expect(found[0]!.message).toMatch(/^Hard-coded Stripe .* where a secret's name goes: webhooks\.on_draft_published\[\]\.auth\.secret_name names a secret by its name, so this read fails/);
    expect(found[0]!.message).not.toContain(key);
  });

  it('escapes control characters of an environment key in the field it names', () => {
    const found = diagnostics(config(String.raw`{"webhooks": {"on_deployment": {"li\u001b[2Jve": [{"auth": {"secret_name": "google_oauth"}}]}}}`));
    expect(found.map((x) => x.code)).toEqual(['wrong-kind']);
    expect(found[0]!.message).not.toContain('\u001b');
    expect(found[0]!.message).toMatch(/^webhooks\.on_deployment\.li\\x1b\[2Jve\[\]\.auth\.secret_name needs/);
  });

  it('a string still being typed is not judged yet', () => {
    expect(diagnostics(config(`{"agentic_dial": {"connector_token_secret_name": "goo\n}}`))).toEqual([]);
  });
});

describe('configuration references: completion, hover, quick fixes, usages', () => {
  it('completes names inside the string, the agent’s own first, replacing the whole content', () => {
    const d = config(`{"webhooks": {"on_draft_published": [{"auth": {"secret_name": "send|x"}}]}}`);
    const list = complete(d.doc, d.result, model(), d.cursor, { editRangeDefault: true, dataDefault: true }) as CompletionList;
    expect(list.itemDefaults?.editRange).toEqual({ start: d.doc.positionAt(d.cursor - 4), end: d.doc.positionAt(d.cursor + 1) });
    expect(list.items.slice(0, 3).map((i) => i.label)).toEqual(['google_oauth', 'opentable_token', 'sendgrid_api_key']);
  });

  it('closes the string an unclosed field leaves open, with JSON’s escapes for a name that needs them', () => {
    const d = config(`{"webhooks": {"on_draft_published": [{"auth": {"secret_name": "op|\n}}]}}`);
    const m = model({ secrets: [...model().secrets.values()].map((e) => e.info).concat([{ name: 'Bob "B" key', description: '', kind: 'single', keys: [], agents: ['booking-agent'] }]) });
    const list = complete(d.doc, d.result, m, d.cursor, { editRangeDefault: true }) as CompletionList;
    const edit = (label: string) => list.items.find((i) => i.label === label)?.textEdit;
    expect(edit('opentable_token')).toEqual({ range: { start: d.doc.positionAt(d.cursor - 2), end: d.doc.positionAt(d.cursor) }, newText: 'opentable_token"' });
    expect(edit('Bob "B" key')).toMatchObject({ newText: 'Bob \\"B\\" key"' });
  });

  it('hovers a name with the secret and whether the project’s agent can read it', () => {
    const d = config(`{"agentic_dial": {"connector_token_secret_name": "goo|gle_oauth"}}`);
    const h = hover(d.doc, d.result, model(), d.cursor);
    expect((h?.contents as MarkupContent).value).toContain('Keys: `client_id`, `client_secret`');
    expect((h?.contents as MarkupContent).value).toContain('✓ Granted to `booking-agent`');
    expect(textOf(d.doc, h!.range!)).toBe('google_oauth');
  });

  it('offers the same quick fixes as in code: grant for admins, a request for developers, did-you-mean and create', () => {
    const d = config(CONFIG);
    const fixes = (m: VaultModel) => {
      const found = computeDiagnostics(d.doc, d.result, m);
      return codeActions(d.doc, d.result, m, found).map((a) => ({ title: a.title, command: a.command?.command, args: a.command?.arguments, edit: a.edit }));
    };
    const admin = fixes(model());
    expect(admin.map((a) => a.title)).toEqual([
      "Grant 'booking-agent' access to 'stripe_key'",
      "Change to 'stripe_key'",
      "Create secret 'strpe_key'…",
      "Grant 'booking-agent' access to 'twilio_auth'",
    ]);
    expect(admin[0]).toMatchObject({ command: Commands.grantAccess, args: [{ name: 'stripe_key', agent: 'booking-agent' }] });
    const strpe = d.doc.getText().indexOf('strpe_key');
    expect(admin[1]!.edit).toEqual({
      changes: { [CONFIG_URI]: [{ range: { start: d.doc.positionAt(strpe), end: d.doc.positionAt(strpe + 9) }, newText: 'stripe_key' }] },
    });
    const developer = fixes(model({ role: 'developer' }));
    expect(developer.map((a) => [a.title, a.command])).toEqual([
      ["Request access for 'booking-agent' to 'stripe_key'…", Commands.requestAccess],
      ["Change to 'stripe_key'", undefined],
      ["Request secret 'strpe_key' for 'booking-agent'…", Commands.requestAccess],
      ["Request access for 'booking-agent' to 'twilio_auth'…", Commands.requestAccess],
    ]);
    // Only quick fixes: the kind the editor asks for.
    expect(codeActions(d.doc, d.result, model(), computeDiagnostics(d.doc, d.result, model()), [CodeActionKind.Refactor])).toEqual([]);
  });

  it('usages and Find All References cover the configuration and the code, secret_vault included', () => {
    const py = doc(`from utils.secret_vault import secret_vault\n\ndef f(conv):\n    a = secret_vault('opentable_token')\n    b = conv.utils.get_secret('opentable_token')\n`);
    const d = config(CONFIG);
    const found = findUsages([py, d], 'snake_case', 'opentable_token');
    expect(found.map((l) => `${l.uri.slice(BOOKING.length)}:${l.range.start.line}`)).toEqual(['/functions/main.py:3', '/functions/main.py:4', '/agent_settings/experimental_config.json:3']);
  });
});

describe('the configuration file as a language', () => {
  it('is read only at its path, as JSON or JSON with comments', () => {
    expect(languageOfDocument('jsonc', CONFIG_URI)).toBe('config');
    expect(languageOfDocument('json', `${BOOKING}/agent_settings/other.json`)).toBeUndefined();
    expect(languageOfDocument('json', `${BOOKING}/experimental_config.json`)).toBeUndefined();
    expect(languageOfDocument('plaintext', CONFIG_URI)).toBeUndefined();
    expect(languageOfDocument('python', `${BOOKING}/functions/a.py`)).toBe('python');
    expect(languageOfPath('/w/p/agent_settings/experimental_config.json')).toBe('config');
    expect(languageOfPath('/w/p/agent_settings/x.json')).toBeUndefined();
  });
});

describe('secret_vault(name) in the features', () => {
  const SOURCE = `from utils.secret_vault import secret_vault as sv_fn\n\ndef f(conv):\n    creds = sv_fn('google_oauth')\n    card = sv_fn('stripe_key')\n    return creds['clientid'], card['x'], sv_fn('|')\n`;

  it('gets the diagnostics of get_secret: access, keys, a key of a single value', () => {
    const d = doc(SOURCE.replace(", sv_fn('|')", ''));
    expect(diagnostics(d).map((x) => `${x.code}:${x.text}`)).toEqual(['unknown-key:clientid', 'not-granted:stripe_key', 'not-a-mapping:x']);
  });

  it('completes names in the call and keys on the result', () => {
    const d = doc(SOURCE);
    const names = complete(d.doc, d.result, model(), d.cursor, { editRangeDefault: true }) as CompletionList;
    expect(names.items.map((i) => i.label)).toContain('opentable_token');
    const k = doc(SOURCE.replace("sv_fn('|')", "''").replace("creds['clientid']", "creds['|']"));
    const keys = complete(k.doc, k.result, model(), k.cursor, { editRangeDefault: true }) as CompletionList;
    expect(keys.items.map((i) => i.label)).toEqual(['client_id', 'client_secret']);
  });

  it('a credential pasted into the call is one hardcoded-secret, by kind', () => {
    const key = ['sk', 'live', '51H8xYzQ2eZvKYlo2C9pQwErTyUiOpAsDfGhJkL'].join('_');
    const d = doc(`from utils.secret_vault import secret_vault\n\ndef f(conv):\n    return secret_vault('${key}')\n`);
    expect(diagnostics(d).map((x) => x.code)).toEqual(['hardcoded-secret']);
  });
});
