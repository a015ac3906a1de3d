// The bundled server as an editor meets it: a child process speaking LSP over stdio, a workspace on
// disk, a snapshot pushed by the client, documents opened and edited incrementally.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeLensRequest,
  CodeActionRequest,
  CompletionRequest,
  CompletionResolveRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  FileChangeType,
  HoverRequest,
  ReferencesRequest,
  WorkspaceDiagnosticRequest,
  type CompletionList,
  type Diagnostic,
  type FullDocumentDiagnosticReport,
  type MarkupContent,
  type Position,
  type WorkspaceDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { Commands, DeltaNotification, SnapshotNotification, UsagesRequest, type MetadataDelta, type SecretInfo, type VaultSnapshot } from '../../protocol/lsp';
import { buildServer, LspSession } from './lspHarness';
import { SNAKE_SECRETS } from './vaultFixture';

const BOOK_PY = `from conv import utils


def book_table(conv, party_size):
    """Books a table. conv.utils.get_secret('in_docstring') is not read."""
    token = conv.utils.get_secret('opentable_token')
    oauth = conv.utils.get_secret('google_oauth')
    calendar_id = oauth['client_id']
    card = conv.utils.get_secret('stripe_key')
    return token, calendar_id, card
`;

const FILES: Record<string, string> = {
  'functions/book.py': BOOK_PY,
  'functions/remind.py': `def remind(conv):
    sms = conv.utils.get_secret('twilio_auth')['acount_sid']
    mail = conv.utils.get_secret('sendgrid_api_key')
    other = conv.utils.get_secret('strpe_key')
    return sms, mail, other
`,
  'web/app.ts': "export const key = conv.utils.get_secret('stripe_key');\n",
  'excluded/skip.py': "conv.utils.get_secret('zendesk')\n",
  'node_modules/lib/index.js': "conv.utils.get_secret('zendesk')\n",
};

/** A value a careless client might attach: it must never come back in any message. */
const SMUGGLED = 'sk_live_51SMUGGLEDVALUE';

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function workspace(name: string): Promise<{ dir: string; uri: string }> {
  const dir = path.join(tmp, name);
  for (const [rel, text] of Object.entries(FILES)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return { dir, uri: pathToFileURL(dir).href };
}

function snapshotFor(folderUri: string, overrides: Partial<VaultSnapshot> = {}): VaultSnapshot {
  return {
    revision: 1,
    connection: 'connected',
    namingStyle: 'snake_case',
    role: 'admin',
    secrets: SNAKE_SECRETS.map((s) => (s.name === 'stripe_key' ? ({ ...s, value: SMUGGLED } as typeof s) : s)),
    agents: [
      { id: 'booking-agent', name: 'Booking agent' },
      { id: 'billing-agent', name: 'Billing agent' },
    ],
    folders: [{ folderUri, agent: 'booking-agent' }],
    defaultAgent: null,
    stale: null,
    ...overrides,
  };
}

/** Position of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
function pos(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

const brief = (d: Diagnostic) => `${d.code}@${d.range.start.line}:${d.range.start.character}`;

describe('language server over stdio', () => {
  it('bundles without vscode and without any HTTP client', async () => {
    const code = await readFile(bundle, 'utf8');
    expect(code).not.toMatch(/require\(["']vscode["']\)/);
    expect(code).not.toMatch(/require\(["'](node:)?https?["']\)/);
    expect(code).not.toMatch(/require\(["']undici["']\)/);
  });

  it('with a pull-diagnostics client: index, snapshot, edits, features, usages, file changes', async () => {
    const ws = await workspace('pull');
    const settings: Record<string, unknown> = { 'files.exclude': { '**/excluded': true, '**/.git': true } };
    const session = LspSession.start(bundle, settings);
    const responses: unknown[] = [];
    const ask = async <T>(p: Promise<T>): Promise<T> => {
      const r = await p;
      responses.push(r);
      return r;
    };
    try {
      const init = await session.initialize([{ uri: ws.uri, name: 'pull' }], true, { maxFileSize: 100_000 });
      expect(init.capabilities.textDocumentSync).toEqual({ openClose: true, change: 2, save: { includeText: false } });
      expect(init.capabilities.diagnosticProvider).toEqual({ identifier: 'secrets-vault', interFileDependencies: false, workspaceDiagnostics: true });
      expect(init.capabilities.completionProvider).toEqual({ triggerCharacters: ["'", '"', '[', '.', '('], resolveProvider: true });
      expect(init.capabilities.codeActionProvider).toEqual({ codeActionKinds: ['quickfix'] });
      expect(init.capabilities.hoverProvider).toBe(true);

      const watch = await session.waitFor('register', (e) => e.params.method === 'workspace/didChangeWatchedFiles');
      expect(JSON.stringify(watch.params.registerOptions)).toContain('**/*.{py,js,jsx,mjs,cjs,ts,tsx,mts,cts}');
      await session.waitFor('configuration');

      await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(ws.uri));
      // Counts come once the index is read, in full the first time, only for the vault's secrets
      // (not 'strpe_key'): excluded and dependency folders are not in them.
      const counts = await session.waitFor('counts');
      expect(counts.params).toEqual({
        counts: { google_oauth: 1, opentable_token: 1, sendgrid_api_key: 1, stripe_key: 2, twilio_auth: 1 },
        full: true,
      });
      const progress = session.events.filter((e) => e.type === 'progress').map((e) => (e.params as { value: { kind: string } }).value.kind);
      expect(progress[0]).toBe('begin');
      expect(progress.at(-1)).toBe('end');

      // Workspace diagnostics: files nobody opened.
      const uri = (rel: string) => `${ws.uri}/${rel}`;
      const wsReport = await ask(session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] }));
      const byUri = (report: WorkspaceDiagnosticReport) =>
        Object.fromEntries(
          report.items.map((i) => [i.uri.slice(ws.uri.length + 1), i.kind === 'full' ? i.items.map(brief) : 'unchanged']),
        );
      expect(byUri(wsReport)).toEqual({
        'functions/book.py': ['not-granted@8:34'],
        'functions/remind.py': ['not-granted@1:33', 'unknown-key@1:48', 'unknown-secret@3:35'],
        'web/app.ts': ['not-granted@0:42'],
      });
      const remind = wsReport.items.find((i) => i.uri === uri('functions/remind.py'));
      expect(remind?.kind === 'full' && remind.items[2]?.message).toBe("Secret 'strpe_key' does not exist in the vault. Did you mean 'stripe_key'?");
      const previousResultIds = wsReport.items.map((i) => ({ uri: i.uri, value: i.resultId! }));
      const again = await ask(session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds }));
      expect(Object.values(byUri(again))).toEqual(['unchanged', 'unchanged', 'unchanged']);

      // Open a document: pulled one by one now, with the editor's text.
      const book = uri('functions/book.py');
      let text = BOOK_PY;
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri: book, languageId: 'python', version: 1, text },
      });
      const pulled = (await ask(session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: book } }))) as FullDocumentDiagnosticReport;
      expect(pulled.kind).toBe('full');
      expect(pulled.items).toEqual([
        {
          range: { start: pos(text, 'stripe_key'), end: pos(text, 'stripe_key', 10) },
          severity: 1,
          code: 'not-granted',
          source: 'secrets-vault',
          message: "Secret 'stripe_key' is not granted to agent 'booking-agent' (granted to: billing-agent).",
          data: { name: 'stripe_key' },
        },
      ]);
      const unchanged = await ask(
        session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: book }, previousResultId: pulled.resultId }),
      );
      expect(unchanged.kind).toBe('unchanged');
      // The workspace report covers it too, with the open version: VS Code uses that for a document
      // open without a tab (a preview), and its own pull for one shown in a tab.
      const withOpen = await ask(session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds }));
      expect(byUri(withOpen)['functions/book.py']).toEqual(['not-granted@8:34']);
      expect(withOpen.items.find((i) => i.uri === book)?.version).toBe(1);
      expect(withOpen.items.find((i) => i.uri === book)?.resultId).toBe(pulled.resultId);

      // An incremental edit: 'opentable_token' → 'opentable_tokn'.
      const e = pos(text, 'opentable_token', 13);
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: book, version: 2 },
        contentChanges: [{ range: { start: e, end: { line: e.line, character: e.character + 1 } }, text: '' }],
      });
      text = text.replace('opentable_token', 'opentable_tokn');
      const afterEdit = (await ask(
        session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: book }, previousResultId: pulled.resultId }),
      )) as FullDocumentDiagnosticReport;
      expect(afterEdit.items.map((d) => [d.code, d.message])).toEqual([
        ['unknown-secret', "Secret 'opentable_tokn' does not exist in the vault. Did you mean 'opentable_token'?"],
        ['not-granted', "Secret 'stripe_key' is not granted to agent 'booking-agent' (granted to: billing-agent)."],
      ]);

      // Quick fixes for both, as the editor asks: the diagnostics at the cursor in the context.
      const actions = await ask(
        session.conn.sendRequest(CodeActionRequest.type, {
          textDocument: { uri: book },
          range: afterEdit.items[0]!.range,
          context: { diagnostics: afterEdit.items, only: ['quickfix'] },
        }),
      );
      expect(
        actions?.map((a) => ('kind' in a ? { title: a.title, kind: a.kind, edit: a.edit, command: a.command?.command, args: a.command?.arguments } : a)),
      ).toEqual([
        {
          title: "Change to 'opentable_token'",
          kind: 'quickfix',
          edit: { changes: { [book]: [{ range: afterEdit.items[0]!.range, newText: 'opentable_token' }] } },
          command: undefined,
          args: undefined,
        },
        {
          title: "Create secret 'opentable_tokn'…",
          kind: 'quickfix',
          edit: undefined,
          command: Commands.createSecret,
          args: [{ name: 'opentable_tokn', agent: 'booking-agent' }],
        },
        {
          title: "Grant 'booking-agent' access to 'stripe_key'",
          kind: 'quickfix',
          edit: undefined,
          command: Commands.grantAccess,
          args: [{ name: 'stripe_key', agent: 'booking-agent' }],
        },
      ]);

      // Type a new reference and complete it.
      const at = pos(text, '    return');
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: book, version: 3 },
        contentChanges: [{ range: { start: at, end: at }, text: "    mail = conv.utils.get_secret('se')\n" }],
      });
      text = text.slice(0, text.indexOf('    return')) + "    mail = conv.utils.get_secret('se')\n" + text.slice(text.indexOf('    return'));
      const cursor = pos(text, "get_secret('se')", 14);
      const list = (await ask(
        session.conn.sendRequest(CompletionRequest.type, {
          textDocument: { uri: book },
          position: cursor,
          context: { triggerKind: 1 },
        }),
      )) as CompletionList;
      expect(list.itemDefaults?.editRange).toEqual({ start: pos(text, "get_secret('se')", 12), end: cursor });
      expect(list.items.slice(0, 4).map((i) => [i.label, i.labelDetails?.description])).toEqual([
        ['google_oauth', 'key/value, 2 keys'],
        ['opentable_token', 'single value'],
        ['sendgrid_api_key', 'single value'],
        ['stripe_key', 'not granted to booking-agent'],
      ]);
      // VS Code gives itemDefaults.data to the item it resolves.
      expect(list.itemDefaults?.data).toEqual({ agent: 'booking-agent' });
      const resolved = await ask(session.conn.sendRequest(CompletionResolveRequest.type, { ...list.items[2]!, data: list.itemDefaults?.data }));
      expect((resolved.documentation as MarkupContent).value).toContain('Agents with access: `booking-agent` (Booking agent), `support-agent`');

      const h = await ask(session.conn.sendRequest(HoverRequest.type, { textDocument: { uri: book }, position: pos(text, 'google_oauth', 3) }));
      expect((h?.contents as MarkupContent).value).toContain('Keys: `client_id`, `client_secret`');
      expect(h?.range).toEqual({ start: pos(text, 'google_oauth'), end: pos(text, 'google_oauth', 12) });

      // Usages span open documents (their current text) and the index.
      const usages = await ask(session.conn.sendRequest(UsagesRequest.type, { name: 'stripe_key' }));
      expect(usages.map((l) => `${l.uri.slice(ws.uri.length + 1)}:${l.range.start.line}`).sort()).toEqual(['functions/book.py:8', 'web/app.ts:0']);
      const keyUsages = await ask(session.conn.sendRequest(UsagesRequest.type, { name: 'google_oauth', key: 'client_id' }));
      expect(keyUsages).toEqual([{ uri: book, range: { start: pos(text, "'client_id'", 1), end: pos(text, "'client_id'", 10) } }]);
      // Find All References on a key answers the same locations as the usages request.
      const refs = await ask(
        session.conn.sendRequest(ReferencesRequest.type, {
          textDocument: { uri: book },
          position: pos(text, "'client_id'", 3),
          context: { includeDeclaration: true },
        }),
      );
      expect(refs).toEqual(keyUsages);
      // After the first report, only what changed: 'opentable_token' lost its reference to a typo;
      // 'opentable_tokn' and 'se' are not vault secrets and have no count.
      const changedCounts = await session.waitFor('counts', (c) => !c.params.full);
      expect(changedCounts.params).toEqual({ counts: { opentable_token: 0 }, full: false });

      // A new snapshot (stripe_key granted): the client is asked to pull again and the warning is gone.
      const mark = session.events.length;
      const granted = snapshotFor(ws.uri, {
        secrets: SNAKE_SECRETS.map((s) => (s.name === 'stripe_key' ? { ...s, agents: ['billing-agent', 'booking-agent'] } : s)),
      });
      await session.conn.sendNotification(SnapshotNotification.type, granted);
      await session.waitFor('refresh', undefined, mark);
      const rechecked = (await ask(session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: book } }))) as FullDocumentDiagnosticReport;
      expect(rechecked.items.map((d) => `${d.code}:${d.data.name}`)).toEqual(['unknown-secret:opentable_tokn', 'unknown-secret:se']);
      const wsAfter = await ask(session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds }));
      expect(byUri(wsAfter)['web/app.ts']).toEqual([]);

      // Files change on disk: a new one, a deleted one.
      const mark2 = session.events.length;
      await writeFile(path.join(ws.dir, 'functions/new.py'), "conv.utils.get_secret('zendesk')\n");
      await rm(path.join(ws.dir, 'functions/remind.py'));
      await session.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: [
          { uri: uri('functions/new.py'), type: FileChangeType.Created },
          { uri: uri('functions/remind.py'), type: FileChangeType.Deleted },
        ],
      });
      const newCounts = await session.waitFor('counts', (c) => c.params.counts.zendesk === 1, mark2);
      expect(newCounts.params).toEqual({ counts: { sendgrid_api_key: 0, twilio_auth: 0, zendesk: 1 }, full: false });
      const wsFinal = await ask(
        session.conn.sendRequest(WorkspaceDiagnosticRequest.type, {
          previousResultIds: wsAfter.items.map((i) => ({ uri: i.uri, value: i.resultId! })),
        }),
      );
      expect(byUri(wsFinal)).toEqual({
        'functions/book.py': 'unchanged', // open, and not edited since the last report
        'functions/new.py': ['not-granted@0:23'],
        'functions/remind.py': [],
        'web/app.ts': 'unchanged',
      });

      // A settings change that leaves files.exclude alone reads nothing again; one that changes it
      // reads the folder again, and the folder it hid comes in (node_modules stays out).
      const mark3 = session.events.length;
      await session.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      settings['files.exclude'] = { '**/.git': true };
      await session.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      const reread = await session.waitFor('counts', (c) => c.params.counts.zendesk !== undefined, mark3);
      expect(reread.params).toEqual({ counts: { zendesk: 2 }, full: false });
      const begins = session.events.slice(mark3).filter((e) => e.type === 'progress' && (e.params as { value: { kind: string } }).value.kind === 'begin');
      expect(session.events.slice(mark3).filter((e) => e.type === 'configuration')).toHaveLength(2);
      expect(begins).toHaveLength(1);
      const wsExcluded = await ask(session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] }));
      expect(Object.keys(byUri(wsExcluded)).sort()).toEqual(['excluded/skip.py', 'functions/book.py', 'functions/new.py', 'web/app.ts']);

      // Nothing the server said carries the value smuggled into the snapshot.
      expect(JSON.stringify([session.events, responses])).not.toContain(SMUGGLED);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });

  it('with a push-only client: publishDiagnostics on open, snapshot, edit and close', async () => {
    const ws = await workspace('push');
    const session = LspSession.start(bundle, {});
    try {
      const init = await session.initialize([{ uri: ws.uri, name: 'push' }], false);
      expect(init.capabilities.diagnosticProvider).toBeUndefined();
      const book = `${ws.uri}/functions/book.py`;
      // No name any account can hold (a space at the end): invalid before any snapshot too.
      let text = BOOK_PY.replace("'google_oauth'", "'Google OAuth '");
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri: book, languageId: 'python', version: 1, text },
      });
      // Before any snapshot: only the checks that need no vault.
      const first = await session.waitFor('diagnostics', (e) => e.params.uri === book);
      expect(first.params.version).toBe(1);
      expect(first.params.diagnostics.map(brief)).toEqual(['invalid-name@6:35']);

      // A malformed snapshot is refused with a log line; the server carries on.
      const mark0 = session.events.length;
      await session.conn.sendNotification(SnapshotNotification.type, { ...snapshotFor(ws.uri), secrets: 'all of them' } as never);
      const refused = await session.waitFor('log', (e) => e.params.message.startsWith('Ignoring a malformed vault snapshot'), mark0);
      expect(refused.params.message).toBe('Ignoring a malformed vault snapshot: secrets is not an array.');
      expect((await session.waitFor('resync', undefined, mark0)).params).toEqual({ revision: null });

      const mark = session.events.length;
      await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(ws.uri));
      const second = await session.waitFor('diagnostics', (e) => e.params.uri === book, mark);
      expect(second.params.diagnostics.map(brief)).toEqual(['invalid-name@6:35', 'not-granted@8:34']);
      // The first counts after the snapshot are full: the open document's text counts ('Google OAuth '
      // is no name, so google_oauth has none), the excluded folder is not excluded for this client.
      const full = await session.waitFor('counts', undefined, mark);
      expect(full.params).toEqual({
        counts: { opentable_token: 1, sendgrid_api_key: 1, stripe_key: 2, twilio_auth: 1, zendesk: 1 },
        full: true,
      });

      const start = pos(text, 'Google OAuth ');
      const mark2 = session.events.length;
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: book, version: 2 },
        contentChanges: [{ range: { start, end: pos(text, 'Google OAuth ', 13) }, text: 'google_oauth' }],
      });
      text = text.replace('Google OAuth ', 'google_oauth');
      const third = await session.waitFor('diagnostics', (e) => e.params.uri === book && e.params.version === 2, mark2);
      expect(third.params.diagnostics.map(brief)).toEqual(['not-granted@8:34']);
      expect((await session.waitFor('counts', undefined, mark2)).params).toEqual({ counts: { google_oauth: 1 }, full: false });

      // Without itemDefaults support every item carries its own edit.
      const list = (await session.conn.sendRequest(CompletionRequest.type, {
        textDocument: { uri: book },
        position: pos(text, 'stripe_key', 3),
      })) as CompletionList;
      expect(list.itemDefaults).toBeUndefined();
      expect(list.items.find((i) => i.label === 'stripe_key')?.textEdit).toEqual({
        range: { start: pos(text, 'stripe_key'), end: pos(text, 'stripe_key', 10) },
        newText: 'stripe_key',
      });

      const mark3 = session.events.length;
      await session.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: book } });
      const closed = await session.waitFor('diagnostics', (e) => e.params.uri === book, mark3);
      expect(closed.params.diagnostics).toEqual([]);

      // A workspace folder comes and goes: its files join the index, then leave it.
      const extra = path.join(tmp, 'push-extra');
      await mkdir(extra, { recursive: true });
      await writeFile(path.join(extra, 'support.py'), "conv.utils.get_secret('zendesk')['token']\n");
      const extraFolder = { uri: pathToFileURL(extra).href, name: 'extra' };
      const mark4 = session.events.length;
      await session.conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [extraFolder], removed: [] } });
      await session.waitFor('counts', (c) => c.params.counts.zendesk === 2, mark4);
      expect(await session.conn.sendRequest(UsagesRequest.type, { name: 'zendesk', key: 'token' })).toEqual([
        { uri: `${extraFolder.uri}/support.py`, range: { start: { line: 0, character: 34 }, end: { line: 0, character: 39 } } },
      ]);
      const mark5 = session.events.length;
      await session.conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [], removed: [extraFolder] } });
      const gone = await session.waitFor('counts', (c) => c.params.counts.zendesk === 1, mark5);
      expect(gone.params).toEqual({ counts: { zendesk: 1 }, full: false });
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });

  it('verifies JWT signatures in the server process: a token signed with a published key is no finding, one signed with a random key is', async () => {
    const ws = await workspace('jwt');
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: ws.uri, name: 'jwt' }], false);
      const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
      const payload = Buffer.from(JSON.stringify({ sub: 'svc-booking', iat: 1763900000 })).toString('base64url');
      const sign = (key: string) => `${header}.${payload}.${createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url')}`;
      const uri = `${ws.uri}/functions/tokens.py`;
      const text = `EXAMPLE_JWT = "${sign('your-256-bit-secret')}"\nSERVICE_JWT = "${sign(randomBytes(24).toString('base64url'))}"\n`;
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });
      const published = await session.waitFor('diagnostics', (e) => e.params.uri === uri);
      expect(published.params.diagnostics.map(brief)).toEqual(['hardcoded-secret@1:14']);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });

  it('Run / Debug as agent lenses on a function of conv that reads secrets, refreshed when the folder’s agent changes', async () => {
    const ws = await workspace('lens');
    const session = LspSession.start(bundle, {});
    try {
      const init = await session.initialize([{ uri: ws.uri, name: 'lens' }], true);
      expect(init.capabilities.codeLensProvider).toEqual({ resolveProvider: false });
      await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(ws.uri));
      await session.waitFor('counts');
      const book = `${ws.uri}/functions/book.py`;
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: book, languageId: 'python', version: 1, text: BOOK_PY } });
      const lenses = () => session.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: book } });
      const name = { start: pos(BOOK_PY, 'book_table'), end: pos(BOOK_PY, 'book_table', 'book_table'.length) };
      const args = (agent: string | null) => [{ uri: book, name: 'book_table', line: 3, agent }];
      expect(await lenses()).toEqual([
        { range: name, command: { title: '▶ Run as booking-agent', command: Commands.runFunction, arguments: args('booking-agent') } },
        { range: name, command: { title: 'Debug as booking-agent', command: Commands.debugFunction, arguments: args('booking-agent') } },
      ]);
      // The folder's agent changes: the server asks the editor for lenses again, and they name the new one.
      const mark = session.events.length;
      const delta: MetadataDelta = { baseRevision: 1, revision: 2, changes: [{ kind: 'context', folders: [{ folderUri: ws.uri, agent: 'billing-agent' }] }] };
      await session.conn.sendNotification(DeltaNotification.type, delta);
      await session.waitFor('lensRefresh', undefined, mark);
      expect((await lenses())?.map((l) => l.command?.title)).toEqual(['▶ Run as billing-agent', 'Debug as billing-agent']);
      // A JavaScript file has none.
      const app = `${ws.uri}/web/app.ts`;
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: app, languageId: 'typescript', version: 1, text: FILES['web/app.ts']! } });
      expect(await session.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: app } })).toEqual([]);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });

  it('syncs metadata by change: one snapshot, deltas, resync on a gap, no-op for the same snapshot, stale wording', async () => {
    const ws = await workspace('sync');
    const session = LspSession.start(bundle, { 'files.exclude': { '**/excluded': true } });
    try {
      await session.initialize([{ uri: ws.uri, name: 'sync' }], true);
      await session.waitFor('configuration');
      const base = snapshotFor(ws.uri, { revision: 10 });
      await session.conn.sendNotification(SnapshotNotification.type, base);
      await session.waitFor('counts');
      const rel = (uri: string) => uri.slice(ws.uri.length + 1);
      const pull = async (previous: Map<string, string>) => {
        const report = await session.conn.sendRequest(WorkspaceDiagnosticRequest.type, {
          previousResultIds: [...previous].map(([uri, value]) => ({ uri, value })),
        });
        for (const item of report.items) previous.set(item.uri, item.resultId!);
        return Object.fromEntries(report.items.map((i) => [rel(i.uri), i.kind === 'full' ? i.items.map((d) => d.message) : 'unchanged']));
      };
      /** A request answered after every notification sent before it: the server has handled them. */
      const settled = () => session.conn.sendRequest(UsagesRequest.type, { name: 'nothing' });
      const ids = new Map<string, string>();
      expect(Object.keys(await pull(ids)).sort()).toEqual(['functions/book.py', 'functions/remind.py', 'web/app.ts']);

      // The same metadata again (a reconnect, a new revision): no refresh, every report unchanged.
      let mark = session.events.length;
      await session.conn.sendNotification(SnapshotNotification.type, { ...base, revision: 11, secrets: [...base.secrets].reverse() });
      await settled();
      expect(session.events.slice(mark).filter((e) => e.type === 'refresh')).toEqual([]);
      expect(Object.values(await pull(ids))).toEqual(['unchanged', 'unchanged', 'unchanged']);

      // A delta granting stripe_key: a refresh, and only the files that read stripe_key are re-checked.
      mark = session.events.length;
      const grant: MetadataDelta = {
        baseRevision: 11,
        revision: 12,
        // A careless client's extra field must go nowhere.
        changes: [{ kind: 'secret', secret: { ...SNAKE_SECRETS.find((s) => s.name === 'stripe_key')!, agents: ['billing-agent', 'booking-agent'], value: SMUGGLED } as SecretInfo }],
      };
      await session.conn.sendNotification(DeltaNotification.type, grant);
      await session.waitFor('refresh', undefined, mark);
      expect(await pull(ids)).toEqual({ 'functions/book.py': [], 'functions/remind.py': 'unchanged', 'web/app.ts': [] });

      // A delta nobody's code reads (a new secret, an agent renamed): no refresh.
      mark = session.events.length;
      await session.conn.sendNotification(DeltaNotification.type, {
        baseRevision: 12,
        revision: 13,
        changes: [
          { kind: 'secret', secret: { name: 'brand_new', description: '', kind: 'single', keys: [], agents: [] } },
          { kind: 'agent', agent: { id: 'booking-agent', name: 'Bookings' } },
        ],
      });
      await settled();
      expect(session.events.slice(mark).filter((e) => e.type === 'refresh' || e.type === 'resync')).toEqual([]);

      // A gap: the server asks for a snapshot and applies nothing.
      mark = session.events.length;
      await session.conn.sendNotification(DeltaNotification.type, { ...grant, baseRevision: 20, revision: 21, changes: [{ kind: 'secretDeleted', name: 'stripe_key' }] });
      expect((await session.waitFor('resync', undefined, mark)).params).toEqual({ revision: null });
      expect(session.events.slice(mark).filter((e) => e.type === 'refresh')).toEqual([]);
      // A malformed one: the same, and the server carries on.
      await session.conn.sendNotification(DeltaNotification.type, { baseRevision: 13, revision: 14, changes: [{ kind: 'rename' }] } as never);
      await session.waitFor('log', (e) => e.params.message === 'Ignoring a malformed metadata delta: change 0: unknown change kind.', mark);

      // The snapshot it asked for, from the offline cache: the vault-dependent problems say so.
      mark = session.events.length;
      await session.conn.sendNotification(SnapshotNotification.type, {
        ...base,
        revision: 21,
        connection: 'unreachable',
        stale: { since: '2026-11-22T08:30:00.000Z' },
      });
      await session.waitFor('refresh', undefined, mark);
      const stale = await pull(ids);
      expect(stale['functions/remind.py']).toEqual([
        "Secret 'twilio_auth' is not granted to agent 'booking-agent' (no agent has access). (vault unreachable; as of 2026-11-22 08:30 UTC)",
        "Secret 'twilio_auth' has no key 'acount_sid' (its keys: 'account_sid', 'auth_token'). Did you mean 'account_sid'? (vault unreachable; as of 2026-11-22 08:30 UTC)",
        "Secret 'strpe_key' does not exist in the vault. Did you mean 'stripe_key'? (vault unreachable; as of 2026-11-22 08:30 UTC)",
      ]);
      // Completion and hover still work from it.
      const book = `${ws.uri}/functions/book.py`;
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: book, languageId: 'python', version: 1, text: BOOK_PY } });
      const list = (await session.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: book }, position: pos(BOOK_PY, 'stripe_key', 3) })) as CompletionList;
      expect(list.items.map((i) => i.label)).toContain('stripe_key');
      const h = await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri: book }, position: pos(BOOK_PY, 'google_oauth', 3) });
      expect((h?.contents as MarkupContent).value).toContain('_vault unreachable; as of 2026-11-22 08:30 UTC_');
      const resolved = await session.conn.sendRequest(CompletionResolveRequest.type, { ...list.items.find((i) => i.label === 'stripe_key')!, data: list.itemDefaults?.data });
      const everything = JSON.stringify([session.events, stale, list, h, resolved]);
      expect((resolved.documentation as MarkupContent).value).toContain('Agents with access');
      expect(everything).toContain('stripe_key');
      expect(everything).not.toContain(SMUGGLED);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });

  it('with a push-only client, a delta publishes only the open documents it affects', async () => {
    const ws = await workspace('push-sync');
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: ws.uri, name: 'push-sync' }], false);
      const book = `${ws.uri}/functions/book.py`;
      const remind = `${ws.uri}/functions/remind.py`;
      await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(ws.uri, { revision: 1 }));
      for (const [uri, text] of [[book, BOOK_PY], [remind, FILES['functions/remind.py']!]] as const) {
        await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });
        await session.waitFor('diagnostics', (e) => e.params.uri === uri);
      }
      const mark = session.events.length;
      await session.conn.sendNotification(DeltaNotification.type, {
        baseRevision: 1,
        revision: 2,
        changes: [{ kind: 'secret', secret: { ...SNAKE_SECRETS.find((s) => s.name === 'stripe_key')!, agents: ['booking-agent'] } }],
      });
      await session.conn.sendRequest(UsagesRequest.type, { name: 'nothing' });
      const published = session.events.slice(mark).filter((e) => e.type === 'diagnostics');
      expect(published.map((e) => (e.type === 'diagnostics' ? [e.params.uri, e.params.diagnostics.map(brief)] : null))).toEqual([[book, []]]);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });
});
