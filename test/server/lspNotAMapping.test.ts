// The `not-a-mapping` quick fixes over real LSP (the bundled server over stdio): a subscript on a
// single-value secret is offered "Read … as a string" (an exact edit) and, to an admin, the Edit
// Secret form as key/value with the key read; a developer gets the edit only.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeActionRequest, DidOpenTextDocumentNotification, DocumentDiagnosticRequest, type FullDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Commands, SnapshotNotification, type VaultSnapshot } from '../../protocol/lsp';
import { buildServer, LspSession } from './lspHarness';

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-nam-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const TEXT = "def f(conv):\n    s = conv.utils.get_secret('sendgrid_api_key')\n    return s.get('token', 'none')\n";

const snapshot = (role: 'admin' | 'developer'): VaultSnapshot => ({
  revision: 1,
  connection: 'connected',
  namingStyle: 'snake_case',
  role,
  secrets: [{ name: 'sendgrid_api_key', description: '', kind: 'single', keys: [], agents: ['booking-agent'] }],
  agents: [{ id: 'booking-agent', name: 'Booking' }],
  folders: [],
  defaultAgent: 'booking-agent',
  stale: null,
});

describe('language server over stdio: not-a-mapping quick fixes', () => {
  for (const role of ['admin', 'developer'] as const) {
    it(`offers reading the value as a string${role === 'admin' ? ', and the key/value edit form to an admin' : ' to a developer'}`, async () => {
      const folder = path.join(tmp, role);
      const uri = pathToFileURL(path.join(folder, 'main.py')).href;
      const session = LspSession.start(bundle, {});
      try {
        await session.initialize([{ uri: pathToFileURL(folder).href, name: role }], true);
        await session.conn.sendNotification(SnapshotNotification.type, snapshot(role));
        await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: TEXT } });
        let report: FullDocumentDiagnosticReport | undefined;
        for (let i = 0; i < 100; i++) {
          report = (await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } })) as FullDocumentDiagnosticReport;
          if (report.items.some((d) => d.code === 'not-a-mapping')) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        const diagnostics = report!.items.filter((d) => d.code === 'not-a-mapping');
        expect(diagnostics).toHaveLength(1);
        const actions = (await session.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostics[0]!.range, context: { diagnostics } })) ?? [];
        const titles = actions.map((a) => a.title);
        const read = actions.find((a) => a.title === "Read 'sendgrid_api_key' as a string");
        const edit = read && 'edit' in read ? read.edit?.changes?.[uri] : undefined;
        expect(TextDocument.applyEdits(TextDocument.create(uri, 'python', 1, TEXT), edit ?? [])).toBe(TEXT.replace(".get('token', 'none')", ''));
        if (role === 'admin') {
          expect(titles).toEqual(["Read 'sendgrid_api_key' as a string", "Edit secret 'sendgrid_api_key' to make it key/value with key 'token'…"]);
          const open = actions[1]!;
          expect('command' in open && typeof open.command === 'object' ? open.command : undefined).toEqual({
            title: "Edit secret 'sendgrid_api_key' to make it key/value with key 'token'…",
            command: Commands.editSecret,
            arguments: [{ name: 'sendgrid_api_key', keys: ['token'] }],
          });
        } else {
          expect(titles).toEqual(["Read 'sendgrid_api_key' as a string"]);
        }
        expect(await session.stop()).toBe(0);
      } finally {
        session.kill();
      }
    });
  }
});
