// A credential written where a name goes, as an editor meets it: the bundled
// server over stdio publishes diagnostics and answers code actions and hovers for documents that
// put credentials of many kinds where a secret's name, a key or a dict key goes. Nothing the
// server sends (publishDiagnostics, code actions, hovers, log messages) carries any of them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeActionRequest, DidOpenTextDocumentNotification, HoverRequest, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { Commands, SnapshotNotification, type MoveToVaultArgs, type VaultSnapshot } from '../../protocol/lsp';
import { CREDENTIAL_SEED, credentialSamples, leakOf, pythonWithCredential, stripeKey } from '../helpers/credentialNames';
import { buildServer, LspSession } from './lspHarness';
import { SNAKE_SECRETS } from './vaultFixture';

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-quoting-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function snapshotFor(folderUri: string, role: 'admin' | 'developer'): VaultSnapshot {
  return {
    revision: 1,
    connection: 'connected',
    namingStyle: 'snake_case',
    role,
    secrets: SNAKE_SECRETS,
    agents: [
      { id: 'booking-agent', name: 'Booking agent' },
      { id: 'billing-agent', name: 'Billing agent' },
    ],
    folders: [{ folderUri, agent: 'booking-agent' }],
    defaultAgent: null,
    stale: null,
  };
}

describe('language server over stdio: credentials where a name goes', () => {
  for (const role of ['admin', 'developer'] as const) {
    it(`publishDiagnostics, code actions and hovers carry none of them (${role})`, async () => {
      const dir = path.join(tmp, role);
      await mkdir(dir, { recursive: true });
      const folder = pathToFileURL(dir).href;
      const samples = credentialSamples();
      const value = stripeKey();
      const session = LspSession.start(bundle, {});
      try {
        await session.initialize([{ uri: folder, name: role }], false);
        await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(folder, role));
        const sent: unknown[] = [];
        for (const [i, s] of samples.entries()) {
          const uri = `${folder}/functions/f${i}.py`;
          const text = pythonWithCredential(s.value, value);
          await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });
          const published = await session.waitFor('diagnostics', (e) => e.params.uri === uri && e.params.diagnostics.some((d) => d.code === 'hardcoded-secret' && d.range.start.line === 3));
          const diagnostics = published.params.diagnostics;
          sent.push(published.params);
          // The reads by name are the credential by kind; no unknown or invalid name.
          const reads = diagnostics.filter((d) => d.range.start.line === 3 || d.range.start.line === 4);
          expect(reads.map((d) => d.code), `${s.label} (CREDENTIAL_SEED=${CREDENTIAL_SEED})`).toEqual(['hardcoded-secret', 'hardcoded-secret']);
          expect(diagnostics.filter((d) => d.code === 'unknown-secret' || d.code === 'invalid-name')).toEqual([]);
          // Fixes for what was published, and for any code a client may claim on those ranges.
          const forged: Diagnostic[] = diagnostics.flatMap((d) => ['unknown-secret', 'invalid-name', 'not-granted', 'unknown-key'].map((code) => ({ ...d, code })));
          const actions = await session.conn.sendRequest(CodeActionRequest.type, {
            textDocument: { uri },
            range: { start: { line: 0, character: 0 }, end: { line: 11, character: 0 } },
            context: { diagnostics: [...diagnostics, ...forged] },
          });
          sent.push(actions);
          // Move to vault (or the request) for the dict's value names the secret by its kind.
          // (The dict's key, a credential itself, gets its own, named by its kind too.)
          const commands = (actions ?? []).flatMap((a) => ('title' in a && 'kind' in a && a.command ? [a.command] : []));
          const moves = commands.filter((c) => c.command === Commands.moveToVault || c.command === Commands.copySecretRequest);
          const names = moves.map((c) => (c.arguments![0] as MoveToVaultArgs).suggestedName);
          expect(names, s.label).toContain('stripe_secret_key');
          const lines = text.split('\n');
          for (const [line, content] of lines.entries()) {
            for (let at = content.indexOf(s.value); at >= 0; at = content.indexOf(s.value, at + 1)) {
              sent.push(await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: at + 2 } }));
            }
          }
          const leak = leakOf(JSON.stringify(sent), s.value);
          expect(leak, `${s.label} (CREDENTIAL_SEED=${CREDENTIAL_SEED})`).toBeNull();
        }
        // Nor in anything else the server sent meanwhile (log messages, counts).
        for (const s of samples) expect(leakOf(JSON.stringify(session.events), s.value), s.label).toBeNull();
        expect(await session.stop()).toBe(0);
      } finally {
        session.kill();
      }
    });
  }
});
