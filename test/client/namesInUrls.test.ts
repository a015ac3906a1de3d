// Names in URLs: the typed client (protocol/client.ts) over both real transports, the
// CLI's (vault/src/cli/remote.ts) and the extension's (client/src/vault/transport.ts), against a
// real HTTP server on 127.0.0.1 that records the request line as it arrives. For generated names
// and agent ids, every route must arrive as the route it was (the same segments, no `..` step up,
// nothing spilled into the query) and each name, decoded once, must be the name sent.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathSegment, VaultApi, type HttpTransport } from '../../protocol/client';
import { undiciTransport as extensionTransport } from '../../client/src/vault/transport';
import { undiciTransport as cliTransport } from '../../vault/src/cli/remote';
import { agentIdArb, secretNameArb, TRICKY_NAMES } from '../helpers/names';

interface Seen {
  method: string;
  url: string;
}

let server: Server;
let base: string;
let seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '' });
    res.writeHead(200, { 'content-type': 'application/json' });
    // One body that every client method can read: listings, metadata and the run-time value.
    res.end(JSON.stringify({ secrets: [], agents: [], versions: [], tokens: [], requests: [], value: 'v', name: 'n', version: 1 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Every call of the client that puts a name or an id in the URL, with the route it must arrive on. */
function calls(name: string, agent: string): [string, (api: VaultApi) => Promise<unknown>, string, string[], string?][] {
  return [
    ['getSecret', (a) => a.getSecret(name), 'GET', ['secrets', name]],
    ['updateSecret', (a) => a.updateSecret(name, { description: 'd' }, 3), 'PATCH', ['secrets', name]],
    ['deleteSecret', (a) => a.deleteSecret(name), 'DELETE', ['secrets', name]],
    ['replaceAccess', (a) => a.replaceAccess(name, [agent], 1), 'PUT', ['secrets', name, 'access']],
    ['grant', (a) => a.grant(name, agent), 'PUT', ['secrets', name, 'access', agent]],
    ['revoke', (a) => a.revoke(name, agent), 'DELETE', ['secrets', name, 'access', agent]],
    ['listSecretVersions', (a) => a.listSecretVersions(name), 'GET', ['secrets', name, 'versions']],
    ['rollbackSecret', (a) => a.rollbackSecret(name, 1, 2), 'POST', ['secrets', name, 'rollback']],
    ['runtimeSecret', (a) => a.runtimeSecret(name), 'GET', ['runtime', 'secrets', name]],
    ['listSecrets', (a) => a.listSecrets(agent), 'GET', ['secrets'], agent],
    ['updateAgent', (a) => a.updateAgent(agent, { name: 'Field Service Template' }), 'PATCH', ['agents', agent]],
    ['deleteAgent', (a) => a.deleteAgent(agent), 'DELETE', ['agents', agent]],
    ['createAgentToken', (a) => a.createAgentToken(agent, name), 'POST', ['agents', agent, 'tokens']],
    ['listAgentTokens', (a) => a.listAgentTokens(agent), 'GET', ['agents', agent, 'tokens']],
    ['revokeAgentToken', (a) => a.revokeAgentToken(agent, name), 'DELETE', ['agents', agent, 'tokens', name]],
    ['mintRunToken', (a) => a.mintRunToken(agent), 'POST', ['agents', agent, 'run-tokens']],
    ['revokeRunToken', (a) => a.revokeRunToken(agent, name), 'DELETE', ['agents', agent, 'run-tokens', name]],
  ];
}

/** What the server saw, split as a router splits it: raw segments decoded once, and the query. */
function route(url: string, prefix = ''): { segments: string[]; raw: string[]; query: string | undefined } {
  expect(url.startsWith(`${prefix}/v1/`), url).toBe(true);
  const q = url.indexOf('?');
  const pathPart = url.slice(prefix.length + '/v1/'.length, q === -1 ? undefined : q);
  const raw = pathPart.split('/');
  return { segments: raw.map((s) => decodeURIComponent(s)), raw, query: q === -1 ? undefined : url.slice(q + 1) };
}

async function checkAll(transport: HttpTransport, name: string, agent: string, prefix = ''): Promise<void> {
  const api = new VaultApi(transport, 'svu_test');
  for (const [label, call, method, segments, agentQuery] of calls(name, agent)) {
    seen = [];
    await call(api);
    expect(seen, label).toHaveLength(1);
    const got = route(seen[0]!.url, prefix);
    expect(seen[0]!.method, label).toBe(method);
    expect(got.segments, `${label} ${JSON.stringify(name)}`).toEqual(segments);
    // No raw segment a URL resolver would take for a step (`.`, `..`).
    for (const r of got.raw) expect(/^\.{1,2}$/.test(r), `${label}: dot segment in ${seen[0]!.url}`).toBe(false);
    if (agentQuery === undefined) expect(got.query, label).toBeUndefined();
    else expect(new URLSearchParams(got.query).get('agent'), label).toBe(agentQuery);
  }
}

const transports: [string, (base: string) => HttpTransport][] = [
  ['the CLI transport', (b) => cliTransport(b)],
  ['the extension transport', (b) => extensionTransport(b)],
];

describe('names in URLs: typed client and transports', () => {
  it('pathSegment encodes every reserved character and dot-only names, and decodes back to the name', () => {
    expect(pathSegment('a/b')).toBe('a%2Fb');
    expect(pathSegment('..')).toBe('%2E%2E');
    expect(pathSegment('.')).toBe('%2E');
    expect(pathSegment('a..b')).toBe('a..b');
    expect(pathSegment('Prod API Credentials')).toBe('Prod%20API%20Credentials');
    expect(pathSegment('?#%+&')).toBe('%3F%23%25%2B%26');
    fc.assert(
      fc.property(secretNameArb, (n) => {
        const s = pathSegment(n);
        return decodeURIComponent(s) === n && /^[A-Za-z0-9%\-_.!~*'()]+$/.test(s) && !/^\.{1,2}$/.test(s);
      }),
      { numRuns: 500 },
    );
  });

  for (const [label, make] of transports) {
    it(`${label}: the tricky names keep their routes`, async () => {
      const t = make(base);
      for (const name of TRICKY_NAMES) await checkAll(t, name, 'PROJECT-WEVYLLDV');
    });

    it(`${label}: generated names and ids keep their routes and decode to themselves`, async () => {
      const t = make(base);
      await fc.assert(
        fc.asyncProperty(secretNameArb, agentIdArb, (name, agent) => checkAll(t, name, agent)),
        { numRuns: 60 },
      );
    });

    it(`${label}: a vault served under a path prefix keeps the prefix`, async () => {
      await checkAll(make(`${base}/vault/`), '..', 'booking-agent', '/vault');
      await checkAll(make(`${base}/vault`), 'a/b', 'booking-agent', '/vault');
    });
  }
});
