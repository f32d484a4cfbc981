import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { conversations, routingOffers } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { AppError, notFound } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { assignInTransaction } from '../../conversations';

export type OfferRow = typeof routingOffers.$inferSelect;

export const presentOffer = (o: OfferRow) => ({
  id: o.id,
  conversationId: o.conversationId,
  userId: o.userId,
  status: o.status as 'pending' | 'accepted' | 'declined' | 'expired',
  offeredAt: o.offeredAt.toISOString(),
  expiresAt: o.expiresAt.toISOString(),
  respondedAt: o.respondedAt?.toISOString() ?? null,
});

/** Ends a pending offer; a declined or expired one gives the conversation back (the caller routes it again). */
async function close(tx: Tx, ctx: Ctx, offer: OfferRow, status: 'accepted' | 'declined' | 'expired'): Promise<OfferRow> {
  const [saved] = await tx
    .update(routingOffers)
    .set({ status, respondedAt: new Date() })
    .where(and(eq(routingOffers.accountId, ctx.accountId), eq(routingOffers.id, offer.id)))
    .returning();
  if (status !== 'accepted') {
    const [conv] = await tx
      .select({ assigneeId: conversations.assigneeId })
      .from(conversations)
      .where(and(eq(conversations.accountId, ctx.accountId), eq(conversations.id, offer.conversationId)))
      .for('update');
    if (conv?.assigneeId === offer.userId) await assignInTransaction(tx, ctx, { conversationId: offer.conversationId, assigneeId: null });
  }
  return saved!;
}

/** The offered agent accepts or declines the latest pending offer of a conversation (404 when none is theirs). */
export function respondToOffer(ctx: Ctx, conversationId: string, response: 'accept' | 'decline'): Promise<OfferRow> {
  return command(ctx, async (tx) => {
    const userId = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
    const [offer] = await tx
      .select()
      .from(routingOffers)
      .where(and(eq(routingOffers.accountId, ctx.accountId), eq(routingOffers.conversationId, conversationId)))
      .orderBy(desc(routingOffers.offeredAt))
      .limit(1)
      .for('update');
    if (!offer || offer.userId !== userId) throw notFound('Offer');
    if (offer.status !== 'pending') throw new AppError('conflict', `The offer is already ${offer.status}`);
    return close(tx, ctx, offer, response === 'accept' ? 'accepted' : 'declined');
  });
}

/** The offer timeout job: still pending means nobody answered; returns whether it expired now (idempotent). */
export function expireOffer(ctx: Ctx, offerId: string): Promise<OfferRow | null> {
  return command(ctx, async (tx) => {
    const [offer] = await tx
      .select()
      .from(routingOffers)
      .where(and(eq(routingOffers.accountId, ctx.accountId), eq(routingOffers.id, offerId)))
      .for('update');
    if (!offer || offer.status !== 'pending') return null;
    return close(tx, ctx, offer, 'expired');
  });
}
