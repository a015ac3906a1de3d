// The connection pool and what counts as "the database is unavailable".
//
// Every limit is explicit so that nothing waits forever when PostgreSQL is down or unreachable: a
// connection attempt gives up after connectTimeoutMs, a statement after statementTimeoutMs (on the
// server) and a reply after queryTimeoutMs (on this side, for a server that stopped answering
// without closing the socket). Such failures become StoreUnavailableError, whose message names the
// kind of failure only; the pool opens new connections by itself once PostgreSQL is back.

import pg from 'pg';
import { StoreUnavailableError } from '../errors';

export interface PoolOptions {
  url: string;
  /** Connections at most (default 10). */
  poolSize?: number;
  /** Giving up on a connection attempt (default 5 s). */
  connectTimeoutMs?: number;
  /** The server cancels a statement after this (default 15 s); lock waits count. */
  statementTimeoutMs?: number;
}

/** int8's type id: counters, sequence numbers and audit ids are bigint columns. */
const INT8_OID = 20;

/** The parser set of the vault's pools only: the `pg` module's global parsers stay as they are for anyone else in the process. */
function vaultTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  // Every bigint the vault stores stays far below 2^53 (per-account counters, row ids, microseconds).
  types.setTypeParser(INT8_OID, (v: string) => Number(v));
  return types;
}

export function connectionConfig(options: PoolOptions): pg.ClientConfig {
  const statementTimeout = options.statementTimeoutMs ?? 15_000;
  return {
    connectionString: options.url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: statementTimeout,
    // A little longer than the server's own limit, so a live server reports its timeout first.
    query_timeout: statementTimeout + 5_000,
    keepAlive: true,
    application_name: 'secrets-vault',
    types: vaultTypes(),
  };
}

export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({ ...connectionConfig(options), max: options.poolSize ?? 10, idleTimeoutMillis: 30_000 });
  // A connection that dies while idle in the pool (a restart, a network cut) is dropped by the pool;
  // without a listener its 'error' would be an uncaught exception that ends the process.
  pool.on('error', () => {});
  // The same for a connection that dies while checked out between two statements: the statement in
  // flight (if any) fails with the error, which the store maps; the event itself must not crash us.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

const SOCKET_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
};

/** Server error codes (SQLSTATE) that mean "not now", not "wrong". */
const SERVER_CODES: Record<string, string> = {
  '57P01': 'the server is shutting down',
  '57P02': 'the server is shutting down',
  '57P03': 'the server is not accepting connections yet',
  '53300': 'too many connections',
  '57014': 'a statement timed out',
};

/** Why `e` means the database cannot be reached, or undefined when it is some other failure. */
export function unavailableReason(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  if (e instanceof StoreUnavailableError) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    const reason = SOCKET_CODES[code] ?? SERVER_CODES[code];
    if (reason) return reason;
    // Class 08: connection exceptions.
    if (/^08[0-9A-Z]{3}$/.test(code)) return 'connection failure';
  }
  // Connecting to "localhost" tries each address: the failures come together.
  if (e instanceof AggregateError) {
    for (const inner of e.errors) {
      const reason = unavailableReason(inner);
      if (reason) return reason;
    }
  }
  // pg's own errors carry no code; their messages are fixed strings without data.
  const m = e.message;
  if (/timeout exceeded when trying to connect|connection timeout/i.test(m)) return 'connection timed out';
  if (/Query read timeout/i.test(m)) return 'no reply in time';
  if (/Connection terminated|not queryable|Client was closed|Connection ended/i.test(m)) return 'connection lost';
  return undefined;
}

/** `e` as StoreUnavailableError when it is one of those, else `e` itself. */
export function mapError(e: unknown): unknown {
  const reason = unavailableReason(e);
  return reason === undefined ? e : new StoreUnavailableError(reason);
}

/**
 * Whether `e` says a pooled connection was found dead (the server restarted or ended it while it
 * sat idle), as opposed to the server being unreachable now. A statement that failed so never ran,
 * so it can be sent again on a new connection.
 */
export function connectionLost(e: unknown): boolean {
  const reason = unavailableReason(e);
  return reason === 'connection lost' || reason === 'connection reset' || reason === 'the server is shutting down';
}
