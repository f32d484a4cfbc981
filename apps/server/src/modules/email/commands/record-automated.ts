import type { EmailAutomatedKind } from '@touchpoint/shared';
import { and, eq, inArray } from 'drizzle-orm';
import { emailAutomatedMessages, messages } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { command } from '../../../platform/tx';
import type { InboundMail } from '../parse';
import type { EmailChannel } from '../queries';
import { findConversationByMessageIds } from '../queries';
import { applyDeliveryStatus, lockMessage } from '../../conversations';

export interface AutomatedResult {
  kind: EmailAutomatedKind;
  duplicate: boolean;
  conversationId: string | null;
  bouncedMessageId: string | null;
}

/**
 * Stores a bounce or an auto-reply, never as a message (so nothing reacts to it: no routing, no SLA, no automation,
 * no outgoing mail). A bounce naming one of our replies marks that reply failed. Idempotent on the Message-ID.
 */
export async function recordAutomated(ctx: Ctx, channel: EmailChannel, mail: InboundMail): Promise<AutomatedResult> {
  const c = mail.classification;
  if (c.kind === 'person') throw new Error('recordAutomated: the mail is from a person');
  return command(ctx, async (tx) => {
    const referenced = [...mail.bouncedIds, ...mail.inReplyTo, ...mail.references];
    const conversationId = await findConversationByMessageIds(tx, ctx.accountId, referenced);
    let bounced: string | null = null;
    if (c.kind === 'bounce' && mail.bouncedIds.length > 0) {
      const [ours] = await tx
        .select({ id: messages.id })
        .from(messages)
        .where(
          and(
            eq(messages.accountId, ctx.accountId),
            eq(messages.channelId, channel.id),
            eq(messages.kind, 'outgoing'),
            inArray(messages.externalId, mail.bouncedIds),
          ),
        )
        .limit(1);
      bounced = ours?.id ?? null;
    }
    const [row] = await tx
      .insert(emailAutomatedMessages)
      .values({
        accountId: ctx.accountId,
        channelId: channel.id,
        messageIdHeader: mail.messageId,
        kind: c.kind,
        reason: c.reason.slice(0, 500),
        fromAddress: mail.fromAddress,
        subject: mail.subject,
        conversationId,
        bouncedMessageId: bounced,
      })
      .onConflictDoNothing()
      .returning({ id: emailAutomatedMessages.id });
    if (!row) return { kind: c.kind, duplicate: true, conversationId, bouncedMessageId: bounced };
    if (bounced) {
      const message = await lockMessage(tx, ctx.accountId, bounced);
      if (message)
        await applyDeliveryStatus(tx, ctx, message, {
          status: 'failed',
          error: `Bounced: ${mail.bounceReason ?? mail.subject ?? c.reason}`,
        });
    }
    return { kind: c.kind, duplicate: false, conversationId, bouncedMessageId: bounced };
  });
}
