// Dates in hovers follow the editor's display language, which VS Code sends as the initialize
// params' `locale`: one format (Intl, dateStyle medium) in that locale; ISO without one.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidOpenTextDocumentNotification, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { SnapshotNotification, type VaultSnapshot } from '../../protocol/lsp';
import { buildServer, LspSession } from './lspHarness';
import { SNAKE_SECRETS } from './vaultFixture';

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-dates-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
}, 120_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function snapshotFor(folderUri: string): VaultSnapshot {
  const secrets = SNAKE_SECRETS.map((s) =>
    s.name === 'opentable_token'
      ? { ...s, expiresAt: '2099-01-01T00:00:00.000Z', valueUpdatedAt: '2026-03-05T12:00:00.000Z', valueUpdatedBy: 'alice' }
      : s.name === 'google_oauth'
        ? { ...s, expiresAt: '2026-01-01T00:00:00.000Z' }
        : s,
  );
  return {
    revision: 1,
    connection: 'connected',
    namingStyle: 'snake_case',
    role: 'admin',
    secrets,
    agents: [{ id: 'booking-agent', name: 'Booking agent' }],
    folders: [{ folderUri, agent: 'booking-agent' }],
    defaultAgent: null,
    stale: null,
  };
}

async function hoverIn(locale: string | undefined): Promise<{ hover: string; problems: string[] }> {
  const dir = path.join(tmp, `ws-${locale ?? 'none'}`);
  await mkdir(dir, { recursive: true });
  const folder = pathToFileURL(dir).href;
  const session = LspSession.start(bundle, {});
  try {
    await session.initialize([{ uri: folder, name: 'ws' }], false, {}, locale);
    await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(folder));
    const uri = `${folder}/functions/book.py`;
    await session.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'python', version: 1, text: "def book(conv):\n    return conv.utils.get_secret('opentable_token')\n\n\ndef oauth(conv):\n    return conv.utils.get_secret('google_oauth')['client_id']\n" },
    });
    const published = await session.waitFor('diagnostics', (e) => e.params.uri === uri);
    const hover = await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 38 } });
    expect(await session.stop()).toBe(0);
    return { hover: (hover!.contents as MarkupContent).value, problems: published.params.diagnostics.map((d) => (typeof d.message === 'string' ? d.message : d.message.value)) };
  } finally {
    session.kill();
  }
}

describe('language server over stdio: dates in the user locale', () => {
  it('the hover and the problems say dates in the initialize locale; ISO without one', async () => {
    const expired = (date: string) => `Secret 'google_oauth' expired on ${date}: run-time reads are refused. Set a new value and move or clear its expiry.`;
    const en = await hoverIn('en-US');
    expect(en.hover).toContain('Expires on Jan 1, 2099');
    expect(en.hover).toContain('Value last changed Mar 5, 2026 by alice');
    expect(en.problems).toContain(expired('Jan 1, 2026'));
    const de = await hoverIn('de');
    expect(de.hover).toContain('Expires on 01.01.2099');
    expect(de.hover).toContain('Value last changed 05.03.2026 by alice');
    expect(de.problems).toContain(expired('01.01.2026'));
    const none = await hoverIn(undefined);
    expect(none.hover).toContain('Expires on 2099-01-01');
    expect(none.hover).toContain('Value last changed 2026-03-05 by alice');
    expect(none.problems).toContain(expired('2026-01-01'));
  });
});
