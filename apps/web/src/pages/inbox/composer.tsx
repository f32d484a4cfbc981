import { forwardRef, useImperativeHandle, useRef, useState, type KeyboardEvent } from 'react';
import type { StoredAttachment } from '../../api/attachments';
import type { MessageKind } from '../../api/types';
import { PendingUploads, useUploads } from '../../components/attachments';
import { Kbd } from '../../components/ui';

export interface ComposerHandle {
  focus(mode?: 'reply' | 'note'): void;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Reply to the customer or leave an internal note; Ctrl/Cmd+Enter sends. */
export const Composer = forwardRef<
  ComposerHandle,
  {
    conversationId: string;
    disabled?: boolean;
    canNote: boolean;
    onSend(body: string, kind: MessageKind, files: StoredAttachment[]): Promise<boolean>;
    /** Called on every keystroke of a reply (never of a note); the caller throttles. */
    onTyping?(): void;
  }
>(function Composer({ conversationId, disabled, canNote, onSend, onTyping }, ref) {
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const uploads = useUploads(conversationId);

  useImperativeHandle(ref, () => ({
    focus(m) {
      if (m) setMode(m);
      textarea.current?.focus();
    },
  }));

  async function send() {
    const text = body.trim();
    const files = uploads.files;
    if ((!text && files.length === 0) || sending || disabled || uploads.busy) return;
    setSending(true);
    setBody('');
    uploads.clear();
    const ok = await onSend(text, mode === 'note' ? 'note' : 'outgoing', files);
    if (!ok) {
      setBody(text);
      uploads.restore(files);
    }
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
        onChange={(e) => {
          setBody(e.target.value);
          if (mode === 'reply' && e.target.value.trim()) onTyping?.();
        }}
        onKeyDown={onKeyDown}
        rows={3}
        maxLength={20_000}
      />
      <div className="composer-footer">
        <PendingUploads uploads={uploads} disabled={disabled} />
        <span className="muted small composer-hint">
          <Kbd>{isMac ? '⌘' : 'Ctrl'}</Kbd> <Kbd>Enter</Kbd> to send
        </span>
        <button
          type="button"
          className={note ? 'button note-button' : 'button primary'}
          onClick={() => void send()}
          disabled={disabled || sending || uploads.busy || (!body.trim() && uploads.files.length === 0)}
        >
          {note ? 'Add note' : 'Send'}
        </button>
      </div>
    </div>
  );
});
