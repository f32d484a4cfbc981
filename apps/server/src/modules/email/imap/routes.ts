import {
  ZEmailChannelConfig,
  ZEmailChannelParams,
  ZEmailImapPollEnvelope,
  ZEmailImapStatus,
  ZEmailImapTestEnvelope,
  envelope,
  type EmailImapTestResult,
} from '@touchpoint/shared';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { conflict, invalid, notFound } from '../../../platform/errors';
import { ctxOf } from '../../../platform/http/auth';
import type { App, AppDeps } from '../../../platform/module';
import { read } from '../../../platform/tx';
import { channelPolicy } from '../../channels';
import { testImap } from './client';
import { pollMailbox, type Logger } from './poll';
import { findEmailChannelRow, findImapState, presentImapStatus, toImapChannel } from './state';

/** The account's email channel, for an admin (404 for another account's channel or another kind). */
async function adminChannel(ctx: Ctx, id: string) {
  authorize(ctx.actor, channelPolicy, 'manage', { accountId: ctx.accountId });
  const row = await read(ctx, (tx) => findEmailChannelRow(tx, ctx.accountId, id));
  if (!row) throw notFound('Email channel');
  return row;
}

export function registerImapRoutes(app: App, deps: AppDeps, log: Logger): void {
  const tags = ['email'];
  app.get(
    '/channels/:id/email/imap',
    {
      schema: {
        tags,
        summary: 'How polling the email channel’s IMAP mailbox went (admins)',
        params: ZEmailChannelParams,
        response: { 200: envelope(ZEmailImapStatus) },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const row = await adminChannel(ctx, req.params.id);
      return { data: presentImapStatus(await read(ctx, (tx) => findImapState(tx, ctx.accountId, row.id))) };
    },
  );

  app.post(
    '/channels/:id/email/imap/test',
    {
      schema: {
        tags,
        summary: 'Try the email channel’s IMAP settings: connect, log in, open the mailbox (admins)',
        params: ZEmailChannelParams,
        response: { 200: ZEmailImapTestEnvelope },
      },
    },
    async (req) => {
      const row = await adminChannel(ctxOf(deps, req), req.params.id);
      const config = ZEmailChannelConfig.safeParse(row.config);
      if (!config.success || !config.data.imap) {
        const error = config.success
          ? 'The channel has no IMAP mailbox (config.imap)'
          : config.error.issues.map((i) => `config.${i.path.join('.')}: ${i.message}`).join('; ');
        return { data: { ok: false, stage: 'config', error, mailbox: null, capabilities: [] } satisfies EmailImapTestResult };
      }
      return { data: await testImap(config.data.imap, { allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'on' }) };
    },
  );

  app.post(
    '/channels/:id/email/imap/poll',
    {
      schema: {
        tags,
        summary: 'Poll the email channel’s IMAP mailbox now (admins)',
        params: ZEmailChannelParams,
        response: { 200: ZEmailImapPollEnvelope },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const row = await adminChannel(ctx, req.params.id);
      if (!row.active || !toImapChannel(row))
        throw invalid('config.imap', 'The channel is inactive or has no valid IMAP mailbox (config.imap)');
      const r = await pollMailbox(deps, log, ctx.accountId, row.id);
      if (r.skipped === 'busy') throw conflict('A poll of this mailbox is running; try again in a moment');
      if (r.skipped) throw invalid('config.imap', 'The channel is inactive or has no valid IMAP mailbox (config.imap)');
      return { data: { fetched: r.fetched, failed: r.failed, status: presentImapStatus(r.state) } };
    },
  );
}
