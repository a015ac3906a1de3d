// Errors a store reports that the layers above handle by kind (the HTTP layer answers 503 for
// StoreUnavailableError). Messages carry no data: never a statement, a parameter or a row.

/** The database cannot be reached now (refused, dropped, shutting down, timed out); retry later. */
export class StoreUnavailableError extends Error {
  constructor(reason: string) {
    super(`The database is unavailable (${reason}).`);
    this.name = 'StoreUnavailableError';
  }
}
