// The run-time read, GET /v1/runtime/secrets/{name}, answered before fastify's request machinery:
// it is the hot path of every agent, and bench/vault-read showed fastify's per-request overhead
// alone costing more than the whole read (token check, access check, decryption, audit). The same
// rules apply: the same limiter, authenticator, name check (checkRuntimeName) and VaultService
// method, the same problem documents, and the route stays declared in fastify for the OpenAPI
// document (HEAD and other methods go there).
//
// Reads are answered in batches: the requests that arrive in one turn of the event loop are taken
// together right after it (setImmediate), with one check that the store's cached access answers
// are current (VaultStore.grantedReader). Every request in a batch had arrived before that check,
// so each answer reflects every change committed before its request was sent.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { READER_ENVIRONMENT_HEADER, readerEnvironment } from '../../../protocol/environments';
import { MAX_NAME_LENGTH } from '../../../protocol/names';
import type { Authenticator, FailedAuthLimiter, Principal, ReadRateLimiter } from '../auth';
import { ProblemError, problems } from '../errors';
import { authenticateRequest, readRateLimited, writeProblem } from './edge';
import { checkRuntimeName } from './routes/runtime';
import type { VaultService } from '../service';
import { StoreUnavailableError } from '../store/errors';
import type { GrantedReader } from '../store/types';

const PREFIX = '/v1/runtime/secrets/';
/**
 * The router's parameter limit (app.ts gives it to find-my-way), which the fastify route enforces
 * with a 414, counted on the percent-encoded text: the longest name, 128 characters of 4 UTF-8
 * bytes each, is 1,536 encoded.
 */
export const MAX_PARAM_LENGTH = MAX_NAME_LENGTH * 12;

export interface FastPathDeps {
  service: VaultService;
  auth: Authenticator;
  limiter: FailedAuthLimiter;
  readLimiter: ReadRateLimiter;
  logError: (message: string, code?: string) => void;
}

/** The response's content type (its length is per read). */
const CONTENT_TYPE = 'application/json; charset=utf-8';

/** Returns a handler that answers the run-time read and returns true, or returns false for anything else. */
export function runtimeFastPath(deps: FastPathDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const batches = new ReadBatches(deps);
  return (req, res) => {
    const url = req.url;
    if (req.method !== 'GET' || url === undefined || !url.startsWith(PREFIX)) return false;
    const end = url.indexOf('?');
    const raw = end === -1 ? url.slice(PREFIX.length) : url.slice(PREFIX.length, end);
    if (raw.length === 0 || raw.includes('/')) return false;
    batches.add(req, res, raw);
    return true;
  };
}

/** The reads of one turn of the event loop, in three parallel arrays (no object per read), answered together after it. */
class ReadBatches {
  private reqs: IncomingMessage[] = [];
  private ress: ServerResponse[] = [];
  private raws: string[] = [];
  private readonly drain = () => this.answerBatch();

  constructor(private readonly deps: FastPathDeps) {}

  add(req: IncomingMessage, res: ServerResponse, raw: string): void {
    this.ress.push(res);
    this.raws.push(raw);
    if (this.reqs.push(req) === 1) setImmediate(this.drain);
  }

  private answerBatch(): void {
    const { reqs, ress, raws, deps } = this;
    this.reqs = [];
    this.ress = [];
    this.raws = [];
    let reader: GrantedReader | undefined;
    try {
      reader = deps.service.grantedReader();
    } catch {
      reader = undefined; // each read then goes to the store itself, and fails there with a problem
    }
    if (!reader) {
      for (let i = 0; i < reqs.length; i++) answer(deps, reqs[i]!, ress[i]!, raws[i]!, undefined, undefined);
      return;
    }
    // The batch's freshness check comes first, once for all its reads: a token revoked anywhere
    // before it is not honoured from the authenticator's memory (see Authenticator), just as a
    // revoked grant is not.
    const batchReader = reader;
    batchReader.checked.then(
      () => {
        const generation = deps.service.generation();
        for (let i = 0; i < reqs.length; i++) answer(deps, reqs[i]!, ress[i]!, raws[i]!, batchReader, generation);
        // The batch's reads with a remembered token and a loaded key have made their records by
        // now: they go to be written at once, not after another turn of the event loop.
        deps.service.sendAudit();
      },
      (e: unknown) => {
        const failed = e ?? new Error('freshness check failed');
        for (let i = 0; i < reqs.length; i++) answer(deps, reqs[i]!, ress[i]!, raws[i]!, batchReader, undefined, failed);
        deps.service.sendAudit();
      },
    );
  }
}

/**
 * `generation`: the store state the batch's freshness check saw (undefined without a batch reader:
 * every token is looked up); `failed`: why that check failed (the database cannot be reached).
 * Synchronous up to the service's read (a remembered token, SQLite's reader and a loaded data key
 * make no promise of their own): the read's promise settles once its audit record is written.
 */
function answer(
  deps: FastPathDeps,
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
  reader: GrantedReader | undefined,
  generation: number | undefined,
  failed?: unknown,
): void {
  try {
    if (raw.length > MAX_PARAM_LENGTH) {
      throw new ProblemError(414, 'bad_request', 'URI too long', 'A path segment is longer than any valid name or id.');
    }
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      throw problems.badRequest('The request path is not valid (bad percent-encoding).');
    }
    if (failed !== undefined) throw failed;
    const header = req.headers.authorization;
    const principal = generation !== undefined && header !== undefined ? deps.auth.remembered(header, generation) : undefined;
    if (principal !== undefined) return read(deps, req, res, name, principal, reader);
    authenticateRequest(deps.auth, deps.limiter, req, generation === undefined ? {} : { generation }).then(
      (p) => read(deps, req, res, name, p, reader),
      (e: unknown) => fail(deps, res, e),
    );
  } catch (e) {
    fail(deps, res, e);
  }
}

function read(deps: FastPathDeps, req: IncomingMessage, res: ServerResponse, name: string, principal: Principal, reader: GrantedReader | undefined): void {
  try {
    // Every read is audited, a denied one too: a token over its rate is refused before that.
    const { wait, by } = deps.readLimiter.takeRead(principal);
    if (wait > 0) throw readRateLimited(wait, by);
    // Decoded once, like find-my-way does for the route's parameter (a `%2F` is a `/` of the name, a
    // `+` a plus, `%252F` the text `%2F`); a path with a raw `/` after the prefix never came here.
    checkRuntimeName(name);
    deps.service.runtimeValueJson(principal, name, reader, readerEnvironment(req.headers[READER_ENVIRONMENT_HEADER])).then(
      (value) => respond(deps, res, name, value),
      (e: unknown) => fail(deps, res, e),
    );
  } catch (e) {
    fail(deps, res, e);
  }
}

function respond(deps: FastPathDeps, res: ServerResponse, name: string, value: string): void {
  try {
    const body = `{"name":${JSON.stringify(name)},"value":${value}}`;
    res.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    res.end(body);
  } catch (e) {
    fail(deps, res, e);
  }
}

function fail(deps: FastPathDeps, res: ServerResponse, e: unknown): void {
  const problem =
    e instanceof ProblemError
      ? e
      : e instanceof StoreUnavailableError
        ? problems.unavailable()
        : new ProblemError(500, 'internal', 'Internal error', 'The vault failed to process the request; see its log.');
  if (problem.status >= 500) deps.logError('run-time read failed', e instanceof Error ? e.name : undefined);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  writeProblem(res, problem);
}
