// A small HTTP client for the suite: every response body is handed to the leak watch, every call
// has a deadline (a hang is a failure, not a stuck run), and raw bodies and headers go out as given.

import { request } from 'undici';
import { keepEvent, keepResponse } from './leakwatch';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** A reply slower than this is a hang. */
  timeoutMs?: number;
}

export class HangError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`);
    this.name = 'HangError';
  }
}

export async function call(base: string, method: string, path: string, o: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  let body: string | Buffer | undefined = o.rawBody;
  if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['content-type'] ??= 'application/json';
  }
  const ms = o.timeoutMs ?? 15_000;
  let res;
  try {
    res = await request(base + path, {
      method: method as 'GET',
      headers,
      body: body ?? null,
      headersTimeout: ms,
      bodyTimeout: ms,
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'UND_ERR_HEADERS_TIMEOUT') throw new HangError(`${method} ${path}`, ms);
    throw e;
  }
  let text: string;
  try {
    text = await res.body.text();
  } catch (e) {
    if ((e as { code?: string }).code === 'UND_ERR_BODY_TIMEOUT') throw new HangError(`${method} ${path} (body)`, ms);
    throw e;
  }
  keepResponse(path.split('?', 1)[0]!, res.statusCode, text);
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers as Reply['headers'], text, json };
}

/** Opens the event stream and keeps every byte it sends for the leak search, until close(). */
export async function openEvents(
  base: string,
  token: string | undefined,
  headers: Record<string, string> = {},
  pathAndQuery = '/v1/events',
): Promise<{ status: number; headers: Reply['headers']; text(): string; ended(): boolean; close(): Promise<void> }> {
  const controller = new AbortController();
  const res = await request(base + pathAndQuery, {
    method: 'GET',
    headers: { ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}), ...headers },
    signal: controller.signal,
    headersTimeout: 15_000,
    bodyTimeout: 0,
  });
  let text = '';
  let ended = false;
  const done = new Promise<void>((resolve) => {
    res.body.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    res.body.on('end', resolve);
    res.body.on('error', () => resolve());
    res.body.on('close', resolve);
  }).then(() => {
    ended = true;
  });
  if (res.statusCode !== 200) {
    await done;
    keepResponse('/v1/events', res.statusCode, text);
  }
  return {
    status: res.statusCode,
    headers: res.headers as Reply['headers'],
    text: () => text,
    /** True once the stream has ended (by the server, or by close()). */
    ended: () => ended,
    async close() {
      controller.abort();
      await done;
      keepEvent(text);
    },
  };
}
