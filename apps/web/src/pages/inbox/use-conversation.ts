import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, errorMessage } from '../../api/client';
import { conversations } from '../../api/endpoints';
import { conversationOf, type Conversation, type Message, type Policies, type RealtimeEvent } from '../../api/types';
import { useRealtime } from '../../hooks/useRealtime';
import { markSeen } from '../../lib/seen';

export interface PendingMessage extends Message {
  pending?: boolean;
  failed?: boolean;
}

/** Messages oldest first; ties broken by id (UUIDv7 ids sort by creation). */
function sortMessages(list: PendingMessage[]): PendingMessage[] {
  return [...list].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** Adds or replaces one message; an optimistic copy is replaced by the stored one via its clientMessageId. */
export function mergeMessage(list: PendingMessage[], m: PendingMessage): PendingMessage[] {
  const rest = list.filter((x) => x.id !== m.id && !(m.clientMessageId && x.clientMessageId === m.clientMessageId));
  return sortMessages([...rest, m]);
}

/** How long "Customer is typing…" stays without a new signal (the widget signals every few seconds while typing). */
const TYPING_TTL_MS = 6_000;

/**
 * Opening (or watching) a conversation is reading it: the server records a read marker (web chat visitors see
 * "Seen"; a no-op on other channels and when nothing new was written). Only while the tab is visible.
 */
function markRead(id: string): void {
  if (document.visibilityState === 'visible') void api.post(`/conversations/${id}/read-marker`).catch(() => undefined);
}

/** One open conversation: its data, its thread, live updates on `conversation:<id>`, and local changes. */
export function useConversation(id: string, onChange: (c: Conversation) => void) {
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [policies, setPolicies] = useState<Policies | undefined>();
  const [messages, setMessages] = useState<PendingMessage[]>([]);
  const [olderCursor, setOlderCursor] = useState<string | null>(null);
  const [error, setError] = useState<{ notFound: boolean; text: string } | null>(null);
  const [generation, setGeneration] = useState(0);
  const [customerTyping, setCustomerTyping] = useState(false);
  const typingTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => {
    let cancelled = false;
    setConversation(null);
    setMessages([]);
    setError(null);
    Promise.all([conversations.get(id), conversations.messages(id)])
      .then(([c, m]) => {
        if (cancelled) return;
        setConversation(c.data);
        setPolicies(c.policies);
        setMessages(sortMessages(m.data));
        setOlderCursor(m.page.nextCursor);
        markRead(id);
      })
      .catch((err: unknown) => {
        if (!cancelled) setError({ notFound: err instanceof ApiError && err.status === 404, text: errorMessage(err) });
      });
    return () => {
      cancelled = true;
    };
  }, [id, generation]);

  useEffect(() => {
    if (conversation) markSeen(conversation.id, conversation.lastActivityAt);
  }, [conversation]);

  /** Apply a fresher conversation (from an action's response or a realtime event) here and in the list. */
  const apply = useCallback(
    (c: Conversation) => {
      setConversation((prev) =>
        prev && prev.id === c.id && prev.updatedAt <= c.updatedAt ? { ...c, customer: c.customer ?? prev.customer } : prev,
      );
      onChange(c);
    },
    [onChange],
  );

  const onEvent = useCallback(
    (e: RealtimeEvent) => {
      if (e.conversationId !== id) return;
      const c = conversationOf(e);
      if (c && c.id === id)
        setConversation((prev) => (prev && prev.updatedAt <= c.updatedAt ? { ...c, customer: c.customer ?? prev.customer } : prev));
      const m = e.type === 'message.created' || e.type === 'message.delivery_status_changed' ? e.payload.message : undefined;
      if (m && m.conversationId === id) setMessages((prev) => mergeMessage(prev, m));
      if (e.type === 'message.created' && m?.kind === 'incoming') {
        setCustomerTyping(false);
        markRead(id);
      }
      // An ephemeral signal (never stored): the web chat visitor is typing.
      if (e.type === 'conversation.typing' && e.payload.who === 'customer') {
        setCustomerTyping(true);
        clearTimeout(typingTimer.current);
        typingTimer.current = setTimeout(() => setCustomerTyping(false), TYPING_TTL_MS);
      }
    },
    [id],
  );
  useRealtime([`conversation:${id}`], onEvent, () => setGeneration((g) => g + 1));
  useEffect(() => {
    setCustomerTyping(false);
    const onVisible = () => markRead(id);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearTimeout(typingTimer.current);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [id]);

  const loadOlder = useCallback(async () => {
    if (!olderCursor) return;
    const res = await conversations.messages(id, olderCursor);
    setMessages((prev) => res.data.reduce(mergeMessage, prev));
    setOlderCursor(res.page.nextCursor);
  }, [id, olderCursor]);

  return {
    conversation,
    policies,
    messages,
    setMessages,
    error,
    apply,
    loadOlder,
    hasOlder: olderCursor !== null,
    customerTyping,
    reload: () => setGeneration((g) => g + 1),
  };
}
