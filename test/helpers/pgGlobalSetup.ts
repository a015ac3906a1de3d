// One PostgreSQL cluster for the whole test run (started only when some test file asks for it is
// not knowable up front, so it always starts: a few seconds). Each test file makes its own
// database in it (see pgDatabase in pg.ts); tests that stop or crash the server start their own.

import type { TestProject } from 'vitest/node';
import { startCluster, type PgCluster } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    pgClusterUrl: string;
  }
}

let cluster: PgCluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  cluster = await startCluster();
  project.provide('pgClusterUrl', cluster.url());
}

export function teardown(): void {
  cluster?.destroy();
}
