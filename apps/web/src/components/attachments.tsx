import { useEffect, useRef, useState, type ReactElement } from 'react';
import { attachmentLimits, attachmentUrl, refusalOf, uploadAttachment, type StoredAttachment } from '../api/attachments';
import { errorMessage } from '../api/client';
import { PaperclipIcon, XIcon } from './icons';
import { t } from './messages';

const REASONS: Record<string, Parameters<typeof t>[0]> = {
  too_large: 'reasonTooLarge',
  type_not_allowed: 'reasonTypeNotAllowed',
  empty: 'reasonEmpty',
};

const size = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${Math.round(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);
const isImage = (type: string) => /^image\/(png|jpeg|gif|webp)$/.test(type);

interface AnyAttachment {
  id?: string;
  name?: string | null;
  contentType?: string;
  size?: number;
  url?: string;
  stored?: boolean;
  reason?: string;
}

/** A message's files: stored ones link to their download (images as thumbnails), the others say why they are missing. */
export function MessageAttachments({ attachments }: { attachments: unknown[] }) {
  const list = attachments.filter((a): a is AnyAttachment => !!a && typeof a === 'object');
  if (list.length === 0) return null;
  return (
    <ul className="attachments" data-testid="message-attachments">
      {list.map((a, i) => {
        const name = a.name || t('unnamedFile');
        if (a.id && a.stored !== false) {
          return (
            <li key={a.id}>
              <a href={attachmentUrl(a.id)} target="_blank" rel="noreferrer" className="attachment-chip">
                {isImage(a.contentType ?? '') ? (
                  <img src={attachmentUrl(a.id)} alt="" className="attachment-thumb" loading="lazy" />
                ) : (
                  <PaperclipIcon />
                )}
                <span className="attachment-name">{name}</span>
                {a.size !== undefined && <span className="muted small">{size(a.size)}</span>}
              </a>
            </li>
          );
        }
        if (a.url) {
          // A provider's media link (messaging channels): shown as it came, opened outside the app.
          return (
            <li key={`u${i}`}>
              <a href={a.url} target="_blank" rel="noreferrer noopener" className="attachment-chip">
                <PaperclipIcon />
                <span className="attachment-name">{name}</span>
              </a>
            </li>
          );
        }
        return (
          <li key={`m${i}`}>
            <span className="attachment-chip missing" title={t('notStoredTitle')}>
              <PaperclipIcon />
              <span className="attachment-name">{name}</span>
              <span className="muted small">{t(REASONS[a.reason ?? ''] ?? 'notStored')}</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}

export interface Uploads {
  files: StoredAttachment[];
  busy: boolean;
  error: string | null;
  pick(): void;
  remove(id: string): void;
  clear(): void;
  /** Puts back files whose message failed to send. */
  restore(files: StoredAttachment[]): void;
  input: ReactElement;
}

/** Files picked for the next message: checked against the limits, uploaded at once, sent by id with the message. */
export function useUploads(conversationId: string): Uploads {
  const [files, setFiles] = useState<StoredAttachment[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    setFiles([]);
    setError(null);
  }, [conversationId]);

  async function add(list: FileList | null) {
    if (!list || list.length === 0) return;
    setError(null);
    setBusy(true);
    try {
      const l = await attachmentLimits();
      const chosen = [...list];
      if (files.length + chosen.length > l.maxPerMessage) throw new Error(t('tooManyFiles', { n: l.maxPerMessage }));
      const refused = chosen.map((f) => refusalOf(l, f)).find(Boolean);
      if (refused) throw new Error(refused);
      for (const f of chosen) {
        const stored = await uploadAttachment(conversationId, f);
        setFiles((prev) => [...prev, stored]);
      }
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
      if (ref.current) ref.current.value = '';
    }
  }

  return {
    files,
    busy,
    error,
    pick: () => ref.current?.click(),
    remove: (id) => setFiles((prev) => prev.filter((f) => f.id !== id)),
    clear: () => setFiles([]),
    restore: (list) => setFiles((prev) => [...list, ...prev.filter((f) => !list.some((l) => l.id === f.id))]),
    input: <input ref={ref} type="file" multiple hidden data-testid="attach-input" onChange={(e) => void add(e.currentTarget.files)} />,
  };
}

/** The composer's paperclip and the chips of the files waiting to be sent. */
export function PendingUploads({ uploads, disabled }: { uploads: Uploads; disabled?: boolean }) {
  return (
    <div className="pending-uploads">
      {uploads.input}
      <button
        type="button"
        className="button ghost small icon-only"
        title={t('attachFiles')}
        aria-label={t('attachFiles')}
        disabled={disabled || uploads.busy}
        onClick={uploads.pick}
      >
        <PaperclipIcon />
      </button>
      {uploads.busy && <span className="muted small">{t('uploading')}</span>}
      {uploads.files.map((f) => (
        <span key={f.id} className="attachment-chip" data-testid="pending-upload">
          <span className="attachment-name">{f.name}</span>
          <span className="muted small">{size(f.size)}</span>
          <button type="button" className="chip-remove" aria-label={t('removeFile', { name: f.name })} onClick={() => uploads.remove(f.id)}>
            <XIcon size={12} />
          </button>
        </span>
      ))}
      {uploads.error && (
        <span className="field-error small" role="alert">
          {uploads.error}
        </span>
      )}
    </div>
  );
}
