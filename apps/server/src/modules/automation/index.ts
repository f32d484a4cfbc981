import type { Module } from '../../platform/module';
import { registerEventRules } from './listeners';
import { registerMacroRoutes } from './routes-macros';
import { registerRuleRoutes } from './routes-rules';
import { registerTimeRules } from './time-rules';
import { webhookJob, type WebhookCall } from './webhook';

/** Automation: macros (canned responses with variables), event and time rules, their runs. */
export const automationModule: Module = {
  name: 'automation',
  async register(app, deps) {
    const webhook = webhookJob(deps);
    deps.jobs.register(webhook);
    const enqueueWebhook = (call: WebhookCall, dedupeKey: string) => deps.jobs.enqueue(webhook, call, { dedupeKey });
    registerEventRules(deps, enqueueWebhook);
    registerMacroRoutes(app, deps);
    const timeRules = registerTimeRules(deps, enqueueWebhook);
    registerRuleRoutes(
      app,
      deps,
      (rule) => timeRules.onRuleSaved(rule),
      async () => {},
    );
  },
};
