import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/harness';

// A database of its own: on the worker's shared one, earlier files may already have filled a pooled connection's
// MAX_PREPARED_PER_CONNECTION slots, and then the probe rightly runs unnamed.
const t = useTestApp({ isolated: true });

describe('autoPrepare (every pool connection)', () => {
  it('prepares parameterised statements once per connection and leaves parameterless scripts alone', async () => {
    const client = await t().database.pool.connect();
    try {
      const probe = 'select $1::int + 1 as answer /* auto-prepare probe */';
      for (let i = 0; i < 3; i++) expect((await client.query<{ answer: number }>(probe, [i])).rows[0]!.answer).toBe(i + 1);
      const { rows } = await client.query<{ name: string; n: number }>(
        `select name, count(*)::int as n from pg_prepared_statements where statement like $1 group by name`,
        ['%auto-prepare probe%'],
      );
      expect(rows).toEqual([{ name: expect.stringMatching(/^tp[0-9a-z]+_/), n: 1 }]);
      // Two statements in one text only run on the simple protocol, which a name would forbid.
      await client.query('select 1; select 2');
      expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      client.release();
    }
  });

  it('a new connection prepares under names of its own (PGlite keeps a closed connection’s statements)', async () => {
    const probe = 'select $1::int * 2 as twice /* reconnect probe */';
    const first = await t().database.pool.connect();
    expect((await first.query<{ twice: number }>(probe, [2])).rows[0]!.twice).toBe(4);
    first.release(true); // closed, not returned to the pool
    const second = await t().database.pool.connect();
    try {
      expect((await second.query<{ twice: number }>(probe, [3])).rows[0]!.twice).toBe(6);
    } finally {
      second.release();
    }
  });
});
