// A fake "vault" on 127.0.0.1 that plays the attacker's server: it records every connection and the
// Authorization header of every request, and answers from a table of canned JSON (hostile text
// included), so that tests can show where a token goes and what the CLI prints of a server's words.

import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeVault {
  url: string;
  port: number;
  /** Connections accepted so far (a refused client makes none). */
  connections(): number;
  /** Every request: method, path and its Authorization header. */
  requests(): { method: string; path: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

export type FakeRoutes = Record<string, { status?: number; json: unknown; contentType?: string }>;

export async function startFakeVault(routes: FakeRoutes = {}): Promise<FakeVault> {
  let connections = 0;
  const requests: { method: string; path: string; authorization: string | undefined }[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?', 1)[0]!;
    requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization });
    const route = routes[`${req.method} ${path}`];
    const status = route?.status ?? (route ? 200 : 401);
    const body = JSON.stringify(route?.json ?? { type: 'about:blank', title: 'Unauthorized', status: 401, code: 'unauthorized', detail: 'fake vault' });
    res.writeHead(status, { 'content-type': route?.contentType ?? (status < 400 ? 'application/json' : 'application/problem+json') });
    res.end(body);
  });
  server.on('connection', (s) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    requests: () => [...requests],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
