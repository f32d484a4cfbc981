/** API calls and types of the Workspace and Developers settings: the account, API keys and failed jobs. */
import type { ApiKey, Role } from '@touchpoint/shared';
import { api } from '../../../api/client';
import type { Envelope, Page } from '../../../api/types';

// ---- account ----

export interface AccountSettings {
  id: string;
  name: string;
  timeZone: string;
  settings: { availableOnOpen: boolean };
}
export interface AccountPatch {
  name?: string;
  timeZone?: string;
  settings?: { availableOnOpen?: boolean };
}

export const account = {
  get: () => api.get<Envelope<AccountSettings>>('/account'),
  update: (body: AccountPatch) => api.patch<Envelope<AccountSettings>>('/account', body),
};

/** Every IANA zone this browser knows (the server accepts the same names), UTC first. */
export function timeZones(): string[] {
  const listed = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...listed.filter((z) => z !== 'UTC')];
}

// ---- API keys ----

export type { ApiKey };
export type CreatedApiKey = ApiKey & { secret: string };

export const apiKeys = {
  page: (cursor?: string) => api.get<Page<ApiKey>>('/api-keys', { limit: 50, cursor }),
  create: (body: { name: string; role: Role; expiresAt?: string }) => api.post<Envelope<CreatedApiKey>>('/api-keys', body),
  revoke: (id: string) => api.delete<void>(`/api-keys/${id}`),
};

// ---- failed jobs ----

export interface FailedJob {
  id: string;
  /** The queue (job name), e.g. `listener:message.created:webhooks`. */
  name: string;
  data: unknown;
  /** What the job threw, as the queue stored it (usually `{ message, stack }`). */
  error: unknown;
  retryCount: number;
  failedAt: string | null;
  createdAt: string;
}

export const failedJobs = {
  list: () => api.get<{ data: FailedJob[] }>('/jobs/failed'),
  retry: (id: string) => api.post<{ data: { id: string; state: 'retry' } }>(`/jobs/failed/${id}/retry`),
};

/** The first line a person can read of a stored job error. */
export function jobErrorText(error: unknown): string {
  if (error == null) return '';
  if (typeof error === 'string') return error;
  if (typeof error === 'object') {
    const e = error as Record<string, unknown>;
    if (typeof e.message === 'string') return e.message;
    if (e.value && typeof e.value === 'object' && typeof (e.value as Record<string, unknown>).message === 'string')
      return (e.value as { message: string }).message;
  }
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

export const workspaceKeys = {
  account: ['settings', 'account'] as const,
  apiKeys: ['settings', 'api-keys'] as const,
  failedJobs: ['settings', 'failed-jobs'] as const,
};
