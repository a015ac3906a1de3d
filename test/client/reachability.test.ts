// Unreachable told apart from "sign in", against real servers on loopback: nothing listening, a web
// server that is not a vault, HTTPS with an untrusted certificate, a server that never answers, a
// plain-http server asked for https, and a vault stopped under a running connection. The pure
// classification is also checked on the codes real failures carry that loopback cannot produce
// (a host name that does not resolve, an expired certificate, one for another host).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  classifyNetworkError,
  healthVerdict,
  isDemoUrl,
  shortReason,
  unreachableText,
  vaultUrlProblem,
  type UnreachableKind,
} from '../../client/src/core/reachability';
import { VaultConnection, type ConnectionState } from '../../client/src/vault/connection';
import { undiciTransport } from '../../client/src/vault/transport';
import { freePort } from '../helpers/postgres';
import { selfSignedCert } from '../helpers/tls';
import { startTestVault } from '../helpers/vault';
import { waitFor } from './wait';

const BACKOFF = { initialMs: 20, maxMs: 80 };

describe('why the vault cannot be reached', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function listen(server: Server): Promise<string> {
    const sockets = new Set<Socket>();
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          server.close(() => resolve());
        }),
    );
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** A connection, its states as they come, and its disposal after the test. */
  function connect(url: string, token: string | undefined, timeoutMs?: number): { conn: VaultConnection; states: ConnectionState[] } {
    const conn = new VaultConnection({
      url,
      token,
      backoff: BACKOFF,
      ...(timeoutMs ? { transport: undiciTransport(url, { timeoutMs }) } : {}),
    });
    const states: ConnectionState[] = [];
    conn.onDidChangeState((s) => states.push(s));
    cleanups.push(() => conn.dispose());
    return { conn, states };
  }

  async function reasonOf(conn: VaultConnection): Promise<UnreachableKind> {
    await waitFor(() => conn.state.state === 'unreachable', 'unreachable');
    const s = conn.state;
    if (s.state !== 'unreachable') throw new Error('not unreachable');
    return s.reason.kind;
  }

  it('no key and nothing listening: unreachable (refused), not signed out; it never says signed-out first', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { conn, states } = connect(url, undefined);
    expect(conn.state.state).toBe('connecting');
    await conn.start();
    expect(await reasonOf(conn)).toBe('refused');
    expect(states.some((s) => s.state === 'signed-out')).toBe(false);
    const s = conn.state;
    expect(s.state === 'unreachable' && s.message).toBe(`Cannot reach the vault at ${url}: the connection was refused (nothing listens there: the vault is stopped, or the port is wrong).`);
    // It keeps probing: once a vault listens there, it asks for a sign-in.
    const tv = await startTestVault();
    cleanups.push(() => tv.stop());
    const { conn: other } = connect(tv.url, undefined);
    await other.start();
    await waitFor(() => other.state.state === 'signed-out', 'signed-out at a real vault');
  });

  it('no key and a real vault: signed out, found through the public health endpoint', async () => {
    const tv = await startTestVault();
    cleanups.push(() => tv.stop());
    const { conn, states } = connect(tv.url, undefined);
    await conn.start();
    expect(conn.state.state).toBe('signed-out');
    expect(states.map((s) => s.state)).toEqual(['signed-out']);
  });

  it('a web server that is not a vault: not a Secrets Vault, with or without a key', async () => {
    const host = await listen(
      createServer((req, res) => {
        res.writeHead(req.url === '/v1/health' ? 404 : 200, { 'content-type': 'text/html' });
        res.end('<html>hello</html>');
      }),
    );
    const { conn } = connect(`http://${host}`, undefined);
    await conn.start();
    expect(await reasonOf(conn)).toBe('not-a-vault');
    const { conn: keyed } = connect(`http://${host}`, 'svu_not_checked_here');
    await keyed.start();
    expect(await reasonOf(keyed)).toBe('not-a-vault');
    expect(keyed.state.state === 'unreachable' && keyed.state.message).toMatch(/something answers there, but it is not a Secrets Vault/);
  });

  it('HTTPS with a self-signed certificate: TLS, certificate not trusted', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sv-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { key, cert } = selfSignedCert(dir);
    const host = await listen(
      createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => {
        res.end('{}');
      }) as unknown as Server,
    );
    const { conn } = connect(`https://${host}`, undefined);
    await conn.start();
    expect(await reasonOf(conn)).toBe('tls-untrusted');
  });

  it('https:// to a plain http server: the TLS handshake fails', async () => {
    const host = await listen(createServer((_req, res) => res.end('{}')));
    const { conn } = connect(`https://${host}`, undefined);
    await conn.start();
    expect(await reasonOf(conn)).toBe('tls');
  });

  it('a server that accepts and never answers: timed out', async () => {
    const host = await listen(createServer(() => undefined));
    const { conn } = connect(`http://${host}`, 'svu_x', 150);
    await conn.start();
    expect(await reasonOf(conn)).toBe('timeout');
  });

  it('a vault stopped under a signed-in connection: unreachable, refused', async () => {
    const tv = await startTestVault();
    let stopped = false;
    cleanups.push(() => (stopped ? undefined : tv.stop()));
    const { conn } = connect(tv.url, tv.adminKey);
    await conn.start();
    await waitFor(() => conn.state.state === 'connected' && conn.state.live, 'live');
    await tv.stop();
    stopped = true;
    expect(await reasonOf(conn)).toBe('refused');
    // The metadata stays, marked stale.
    expect(conn.stale).not.toBeNull();
  });

  it('classifies the codes undici and Node put on the error or its cause', () => {
    const wrap = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(`boom ${code}`), { code }) });
    const cases: Array<[string, UnreachableKind]> = [
      ['ECONNREFUSED', 'refused'],
      ['ENOTFOUND', 'dns'],
      ['EAI_AGAIN', 'dns'],
      ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
      ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls-untrusted'],
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls-untrusted'],
      ['CERT_HAS_EXPIRED', 'tls-expired'],
      ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls-host'],
      ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
      ['ECONNRESET', 'network'],
    ];
    for (const [code, kind] of cases) expect([code, classifyNetworkError(wrap(code)).kind]).toEqual([code, kind]);
    // Happy eyeballs: every address refused, in an AggregateError.
    const aggregate = new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })], 'all failed');
    expect(classifyNetworkError(aggregate).kind).toBe('refused');
    expect(classifyNetworkError('odd').kind).toBe('network');
  });

  it('reads the health answer, and says the reasons in words', () => {
    expect(healthVerdict(200, JSON.stringify({ status: 'ok', version: '1.0.0' }))).toBe('vault');
    expect(healthVerdict(200, '<html></html>')).toMatchObject({ kind: 'not-a-vault' });
    expect(healthVerdict(404, 'no')).toMatchObject({ kind: 'not-a-vault' });
    expect(healthVerdict(502, 'bad gateway')).toMatchObject({ kind: 'http' });
    expect(shortReason({ kind: 'http', detail: 'HTTP 502 from GET /v1/health' })).toBe('HTTP 502');
    expect(shortReason({ kind: 'refused', detail: '' })).toBe('connection refused');
    expect(unreachableText('https://v.example', { kind: 'tls-expired', detail: '' })).toBe('Cannot reach the vault at https://v.example: its TLS certificate has expired (or is not yet valid).');
    expect(isDemoUrl('http://127.0.0.1:8787/')).toBe(true);
    expect(isDemoUrl('http://127.0.0.1:9000')).toBe(false);
  });

  it('checks a typed URL', () => {
    expect(vaultUrlProblem('https://vault.example.com')).toBeUndefined();
    expect(vaultUrlProblem('http://127.0.0.1:8787/')).toBeUndefined();
    expect(vaultUrlProblem('')).toMatch(/Type the vault/);
    expect(vaultUrlProblem('vault.example.com')).toMatch(/Not a URL/);
    expect(vaultUrlProblem('ftp://vault.example.com')).toMatch(/https:\/\//);
    expect(vaultUrlProblem('https://me:pw@vault.example.com')).toMatch(/credentials/);
    expect(vaultUrlProblem('https://vault.example.com/?x=1')).toMatch(/query/);
  });
});
