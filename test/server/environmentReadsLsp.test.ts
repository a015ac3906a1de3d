// Reads written with a literal name inside a branch on `conv.env` (issue 51), over stdio as VS Code
// meets them: the diagnostics of the environment chosen in the status bar, each saying where the
// read runs; a change of environment re-checks the document; hover says where it is read.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidOpenTextDocumentNotification, DocumentDiagnosticRequest, HoverRequest, type FullDocumentDiagnosticReport, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { DeltaNotification, SnapshotNotification } from '../../protocol/lsp';
import { buildServer, LspSession } from './lspHarness';
import { ENV_SECRETS } from './computedNamesHelpers';
import { snapshot } from './vaultFixture';

// narvar_staging_api is granted to another agent only; x_prod_api does not exist (x_prod_apis does).
const PYTHON = `from _gen import *  # <AUTO GENERATED>


def lookup(conv):
    env = str(conv.env or "").lower()
    if env == "sandbox":
        return conv.utils.get_secret("narvar_staging_api")
    if conv.env != "live":
        return conv.utils.get_secret("x_uat_api")["token"]
    return conv.utils.get_secret("x_prod_api")
`;

const TYPESCRIPT = `export function lookup(conv: { env: string; utils: { get_secret(n: string): string } }): string {
  switch (conv.env) {
    case 'sandbox':
      return conv.utils.get_secret('narvar_staging_api');
    default:
      return conv.env === 'live' ? conv.utils.get_secret('narvar_prod_api') : conv.utils.get_secret('x_uat_api');
  }
}
`;

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-envreads-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('literal reads in branches on conv.env over stdio', () => {
  it('reports each read in the environments that run it, says where, and follows a change of environment', async () => {
    const dir = path.join(tmp, 'ws');
    await mkdir(path.join(dir, 'functions'), { recursive: true });
    await writeFile(path.join(dir, 'functions/lookup.py'), PYTHON);
    await writeFile(path.join(dir, 'lookup.ts'), TYPESCRIPT);
    const folder = pathToFileURL(dir).href;
    const py = `${folder}/functions/lookup.py`;
    const ts = `${folder}/lookup.ts`;
    const snap = snapshot({ secrets: ENV_SECRETS, agents: [{ id: 'booking-agent', name: 'Booking agent' }], folders: [{ folderUri: folder, agent: 'booking-agent' }], defaultAgent: null, environment: 'sandbox' });
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: folder, name: 'ws' }], true);
      await session.conn.sendNotification(SnapshotNotification.type, snap);
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: py, languageId: 'python', version: 1, text: PYTHON } });
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: ts, languageId: 'typescript', version: 1, text: TYPESCRIPT } });
      const pull = async (uri: string) => ((await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } })) as FullDocumentDiagnosticReport).items.map((x) => x.message);

      // Sandbox: the sandbox read only (the missing x_prod_api is read in live alone).
      const notGranted = "secret 'narvar_staging_api' is not granted to agent 'booking-agent' (granted to: support-agent).";
      expect(await pull(py)).toEqual([`In sandbox: ${notGranted}`]);
      expect(await pull(ts)).toEqual([`In sandbox: ${notGranted}`]);

      const hover = await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri: py }, position: { line: 6, character: 40 } });
      expect((hover?.contents as MarkupContent).value).toContain('Read only in sandbox.');

      // Live: the sandbox read is not a live problem; the live one is.
      let mark = session.events.length;
      await session.conn.sendNotification(DeltaNotification.type, { baseRevision: 1, revision: 2, changes: [{ kind: 'context', environment: 'live' }] });
      await session.waitFor('refresh', undefined, mark);
      expect(await pull(py)).toEqual(["In live: secret 'x_prod_api' does not exist in the vault. Did you mean 'x_prod_apis'?"]);
      expect(await pull(ts)).toEqual([]);

      // Pre-release: the read after the sandbox return, whose key is checked too.
      mark = session.events.length;
      await session.conn.sendNotification(DeltaNotification.type, { baseRevision: 2, revision: 3, changes: [{ kind: 'context', environment: 'pre-release' }] });
      await session.waitFor('refresh', undefined, mark);
      expect(await pull(py)).toEqual([]);

      // Every environment: each read, labelled.
      mark = session.events.length;
      await session.conn.sendNotification(DeltaNotification.type, { baseRevision: 3, revision: 4, changes: [{ kind: 'context', environment: 'all' }] });
      await session.waitFor('refresh', undefined, mark);
      expect(await pull(py)).toEqual([`In sandbox: ${notGranted}`, "In live: secret 'x_prod_api' does not exist in the vault. Did you mean 'x_prod_apis'?"]);
      expect(await session.stop()).toBe(0);
    } finally {
      await session.stop().catch(() => undefined);
    }
  });
});
