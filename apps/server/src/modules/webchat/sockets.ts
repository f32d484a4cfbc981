import { TYPING_SIGNAL, type VisitorMessage, type WidgetSocketMessage } from '@touchpoint/shared';
import type { SocketProfile, WireEventBody } from '../../platform/realtime';
import { presentVisitorMessage } from './presenters';
import type { VisitorRow } from './queries';

/** The ephemeral signal of someone typing in a conversation (never stored), sent through the hub's pub/sub port. */
export { TYPING_SIGNAL };
/** At most one typing signal per socket per this many ms, whatever the widget sends. */
const TYPING_MIN_INTERVAL_MS = 1_000;

/** A visitor's topic: their conversations on one channel (the hub checks the account on every delivery). */
export const visitorTopic = (customerId: string, channelId: string) => `visitor:${customerId}:${channelId}`;

/**
 * The hub's wire router for visitors: every event or signal about a customer on a channel also goes to that
 * visitor's topic. It runs after the pub/sub hop, so a visitor connected to any node gets what any node committed.
 */
export function visitorTopics(_accountId: string, e: WireEventBody): string[] {
  if (!e.customerId) return [];
  const p = e.payload;
  const channelId = 'conversation' in p && p.conversation ? p.conversation.channelId : 'channelId' in p ? p.channelId : undefined;
  return typeof channelId === 'string' ? [visitorTopic(e.customerId, channelId)] : [];
}

/**
 * How the hub serves a visitor's socket: their topic only; the messages of their conversations on that channel
 * (agent and bot replies, and their own messages for their other tabs), the agents' typing signals and read markers
 * — notes never leave, only incoming or outgoing messages pass; and the one thing a visitor may say, "typing"
 * (anything else is ignored, so the socket cannot write data), throttled per socket.
 */
export function visitorProfile(v: VisitorRow, onTyping: (v: VisitorRow) => void): SocketProfile {
  let lastTypingAt = 0;
  return {
    topics: [visitorTopic(v.customerId, v.channelId)],
    frame: toVisitor,
    hello: { type: 'hello' },
    onText: (raw) => {
      if (raw.length > 100 || !/^\{"type":"typing"\}$/.test(raw)) return;
      const now = Date.now();
      if (now - lastTypingAt < TYPING_MIN_INTERVAL_MS) return;
      lastTypingAt = now;
      onTyping(v);
    },
  };
}

/** What, if anything, the visitor gets of an event about their conversation. */
function toVisitor(e: WireEventBody): WidgetSocketMessage | null {
  if (e.type === 'message.created') {
    const m = e.payload.message;
    if (m.kind !== 'incoming' && m.kind !== 'outgoing') return null;
    const message: VisitorMessage = presentVisitorMessage(m);
    return { type: 'message', message };
  }
  // The agents' own signals only: a visitor's typing goes to the agents, not back to the visitor's tabs.
  if (e.type === TYPING_SIGNAL && e.payload.who === 'agent') return { type: 'typing', name: e.payload.name ?? null };
  if (e.type === 'conversation.read') return { type: 'read', agentReadAt: e.payload.agentReadAt };
  return null;
}
