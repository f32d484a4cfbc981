import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client';
import type { Envelope, User } from '../../api/types';
import { useToast } from '../../components/toast';
import { t } from './messages';
import { inboxKeys } from './queries';

export type BulkAction =
  | { action: 'assign'; assigneeId: string }
  | { action: 'unassign' }
  | { action: 'tag'; tag: string }
  | { action: 'resolve' }
  | { action: 'reopen' };

interface BulkResult {
  succeeded: string[];
  failed: { id: string; code: string; detail: string }[];
}

/** The selection's actions (POST /conversations/bulk): assign, tag, resolve. Rows that could not change are named. */
export function BulkBar({
  ids,
  allIds,
  users,
  onSelectAll,
  onDone,
}: {
  ids: string[];
  allIds: string[];
  users: User[];
  onSelectAll(all: boolean): void;
  onDone(): void;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const [tagging, setTagging] = useState(false);
  const [tag, setTag] = useState('');
  const run = useMutation({
    mutationFn: (a: BulkAction) => api.post<Envelope<BulkResult>>('/conversations/bulk', { ids, ...a }),
    onSuccess: (res) => {
      const { succeeded, failed } = res.data;
      if (failed.length === 0) toast(t('bulkDone', { n: succeeded.length }), 'info');
      else toast(t('bulkPartial', { ok: succeeded.length, failed: failed.length, reason: failed[0]!.detail }));
      onDone();
    },
    onError: (err) => toast(errorMessage(err)),
    onSettled: () => qc.invalidateQueries({ queryKey: inboxKeys.lists }),
  });
  const all = ids.length === allIds.length;

  return (
    <div className="bulk-bar" role="toolbar" aria-label={t('selected', { n: ids.length })}>
      <label className="bulk-all">
        <input type="checkbox" checked={all} onChange={(e) => onSelectAll(e.target.checked)} aria-label={t('selectAll')} />
        <span>{t('selected', { n: ids.length })}</span>
      </label>
      <div className="bulk-actions">
        <label className="sr-only" htmlFor="bulk-assign">
          {t('assign')}
        </label>
        <select
          id="bulk-assign"
          className="select compact"
          value=""
          disabled={run.isPending}
          onChange={(e) => {
            const v = e.target.value;
            if (v === '__none') run.mutate({ action: 'unassign' });
            else if (v) run.mutate({ action: 'assign', assigneeId: v });
          }}
        >
          <option value="">{t('assignTo')}</option>
          <option value="__none">{t('unassign')}</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
        {tagging ? (
          <form
            className="bulk-tag"
            onSubmit={(e) => {
              e.preventDefault();
              const value = tag.trim().toLowerCase();
              if (value) run.mutate({ action: 'tag', tag: value });
              setTagging(false);
              setTag('');
            }}
          >
            <input
              className="input compact"
              autoFocus
              aria-label={t('tagPrompt')}
              placeholder={t('tagPrompt')}
              maxLength={50}
              value={tag}
              onChange={(e) => setTag(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && setTagging(false)}
            />
          </form>
        ) : (
          <button type="button" className="button small" disabled={run.isPending} onClick={() => setTagging(true)}>
            {t('addTag')}
          </button>
        )}
        <button type="button" className="button small primary" disabled={run.isPending} onClick={() => run.mutate({ action: 'resolve' })}>
          {t('resolve')}
        </button>
        <button type="button" className="link-button small" onClick={onDone}>
          {t('clearSelection')}
        </button>
      </div>
    </div>
  );
}
