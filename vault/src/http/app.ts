// The HTTP API on fastify: authentication, routes, problem responses, Server-Sent Events and the
// OpenAPI document. Routes only translate between HTTP and VaultService.

import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { EVENT_RESET, PROBLEM_CONTENT_TYPE, type VaultEventEnvelope } from '../../../protocol/api';
import { FailedAuthLimiter, ReadRateLimiter, type Authenticator, type Principal } from '../auth';
import { SAFE_TEXT_PATTERN } from '../../../protocol/safeText';
import { ProblemError, problems } from '../errors';
import type { EventBus } from '../events';
import type { VaultService } from '../service';
import { authenticateRequest, edgeCheck, readRateLimited, writeProblem, type EdgeOptions } from './edge';
import { runtimeFastPath } from './runtimeFastPath';
import { DEFAULT_STREAM_LIMITS, StreamRegistry, type StreamLimits } from './streams';
import * as S from './schemas';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

export interface AppOptions {
  service: VaultService;
  auth: Authenticator;
  bus: EventBus;
  version: string;
  logger?: FastifyServerOptions['logger'];
  limiter?: FailedAuthLimiter;
  /** Run-time reads per token; the default allows 100 a second with bursts of 1,000. */
  readLimiter?: ReadRateLimiter;
  /** Interval of SSE heartbeat comments, so that proxies do not close an idle stream. */
  heartbeatMs?: number;
  /** Allowed Host and Origin headers, besides the defaults (see edge.ts); `host` is the bound address. */
  edge?: EdgeOptions & { host?: string };
  streams?: Partial<StreamLimits>;
  server?: ServerLimits;
  /** PEM certificate chain and key: serve HTTPS (node:https) instead of HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface ServerLimits {
  /** Open connections at most; further ones are closed at once (file descriptors stay bounded). */
  maxConnections?: number;
  /** Time allowed to send the request headers (a slowloris drip is closed after it). */
  headersTimeoutMs?: number;
  /** Time allowed to send a whole request; an event stream, once its request is in, is not subject to it. */
  requestTimeoutMs?: number;
}

export const DEFAULT_SERVER_LIMITS: Required<ServerLimits> = { maxConnections: 1000, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 };

/** Request bodies above this are refused with 413 before parsing (a value is at most 64 KiB). */
export const BODY_LIMIT = 512 * 1024;

const PUBLIC_ROUTES = new Set(['/v1/health', '/v1/openapi.json']);

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { service, auth, bus } = options;
  const limiter = options.limiter ?? new FailedAuthLimiter();
  const readLimiter = options.readLimiter ?? new ReadRateLimiter();
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const streamLimits: StreamLimits = { ...DEFAULT_STREAM_LIMITS, ...options.streams };
  const streams = new StreamRegistry(streamLimits, auth);
  // A revocation through this service ends the revoked key's streams now (before any later event),
  // and re-checks the others (an agent deleted, or a revocation the id of which is not given).
  const onRevoked = (tokenId?: string) => {
    if (tokenId !== undefined) streams.closeToken(tokenId);
    void streams.recheck();
  };
  service.onRevoked.add(onRevoked);
  const checkEdge = edgeCheck({ ...options.edge, ...(options.edge?.host ? { boundHost: options.edge.host } : {}) });
  const fastPath = runtimeFastPath({
    service,
    auth,
    limiter,
    readLimiter,
    logError: (message, code) => app.log.error({ code }, message),
  });
  const limits = { ...DEFAULT_SERVER_LIMITS, ...options.server };
  const app = Fastify({
    serverFactory: (handler) => {
      const onRequest = (req: IncomingMessage, res: ServerResponse) => {
        const refused = checkEdge(req);
        if (refused) return writeProblem(res, refused);
        if (!fastPath(req, res)) handler(req, res);
      };
      const serverOptions = {
        headersTimeout: limits.headersTimeoutMs,
        // Node refuses a headersTimeout above requestTimeout; a longer one given alone lifts both.
        requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
        // Node checks both timeouts on this interval (30 s by default): a drip would outlive a short headersTimeout.
        connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
      };
      const server: Server = options.tls
        ? createHttpsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key }, onRequest)
        : createServer(serverOptions, onRequest);
      server.maxConnections = limits.maxConnections;
      return server;
    },
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    forceCloseConnections: true,
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    // Router errors (a bad percent-encoding, an over-long path parameter) answer before any route
    // does: without this they would be fastify's own JSON, not a problem document.
    frameworkErrors: (error, _request, reply) => {
      void sendProblem(
        reply,
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new ProblemError(414, 'bad_request', 'URI too long', 'A path segment is longer than any valid name or id.')
          : problems.badRequest('The request path is not valid (bad percent-encoding).'),
      );
    },
  });
  app.decorateRequest('principal', undefined);
  // JSON only: anything else is 415, not a string that fails validation later.
  app.removeContentTypeParser('text/plain');
  // An empty JSON body is no body: many clients send `content-type: application/json` with nothing
  // on routes whose body is optional (minting a token, granting an agent). Routes that need a body
  // still refuse it, by their schema.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body: string | Buffer, done) => {
    if (body.length === 0) done(null, undefined);
    else parseJson(req, body.toString(), done);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Secrets Vault API',
        version: options.version,
        description:
          'Secrets for AI agents: metadata for people and editors, values only for agents at run time. Errors are application/problem+json with a stable `code`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'svu_… API key or sva_… agent token' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (json.$id as string | undefined) ?? `def-${i}` },
  });
  app.addSchema(S.SecretMetadata);
  app.addSchema(S.Agent);
  app.addSchema(S.Problem);

  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?', 1)[0]!;
    if (PUBLIC_ROUTES.has(path)) return;
    request.principal = await authenticateRequest(auth, limiter, request.raw);
  });

  app.setErrorHandler((error: FastifyError | ProblemError, request, reply) => {
    const problem = toProblemError(error);
    if (problem.status >= 500) request.log.error({ err: { message: error.message, code: (error as FastifyError).code } }, 'request failed');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problems.notFound(`No route for ${request.method} ${request.url.split('?', 1)[0]}.`)),
  );

  const problemResponses = {
    400: { $ref: 'Problem#' },
    401: { $ref: 'Problem#' },
    403: { $ref: 'Problem#' },
    404: { $ref: 'Problem#' },
  };
  const userTag = { security: [{ bearer: [] }] };

  app.get('/v1/health', { schema: { tags: ['meta'], security: [], response: { 200: S.Health } } }, async () => ({
    status: 'ok' as const,
    version: options.version,
  }));

  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/v1/whoami', { schema: { tags: ['meta'], ...userTag, response: { 200: S.WhoAmI, ...problemResponses } } }, (req) =>
    service.whoami(req.principal!),
  );

  // ---- agents ----
  app.get(
    '/v1/agents',
    { schema: { tags: ['agents'], description: listingEtagNote, response: { 200: S.AgentList, 304: S.Empty, ...problemResponses } } },
    async (req, reply) => {
      const unchanged = await notModified(req, reply);
      const agents = await service.listAgents(req.principal!);
      return unchanged ? reply.code(304).send() : { agents };
    },
  );
  app.post<{ Body: S.Static<typeof S.CreateAgentRequest> }>(
    '/v1/agents',
    { schema: { tags: ['agents'], body: S.CreateAgentRequest, response: { 201: { $ref: 'Agent#' }, ...problemResponses } } },
    async (req, reply) => reply.code(201).send(await service.createAgent(req.principal!, req.body)),
  );
  app.delete<{ Params: { id: string } }>(
    '/v1/agents/:id',
    { schema: { tags: ['agents'], params: S.AgentParams, response: { 204: S.Empty, ...problemResponses } } },
    async (req, reply) => {
      await service.deleteAgent(req.principal!, req.params.id);
      return reply.code(204).send();
    },
  );
  app.post<{ Params: { id: string }; Body: { name?: string } | undefined }>(
    '/v1/agents/:id/tokens',
    {
      schema: {
        tags: ['agents'],
        description: 'Mints an agent token. The token is in this response only; the vault keeps just its digest.',
        params: S.AgentParams,
        body: S.CreateTokenRequest,
        response: { 201: S.IssuedToken, ...problemResponses },
      },
      // The body is optional: no body means no token name.
      preValidation: async (req) => {
        if (req.body === undefined || req.body === null) req.body = {};
      },
    },
    async (req, reply) => reply.code(201).send(await service.createAgentToken(req.principal!, req.params.id, req.body?.name)),
  );

  // ---- user API keys ----
  app.get('/v1/keys', { schema: { tags: ['keys'], response: { 200: S.UserKeyList, ...problemResponses } } }, async (req) => ({
    keys: await service.listUserKeys(req.principal!),
  }));
  app.post<{ Body: S.Static<typeof S.CreateUserKeyRequest> }>(
    '/v1/keys',
    { schema: { tags: ['keys'], body: S.CreateUserKeyRequest, response: { 201: S.IssuedUserKey, ...problemResponses } } },
    async (req, reply) => reply.code(201).send(await service.createUserKey(req.principal!, req.body.name, req.body.role)),
  );
  app.delete<{ Params: { id: string } }>(
    '/v1/keys/:id',
    { schema: { tags: ['keys'], params: S.KeyParams, response: { 204: S.Empty, ...problemResponses } } },
    async (req, reply) => {
      await service.revokeUserKey(req.principal!, req.params.id);
      return reply.code(204).send();
    },
  );

  // ---- secrets ----
  app.get<{ Querystring: { agent?: string } }>(
    '/v1/secrets',
    {
      schema: {
        tags: ['secrets'],
        description: listingEtagNote,
        querystring: S.SecretsQuery,
        response: { 200: S.SecretList, 304: S.Empty, ...problemResponses },
      },
    },
    async (req, reply) => {
      const unchanged = await notModified(req, reply);
      const secrets = await service.listSecrets(req.principal!, req.query.agent);
      return unchanged ? reply.code(304).send() : { secrets };
    },
  );
  app.post<{ Body: S.Static<typeof S.CreateSecretRequest> }>(
    '/v1/secrets',
    {
      schema: {
        tags: ['secrets'],
        body: S.CreateSecretRequest,
        response: { 201: { $ref: 'SecretMetadata#' }, 409: { $ref: 'Problem#' }, 413: { $ref: 'Problem#' }, ...problemResponses },
      },
    },
    async (req, reply) => {
      const meta = await service.createSecret(req.principal!, req.body);
      return reply.code(201).header('etag', etag(meta.version)).send(meta);
    },
  );
  app.get<{ Params: { name: string } }>(
    '/v1/secrets/:name',
    { schema: { tags: ['secrets'], params: S.SecretParams, response: { 200: { $ref: 'SecretMetadata#' }, ...problemResponses } } },
    async (req, reply) => {
      const meta = await service.getSecret(req.principal!, req.params.name);
      return reply.header('etag', etag(meta.version)).send(meta);
    },
  );
  app.patch<{ Params: { name: string }; Body: S.Static<typeof S.UpdateSecretRequest> }>(
    '/v1/secrets/:name',
    {
      schema: {
        tags: ['secrets'],
        description: 'A missing `value` keeps the stored value. `If-Match` guards against lost updates.',
        params: S.SecretParams,
        headers: S.IfMatchHeaders,
        body: S.UpdateSecretRequest,
        response: { 200: { $ref: 'SecretMetadata#' }, 412: { $ref: 'Problem#' }, 413: { $ref: 'Problem#' }, ...problemResponses },
      },
    },
    async (req, reply) => {
      const meta = await service.updateSecret(req.principal!, req.params.name, req.body, ifMatch(req));
      return reply.header('etag', etag(meta.version)).send(meta);
    },
  );
  app.delete<{ Params: { name: string } }>(
    '/v1/secrets/:name',
    {
      schema: {
        tags: ['secrets'],
        params: S.SecretParams,
        headers: S.IfMatchHeaders,
        response: { 204: S.Empty, 412: { $ref: 'Problem#' }, ...problemResponses },
      },
    },
    async (req, reply) => {
      await service.deleteSecret(req.principal!, req.params.name, ifMatch(req));
      return reply.code(204).send();
    },
  );
  app.put<{ Params: { name: string }; Body: S.Static<typeof S.ReplaceAccessRequest> }>(
    '/v1/secrets/:name/access',
    {
      schema: {
        tags: ['access'],
        description: 'Replaces the whole access list. Requires `If-Match`.',
        params: S.SecretParams,
        headers: S.IfMatchHeaders,
        body: S.ReplaceAccessRequest,
        response: { 200: { $ref: 'SecretMetadata#' }, 412: { $ref: 'Problem#' }, 428: { $ref: 'Problem#' }, ...problemResponses },
      },
    },
    async (req, reply) => {
      const meta = await service.replaceAccess(req.principal!, req.params.name, req.body.agents, ifMatch(req));
      return reply.header('etag', etag(meta.version)).send(meta);
    },
  );
  for (const [method, granted] of [
    ['PUT', true],
    ['DELETE', false],
  ] as const) {
    app.route<{ Params: { name: string; agent: string } }>({
      method,
      url: '/v1/secrets/:name/access/:agent',
      schema: {
        tags: ['access'],
        description: granted ? 'Grants one agent access (idempotent).' : 'Revokes one agent (idempotent).',
        params: S.GrantParams,
        response: { 200: { $ref: 'SecretMetadata#' }, ...problemResponses },
      },
      handler: async (req, reply) => {
        const meta = await service.setGrant(req.principal!, req.params.name, req.params.agent, granted);
        return reply.header('etag', etag(meta.version)).send(meta);
      },
    });
  }

  // ---- run time ----
  // Served by runtimeFastPath before fastify routes a request; declared here for the OpenAPI
  // document and for HEAD.
  app.get<{ Params: { name: string } }>(
    '/v1/runtime/secrets/:name',
    {
      schema: {
        tags: ['runtime'],
        description: 'An agent reads a granted value, as get_secret returns it. Missing and not granted give the same 403.',
        params: S.SecretParams,
        response: { 200: S.RuntimeSecret, ...problemResponses },
      },
    },
    async (req, reply) => reply.header('cache-control', 'no-store').send(await service.runtimeSecret(req.principal!, req.params.name)),
  );
  app.get(
    '/v1/runtime/env',
    { schema: { tags: ['runtime'], response: { 200: S.RuntimeEnv, ...problemResponses } } },
    async (req, reply) => {
      const wait = readLimiter.take(req.principal!.tokenId);
      if (wait > 0) throw readRateLimited(wait);
      return reply.header('cache-control', 'no-store').send(await service.runtimeEnv(req.principal!));
    },
  );

  // ---- audit ----
  app.get<{ Querystring: { before?: string; limit?: string } }>(
    '/v1/audit',
    { schema: { tags: ['audit'], querystring: S.AuditQuery, response: { 200: S.AuditPage, ...problemResponses } } },
    (req) =>
      service.audit(req.principal!, req.query.before, req.query.limit ? Number(req.query.limit) : 100),
  );

  // ---- events ----
  app.addHook('onClose', async () => {
    service.onRevoked.delete(onRevoked);
    streams.close();
  });
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
      await service.listAgents(principal); // users only: the same rule as reading metadata
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
      const last = await service.lastEventId(principal.accountId);
      if (resumeFrom === undefined) {
        sentUpTo = last;
        write(`id: ${last}\nevent: ready\ndata: ${JSON.stringify({ lastEventId: last })}\n\n`);
      } else {
        const oldest = await service.oldestEventId(principal.accountId);
        if (resumeFrom > last || (oldest > 0 && resumeFrom < oldest - 1)) {
          // The client's position is unknown to us (pruned, or from another vault): it must refetch.
          sentUpTo = last;
          write(`id: ${last}\nevent: ${EVENT_RESET}\ndata: ${JSON.stringify({ lastEventId: last })}\n\n`);
        } else {
          sentUpTo = resumeFrom;
          for (;;) {
            const page = await service.eventsAfter(principal.accountId, sentUpTo, 500);
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
    },
  );

  /**
   * Listings carry a weak ETag from the account's event sequence: every change appends an event,
   * so an unchanged sequence means an unchanged listing, and a poller gets 304 with no body. The
   * sequence is the account's own (other accounts' changes do not show in it), and the account id
   * in the tag keeps two accounts' listings from matching. Read BEFORE the listing: a change that
   * another process commits in between then makes the tag older than the listing (one needless
   * refetch later), never newer (a 304 that would hide the change for good).
   */
  async function notModified(req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const accountId = req.principal!.accountId;
    const tag = `W/"ev-${accountId}-${await service.lastEventId(accountId)}"`;
    void reply.header('etag', tag).header('cache-control', 'no-cache');
    const sent = req.headers['if-none-match'];
    return typeof sent === 'string' && sent.split(',').some((t) => t.trim() === tag);
  }

  return app;
}

/** Live events held for a stream while it replays history; past this the stream is closed (it resumes by id). */
const MAX_HELD_EVENTS = 10_000;

const listingEtagNote = 'Sends a weak ETag; with a matching If-None-Match the answer is 304 with no body.';

function etag(version: number): string {
  return `"${version}"`;
}

function ifMatch(req: FastifyRequest): number | undefined {
  const raw = req.headers['if-match'];
  if (raw === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(String(raw));
  if (!m) throw problems.badRequest('If-Match must be the version you read, for example "3".', 'If-Match');
  return Number(m[1]);
}

function parseEventId(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
}

function sendProblem(reply: FastifyReply, problem: ProblemError): FastifyReply {
  if (problem.retryAfter !== undefined) void reply.header('retry-after', String(problem.retryAfter));
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem.toProblem()));
}

function toProblemError(error: FastifyError | ProblemError): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error.validation) {
    const first = error.validation.find((v) => v.keyword === 'maxLength' && v.instancePath.startsWith('/value')) ?? error.validation[0];
    const field = (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || undefined;
    const where = error.validationContext ?? 'request';
    if (first && first.keyword === 'maxLength' && first.instancePath.startsWith('/value')) {
      return problems.tooLarge('A value is at most 64 KiB.', field);
    }
    const message = first?.message ?? 'is not valid';
    if (where === 'params' && first?.keyword === 'pattern' && field) return problems.invalidPathParam(field);
    if (first?.keyword === 'pattern' && (first.params as { pattern?: string }).pattern === SAFE_TEXT_PATTERN) {
      return problems.badRequest(`${where}.${field} must not contain control characters.`, field);
    }
    if (where === 'body' && field === 'name' && first?.keyword === 'pattern') return problems.invalidName(`name ${message}`);
    return problems.badRequest(`${where}${field ? `.${field}` : ''} ${message}`, field);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problems.tooLarge(`Request bodies are at most ${BODY_LIMIT / 1024} KiB.`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ProblemError(415, 'unsupported_media_type', 'Unsupported media type', 'Send JSON with Content-Type: application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problems.badRequest('The request body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problems.badRequest('Content-Length does not match the body.');
  }
  if (error.statusCode === 400 || error instanceof SyntaxError) {
    // JSON parse errors: fastify's message quotes no input, but ours is plainer still.
    return problems.badRequest('The request body is not valid JSON.');
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new ProblemError(error.statusCode, 'bad_request', 'Bad request', 'The request could not be processed.');
  }
  return new ProblemError(500, 'internal', 'Internal error', 'The vault failed to process the request; see its log.');
}
