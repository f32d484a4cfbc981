import { and, eq } from 'drizzle-orm';
import { customerNotes } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { notFound } from '../../../platform/errors';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { findNote } from '../notes';
import { customerNotePolicy, customerPolicy } from '../policy';
import { getCustomerById } from '../queries';

/** Deletes a note about the customer: its author, or a supervisor and above (403 for anyone else). */
export async function deleteCustomerNote(ctx: Ctx, customerId: string, noteId: string): Promise<void> {
  await command(ctx, async (tx) => {
    const customer = await getCustomerById(tx, ctx.accountId, customerId);
    authorize(ctx.actor, customerPolicy, 'read', customer);
    const note = await findNote(tx, ctx.accountId, customer.id, noteId);
    if (!note) throw notFound('Note');
    authorize(ctx.actor, customerNotePolicy, 'delete', note);
    await tx.delete(customerNotes).where(and(eq(customerNotes.accountId, ctx.accountId), eq(customerNotes.id, note.id)));
    await emit(tx, ctx, { type: 'customer.note_deleted', customerId: customer.id, payload: { noteId: note.id, customerId: customer.id } });
  });
}
