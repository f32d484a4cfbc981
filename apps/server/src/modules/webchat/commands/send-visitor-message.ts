import type { WidgetSendBody } from '@touchpoint/shared';
import { systemCtx, type Ctx } from '../../../platform/context';
import { invalid, isUniqueViolation } from '../../../platform/errors';
import { read } from '../../../platform/tx';
import { createConversation, createMessage, IN_PROGRESS_STATUSES, latestConversationOn, OpenConversationExists } from '../../conversations';
import { presentVisitorMessage } from '../presenters';
import { findVisitorMessageByClientId, type VisitorRow } from '../queries';

const IDEMPOTENCY_PK = 'idempotency_keys_account_id_scope_key_pk';

/**
 * A visitor's message: appended to their conversation in progress on the channel (a pending or snoozed one
 * reopens), or starting a new one, through the conversation commands so routing, SLAs, KPIs, automation and
 * realtime treat it like any customer message. Idempotent on clientMessageId across the visitor's conversations:
 * a send retried after a reconnect (the first may have committed while its answer was lost) stores one message.
 */
export async function sendVisitorMessage(base: Pick<Ctx, 'db' | 'events' | 'requestId'>, v: VisitorRow, input: WidgetSendBody) {
  // Appending runs as the customer, so the conversation policy itself checks the conversation is theirs.
  const asVisitor: Ctx = {
    ...base,
    accountId: v.accountId,
    actor: { kind: 'customer', customerId: v.customerId, accountId: v.accountId, channelId: v.channelId },
  };
  const known = await read(asVisitor, (tx) => findVisitorMessageByClientId(tx, v, input.clientMessageId));
  if (known) return { duplicate: true, message: presentVisitorMessage(known) };

  const message = { kind: 'incoming' as const, body: input.body, clientMessageId: input.clientMessageId };
  const attachmentIds = input.attachmentIds ?? [];
  const openId = await read(asVisitor, (tx) =>
    latestConversationOn(tx, v.accountId, { customerId: v.customerId, channelId: v.channelId, statuses: IN_PROGRESS_STATUSES }),
  );
  const append = async (conversationId: string) => {
    const r = await createMessage(asVisitor, { conversationId, channelId: v.channelId, ...message, attachmentIds });
    return { duplicate: !r.created, message: presentVisitorMessage(r.message) };
  };
  if (openId) return append(openId);
  // Uploads go into the conversation in progress (there is none: POST .../attachments refused them too).
  if (attachmentIds.length > 0) throw invalid('attachmentIds.0', 'No such upload in this conversation');
  // Customers may not start conversations through the API; starting one from the widget is channel intake.
  const intake = { ...systemCtx(base, v.accountId, 'webchat'), requestId: base.requestId };
  // Two copies of a visitor's first message racing each other: the idempotency key lets one conversation win.
  const idempotencyKey = `webchat:${v.id}:${input.clientMessageId}`;
  try {
    const r = await createConversation(
      intake,
      { customerId: v.customerId, channelId: v.channelId, message, unlessOpen: IN_PROGRESS_STATUSES },
      { idempotencyKey },
    );
    return { duplicate: r.replayed === true, message: presentVisitorMessage(r.message) };
  } catch (err) {
    // A different first message (another tab) started one a moment ago: this one joins it.
    if (err instanceof OpenConversationExists) return append(err.conversationId);
    if (!isUniqueViolation(err, IDEMPOTENCY_PK)) throw err;
    const first = await read(asVisitor, (tx) => findVisitorMessageByClientId(tx, v, input.clientMessageId));
    if (!first) throw err;
    return { duplicate: true, message: presentVisitorMessage(first) };
  }
}
