import { useId, useState, type FormEvent } from 'react';
import { Dialog } from '../../../components/dialog';
import { Field, useAutoFocus } from '../../../components/form';
import { defineMessages } from '../../../i18n';
import { fullTime } from '../../../lib/format';

const t = defineMessages('conversation.snooze', {
  title: 'Snooze until…',
  when: 'Date and time',
  hint: 'The conversation reopens then, or earlier when the customer writes.',
  required: 'Pick a date and time',
  past: 'Pick a time in the future',
  tooFar: 'Snooze for at most a year',
  cancel: 'Cancel',
  snooze: 'Snooze',
  until: 'Until {time}',
});

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** A Date as the value of an <input type="datetime-local"> (local time, minutes). */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Why a chosen snooze time cannot be used, or null (the server checks the same: in the future, within a year). */
export function snoozeError(value: string, now = Date.now()): string | null {
  if (!value) return t('required');
  const at = new Date(value).getTime();
  if (!Number.isFinite(at)) return t('required');
  if (at <= now) return t('past');
  if (at - now > YEAR_MS) return t('tooFar');
  return null;
}

/** Snooze to a chosen date and time (in the agent's time zone). */
export function SnoozeDialog({ onSnooze, onClose }: { onSnooze(until: Date): void; onClose(): void }) {
  const [value, setValue] = useState(() => {
    const d = new Date();
    d.setDate(d.getDate() + 1);
    d.setHours(9, 0, 0, 0);
    return toLocalInput(d);
  });
  const [error, setError] = useState<string | null>(null);
  const input = useAutoFocus<HTMLInputElement>();
  const formId = useId();

  function submit(e: FormEvent) {
    e.preventDefault();
    const problem = snoozeError(value);
    setError(problem);
    if (problem) return input.current?.focus();
    onSnooze(new Date(value));
    onClose();
  }

  const preview = !snoozeError(value) ? t('until', { time: fullTime(new Date(value).toISOString()) }) : null;
  return (
    <Dialog
      title={t('title')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" form={formId} className="button primary">
            {t('snooze')}
          </button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={submit} noValidate>
        <Field label={t('when')} hint={preview ? `${preview}. ${t('hint')}` : t('hint')} error={error}>
          <input
            ref={input}
            type="datetime-local"
            value={value}
            min={toLocalInput(new Date())}
            onChange={(e) => {
              setValue(e.target.value);
              if (error) setError(snoozeError(e.target.value));
            }}
            data-testid="snooze-at"
          />
        </Field>
      </form>
    </Dialog>
  );
}
