import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/form';
import { PlusIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { EmptyState, Spinner } from '../../components/ui';
import { useAbilities, useAccountAbilities } from '../../hooks/useAbilities';
import { defineMessages } from '../../i18n';
import { calendarsApi, channelsApi, keys, WEEKDAY_LIST, type CalendarView, type Interval, type Weekday } from './api/ops';
import { ErrorBanner, joinList, nameOf, useTeams } from './ops-ui';
import { CalendarEditor } from './business-hours-editor';
import './business-hours-section.css';

const t = defineMessages('settings.businessHours', {
  title: 'Business hours',
  intro: 'When your team works. SLA timers only run during these hours; holidays pause them all day.',
  add: 'Add calendar',
  emptyTitle: 'No business hours yet',
  emptyText: 'Without a calendar, SLA timers run around the clock. Add your opening hours to count only working time.',
  edit: 'Edit',
  delete: 'Delete',
  deleteTitle: 'Delete {name}?',
  deleteBody: 'SLA timers of its teams and channels will run around the clock (or use another calendar that names them).',
  deleteConfirm: 'Delete calendar',
  deleted: 'Calendar {name} deleted.',
  closed: 'Closed',
  nobody: 'Not assigned to a team or channel yet: edit it to choose where it applies.',
  usedBy: 'Used by {list}',
  holidaysCount: '{count} holidays',
  oneHoliday: '1 holiday',
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
  readOnly: 'Only admins change business hours.',
  editNamed: 'Edit {name}',
  deleteNamed: 'Delete {name}',
});

const SHORT = {
  monday: 'mon',
  tuesday: 'tue',
  wednesday: 'wed',
  thursday: 'thu',
  friday: 'fri',
  saturday: 'sat',
  sunday: 'sun',
} as const satisfies Record<Weekday, string>;

/** "Mon–Fri 09:00–17:00 · Sat 10:00–14:00": consecutive days with the same hours are grouped. */
export function weeklySummary(weekly: Record<string, Interval[]>): string {
  const spans = WEEKDAY_LIST.map((d) => (weekly[d] ?? []).map((i) => `${i.start}–${i.end}`).join(', '));
  const parts: string[] = [];
  for (let i = 0; i < 7;) {
    let j = i;
    while (j + 1 < 7 && spans[j + 1] === spans[i]) j++;
    if (spans[i]) {
      const from = t(SHORT[WEEKDAY_LIST[i]!]);
      parts.push(`${j > i ? `${from}–${t(SHORT[WEEKDAY_LIST[j]!])}` : from} ${spans[i]}`);
    }
    i = j + 1;
  }
  return parts.join(' · ') || t('closed');
}

function CalendarRow({
  calendar,
  policies,
  onEdit,
  onDelete,
  teamNames,
  channelNames,
}: {
  calendar: CalendarView;
  policies: { id: string; abilities: Record<string, boolean> }[];
  onEdit: () => void;
  onDelete: () => void;
  teamNames: { id: string; name: string }[] | undefined;
  channelNames: { id: string; name: string }[] | undefined;
}) {
  const can = useAbilities(policies, calendar.id);
  const used = [...calendar.teamIds.map((id) => nameOf(teamNames, id)), ...calendar.channelIds.map((id) => nameOf(channelNames, id))];
  const n = calendar.holidays.length;
  return (
    <li className="ops-item">
      <div className="ops-item-main">
        <div className="ops-item-title">
          <span>{calendar.name}</span>
          <span className="ops-pill">{calendar.timeZone}</span>
        </div>
        <div className="ops-item-sub">{weeklySummary(calendar.weekly)}</div>
        <div className="ops-item-sub">
          {n > 0 ? `${n === 1 ? t('oneHoliday') : t('holidaysCount', { count: n })} · ` : ''}
          {used.length > 0 ? t('usedBy', { list: joinList(used) }) : t('nobody')}
        </div>
      </div>
      {can('manage') && (
        <div className="ops-item-actions">
          <button type="button" className="button small" onClick={onEdit} aria-label={t('editNamed', { name: calendar.name })}>
            {t('edit')}
          </button>
          <button
            type="button"
            className="button small ghost ops-danger-text"
            onClick={onDelete}
            aria-label={t('deleteNamed', { name: calendar.name })}
          >
            {t('delete')}
          </button>
        </div>
      )}
    </li>
  );
}

export default function BusinessHoursSection() {
  const canManage = useAccountAbilities()('manage_sla');
  const qc = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState<CalendarView | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CalendarView | null>(null);
  const list = useQuery({ queryKey: keys.calendars, queryFn: calendarsApi.list });
  const teams = useTeams();
  const channels = useQuery({ queryKey: keys.channelsAll, queryFn: () => channelsApi.list().then((r) => r.data) });

  if (editing) return <CalendarEditor calendar={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />;

  const calendars = list.data?.data ?? [];
  return (
    <div className="bh-section">
      <header className="section-header">
        <div>
          <h2>{t('title')}</h2>
          <p>{canManage ? t('intro') : `${t('intro')} ${t('readOnly')}`}</p>
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
      ) : calendars.length === 0 ? (
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
          {calendars.map((c) => (
            <CalendarRow
              key={c.id}
              calendar={c}
              policies={list.data?.policies ?? []}
              teamNames={teams.data}
              channelNames={channels.data}
              onEdit={() => setEditing(c)}
              onDelete={() => setDeleting(c)}
            />
          ))}
        </ul>
      )}
      {deleting && (
        <ConfirmDialog
          title={t('deleteTitle', { name: deleting.name })}
          body={<p>{t('deleteBody')}</p>}
          confirmLabel={t('deleteConfirm')}
          tone="danger"
          onConfirm={async () => {
            await calendarsApi.remove(deleting.id);
            toast(t('deleted', { name: deleting.name }), 'info');
            await qc.invalidateQueries({ queryKey: keys.calendars });
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </div>
  );
}
