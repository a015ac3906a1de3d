import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { pgDatabase } from '../../helpers/pg';

describe('the test PostgreSQL cluster', () => {
  it('is a real PostgreSQL server on 127.0.0.1', async () => {
    const url = await pgDatabase();
    expect(url).toMatch(/^postgres:\/\/vault@127\.0\.0\.1:\d+\/t_/);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const r = await c.query<{ v: string; addr: string }>("SELECT version() AS v, inet_server_addr()::text AS addr");
    await c.end();
    expect(r.rows[0]!.v).toMatch(/^PostgreSQL \d+/);
    expect(r.rows[0]!.addr).toBe('127.0.0.1/32');
  });
});
