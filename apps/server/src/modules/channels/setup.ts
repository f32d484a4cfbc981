import { isMessagingChannelKind, ZEmailChannelConfig, type ChannelSetup } from '@touchpoint/shared';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config';
import type { ChannelRow } from './queries';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, TOLERANCE_SECONDS } from './webhooks';

/** What the setup instructions depend on besides the channel: where this server is reached, and its mail settings. */
export interface SetupEnv {
  baseUrl: string;
  publicUrlConfigured: boolean;
  smtp: { enabled: boolean; host: string; port: number | null; starttls: boolean };
  relayConfigured: boolean;
}

/**
 * PUBLIC_URL when it is set; otherwise the origin this request came to (its scheme and Host, as TRUST_PROXY lets
 * Fastify read them), which is right for a server used directly and says so with `publicUrlConfigured: false`.
 */
export function setupEnv(config: Config, req: Pick<FastifyRequest, 'protocol' | 'host'>): SetupEnv {
  const baseUrl = (config.PUBLIC_URL ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '');
  return {
    baseUrl,
    publicUrlConfigured: config.PUBLIC_URL !== undefined,
    smtp: {
      enabled: config.SMTP_PORT !== undefined,
      host: new URL(baseUrl).hostname,
      // 0 picks a free port at boot: only the running intake knows it.
      port: config.SMTP_PORT ? config.SMTP_PORT : null,
      starttls: config.SMTP_TLS_CERT_FILE !== undefined,
    },
    relayConfigured: config.SMTP_RELAY_URL !== undefined,
  };
}

/** `"` and `<` cannot end the attribute or the tag: ids are UUIDs and base URLs parsed URLs, but the snippet is pasted into pages. */
const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

const stringOr = (v: unknown, fallback: string | null) => (typeof v === 'string' ? v : fallback);

/** How to connect one channel (ZChannelSetup): only the section of its kind is present. */
export function channelSetup(channel: ChannelRow, env: SetupEnv): ChannelSetup {
  const base = { baseUrl: env.baseUrl, publicUrlConfigured: env.publicUrlConfigured };
  const config = channel.config as Record<string, unknown>;
  const id = encodeURIComponent(channel.id);
  switch (channel.kind) {
    case 'web': {
      const widgetUrl = `${env.baseUrl}/widget.js`;
      return {
        ...base,
        web: {
          snippet: `<script src="${attr(widgetUrl)}" data-channel="${attr(channel.id)}" async></script>`,
          widgetUrl,
          previewUrl: `${env.baseUrl}/widget/frame.html?channel=${id}`,
        },
      };
    }
    case 'email': {
      const parsed = ZEmailChannelConfig.safeParse(config);
      const c = parsed.success ? parsed.data : null;
      return {
        ...base,
        email: {
          inboundAddress: c?.address ?? stringOr(config.address, null),
          smtpIntake: env.smtp,
          imap: { configured: !!c?.imap, host: c?.imap?.host ?? null, user: c?.imap?.user ?? null, mailbox: c?.imap?.mailbox ?? null },
          outbound: { relayConfigured: env.relayConfigured, fromName: c?.fromName ?? channel.name },
        },
      };
    }
    case 'api':
      return { ...base, api: { conversationsUrl: `${env.baseUrl}/api/v1/conversations`, outboundUrl: stringOr(config.outboundUrl, null) } };
    case 'voice':
      return { ...base, webhook: webhook(env, `channels/${id}/voice/events`, null) };
    default:
      if (isMessagingChannelKind(channel.kind))
        return { ...base, webhook: webhook(env, `channels/${id}/messaging/events`, stringOr(config.outboundUrl, null)) };
      return base;
  }
}

function webhook(env: SetupEnv, path: string, outboundUrl: string | null): NonNullable<ChannelSetup['webhook']> {
  return {
    url: `${env.baseUrl}/api/v1/${path}`,
    signatureHeader: SIGNATURE_HEADER,
    timestampHeader: TIMESTAMP_HEADER,
    toleranceSeconds: TOLERANCE_SECONDS,
    outboundUrl,
  };
}
