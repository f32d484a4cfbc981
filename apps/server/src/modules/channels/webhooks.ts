import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChannelKind } from '@touchpoint/shared';
import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { channels } from '../../db/schema';
import { systemCtx, type Ctx } from '../../platform/context';
import { AppError, notFound } from '../../platform/errors';
import type { App, AppDeps } from '../../platform/module';
import { assertStorableInput } from '../../platform/http/input-guard';

/**
 * Signed channel webhooks, both directions (docs/channels.md):
 *   X-Touchpoint-Timestamp: <unix seconds>
 *   X-Touchpoint-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>", keyed with the channel's webhookSecret>
 * The timestamp is inside the signature, so a captured request cannot be replayed later with a fresh one; requests
 * older or newer than TOLERANCE_SECONDS are refused, and inside that window the provider's event id makes a
 * repeated delivery a no-op (each adapter stores it with what it creates).
 */
export const TIMESTAMP_HEADER = 'x-touchpoint-timestamp';
export const SIGNATURE_HEADER = 'x-touchpoint-signature';
export const TOLERANCE_SECONDS = 300;

export function signChannelPayload(secret: string, timestamp: number, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `sha256=${mac}`;
}

/** Headers for an outbound delivery to a provider, signed like the inbound ones. */
export function signedHeaders(secret: string, rawBody: string, now = Date.now()): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    'content-type': 'application/json',
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signChannelPayload(secret, timestamp, rawBody),
  };
}

const unauthenticated = (message: string) => new AppError('unauthenticated', message);

export function verifyChannelSignature(secret: string, req: Pick<FastifyRequest, 'headers'>, rawBody: Buffer, now = Date.now()): void {
  const ts = req.headers[TIMESTAMP_HEADER];
  const sig = req.headers[SIGNATURE_HEADER];
  if (typeof ts !== 'string' || typeof sig !== 'string')
    throw unauthenticated(`Sign the request: ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} headers are required`);
  if (!/^\d{1,12}$/.test(ts)) throw unauthenticated(`${TIMESTAMP_HEADER} must be a Unix time in seconds`);
  const timestamp = Number(ts);
  if (Math.abs(now / 1000 - timestamp) > TOLERANCE_SECONDS)
    throw unauthenticated(`The request is stale or from the future: ${TIMESTAMP_HEADER} must be within ${TOLERANCE_SECONDS} s of now`);
  const expected = Buffer.from(signChannelPayload(secret, timestamp, rawBody));
  const got = Buffer.from(sig);
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw unauthenticated('The signature does not match');
}

export interface WebhookChannel {
  id: string;
  accountId: string;
  kind: ChannelKind;
  name: string;
  config: Record<string, unknown>;
  webhookSecret: string;
}

/** What every inbound path of a disabled channel answers (403; docs/channels.md#managing-channels). */
export const channelDisabled = () =>
  new AppError('channel_disabled', 'This channel is disabled: it takes no messages until an admin of the account enables it again');

/**
 * The channel a webhook or a widget request names, across tenants (the request carries no credentials until its
 * signature or visitor token is checked). Unknown, archived, or of another kind: 404. Disabled: 403
 * `channel_disabled`, so the provider or the widget can tell "switched off" from "wrong address".
 */
export async function webhookChannel(deps: Pick<AppDeps, 'database'>, channelId: string, kinds: readonly ChannelKind[]) {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!UUID.test(channelId)) throw notFound('Channel');
  // One autocommit statement, across tenants like withSystem, but without a transaction's BEGIN and COMMIT: it is
  // on the path of every widget request and provider callback.
  const [row] = await deps.database.db.select().from(channels).where(eq(channels.id, channelId));
  if (!row || row.archivedAt || !kinds.includes(row.kind as ChannelKind)) throw notFound('Channel');
  if (!row.active) throw channelDisabled();
  return { ...row, kind: row.kind as ChannelKind } satisfies WebhookChannel;
}

/**
 * Registers `POST <path>` (path has a `:channelId` parameter) for provider callbacks: the raw body is kept for the
 * signature, the channel must be enabled and of one of `kinds`, the signature and timestamp must verify, and only
 * then is the body validated against `schema` (422 with the failing fields). The handler runs as the system actor
 * of the channel's account. Answers 401 without a valid signature, 404 for an unknown or archived channel, 403
 * `channel_disabled` for a disabled one.
 */
export function registerSignedWebhook<S extends z.ZodType>(
  app: App,
  deps: AppDeps,
  opts: {
    path: string;
    kinds: readonly ChannelKind[];
    summary: string;
    schema: S;
    handle: (ctx: Ctx, channel: WebhookChannel, body: z.infer<S>) => Promise<unknown>;
  },
): void {
  void app.register(async (scope) => {
    // Only inside this scope: JSON stays a Buffer until the signature over its exact bytes has been checked.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post<{ Params: { channelId: string } }>(
      opts.path,
      { config: { auth: 'signed' }, schema: { tags: ['channels'], summary: opts.summary, hide: false } },
      async (req, reply) => {
        const raw = req.body as Buffer | undefined;
        if (!Buffer.isBuffer(raw)) throw new AppError('unsupported_media_type', 'Send the payload as application/json');
        const channel = await webhookChannel(deps, req.params.channelId, opts.kinds);
        verifyChannelSignature(channel.webhookSecret, req, raw);
        let json: unknown;
        try {
          json = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new AppError('bad_request', 'The body is not valid JSON');
        }
        assertStorableInput(json, 'body');
        const parsed = opts.schema.safeParse(json);
        if (!parsed.success)
          throw new AppError('validation_failed', 'The payload does not match the documented format', {
            errors: parsed.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message })),
          });
        const ctx = systemCtx({ db: deps.database.db, events: deps.events }, channel.accountId, `webhook:${channel.kind}`);
        const data = await opts.handle(ctx, channel, parsed.data);
        return reply.status(200).send({ data });
      },
    );
  });
}
