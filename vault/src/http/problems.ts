// Problem mapping: every error (ours, fastify's validation, body parsing, the router's own) becomes
// an application/problem+json answer with a stable `code`.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyServerOptions } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from '../../../protocol/api';
import { ANY_NAME_PATTERN, checkSecretName } from '../../../protocol/names';
import { firstUnsafeCodePoint, SAFE_TEXT_PATTERN, VISIBLE_TEXT_PATTERN } from '../../../protocol/safeText';
import { ProblemError, problems } from '../errors';
import { StoreUnavailableError } from '../store/errors';

/** Request bodies above this are refused with 413 before parsing (a value is at most 64 KiB). */
export const BODY_LIMIT = 512 * 1024;

/** Responses every authenticated route may give, for the OpenAPI document. */
export const problemResponses = {
  400: { $ref: 'Problem#' },
  401: { $ref: 'Problem#' },
  403: { $ref: 'Problem#' },
  404: { $ref: 'Problem#' },
};

/**
 * Router errors (a bad percent-encoding, an over-long path parameter) answer before any route
 * does: without this they would be fastify's own JSON, not a problem document.
 */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (error, _request, reply) => {
  void sendProblem(
    reply,
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new ProblemError(414, 'bad_request', 'URI too long', 'A path segment is longer than any valid name or id.')
      : problems.badRequest('The request path is not valid (bad percent-encoding).'),
  );
};

/** The error and not-found handlers; set on the root instance, so they apply to every route. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ProblemError | StoreUnavailableError, request, reply) => {
    const problem = toProblemError(error, request);
    if (problem.status === 503) request.log.warn({ err: { message: error.message } }, 'database unavailable');
    else if (problem.status >= 500) request.log.error({ err: { message: error.message, code: (error as FastifyError).code } }, 'request failed');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problems.notFound(`No route for ${request.method} ${request.url.split('?', 1)[0]}.`)),
  );
}

export function sendProblem(reply: FastifyReply, problem: ProblemError): FastifyReply {
  if (problem.retryAfter !== undefined) void reply.header('retry-after', String(problem.retryAfter));
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem.toProblem()));
}

/** The request's parts a validation error can point into (`body`, `params`, `querystring`, `headers`). */
type RequestParts = { body?: unknown; params?: unknown; query?: unknown; headers?: unknown };

export function toProblemError(error: FastifyError | ProblemError | StoreUnavailableError, request?: RequestParts): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error instanceof StoreUnavailableError) return problems.unavailable();
  if (error.validation) {
    const first = error.validation.find((v) => v.keyword === 'maxLength' && v.instancePath.startsWith('/value')) ?? error.validation[0];
    const field = (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || undefined;
    const where = error.validationContext ?? 'request';
    if (first && first.keyword === 'maxLength' && first.instancePath.startsWith('/value')) {
      return problems.tooLarge('A value is at most 64 KiB.', field);
    }
    const message = first?.message ?? 'is not valid';
    const pattern = first?.keyword === 'pattern' ? (first.params as { pattern?: string }).pattern : undefined;
    // Named by code point, never quoted: the text may carry a hidden instruction or a credential.
    // Any pattern (a key's, a name's) that failed on such a character says so too.
    const value = request && first && pattern !== undefined ? valueAt(request, where, first.instancePath) : undefined;
    // A secret name's refusal says why in the contract's words (protocol/names.ts), naming a code point, never quoting.
    const nameReason = pattern === ANY_NAME_PATTERN && typeof value === 'string' ? checkSecretName(value, 'snake_case') : undefined;
    if (where === 'params' && pattern !== undefined && field) return problems.invalidPathParam(field, nameReason);
    const found = typeof value === 'string' ? firstUnsafeCodePoint(value) : undefined;
    if (pattern === SAFE_TEXT_PATTERN || pattern === VISIBLE_TEXT_PATTERN || (found && where === 'body')) {
      // One rule (safeText.ts): descriptions allow line breaks, and no other control either.
      return problems.badRequest(`${where}.${field} must not contain control or invisible characters${found ? ` (it holds ${found})` : ''}.`, field);
    }
    if (where === 'body' && nameReason !== undefined) return problems.invalidName(nameReason, field);
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

/** The value a validation error's instancePath (`/keys/3`) points at in the request's `where` part. */
function valueAt(request: RequestParts, where: string, instancePath: string): unknown {
  let v: unknown = where === 'body' ? request.body : where === 'params' ? request.params : where === 'querystring' ? request.query : where === 'headers' ? request.headers : undefined;
  for (const raw of instancePath.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    v = Object.prototype.hasOwnProperty.call(v, key) ? (v as Record<string, unknown>)[key] : undefined;
  }
  return v;
}
