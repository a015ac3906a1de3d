// Plain http:// to another machine is refused by the extension: the
// connection, the transport every request goes through, and Sign In's check, without vscode. The
// fake server on 127.0.0.1 logs the Authorization header of every request; http://0.0.0.0:PORT is
// not loopback by name, yet Linux delivers it there, so a refusal that still connected would show.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultApi, VaultApiError } from '../../protocol/client';
import { ALLOW_INSECURE_HTTP_HOW, insecureUrlProblem } from '../../client/src/core/connectionConfig';
import { VaultConnection, type ConnectionState } from '../../client/src/vault/connection';
import { undiciTransport } from '../../client/src/vault/transport';
import { startFakeVault, type FakeVault } from '../helpers/fakeVault';

const TOKEN = 'svu_editor-key-that-must-not-cross-a-network-in-clear';
let fake: FakeVault;
let insecureUrl: string;

beforeAll(async () => {
  fake = await startFakeVault();
  insecureUrl = `http://0.0.0.0:${fake.port}`;
});
afterAll(() => fake?.close());

describe('plain http:// only to this machine, in the extension', () => {
  it('names the reason and the machine-scoped setting that allows it', () => {
    expect(insecureUrlProblem('http://vault.example.com:8787/', false)).toBe(
      `Refusing plain http:// to vault.example.com:8787: it is not this machine, so the token and secret values would cross the network unencrypted. Use https://, or ${ALLOW_INSECURE_HTTP_HOW} if the network is trusted.`,
    );
    expect(ALLOW_INSECURE_HTTP_HOW).toContain('secretsVault.allowInsecureHttp');
    expect(insecureUrlProblem('http://vault.example.com', true)).toBeUndefined();
    expect(insecureUrlProblem('https://vault.example.com', false)).toBeUndefined();
    expect(insecureUrlProblem('http://127.0.0.1:8787', false)).toBeUndefined();
    expect(insecureUrlProblem('http://localhost:8787', false)).toBeUndefined();
    expect(insecureUrlProblem('http://[::1]:8787', false)).toBeUndefined();
  });

  it('the transport refuses before connecting; allowed, the same request reaches the server', async () => {
    const before = fake.connections();
    const refused = await new VaultApi(undiciTransport(insecureUrl), TOKEN).whoami().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(VaultApiError);
    expect((refused as VaultApiError).problem.title).toBe('Insecure connection refused');
    expect((refused as VaultApiError).problem.detail).toBe(insecureUrlProblem(insecureUrl, false));
    expect(fake.connections()).toBe(before);
    expect(fake.requests().filter((r) => r.authorization?.includes(TOKEN))).toEqual([]);

    await new VaultApi(undiciTransport(insecureUrl, { allowInsecureHttp: true }), TOKEN).whoami().catch(() => undefined);
    expect(fake.connections()).toBe(before + 1);
    expect(fake.requests().at(-1)?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('the connection says why, makes no request (no event stream either) and does not retry, even when asked to', async () => {
    const before = fake.connections();
    const conn = new VaultConnection({ url: insecureUrl, token: TOKEN, backoff: { initialMs: 10, maxMs: 20 } });
    const states: ConnectionState[] = [];
    conn.onDidChangeState((s) => states.push(s));
    try {
      await conn.start();
      expect(conn.state).toEqual({ state: 'forbidden', message: insecureUrlProblem(insecureUrl, false) });
      await conn.retry();
      expect(conn.state.state).toBe('forbidden');
      // Long enough for several backoff retries, had one been scheduled.
      await new Promise((r) => setTimeout(r, 100));
      expect(states.length).toBeGreaterThan(0);
      expect(states.every((s) => s.state === 'forbidden')).toBe(true);
      expect(fake.connections()).toBe(before);
    } finally {
      await conn.dispose();
    }
  });

  it('with the setting on, the connection goes to the server (which here refuses the key)', async () => {
    const conn = new VaultConnection({ url: insecureUrl, token: TOKEN, allowInsecureHttp: true });
    try {
      await conn.start();
      expect(conn.state.state).toBe('unauthorized');
      expect(fake.requests().at(-1)?.authorization).toBe(`Bearer ${TOKEN}`);
    } finally {
      await conn.dispose();
    }
  });
});
