import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { conversations, customerIdentities, customerNotes, customers, events, messages } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { conflict, invalid, notFound } from '../../../platform/errors';
import { emit, flushEvents } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { customerPolicy } from '../policy';
import { customerColumns, presentCustomer, type CustomerRow } from '../presenters';
import { listIdentitiesOf } from '../queries';
import { settleSuggestionsAfterMerge } from '../suggestions';
import { setCustomerFields } from '../writes';

/** Profile fields the survivor takes from the source when it has none of its own. */
const FILLABLE = ['name', 'email', 'phone', 'externalId', 'avatarUrl', 'segment', 'language', 'timeZone'] as const;

/**
 * What the target takes from the source: empty profile fields, VIP status, a later last-seen time, and
 * attributes it does not have (the target wins every clash). Pure, so the explanation matches the change.
 */
export function fillFromSource(target: CustomerRow, source: CustomerRow) {
  const set: Partial<typeof customers.$inferInsert> = {};
  const taken: string[] = [];
  for (const f of FILLABLE) {
    if ((target[f] === null || target[f] === '') && source[f]) {
      set[f] = source[f];
      taken.push(f);
    }
  }
  if (!target.vip && source.vip) {
    set.vip = true;
    taken.push('vip');
  }
  if (source.lastSeenAt && (!target.lastSeenAt || source.lastSeenAt > target.lastSeenAt)) {
    set.lastSeenAt = source.lastSeenAt;
    taken.push('lastSeenAt');
  }
  const newKeys = Object.keys(source.attributes).filter((k) => !(k in target.attributes));
  if (newKeys.length > 0) {
    set.attributes = { ...source.attributes, ...target.attributes };
    taken.push(...newKeys.map((k) => `attributes.${k}`));
  }
  return { set, taken };
}

/** Both rows locked in id order, so two merges of the same pair in opposite directions cannot deadlock. */
export async function lockPair(tx: Tx, accountId: string, targetId: string, sourceId: string) {
  const rows = await tx
    .select(customerColumns)
    .from(customers)
    .where(and(eq(customers.accountId, accountId), inArray(customers.id, [targetId, sourceId])))
    .orderBy(asc(customers.id))
    .for('update');
  const target = rows.find((r) => r.id === targetId);
  const source = rows.find((r) => r.id === sourceId);
  if (!target) throw notFound('Customer');
  if (!source) throw notFound('Source customer');
  return { target, source };
}

/**
 * Merges `sourceId` INTO `targetId` in one transaction: identities, conversations, authored messages, notes and the
 * event history move to the target; the source stays as a redirect (`mergedIntoId`). The `customer.merged`
 * event records what moved and which fields came from the source, so the merge can be explained later.
 */
export async function mergeCustomers(ctx: Ctx, targetId: string, sourceId: string) {
  return command(ctx, (tx) => mergeCustomersIn(tx, ctx, targetId, sourceId));
}

/** mergeCustomers inside a transaction the caller holds (deciding a merge suggestion). */
export async function mergeCustomersIn(tx: Tx, ctx: Ctx, targetId: string, sourceId: string) {
  if (targetId === sourceId) throw invalid('sourceId', 'A customer cannot be merged into itself');
  const { target, source } = await lockPair(tx, ctx.accountId, targetId, sourceId);
  authorize(ctx.actor, customerPolicy, 'merge', target);
  if (target.mergedIntoId)
    throw conflict('The target was itself merged into another customer; merge into that one', { mergedIntoId: target.mergedIntoId });
  if (source.mergedIntoId) throw conflict('The source was already merged', { mergedIntoId: source.mergedIntoId });

  const acc = ctx.accountId;
  // Events this transaction emitted so far (about the source) must move with the rest: write them first.
  await flushEvents(tx);
  const moved = {
    identities:
      (
        await tx
          .update(customerIdentities)
          .set({ customerId: target.id })
          .where(and(eq(customerIdentities.accountId, acc), eq(customerIdentities.customerId, source.id)))
      ).rowCount ?? 0,
    conversations:
      (
        await tx
          .update(conversations)
          .set({ customerId: target.id })
          .where(and(eq(conversations.accountId, acc), eq(conversations.customerId, source.id)))
      ).rowCount ?? 0,
    messages:
      (
        await tx
          .update(messages)
          .set({ authorCustomerId: target.id })
          .where(and(eq(messages.accountId, acc), eq(messages.authorCustomerId, source.id)))
      ).rowCount ?? 0,
    notes:
      (
        await tx
          .update(customerNotes)
          .set({ customerId: target.id })
          .where(and(eq(customerNotes.accountId, acc), eq(customerNotes.customerId, source.id)))
      ).rowCount ?? 0,
    events:
      (
        await tx
          .update(events)
          .set({ customerId: target.id })
          .where(and(eq(events.accountId, acc), eq(events.customerId, source.id)))
      ).rowCount ?? 0,
  };
  // Profiles merged into the source earlier now redirect straight to the survivor (one hop for clients).
  await tx
    .update(customers)
    .set({ mergedIntoId: target.id })
    .where(and(eq(customers.accountId, acc), eq(customers.mergedIntoId, source.id)));
  await setCustomerFields(tx, source.id, { mergedIntoId: target.id, mergedAt: new Date() });
  await settleSuggestionsAfterMerge(tx, ctx, target.id, source.id);

  const { set, taken } = fillFromSource(target, source);
  const survivor = await setCustomerFields(tx, target.id, set);
  const identities = await listIdentitiesOf(tx, acc, target.id);
  const presented = presentCustomer(survivor, identities);
  const summary = { sourceId: source.id, moved, fieldsTakenFromSource: taken };
  await emit(tx, ctx, {
    type: 'customer.merged',
    customerId: target.id,
    payload: { customer: presented, target: presented, ...summary },
  });
  return { customer: survivor, identities, summary };
}
