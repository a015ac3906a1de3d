// secret-in-log as an editor meets it on a real-layout ADK function: the bundled server over stdio
// publishes one diagnostic per leak and sink (a name that holds one of three secrets is one), none
// for a key whose name says it is an address (`BASE_URL`), a short path in relatedInformation and
// the whole one in the hover on the diagnostic's range; and a mark that arrives in a delta (an admin
// marks BASE_URL sensitive) brings its findings back.

import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DidOpenTextDocumentNotification, HoverRequest, type Diagnostic, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { DeltaNotification, SnapshotNotification, type SecretInfo, type VaultSnapshot } from '../../protocol/lsp';
import { buildServer, LspSession } from './lspHarness';

const AGENT = 'PROJECT-OMSHELPR';
const FIXTURE = path.resolve(__dirname, '../check/fixtures/adk-leaks/functions');
const SNAPSHOT = JSON.parse(readFileSync(path.resolve(__dirname, '../check/fixtures/leaks-snapshot.json'), 'utf8')) as { secrets: SecretInfo[] };

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-leaks-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function snapshotFor(folderUri: string): VaultSnapshot {
  return {
    revision: 1,
    connection: 'connected',
    namingStyle: 'snake_case',
    role: 'developer',
    secrets: SNAPSHOT.secrets,
    agents: [{ id: AGENT, name: 'Order Helper' }],
    folders: [{ folderUri, agent: AGENT }],
    defaultAgent: null,
    stale: null,
  };
}

const leaksOf = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'secret-in-log');
const head = (d: Diagnostic) => {
  const message = typeof d.message === 'string' ? d.message : d.message.value;
  return `${d.range.start.line + 1}: ${message.slice(0, message.indexOf(' reach'))}`;
};

describe('language server over stdio: secret-in-log on a real-layout function', () => {
  it('one diagnostic per leak, few related rows, the whole path in the hover, and a mark in a delta brings BASE_URL back', async () => {
    const folder = pathToFileURL(path.join(tmp, 'oms')).href;
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: folder, name: 'oms' }], false);
      await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(folder));
      const uri = `${folder}/functions/oms_client.py`;
      const text = readFileSync(path.join(FIXTURE, 'oms_client.py'), 'utf8');
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });
      const published = await session.waitFor('diagnostics', (e) => e.params.uri === uri && leaksOf(e.params.diagnostics).length > 0);
      const found = leaksOf(published.params.diagnostics);
      expect(found.map(head)).toEqual(["19: The value of key 'API_KEY' of secret 'oms_mock_api', 'oms_api' or 'oms_prod_api'"]);
      expect(found[0]!.relatedInformation!.map((r) => `${r.location.range.start.line + 1} ${r.message}`)).toEqual([
        '9 read a secret whose name is computed',
        "12 read key 'API_KEY'",
        '14 put in a dict',
        '14 assigned to headers',
        '19 passed to conv.log.error (2 steps before not listed: the hover shows the whole path)',
        "11 or read secret 'oms_prod_api'",
      ]);
      // The hover on the diagnostic's range: every step of each secret's path, each a link to its line.
      const hover = await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: found[0]!.range.start });
      const value = (hover!.contents as MarkupContent).value;
      expect(value).toContain('reaches `conv.log.error`: the whole path.');
      expect(value).toContain(`[oms\\_client\\.py:12](${uri}#L12) read key 'API\\_KEY'`);
      expect(value).toContain(`[oms\\_client\\.py:12](${uri}#L12) assigned to api\\_key`);
      expect(value).toContain(`[oms\\_client\\.py:11](${uri}#L11) read secret 'oms\\_prod\\_api'`);
      expect(hover!.range).toEqual(found[0]!.range);

      // An admin marks BASE_URL sensitive on the three secrets: the server re-checks the document.
      const marked = SNAPSHOT.secrets.filter((s) => s.name.startsWith('oms')).map((s) => ({ ...s, keySensitivity: { BASE_URL: 'sensitive' as const } }));
      const from = session.events.length;
      await session.conn.sendNotification(DeltaNotification.type, { baseRevision: 1, revision: 2, changes: marked.map((secret) => ({ kind: 'secret' as const, secret })) });
      const again = await session.waitFor('diagnostics', (e) => e.params.uri === uri, from);
      expect(leaksOf(again.params.diagnostics).map(head)).toEqual([
        "16: The value of key 'BASE_URL' of secret 'oms_mock_api', 'oms_api' or 'oms_prod_api'",
        "19: The values of keys 'BASE_URL' and 'API_KEY' of secret 'oms_mock_api', 'oms_api' or 'oms_prod_api'",
      ]);
      // A mark of the wrong type is refused as a whole delta (the server asks for a resync), never half applied.
      const before = session.events.length;
      await session.conn.sendNotification(DeltaNotification.type, { baseRevision: 2, revision: 3, changes: [{ kind: 'secret', secret: { ...marked[0]!, keySensitivity: { BASE_URL: 'maybe' } } }] } as never);
      await session.waitFor('resync', () => true, before);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });
});
