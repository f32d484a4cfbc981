import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The longest files start first, so the other worker runs the rest meanwhile instead of waiting for one of them at
 * the end (vitest orders a fresh clone by file size, later runs by the durations it cached).
 */
const LONG = ['/apps/server/src/cli/cli.test.ts', '/e2e/'];
class LongFirst extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONG.findIndex((p) => f.moduleId.includes(p));
      return i < 0 ? LONG.length : i;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b)); // stable: the rest keeps vitest's order
  }
}

// TP_TEST_SECOND_ENGINE=1: this run repeats the suite on a second database engine (CI's PostgreSQL phase), so it
// leaves out what does not test the engine and already ran: the browser tests and the CLI test (its own PGlite).
const secondEngine = process.env.TP_TEST_SECOND_ENGINE === '1';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/server/test/**/*.test.ts', 'e2e/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', ...(secondEngine ? ['e2e/**', 'apps/server/src/cli/cli.test.ts'] : [])],
    globalSetup: ['apps/server/test/global-setup.ts'],
    sequence: { sequencer: LongFirst },
    pool: 'forks',
    // CI has 2 cores; each worker keeps up to 4 apps (a PGlite instance is ~300 MB).
    maxWorkers: 2,
    // Files share a worker's module cache, and with it the worker's apps and databases (test/harness.ts: one per
    // distinct configuration, copied once from the migrated template), instead of booting an app and copying a
    // database per file. Tests isolate by account; module-level state must not leak between tests.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
