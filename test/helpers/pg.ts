// Databases for tests in the run's shared PostgreSQL cluster (see pgGlobalSetup.ts).

import { inject } from 'vitest';
import pg from 'pg';

let counter = 0;

/** A new, empty database in the shared cluster; returns its URL. */
export async function pgDatabase(): Promise<string> {
  const admin = inject('pgClusterUrl');
  const name = `t_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  }
  return admin.replace(/\/[^/]*$/, `/${name}`);
}
