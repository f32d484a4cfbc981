import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('configuration', () => {
  it('defaults to PGlite in ./data on port 3000', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, databaseKind: 'pglite', dataDir: path.resolve('./data') });
  });

  it('switches to PostgreSQL with DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/tp' }).databaseKind).toBe('postgres');
  });

  it('does not trust X-Forwarded-For unless told to', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it('prepares statements unless told not to (PgBouncer in transaction mode)', () => {
    expect(loadConfig({}).DATABASE_PREPARED_STATEMENTS).toBe('on');
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'off' }).DATABASE_PREPARED_STATEMENTS).toBe('off');
    expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'maybe' })).toThrow(/DATABASE_PREPARED_STATEMENTS/);
  });

  it('keeps webhooks off private networks unless told otherwise', () => {
    expect(loadConfig({}).WEBHOOK_ALLOW_PRIVATE_NETWORKS).toBe('off');
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'on' }).WEBHOOK_ALLOW_PRIVATE_NETWORKS).toBe('on');
  });

  it('starts no SMTP intake unless SMTP_PORT is set (empty is unset, 0 is any free port)', () => {
    expect(loadConfig({}).SMTP_PORT).toBeUndefined();
    expect(loadConfig({ SMTP_PORT: '' }).SMTP_PORT).toBeUndefined();
    expect(loadConfig({ SMTP_PORT: '0' }).SMTP_PORT).toBe(0);
    expect(loadConfig({}).SMTP_MAX_MESSAGE_BYTES).toBe(10 * 1024 * 1024);
    expect(() => loadConfig({ SMTP_RELAY_URL: 'http://relay' })).toThrow(/SMTP_RELAY_URL must start with smtp/);
  });

  it('names every invalid variable in one clear error', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*DATABASE_URL must start with postgres/);
  });
});
