import { loadConfig, type Config } from '../src/config';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: '.tmp/unused',
    RATE_LIMIT_PER_MINUTE: '100000',
    WORKER: 'off',
    SEED_DEMO: 'off',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ...overrides,
  });
}
