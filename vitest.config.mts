import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Files that load the machine on their own (a real Chromium; the security suite's load soak and
// SIGKILL loops) run after the rest, two at a time: the security suite (one file; its soak asserts
// no latency, only errors and memory) beside the forms in Chromium, which together take less time
// than it does (one after the other they were eight minutes of a CI run). Projects of one
// groupOrder share one maxWorkers, so this is one project.
const alone = ['test/webview/**/*.test.ts', 'test/security/**/*.test.ts'];

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
          exclude: ['test/e2e/**', 'node_modules/**', ...alone],
          // Vitest's default is one worker fewer than the cores: one on a two-core CI machine, where
          // most of these files wait on child processes, servers and PostgreSQL rather than compute.
          maxWorkers: Math.max(2, availableParallelism()),
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'alone',
          include: alone,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
