import { createHmac } from 'node:crypto';
import type { WebhookDelivery } from '@touchpoint/shared';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { automationRules, automationRuns } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import { defineJob } from '../../platform/jobs';
import type { AppDeps } from '../../platform/module';
import { postOutbound } from '../../platform/outbound-http';

const ZWebhookCall = z.object({
  accountId: z.uuid(),
  ruleId: z.uuid(),
  url: z.url(),
  body: z.string(),
  // Which run and action to report the delivery to (absent on jobs queued before runs recorded deliveries).
  runId: z.uuid().optional(),
  actionIndex: z.number().int().min(0).optional(),
});
export type WebhookCall = z.infer<typeof ZWebhookCall>;

/** Attempts in all: the first call and its retries. */
const RETRY_LIMIT = 6;
/** A receiver gets this long for the whole call (connect, request, answer); see postOutbound. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** `sha256=<hex HMAC-SHA256 of the raw body with the rule's secret>`, as sent in `X-Touchpoint-Signature`. */
export function signWebhook(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Writes a delivery outcome into the run's action entry; a final failure also becomes the run's error. */
async function recordDelivery(deps: Pick<AppDeps, 'database'>, call: WebhookCall, delivery: WebhookDelivery): Promise<void> {
  const { runId, actionIndex } = call;
  if (runId === undefined || actionIndex === undefined) return;
  const error =
    delivery.status === 'failed'
      ? `actions.${actionIndex} (call_webhook): delivery failed after ${delivery.attempts} attempts: ${delivery.error}`
      : null;
  await withTenant(deps.database.db, call.accountId, (tx) =>
    tx
      .update(automationRuns)
      .set({
        // jsonb_set re-reads the row under its lock, so two deliveries of one run never lose each other's update.
        actions: sql`jsonb_set(${automationRuns.actions}, ${`{${actionIndex},delivery}`}::text[], ${JSON.stringify(delivery)}::jsonb)`,
        ...(error ? { error: sql`coalesce(${automationRuns.error}, ${error})` } : {}),
      })
      .where(
        and(
          eq(automationRuns.accountId, call.accountId),
          eq(automationRuns.id, runId),
          sql`jsonb_array_length(${automationRuns.actions}) > ${actionIndex}`,
        ),
      ),
  );
}

/**
 * `call_webhook`: POSTs the JSON body outside any transaction, from a job, so a slow or failing endpoint never
 * holds a conversation lock; a non-2xx answer or a network error retries with exponential backoff. Each call is
 * its own job with a hard deadline for the whole exchange, so a slow receiver holds one worker slot for at most
 * WEBHOOK_TIMEOUT_MS while the batch's other jobs (other receivers, other accounts) run beside it; no group key,
 * so nothing queues behind it. Private and reserved destinations are refused unless
 * WEBHOOK_ALLOW_PRIVATE_NETWORKS=on (outbound-http.ts). The outcome of every attempt is written to the run.
 */
export function webhookJob(deps: Pick<AppDeps, 'database' | 'config'>) {
  return defineJob<WebhookCall>({
    name: 'automation-webhook',
    schema: ZWebhookCall,
    options: { retryLimit: RETRY_LIMIT, retryDelay: 10, retryBackoff: true, expireInSeconds: 60 },
    run: async (call, meta) => {
      const { accountId, ruleId, url, body } = call;
      const [rule] = await withTenant(deps.database.db, accountId, (tx) =>
        tx
          .select({ secret: automationRules.webhookSecret })
          .from(automationRules)
          .where(and(eq(automationRules.accountId, accountId), eq(automationRules.id, ruleId))),
      );
      if (!rule) return; // the rule was deleted meanwhile: nobody should be called in its name any more
      const attempts = (meta?.retryCount ?? 0) + 1;
      let status: number;
      try {
        const res = await postOutbound(url, body, {
          allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'on',
          headers: {
            'content-type': 'application/json',
            'x-touchpoint-signature': signWebhook(rule.secret, body),
            'user-agent': 'Touchpoint-Automation',
          },
          timeoutMs: WEBHOOK_TIMEOUT_MS,
        });
        status = res.status;
        if (status < 200 || status >= 300) throw new Error(`Webhook answered ${status}`);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const final = attempts > RETRY_LIMIT;
        await recordDelivery(deps, call, {
          status: final ? 'failed' : 'retrying',
          httpStatus: /^Webhook answered (\d+)$/.test(message) ? Number(message.slice(17)) : null,
          error: message,
          attempts,
          at: new Date().toISOString(),
        });
        throw err;
      }
      await recordDelivery(deps, call, { status: 'delivered', httpStatus: status, error: null, attempts, at: new Date().toISOString() });
    },
  });
}
