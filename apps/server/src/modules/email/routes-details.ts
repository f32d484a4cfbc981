import {
  ZEmailAutomatedPage,
  ZEmailChannelParams,
  ZEmailMessageDetailsEnvelope,
  ZEmailMessageParams,
  ZListEmailAutomatedQuery,
  type EmailMessageDetails,
  type ListEmailAutomatedQuery,
} from '@touchpoint/shared';
import { authorize, isStaff } from '../../platform/authz';
import type { Ctx } from '../../platform/context';
import { forbidden, notFound } from '../../platform/errors';
import { ctxOf } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { read } from '../../platform/tx';
import { conversationPolicy } from '../conversations';
import { findEmailChannelRow } from './imap/state';
import { presentAutomated, presentEmailDetails, storedEmailOf } from './presenters';
import { findBounceOf, findMessageWithChannel, listAutomated } from './queries-details';

/**
 * The mail behind a message. Only mail is an email: a customer's message received by mail (metadata.email) or our
 * reply on an email channel; a note, a message of another channel or one added through the API is a 404, like
 * another account's message.
 */
export async function getEmailDetails(ctx: Ctx, conversationId: string, messageId: string): Promise<EmailMessageDetails> {
  return read(ctx, async (tx) => {
    const m = await findMessageWithChannel(tx, ctx.accountId, conversationId, messageId);
    if (!m) throw notFound('Message');
    authorize(ctx.actor, conversationPolicy, 'read', { accountId: ctx.accountId, customerId: m.customerId });
    const isMail = m.channelKind === 'email' && (m.kind === 'outgoing' || (m.kind === 'incoming' && storedEmailOf(m.metadata) !== null));
    if (!isMail) throw notFound('Email message');
    const bounce = m.kind === 'outgoing' ? await findBounceOf(tx, ctx.accountId, m.id) : null;
    return presentEmailDetails(m, bounce);
  });
}

/** Bounces and auto-replies received on an email channel (they never become messages). Staff read them. */
export async function listAutomatedMail(ctx: Ctx, channelId: string, query: ListEmailAutomatedQuery) {
  if (!isStaff(ctx.actor)) throw forbidden();
  return read(ctx, async (tx) => {
    if (!(await findEmailChannelRow(tx, ctx.accountId, channelId))) throw notFound('Email channel');
    const page = await listAutomated(tx, ctx.accountId, channelId, query);
    return { data: page.items.map(presentAutomated), page: { nextCursor: page.nextCursor, limit: query.limit } };
  });
}

export function registerEmailDetailRoutes(app: App, deps: AppDeps): void {
  const tags = ['email'];
  app.get(
    '/conversations/:id/messages/:messageId/email',
    {
      schema: {
        tags,
        summary: 'The mail behind a message: headers, sanitised HTML, quoted text, threading; for a reply, why it failed',
        params: ZEmailMessageParams,
        response: { 200: ZEmailMessageDetailsEnvelope },
      },
    },
    async (req) => ({ data: await getEmailDetails(ctxOf(deps, req), req.params.id, req.params.messageId) }),
  );

  app.get(
    '/channels/:id/email/automated',
    {
      schema: {
        tags,
        summary: 'Bounces and auto-replies received on an email channel, newest first',
        params: ZEmailChannelParams,
        querystring: ZListEmailAutomatedQuery,
        response: { 200: ZEmailAutomatedPage },
      },
    },
    async (req) => listAutomatedMail(ctxOf(deps, req), req.params.id, req.query),
  );
}
