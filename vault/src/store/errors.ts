// Errors a store raises that the HTTP layer turns into a problem of their own.

/**
 * The database cannot be reached or stopped mid-request (PostgreSQL down, restarting, a network
 * cut). The HTTP layer answers 503 with Retry-After; the store reconnects by itself, so the next
 * request after the database is back succeeds without restarting the vault. Its message names the
 * failure's kind only, never data.
 */
export class StoreUnavailableError extends Error {
  constructor(reason: string) {
    super(`The database is unavailable (${reason}).`);
    this.name = 'StoreUnavailableError';
  }
}
