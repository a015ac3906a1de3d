// The suite's own PostgreSQL cluster: every PostgreSQL vault of the security suite (in-process and
// child processes) gets a database in it, so that the leak search at the end can read everything
// PostgreSQL kept. It logs every statement with its bound parameters in full (log_statement=all,
// log_min_duration_statement=0, log_parameter_max_length=-1) and tracks every statement in
// pg_stat_statements: a value that reached PostgreSQL in plain text, as statement text or as a
// parameter, would show in the server log, in the data files or WAL, or in the query texts.
// Started on first use (SQLite-only runs never start it), destroyed after the leak search.

import pg from 'pg';
import { startCluster, type PgCluster } from '../../helpers/postgres';
import { leakForms } from './leakwatch';

export const LOGGING_SETTINGS: Record<string, string> = {
  log_statement: 'all',
  log_min_duration_statement: '0',
  log_parameter_max_length: '-1',
  log_parameter_max_length_on_error: '-1',
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track': 'all',
};

let cluster: Promise<PgCluster> | undefined;
const databases: string[] = [];
let counter = 0;

export function suiteCluster(): Promise<PgCluster> {
  cluster ??= (async () => {
    const c = await startCluster(LOGGING_SETTINGS);
    const admin = new pg.Client({ connectionString: c.url() });
    await admin.connect();
    try {
      // The view over every database's statements, read at the end from the `postgres` database.
      await admin.query('CREATE EXTENSION pg_stat_statements');
    } finally {
      await admin.end();
    }
    return c;
  })();
  return cluster;
}

/** Whether a test of this run started the cluster (the PostgreSQL leak search runs only then). */
export function suiteClusterStarted(): boolean {
  return cluster !== undefined;
}

let sentinelsSent = 0;

/** Sentinels a scenario stored through PostgreSQL vaults (scenarios run one after another), for the ledger. */
export function countSentTo(n: number): void {
  sentinelsSent += n;
}

export function sentinelsSentToPostgres(): number {
  return sentinelsSent;
}

/** A new, empty database in the suite's cluster for one vault; returns its URL. */
export async function suiteDatabase(): Promise<string> {
  const c = await suiteCluster();
  const url = await c.createDatabase(`sec_${++counter}`);
  databases.push(url);
  return url;
}

export function suiteDatabases(): string[] {
  return [...databases];
}

export async function destroySuiteCluster(): Promise<void> {
  if (!cluster) return;
  const c = await cluster.catch(() => undefined);
  cluster = undefined;
  c?.destroy();
}

/** Runs `fn` with a client on `url`, closed afterwards. */
export async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

// ---- pg_stat_activity while the PostgreSQL vaults are under load ----

export interface ActivityStats {
  samples: number;
  /** Statement texts seen (one per client backend per sample). */
  queries: number;
  /** Sentinel hits (any form) in those texts; must stay 0. */
  hits: number;
  /** Where they were, for the failure message. */
  found: string[];
  /** Hits of the probe marker (see leaks.ts): proves the sampler sees what runs. */
  probeHits: number;
}

const activity: ActivityStats = { samples: 0, queries: 0, hits: 0, found: [], probeHits: 0 };
let probeMarker: string | undefined;

export function activityStats(): ActivityStats {
  return activity;
}

/** The probe's text, counted apart from sentinels: a positive control for the searches. */
export function setProbeMarker(marker: string): void {
  probeMarker = marker;
}

/**
 * Samples the statement text of every client backend every `intervalMs` until the returned
 * function is called (it resolves once the sampler has stopped).
 */
export async function sampleActivity(intervalMs = 20): Promise<() => Promise<void>> {
  const c = await suiteCluster();
  const client = new pg.Client({ connectionString: c.url() });
  // A test that failed before stopping its sampler leaves it to the cluster's removal: end quietly then.
  client.on('error', () => {});
  await client.connect();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      let r: pg.QueryResult<{ datname: string | null; query: string | null }>;
      try {
        r = await client.query("SELECT datname, query FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
      } catch {
        return;
      }
      activity.samples++;
      for (const row of r.rows) {
        const q = row.query ?? '';
        if (!q) continue;
        activity.queries++;
        const n = leakForms.count(q);
        if (n) {
          activity.hits += n;
          // Once per distinct text: a long statement is seen by many samples.
          const where = `pg_stat_activity (${row.datname}): ${q.slice(0, 200)}`;
          if (activity.found.length < 20 && !activity.found.includes(where)) activity.found.push(where);
        }
        if (probeMarker && q.includes(probeMarker)) activity.probeHits++;
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    await client.end().catch(() => {});
  };
}
