import type { AttachmentLimits, StoredAttachment } from '@touchpoint/shared';
import { attachmentTypeAllowed } from '@touchpoint/shared/attachment-types';
import { api, ApiError } from './client';

export type { AttachmentLimits, StoredAttachment };

let limits: Promise<AttachmentLimits> | null = null;
/** The server's limits, read once per page load. */
export function attachmentLimits(): Promise<AttachmentLimits> {
  limits ??= api.get<{ data: AttachmentLimits }>('/attachments/limits').then((r) => r.data);
  limits.catch(() => (limits = null));
  return limits;
}

/** Why the server would refuse this file, said before uploading it; null when it may go. */
export function refusalOf(l: AttachmentLimits, file: File): string | null {
  if (file.size === 0) return `${file.name} is empty`;
  if (file.size > l.maxBytes) return `${file.name} is larger than ${Math.round(l.maxBytes / 1024 / 1024)} MB`;
  if (!attachmentTypeAllowed(l.allowedTypes, file.type || 'application/octet-stream')) return `Files like ${file.name} cannot be attached`;
  return null;
}

/** Uploads one file to a conversation (the body is the file itself). */
export async function uploadAttachment(conversationId: string, file: File): Promise<StoredAttachment> {
  const res = await fetch(`/api/v1/conversations/${conversationId}/attachments?filename=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    credentials: 'include',
    headers: { accept: 'application/json', 'content-type': file.type || 'application/octet-stream' },
    body: file,
  });
  const body = (await res.json().catch(() => ({}))) as { data?: StoredAttachment; detail?: string; code?: string };
  if (!res.ok || !body.data) throw new ApiError(res.status, body.code ?? `http_${res.status}`, body.detail ?? 'The upload failed');
  return body.data;
}

export const attachmentUrl = (id: string, download = false) => `/api/v1/attachments/${id}${download ? '?download=1' : ''}`;
