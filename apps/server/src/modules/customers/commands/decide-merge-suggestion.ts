import type { MergeSuggestion } from '@touchpoint/shared';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { customerMergeSuggestions } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { conflict, invalid } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { customerPolicy } from '../policy';
import { getSuggestion, withProfiles, type SuggestionRow } from '../suggestions';
import { lockPair, mergeCustomersIn } from './merge-customers';

function assertOpen(s: SuggestionRow): void {
  if (s.status !== 'open') throw conflict(`This suggestion was already ${s.status}`, { status: s.status });
}

async function decide(tx: Tx, ctx: Ctx, id: string, status: 'merged' | 'dismissed'): Promise<void> {
  await tx
    .update(customerMergeSuggestions)
    .set({ status, decidedAt: new Date(), decidedByUserId: ctx.actor.kind === 'user' ? ctx.actor.userId : null, updatedAt: new Date() })
    .where(eq(customerMergeSuggestions.id, id));
}

/**
 * Merges the suggested pair with `survivorId` (one of the two) surviving, through the ordinary merge: same
 * permission, same checks, same `customer.merged` event. 409 once the suggestion is no longer open.
 */
export async function mergeSuggestion(ctx: Ctx, id: string, survivorId: string): Promise<{ suggestion: MergeSuggestion }> {
  return command(ctx, async (tx) => {
    const seen = await getSuggestion(tx, ctx.accountId, id);
    authorize(ctx.actor, customerPolicy, 'merge', null);
    assertOpen(seen);
    if (survivorId !== seen.customerId && survivorId !== seen.candidateId) {
      throw invalid('survivorId', 'The survivor must be one of the two profiles of the suggestion');
    }
    const sourceId = survivorId === seen.customerId ? seen.candidateId : seen.customerId;
    // Profiles before the suggestion, as merges and claims lock them, so neither can wait on the other.
    await lockPair(tx, ctx.accountId, survivorId, sourceId);
    const current = await getSuggestion(tx, ctx.accountId, id, { lock: true });
    assertOpen(current);
    await decide(tx, ctx, id, 'merged');
    await mergeCustomersIn(tx, ctx, survivorId, sourceId);
    const [suggestion] = await withProfiles(tx, ctx.accountId, [await getSuggestion(tx, ctx.accountId, id)]);
    return { suggestion: suggestion! };
  });
}

/** Marks the pair as two people: claims between them no longer suggest a merge. 409 once decided. */
export async function dismissSuggestion(ctx: Ctx, id: string): Promise<{ suggestion: MergeSuggestion }> {
  return command(ctx, async (tx) => {
    const current = await getSuggestion(tx, ctx.accountId, id, { lock: true });
    authorize(ctx.actor, customerPolicy, 'merge', null);
    assertOpen(current);
    await decide(tx, ctx, id, 'dismissed');
    const [suggestion] = await withProfiles(tx, ctx.accountId, [await getSuggestion(tx, ctx.accountId, id)]);
    return { suggestion: suggestion! };
  });
}
