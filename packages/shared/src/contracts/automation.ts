import { z } from 'zod';
import { pageEnvelope, envelope, ZPageQuery } from './common';
import { ZPriority } from './conversations';

// ---------- Macros ----------

const ZTagList = z.array(z.string().trim().min(1).max(50)).min(1).max(20);

export const ZMacroActions = z.strictObject({
  status: z.enum(['open', 'pending', 'resolved']).optional(),
  priority: ZPriority.optional(),
  addTags: ZTagList.optional(),
  teamId: z.uuid().optional(),
});
export type MacroActions = z.infer<typeof ZMacroActions>;

export const ZMacroVisibility = z.enum(['personal', 'shared']);

export const ZCreateMacroBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  body: z.string().min(1).max(10_000),
  visibility: ZMacroVisibility.default('personal'),
  actions: ZMacroActions.default({}),
});
export const ZUpdateMacroBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  body: z.string().min(1).max(10_000).optional(),
  visibility: ZMacroVisibility.optional(),
  actions: ZMacroActions.optional(),
});

export const ZMacro = z.object({
  id: z.string(),
  name: z.string(),
  body: z.string(),
  visibility: ZMacroVisibility,
  ownerUserId: z.string().nullable(),
  actions: ZMacroActions,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Macro = z.infer<typeof ZMacro>;
export const ZMacroEnvelope = envelope(ZMacro);
export const ZMacroPage = pageEnvelope(ZMacro);
export const ZListMacrosQuery = ZPageQuery.extend({ visibility: ZMacroVisibility.optional() });
export const ZMacroPreviewBody = z.strictObject({ conversationId: z.uuid() });
export const ZMacroPreviewEnvelope = envelope(z.object({ body: z.string(), actions: ZMacroActions }));
export const ZApplyMacroParams = z.object({ id: z.uuid(), macroId: z.uuid() });

// ---------- Automation rules ----------

export const RULE_EVENTS = [
  'conversation.created',
  'message.created',
  'conversation.status_changed',
  'conversation.assigned',
  'conversation.tags_changed',
  'conversation.priority_changed',
] as const;

export const CONDITION_FIELDS = [
  'conversation.status',
  'conversation.priority',
  'conversation.channelKind',
  'conversation.tags',
  'conversation.teamId',
  'conversation.assigneeId',
  'conversation.subject',
  'message.body',
  'message.kind',
  'message.authorKind',
  'customer.vip',
  'customer.segment',
  'customer.email',
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

export const CONDITION_OPS = ['eq', 'neq', 'in', 'contains', 'not_contains', 'starts_with', 'is_set', 'is_empty'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

const ZScalar = z.union([z.string().max(1000), z.boolean()]);

export const ZCondition = z
  .strictObject({
    field: z.enum(CONDITION_FIELDS),
    op: z.enum(CONDITION_OPS),
    value: z.union([ZScalar, z.array(z.string().max(1000)).min(1).max(100)]).optional(),
  })
  .superRefine((c, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: 'custom', path: ['value'], message });
    if (c.op === 'is_set' || c.op === 'is_empty') {
      if (c.value !== undefined) issue(`${c.op} takes no value`);
      return;
    }
    if (c.value === undefined) return issue(`${c.op} needs a value`);
    if (c.op === 'in') {
      if (!Array.isArray(c.value)) issue('in needs an array of strings');
      return;
    }
    if (Array.isArray(c.value)) return issue(`${c.op} needs a single value, not an array`);
    if (c.field === 'customer.vip') {
      if (typeof c.value !== 'boolean') issue('customer.vip compares with true or false');
      else if (c.op !== 'eq' && c.op !== 'neq') issue('customer.vip supports eq, neq, is_set, is_empty');
      return;
    }
    if (typeof c.value !== 'string') issue(`${c.field} compares with a string`);
  });
export type Condition = z.infer<typeof ZCondition>;

export const ZRuleAction = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('assign_team'), teamId: z.uuid() }),
  z.strictObject({ type: z.literal('assign_agent'), userId: z.uuid() }),
  /** Hand the conversation to the routing engine (optionally to a team): it picks the best agent or queues it. */
  z.strictObject({ type: z.literal('route'), teamId: z.uuid().optional() }),
  z.strictObject({ type: z.literal('set_priority'), priority: ZPriority }),
  z.strictObject({ type: z.literal('set_status'), status: z.enum(['open', 'pending', 'resolved']) }),
  z.strictObject({ type: z.literal('add_tags'), tags: ZTagList }),
  z.strictObject({ type: z.literal('remove_tags'), tags: ZTagList }),
  z.strictObject({ type: z.literal('send_reply'), body: z.string().min(1).max(10_000) }),
  z.strictObject({ type: z.literal('apply_macro'), macroId: z.uuid() }),
  z.strictObject({ type: z.literal('add_note'), body: z.string().min(1).max(10_000) }),
  z.strictObject({
    type: z.literal('call_webhook'),
    url: z.url({ protocol: /^https?$/, error: 'The webhook URL must be an http(s) URL' }).max(2000),
  }),
]);
export type RuleAction = z.infer<typeof ZRuleAction>;

export const TIME_SCHEDULES = ['pending_for', 'open_for', 'resolved_for'] as const;

/** A stored trigger, as rules are returned. */
export const ZRuleTrigger = z.union([
  z.object({ event: z.enum(RULE_EVENTS) }),
  z.object({ schedule: z.enum(TIME_SCHEDULES), hours: z.number(), businessHours: z.literal(false) }),
]);
export type RuleTrigger = z.infer<typeof ZRuleTrigger>;

/**
 * A trigger as written: `{event}` or `{schedule, hours, businessHours?}`. One object with a refinement rather
 * than a union, so a mistake gets an error naming the field instead of a bare "Invalid input".
 */
export const ZRuleTriggerInput = z
  .strictObject({
    event: z.enum(RULE_EVENTS).optional(),
    schedule: z.enum(TIME_SCHEDULES).optional(),
    hours: z
      .number()
      .positive()
      .max(24 * 365)
      .optional(),
    businessHours: z.literal(false, { error: 'Only calendar hours (businessHours: false) are supported yet' }).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.event !== undefined) {
      for (const k of ['schedule', 'hours', 'businessHours'] as const)
        if (t[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: `${k} does not go with an event trigger` });
    } else if (t.schedule === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'A trigger needs an event or a schedule' });
    } else if (t.hours === undefined) {
      ctx.addIssue({ code: 'custom', path: ['hours'], message: 'A schedule trigger needs hours' });
    }
  })
  .transform((t): RuleTrigger =>
    t.event !== undefined ? { event: t.event } : { schedule: t.schedule!, hours: t.hours!, businessHours: false },
  );

const ruleFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable().optional(),
  active: z.boolean(),
  trigger: ZRuleTriggerInput,
  match: z.enum(['all', 'any']),
  conditions: z.array(ZCondition).max(50),
  actions: z.array(ZRuleAction).min(1).max(20),
};
export const ZCreateRuleBody = z.strictObject({
  ...ruleFields,
  active: ruleFields.active.default(true),
  match: ruleFields.match.default('all'),
  conditions: ruleFields.conditions.default([]),
});
export const ZUpdateRuleBody = z.strictObject({
  name: ruleFields.name.optional(),
  description: ruleFields.description,
  active: ruleFields.active.optional(),
  trigger: ruleFields.trigger.optional(),
  match: ruleFields.match.optional(),
  conditions: ruleFields.conditions.optional(),
  actions: ruleFields.actions.optional(),
});

export const ZRule = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
  trigger: ZRuleTrigger,
  match: z.enum(['all', 'any']),
  conditions: z.array(ZCondition),
  actions: z.array(ZRuleAction),
  /** HMAC-SHA256 key of `call_webhook` signatures; only for those who manage rules. */
  webhookSecret: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Rule = z.infer<typeof ZRule>;
export const ZRuleEnvelope = envelope(ZRule);
export const ZRulePage = pageEnvelope(ZRule);

export const ZRunOutcome = z.enum(['matched', 'not_matched', 'skipped', 'failed']);
/**
 * What became of a `call_webhook` action's POST: queued until its job runs; retrying after a failed attempt;
 * delivered (with the receiver's HTTP status) or failed for good once the retries are spent.
 */
export const ZWebhookDelivery = z.object({
  status: z.enum(['queued', 'retrying', 'delivered', 'failed']),
  httpStatus: z.number().int().nullable().optional(),
  error: z.string().nullable().optional(),
  attempts: z.number().int().optional(),
  at: z.string().optional(),
});
export type WebhookDelivery = z.infer<typeof ZWebhookDelivery>;
/** An action a run took, as recorded; webhook actions carry their delivery. */
export type RunAction = RuleAction | (Extract<RuleAction, { type: 'call_webhook' }> & { delivery: WebhookDelivery });

export const ZRun = z.object({
  id: z.string(),
  ruleId: z.string(),
  eventId: z.string().nullable(),
  conversationId: z.string().nullable(),
  outcome: ZRunOutcome,
  reason: z.string().nullable(),
  /** The actions taken, in order; a `call_webhook` entry has a `delivery` ({@link ZWebhookDelivery}). */
  actions: z.array(z.unknown()),
  /** Each webhook action's delivery, by its place in `actions`. */
  deliveries: z.array(ZWebhookDelivery.extend({ actionIndex: z.number().int(), url: z.string() })),
  error: z.string().nullable(),
  createdAt: z.string(),
});
export const ZRunPage = pageEnvelope(ZRun);

export const ZDryRunBody = z.strictObject({ conversationId: z.uuid() });
export const ZDryRunEnvelope = envelope(
  z.object({
    matched: z.boolean(),
    conditions: z.array(z.object({ condition: ZCondition, matched: z.boolean(), actual: z.unknown() })),
    actions: z.array(ZRuleAction),
    note: z.string().nullable(),
  }),
);
