import { forwardRef, useImperativeHandle, useRef, useState, type KeyboardEvent } from 'react';
import type { MessageKind } from '../../api/types';
import { Kbd } from '../../components/ui';

export interface ComposerHandle {
  focus(mode?: 'reply' | 'note'): void;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Reply to the customer or leave an internal note; Ctrl/Cmd+Enter sends. */
export const Composer = forwardRef<
  ComposerHandle,
  { disabled?: boolean; canNote: boolean; onSend(body: string, kind: MessageKind): Promise<boolean> }
>(function Composer({ disabled, canNote, onSend }, ref) {
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);

  useImperativeHandle(ref, () => ({
    focus(m) {
      if (m) setMode(m);
      textarea.current?.focus();
    },
  }));

  async function send() {
    const text = body.trim();
    if (!text || sending || disabled) return;
    setSending(true);
    setBody('');
    const ok = await onSend(text, mode === 'note' ? 'note' : 'outgoing');
    if (!ok) setBody(text);
    setSending(false);
    textarea.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
      e.preventDefault();
      void send();
    }
  }

  const note = mode === 'note';
  return (
    <div className={note ? 'composer note' : 'composer'}>
      <div className="composer-tabs" role="tablist" aria-label="Message type">
        <button
          type="button"
          role="tab"
          aria-selected={!note}
          className={!note ? 'composer-tab active' : 'composer-tab'}
          onClick={() => setMode('reply')}
        >
          Reply
        </button>
        {canNote && (
          <button
            type="button"
            role="tab"
            aria-selected={note}
            className={note ? 'composer-tab active' : 'composer-tab'}
            onClick={() => setMode('note')}
          >
            Internal note
          </button>
        )}
      </div>
      <textarea
        ref={textarea}
        className="composer-input"
        aria-label={note ? 'Internal note' : 'Reply'}
        placeholder={disabled ? 'You cannot reply to this conversation' : note ? 'Write a note only your team can see…' : 'Write a reply…'}
        value={body}
        disabled={disabled}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={onKeyDown}
        rows={3}
        maxLength={20_000}
      />
      <div className="composer-footer">
        <span className="muted small">
          <Kbd>{isMac ? '⌘' : 'Ctrl'}</Kbd> <Kbd>Enter</Kbd> to send
        </span>
        <button
          type="button"
          className={note ? 'button note-button' : 'button primary'}
          onClick={() => void send()}
          disabled={disabled || sending || !body.trim()}
        >
          {note ? 'Add note' : 'Send'}
        </button>
      </div>
    </div>
  );
});
