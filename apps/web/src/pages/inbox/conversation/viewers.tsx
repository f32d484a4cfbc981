import { useCallback, useEffect, useRef, useState } from 'react';
import type { RealtimeEvent } from '../../../api/types';
import { Avatar } from '../../../components/ui';
import { useRealtime } from '../../../hooks/useRealtime';
import { defineMessages } from '../../../i18n';
import { pane, sendLeft } from './api';
import './viewers.css';

const t = defineMessages('conversation.viewers', {
  viewing: '{name} is viewing',
  typingReply: '{name} is typing a reply…',
  typingNote: '{name} is writing a note…',
  others: 'Also here',
});

/** A heartbeat while the conversation is open; a viewer is gone after this long without one. */
export const HEARTBEAT_MS = 20_000;
const VIEWER_TTL_MS = 35_000;
/** How long "is typing" lasts after the last typing signal. */
const TYPING_TTL_MS = 6_000;
/** `opened` is repeated this often until it comes back to us (then we were subscribed, and so are the answers). */
const OPENED_RETRY_MS = 1_500;
const OPENED_TRIES = 8;
/** Answer teammates' `opened` with a heartbeat, at most this often. */
const ANSWER_EVERY_MS = 1_000;
const NOTE_SIGNAL_EVERY_MS = 2_500;

export interface Viewer {
  userId: string;
  name: string;
  seenAt: number;
  typing: 'reply' | 'note' | null;
  typingUntil: number;
}

/**
 * Collision detection: tells teammates I have this conversation open and collects who else has it open or is typing,
 * from `conversation.viewing` and agent `conversation.typing` signals (never listing me). The protocol:
 * - on opening (and after a reconnect) I send `opened`, again every 1.5 s until my own signal comes back on
 *   `conversation:<id>` — then my subscription is live, so the answers reach me;
 * - whoever has it open answers `opened` with `viewing` (at most once a second), so I see them at once;
 * - `viewing` every 20 s; a teammate silent for 35 s is gone; `left` when I close it or the page goes away;
 * - `typing_note` while I write a note (replies use the typing signal, which the customer's web chat shows too).
 */
export function useViewers(conversationId: string, meId: string) {
  // The viewers live in a ref (events and the expiry tick change them synchronously); `version` re-renders.
  const viewers = useRef(new Map<string, Viewer>());
  const [, setVersion] = useState(0);
  const changed = useCallback(() => setVersion((v) => v + 1), []);
  const lastAnswer = useRef(0);
  const lastNoteSignal = useRef(0);
  const opening = useRef<ReturnType<typeof setInterval> | null>(null);

  const stopOpening = useCallback(() => {
    if (opening.current) clearInterval(opening.current);
    opening.current = null;
  }, []);
  const announce = useCallback(() => {
    stopOpening();
    let tries = 0;
    const send = () => {
      if (++tries > OPENED_TRIES) return stopOpening();
      void pane.viewing(conversationId, 'opened').catch(() => undefined);
    };
    opening.current = setInterval(send, OPENED_RETRY_MS);
    send();
  }, [conversationId, stopOpening]);

  useEffect(() => {
    viewers.current = new Map();
    changed();
    announce();
    const every = setInterval(() => void pane.viewing(conversationId, 'viewing').catch(() => undefined), HEARTBEAT_MS);
    const onHide = () => sendLeft(conversationId);
    window.addEventListener('pagehide', onHide);
    return () => {
      clearInterval(every);
      stopOpening();
      window.removeEventListener('pagehide', onHide);
      sendLeft(conversationId);
    };
  }, [conversationId, announce, stopOpening, changed]);

  // Expire the silent ones (closed tab, lost connection) and finished typing.
  useEffect(() => {
    const tick = setInterval(() => {
      const now = Date.now();
      let dirty = false;
      for (const [id, v] of viewers.current) {
        if (now - v.seenAt > VIEWER_TTL_MS) {
          viewers.current.delete(id);
          dirty = true;
        } else if (v.typing && now > v.typingUntil) {
          viewers.current.set(id, { ...v, typing: null });
          dirty = true;
        }
      }
      if (dirty) changed();
    }, 2_000);
    return () => clearInterval(tick);
  }, [changed]);

  const onEvent = useCallback(
    (e: RealtimeEvent) => {
      if (e.conversationId !== conversationId) return;
      const now = Date.now();
      const map = viewers.current;
      if (e.type === 'conversation.viewing') {
        const p = e.payload;
        if (p.userId === meId) {
          if (p.state === 'opened') stopOpening();
          return;
        }
        if (p.state === 'left') {
          if (map.delete(p.userId)) changed();
          return;
        }
        const old = map.get(p.userId);
        const typingNote = p.state === 'typing_note';
        map.set(p.userId, {
          userId: p.userId,
          name: p.name,
          seenAt: now,
          typing: typingNote ? 'note' : (old?.typing ?? null),
          typingUntil: typingNote ? now + TYPING_TTL_MS : (old?.typingUntil ?? 0),
        });
        changed();
        // A teammate just opened it: tell them I am here too.
        if (p.state === 'opened' && now - lastAnswer.current > ANSWER_EVERY_MS) {
          lastAnswer.current = now;
          void pane.viewing(conversationId, 'viewing').catch(() => undefined);
        }
      } else if (e.type === 'conversation.typing' && e.payload.who === 'agent' && e.payload.userId && e.payload.userId !== meId) {
        const { userId, name } = e.payload;
        const old = map.get(userId);
        map.set(userId, { userId, name: old?.name ?? name ?? '', seenAt: now, typing: 'reply', typingUntil: now + TYPING_TTL_MS });
        changed();
      }
    },
    [conversationId, meId, stopOpening, changed],
  );
  // After a reconnect, say again that I am here (and learn who is).
  useRealtime([`conversation:${conversationId}`], onEvent, announce);

  const signalNoteTyping = useCallback(() => {
    const now = Date.now();
    if (now - lastNoteSignal.current < NOTE_SIGNAL_EVERY_MS) return;
    lastNoteSignal.current = now;
    void pane.viewing(conversationId, 'typing_note').catch(() => undefined);
  }, [conversationId]);

  const list = [...viewers.current.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { viewers: list, signalNoteTyping };
}

/** "Dana is viewing", "Sam is typing a reply…": in the strip under the header, only when someone else is here. */
export function Viewers({ viewers }: { viewers: Viewer[] }) {
  if (viewers.length === 0) return null;
  return (
    <div className="viewers" role="status" aria-live="polite" aria-label={t('others')} data-testid="viewers">
      <span className="viewers-avatars" aria-hidden="true">
        {viewers.slice(0, 4).map((v) => (
          <Avatar key={v.userId} name={v.name} size={22} />
        ))}
      </span>
      <span className="viewers-text">
        {viewers.map((v, i) => (
          <span key={v.userId} className={v.typing ? 'viewer typing' : 'viewer'}>
            {i > 0 && ' · '}
            {v.typing === 'reply'
              ? t('typingReply', { name: v.name })
              : v.typing === 'note'
                ? t('typingNote', { name: v.name })
                : t('viewing', { name: v.name })}
          </span>
        ))}
      </span>
    </div>
  );
}
