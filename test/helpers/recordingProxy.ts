// A little HTTP proxy on 127.0.0.1 that records everything it is asked to carry (a proxy from the
// environment must be sent nothing): plain requests in absolute form (GET http://host/path, where a
// proxy reads every header, Authorization included) are recorded and answered 502; CONNECT tunnels
// are recorded and carried to 127.0.0.1 only, so an https:// request through it still works end to
// end and the proxy sees only the host and port.

import { createServer, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** The request target: an absolute URL, or host:port for CONNECT. */
  target: string;
  authorization: string | undefined;
  /** Every header as received, for sweeps for a token or a value. */
  raw: string;
}

export interface RecordingProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  seen: ProxiedRequest[];
  stop(): Promise<void>;
}

function record(req: IncomingMessage): ProxiedRequest {
  return { method: req.method ?? '', target: req.url ?? '', authorization: req.headers.authorization, raw: req.rawHeaders.join('\n') };
}

export async function startRecordingProxy(): Promise<RecordingProxy> {
  const seen: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    seen.push(record(req));
    req.resume();
    res.writeHead(502, { 'content-type': 'text/plain' }).end('recording proxy: not forwarded');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(record(req));
    const m = /^127\.0\.0\.1:(\d+)$/.exec(req.url ?? '');
    if (!m) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(Number(m[1]), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
