import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Dialog } from '../../components/dialog';
import { ConfirmDialog, Field } from '../../components/form';
import { PlusIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { EmptyState, Spinner } from '../../components/ui';
import { useAbilities, useAccountAbilities } from '../../hooks/useAbilities';
import { defineMessages } from '../../i18n';
import { capitalize } from '../../lib/format';
import { keys, macrosApi, type Macro } from './api/ops';
import { ConversationSelect, ErrorBanner, joinList, useRecentConversations, useTeams } from './ops-ui';
import { MacroEditor, actionSummary } from './macro-editor';
import './macros-section.css';

const t = defineMessages('settings.macros', {
  title: 'Macros',
  intro:
    'Canned replies with variables, applied from the composer (type / in a reply). A macro can also set the status, priority, tags and team.',
  add: 'New macro',
  filterAll: 'All',
  filterShared: 'Shared',
  filterPersonal: 'Mine',
  filterLabel: 'Show',
  emptyTitle: 'No macros yet',
  emptyText: 'Save the answers you type again and again, e.g. "Hi {{customer.first_name}}, thanks for reaching out!".',
  emptyFiltered: 'No macros in this view.',
  shared: 'Shared',
  personal: 'Only you',
  edit: 'Edit',
  delete: 'Delete',
  preview: 'Preview',
  deleteTitle: 'Delete {name}?',
  deleteBody: 'It disappears from everyone’s macro list. Messages already sent with it stay as they are.',
  deleteConfirm: 'Delete macro',
  deleted: 'Macro {name} deleted.',
  previewTitle: 'Preview {name}',
  previewFor: 'For conversation',
  previewLoading: 'Rendering…',
  previewActions: 'Then: {list}',
  previewNoActions: 'No other changes.',
  close: 'Close',
  loadMore: 'Show more',
  previewNamed: 'Preview {name}',
  editNamed: 'Edit {name}',
  deleteNamed: 'Delete {name}',
});

/** The macro rendered by the server for one of the recent conversations, with the changes it would make. */
function PreviewDialog({ macro, onClose }: { macro: Macro; onClose: () => void }) {
  const recent = useRecentConversations();
  const teams = useTeams();
  const [chosen, setChosen] = useState('');
  const conversationId = chosen || recent.data?.[0]?.id || '';
  // Rendering changes nothing, so it is a query (cached per macro version and conversation).
  const preview = useQuery({
    queryKey: [...keys.macros, 'preview', macro.id, macro.updatedAt, conversationId],
    queryFn: () => macrosApi.preview(macro.id, conversationId).then((r) => r.data),
    enabled: conversationId !== '',
  });
  const ready = recent.isSuccess;
  useEffect(() => {
    if (ready) document.getElementById('macro-preview-conversation')?.focus();
  }, [ready]);
  const actions = preview.data ? actionSummary(preview.data.actions, teams.data) : [];
  return (
    <Dialog
      title={t('previewTitle', { name: macro.name })}
      onClose={onClose}
      footer={
        <button type="button" className="button" onClick={onClose}>
          {t('close')}
        </button>
      }
    >
      <div className="ops-editor">
        <Field label={t('previewFor')}>
          <ConversationSelect id="macro-preview-conversation" value={conversationId} onChange={setChosen} />
        </Field>
        {preview.isFetching && !preview.data && <Spinner label={t('previewLoading')} />}
        <ErrorBanner error={preview.error} />
        {preview.data && (
          <div className="macro-preview">
            <div className="macro-preview-body" data-testid="macro-preview">
              {preview.data.body}
            </div>
            <p className="ops-subtle">{actions.length ? t('previewActions', { list: joinList(actions) }) : t('previewNoActions')}</p>
          </div>
        )}
      </div>
    </Dialog>
  );
}

function MacroRow({
  macro,
  policies,
  onEdit,
  onDelete,
  onPreview,
}: {
  macro: Macro;
  policies: { id: string; abilities: Record<string, boolean> }[] | undefined;
  onEdit: () => void;
  onDelete: () => void;
  onPreview: () => void;
}) {
  const can = useAbilities(policies, macro.id);
  const teams = useTeams();
  const actions = actionSummary(macro.actions, teams.data);
  return (
    <li className="ops-item" data-macro-id={macro.id}>
      <div className="ops-item-main">
        <div className="ops-item-title">
          <span>{macro.name}</span>
          <span className={macro.visibility === 'shared' ? 'ops-pill accent' : 'ops-pill'}>
            {macro.visibility === 'shared' ? t('shared') : t('personal')}
          </span>
        </div>
        <div className="ops-item-sub macro-body-line">{macro.body}</div>
        {actions.length > 0 && <div className="ops-item-sub">{capitalize(joinList(actions))}</div>}
      </div>
      <div className="ops-item-actions">
        <button type="button" className="button small" onClick={onPreview} aria-label={t('previewNamed', { name: macro.name })}>
          {t('preview')}
        </button>
        {can('update') && (
          <button type="button" className="button small" onClick={onEdit} aria-label={t('editNamed', { name: macro.name })}>
            {t('edit')}
          </button>
        )}
        {can('delete') && (
          <button
            type="button"
            className="button small ghost ops-danger-text"
            onClick={onDelete}
            aria-label={t('deleteNamed', { name: macro.name })}
          >
            {t('delete')}
          </button>
        )}
      </div>
    </li>
  );
}

export default function MacrosSection() {
  const qc = useQueryClient();
  const toast = useToast();
  const canReply = useAccountAbilities()('reply');
  const [filter, setFilter] = useState<'all' | 'shared' | 'personal'>('all');
  const [editing, setEditing] = useState<Macro | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Macro | null>(null);
  const [previewing, setPreviewing] = useState<Macro | null>(null);
  const list = useInfiniteQuery({
    queryKey: keys.macros,
    queryFn: ({ pageParam }) => macrosApi.list(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
  });
  const all = list.data?.pages.flatMap((p) => p.data) ?? [];
  const policies = list.data?.pages.flatMap((p) => p.policies ?? []);
  const shown = filter === 'all' ? all : all.filter((m) => m.visibility === filter);

  if (editing)
    return (
      <MacroEditor
        macro={editing === 'new' ? null : editing}
        onDone={(saved) => {
          setEditing(null);
          if (saved) setPreviewing(saved);
        }}
      />
    );

  return (
    <div className="macros-section">
      <header className="section-header">
        <div>
          <h2>{t('title')}</h2>
          <p>{t('intro')}</p>
        </div>
        {canReply && (
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            <PlusIcon /> {t('add')}
          </button>
        )}
      </header>
      {all.length > 0 && (
        <div className="macro-filter" role="radiogroup" aria-label={t('filterLabel')}>
          {(['all', 'shared', 'personal'] as const).map((f) => (
            <button
              key={f}
              type="button"
              role="radio"
              aria-checked={filter === f}
              className={filter === f ? 'button small pressed' : 'button small ghost'}
              onClick={() => setFilter(f)}
            >
              {f === 'all' ? t('filterAll') : f === 'shared' ? t('filterShared') : t('filterPersonal')}
            </button>
          ))}
        </div>
      )}
      {list.isPending ? (
        <Spinner />
      ) : list.isError ? (
        <ErrorBanner error={list.error} />
      ) : all.length === 0 ? (
        <EmptyState
          title={t('emptyTitle')}
          action={
            canReply ? (
              <button type="button" className="button primary" onClick={() => setEditing('new')}>
                <PlusIcon /> {t('add')}
              </button>
            ) : undefined
          }
        >
          {t('emptyText')}
        </EmptyState>
      ) : shown.length === 0 ? (
        <p className="ops-subtle">{t('emptyFiltered')}</p>
      ) : (
        <ul className="ops-list" aria-label={t('title')}>
          {shown.map((m) => (
            <MacroRow
              key={m.id}
              macro={m}
              policies={policies}
              onEdit={() => setEditing(m)}
              onDelete={() => setDeleting(m)}
              onPreview={() => setPreviewing(m)}
            />
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <button type="button" className="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t('loadMore')}
        </button>
      )}
      {previewing && <PreviewDialog macro={previewing} onClose={() => setPreviewing(null)} />}
      {deleting && (
        <ConfirmDialog
          title={t('deleteTitle', { name: deleting.name })}
          body={<p>{t('deleteBody')}</p>}
          confirmLabel={t('deleteConfirm')}
          tone="danger"
          onConfirm={async () => {
            await macrosApi.remove(deleting.id);
            toast(t('deleted', { name: deleting.name }), 'info');
            await qc.invalidateQueries({ queryKey: keys.macros });
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </div>
  );
}
