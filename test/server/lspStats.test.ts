// The language server's message statistics (SECRETS_VAULT_LSP_STATS), which bench/editor reads to
// count sync traffic: the bundled server over both transports it is started with (node IPC, as VS
// Code does, and stdio), a real snapshot pushed, and the file read back.

import { fork } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  ShutdownRequest,
} from 'vscode-languageserver-protocol/node';
import { SnapshotNotification } from '../../protocol/lsp';
import { LSP_STATS_ENV } from '../../server/src/lspStats';
import { buildServer, LspSession, vscodeCapabilities } from './lspHarness';
import { snapshot } from './vaultFixture';

interface Line {
  method: string | null;
  bytes: number;
}

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sv-lsp-stats-'));
  bundle = path.join(dir, 'server.js');
  await buildServer(bundle);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lines(file: string): Promise<Line[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);
}

const folder = () => ({ uri: pathToFileURL(dir).href, name: 'stats' });

describe('SECRETS_VAULT_LSP_STATS', () => {
  it('over node IPC (how VS Code starts the server), records each incoming message with its JSON size', async () => {
    const file = path.join(dir, 'ipc.jsonl');
    const child = fork(bundle, ['--node-ipc'], { env: { ...process.env, [LSP_STATS_ENV]: file }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const conn = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    conn.listen();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: folder().uri, workspaceFolders: [folder()], capabilities: vscodeCapabilities(true) });
      await conn.sendNotification(InitializedNotification.type, {});
      const sent = snapshot();
      await conn.sendNotification(SnapshotNotification.type, sent);
      await conn.sendRequest(ShutdownRequest.type);
      await conn.sendNotification(ExitNotification.type);
      expect(await exited).toBe(0);

      const recorded = await lines(file);
      expect(recorded.map((l) => l.method)).toEqual(expect.arrayContaining(['initialize', 'initialized', SnapshotNotification.method, 'shutdown']));
      const snap = recorded.find((l) => l.method === SnapshotNotification.method)!;
      // The size of the message as sent: JSON-RPC envelope plus the snapshot itself.
      const expected = Buffer.byteLength(JSON.stringify({ jsonrpc: '2.0', method: SnapshotNotification.method, params: sent }));
      expect(snap.bytes).toBe(expected);
      // Names and sizes only: no params reach the file.
      expect(await readFile(file, 'utf8')).not.toContain(sent.secrets[0]!.name);
    } finally {
      conn.dispose();
      if (child.exitCode === null) child.kill();
    }
  });

  it('over stdio, records each framed message with its Content-Length', async () => {
    const file = path.join(dir, 'stdio.jsonl');
    process.env[LSP_STATS_ENV] = file;
    let session: LspSession;
    try {
      session = LspSession.start(bundle, {});
    } finally {
      delete process.env[LSP_STATS_ENV];
    }
    try {
      await session.initialize([folder()], true);
      const sent = snapshot();
      await session.conn.sendNotification(SnapshotNotification.type, sent);
      expect(await session.stop()).toBe(0);
      const recorded = await lines(file);
      const snap = recorded.filter((l) => l.method === SnapshotNotification.method);
      expect(snap).toHaveLength(1);
      expect(snap[0]!.bytes).toBe(Buffer.byteLength(JSON.stringify({ jsonrpc: '2.0', method: SnapshotNotification.method, params: sent })));
      expect(recorded[0]!.method).toBe('initialize');
    } finally {
      session.kill();
    }
  });

  it('records nothing when the variable is unset', async () => {
    const file = path.join(dir, 'unset.jsonl');
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([folder()], true);
      await session.conn.sendNotification(SnapshotNotification.type, snapshot());
      expect(await session.stop()).toBe(0);
      expect(existsSync(file)).toBe(false);
    } finally {
      session.kill();
    }
  });
});
