import type { CreateSavedViewBody, UpdateSavedViewBody } from '@touchpoint/shared';
import { and, eq } from 'drizzle-orm';
import { savedViews } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { forbidden } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { canCreateSavedView, savedViewPolicy } from '../policy';
import { getVisibleSavedView, type SavedViewRow } from '../saved-views';

/** Saves a view: personal (any person) or shared with the account (supervisors and above). */
export async function createSavedView(ctx: Ctx, input: CreateSavedViewBody): Promise<SavedViewRow> {
  return command(ctx, async (tx) => {
    if (!canCreateSavedView(ctx.actor, input.shared))
      throw forbidden(input.shared ? 'Sharing views needs the supervisor role or higher' : 'Personal views belong to people');
    const [row] = await tx
      .insert(savedViews)
      .values({
        accountId: ctx.accountId,
        name: input.name,
        filters: input.filters,
        shared: input.shared,
        ownerUserId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
      })
      .returning();
    return row!;
  });
}

/**
 * Renames, refilters, shares or unshares a view. Sharing and unsharing need a supervisor; an unshared view becomes
 * the personal view of the person who unshared it.
 */
export async function updateSavedView(ctx: Ctx, id: string, input: UpdateSavedViewBody): Promise<SavedViewRow> {
  return command(ctx, async (tx) => {
    const view = await getVisibleSavedView(tx, ctx.actor, id, { lock: true });
    authorize(ctx.actor, savedViewPolicy, 'update', view);
    const changes: Partial<SavedViewRow> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.filters !== undefined) changes.filters = input.filters;
    if (input.shared !== undefined && input.shared !== view.shared) {
      authorize(ctx.actor, savedViewPolicy, 'share', view);
      changes.shared = input.shared;
      if (!input.shared && ctx.actor.kind === 'user') changes.ownerUserId = ctx.actor.userId;
    }
    const [row] = await tx
      .update(savedViews)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(savedViews.accountId, ctx.accountId), eq(savedViews.id, id)))
      .returning();
    return row!;
  });
}

export async function deleteSavedView(ctx: Ctx, id: string): Promise<void> {
  await command(ctx, async (tx) => {
    const view = await getVisibleSavedView(tx, ctx.actor, id, { lock: true });
    authorize(ctx.actor, savedViewPolicy, 'delete', view);
    await tx.delete(savedViews).where(and(eq(savedViews.accountId, ctx.accountId), eq(savedViews.id, id)));
  });
}
