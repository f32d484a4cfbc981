import { ZWebChannelConfig, type WidgetConfig } from '@touchpoint/shared';
import { withTenant } from '../../db/tenant';
import type { AppDeps } from '../../platform/module';
import { attachmentLimitsOf } from '../attachments';
import type { WebhookChannel } from '../channels';
import { hasAvailableAgent } from '../routing';

type Settings = Omit<WidgetConfig, 'online' | 'attachments'>;

/**
 * The widget settings of a web channel's config. Validated when the channel is created (ZCreateChannelBody); a
 * config written before that (or by hand) that does not parse falls back to the defaults instead of breaking
 * every visitor's widget.
 */
export function widgetSettings(config: Record<string, unknown>): Settings {
  const parsed = ZWebChannelConfig.safeParse(config);
  const c = parsed.success ? parsed.data : {};
  return {
    greeting: c.greeting ?? null,
    prechat: {
      enabled: c.prechat?.enabled ?? false,
      intro: c.prechat?.intro ?? null,
      fields: c.prechat?.fields ?? { name: 'off', email: 'off' },
    },
  };
}

/**
 * The frame's config answer. "Online" reuses the routing module's eligibility: an active member who works
 * conversations (not an analyst) with presence `online`. Web channels have no team of their own, so any such member
 * of the account counts; business hours are not consulted (an agent online outside them still answers).
 */
export async function widgetConfig(deps: Pick<AppDeps, 'database' | 'config'>, channel: WebhookChannel): Promise<WidgetConfig> {
  const online = await withTenant(deps.database.db, channel.accountId, (tx) => hasAvailableAgent(tx, channel.accountId, null));
  return { online, ...widgetSettings(channel.config), attachments: attachmentLimitsOf(deps.config) };
}
