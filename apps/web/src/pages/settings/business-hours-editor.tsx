import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Field, useAutoFocus } from '../../components/form';
import { PlusIcon, XIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { defineMessages } from '../../i18n';
import { useSession } from '../../session';
import {
  calendarsApi,
  channelsApi,
  keys,
  WEEKDAY_LIST,
  type CalendarBody,
  type CalendarView,
  type Holiday,
  type Interval,
  type Weekday,
} from './api/ops';
import { CheckboxGroup, ErrorBanner, errorsUnder, fieldError, useTeams, useFocusError } from './ops-ui';

/** The editor of a business-hours calendar: time zone, weekly intervals per day, holidays, where it applies. */
const t = defineMessages('settings.businessHours.editor', {
  saved: 'Calendar {name} saved.',
  newTitle: 'New calendar',
  editTitle: 'Edit {name}',
  name: 'Name',
  namePlaceholder: 'Office hours',
  timeZone: 'Time zone',
  timeZoneHint: 'An IANA zone such as Europe/Berlin or America/New_York.',
  weekly: 'Weekly hours',
  weeklyHint: 'Several intervals on one day are split shifts. For a night shift, end at 24:00 and continue from 00:00 the next day.',
  closed: 'Closed',
  addHours: 'Add hours',
  from: 'From',
  to: 'To',
  removeHours: 'Remove {day} {start}–{end}',
  copyWeekdays: 'Use Monday’s hours for Tuesday to Friday',
  holidays: 'Holidays',
  holidaysHint: 'Closed all day on these dates (in the calendar’s time zone).',
  noHolidays: 'No holidays.',
  addHoliday: 'Add holiday',
  holidayDate: 'Date',
  holidayName: 'Name',
  holidayNamePlaceholder: 'New Year’s Day',
  removeHoliday: 'Remove holiday {date}',
  partialHoliday: 'closed {hours}',
  appliesTo: 'Used for',
  appliesHint: 'A conversation is timed by its team’s calendar, else its channel’s calendar, else around the clock.',
  teams: 'Teams',
  channels: 'Channels',
  noTeams: 'No teams yet.',
  cancel: 'Cancel',
  save: 'Save calendar',
  saving: 'Saving…',
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
  sunday: 'Sunday',
});

/** Times every 15 minutes, 00:00 to 24:00 (a select cannot produce a malformed time). */
const TIMES = Array.from(
  { length: 97 },
  (_, i) => `${String(Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`,
);

function TimeSelect({ value, onChange, label }: { value: string; onChange: (v: string) => void; label: string }) {
  const options = TIMES.includes(value) ? TIMES : [...TIMES, value].sort();
  return (
    <select className="select" aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      {options.map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </select>
  );
}

function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function zones(): string[] {
  try {
    return (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

export function CalendarEditor({ calendar, onDone }: { calendar: CalendarView | null; onDone: () => void }) {
  const session = useSession();
  const accountZone = session.status === 'signed-in' ? session.me.account.timeZone : null;
  const qc = useQueryClient();
  const toast = useToast();
  const teams = useTeams();
  const channels = useQuery({ queryKey: keys.channelsAll, queryFn: () => channelsApi.list().then((r) => r.data) });
  const zoneList = useMemo(zones, []);
  const first = useAutoFocus<HTMLInputElement>();
  const [form, setForm] = useState<CalendarBody>(() =>
    calendar
      ? {
          name: calendar.name,
          timeZone: calendar.timeZone,
          weekly: calendar.weekly as CalendarBody['weekly'],
          holidays: calendar.holidays,
          teamIds: calendar.teamIds,
          channelIds: calendar.channelIds,
        }
      : {
          name: '',
          timeZone: accountZone || browserZone(),
          weekly: Object.fromEntries(
            WEEKDAY_LIST.slice(0, 5).map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
          ) as CalendarBody['weekly'],
          holidays: [],
          teamIds: [],
          channelIds: [],
        },
  );
  const holidays = form.holidays as Holiday[];
  const setDay = (day: Weekday, list: Interval[]) => setForm((f) => ({ ...f, weekly: { ...f.weekly, [day]: list } }));
  const setHolidays = (list: Holiday[]) => setForm((f) => ({ ...f, holidays: list }));

  const save = useMutation({
    mutationFn: () => {
      const body: CalendarBody = {
        ...form,
        name: form.name.trim(),
        timeZone: form.timeZone.trim(),
        weekly: Object.fromEntries(WEEKDAY_LIST.map((d) => [d, form.weekly[d] ?? []])) as CalendarBody['weekly'],
        holidays: holidays.map((h) => ({ ...h, name: h.name?.trim() || undefined })),
      };
      return calendar ? calendarsApi.update(calendar.id, body) : calendarsApi.create(body);
    },
    onSuccess: async (res) => {
      toast(t('saved', { name: res.data.name }), 'info');
      await qc.invalidateQueries({ queryKey: keys.calendars });
      onDone();
    },
  });
  const err = save.error;
  const formRef = useFocusError(err);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <form
      ref={formRef}
      className="settings-card ops-editor"
      onSubmit={submit}
      noValidate
      aria-label={calendar ? t('editTitle', { name: calendar.name }) : t('newTitle')}
    >
      <h3>{calendar ? t('editTitle', { name: calendar.name }) : t('newTitle')}</h3>
      <div className="ops-two">
        <Field label={t('name')} error={fieldError(err, 'name')}>
          <input
            ref={first}
            type="text"
            value={form.name}
            placeholder={t('namePlaceholder')}
            maxLength={120}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </Field>
        <Field label={t('timeZone')} hint={t('timeZoneHint')} error={fieldError(err, 'timeZone')}>
          <input type="text" list="bh-zones" value={form.timeZone} onChange={(e) => setForm({ ...form, timeZone: e.target.value })} />
        </Field>
        <datalist id="bh-zones">
          {zoneList.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </div>

      <fieldset className="bh-week">
        <legend className="tp-field-label">{t('weekly')}</legend>
        <p className="form-hint">{t('weeklyHint')}</p>
        {WEEKDAY_LIST.map((day) => {
          const list = (form.weekly[day] ?? []) as Interval[];
          const problems = errorsUnder(err, `weekly.${day}`);
          return (
            <div key={day} className="bh-day" role="group" aria-label={t(day)}>
              <div className="bh-day-name">{t(day)}</div>
              <div className="bh-day-intervals">
                {list.length === 0 && <span className="ops-subtle">{t('closed')}</span>}
                {list.map((iv, i) => (
                  <span key={i} className="bh-interval">
                    <TimeSelect
                      label={`${t(day)} ${t('from')}`}
                      value={iv.start}
                      onChange={(v) =>
                        setDay(
                          day,
                          list.map((x, j) => (j === i ? { ...x, start: v } : x)),
                        )
                      }
                    />
                    <span aria-hidden="true">–</span>
                    <TimeSelect
                      label={`${t(day)} ${t('to')}`}
                      value={iv.end}
                      onChange={(v) =>
                        setDay(
                          day,
                          list.map((x, j) => (j === i ? { ...x, end: v } : x)),
                        )
                      }
                    />
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={t('removeHours', { day: t(day), start: iv.start, end: iv.end })}
                      onClick={() =>
                        setDay(
                          day,
                          list.filter((_, j) => j !== i),
                        )
                      }
                    >
                      <XIcon />
                    </button>
                  </span>
                ))}
                <button
                  type="button"
                  className="button small ghost"
                  onClick={() => {
                    const last = list.at(-1);
                    setDay(day, [
                      ...list,
                      last ? { start: last.end === '24:00' ? '00:00' : last.end, end: '24:00' } : { start: '09:00', end: '17:00' },
                    ]);
                  }}
                  aria-label={`${t('addHours')}: ${t(day)}`}
                >
                  <PlusIcon /> {t('addHours')}
                </button>
                {problems.length > 0 && (
                  <span className="form-error" role="alert">
                    {problems.join(' ')}
                  </span>
                )}
              </div>
            </div>
          );
        })}
        <div>
          <button
            type="button"
            className="button small"
            onClick={() =>
              setForm((f) => ({
                ...f,
                weekly: { ...f.weekly, ...Object.fromEntries(WEEKDAY_LIST.slice(1, 5).map((d) => [d, [...(f.weekly.monday ?? [])]])) },
              }))
            }
          >
            {t('copyWeekdays')}
          </button>
        </div>
        {errorsUnder(err, 'weekly')
          .filter((m) => !WEEKDAY_LIST.some((d) => errorsUnder(err, `weekly.${d}`).includes(m)))
          .map((m) => (
            <span key={m} className="form-error" role="alert">
              {m}
            </span>
          ))}
      </fieldset>

      <fieldset className="bh-holidays">
        <legend className="tp-field-label">{t('holidays')}</legend>
        <p className="form-hint">{t('holidaysHint')}</p>
        {holidays.length === 0 && <p className="ops-subtle">{t('noHolidays')}</p>}
        <div className="ops-rows">
          {holidays.map((h, i) => {
            const problems = errorsUnder(err, `holidays.${i}`);
            return (
              <div key={i} className="ops-row">
                <label className="bh-holiday-field">
                  <span className="ops-subtle">{t('holidayDate')}</span>
                  <input
                    type="date"
                    value={h.date}
                    onChange={(e) => setHolidays(holidays.map((x, j) => (j === i ? { ...x, date: e.target.value } : x)))}
                  />
                </label>
                <label className="bh-holiday-field ops-grow">
                  <span className="ops-subtle">{t('holidayName')}</span>
                  <input
                    type="text"
                    value={h.name ?? ''}
                    maxLength={120}
                    placeholder={t('holidayNamePlaceholder')}
                    onChange={(e) => setHolidays(holidays.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
                  />
                </label>
                {h.closed && h.closed.length > 0 && (
                  <span className="ops-subtle bh-partial">
                    {t('partialHoliday', { hours: h.closed.map((c) => `${c.start}–${c.end}`).join(', ') })}
                  </span>
                )}
                <button
                  type="button"
                  className="icon-button bh-remove"
                  aria-label={t('removeHoliday', { date: h.date || String(i + 1) })}
                  onClick={() => setHolidays(holidays.filter((_, j) => j !== i))}
                >
                  <XIcon />
                </button>
                {problems.length > 0 && (
                  <span className="form-error bh-row-error" role="alert">
                    {problems.join(' ')}
                  </span>
                )}
              </div>
            );
          })}
        </div>
        <div>
          <button type="button" className="button small" onClick={() => setHolidays([...holidays, { date: '', name: '' }])}>
            <PlusIcon /> {t('addHoliday')}
          </button>
        </div>
      </fieldset>

      <div className="ops-editor">
        <div>
          <div className="tp-field-label">{t('appliesTo')}</div>
          <p className="form-hint">{t('appliesHint')}</p>
        </div>
        {teams.data && teams.data.length > 0 ? (
          <CheckboxGroup
            legend={t('teams')}
            options={teams.data.map((x) => ({ value: x.id, label: x.name }))}
            value={form.teamIds}
            onChange={(teamIds) => setForm({ ...form, teamIds })}
          />
        ) : (
          <p className="ops-subtle">{t('noTeams')}</p>
        )}
        {channels.data && channels.data.length > 0 && (
          <CheckboxGroup
            legend={t('channels')}
            options={channels.data.map((x) => ({ value: x.id, label: x.name }))}
            value={form.channelIds}
            onChange={(channelIds) => setForm({ ...form, channelIds })}
          />
        )}
      </div>

      <ErrorBanner
        error={err}
        inline={['name', 'timeZone', 'weekly', 'holidays']}
        labels={{ teamIds: t('teams'), channelIds: t('channels') }}
      />
      <div className="form-actions">
        <button type="button" className="button" onClick={onDone}>
          {t('cancel')}
        </button>
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? t('saving') : t('save')}
        </button>
      </div>
    </form>
  );
}
