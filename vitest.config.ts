import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // Jobs retried after GitHub failures wait milliseconds, not seconds, in tests.
    env: { MESHREADY_RETRY_DELAY_MS: '5' },
  },
});
