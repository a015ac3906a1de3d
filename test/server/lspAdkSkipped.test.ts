// What the language server never analyses in an ADK project, over real LSP (the bundled server over
// stdio): files under _gen/ and real_time_configuration/ (not indexed, no diagnostics even when
// opened), and a document with unresolved merge markers (not indexed; open, its diagnostics are
// empty until the markers are gone, and cleared when they come back).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  WorkspaceDiagnosticRequest,
  type Diagnostic,
  type FullDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { SnapshotNotification, type VaultSnapshot } from '../../protocol/lsp';
import { buildServer, LspSession } from './lspHarness';

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-adk-skip-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const HEADER = 'from _gen import *  # <AUTO GENERATED>\n\n';
const CONFLICTED = `${HEADER}def pay(conv: Conversation):
<<<<<<< HEAD
    key = conv.utils.get_secret('stripe_key')
    extra = conv.utils.get_secret('ours_missing')
=======
    key = conv.utils.get_secret('stripe_key')
    extra = conv.utils.get_secret('theirs_missing')
>>>>>>> origin/main
    return key, extra
`;
const RESOLVED = `${HEADER}def pay(conv: Conversation):
    key = conv.utils.get_secret('stripe_key')
    extra = conv.utils.get_secret('ours_missing')
    return key, extra
`;

/** Every file reads stripe_key (a vault secret, so it is counted) and one unknown name. */
const FILES: Record<string, string> = {
  'project.yaml': 'project_id: PROJECT-SKIPTEST\naccount_id: acme\nregion: euw-1\n',
  'functions/book.py': `${HEADER}def book(conv: Conversation):\n    return conv.utils.get_secret('stripe_key'), conv.utils.get_secret('book_missing')\n`,
  'functions/_gen_helpers.py': "def helper(conv):\n    return conv.utils.get_secret('stripe_key'), conv.utils.get_secret('helper_missing')\n",
  '_gen/__init__.py': "class Conversation:\n    def stub(self):\n        return self.utils.get_secret('stripe_key'), self.utils.get_secret('gen_missing')\n",
  'flows/f/_gen/copy.py': "conv.utils.get_secret('stripe_key')\nconv.utils.get_secret('deep_gen_missing')\n",
  'real_time_configuration/live/defaults.py': "conv.utils.get_secret('stripe_key')\nconv.utils.get_secret('rtc_missing')\n",
  'functions/pay.py': CONFLICTED,
};

async function workspace(name: string): Promise<string> {
  const root = path.join(tmp, name);
  for (const [rel, text] of Object.entries(FILES)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  return pathToFileURL(root).href;
}

function snapshot(folderUri: string): VaultSnapshot {
  return {
    revision: 1,
    connection: 'connected',
    namingStyle: 'snake_case',
    role: 'developer',
    secrets: [{ name: 'stripe_key', description: '', kind: 'single', keys: [], agents: ['PROJECT-SKIPTEST'] }],
    agents: [{ id: 'PROJECT-SKIPTEST', name: 'Skip test' }],
    folders: [{ folderUri, agent: 'PROJECT-SKIPTEST' }],
    defaultAgent: null,
    stale: null,
  };
}

const names = (items: Diagnostic[]) => items.map((d) => `${String(d.code)}: ${/'([^']+)'/.exec(typeof d.message === 'string' ? d.message : d.message.value)?.[1]}`);

describe('language server over stdio: what an ADK project never has analysed', () => {
  it('pull client: generated folders and conflicted files are not indexed, counted or reported; an open one gets no findings until resolved', async () => {
    const ws = await workspace('pull');
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: ws, name: 'pull' }], true);
      await session.conn.sendNotification(SnapshotNotification.type, snapshot(ws));
      // Only the two files that are analysed count their read of stripe_key.
      expect((await session.waitFor('counts')).params).toEqual({ counts: { stripe_key: 2 }, full: true });
      const report = await session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
      const reported = Object.fromEntries(report.items.map((i) => [i.uri.slice(ws.length + 1), i.kind === 'full' ? names(i.items) : 'unchanged']));
      expect(reported).toEqual({
        'functions/_gen_helpers.py': ['unknown-secret: helper_missing'],
        'functions/book.py': ['unknown-secret: book_missing'],
      });

      // Opened in the editor, a generated file still gets nothing.
      const pull = async (uri: string) => ((await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } })) as FullDocumentDiagnosticReport).items;
      for (const rel of ['_gen/__init__.py', 'real_time_configuration/live/defaults.py']) {
        const uri = `${ws}/${rel}`;
        await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: FILES[rel]! } });
        expect(await pull(uri), rel).toEqual([]);
      }

      // A conflicted document: nothing until the markers are gone, then its findings, then nothing again.
      const pay = `${ws}/functions/pay.py`;
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: pay, languageId: 'python', version: 1, text: CONFLICTED } });
      expect(await pull(pay)).toEqual([]);
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: pay, version: 2 }, contentChanges: [{ text: RESOLVED }] });
      expect(names(await pull(pay))).toEqual(['unknown-secret: ours_missing']);
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: pay, version: 3 }, contentChanges: [{ text: CONFLICTED }] });
      expect(await pull(pay)).toEqual([]);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });

  it('push client: a conflicted document is published empty, then with findings once resolved, then cleared again', async () => {
    const ws = await workspace('push');
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: ws, name: 'push' }], false);
      await session.conn.sendNotification(SnapshotNotification.type, snapshot(ws));
      await session.waitFor('counts');
      const published = async (uri: string, version: number, from: number) =>
        names((await session.waitFor('diagnostics', (e) => e.params.uri === uri && e.params.version === version, from)).params.diagnostics);

      const pay = `${ws}/functions/pay.py`;
      let mark = session.events.length;
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: pay, languageId: 'python', version: 1, text: CONFLICTED } });
      expect(await published(pay, 1, mark)).toEqual([]);
      mark = session.events.length;
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: pay, version: 2 }, contentChanges: [{ text: RESOLVED }] });
      expect(await published(pay, 2, mark)).toEqual(['unknown-secret: ours_missing']);
      mark = session.events.length;
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: pay, version: 3 }, contentChanges: [{ text: CONFLICTED }] });
      expect(await published(pay, 3, mark)).toEqual([]);

      const gen = `${ws}/flows/f/_gen/copy.py`;
      mark = session.events.length;
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: gen, languageId: 'python', version: 1, text: FILES['flows/f/_gen/copy.py']! } });
      expect(await published(gen, 1, mark)).toEqual([]);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });
});
