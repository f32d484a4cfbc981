import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/server/test/**/*.test.ts', 'e2e/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    globalSetup: ['apps/server/test/global-setup.ts'],
    // Each test file gets its own database (PGlite instance or PostgreSQL database cloned from a migrated
    // template). A PGlite instance costs ~0.75 GB, so parallelism is capped.
    pool: 'forks',
    maxWorkers: 2,
    // Files share a worker's module cache (each still builds its own app and database): it spared 160 s of
    // re-importing the server per file on 2 cores. Module-level state must therefore not leak between tests.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
