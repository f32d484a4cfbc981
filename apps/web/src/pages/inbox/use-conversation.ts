import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, errorMessage } from '../../api/client';
import type { StoredAttachment } from '../../api/attachments';
import { conversationOf, type Conversation, type MessageKind, type RealtimeEvent } from '../../api/types';
import { useRealtime } from '../../hooks/useRealtime';
import { newClientId } from '../../lib/format';
import { markSeen } from '../../lib/seen';
import { useMe } from '../../session';
import { pane } from './conversation/api';
import {
  applyConversation,
  inboxKeys,
  markReadForMe,
  removeMessage,
  upsertMessage,
  useConversationQuery,
  useMessages,
  type PendingMessage,
} from './queries';
import { useViewer } from './reference-data';

/** How long "Customer is typing…" stays without a new signal (the widget signals every few seconds while typing). */
const TYPING_TTL_MS = 6_000;

/**
 * Opening (or watching) a conversation is reading it: the server records a read marker (web chat visitors see
 * "Seen"; a no-op on other channels and when nothing new was written). Only while the tab is visible.
 */
function markRead(id: string): void {
  if (document.visibilityState === 'visible') void api.post(`/conversations/${id}/read-marker`).catch(() => undefined);
}

/** One open conversation from the query cache, kept live on `conversation:<id>`. */
export function useConversation(id: string) {
  const who = useViewer();
  const qc = useQueryClient();
  const conversation = useConversationQuery(id);
  const thread = useMessages(id);
  const [customerTyping, setCustomerTyping] = useState(false);
  const typingTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const c = conversation.data?.data;

  useEffect(() => {
    if (!conversation.isSuccess) return;
    markRead(id);
    markReadForMe(qc, id);
  }, [conversation.isSuccess, id, qc]);
  useEffect(() => {
    if (c) markSeen(c.id, c.lastActivityAt);
  }, [c]);

  const onEvent = useCallback(
    (e: RealtimeEvent) => {
      if (e.conversationId !== id) return;
      const changed = conversationOf(e);
      if (changed && changed.id === id) applyConversation(qc, changed, who);
      const m = e.type === 'message.created' || e.type === 'message.delivery_status_changed' ? e.payload.message : undefined;
      if (m && m.conversationId === id) upsertMessage(qc, id, m);
      if (e.type === 'message.created' && m?.kind === 'incoming') {
        setCustomerTyping(false);
        markRead(id);
        if (document.visibilityState === 'visible') markReadForMe(qc, id);
      }
      // An ephemeral signal (never stored): the web chat visitor is typing.
      if (e.type === 'conversation.typing' && e.payload.who === 'customer') {
        setCustomerTyping(true);
        clearTimeout(typingTimer.current);
        typingTimer.current = setTimeout(() => setCustomerTyping(false), TYPING_TTL_MS);
      }
    },
    [id, qc, who],
  );
  const reload = useCallback(() => void qc.invalidateQueries({ queryKey: inboxKeys.conversation(id) }), [qc, id]);
  useRealtime([`conversation:${id}`], onEvent, reload);
  useEffect(() => {
    setCustomerTyping(false);
    const onVisible = () => markRead(id);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearTimeout(typingTimer.current);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [id]);

  const error = conversation.error ?? thread.query.error;
  return {
    conversation: c ?? null,
    policies: conversation.data?.policies,
    messages: thread.messages,
    error: error ? { notFound: error instanceof ApiError && error.status === 404, text: errorMessage(error) } : null,
    loadOlder: async () => void (await thread.query.fetchNextPage()),
    hasOlder: thread.query.hasNextPage,
    customerTyping,
    reload,
  };
}

export interface SendInput {
  body: string;
  kind: MessageKind;
  files?: StoredAttachment[];
  mentions?: string[];
  /** Another of the customer's channels to reply on (the conversation moves there). */
  channelId?: string;
}

/**
 * Sending: the message shows at once (pending), is replaced by the stored one when the server answers, and is
 * taken back (rollback) when the server refuses it; the composer then restores the text.
 */
export function useSendMessage(conversation: Conversation | null) {
  const me = useMe();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ input, clientMessageId }: { input: SendInput; clientMessageId: string }) =>
      pane.send(conversation!.id, {
        ...(input.body ? { body: input.body } : {}),
        kind: input.kind,
        clientMessageId,
        ...(input.files?.length ? { attachmentIds: input.files.map((f) => f.id) } : {}),
        ...(input.mentions?.length ? { mentions: input.mentions } : {}),
        ...(input.channelId ? { channelId: input.channelId } : {}),
      }),
    onMutate: ({ input, clientMessageId }) => {
      const optimistic: PendingMessage = {
        id: `pending-${clientMessageId}`,
        conversationId: conversation!.id,
        channelId: input.channelId ?? conversation!.channelId ?? '',
        kind: input.kind,
        authorKind: 'agent',
        authorUserId: me.user.id,
        authorCustomerId: null,
        body: input.body,
        contentType: 'text/plain',
        attachments: input.files ?? [],
        clientMessageId,
        createdAt: new Date().toISOString(),
        pending: true,
      };
      upsertMessage(qc, conversation!.id, optimistic);
    },
    onSuccess: (res) => upsertMessage(qc, res.data.conversationId, res.data),
    onError: (_err, { clientMessageId }) => removeMessage(qc, conversation!.id, clientMessageId),
  });
}

export { newClientId };
