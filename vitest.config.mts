import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Files that load the machine on their own (a real Chromium; the security suite's load soak and
// SIGKILL loops) run after the rest, each kind one file at a time: the forms in Chromium beside the
// security suite (its soak asserts no latency, only errors and memory), which alone take longer than
// all the forms (run one after the other they were eight minutes of a CI run).
const webview = ['test/webview/**/*.test.ts'];
const security = ['test/security/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/helpers/pgGlobalSetup.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**', ...webview, ...security],
          // Vitest's default is one worker fewer than the cores: one on a two-core CI machine, where
          // most of these files wait on child processes, servers and PostgreSQL rather than compute.
          maxWorkers: Math.max(2, availableParallelism()),
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'webview',
          include: webview,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'security',
          include: security,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
