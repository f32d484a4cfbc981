import type { WidgetOfflineBody } from '@touchpoint/shared';
import { systemCtx, type Ctx } from '../../../platform/context';
import { command, read } from '../../../platform/tx';
import { createMessage, getConversation, setConversationTags } from '../../conversations';
import type { VisitorRow } from '../queries';
import { sendVisitorMessage } from './send-visitor-message';
import { recordVisitorDetails } from './submit-prechat';

/** The tag agents filter on: the visitor left while nobody was available and expects the answer by email. */
export const REPLY_BY_EMAIL_TAG = 'reply-by-email';

/**
 * The offline form: the message is stored like any visitor message (same idempotency on clientMessageId), the email
 * is recorded as a claimed identity, and the conversation is marked for the agents with the `reply-by-email` tag
 * (filterable) and an internal note saying where to answer. Each step is idempotent, so a retried submit that
 * finds the message already stored still completes the marking and adds no second note.
 */
export async function sendOfflineMessage(base: Pick<Ctx, 'db' | 'events' | 'requestId'>, v: VisitorRow, input: WidgetOfflineBody) {
  const sent = await sendVisitorMessage(base, v, { body: input.body, clientMessageId: input.clientMessageId });
  const ctx = { ...systemCtx(base, v.accountId, 'webchat'), requestId: base.requestId };
  await command(ctx, (tx) => recordVisitorDetails(tx, ctx, v, { name: input.name, email: input.email }, 'webchat.offline'));
  const conversationId = sent.message.conversationId;
  const { conversation } = await read(ctx, (tx) => getConversation(tx, v.accountId, conversationId));
  if (!conversation.tags.includes(REPLY_BY_EMAIL_TAG))
    await setConversationTags(ctx, { conversationId, tags: [...conversation.tags, REPLY_BY_EMAIL_TAG] });
  await createMessage(ctx, {
    conversationId,
    kind: 'note',
    body: `Left while nobody was available: answer by email to ${input.email}. The visitor may not come back to the chat.`,
    // Derived from the visitor's id for this message, so a retried submit finds this note instead of adding one.
    clientMessageId: `offline-note:${input.clientMessageId}`.slice(0, 100),
  });
  return sent;
}
