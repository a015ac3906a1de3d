// The end-to-end tests: a real VS Code (code-server) in Chromium. One file at a time: each starts
// its own editor and the machine has two cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    // Packages the VSIX once per run (each file installs it into a fresh profile).
    globalSetup: ['test/e2e/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
    // verbose: every scenario's name and result, however fast (default hides passing tests under 300 ms).
    reporters: ['verbose', ['json', { outputFile: 'test-results/vitest-e2e.json' }]],
  },
});
