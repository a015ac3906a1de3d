// Errors that become application/problem+json responses. Messages name secrets and fields, never values.

import type { Problem, ProblemCode } from '../../protocol/api';

export class ProblemError extends Error {
  /** Seconds, sent as Retry-After (on 429). */
  retryAfter: number | undefined;

  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Partial<Pick<Problem, 'field' | 'currentVersion'>> = {},
  ) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ProblemError';
  }

  withRetryAfter(seconds: number): this {
    this.retryAfter = seconds;
    return this;
  }

  toProblem(): Problem {
    const p: Problem = { type: `https://secrets-vault.dev/problems/${this.code}`, title: this.title, status: this.status, code: this.code };
    if (this.detail !== undefined) p.detail = this.detail;
    if (this.extra.field !== undefined) p.field = this.extra.field;
    if (this.extra.currentVersion !== undefined) p.currentVersion = this.extra.currentVersion;
    return p;
  }
}

export const problems = {
  unauthorized: (detail = 'Send an API key or agent token as "Authorization: Bearer <token>".') =>
    new ProblemError(401, 'unauthorized', 'Unauthorized', detail),
  forbidden: (detail: string) => new ProblemError(403, 'forbidden', 'Forbidden', detail),
  notFound: (detail: string) => new ProblemError(404, 'not_found', 'Not found', detail),
  conflict: (detail: string, field?: string) => new ProblemError(409, 'conflict', 'Conflict', detail, field ? { field } : {}),
  /** Revoking the account's only active admin key: refused, so the account stays manageable. */
  lastAdmin: (detail: string) => new ProblemError(409, 'last_admin', 'Last admin key', detail),
  badRequest: (detail: string, field?: string) => new ProblemError(400, 'bad_request', 'Bad request', detail, field ? { field } : {}),
  invalidName: (detail: string, field = 'name') => new ProblemError(400, 'invalid_name', 'Invalid name', detail, { field }),
  /** A path parameter that cannot name anything; never echoed (it may hold control characters). `why`: protocol/names.ts's sentence, which names a code point at most. */
  invalidPathParam: (field: string, why?: string) =>
    field === 'name'
      ? new ProblemError(400, 'invalid_name', 'Invalid name', `The secret name in the path is not a valid name. ${why ?? 'A name is 1 to 128 characters of printable text.'}`, { field })
      : new ProblemError(400, 'bad_request', 'Bad request', `The ${field === 'agent' ? 'agent id' : field} in the path is not a valid id.`, { field }),
  /** A credential sent where a name, key or reason goes: refused naming the field and the credential's kind, never the text. */
  credentialInName: (field: string, kind: string) =>
    new ProblemError(400, 'credential_in_name', 'Credential in a name', `The ${field} is ${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}, not a name; it was not recorded. Pass the secret's name, never its value (revoke the credential if it was shared).`, { field }),
  /** Environment-style accounts: a name that controls a process (protocol/processEnv.ts), which no run would inject. */
  processControlName: (detail: string, field = 'name') => new ProblemError(400, 'process_control_name', 'Name controls a process', detail, { field }),
  invalidValue: (detail: string, field = 'value') => new ProblemError(400, 'invalid_value', 'Invalid value', detail, { field }),
  tooLarge: (detail: string, field?: string) =>
    new ProblemError(413, 'payload_too_large', 'Payload too large', detail, field ? { field } : {}),
  preconditionFailed: (name: string, currentVersion: number) =>
    new ProblemError(
      412,
      'precondition_failed',
      'Precondition failed',
      `Secret '${name}' was changed since you read it; it is now at version ${currentVersion}.`,
      { currentVersion },
    ),
  /** A run-time read of a granted secret past its expiry: says that, and nothing more. */
  secretExpired: (name: string) => new ProblemError(403, 'secret_expired', 'Secret expired', `Secret '${name}' has expired.`),
  preconditionRequired: (detail: string) => new ProblemError(428, 'precondition_required', 'Precondition required', detail),
  /**
   * The store cannot be reached (StoreUnavailableError). Usually nothing was done, but a COMMIT
   * that reached the database just before the connection broke may have landed: the detail says so.
   */
  unavailable: () =>
    new ProblemError(
      503,
      'unavailable',
      'Service unavailable',
      'The vault cannot reach its database right now; try again shortly. A change sent as the database went away may or may not have been saved: read it back before repeating it.',
    ).withRetryAfter(2),
};
