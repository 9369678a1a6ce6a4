import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: the queue and browser cases do real work on two cores; a timeout says "hung", not "slow".
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: run test files two at a time.
    maxWorkers: 2,
    pool: 'forks',
  },
});
