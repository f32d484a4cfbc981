import { defineConfig } from 'vitest/config';

// The benchmark's own unit tests (pure helpers; no database, no timing assertions). The root config does not
// include bench/: run them with `npx vitest run --config bench/vitest.config.ts`.
export default defineConfig({
  test: {
    include: ['bench/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
  },
});
