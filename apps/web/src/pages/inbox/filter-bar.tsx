import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { PRIORITIES } from '../../api/types';
import { Dialog } from '../../components/dialog';
import { XIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { useAccountAbilities } from '../../hooks/useAbilities';
import { capitalize } from '../../lib/format';
import { SLA_FILTERS, SORTS, VIEWS, type InboxFilter, type InboxSearch, type View } from './filters';
import { t } from './messages';
import { channelKindLabel, useChannels, useTeams } from './reference-data';
import { useDeleteView, useSavedViews, useSaveView, type SavedView } from './saved-views';
import { useInboxSearch } from './use-inbox-search';

const FILTER_KEYS = ['channelId', 'teamId', 'tag', 'priority', 'sla'] as const;

/** View (built-in or saved), sort, and the filters with removable chips. */
export function FilterBar({ filter }: { filter: InboxFilter; base: string }) {
  const [search, setSearch] = useInboxSearch();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const channels = useChannels();
  const teams = useTeams();
  const saved = useSavedViews();
  const deleteView = useDeleteView();
  const toast = useToast();
  const active = FILTER_KEYS.filter((k) => filter[k]);
  const views = saved.data?.data ?? [];
  const current = views.find((v) => v.id === search.savedView);

  const chipLabel = (k: (typeof FILTER_KEYS)[number]): string => {
    if (k === 'channelId') return channels.byId.get(filter.channelId!)?.name ?? t('channel');
    if (k === 'teamId') return teams.byId.get(filter.teamId!)?.name ?? t('team');
    if (k === 'tag') return `#${filter.tag}`;
    if (k === 'priority') return capitalize(filter.priority!);
    return SLA_FILTERS.find((s) => s.value === filter.sla)?.label ?? t('sla');
  };

  function pickView(value: string) {
    if (value === '__save') return setSaving(true);
    const savedView = views.find((v) => v.id === value);
    if (savedView) {
      // A saved view replaces the filters (the status tab stays unless the view names one).
      setSearch({ ...clearFilters(), status: search.status, ...savedView.filters, savedView: savedView.id });
      return;
    }
    localStorage.setItem('tp.inbox.view', value);
    setSearch({ view: value as View, savedView: undefined });
  }

  return (
    <div className="filter-bar">
      <div className="filter-row">
        <label className="sr-only" htmlFor="inbox-view">
          {t('view')}
        </label>
        <select id="inbox-view" className="select compact" value={current?.id ?? filter.view} onChange={(e) => pickView(e.target.value)}>
          <optgroup label={t('views')}>
            {VIEWS.map((v) => (
              <option key={v.value} value={v.value}>
                {v.label}
              </option>
            ))}
          </optgroup>
          {views.length > 0 && (
            <optgroup label={t('savedViews')}>
              {views.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                  {v.shared ? ' (shared)' : ''}
                </option>
              ))}
            </optgroup>
          )}
          <option value="__save">{t('saveView')}</option>
        </select>
        <button
          type="button"
          className={active.length ? 'button small filter-toggle active' : 'button small filter-toggle'}
          aria-expanded={open}
          aria-controls="inbox-filters"
          onClick={() => setOpen((o) => !o)}
        >
          {active.length ? t('filtersCount', { n: active.length }) : t('filters')}
        </button>
        <label className="sr-only" htmlFor="inbox-sort">
          {t('sort')}
        </label>
        <select
          id="inbox-sort"
          className="select compact"
          value={filter.sort}
          onChange={(e) => setSearch({ sort: e.target.value === 'activity' ? undefined : (e.target.value as InboxFilter['sort']) })}
        >
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      {open && (
        <div className="filter-panel" id="inbox-filters" role="group" aria-label={t('filters')}>
          <FilterSelect
            label={t('channel')}
            value={filter.channelId}
            options={channels.list.map((c) => ({ value: c.id, label: `${c.name} (${channelKindLabel(c.kind)})` }))}
            onChange={(channelId) => setSearch({ channelId, savedView: undefined })}
          />
          <FilterSelect
            label={t('team')}
            value={filter.teamId}
            options={teams.list.map((x) => ({ value: x.id, label: x.name }))}
            onChange={(teamId) => setSearch({ teamId, savedView: undefined })}
          />
          <FilterSelect
            label={t('priority')}
            value={filter.priority}
            options={PRIORITIES.map((p) => ({ value: p, label: capitalize(p) }))}
            onChange={(priority) => setSearch({ priority: priority as InboxFilter['priority'], savedView: undefined })}
          />
          <FilterSelect
            label={t('sla')}
            value={filter.sla}
            options={SLA_FILTERS}
            onChange={(sla) => setSearch({ sla: sla as InboxFilter['sla'], savedView: undefined })}
          />
          <TagFilter value={filter.tag} onChange={(tag) => setSearch({ tag, savedView: undefined })} />
        </div>
      )}
      {(active.length > 0 || current) && (
        <div className="chips">
          {active.map((k) => (
            <span key={k} className="chip">
              {chipLabel(k)}
              <button
                type="button"
                className="chip-remove"
                aria-label={t('removeFilter', { name: chipLabel(k) })}
                onClick={() => setSearch({ [k]: undefined, savedView: undefined })}
              >
                <XIcon size={12} />
              </button>
            </span>
          ))}
          {active.length > 1 && (
            <button type="button" className="link-button small" onClick={() => setSearch({ ...clearFilters(), savedView: undefined })}>
              {t('clearFilters')}
            </button>
          )}
          {current && (
            <button
              type="button"
              className="link-button small danger"
              onClick={() =>
                deleteView.mutate(current.id, {
                  onSuccess: () => setSearch({ savedView: undefined }),
                  onError: (err) => toast(errorMessage(err)),
                })
              }
            >
              {t('deleteView', { name: current.name })}
            </button>
          )}
        </div>
      )}
      {saving && <SaveViewDialog search={search} filter={filter} onClose={() => setSaving(false)} />}
    </div>
  );
}

function clearFilters(): Partial<InboxSearch> {
  return { channelId: undefined, teamId: undefined, tag: undefined, priority: undefined, sla: undefined, sort: undefined };
}

function FilterSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string | undefined;
  options: readonly { value: string; label: string }[];
  onChange(v: string | undefined): void;
}) {
  const id = `filter-${label.toLowerCase()}`;
  return (
    <div className="filter-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} className="select compact" value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{t('any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function TagFilter({ value, onChange }: { value: string | undefined; onChange(v: string | undefined): void }) {
  const [text, setText] = useState(value ?? '');
  return (
    <form
      className="filter-field"
      onSubmit={(e) => {
        e.preventDefault();
        onChange(text.trim().toLowerCase() || undefined);
      }}
    >
      <label htmlFor="filter-tag">{t('tag')}</label>
      <input
        id="filter-tag"
        className="input compact"
        value={text}
        placeholder="billing"
        maxLength={50}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => onChange(text.trim().toLowerCase() || undefined)}
      />
    </form>
  );
}

function SaveViewDialog({ search, filter, onClose }: { search: InboxSearch; filter: InboxFilter; onClose(): void }) {
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const save = useSaveView();
  const [, setSearch] = useInboxSearch();
  const toast = useToast();
  const can = useAccountAbilities();
  const filters: SavedView['filters'] = {
    status: search.status,
    view: filter.view,
    channelId: filter.channelId,
    teamId: filter.teamId,
    tag: filter.tag,
    priority: filter.priority,
    sla: filter.sla,
    sort: filter.sort === 'activity' ? undefined : filter.sort,
  };
  for (const k of Object.keys(filters) as (keyof typeof filters)[]) if (filters[k] === undefined) delete filters[k];

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate(
      { name: name.trim(), filters, shared },
      {
        onSuccess: (res) => {
          toast(t('viewSaved', { name: res.data.name }), 'info');
          setSearch({ savedView: res.data.id });
          onClose();
        },
      },
    );
  }
  return (
    <Dialog
      title={t('saveViewTitle')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" form="save-view" className="button primary" disabled={!name.trim() || save.isPending}>
            {t('save')}
          </button>
        </>
      }
    >
      <form id="save-view" className="form" onSubmit={submit}>
        <label className="field">
          <span className="field-label">{t('viewName')}</span>
          <input autoFocus required maxLength={60} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        {can('manage_shared_macros') && (
          <label className="checkbox">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} /> {t('shareView')}
          </label>
        )}
        {save.error && (
          <div className="alert alert-error" role="alert">
            {errorMessage(save.error)}
          </div>
        )}
      </form>
    </Dialog>
  );
}
