// The platform's keyword over real LSP (the bundled server over stdio): completion inside
// `get_secret(secret_name='…`, the diagnostics of a name passed that way with its hover and quick
// fix, and missing-name for a read that names nothing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  HoverRequest,
  type CompletionList,
  type FullDocumentDiagnosticReport,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Commands, SnapshotNotification, type VaultSnapshot } from '../../protocol/lsp';
import { buildServer, LspSession } from './lspHarness';

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-kw-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const TEXT = [
  'def f(conv):',
  "    a = conv.utils.get_secret(secret_name='stripe_api_key')",
  "    b = conv.utils.get_secret(secret_name='crm_oauth')['client_id']",
  '    c = conv.utils.get_secret()',
  "    d = conv.utils.get_secret(secret_name='cr",
  '',
].join('\n');

const snapshot: VaultSnapshot = {
  revision: 1,
  connection: 'connected',
  namingStyle: 'snake_case',
  role: 'admin',
  secrets: [
    { name: 'stripe_api_key', description: 'Stripe', kind: 'single', keys: [], agents: ['billing-agent'] },
    { name: 'crm_oauth', description: 'CRM login', kind: 'kv', keys: ['client_id', 'client_secret'], agents: ['PROJECT-WEVYLLDV'] },
  ],
  agents: [
    { id: 'PROJECT-WEVYLLDV', name: 'Field Service' },
    { id: 'billing-agent', name: 'Billing' },
  ],
  folders: [],
  defaultAgent: 'PROJECT-WEVYLLDV',
  stale: null,
};

describe('language server over stdio: get_secret(secret_name=…)', () => {
  it('completes, diagnoses, hovers and fixes a name passed by the keyword; reports a read with no name', async () => {
    const folder = path.join(tmp, 'ws');
    const uri = pathToFileURL(path.join(folder, 'functions', 'f.py')).href;
    const doc = TextDocument.create(uri, 'python', 1, TEXT);
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: pathToFileURL(folder).href, name: 'ws' }], true);
      await session.conn.sendNotification(SnapshotNotification.type, snapshot);
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: TEXT } });
      let report: FullDocumentDiagnosticReport | undefined;
      for (let i = 0; i < 100; i++) {
        report = (await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } })) as FullDocumentDiagnosticReport;
        if (report.items.some((d) => d.code === 'not-granted')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const items = report!.items;
      expect(items.map((d) => `${d.code}:${doc.getText(d.range)}`)).toEqual(['not-granted:stripe_api_key', 'missing-name:conv.utils.get_secret()']);

      const grant = (await session.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: items[0]!.range, context: { diagnostics: [items[0]!] } })) ?? [];
      expect(grant.map((a) => [a.title, 'command' in a && typeof a.command === 'object' ? a.command.command : null])).toContainEqual([
        "Grant 'PROJECT-WEVYLLDV' access to 'stripe_api_key'",
        Commands.grantAccess,
      ]);

      const hover = await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: doc.positionAt(TEXT.indexOf('crm_oauth') + 2) });
      expect((hover!.contents as MarkupContent).value).toContain('**crm\\_oauth** (key/value, 2 keys)');

      const at = TEXT.indexOf("secret_name='cr\n") + "secret_name='cr".length;
      const list = (await session.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: doc.positionAt(at) })) as CompletionList;
      const item = list.items.find((i) => i.label === 'crm_oauth')!;
      expect(item).toBeDefined();
      const edit = item.textEdit && 'range' in item.textEdit ? item.textEdit : undefined;
      expect(TextDocument.applyEdits(doc, [edit!]).split('\n')[4]).toBe("    d = conv.utils.get_secret(secret_name='crm_oauth')");
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });
});
