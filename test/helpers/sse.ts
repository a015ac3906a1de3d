// A minimal SSE reader for tests: connects with undici, parses with eventsource-parser, and lets a
// test await the next events or drop the connection.

import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { request } from 'undici';

export interface SseConnection {
  status: number;
  events: EventSourceMessage[];
  comments: string[];
  next(count: number, timeoutMs?: number): Promise<EventSourceMessage[]>;
  close(): void;
  /** Settles when the stream ends, by the server or by close(). */
  ended: Promise<void>;
}

export async function openSse(url: string, token: string, lastEventId?: string): Promise<SseConnection> {
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
  const res = await request(`${url}/v1/events`, { headers, signal: controller.signal });
  const events: EventSourceMessage[] = [];
  const comments: string[] = [];
  let consumed = 0;
  let wake: (() => void) | undefined;
  const parser = createParser({
    onEvent: (e) => {
      events.push(e);
      wake?.();
    },
    onComment: (c) => {
      comments.push(c);
      wake?.();
    },
  });
  const ended =
    res.statusCode === 200
      ? (async () => {
          try {
            for await (const chunk of res.body) parser.feed(String(chunk));
          } catch {
            // aborted by close(), or the connection was destroyed
          }
        })()
      : res.body.text().then(() => undefined);
  return {
    status: res.statusCode,
    ended,
    events,
    comments,
    async next(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < consumed + count) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} events (have ${events.length - consumed})`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      const out = events.slice(consumed, consumed + count);
      consumed += count;
      return out;
    },
    close() {
      controller.abort();
    },
  };
}
