import type { CreateCustomerNoteBody } from '@touchpoint/shared';
import { customerNotes } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { assertNotMerged } from '../merged';
import { presentNote, type NoteRow } from '../notes';
import { customerPolicy } from '../policy';
import { getCustomerById } from '../queries';

/** Writes an internal note about the customer (agent+); a merged-away profile answers 409 (write on the survivor). */
export async function addCustomerNote(ctx: Ctx, customerId: string, body: CreateCustomerNoteBody): Promise<NoteRow> {
  return command(ctx, async (tx) => {
    const customer = await getCustomerById(tx, ctx.accountId, customerId);
    authorize(ctx.actor, customerPolicy, 'add_note', customer);
    assertNotMerged(customer);
    const [note] = await tx
      .insert(customerNotes)
      .values({
        accountId: ctx.accountId,
        customerId: customer.id,
        authorUserId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
        body: body.body,
      })
      .returning();
    await emit(tx, ctx, { type: 'customer.note_added', customerId: customer.id, payload: { note: presentNote(note!) } });
    return note!;
  });
}
