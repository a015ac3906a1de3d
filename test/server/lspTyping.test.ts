// Typing a read character by character, as a person does in the editor: the bundled server over
// stdio publishes diagnostics after every keystroke, and an empty name inside a call that is not
// finished yet, or at the document's last edit, is not a problem. Once the user edits elsewhere or
// saves, the finished call with an empty name is.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  DocumentDiagnosticRequest,
  type Diagnostic,
  type FullDocumentDiagnosticReport,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { SnapshotNotification, type VaultSnapshot } from '../../protocol/lsp';
import { buildServer, LspSession } from './lspHarness';
import { SNAKE_SECRETS } from './vaultFixture';

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-typing-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
}, 120_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function snapshotFor(folderUri: string): VaultSnapshot {
  return {
    revision: 1,
    connection: 'connected',
    namingStyle: 'snake_case',
    role: 'admin',
    secrets: SNAKE_SECRETS,
    agents: [{ id: 'booking-agent', name: 'Booking agent' }],
    folders: [{ folderUri, agent: 'booking-agent' }],
    defaultAgent: null,
    stale: null,
  };
}

const PREFIX = 'def book(conv):\n    key = conv.utils.get_secret';
const TAIL = '\n    return key\n';
const emptyName = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'invalid-name' || String(d.message).includes('cannot be empty'));

/** Opens the function, types `typed` one character at a time after PREFIX, and returns each step's text and diagnostics. */
async function typeIn(session: LspSession, uri: string, typed: string): Promise<{ text: string; diagnostics: Diagnostic[] }[]> {
  let version = 1;
  await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version, text: PREFIX + TAIL } });
  await session.waitFor('diagnostics', (e) => e.params.uri === uri && e.params.version === version);
  const steps: { text: string; diagnostics: Diagnostic[] }[] = [];
  let line = PREFIX.split('\n').at(-1)!;
  for (const ch of typed) {
    const at = { line: 1, character: line.length };
    line += ch;
    version++;
    const from = session.events.length;
    await session.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text: ch }] });
    const v = version;
    const published = await session.waitFor('diagnostics', (e) => e.params.uri === uri && e.params.version === v, from);
    steps.push({ text: line.trim(), diagnostics: published.params.diagnostics });
  }
  return steps;
}

/** Sends one incremental change and returns the diagnostics published for that version. */
async function change(session: LspSession, uri: string, version: number, start: Position, end: Position, text: string): Promise<Diagnostic[]> {
  const from = session.events.length;
  await session.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range: { start, end }, text }] });
  return (await session.waitFor('diagnostics', (e) => e.params.uri === uri && e.params.version === version, from)).params.diagnostics;
}

describe('language server over stdio: typing a read', () => {
  it("with pulled diagnostics (VS Code's way): no empty-name problem in the pull after the paired quote and parenthesis; a save refreshes and the next pull has it", async () => {
    const dir = path.join(tmp, 'ws-pull');
    await mkdir(dir, { recursive: true });
    const folder = pathToFileURL(dir).href;
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: folder, name: 'ws' }], true);
      await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(folder));
      const uri = `${folder}/functions/pulled.py`;
      const pull = async (previousResultId?: string) =>
        (await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, ...(previousResultId ? { previousResultId } : {}) })) as FullDocumentDiagnosticReport;
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: PREFIX + TAIL } });
      const col = PREFIX.split('\n').at(-1)!.length;
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: 2 },
        contentChanges: [{ range: { start: { line: 1, character: col }, end: { line: 1, character: col } }, text: "('')" }],
      });
      const typing = await pull();
      expect(typing.kind).toBe('full');
      expect(emptyName(typing.items)).toEqual([]);
      const mark = session.events.length;
      await session.conn.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
      await session.waitFor('refresh', undefined, mark);
      const saved = await pull(typing.resultId);
      expect(saved.kind).toBe('full');
      expect(emptyName(saved.items).map((d) => d.message)).toEqual(["Invalid secret name '': A secret name cannot be empty."]);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });

  it("as VS Code sends it (the paired quote and parenthesis at once, then the name): no empty-name problem while typing; an edit elsewhere or a save reports get_secret('')", async () => {
    const dir = path.join(tmp, 'ws-vscode');
    await mkdir(dir, { recursive: true });
    const folder = pathToFileURL(dir).href;
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: folder, name: 'ws' }], false);
      await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(folder));
      const col = PREFIX.split('\n').at(-1)!.length; // where `(` goes on line 1
      for (const file of ['typed.py', 'saved.py']) {
        const uri = `${folder}/functions/${file}`;
        let version = 1;
        await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version, text: PREFIX + TAIL } });
        await session.waitFor('diagnostics', (e) => e.params.uri === uri && e.params.version === 1);
        const at = (character: number): Position => ({ line: 1, character });
        // `(` then `'` with their closing pairs: the text is `get_secret('')`, a complete call.
        expect(emptyName(await change(session, uri, ++version, at(col), at(col), "('')")), 'paired').toEqual([]);
        const name = 'opentable_token';
        for (let i = 0; i < name.length; i++) {
          const ds = await change(session, uri, ++version, at(col + 2 + i), at(col + 2 + i), name[i]!);
          expect(emptyName(ds), name.slice(0, i + 1)).toEqual([]);
        }
        // Backspace over the whole name: at every step, down to `get_secret('')`, it is still being typed.
        for (let i = name.length - 1; i >= 0; i--) {
          const ds = await change(session, uri, ++version, at(col + 2 + i), at(col + 3 + i), '');
          expect(emptyName(ds), name.slice(0, i)).toEqual([]);
        }
        const expected = [['invalid-name', "Invalid secret name '': A secret name cannot be empty.", at(col + 2)]];
        if (file === 'typed.py') {
          // The user moves on and edits another line, leaving the name empty: now it is a problem.
          const ds = await change(session, uri, ++version, { line: 2, character: 0 }, { line: 2, character: 0 }, '    # done\n');
          expect(emptyName(ds).map((d) => [d.code, d.message, d.range.start])).toEqual(expected);
        } else {
          // Saved as it is: the empty name is final.
          const from = session.events.length;
          await session.conn.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
          const published = await session.waitFor('diagnostics', (e) => e.params.uri === uri, from);
          expect(emptyName(published.params.diagnostics).map((d) => [d.code, d.message, d.range.start])).toEqual(expected);
        }
      }
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });

  it("no empty-name problem at any keystroke before the call is finished; get_secret('') finished is reported", async () => {
    const dir = path.join(tmp, 'ws');
    await mkdir(dir, { recursive: true });
    const folder = pathToFileURL(dir).href;
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: folder, name: 'ws' }], false);
      await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(folder));

      // Without auto-closing: every character typed by hand.
      const plain = await typeIn(session, `${folder}/functions/plain.py`, "('opentable_token')");
      expect(plain.map((s) => s.text)).toEqual([...Array.from("('opentable_token')", (_, i) => `key = conv.utils.get_secret${"('opentable_token')".slice(0, i + 1)}`)]);
      for (const s of plain) expect(emptyName(s.diagnostics), s.text).toEqual([]);
      expect(plain.at(-1)!.diagnostics).toEqual([]);

      // With the quote closed by the editor (its auto-closing pair) before the name is typed: `get_secret(''`.
      const paired = await typeIn(session, `${folder}/functions/paired.py`, "(''");
      expect(paired.map((s) => s.text)).toEqual(['key = conv.utils.get_secret(', "key = conv.utils.get_secret('", "key = conv.utils.get_secret(''"]);
      for (const s of paired) expect(emptyName(s.diagnostics), s.text).toEqual([]);

      // The call finished by hand: the last keystroke still touches the empty literal; an edit elsewhere makes it final.
      const finishedUri = `${folder}/functions/finished.py`;
      const finished = await typeIn(session, finishedUri, "('')");
      expect(finished.at(-1)!.text).toBe("key = conv.utils.get_secret('')");
      for (const s of finished) expect(emptyName(s.diagnostics), s.text).toEqual([]);
      const elsewhere = await change(session, finishedUri, 6, { line: 2, character: 0 }, { line: 2, character: 0 }, '\n');
      expect(emptyName(elsewhere).map((d) => [d.code, d.message, d.range.start])).toEqual([
        ['invalid-name', "Invalid secret name '': A secret name cannot be empty.", { line: 1, character: 33 }],
      ]);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });
});
