/**
 * Small pieces shared by the People, Workspace and Developers settings screens: readable error text, role
 * names, status pills, a "load more" footer and the section header.
 */
import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import { defineMessages } from '../../i18n';
import type { Role } from './api/people';
import './people-common.css';

const t = defineMessages('settings.common', {
  owner: 'Owner',
  admin: 'Admin',
  supervisor: 'Supervisor',
  agent: 'Agent',
  analyst: 'Analyst',
  ownerHint: 'Everything, including other owners and billing',
  adminHint: 'Manages users, teams, channels and settings',
  supervisorHint: 'Manages team members, automation and shared macros',
  agentHint: 'Answers conversations',
  analystHint: 'Reads conversations and reports, never acts',
  loadMore: 'Load more',
  loading: 'Loading…',
  forbidden: 'Your role does not allow this. Ask an admin or the owner.',
  notFound: 'It no longer exists: someone may have deleted it. Reload to see the current list.',
  loadFailed: 'Could not load this: {reason}',
  retry: 'Try again',
});

export const roleLabel = (role: Role): string => t(role);
export const roleHint = (role: Role): string => t(`${role}Hint`);

/**
 * The sentence to show for a failed request. The server's own words when it explains a refusal ("You may not
 * grant a role above your own", "The account needs at least one active owner"), field messages for invalid
 * input, and a plain fallback otherwise.
 */
export function readableError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 403) return err.detail && err.detail !== 'Forbidden' ? err.detail : t('forbidden');
    if (err.status === 404 && err.code === 'not_found') return t('notFound');
    if ((err.status === 409 || err.status === 422 || err.status === 400) && err.errors.length === 0 && err.detail) return err.detail;
  }
  return errorMessage(err);
}

/** A field's message from a failed request, for inline display under the field. */
export function fieldError(err: unknown, field: string): string | undefined {
  return err instanceof ApiError ? err.fieldError(field) : undefined;
}

export function SectionHeader({ title, intro, actions }: { title: string; intro?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="section-header">
      <div>
        <h2>{title}</h2>
        {intro && <p>{intro}</p>}
      </div>
      {actions && <div className="section-actions">{actions}</div>}
    </div>
  );
}

export function Pill({ tone, children }: { tone: 'ok' | 'warn' | 'off' | 'info'; children: ReactNode }) {
  return <span className={`pill pill-${tone}`}>{children}</span>;
}

export function LoadMore({ hasMore, loading, onMore }: { hasMore: boolean; loading: boolean; onMore: () => void }) {
  if (!hasMore) return null;
  return (
    <div className="load-more-row">
      <button type="button" className="button small" onClick={onMore} disabled={loading}>
        {loading ? t('loading') : t('loadMore')}
      </button>
    </div>
  );
}

/** A failed load, with the reason and a retry. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div className="alert alert-error load-error" role="alert">
      <span>{t('loadFailed', { reason: readableError(error) })}</span>
      <button type="button" className="button small" onClick={onRetry}>
        {t('retry')}
      </button>
    </div>
  );
}
