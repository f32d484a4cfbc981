import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { customers } from '../db/schema';
import { createAccount } from '../../test/factories';
import { useTestApp } from '../../test/harness';
import { command, read, withRowSecurityLifted } from './tx';

const t = useTestApp();

const plan = async (tx: Parameters<Parameters<typeof read>[1]>[0], accountId: string) =>
  (
    await tx.execute(
      sql`explain select id from customers where account_id = ${accountId} and search_vector @@ to_tsquery('simple', 'needle')`,
    )
  ).rows
    .map((r) => String(r['QUERY PLAN']))
    .join('\n');

describe('withRowSecurityLifted', () => {
  it('lets a full-text condition use its GIN index, which row-level security forbids', async () => {
    const { owner } = await createAccount(t());
    await command(owner.ctx, (tx) => tx.insert(customers).values({ accountId: owner.accountId, name: 'needle in a haystack' }));
    // A realistic shape for the planner: many customers in the account, one of them matching.
    await t().database.pool.query(`insert into customers (account_id, name) select $1, 'hay ' || g from generate_series(1, 5000) g`, [
      owner.accountId,
    ]);
    await t().database.pool.query('analyze customers');
    await read(owner.ctx, async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`); // make the index the planner's choice whenever it is allowed
      expect(await plan(tx, owner.accountId)).not.toContain('customers_search_idx');
      expect(await withRowSecurityLifted(tx, () => plan(tx, owner.accountId))).toContain('customers_search_idx');
    });
  });

  it('restores the application role afterwards, also when the lookup fails', async () => {
    const { owner } = await createAccount(t());
    await read(owner.ctx, async (tx) => {
      const role = async () => (await tx.execute(sql`select current_user as u`)).rows[0]!.u;
      expect(await role()).toBe('touchpoint_app');
      expect(await withRowSecurityLifted(tx, role)).not.toBe('touchpoint_app');
      expect(await role()).toBe('touchpoint_app');
    });
    const failing = read(owner.ctx, (tx) => withRowSecurityLifted(tx, () => Promise.reject(new Error('lookup failed'))));
    await expect(failing).rejects.toThrow('lookup failed');
    // The pooled connection is clean for the next tenant transaction.
    await read(owner.ctx, async (tx) => expect((await tx.execute(sql`select current_user as u`)).rows[0]!.u).toBe('touchpoint_app'));
  });
});
