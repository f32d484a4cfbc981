/**
 * Domain event names (`noun.past_tense`). The outbox stores them; listeners, realtime and webhooks key on them.
 * Payloads carry ids and the presented entity where clients need it (realtime pushes the payload as is).
 */
export const EVENT_TYPES = [
  'account.created',
  'user.invited',
  'user.joined',
  'user.role_changed',
  'user.deactivated',
  'user.reactivated',
  'team.created',
  'team.updated',
  'team.deleted',
  'team.member_added',
  'team.member_removed',
  'api_key.created',
  'api_key.revoked',
  'customer.created',
  'customer.updated',
  'customer.identity_added',
  'customer.merged',
  'conversation.created',
  'conversation.updated',
  'conversation.status_changed',
  'conversation.assigned',
  'conversation.tags_changed',
  'conversation.priority_changed',
  'conversation.snoozed',
  'message.created',
  'agent.presence_changed',
  'routing.team_settings_changed',
  'routing.requested',
  'sla.warning',
  'sla.breached',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
