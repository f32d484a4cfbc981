import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog, Toggle } from '../../components/form';
import { PlusIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { EmptyState, Spinner } from '../../components/ui';
import { useAccountAbilities } from '../../hooks/useAbilities';
import { defineMessages } from '../../i18n';
import { channelsApi, keys, type Channel } from './api/ops';
import { ChannelFormDialog, kindLabel } from './channel-form';
import { ChannelSetupPanel } from './channel-setup';
import { ChannelKindIcon, ErrorBanner, readableError } from './ops-ui';
import './channels-section.css';

const t = defineMessages('settings.channels', {
  title: 'Channels',
  intro: 'Where customers reach you: web chat, email, messaging services, phone and your own integrations.',
  introReadOnly: 'Where customers reach you. Only admins add or change channels.',
  add: 'Add channel',
  emptyTitle: 'No channels yet',
  emptyText: 'Add a web chat to put a chat on your website, or an email address for your support inbox.',
  enabled: 'Enabled',
  disabled: 'Disabled',
  enableLabel: 'Enabled',
  setup: 'Setup',
  hideSetup: 'Hide setup',
  edit: 'Edit',
  delete: 'Delete',
  deleteTitle: 'Delete {name}?',
  deleteBody: 'Customers can no longer reach you through it and replies on it are not delivered. Its conversations stay in the inbox.',
  deleteConfirm: 'Delete channel',
  deleted: 'Channel {name} deleted.',
  nowEnabled: '{name} is enabled.',
  nowDisabled: '{name} is disabled: it takes no new messages.',
  created: '{name} added. Connect it with the setup below.',
  saved: 'Changes to {name} saved.',
  loadMore: 'Show more',
  enableLabelNamed: 'Enabled: {name}',
  editNamed: 'Edit {name}',
  deleteNamed: 'Delete {name}',
});

export default function ChannelsSection() {
  const can = useAccountAbilities();
  const canManage = can('manage_channels');
  const qc = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Channel | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  // The secret a new channel was created with: shown once, in its setup.
  const [created, setCreated] = useState<{ id: string; secret: string } | null>(null);

  const list = useInfiniteQuery({
    queryKey: keys.channels,
    queryFn: ({ pageParam }) => channelsApi.list(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
  });
  const channels = (list.data?.pages.flatMap((p) => p.data) ?? []).filter((c) => !c.archivedAt);

  const toggle = useMutation({
    mutationFn: ({ channel, enabled }: { channel: Channel; enabled: boolean }) => channelsApi.update(channel.id, { enabled }),
    onSuccess: async (_r, { channel, enabled }) => {
      toast(enabled ? t('nowEnabled', { name: channel.name }) : t('nowDisabled', { name: channel.name }), 'info');
      await qc.invalidateQueries({ queryKey: keys.channels });
    },
    onError: (err) => toast(readableError(err)),
  });

  const remove = async (channel: Channel) => {
    await channelsApi.remove(channel.id);
    toast(t('deleted', { name: channel.name }), 'info');
    if (open === channel.id) setOpen(null);
    await qc.invalidateQueries({ queryKey: keys.channels });
  };

  return (
    <div className="channels-section">
      <header className="section-header">
        <div>
          <h2>{t('title')}</h2>
          <p>{canManage ? t('intro') : t('introReadOnly')}</p>
        </div>
        {canManage && (
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            <PlusIcon /> {t('add')}
          </button>
        )}
      </header>

      {list.isPending ? (
        <Spinner />
      ) : list.isError ? (
        <ErrorBanner error={list.error} />
      ) : channels.length === 0 ? (
        <EmptyState
          title={t('emptyTitle')}
          action={
            canManage ? (
              <button type="button" className="button primary" onClick={() => setEditing('new')}>
                <PlusIcon /> {t('add')}
              </button>
            ) : undefined
          }
        >
          {t('emptyText')}
        </EmptyState>
      ) : (
        <ul className="ops-list" aria-label={t('title')}>
          {channels.map((c) => {
            const enabled = c.enabled;
            const expanded = open === c.id;
            return (
              <li key={c.id} className="channel-item" data-channel-id={c.id}>
                <div className="ops-item">
                  <ChannelKindIcon kind={c.kind} />
                  <div className="ops-item-main">
                    <div className="ops-item-title">
                      <span>{c.name}</span>
                      <span className={enabled ? 'ops-pill on' : 'ops-pill off'}>{enabled ? t('enabled') : t('disabled')}</span>
                    </div>
                    <div className="ops-item-sub">{kindLabel(c.kind)}</div>
                  </div>
                  {canManage && (
                    <div className="ops-item-actions">
                      <Toggle
                        checked={enabled}
                        disabled={toggle.isPending && toggle.variables?.channel.id === c.id}
                        onChange={(next) => toggle.mutate({ channel: c, enabled: next })}
                        label={<span className="ops-sr-only">{t('enableLabelNamed', { name: c.name })}</span>}
                      />
                      <button
                        type="button"
                        className="button small"
                        aria-expanded={expanded}
                        aria-controls={`setup-${c.id}`}
                        onClick={() => setOpen(expanded ? null : c.id)}
                      >
                        {expanded ? t('hideSetup') : t('setup')}
                      </button>
                      <button
                        type="button"
                        className="button small"
                        onClick={() => setEditing(c)}
                        aria-label={t('editNamed', { name: c.name })}
                      >
                        {t('edit')}
                      </button>
                      <button
                        type="button"
                        className="button small ghost ops-danger-text"
                        onClick={() => setDeleting(c)}
                        aria-label={t('deleteNamed', { name: c.name })}
                      >
                        {t('delete')}
                      </button>
                    </div>
                  )}
                </div>
                {canManage && expanded && (
                  <div id={`setup-${c.id}`} className="channel-setup-wrap">
                    <ChannelSetupPanel channel={c} canManage={canManage} freshSecret={created?.id === c.id ? created.secret : undefined} />
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {list.hasNextPage && (
        <button type="button" className="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t('loadMore')}
        </button>
      )}

      {editing && (
        <ChannelFormDialog
          channel={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            toast(editing === 'new' ? t('created', { name: saved.name }) : t('saved', { name: saved.name }), 'info');
            if (editing === 'new') {
              setOpen(saved.id);
              if (saved.webhookSecret && saved.kind !== 'email') setCreated({ id: saved.id, secret: saved.webhookSecret });
            }
            setEditing(null);
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t('deleteTitle', { name: deleting.name })}
          body={<p>{t('deleteBody')}</p>}
          confirmLabel={t('deleteConfirm')}
          tone="danger"
          onConfirm={() => remove(deleting)}
          onClose={() => setDeleting(null)}
        />
      )}
    </div>
  );
}
