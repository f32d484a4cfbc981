import type { MacroActions } from '@touchpoint/shared';
import { macros } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { forbidden } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { canCreateMacro } from '../policy';
import type { MacroRow } from '../presenters';
import { checkTeamExists, checkTemplate } from '../references';

export interface MacroInput {
  name: string;
  body: string;
  visibility: 'personal' | 'shared';
  actions: MacroActions;
}

/** A personal macro (owned by the caller) or a shared one (supervisors and above). */
export async function createMacro(ctx: Ctx, input: MacroInput): Promise<MacroRow> {
  return command(ctx, async (tx) => {
    if (!canCreateMacro(ctx.actor, input.visibility))
      throw forbidden(
        input.visibility === 'shared' ? 'Only supervisors and above create shared macros' : 'Your role may not create macros',
      );
    checkTemplate('body', input.body);
    if (input.actions.teamId) await checkTeamExists(tx, ctx.accountId, input.actions.teamId, 'actions.teamId');
    const [row] = await tx
      .insert(macros)
      .values({
        accountId: ctx.accountId,
        name: input.name,
        body: input.body,
        visibility: input.visibility,
        ownerUserId: input.visibility === 'personal' && ctx.actor.kind === 'user' ? ctx.actor.userId : null,
        actions: input.actions,
      })
      .returning();
    return row!;
  });
}
