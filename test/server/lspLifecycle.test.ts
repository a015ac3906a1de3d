// A secret's life and access requests over real stdio, as VS Code meets the bundled server: a developer's quick fix asks for
// access instead of granting it, the pending request rewords the problem and takes the fix away, and
// an expiry that comes while the editor is open turns into secret-expired by itself (the session's
// timer asks the client to pull again), and hovers say so.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  HoverRequest,
  type Diagnostic,
  type FullDocumentDiagnosticReport,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { Commands, DeltaNotification, SnapshotNotification, type SecretInfo, type VaultSnapshot } from '../../protocol/lsp';
import { buildServer, LspSession } from './lspHarness';
import { SNAKE_SECRETS } from './vaultFixture';

const BOOK_PY = `def book_table(conv):
    token = conv.utils.get_secret('opentable_token')
    card = conv.utils.get_secret('stripe_key')
    mail = conv.utils.get_secret('sendgrid_api_key')
    return token, card, mail
`;

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-life-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('a secret’s life over stdio', () => {
  it('request access, pending, and an expiry that comes while the document is open', async () => {
    const dir = path.join(tmp, 'ws');
    await mkdir(path.join(dir, 'functions'), { recursive: true });
    await writeFile(path.join(dir, 'functions/book.py'), BOOK_PY);
    const folder = pathToFileURL(dir).href;
    const book = `${folder}/functions/book.py`;
    // Soon, but not yet: long enough for the steps before it to see the secret still readable.
    const expiresAt = new Date(Date.now() + 5_000).toISOString();
    const secrets: SecretInfo[] = SNAKE_SECRETS.map((s) =>
      s.name === 'opentable_token'
        ? { ...s, expiresAt, valueUpdatedAt: '2026-10-01T09:00:00.000Z', valueUpdatedBy: 'Demo admin' }
        : s.name === 'sendgrid_api_key'
          ? { ...s, rotationDays: 30, valueUpdatedAt: '2020-01-01T00:00:00.000Z' }
          : s,
    );
    const snapshot: VaultSnapshot = {
      revision: 1,
      connection: 'connected',
      namingStyle: 'snake_case',
      role: 'developer',
      secrets,
      agents: [{ id: 'booking-agent', name: 'Booking agent' }],
      folders: [{ folderUri: folder, agent: 'booking-agent' }],
      defaultAgent: null,
      stale: null,
      pendingAccess: [],
    };

    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: folder, name: 'ws' }], true);
      await session.conn.sendNotification(SnapshotNotification.type, snapshot);
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: book, languageId: 'python', version: 1, text: BOOK_PY } });
      const pull = async (previousResultId?: string) =>
        (await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: book }, ...(previousResultId ? { previousResultId } : {}) })) as
          | FullDocumentDiagnosticReport
          | { kind: 'unchanged'; resultId: string };
      const codes = (r: FullDocumentDiagnosticReport) => r.items.map((d) => `${d.code}@${d.range.start.line}`);

      const afterFirstPull = session.events.length;
      const first = await pull();
      expect(first.kind).toBe('full');
      const report = first as FullDocumentDiagnosticReport;
      // opentable_token has not expired yet; sendgrid_api_key's value is years old for a 30-day reminder.
      expect(codes(report)).toEqual(['not-granted@2', 'rotation-due@3']);
      const notGranted = report.items[0]!;

      // A developer: Request access, not Grant.
      const ask = (diagnostics: Diagnostic[]) =>
        session.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: book }, range: diagnostics[0]!.range, context: { diagnostics, only: ['quickfix'] } });
      const actions = await ask([notGranted]);
      expect(actions?.map((a) => ('command' in a && a.command && typeof a.command === 'object' ? [a.title, a.command.command, a.command.arguments] : a))).toEqual([
        ["Request access for 'booking-agent' to 'stripe_key'…", Commands.requestAccess, [{ name: 'stripe_key', agent: 'booking-agent', newSecret: false }]],
      ]);

      // The client learns of the request (its event) and sends the pending list: the server asks
      // for a fresh pull, the problem says pending, and no second request is offered.
      const mark = session.events.length;
      await session.conn.sendNotification(DeltaNotification.type, {
        baseRevision: 1,
        revision: 2,
        changes: [{ kind: 'context', pendingAccess: [{ secret: 'stripe_key', agent: 'booking-agent' }] }],
      });
      await session.waitFor('refresh', undefined, mark);
      const pending = await pull(report.resultId);
      expect(pending.kind).toBe('full');
      const pendingItems = (pending as FullDocumentDiagnosticReport).items;
      expect(pendingItems.find((d) => d.code === 'not-granted')?.message).toBe(
        "Secret 'stripe_key' is not granted to agent 'booking-agent' (granted to: billing-agent): access requested, pending.",
      );
      expect(await ask(pendingItems.filter((d) => d.code === 'not-granted'))).toEqual([]);

      // The expiry comes: nothing is sent by the client, the server's timer asks for a pull.
      // (On a machine so loaded that the steps above outlasted the 5 s, the timer has fired already:
      // its refresh is then among those since the first pull.)
      // Other refreshes (the index read, counts) may come first: wait for one at or after the expiry.
      const late = Date.now() >= Date.parse(expiresAt);
      let from = late ? afterFirstPull : session.events.length;
      for (;;) {
        const e = await session.waitFor('refresh', undefined, from, 20_000);
        if (late || Date.now() >= Date.parse(expiresAt)) break;
        from = session.events.indexOf(e) + 1;
      }
      const expired = (await pull(late ? undefined : (pending as FullDocumentDiagnosticReport).resultId)) as FullDocumentDiagnosticReport;
      expect(expired.kind).toBe('full');
      expect(codes(expired)).toEqual(['secret-expired@1', 'not-granted@2', 'rotation-due@3']);
      expect(expired.items[0]!.message).toBe(`Secret 'opentable_token' expired on ${expiresAt.slice(0, 10)}: run-time reads are refused. Set a new value and move or clear its expiry.`);
      expect(expired.items[0]!.severity).toBe(1);
      expect(expired.items[2]!.severity).toBe(3);

      const hover = await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri: book }, position: { line: 1, character: 38 } });
      const text = (hover?.contents as MarkupContent).value;
      expect(text).toContain(`expired on ${expiresAt.slice(0, 10)} (run-time reads are refused)`);
      expect(text).toContain('Value last changed 2026-10-01 by Demo admin.');
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  }, 60_000);
});
