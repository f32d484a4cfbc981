import { and, eq } from 'drizzle-orm';
import { macros } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { forbidden } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { getVisibleMacro } from '../macro-queries';
import { canCreateMacro, macroPolicy } from '../policy';
import type { MacroRow } from '../presenters';
import { checkTeamExists, checkTemplate } from '../references';
import type { MacroInput } from './create-macro';

export async function updateMacro(ctx: Ctx, id: string, input: Partial<MacroInput>): Promise<MacroRow> {
  return command(ctx, async (tx) => {
    const macro = await getVisibleMacro(tx, ctx.actor, id, { lock: true });
    authorize(ctx.actor, macroPolicy, 'update', macro);
    const visibility = input.visibility ?? macro.visibility;
    if (visibility !== macro.visibility && !canCreateMacro(ctx.actor, visibility))
      throw forbidden('Your role may not change this macro to ' + visibility);
    if (input.body !== undefined) checkTemplate('body', input.body);
    if (input.actions?.teamId) await checkTeamExists(tx, ctx.accountId, input.actions.teamId, 'actions.teamId');
    const [row] = await tx
      .update(macros)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.body !== undefined ? { body: input.body } : {}),
        ...(input.actions !== undefined ? { actions: input.actions } : {}),
        visibility,
        ownerUserId: visibility === 'shared' ? null : ctx.actor.kind === 'user' ? ctx.actor.userId : macro.ownerUserId,
      })
      .where(and(eq(macros.accountId, ctx.accountId), eq(macros.id, id)))
      .returning();
    return row!;
  });
}

export async function deleteMacro(ctx: Ctx, id: string): Promise<void> {
  await command(ctx, async (tx) => {
    const macro = await getVisibleMacro(tx, ctx.actor, id, { lock: true });
    authorize(ctx.actor, macroPolicy, 'delete', macro);
    await tx.delete(macros).where(and(eq(macros.accountId, ctx.accountId), eq(macros.id, id)));
  });
}
