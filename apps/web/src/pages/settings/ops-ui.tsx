import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import { ChevronDownIcon, HashIcon, MailIcon, MessageIcon, PhoneIcon } from '../../components/icons';
import { defineMessages } from '../../i18n';
import { customerName } from '../../lib/format';
import { keys, lookupsApi, type ChannelKind } from './api/ops';
import './ops-ui.css';

/**
 * Pieces shared by the operations settings screens (channels, routing, business hours, SLA, macros, automation):
 * readable errors, duration and list inputs, checkbox groups, reorder buttons, pickers. Generic form pieces
 * (Field, Toggle, CopyButton, ConfirmDialog) come from components/form.tsx.
 */
const t = defineMessages('settings.ops', {
  required: 'Fill this in.',
  tooLong: 'Use at most {max} characters.',
  tooSmallNumber: 'Use {min} or more.',
  tooBigNumber: 'Use {max} or less.',
  pickOne: 'Choose one of the options in the list.',
  email: 'Enter an email address such as support@example.com.',
  url: 'Enter a full address starting with https://',
  invalid: 'This value is not valid.',
  forbidden: 'Your role does not allow this. Ask an admin.',
  minutes: 'minutes',
  hours: 'hours',
  days: 'days',
  unit: 'Unit',
  moveUp: 'Move {name} up',
  moveDown: 'Move {name} down',
  none: 'None',
  conversation: 'Conversation',
  noConversations: 'No conversations yet: create one in the inbox first.',
  conversationOption: '#{number} · {who} · {subject}',
  noSubject: 'no subject',
  listHint: 'Separate values with commas.',
  and: '{first} and {last}',
});

// ---------- errors ----------

/** A zod or server message in words a person understands (never "Invalid UUID"). */
export function readableMessage(message: string): string {
  const m = message.trim();
  let r: RegExpMatchArray | null;
  if (/^Too small: expected (string|array)/i.test(m)) return t('required');
  if ((r = m.match(/^Too big: expected string to have <=?\s*(\d+)/i))) return t('tooLong', { max: r[1]! });
  if ((r = m.match(/^Too small: expected number to be >=?\s*([\d.]+)/i))) return t('tooSmallNumber', { min: r[1]! });
  if ((r = m.match(/^Too big: expected number to be <=?\s*([\d.]+)/i))) return t('tooBigNumber', { max: r[1]! });
  if (/invalid uuid|invalid option|expected one of/i.test(m)) return t('pickOne');
  if (/invalid email/i.test(m)) return t('email');
  if (/invalid url/i.test(m)) return t('url');
  if (/^Invalid input/i.test(m) || /^Required$/i.test(m)) return t('invalid');
  return m;
}

/** The readable error of one field (`name`, `config.address`, `weekly.monday.0`), for the Field under it. */
export function fieldError(err: unknown, field: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const msg = err.fieldError(field);
  return msg ? readableMessage(msg) : undefined;
}

/** Readable messages of every problem at or under `prefix` (`weekly.monday` matches `body.weekly.monday.1`). */
export function errorsUnder(err: unknown, prefix: string): string[] {
  if (!(err instanceof ApiError)) return [];
  return err.errors
    .filter((e) => {
      const path = e.path.replace(/^body\./, '');
      return path === prefix || path.startsWith(`${prefix}.`);
    })
    .map((e) => readableMessage(e.message));
}

/** A sentence for a banner: a 403 says the role cannot, validation lists each problem readably. */
export function readableError(err: unknown, labels: Record<string, string> = {}): string {
  if (err instanceof ApiError) {
    if (err.status === 403) return err.detail && err.code !== 'forbidden' ? err.detail : t('forbidden');
    if (err.errors.length > 0)
      return err.errors
        .map((e) => {
          const path = e.path.replace(/^body\./, '');
          const label = Object.entries(labels).find(([k]) => path === k || path.startsWith(`${k}.`))?.[1];
          return label ? `${label}: ${readableMessage(e.message)}` : readableMessage(e.message);
        })
        .join(' · ');
  }
  return errorMessage(err);
}

/**
 * The error of a form as a banner. `inline` lists the fields the form shows errors under: problems with those
 * (and anything under them) are left out here, and no banner shows when they are all there is.
 */
export function ErrorBanner({ error, labels, inline = [] }: { error: unknown; labels?: Record<string, string>; inline?: string[] }) {
  if (!error) return null;
  let shown = error;
  if (error instanceof ApiError && error.errors.length > 0 && inline.length > 0) {
    const under = (path: string, f: string) => path === f || path.startsWith(`${f}.`);
    const rest = error.errors.filter((e) => !inline.some((f) => under(e.path.replace(/^(body|querystring)\./, ''), f)));
    if (rest.length === 0) return null;
    shown = new ApiError(error.status, error.code, error.detail, rest, error.body);
  }
  return (
    <div className="alert alert-error ops-banner" role="alert">
      {readableError(shown, labels)}
    </div>
  );
}

/**
 * A ref for a form that, when `error` changes to a new error, moves focus to the first invalid field (or scrolls
 * the error banner into view), so a problem far up a long form is not missed.
 */
export function useFocusError<T extends HTMLElement = HTMLFormElement>(error: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (!error || !ref.current) return;
    const field = ref.current.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (field) field.focus();
    else ref.current.querySelector('[role="alert"]')?.scrollIntoView({ block: 'center' });
  }, [error]);
  return ref;
}

// ---------- formatting ----------

/** "45 min", "2 h", "1 h 30 min", "3 d", "1 d 4 h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const neg = seconds < 0;
  let s = Math.abs(Math.round(seconds));
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  const parts = [d ? `${d} d` : '', h ? `${h} h` : '', m && !d ? `${m} min` : ''].filter(Boolean);
  if (parts.length === 0) parts.push(seconds === 0 ? '0 min' : '< 1 min');
  return (neg ? '−' : '') + parts.join(' ');
}

/** "a, b and c". */
export function joinList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return t('and', { first: items.slice(0, -1).join(', '), last: items.at(-1)! });
}

/** Parses "a, b ,c" into ['a', 'b', 'c'] (empty parts dropped). */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

// ---------- inputs ----------

type UnitKey = 'minutes' | 'hours' | 'days';
const UNITS: Record<UnitKey, number> = { minutes: 60, hours: 3600, days: 86_400 };

/** The largest unit that divides the value exactly (2 h rather than 120 min). */
function unitFor(seconds: number | null): UnitKey {
  if (!seconds) return 'minutes';
  if (seconds % 86_400 === 0) return 'days';
  if (seconds % 3600 === 0) return 'hours';
  return 'minutes';
}

/**
 * A duration in minutes, hours or days, stored as seconds. Empty means "no target" (null). Changing the unit keeps
 * the number ("30" hours becomes "30" minutes), as people type the number first. The number input takes the `id`
 * a surrounding Field gives it, so the Field's label names it.
 */
export function DurationInput({
  value,
  onChange,
  name,
  id,
  disabled,
  'aria-describedby': describedBy,
  'aria-invalid': invalid,
}: {
  value: number | null;
  onChange: (seconds: number | null) => void;
  /** What the duration is ("First response"), for the unit select's accessible name. */
  name?: string;
  id?: string;
  disabled?: boolean;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}) {
  const [unit, setUnit] = useState<UnitKey>(() => unitFor(value));
  const [text, setText] = useState(() => (value === null ? '' : String(value / UNITS[unitFor(value)])));
  const emit = (amount: string, u: UnitKey) => {
    const n = amount.trim() === '' ? null : Number(amount);
    onChange(n === null || !Number.isFinite(n) ? null : Math.round(n * UNITS[u]));
  };
  return (
    <span className="ops-duration">
      <input
        id={id}
        type="number"
        min={0}
        step="any"
        inputMode="decimal"
        value={text}
        disabled={disabled}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        onChange={(e) => {
          setText(e.target.value);
          emit(e.target.value, unit);
        }}
      />
      <select
        className="select"
        aria-label={name ? `${name} (${t('unit')})` : t('unit')}
        value={unit}
        disabled={disabled}
        onChange={(e) => {
          const next = e.target.value as UnitKey;
          setUnit(next);
          emit(text, next);
        }}
      >
        {(Object.keys(UNITS) as UnitKey[]).map((u) => (
          <option key={u} value={u}>
            {t(u)}
          </option>
        ))}
      </select>
    </span>
  );
}

/** A text input holding a comma-separated list (tags, segments). */
export function ListInput({
  value,
  onChange,
  id,
  placeholder,
  'aria-describedby': describedBy,
  'aria-invalid': invalid,
}: {
  value: string[];
  onChange: (list: string[]) => void;
  id?: string;
  placeholder?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}) {
  return (
    <input
      id={id}
      type="text"
      defaultValue={value.join(', ')}
      placeholder={placeholder}
      aria-describedby={describedBy}
      aria-invalid={invalid}
      onChange={(e) => onChange(splitList(e.target.value))}
    />
  );
}
export const listHint = () => t('listHint');

/** A fieldset of checkboxes over a fixed set of options; the legend names the group. */
export function CheckboxGroup<T extends string>({
  legend,
  options,
  value,
  onChange,
  hint,
}: {
  legend: string;
  options: { value: T; label: string }[];
  value: T[];
  onChange: (next: T[]) => void;
  hint?: ReactNode;
}) {
  const hintId = useId();
  return (
    <fieldset className="ops-checks" aria-describedby={hint ? hintId : undefined}>
      <legend className="tp-field-label">{legend}</legend>
      <div className="ops-checks-list">
        {options.map((o) => (
          <label key={o.value} className="ops-check">
            <input
              type="checkbox"
              checked={value.includes(o.value)}
              onChange={(e) => {
                // Kept in the options' order, whatever order they were ticked in.
                const next = e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value);
                onChange(options.map((x) => x.value).filter((v) => next.includes(v)));
              }}
            />
            {o.label}
          </label>
        ))}
      </div>
      {hint && (
        <span id={hintId} className="form-hint">
          {hint}
        </span>
      )}
    </fieldset>
  );
}

/** Up/down buttons for an ordered list; each says which item it moves. */
export function MoveButtons({
  name,
  onUp,
  onDown,
  disabled,
}: {
  name: string;
  onUp?: () => void;
  onDown?: () => void;
  disabled?: boolean;
}) {
  return (
    <span className="ops-move">
      <button type="button" className="icon-button" aria-label={t('moveUp', { name })} disabled={disabled || !onUp} onClick={onUp}>
        <ChevronDownIcon className="ops-flip" />
      </button>
      <button type="button" className="icon-button" aria-label={t('moveDown', { name })} disabled={disabled || !onDown} onClick={onDown}>
        <ChevronDownIcon />
      </button>
    </span>
  );
}

/** `list` with the item at `index` moved by `delta` (-1 up, +1 down). */
export function moved<T>(list: T[], index: number, delta: number): T[] {
  const next = [...list];
  const [item] = next.splice(index, 1);
  next.splice(index + delta, 0, item!);
  return next;
}

// ---------- channel kinds ----------

const GlobeIcon = () => (
  <svg width={16} height={16} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} aria-hidden="true">
    <circle cx="12" cy="12" r="9" />
    <path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18" />
  </svg>
);
const CodeIcon = () => (
  <svg width={16} height={16} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} aria-hidden="true">
    <path d="m8 8-4 4 4 4M16 8l4 4-4 4" />
  </svg>
);

export function ChannelKindIcon({ kind }: { kind: ChannelKind | string }) {
  const icon =
    kind === 'web' ? (
      <GlobeIcon />
    ) : kind === 'email' ? (
      <MailIcon />
    ) : kind === 'voice' ? (
      <PhoneIcon />
    ) : kind === 'api' ? (
      <CodeIcon />
    ) : kind === 'other' ? (
      <HashIcon />
    ) : (
      <MessageIcon />
    );
  return <span className={`ops-kind-icon kind-${kind}`}>{icon}</span>;
}

// ---------- lookups ----------

/** Teams, users and recent conversations, for selects; cached for the settings screens. */
export function useTeams() {
  return useQuery({ queryKey: keys.teams, queryFn: lookupsApi.teams, staleTime: 60_000 });
}
export function useUsers() {
  return useQuery({ queryKey: keys.users, queryFn: lookupsApi.users, staleTime: 60_000 });
}
export function useRecentConversations(enabled = true) {
  return useQuery({ queryKey: keys.recentConversations, queryFn: lookupsApi.recentConversations, enabled, staleTime: 10_000 });
}

/** A select of the ten most recently active conversations (for a dry run or a macro preview). */
export function ConversationSelect({
  value,
  onChange,
  id,
  'aria-describedby': describedBy,
}: {
  value: string;
  onChange: (id: string) => void;
  id?: string;
  'aria-describedby'?: string;
}) {
  const recent = useRecentConversations();
  const list = recent.data ?? [];
  if (recent.isSuccess && list.length === 0) return <p className="form-hint">{t('noConversations')}</p>;
  return (
    <select id={id} className="select" value={value} aria-describedby={describedBy} onChange={(e) => onChange(e.target.value)}>
      {list.map((c) => (
        <option key={c.id} value={c.id}>
          {t('conversationOption', {
            number: c.number,
            who: customerName(c.customer ?? undefined),
            subject: c.subject || c.lastMessagePreview?.slice(0, 40) || t('noSubject'),
          })}
        </option>
      ))}
    </select>
  );
}

/** A name for an id from a list, or a short form of the id when the list does not have it (deleted). */
export function nameOf(list: { id: string; name: string }[] | undefined, id: string | null | undefined): string {
  if (!id) return t('none');
  return list?.find((x) => x.id === id)?.name ?? `${id.slice(0, 8)}…`;
}
