import type { AttachmentLimits, StoredAttachment } from '@touchpoint/shared';
import { useState } from 'preact/hooks';
import type { WidgetClient } from './client';

export interface PendingFile {
  key: string;
  name: string;
  state: 'uploading' | 'ready' | 'error';
  id?: string;
  error?: string;
}

const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

/** The same rule as the server's (exact type or `type/*`), so most refusals are said before uploading. */
function refusal(limits: AttachmentLimits, file: File): string | null {
  const type = (file.type || 'application/octet-stream').toLowerCase();
  if (file.size === 0) return `${file.name} is empty`;
  if (file.size > limits.maxBytes) return `${file.name} is too large (the limit is ${mb(limits.maxBytes)})`;
  if (!limits.allowedTypes.some((a) => a === type || (a.endsWith('/*') && type.startsWith(a.slice(0, -1)))))
    return `${file.name}: this type of file is not accepted`;
  return null;
}

/** Files picked for the next message: checked, uploaded at once, sent by id with the message. */
export function useAttachments(client: WidgetClient, limits: AttachmentLimits | undefined) {
  const [files, setFiles] = useState<PendingFile[]>([]);
  const update = (key: string, patch: Partial<PendingFile>) =>
    setFiles((prev) => prev.map((f) => (f.key === key ? { ...f, ...patch } : f)));
  const pick = (list: FileList | null) => {
    for (const file of Array.from(list ?? [])) {
      const key = `${Date.now()}-${Math.random()}`;
      const tooMany = limits && files.filter((f) => f.state !== 'error').length >= limits.maxPerMessage;
      const error = !limits
        ? 'Files cannot be sent right now'
        : tooMany
          ? `At most ${limits.maxPerMessage} files per message`
          : refusal(limits, file);
      setFiles((prev) => [...prev, { key, name: file.name, state: error ? 'error' : 'uploading', error: error ?? undefined }]);
      if (error) continue;
      client.upload(file).then(
        (a) => update(key, { state: 'ready', id: a.id }),
        (err: Error) =>
          update(key, { state: 'error', error: `${file.name}: ${err.message.startsWith('HTTP') ? 'upload failed' : err.message}` }),
      );
    }
  };
  return {
    files,
    pick,
    remove: (key: string) => setFiles((prev) => prev.filter((f) => f.key !== key)),
    readyIds: files.filter((f) => f.state === 'ready').map((f) => f.id!),
    uploading: files.some((f) => f.state === 'uploading'),
    clear: () => setFiles([]),
  };
}

export function Chips({ files, onRemove }: { files: PendingFile[]; onRemove(key: string): void }) {
  if (files.length === 0) return null;
  return (
    <div class="chips" data-testid="attachments">
      {files.map((f) => (
        <span key={f.key} class={`chip ${f.state}`} role={f.state === 'error' ? 'alert' : undefined}>
          <span>{f.state === 'error' ? f.error : f.state === 'uploading' ? `${f.name} …` : f.name}</span>
          <button type="button" aria-label={`Remove ${f.name}`} onClick={() => onRemove(f.key)}>
            ×
          </button>
        </span>
      ))}
    </div>
  );
}

export function AttachButton({ disabled, onPick }: { disabled: boolean; onPick(list: FileList | null): void }) {
  return (
    <label class={disabled ? 'clip disabled' : 'clip'} title={disabled ? 'Send a message first, then attach files' : 'Attach a file'}>
      <input
        type="file"
        multiple
        disabled={disabled}
        aria-label="Attach a file"
        onChange={(e) => {
          const input = e.target as HTMLInputElement;
          onPick(input.files);
          input.value = '';
        }}
      />
      <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
        <path d="M21.4 11.1l-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5" />
      </svg>
    </label>
  );
}

export function AttachmentLinks({ list, onOpen }: { list: StoredAttachment[] | undefined; onOpen(a: StoredAttachment): void }) {
  if (!list?.length) return null;
  return (
    <div class="files">
      {list.map((a) => (
        <button key={a.id} type="button" class="file" onClick={() => onOpen(a)}>
          ↓ {a.name}
        </button>
      ))}
    </div>
  );
}
