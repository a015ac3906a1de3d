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
    s.name === 'opentable_token' ? { ...s, expiresAt: '2099-01-01T00:00:00.000Z', valueUpdatedAt: '2026-03-05T12:00:00.000Z', valueUpdatedBy: 'alice' } : s,
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

async function hoverIn(locale: string | undefined): Promise<string> {
  const dir = path.join(tmp, `ws-${locale ?? 'none'}`);
  await mkdir(dir, { recursive: true });
  const folder = pathToFileURL(dir).href;
  const session = LspSession.start(bundle, {});
  try {
    await session.initialize([{ uri: folder, name: 'ws' }], false, {}, locale);
    await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(folder));
    const uri = `${folder}/functions/book.py`;
    await session.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'python', version: 1, text: "def book(conv):\n    return conv.utils.get_secret('opentable_token')\n" },
    });
    await session.waitFor('diagnostics', (e) => e.params.uri === uri);
    const hover = await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 38 } });
    expect(await session.stop()).toBe(0);
    return (hover!.contents as MarkupContent).value;
  } finally {
    session.kill();
  }
}

describe('language server over stdio: dates in the user locale', () => {
  it('the hover says the expiry and the value change in the initialize locale; ISO without one', async () => {
    const en = await hoverIn('en-US');
    expect(en).toContain('Expires on Jan 1, 2099');
    expect(en).toContain('Value last changed Mar 5, 2026 by alice');
    const de = await hoverIn('de');
    expect(de).toContain('Expires on 01.01.2099');
    expect(de).toContain('Value last changed 05.03.2026 by alice');
    const none = await hoverIn(undefined);
    expect(none).toContain('Expires on 2099-01-01');
    expect(none).toContain('Value last changed 2026-03-05 by alice');
  });
});
