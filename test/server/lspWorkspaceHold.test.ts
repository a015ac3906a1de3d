// Held workspace diagnostics over real LSP (the bundled server over stdio): a client that asks for
// them (holdWorkspaceDiagnostics, as the extension does) pulls again right after each answer, so
// the server answers only with what changed and holds the request while nothing has, instead of an
// "unchanged" item per file of the workspace every time. A change on disk, an edit to a document
// open without a tab and a cancellation each end the wait; a document the client pulls one by one
// is not reported again.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  FileChangeType,
  HoverRequest,
  WorkspaceDiagnosticRequest,
  type Diagnostic,
  type WorkspaceDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { SnapshotNotification, type VaultSnapshot } from '../../protocol/lsp';
import { buildServer, LspSession } from './lspHarness';

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-hold-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const FILES: Record<string, string> = {
  'functions/book.py': "def book(conv):\n    return conv.utils.get_secret('book_missing')\n",
  'functions/pay.py': "def pay(conv):\n    return conv.utils.get_secret('stripe_key')\n",
  'functions/plain.py': 'def plain(conv):\n    return 1\n',
};

function snapshot(folderUri: string): VaultSnapshot {
  return {
    revision: 1,
    connection: 'connected',
    namingStyle: 'snake_case',
    role: 'developer',
    secrets: [{ name: 'stripe_key', description: '', kind: 'single', keys: [], agents: ['booking-agent'] }],
    agents: [{ id: 'booking-agent', name: 'Booking' }],
    folders: [{ folderUri, agent: 'booking-agent' }],
    defaultAgent: null,
    stale: null,
  };
}

const names = (items: Diagnostic[]) => items.map((d) => `${String(d.code)}: ${/'([^']+)'/.exec(typeof d.message === 'string' ? d.message : d.message.value)?.[1]}`);

describe('language server over stdio: held workspace diagnostics', () => {
  it('answers only what changed, and holds the request until something has', async () => {
    const root = path.join(tmp, 'ws');
    for (const [rel, text] of Object.entries(FILES)) {
      await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await writeFile(path.join(root, rel), text);
    }
    const ws = pathToFileURL(root).href;
    const uri = (rel: string) => `${ws}/${rel}`;
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: ws, name: 'ws' }], true, { holdWorkspaceDiagnostics: true });
      await session.conn.sendNotification(SnapshotNotification.type, snapshot(ws));
      await session.waitFor('counts');
      const rel = (report: WorkspaceDiagnosticReport) =>
        Object.fromEntries(report.items.map((i) => [i.uri.slice(ws.length + 1), i.kind === 'full' ? names(i.items) : 'unchanged']));

      // The first pull knows nothing: every file with problems (one without has nothing to clear).
      const first = await session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
      expect(rel(first)).toEqual({ 'functions/book.py': ['unknown-secret: book_missing'] });
      const ids = new Map(first.items.map((i) => [i.uri, i.resultId!]));
      const previousResultIds = () => [...ids].map(([u, value]) => ({ uri: u, value }));

      // The next pull, with nothing changed, is held: requests sent after it are answered first.
      let settled = false;
      const held = session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: previousResultIds() }).finally(() => (settled = true));
      for (let i = 0; i < 20; i++) await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri: uri('functions/pay.py') }, position: { line: 0, character: 0 } });
      expect(settled).toBe(false);

      // A file changed on disk: the held request answers with that file alone (no "unchanged" items).
      await writeFile(path.join(root, 'functions/pay.py'), "def pay(conv):\n    return conv.utils.get_secret('pay_missing')\n");
      await session.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('functions/pay.py'), type: FileChangeType.Changed }] });
      const changed = await held;
      expect(rel(changed)).toEqual({ 'functions/pay.py': ['unknown-secret: pay_missing'] });
      for (const i of changed.items) ids.set(i.uri, i.resultId!);

      // A document shown in a tab is pulled one by one: an edit to it is not reported again in the
      // workspace report; one open without a tab (no pull of its own) is.
      const book = uri('functions/book.py');
      const plain = uri('functions/plain.py');
      const again = session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: previousResultIds() });
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: book, languageId: 'python', version: 1, text: FILES['functions/book.py']! } });
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: book, version: 2 },
        contentChanges: [{ text: "def book(conv):\n    return conv.utils.get_secret('book_other')\n" }],
      });
      const pulled = await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: book } });
      expect(pulled.kind === 'full' && names(pulled.items)).toEqual(['unknown-secret: book_other']);
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: plain, languageId: 'python', version: 1, text: FILES['functions/plain.py']! } });
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: plain, version: 2 },
        contentChanges: [{ text: "def plain(conv):\n    return conv.utils.get_secret('plain_missing')\n" }],
      });
      const plainReport = await again;
      expect(rel(plainReport)).toEqual({ 'functions/plain.py': ['unknown-secret: plain_missing'] });
      for (const i of plainReport.items) ids.set(i.uri, i.resultId!);

      // A file whose problem is fixed on disk is reported with none, clearing what the client has.
      const fixed = session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: previousResultIds() });
      await writeFile(path.join(root, 'functions/pay.py'), FILES['functions/pay.py']!);
      await session.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('functions/pay.py'), type: FileChangeType.Changed }] });
      const fixedReport = await fixed;
      expect(rel(fixedReport)).toEqual({ 'functions/pay.py': [] });
      for (const i of fixedReport.items) ids.set(i.uri, i.resultId!);

      // Cancelled while held (the client gives up on it): answered, empty.
      const cancel = new CancellationTokenSource();
      const all = [...ids].map(([u, value]) => ({ uri: u, value }));
      const plainId = (await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: plain } })).resultId!;
      all.push({ uri: plain, value: plainId }, { uri: book, value: pulled.resultId! });
      const cancelled = session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: all }, cancel.token);
      await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri: book }, position: { line: 0, character: 0 } });
      cancel.cancel();
      const outcome = await cancelled.then(
        (r) => ({ items: r.items.length }),
        (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }),
      );
      expect(outcome).toEqual({ items: 0 });
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });

  it('sends a report larger than a page as partial results, a page at a time', async () => {
    const root = path.join(tmp, 'many');
    const PROBLEMS = 1234;
    await mkdir(path.join(root, 'functions'), { recursive: true });
    for (let n = 0; n < PROBLEMS; n++) {
      await writeFile(path.join(root, `functions/f${n}.py`), `def f${n}(conv):\n    return conv.utils.get_secret('missing_${n}')\n`);
    }
    await writeFile(path.join(root, 'functions/pay.py'), FILES['functions/pay.py']!);
    const ws = pathToFileURL(root).href;
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: ws, name: 'many' }], true, { holdWorkspaceDiagnostics: true });
      await session.conn.sendNotification(SnapshotNotification.type, snapshot(ws));
      await session.waitFor('counts');
      const from = session.events.length;
      const report = await session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [], partialResultToken: 'pages' });
      // Every page was sent before the response; the response itself carries nothing.
      expect(report.items).toEqual([]);
      const pages = session.events
        .slice(from)
        .flatMap((e) => (e.type === 'progress' && (e.params as { token: unknown }).token === 'pages' ? [(e.params as { value: WorkspaceDiagnosticReport }).value] : []));
      expect(pages.length).toBe(3);
      expect(pages.every((p) => p.items.length <= 500)).toBe(true);
      const items = pages.flatMap((p) => p.items);
      const byFile = new Map(items.map((i) => [i.uri.slice(ws.length + 1), i.kind === 'full' ? names(i.items) : 'unchanged']));
      expect(items).toHaveLength(PROBLEMS);
      expect(byFile.size).toBe(PROBLEMS);
      expect(byFile.get('functions/f0.py')).toEqual(['unknown-secret: missing_0']);
      expect(byFile.get(`functions/f${PROBLEMS - 1}.py`)).toEqual([`unknown-secret: missing_${PROBLEMS - 1}`]);
      expect(byFile.has('functions/pay.py')).toBe(false);

      // The client has them all: the next pull is held, and a change comes back in the response alone.
      const previousResultIds = items.map((i) => ({ uri: i.uri, value: i.resultId! }));
      const next = session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds, partialResultToken: 'next' });
      await writeFile(path.join(root, 'functions/f7.py'), "def f7(conv):\n    return conv.utils.get_secret('stripe_key')\n");
      await session.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: `${ws}/functions/f7.py`, type: FileChangeType.Changed }] });
      const changed = await next;
      expect(changed.items.map((i) => [i.uri.slice(ws.length + 1), i.kind === 'full' ? names(i.items) : 'unchanged'])).toEqual([['functions/f7.py', []]]);
      expect(session.events.some((e) => e.type === 'progress' && (e.params as { token: unknown }).token === 'next')).toBe(false);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });

  it('loses no change that lands while a held report walks the workspace: every one of 20 quick changes is reported', async () => {
    const root = path.join(tmp, 'quick');
    const FILES_ON_DISK = 900;
    await mkdir(path.join(root, 'functions'), { recursive: true });
    for (let n = 0; n < FILES_ON_DISK; n++) await writeFile(path.join(root, `functions/f${n}.py`), `def f${n}(conv):\n    return conv.utils.get_secret('stripe_key')\n`);
    const ws = pathToFileURL(root).href;
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: ws, name: 'quick' }], true, { holdWorkspaceDiagnostics: true });
      await session.conn.sendNotification(SnapshotNotification.type, snapshot(ws));
      await session.waitFor('counts');
      // Every file is clean: the first pull is held until something changes.
      const ids = new Map<string, string>();
      // Twenty files changed on disk one after another, each told at once: held reports wake and
      // walk 900 files while the next changes arrive.
      const changed = Array.from({ length: 20 }, (_, k) => 40 * k + 7);
      const pending = (async () => {
        for (const n of changed) {
          await writeFile(path.join(root, `functions/f${n}.py`), `def f${n}(conv):\n    return conv.utils.get_secret('missing_${n}')\n`);
          await session.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: `${ws}/functions/f${n}.py`, type: FileChangeType.Changed }] });
          await new Promise((resolve) => setTimeout(resolve, 5 * (n % 3)));
        }
      })();
      const reported = new Map<string, string[]>();
      // Pull as the client does, with the ids it holds, until each change has come back; a lost
      // change would leave the last request held forever (the test's timeout).
      while (changed.some((n) => reported.get(`functions/f${n}.py`)?.[0] !== `unknown-secret: missing_${n}`)) {
        const report = await session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [...ids].map(([uri, value]) => ({ uri, value })) });
        for (const i of report.items) {
          ids.set(i.uri, i.resultId!);
          if (i.kind === 'full') reported.set(i.uri.slice(ws.length + 1), names(i.items));
        }
      }
      await pending;
      expect(changed.map((n) => reported.get(`functions/f${n}.py`))).toEqual(changed.map((n) => [`unknown-secret: missing_${n}`]));
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  }, 120_000);
});
