/**
 * How a conversation's derived state changes when something happens to it. Pure functions: the commands load
 * the row, call one of these and write the result back, so every entry point (API, widget, email, automation,
 * assistant) applies the same rules.
 */

export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const CONVERSATION_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type ConversationPriority = (typeof CONVERSATION_PRIORITIES)[number];

export const PREVIEW_LENGTH = 140;
export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 64;
export const MAX_SNOOZE_MS = 366 * 24 * 3600 * 1000;

/** The fields of a conversation that messages and status changes derive. */
export interface ConversationState {
  status: ConversationStatus;
  snoozedUntil: Date | null;
  messageCount: number;
  lastMessagePreview: string | null;
  lastActivityAt: Date;
  lastCustomerMessageAt: Date | null;
  lastAgentReplyAt: Date | null;
  /** When the customer started waiting for a reply; null while nobody waits. */
  waitingSince: Date | null;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  reopenedAt: Date | null;
  reopenCount: number;
}

/** Whitespace collapsed, then the first 140 characters (code points, so an emoji is never cut in half). */
export function messagePreview(body: string): string {
  const collapsed = body.replace(/\s+/g, ' ').trim();
  const chars = Array.from(collapsed);
  return chars.length <= PREVIEW_LENGTH ? collapsed : chars.slice(0, PREVIEW_LENGTH).join('');
}

/** Moves a conversation to `to`, keeping the timestamps KPIs are derived from. Same status: unchanged. */
export function changeStatus(
  conv: ConversationState,
  change: { to: ConversationStatus; at: Date; snoozedUntil?: Date | null },
): ConversationState {
  const { to, at } = change;
  if (to === 'snoozed') {
    // Re-snoozing only moves the wake-up time.
    return { ...conv, status: 'snoozed', snoozedUntil: change.snoozedUntil ?? null };
  }
  if (conv.status === to) return conv;
  const next: ConversationState = { ...conv, status: to, snoozedUntil: null };
  if (to === 'resolved') {
    // Nobody waits on a resolved conversation; a later customer message starts a new wait.
    next.resolvedAt = at;
    next.waitingSince = null;
  }
  if (conv.status === 'resolved') {
    next.reopenedAt = at;
    next.reopenCount = conv.reopenCount + 1;
  }
  return next;
}

/**
 * A customer wrote. Their wait starts now unless they were already waiting (the oldest unanswered message
 * counts). A pending, snoozed or resolved conversation comes back to open; only leaving `resolved` is a reopen
 * (reopenedAt, reopenCount), because pending and snoozed were never finished.
 */
export function afterCustomerMessage(conv: ConversationState, msg: { at: Date; body: string }): ConversationState {
  const next: ConversationState = {
    ...changeStatus(conv, { to: 'open', at: msg.at }),
    messageCount: conv.messageCount + 1,
    lastMessagePreview: messagePreview(msg.body),
    lastActivityAt: msg.at,
    lastCustomerMessageAt: msg.at,
  };
  next.waitingSince = next.waitingSince ?? msg.at;
  return next;
}

/**
 * A reply went to the customer. A human agent's reply ends the customer's wait, and the first one while a
 * customer waits is the first response. A bot's reply counts as activity only: the customer still waits for a
 * person, and bot replies must not flatter first-response times.
 */
export function afterAgentReply(conv: ConversationState, msg: { at: Date; body: string; byHuman: boolean }): ConversationState {
  const next: ConversationState = {
    ...conv,
    messageCount: conv.messageCount + 1,
    lastMessagePreview: messagePreview(msg.body),
    lastActivityAt: msg.at,
  };
  if (!msg.byHuman) return next;
  next.lastAgentReplyAt = msg.at;
  if (conv.firstResponseAt === null && conv.waitingSince !== null) next.firstResponseAt = msg.at;
  next.waitingSince = null;
  return next;
}

/** An internal note is activity for the team, but the customer never sees it: no preview, no wait change. */
export function afterNote(conv: ConversationState, msg: { at: Date }): ConversationState {
  return { ...conv, messageCount: conv.messageCount + 1, lastActivityAt: msg.at };
}

/** Why a snooze time is unacceptable, or null when it is fine (in the future, at most a year ahead). */
export function snoozeProblem(until: Date | null | undefined, now: Date): string | null {
  if (!until) return 'snoozedUntil is required to snooze a conversation';
  if (until.getTime() <= now.getTime()) return 'snoozedUntil must be in the future';
  if (until.getTime() - now.getTime() > MAX_SNOOZE_MS) return 'snoozedUntil must be within a year';
  return null;
}

/** Tags are trimmed, lower-cased and deduplicated (first occurrence order); empty ones are dropped. */
export function normalizeTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim().toLowerCase();
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/** What a tag change added and removed, for the event payload. */
export function diffTags(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  return { added: after.filter((t) => !before.includes(t)), removed: before.filter((t) => !after.includes(t)) };
}
