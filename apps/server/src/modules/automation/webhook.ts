import { createHmac } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { automationRules } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import { defineJob } from '../../platform/jobs';
import type { AppDeps } from '../../platform/module';
import { postOutbound } from '../../platform/outbound-http';

const ZWebhookCall = z.object({ accountId: z.uuid(), ruleId: z.uuid(), url: z.url(), body: z.string() });
export type WebhookCall = z.infer<typeof ZWebhookCall>;

/** `sha256=<hex HMAC-SHA256 of the raw body with the rule's secret>`, as sent in `X-Touchpoint-Signature`. */
export function signWebhook(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * `call_webhook`: POSTs the JSON body outside any transaction, from a job, so a slow or failing endpoint never
 * holds a conversation lock; a non-2xx answer or a network error retries with exponential backoff. Private and
 * reserved destinations are refused unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=on (outbound-http.ts).
 */
export function webhookJob(deps: Pick<AppDeps, 'database' | 'config'>) {
  return defineJob<WebhookCall>({
    name: 'automation-webhook',
    schema: ZWebhookCall,
    options: { retryLimit: 6, retryDelay: 10, retryBackoff: true, expireInSeconds: 60 },
    run: async ({ accountId, ruleId, url, body }) => {
      const [rule] = await withTenant(deps.database.db, accountId, (tx) =>
        tx
          .select({ secret: automationRules.webhookSecret })
          .from(automationRules)
          .where(and(eq(automationRules.accountId, accountId), eq(automationRules.id, ruleId))),
      );
      if (!rule) return; // the rule was deleted meanwhile: nobody should be called in its name any more
      const res = await postOutbound(url, body, {
        allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'on',
        headers: {
          'content-type': 'application/json',
          'x-touchpoint-signature': signWebhook(rule.secret, body),
          'user-agent': 'Touchpoint-Automation',
        },
        timeoutMs: 10_000,
      });
      if (res.status < 200 || res.status >= 300) throw new Error(`Webhook answered ${res.status}`);
    },
  });
}
