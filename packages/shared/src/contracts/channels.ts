import { z } from 'zod';
import { ZChannel } from './accounts';
import { envelope } from './common';
import { ZEmailChannelConfig } from './email';
import { isMessagingChannelKind, ZApiChannelConfig, ZMessagingChannelConfig } from './messaging';
import { ZWebChannelConfig } from './webchat';

// Contracts of managing a channel after it was created (docs/channels.md#managing-channels): edit, enable/disable,
// archive, rotate its webhook secret, and what an admin needs to connect it (GET /channels/:id `setup`). The channel
// itself and creating one are in accounts.ts (ZChannel, ZCreateChannelBody).

/** The schema a channel's `config` must satisfy, by kind (null: any object, e.g. `voice`). */
export function channelConfigSchema(kind: string): z.ZodType | null {
  if (kind === 'web') return ZWebChannelConfig;
  if (kind === 'email') return ZEmailChannelConfig;
  if (kind === 'api') return ZApiChannelConfig;
  if (isMessagingChannelKind(kind)) return ZMessagingChannelConfig;
  return null;
}

const ZConfigPatch = z
  .record(z.string().max(100), z.unknown())
  .refine((c) => JSON.stringify(c).length <= 16_384, 'config must be at most 16 KB of JSON');

/**
 * `PATCH /channels/:id`. `config` is a JSON merge patch (RFC 7386) of the stored config: a key with a value sets it
 * (objects merge key by key, so `{ "imap": { "password": "…" } }` changes only the password), a key with `null`
 * removes it. The merged config must pass the same checks as at creation (422 with `body.config.…` paths).
 */
export const ZUpdateChannelBody = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    enabled: z.boolean().optional(),
    config: ZConfigPatch.optional(),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.enabled !== undefined || b.config !== undefined, 'Send name, enabled and/or config');
export type UpdateChannelBody = z.infer<typeof ZUpdateChannelBody>;

/** Where a provider or bridge posts its signed callbacks, and how to sign them (docs/channels.md#channel-secrets-and-signed-webhooks). */
export const ZChannelWebhookSetup = z.object({
  url: z.string(),
  signatureHeader: z.string(),
  timestampHeader: z.string(),
  /** A callback whose timestamp is further than this from the server's clock is refused. */
  toleranceSeconds: z.number().int(),
  /** Where replies are delivered (`config.outboundUrl`); null: inbound only. Voice channels have none. */
  outboundUrl: z.string().nullable(),
});

/**
 * How to connect a channel, by kind: `web` (the snippet to paste), `email` (the address, where its mail must arrive,
 * how replies leave), `webhook` (messaging and voice: the URL to configure at the provider), `api` (the REST entry
 * point). Addresses are absolute: PUBLIC_URL, or this request's origin when it is not set (`publicUrlConfigured`).
 * Never a secret: the webhook secret is shown only when the channel is created and when it is rotated.
 */
export const ZChannelSetup = z.object({
  baseUrl: z.string(),
  /** False: the addresses are this request's origin, which may not be what customers' browsers or providers reach. */
  publicUrlConfigured: z.boolean(),
  web: z
    .object({
      /** `<script src="…/widget.js" data-channel="…" async></script>`, for every page of the site. */
      snippet: z.string(),
      widgetUrl: z.string(),
      /** The chat frame alone, to try the channel without a site. */
      previewUrl: z.string(),
    })
    .optional(),
  email: z
    .object({
      /** `config.address`: customers write to it, replies come from it. */
      inboundAddress: z.string().nullable(),
      /** This server's SMTP intake (SMTP_PORT): point the address's MX, or a forwarding rule, at it. */
      smtpIntake: z.object({ enabled: z.boolean(), host: z.string(), port: z.number().int().nullable(), starttls: z.boolean() }),
      /** Mail fetched from a mailbox elsewhere instead (`config.imap`); never its password. */
      imap: z.object({ configured: z.boolean(), host: z.string().nullable(), user: z.string().nullable(), mailbox: z.string().nullable() }),
      /** Replies leave through SMTP_RELAY_URL; without it they land in the development outbox. */
      outbound: z.object({ relayConfigured: z.boolean(), fromName: z.string() }),
    })
    .optional(),
  webhook: ZChannelWebhookSetup.optional(),
  api: z.object({ conversationsUrl: z.string(), outboundUrl: z.string().nullable() }).optional(),
});
export type ChannelSetup = z.infer<typeof ZChannelSetup>;

export const ZChannelDetails = ZChannel.extend({ setup: ZChannelSetup });
export type ChannelDetails = z.infer<typeof ZChannelDetails>;
export const ZChannelDetailsEnvelope = envelope(ZChannelDetails);
