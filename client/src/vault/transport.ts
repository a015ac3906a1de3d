// The extension's HTTP transport for protocol/client.ts: undici with timeouts, and every connection
// failure mapped to the same "unreachable" error (status 0) the rest of the extension branches on.

import { request } from 'undici';
import { unreachable, type HttpTransport } from '../../../protocol/client';

export interface TransportOptions {
  /** Time to the response headers, and between body chunks. */
  timeoutMs?: number;
}

export function undiciTransport(base: string, options: TransportOptions = {}): HttpTransport {
  const timeout = options.timeoutMs ?? 15_000;
  const root = base.replace(/\/+$/, '');
  return async (req) => {
    try {
      const res = await request(root + req.path, {
        method: req.method,
        headers: req.headers,
        body: req.body ?? null,
        signal: req.signal ?? null,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const text = await res.body.text();
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(res.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      return { status: res.statusCode, headers, text };
    } catch (e) {
      throw unreachable(root, e);
    }
  };
}
