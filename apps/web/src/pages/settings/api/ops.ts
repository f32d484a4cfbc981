/**
 * API calls and shapes of the operations settings (channels, routing, business hours, SLA, macros, automation).
 * Entity types come from the shared zod contracts as types only (no zod in the bundle); the few enumerations
 * the screens list are mirrored here with a compile-time check that they match the contracts.
 */
import type {
  CalendarView,
  Channel,
  ChannelDetails,
  ChannelSetup,
  ChannelKind,
  Condition,
  ConditionField,
  ConditionOp,
  CreateRoutingRuleBody,
  Macro,
  MacroActions,
  Presence,
  RoutingRule,
  Rule,
  RuleAction,
  RuleTrigger,
  SlaConditions,
  SlaEscalation,
  SlaPolicyView,
  Team,
  TeamRouting,
  UpdateChannelBody,
  WebhookDelivery,
} from '@touchpoint/shared';
import { api } from '../../../api/client';
import type { Envelope, Page, Policies, User } from '../../../api/types';

export type {
  CalendarView,
  Channel,
  ChannelDetails,
  ChannelSetup,
  ChannelKind,
  Condition,
  ConditionField,
  ConditionOp,
  Macro,
  MacroActions,
  Presence,
  RoutingRule,
  Rule,
  RuleAction,
  RuleTrigger,
  SlaConditions,
  SlaEscalation,
  SlaPolicyView,
  Team,
  TeamRouting,
};

/** `true` only when `A` and `B` list the same members: keeps the mirrored enumerations in step with the contracts. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(_: T) => _;

export const CHANNEL_KIND_LIST = [
  'web',
  'email',
  'sms',
  'whatsapp',
  'messenger',
  'instagram',
  'telegram',
  'other',
  'voice',
  'api',
] as const;
same<Same<(typeof CHANNEL_KIND_LIST)[number], ChannelKind>>(true);
export const MESSAGING_KINDS: readonly ChannelKind[] = ['sms', 'whatsapp', 'messenger', 'instagram', 'telegram', 'other'];

export const RULE_EVENT_LIST = [
  'conversation.created',
  'message.created',
  'conversation.status_changed',
  'conversation.assigned',
  'conversation.tags_changed',
  'conversation.priority_changed',
] as const;
export type RuleEvent = (typeof RULE_EVENT_LIST)[number];
same<Same<RuleEvent, Extract<RuleTrigger, { event: string }>['event']>>(true);

export const TIME_SCHEDULE_LIST = ['pending_for', 'open_for', 'resolved_for'] as const;
export type TimeSchedule = (typeof TIME_SCHEDULE_LIST)[number];
same<Same<TimeSchedule, Extract<RuleTrigger, { schedule: string }>['schedule']>>(true);

export const CONDITION_FIELD_LIST = [
  'message.body',
  'message.kind',
  'message.authorKind',
  'conversation.status',
  'conversation.priority',
  'conversation.channelKind',
  'conversation.tags',
  'conversation.teamId',
  'conversation.assigneeId',
  'conversation.subject',
  'customer.vip',
  'customer.segment',
  'customer.email',
] as const;
same<Same<(typeof CONDITION_FIELD_LIST)[number], ConditionField>>(true);

export const CONDITION_OP_LIST = ['contains', 'not_contains', 'eq', 'neq', 'in', 'starts_with', 'is_set', 'is_empty'] as const;
same<Same<(typeof CONDITION_OP_LIST)[number], ConditionOp>>(true);

export const RULE_ACTION_TYPES = [
  'add_tags',
  'remove_tags',
  'set_priority',
  'set_status',
  'assign_team',
  'assign_agent',
  'route',
  'send_reply',
  'add_note',
  'apply_macro',
  'call_webhook',
] as const;
export type RuleActionType = RuleAction['type'];
same<Same<(typeof RULE_ACTION_TYPES)[number], RuleActionType>>(true);

export const PRIORITY_LIST = ['low', 'normal', 'high', 'urgent'] as const;
export type PriorityValue = (typeof PRIORITY_LIST)[number];
same<Same<PriorityValue, NonNullable<MacroActions['priority']>>>(true);

export const WEEKDAY_LIST = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAY_LIST)[number];

export const RELAXATION_DROP_LIST = ['proficiency', 'language', 'skills'] as const;
export type RelaxationDrop = (typeof RELAXATION_DROP_LIST)[number];
same<Same<RelaxationDrop, RoutingRule['relaxation'][number]['drop']>>(true);

// ---------- shapes the contracts do not export as types ----------

export interface Skill {
  id: string;
  name: string;
  createdAt: string;
}

export interface QueuedConversation {
  conversationId: string;
  priority: number;
  enqueuedAt: string;
  teamId: string | null;
  relaxationLevel: number;
}

export interface RuleRun {
  id: string;
  ruleId: string;
  eventId: string | null;
  conversationId: string | null;
  outcome: 'matched' | 'not_matched' | 'skipped' | 'failed';
  reason: string | null;
  actions: unknown[];
  deliveries: (WebhookDelivery & { actionIndex: number; url: string })[];
  error: string | null;
  createdAt: string;
}

export interface DryRun {
  matched: boolean;
  conditions: { condition: Condition; matched: boolean; actual: unknown }[];
  actions: RuleAction[];
  note: string | null;
}

/** A conversation as the pickers (dry run, macro preview) list it. */
export interface ConversationOption {
  id: string;
  number: number;
  subject: string | null;
  status: string;
  tags: string[];
  customer?: { name?: string | null; email?: string | null } | null;
  lastMessagePreview: string | null;
  lastActivityAt: string;
}

export type CreateChannel = { kind: ChannelKind; name: string; config?: Record<string, unknown> };

/** `HH:MM` local times, `[start, end)`; "24:00" ends the day. */
export type Interval = { start: string; end: string };
/** Closed all day, or only during `closed`. */
export type Holiday = { date: string; name?: string; closed?: Interval[] };

export type CalendarBody = {
  name: string;
  timeZone: string;
  weekly: Partial<Record<Weekday, { start: string; end: string }[]>>;
  holidays: { date: string; name?: string }[];
  teamIds: string[];
  channelIds: string[];
};

export type SlaPolicyBody = {
  name: string;
  active: boolean;
  conditions: SlaConditions;
  firstResponseSeconds: number | null;
  nextResponseSeconds: number | null;
  resolutionSeconds: number | null;
  warningLeadSeconds: number | null;
  escalation: SlaEscalation;
};

export type MacroBody = { name: string; body: string; visibility: 'personal' | 'shared'; actions: MacroActions };

export type RuleBody = {
  name: string;
  description?: string | null;
  active: boolean;
  trigger: { event: RuleEvent } | { schedule: TimeSchedule; hours: number };
  match: 'all' | 'any';
  conditions: Condition[];
  actions: RuleAction[];
};

export type RoutingRuleBody = CreateRoutingRuleBody;

/** Every page of a keyset-paged list (settings lists are short; this stops at `max` items). */
async function allPages<T>(path: string, max = 500): Promise<{ data: T[]; policies: Policies }> {
  const data: T[] = [];
  const policies: Policies = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<Page<T>>(path, { limit: 100, cursor });
    data.push(...page.data);
    policies.push(...(page.policies ?? []));
    cursor = page.page.nextCursor ?? undefined;
  } while (cursor && data.length < max);
  return { data, policies };
}

// ---------- query keys ----------

export const keys = {
  channels: ['settings', 'channels'] as const,
  channel: (id: string) => ['settings', 'channels', id] as const,
  /** The first 100 channels as a plain list, for pickers (under `channels`, so invalidating it refreshes them). */
  channelsAll: ['settings', 'channels', 'all'] as const,
  routingRules: ['settings', 'routing', 'rules'] as const,
  presence: ['settings', 'routing', 'presence'] as const,
  queue: ['settings', 'routing', 'queue'] as const,
  teamRouting: ['settings', 'routing', 'teams'] as const,
  calendars: ['settings', 'business-hours'] as const,
  slaPolicies: ['settings', 'sla'] as const,
  macros: ['settings', 'macros'] as const,
  rules: ['settings', 'automation', 'rules'] as const,
  runs: (id: string) => ['settings', 'automation', 'runs', id] as const,
  teams: ['settings', 'lookups', 'teams'] as const,
  users: ['settings', 'lookups', 'users'] as const,
  skills: ['settings', 'lookups', 'skills'] as const,
  recentConversations: ['settings', 'lookups', 'recent-conversations'] as const,
};

// ---------- calls ----------

export const channelsApi = {
  list: (cursor?: string) => api.get<Page<Channel>>('/channels', { limit: 100, cursor }),
  get: (id: string) => api.get<Envelope<ChannelDetails>>(`/channels/${id}`),
  create: (body: CreateChannel) => api.post<Envelope<Channel>>('/channels', body),
  /** `config` is a JSON merge patch: a key set to null is removed, objects merge key by key. */
  update: (id: string, body: UpdateChannelBody) => api.patch<Envelope<Channel>>(`/channels/${id}`, body),
  remove: (id: string) => api.delete<void>(`/channels/${id}`),
  testImap: (id: string) =>
    api.post<Envelope<{ ok: boolean; stage?: string | null; error?: string | null; mailbox?: string | null }>>(
      `/channels/${id}/email/imap/test`,
    ),
  rotateSecret: (id: string) => api.post<Envelope<Channel>>(`/channels/${id}/secret`),
};

export const routingApi = {
  rules: () => api.get<{ data: RoutingRule[] }>('/routing/rules'),
  createRule: (body: RoutingRuleBody) => api.post<Envelope<RoutingRule>>('/routing/rules', body),
  replaceRule: (id: string, body: RoutingRuleBody) => api.put<Envelope<RoutingRule>>(`/routing/rules/${id}`, body),
  deleteRule: (id: string) => api.delete<void>(`/routing/rules/${id}`),
  order: (ids: string[]) => api.put<{ data: RoutingRule[] }>('/routing/rules/order', { ids }),
  presence: () => api.get<{ data: Presence[] }>('/presence'),
  queue: () => api.get<{ data: QueuedConversation[] }>('/routing/queue'),
  skills: () => api.get<{ data: Skill[] }>('/skills'),
  teamRouting: (teamId: string) => api.get<Envelope<TeamRouting>>(`/teams/${teamId}/routing`).then((r) => r.data),
};

export const calendarsApi = {
  list: () => allPages<CalendarView>('/business-hours'),
  create: (body: CalendarBody) => api.post<Envelope<CalendarView>>('/business-hours', body),
  update: (id: string, body: Partial<CalendarBody>) => api.patch<Envelope<CalendarView>>(`/business-hours/${id}`, body),
  remove: (id: string) => api.delete<void>(`/business-hours/${id}`),
};

export const slaApi = {
  list: () => api.get<{ data: SlaPolicyView[]; policies?: Policies }>('/sla-policies'),
  create: (body: SlaPolicyBody) => api.post<Envelope<SlaPolicyView>>('/sla-policies', body),
  update: (id: string, body: Partial<SlaPolicyBody>) => api.patch<Envelope<SlaPolicyView>>(`/sla-policies/${id}`, body),
  remove: (id: string) => api.delete<void>(`/sla-policies/${id}`),
  order: (ids: string[]) => api.put<{ data: SlaPolicyView[] }>('/sla-policies/order', { ids }),
};

export const macrosApi = {
  list: (cursor?: string) => api.get<Page<Macro>>('/macros', { limit: 100, cursor }),
  create: (body: MacroBody) => api.post<Envelope<Macro>>('/macros', body),
  update: (id: string, body: Partial<MacroBody>) => api.patch<Envelope<Macro>>(`/macros/${id}`, body),
  remove: (id: string) => api.delete<void>(`/macros/${id}`),
  preview: (id: string, conversationId: string) =>
    api.post<Envelope<{ body: string; actions: MacroActions }>>(`/macros/${id}/preview`, { conversationId }),
};

export const rulesApi = {
  list: (cursor?: string) => api.get<Page<Rule>>('/automation/rules', { limit: 100, cursor }),
  create: (body: RuleBody) => api.post<Envelope<Rule>>('/automation/rules', body),
  update: (id: string, body: Partial<RuleBody>) => api.patch<Envelope<Rule>>(`/automation/rules/${id}`, body),
  remove: (id: string) => api.delete<void>(`/automation/rules/${id}`),
  runs: (id: string, cursor?: string) => api.get<Page<RuleRun>>(`/automation/rules/${id}/runs`, { limit: 25, cursor }),
  dryRun: (id: string, conversationId: string) => api.post<Envelope<DryRun>>(`/automation/rules/${id}/dry-run`, { conversationId }),
};

export const lookupsApi = {
  teams: () => allPages<Team>('/teams').then((r) => r.data),
  users: () => allPages<User>('/users').then((r) => r.data),
  recentConversations: () => api.get<Page<ConversationOption>>('/conversations', { limit: 10 }).then((r) => r.data),
};
