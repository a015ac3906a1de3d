// A very large open document (5 MB of agent functions) over real LSP: while it is being edited its
// whole analysis waits for the edits to stop, and completion answers from the text around the cursor
// without waiting for it; then the analysis catches up and the diagnostics cover the whole document.
// The order of the answers is what is checked: the diagnostics were asked for first, so a server
// that analysed the document before answering completion would answer them first.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  type CompletionItem,
  type CompletionList,
  type FullDocumentDiagnosticReport,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SnapshotNotification } from '../../protocol/lsp';
import { LARGE_DOCUMENT_CHARS } from '../../server/src/largeDocuments';
import { buildServer, LspSession } from './lspHarness';
import { snapshot } from './vaultFixture';

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-large-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
}, 120_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const snapshotFor = (folderUri: string) => snapshot({ folders: [{ folderUri, agent: 'booking-agent' }] });

/** About 5 MB of functions, each reading a granted secret and one the agent lacks (stripe_key: not granted). */
function largeModule(): string {
  const block = (i: number) =>
    `def handle_${i}(conv, request):\n    mail = conv.utils.get_secret('sendgrid_api_key')\n    card = conv.utils.get_secret('stripe_key')\n    total_${i} = request.amount * ${i}\n    return mail, card, total_${i}\n\n`;
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 5 * 1024 * 1024; i++) {
    const b = block(i);
    parts.push(b);
    size += b.length;
  }
  return `"""Agent functions, generated."""\n\n${parts.join('')}def last(conv):\n    creds = conv.utils.get_secret('google_oauth')\n    key = \n    return creds, key\n`;
}

/** A server with the vault's metadata and the large module open (version 1) in a folder of its own. */
async function openLarge(folder: string): Promise<{ session: LspSession; uri: string; text: string }> {
  const dir = path.join(tmp, folder);
  await mkdir(dir, { recursive: true });
  const folderUri = pathToFileURL(dir).href;
  const uri = `${folderUri}/functions/generated.py`;
  const text = largeModule();
  const session = LspSession.start(bundle, {});
  await session.initialize([{ uri: folderUri, name: folder }], true);
  await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(folderUri));
  await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });
  return { session, uri, text };
}

const labels = (list: CompletionList | CompletionItem[] | null) => (list === null ? [] : Array.isArray(list) ? list : list.items).map((i) => i.label);
const editRange = (list: CompletionList, item: CompletionItem): Range | undefined =>
  item.textEdit && 'range' in item.textEdit ? item.textEdit.range : (list.itemDefaults?.editRange as Range | undefined);

describe('a 5 MB document over real LSP', () => {
  it('answers completion before the document is analysed, then the analysis catches up', async () => {
    const { session, uri, text } = await openLarge('ws');
    try {
      expect(text.length).toBeGreaterThan(LARGE_DOCUMENT_CHARS);
      // The editor asks for the document's diagnostics, then the user types `get_secret('` and completion is asked for.
      let doc = TextDocument.create(uri, 'python', 1, text);
      const keyLine = doc.lineCount - 3;
      expect(doc.getText({ start: { line: keyLine, character: 0 }, end: { line: keyLine + 1, character: 0 } })).toBe('    key = \n');
      const answered: string[] = [];
      const diagnostics = session.conn
        .sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } })
        .then((r) => (answered.push('diagnostics'), r as FullDocumentDiagnosticReport));
      const typed = "conv.utils.get_secret('";
      const at = { line: keyLine, character: 10 };
      const change = { range: { start: at, end: at }, text: typed };
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [change] });
      doc = TextDocument.update(doc, [change], 2);
      const cursor = { line: keyLine, character: 10 + typed.length };
      const list = (await session.conn.sendRequest(CompletionRequest.type, {
        textDocument: { uri },
        position: cursor,
        context: { triggerKind: 2, triggerCharacter: "'" },
      })) as CompletionList;
      answered.push('completion');

      // The agent's secrets, with the edit on the document's own line (not the window's).
      expect(labels(list)).toEqual(expect.arrayContaining(['sendgrid_api_key', 'google_oauth', 'opentable_token']));
      const item = list.items.find((i) => i.label === 'sendgrid_api_key')!;
      expect(editRange(list, item)?.start).toEqual(cursor);

      // Then the analysis catches up: the whole document's problems, at the current version's positions.
      const report = await diagnostics;
      expect(answered).toEqual(['completion', 'diagnostics']);
      expect(report.kind).toBe('full');
      const notGranted = report.items.filter((d) => d.code === 'not-granted');
      expect(notGranted.length).toBeGreaterThan(10_000);
      expect(notGranted.every((d) => doc.getText(d.range) === 'stripe_key')).toBe(true);

      // Analysed: completion now answers from the whole analysis, the same items at the same place;
      // a key of the secret read two lines up (the window of a held document starts at `def last`).
      const again = (await session.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: cursor })) as CompletionList;
      expect(labels(again).slice(0, 20)).toEqual(labels(list).slice(0, 20));
      expect(editRange(again, again.items.find((i) => i.label === 'sendgrid_api_key')!)?.start).toEqual(cursor);
    } finally {
      await session.stop();
    }
  }, 120_000);

  it('completes a key from the window while the document is being edited', async () => {
    const { session, uri, text } = await openLarge('ws2');
    try {
      const keyLine = TextDocument.create(uri, 'python', 1, text).lineCount - 3;
      const at = { line: keyLine, character: 10 };
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: at, end: at }, text: "creds['" }] });
      const answered: string[] = [];
      const diagnostics = session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }).then(() => answered.push('diagnostics'));
      const list = (await session.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: keyLine, character: 17 } })) as CompletionList;
      answered.push('completion');
      expect(labels(list)).toEqual(['client_id', 'client_secret']);
      await diagnostics;
      expect(answered).toEqual(['completion', 'diagnostics']);
    } finally {
      await session.stop();
    }
  }, 120_000);
});
