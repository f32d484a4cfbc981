import { useQuery, useQueryClient } from '@tanstack/react-query';
import { forwardRef, useEffect, useId, useImperativeHandle, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { errorMessage } from '../../api/client';
import type { StoredAttachment } from '../../api/attachments';
import type { MessageKind, User } from '../../api/types';
import { PendingUploads, useUploads } from '../../components/attachments';
import { XIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { Kbd } from '../../components/ui';
import { defineMessages } from '../../i18n';
import { pane, paneKeys, type Macro, type MacroActions, type ReplyChannel } from './conversation/api';
import { MacroPicker, matchMacros, pickerKeys, tm, useActionLabels, useMacros } from './conversation/macro-picker';
import { matchTeammates, mentionAt, MentionPicker } from './conversation/mentions';
import { channelKindLabel } from './reference-data';
import './conversation/composer.css';

export interface ComposerHandle {
  focus(mode?: 'reply' | 'note'): void;
}

/** What a send carries besides the text: files, the teammates a note mentions, the channel a reply goes out on. */
export interface SendRequest {
  body: string;
  kind: MessageKind;
  files: StoredAttachment[];
  mentions: string[];
  /** Only when the agent picked another channel than the conversation's. */
  channelId?: string;
}

const t = defineMessages('conversation.composer', {
  reply: 'Reply',
  note: 'Internal note',
  messageType: 'Message type',
  cannotReply: 'You cannot reply to this conversation',
  notePlaceholder: 'Write a note only your team can see… (@ mentions a teammate)',
  replyPlaceholder: 'Write a reply… (/ inserts a macro)',
  toSend: 'to send',
  send: 'Send',
  addNote: 'Add note',
  macrosTitle: 'Macros (type / at the start)',
  via: 'Reply via',
  current: '{label} (current)',
  unreachable: '{label} (customer unreachable)',
});

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

type Picker =
  | { kind: 'macro'; source: 'slash' | 'button'; query: string; index: number }
  | { kind: 'mention'; start: number; query: string; index: number };

/** The `/query` typed at the very start of the composer (one line), or null. */
function slashAt(text: string, caret: number): string | null {
  if (!text.startsWith('/') || caret < 1) return null;
  const q = text.slice(1, caret);
  return q.length <= 60 && !q.includes('\n') ? q : null;
}

/** "Email · ana@example.com", "Web chat", "API · CRM": the kind, then the address or a distinct channel name. */
function channelLabel(c: ReplyChannel): string {
  const kind = channelKindLabel(c.kind);
  const detail = c.address ?? (c.name !== kind ? c.name : null);
  return detail ? `${kind} · ${detail}` : kind;
}

/**
 * Reply to the customer (on the conversation's channel or another one the customer can be reached on) or leave an
 * internal note; Ctrl/Cmd+Enter sends. `/` at the start (or the Macros button) inserts a macro rendered for this
 * conversation, for the agent to edit; its actions are applied when the message is sent (Zendesk's behaviour, see
 * docs/conversation.md#macros). In a note, `@` mentions a teammate.
 */
export const Composer = forwardRef<
  ComposerHandle,
  {
    conversationId: string;
    /** The conversation's channel now: the default reply channel. */
    channelId: string;
    disabled?: boolean;
    canNote: boolean;
    /** Teammates who can be @mentioned. */
    users: User[];
    meId: string;
    onSend(request: SendRequest): Promise<boolean>;
    /** Called on every keystroke of a reply or a note; the caller throttles. */
    onTyping?(mode: 'reply' | 'note'): void;
    /** After a send with a macro inserted: apply its actions (priority, tags, team, status). */
    onMacroActions?(actions: MacroActions): Promise<void>;
  }
>(function Composer({ conversationId, channelId, disabled, canNote, users, meId, onSend, onTyping, onMacroActions }, ref) {
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);
  const [picker, setPicker] = useState<Picker | null>(null);
  const [staged, setStaged] = useState<{ name: string; actions: MacroActions } | null>(null);
  const [mentioned, setMentioned] = useState<Map<string, string>>(() => new Map());
  const [replyVia, setReplyVia] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const uploads = useUploads(conversationId);
  const qc = useQueryClient();
  const toast = useToast();
  const pickerId = useId();
  const stagedLabels = useActionLabels(staged?.actions);

  const channels = useQuery({
    queryKey: paneKeys.replyChannels(conversationId),
    queryFn: () => pane.replyChannels(conversationId),
    staleTime: 60_000,
  });
  // The conversation moved to another channel (a reply went out there): that is the default now.
  const seenChannel = useRef(channelId);
  useEffect(() => {
    if (seenChannel.current === channelId) return;
    seenChannel.current = channelId;
    setReplyVia(null);
    void qc.invalidateQueries({ queryKey: paneKeys.replyChannels(conversationId) });
  }, [channelId, conversationId, qc]);
  const channelList = channels.data?.data ?? [];

  const macros = useMacros(picker?.kind === 'macro');
  const macroList = useMemo(
    () => (picker?.kind === 'macro' ? matchMacros(macros.data?.data ?? [], picker.query) : []),
    [macros.data, picker],
  );
  const mentionList = useMemo(() => (picker?.kind === 'mention' ? matchTeammates(users, picker.query, meId) : []), [users, picker, meId]);

  useImperativeHandle(ref, () => ({
    focus(m) {
      if (m) setMode(m);
      textarea.current?.focus();
    },
  }));

  // The button's picker closes on a click outside the composer.
  useEffect(() => {
    if (picker?.kind !== 'macro' || picker.source !== 'button') return;
    const close = (e: MouseEvent) => !root.current?.contains(e.target as Node) && setPicker(null);
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [picker]);

  function detect(value: string, caret: number) {
    if (mode === 'note') {
      const m = mentionAt(value, caret);
      // Past a space with nobody matching, the `@` was not a mention ("email me @ home").
      if (m && (!/\s/.test(m.query) || matchTeammates(users, m.query, meId).length > 0)) {
        setPicker((p) => ({
          kind: 'mention',
          start: m.start,
          query: m.query,
          index: p?.kind === 'mention' && p.query === m.query ? p.index : 0,
        }));
        return;
      }
    }
    const q = slashAt(value, caret);
    if (q !== null) {
      setPicker((p) => ({ kind: 'macro', source: 'slash', query: q, index: p?.kind === 'macro' && p.query === q ? p.index : 0 }));
      return;
    }
    setPicker((p) => (p?.kind === 'macro' && p.source === 'button' ? p : null));
  }

  function placeCaret(at: number) {
    requestAnimationFrame(() => {
      const el = textarea.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(at, at);
    });
  }

  async function pickMacro(m: Macro) {
    const from = picker;
    setPicker(null);
    try {
      const res = await qc.fetchQuery({
        queryKey: paneKeys.macroPreview(m.id, conversationId),
        queryFn: () => pane.previewMacro(m.id, conversationId),
        staleTime: 30_000,
      });
      const text = res.data.body;
      const caret = textarea.current?.selectionStart ?? body.length;
      let next: string;
      let at: number;
      if (from?.kind === 'macro' && from.source === 'slash') {
        next = text + body.slice(caret);
        at = text.length;
      } else {
        const head = body.replace(/\s+$/, '');
        next = head ? `${head}\n\n${text}` : text;
        at = next.length;
      }
      setBody(next);
      const actions = res.data.actions;
      setStaged(Object.keys(actions).length > 0 ? { name: m.name, actions } : null);
      placeCaret(at);
    } catch (err) {
      toast(errorMessage(err));
    }
  }

  function pickMention(u: User) {
    if (picker?.kind !== 'mention') return;
    const caret = textarea.current?.selectionStart ?? body.length;
    const handle = `@${u.name} `;
    setBody(body.slice(0, picker.start) + handle + body.slice(caret));
    setMentioned((prev) => new Map(prev).set(u.id, u.name));
    setPicker(null);
    placeCaret(picker.start + handle.length);
  }

  async function send() {
    const text = body.trim();
    const files = uploads.files;
    if ((!text && files.length === 0) || sending || disabled || uploads.busy) return;
    const kind: MessageKind = mode === 'note' ? 'note' : 'outgoing';
    const mentions = kind === 'note' ? [...mentioned].filter(([, name]) => text.includes(`@${name}`)).map(([id]) => id) : [];
    const via = kind === 'outgoing' && replyVia && replyVia !== channelId ? replyVia : undefined;
    const macro = staged;
    setSending(true);
    setBody('');
    setPicker(null);
    setStaged(null);
    uploads.clear();
    const ok = await onSend({ body: text, kind, files, mentions, ...(via ? { channelId: via } : {}) });
    if (!ok) {
      setBody(text);
      setStaged(macro);
      uploads.restore(files);
    } else {
      setMentioned(new Map());
      if (macro) await onMacroActions?.(macro.actions);
    }
    setSending(false);
    textarea.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (picker?.kind === 'mention') {
      const pick = () => mentionList[picker.index] && pickMention(mentionList[picker.index]!);
      if (
        pickerKeys(
          e,
          mentionList.length,
          picker.index,
          (index) => setPicker({ ...picker, index }),
          pick,
          () => setPicker(null),
        )
      )
        return;
    } else if (picker?.kind === 'macro' && picker.source === 'slash') {
      const current = macroList[Math.min(picker.index, macroList.length - 1)];
      const pick = () => current && void pickMacro(current);
      if (
        pickerKeys(
          e,
          macroList.length,
          picker.index,
          (index) => setPicker({ ...picker, index }),
          pick,
          () => setPicker(null),
        )
      )
        return;
    }
    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
      e.preventDefault();
      void send();
    }
  }

  const note = mode === 'note';
  const activeId =
    picker?.kind === 'mention'
      ? mentionList[picker.index] && `${pickerId}-${mentionList[picker.index]!.id}`
      : picker?.kind === 'macro' && picker.source === 'slash'
        ? macroList[Math.min(picker.index, macroList.length - 1)] &&
          `${pickerId}-${macroList[Math.min(picker.index, macroList.length - 1)]!.id}`
        : undefined;
  const current = channelList.find((c) => c.current);
  const showChannels = !note && channelList.length > 0 && (channelList.length > 1 || current?.reachable === false);
  return (
    <div className={note ? 'composer note' : 'composer'} ref={root}>
      {picker?.kind === 'macro' && (
        <MacroPicker
          id={pickerId}
          conversationId={conversationId}
          query={picker.query}
          index={picker.index}
          withSearch={picker.source === 'button'}
          onQuery={(query) => setPicker({ ...picker, query, index: 0 })}
          onIndex={(index) => setPicker({ ...picker, index })}
          onPick={(m) => void pickMacro(m)}
          onClose={() => {
            setPicker(null);
            textarea.current?.focus();
          }}
        />
      )}
      {picker?.kind === 'mention' && (
        <MentionPicker
          id={pickerId}
          users={mentionList}
          query={picker.query}
          index={picker.index}
          onIndex={(index) => setPicker({ ...picker, index })}
          onPick={pickMention}
        />
      )}
      <div className="composer-top">
        <div className="composer-tabs" role="tablist" aria-label={t('messageType')}>
          <button
            type="button"
            role="tab"
            aria-selected={!note}
            className={!note ? 'composer-tab active' : 'composer-tab'}
            onClick={() => {
              setMode('reply');
              setPicker(null);
            }}
          >
            {t('reply')}
          </button>
          {canNote && (
            <button
              type="button"
              role="tab"
              aria-selected={note}
              className={note ? 'composer-tab active' : 'composer-tab'}
              onClick={() => {
                setMode('note');
                setPicker(null);
              }}
            >
              {t('note')}
            </button>
          )}
        </div>
        {showChannels && (
          <label className="reply-channel">
            <span>{t('via')}</span>
            <select
              className="select"
              value={replyVia ?? current?.channelId ?? ''}
              disabled={disabled}
              onChange={(e) => setReplyVia(e.target.value)}
              data-testid="reply-channel"
            >
              {channelList.map((c) => (
                <option key={c.channelId} value={c.channelId} disabled={!c.reachable}>
                  {c.current ? t(c.reachable ? 'current' : 'unreachable', { label: channelLabel(c) }) : channelLabel(c)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <textarea
        ref={textarea}
        className="composer-input"
        aria-label={note ? t('note') : t('reply')}
        aria-autocomplete="list"
        aria-controls={picker && (picker.kind === 'mention' || picker.source === 'slash') ? pickerId : undefined}
        aria-activedescendant={activeId || undefined}
        placeholder={disabled ? t('cannotReply') : note ? t('notePlaceholder') : t('replyPlaceholder')}
        value={body}
        disabled={disabled}
        onChange={(e) => {
          setBody(e.target.value);
          detect(e.target.value, e.target.selectionStart);
          if (e.target.value.trim()) onTyping?.(mode);
        }}
        onBlur={() => setPicker((p) => (p?.kind === 'macro' && p.source === 'button' ? p : null))}
        onKeyDown={onKeyDown}
        rows={3}
        maxLength={20_000}
      />
      {staged && (
        <div className="macro-staged" data-testid="macro-staged">
          <span>{tm('staged', { name: staged.name })}</span>
          {stagedLabels.map((l) => (
            <span key={l} className="macro-chip">
              {l}
            </span>
          ))}
          <button
            type="button"
            className="icon-button"
            aria-label={tm('dropActions')}
            title={tm('dropActions')}
            onClick={() => setStaged(null)}
          >
            <XIcon size={14} />
          </button>
        </div>
      )}
      <div className="composer-footer">
        <div className="composer-tools">
          <PendingUploads uploads={uploads} disabled={disabled} />
          <button
            type="button"
            className="button ghost small"
            title={t('macrosTitle')}
            aria-expanded={picker?.kind === 'macro' && picker.source === 'button'}
            disabled={disabled}
            onClick={() =>
              setPicker((p) =>
                p?.kind === 'macro' && p.source === 'button' ? null : { kind: 'macro', source: 'button', query: '', index: 0 },
              )
            }
          >
            <SlashIcon /> {tm('macros')}
          </button>
        </div>
        <span className="muted small composer-hint">
          <Kbd>{isMac ? '⌘' : 'Ctrl'}</Kbd> <Kbd>Enter</Kbd> {t('toSend')}
        </span>
        <button
          type="button"
          className={note ? 'button note-button' : 'button primary'}
          onClick={() => void send()}
          disabled={disabled || sending || uploads.busy || (!body.trim() && uploads.files.length === 0)}
        >
          {note ? t('addNote') : t('send')}
        </button>
      </div>
    </div>
  );
});

function SlashIcon() {
  return (
    <svg
      width="14"
      height="14"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      aria-hidden="true"
    >
      <rect x="3" y="3" width="18" height="18" rx="4" />
      <path d="m14.5 7.5-5 9" />
    </svg>
  );
}
