import { systemCtx, type Ctx } from '../../../platform/context';
import { authorize } from '../../../platform/authz';
import type { AppDeps } from '../../../platform/module';
import { read } from '../../../platform/tx';
import { conversationPolicy, getConversation, latestConversationOn } from '../../conversations';
import type { VisitorRow } from '../queries';
import { TYPING_SIGNAL } from '../sockets';

/**
 * "The customer is typing", to the agents following the visitor's conversation in progress (none: nobody to tell).
 * A signal through the hub's pub/sub port, never stored.
 */
export async function visitorTyping(deps: Pick<AppDeps, 'database' | 'events' | 'hub'>, v: VisitorRow): Promise<void> {
  const ctx = systemCtx({ db: deps.database.db, events: deps.events }, v.accountId, 'webchat');
  const conversationId = await read(ctx, (tx) =>
    latestConversationOn(tx, v.accountId, { customerId: v.customerId, channelId: v.channelId, statuses: ['open', 'pending', 'snoozed'] }),
  );
  if (!conversationId) return;
  deps.hub.signal(v.accountId, [`conversation:${conversationId}`], {
    type: TYPING_SIGNAL,
    conversationId,
    customerId: v.customerId,
    actor: { kind: 'customer', id: v.customerId },
    payload: { who: 'customer', conversationId, channelId: v.channelId },
  });
}

/**
 * An agent is writing a reply (the web app never signals for notes): to the conversation's topic (other agents)
 * and, through the hub's observer, to the visitor's sockets as "<first name> is typing…". Only who may reply may
 * signal; the first name is all a visitor learns of the agent.
 */
export async function agentTyping(ctx: Ctx, hub: AppDeps['hub'], conversationId: string): Promise<void> {
  const { conversation } = await read(ctx, (tx) => getConversation(tx, ctx.accountId, conversationId));
  authorize(ctx.actor, conversationPolicy, 'reply', conversation);
  const name = ctx.actor.kind === 'user' ? ctx.actor.name.trim().split(/\s+/)[0] || null : null;
  hub.signal(ctx.accountId, [`conversation:${conversation.id}`], {
    type: TYPING_SIGNAL,
    conversationId: conversation.id,
    customerId: conversation.customerId,
    actor: { kind: ctx.actor.kind, id: ctx.actor.kind === 'user' ? ctx.actor.userId : null },
    payload: {
      who: 'agent',
      name,
      conversationId: conversation.id,
      channelId: conversation.channelId,
      userId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    },
  });
}
