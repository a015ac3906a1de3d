import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Files that load the machine on their own (a real Chromium; the security suite's load soak and
// SIGKILL loops) run one at a time after the rest, so that neither they nor the files beside them
// are judged under the other's load: the soak's check that the vault's memory levels off failed
// once with the forms' Chromium beside it (RSS 153 -> 188 MB over the run's last third), where one
// at a time it has held in every run.
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
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
