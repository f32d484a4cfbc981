import { and, eq } from 'drizzle-orm';
import { calls } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { command } from '../../../platform/tx';

/**
 * A merge moves the source customer's conversations to the target; their calls follow here, after the merge
 * commits (the customers module does not know about calls). Idempotent: a re-run finds nothing left to move.
 */
export async function moveCallsToCustomer(ctx: Ctx, sourceId: string, targetId: string): Promise<void> {
  await command(ctx, (tx) =>
    tx
      .update(calls)
      .set({ customerId: targetId })
      .where(and(eq(calls.accountId, ctx.accountId), eq(calls.customerId, sourceId))),
  );
}
