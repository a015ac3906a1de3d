// The HTTP API on fastify: the server, body parsing, authentication and the OpenAPI document, and
// the assembly of the route modules (routes/*.ts), the event stream (eventStream.ts) and the
// problem mapping (problems.ts). Each is a plain function on this root instance, not a fastify
// plugin, so the onRequest hook and the error handler apply to every route.

import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { FailedAuthLimiter, MintRateLimiter, ReadRateLimiter, type Authenticator, type Principal } from '../auth';
import type { EventBus } from '../events';
import type { VaultService } from '../service';
import { ASSISTANT_CLIENT_HEADER, assistantClientProblem } from '../../../protocol/assistantClient';
import { problems } from '../errors';
import { authenticateRequest, edgeCheck, writeProblem, type EdgeOptions } from './edge';
import { registerEventStream } from './eventStream';
import { BODY_LIMIT, frameworkErrors, registerProblemHandlers } from './problems';
import { registerAccessRoutes } from './routes/access';
import { registerAccessRequestRoutes } from './routes/accessRequests';
import { registerAccountRoutes } from './routes/account';
import { registerAgentRoutes } from './routes/agents';
import { registerAuditRoutes } from './routes/audit';
import type { RouteDeps } from './routes/common';
import { registerKeyRoutes } from './routes/keys';
import { registerMetaRoutes } from './routes/meta';
import { registerRuntimeRoutes } from './routes/runtime';
import { registerSecretRoutes } from './routes/secrets';
import { MAX_PARAM_LENGTH, runtimeFastPath } from './runtimeFastPath';
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
  /** Run tokens minted per user key; the default allows 30 at once, then 6 a minute. */
  mintLimiter?: MintRateLimiter;
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

export { BODY_LIMIT };

/** node:http's options for these limits (bench/vault-read gives its bare peer the same). */
export function nodeServerOptions(limits: Required<ServerLimits>): { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number } {
  return {
    headersTimeout: limits.headersTimeoutMs,
    // Node refuses a headersTimeout above requestTimeout; a longer one given alone lifts both.
    requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
    // Node checks both timeouts on this interval (30 s by default): a drip would outlive a short headersTimeout.
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
  };
}

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
  // A revocation through another replica (or process): the store's wake-up (PostgreSQL's NOTIFY)
  // re-checks the streams' tokens at once; without one, the periodic re-check does (recheckMs).
  const unwatch = service.events.watchStore(() => void streams.recheck());
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
      const serverOptions = nodeServerOptions(limits);
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
    frameworkErrors,
    // A parameter is limited as it arrives, percent-encoded: a 128-character name of 4-byte UTF-8
    // characters is 1,536 (find-my-way's default of 100 refused such names with 414). `;` is part
    // of a name, never a delimiter (fastify 5's default useSemicolonDelimiter: false; a test holds
    // it), and nothing but find-my-way's one decoding touches the path.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH, ignoreDuplicateSlashes: false, ignoreTrailingSlash: false },
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
    const client = request.headers[ASSISTANT_CLIENT_HEADER];
    if (client !== undefined) {
      const problem = typeof client === 'string' ? assistantClientProblem(client) : `Send one ${ASSISTANT_CLIENT_HEADER} header.`;
      if (problem !== undefined) throw problems.badRequest(problem, ASSISTANT_CLIENT_HEADER);
      if (request.principal.type === 'user') request.principal = { ...request.principal, client: client as string };
    }
  });

  registerProblemHandlers(app);

  // Registration order is the OpenAPI document's path order.
  const deps: RouteDeps = { service, readLimiter, mintLimiter: options.mintLimiter ?? new MintRateLimiter(), version: options.version };
  registerMetaRoutes(app, deps);
  registerAgentRoutes(app, deps);
  registerKeyRoutes(app, deps);
  registerSecretRoutes(app, deps);
  registerAccessRoutes(app, deps);
  registerAccessRequestRoutes(app, deps);
  registerRuntimeRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerAccountRoutes(app, deps);

  app.addHook('onClose', async () => {
    service.onRevoked.delete(onRevoked);
    unwatch();
    streams.close();
  });
  registerEventStream(app, { service, bus, streams, streamLimits, heartbeatMs });

  return app;
}
