// What the route modules share: their dependencies and the HTTP details of versions and listings.
// Each module is a plain function on the root app (no plugin), so app.ts's hooks and error handler
// apply to its routes, and the registration order (hence the OpenAPI document) stays app.ts's.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MintRateLimiter, ReadRateLimiter } from '../../auth';
import { problems } from '../../errors';
import type { VaultService } from '../../service';

export interface RouteDeps {
  service: VaultService;
  readLimiter: ReadRateLimiter;
  /** Run tokens minted per user key (POST /v1/agents/{id}/run-tokens). */
  mintLimiter: MintRateLimiter;
  version: string;
}

export const userTag = { security: [{ bearer: [] }] };

export const listingEtagNote = 'Sends a weak ETag; with a matching If-None-Match the answer is 304 with no body.';

export function etag(version: number): string {
  return `"${version}"`;
}

/** The header an access change's reason comes in: percent-encoded UTF-8, and never in the URL (a request's URL is logged). */
export const REASON_HEADER = 'x-secrets-vault-reason';

/** An access change's reason (REASON_HEADER), decoded; undefined without one. The service judges the text. */
export function reasonOf(req: FastifyRequest): string | undefined {
  const raw = req.headers[REASON_HEADER];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(Array.isArray(raw) ? raw.join(',') : raw);
  } catch {
    throw problems.badRequest('X-Secrets-Vault-Reason must be percent-encoded UTF-8.', 'reason');
  }
}

export function ifMatch(req: FastifyRequest): number | undefined {
  const raw = req.headers['if-match'];
  if (raw === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(String(raw));
  if (!m) throw problems.badRequest('If-Match must be the version you read, for example "3".', 'If-Match');
  return Number(m[1]);
}

/**
 * Listings carry a weak ETag from the account's event sequence: every change appends an event,
 * so an unchanged sequence means an unchanged listing, and a poller gets 304 with no body. The
 * sequence is the account's own (other accounts' changes do not show in it), and the account id
 * in the tag keeps two accounts' listings from matching. Read BEFORE the listing: a change that
 * another process commits in between then makes the tag older than the listing (one needless
 * refetch later), never newer (a 304 that would hide the change for good).
 */
export async function notModified(service: VaultService, req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const accountId = req.principal!.accountId;
  const tag = `W/"ev-${accountId}-${await service.events.lastEventId(accountId)}"`;
  void reply.header('etag', tag).header('cache-control', 'no-cache');
  const sent = req.headers['if-none-match'];
  return typeof sent === 'string' && sent.split(',').some((t) => t.trim() === tag);
}
