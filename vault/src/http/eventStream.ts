// GET /v1/events: Server-Sent Events of every change in the account, resumable by event id.

import type { FastifyInstance } from 'fastify';
import { EVENT_RESET, type VaultEventEnvelope } from '../../../protocol/api';
import type { EventBus } from '../events';
import type { VaultService } from '../service';
import { problemResponses } from './problems';
import * as S from './schemas';
import type { StreamLimits, StreamRegistry } from './streams';

export interface EventStreamDeps {
  service: VaultService;
  bus: EventBus;
  /** Admits streams against the caps and closes them when their token is revoked. */
  streams: StreamRegistry;
  streamLimits: StreamLimits;
  /** Interval of SSE heartbeat comments, so that proxies do not close an idle stream. */
  heartbeatMs: number;
}

/** Live events held for a stream while it replays history; past this the stream is closed (it resumes by id). */
const MAX_HELD_EVENTS = 10_000;

export function registerEventStream(app: FastifyInstance, { service, bus, streams, streamLimits, heartbeatMs }: EventStreamDeps): void {
  app.get<{ Querystring: { lastEventId?: string } }>(
    '/v1/events',
    {
      schema: {
        tags: ['events'],
        description:
          'Server-Sent Events of every change in the account. Each event has an `id:`; send it back as `Last-Event-ID` to resume. `event: reset` means the history you asked for is gone: refetch.',
        querystring: S.EventsQuery,
        response: { 200: { type: 'string', description: 'text/event-stream' }, ...problemResponses },
      },
    },
    async (req, reply) => {
      const principal = req.principal!;
      await service.agents.listAgents(principal); // users only: the same rule as reading metadata
      const header = req.headers['last-event-id'];
      const resumeFrom = parseEventId(typeof header === 'string' ? header : req.query.lastEventId);
      const res = reply.raw;
      // Counted against the token and account (429 past the caps), and tied to the token: closed when it is revoked.
      streams.admit(principal, req.headers.authorization!, res);
      reply.hijack();
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      // Subscribe before replaying, so nothing committed in between is lost; duplicates are skipped by id.
      let sentUpTo = 0;
      let replaying = true;
      const held: VaultEventEnvelope[] = [];
      // A reader that does not keep up is dropped once this much waits for it, rather than buffered
      // without bound; it resumes from its Last-Event-ID. Nothing is written to an ended stream.
      const write = (chunk: string): boolean => {
        if (res.writableEnded || res.destroyed) return false;
        if (!res.write(chunk) && res.writableLength > streamLimits.maxBufferedBytes) {
          res.destroy();
          return false;
        }
        return true;
      };
      const send = (e: VaultEventEnvelope) => {
        if (e.id <= sentUpTo) return;
        sentUpTo = e.id;
        write(`id: ${e.id}\nevent: ${e.event.type}\ndata: ${JSON.stringify(e)}\n\n`);
      };
      const unsubscribe = bus.subscribe(principal.accountId, (e) => {
        if (!replaying) send(e);
        else if (held.push(e) > MAX_HELD_EVENTS) res.destroy();
      });
      const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
      const stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      res.on('close', stop);
      write('retry: 2000\n\n');
      try {
        await replay();
      } catch {
        // The database went away mid-start: end the stream; the client reconnects (retry: 2000)
        // and resumes from its last id, and a new stream start answers 503 while it is away.
        res.destroy();
      }

      async function replay(): Promise<void> {
        // From here on, every event committed reaches this stream through the bus.
        await bus.ready(principal.accountId);
        const last = await service.events.lastEventId(principal.accountId);
        if (resumeFrom === undefined) {
          sentUpTo = last;
          write(`id: ${last}\nevent: ready\ndata: ${JSON.stringify({ lastEventId: last })}\n\n`);
        } else {
          const oldest = await service.events.oldestEventId(principal.accountId);
          if (resumeFrom > last || (oldest > 0 && resumeFrom < oldest - 1)) {
            // The client's position is unknown to us (pruned, or from another vault): it must refetch.
            sentUpTo = last;
            write(`id: ${last}\nevent: ${EVENT_RESET}\ndata: ${JSON.stringify({ lastEventId: last })}\n\n`);
          } else {
            sentUpTo = resumeFrom;
            for (;;) {
              const page = await service.events.eventsAfter(principal.accountId, sentUpTo, 500);
              for (const e of page) send(e);
              if (page.length < 500 || res.destroyed) break;
              // Replay at the reader's pace: wait for the socket to drain before the next page.
              if (res.writableNeedDrain) await new Promise<void>((resolve) => {
                res.once('drain', resolve);
                res.once('close', resolve);
              });
            }
            sentUpTo = Math.max(sentUpTo, last);
          }
        }
        replaying = false;
        for (const e of held) send(e);
      }
    },
  );
}

function parseEventId(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
}
