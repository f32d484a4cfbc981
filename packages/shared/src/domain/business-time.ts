/**
 * Business-time arithmetic over a calendar: an IANA time zone, a weekly schedule of local [start, end) intervals
 * (split shifts are several intervals a day) and holidays (whole-day or partial closures). Pure; time zones come
 * from `Intl.DateTimeFormat` only.
 *
 * Rules (see docs/sla.md):
 * - Times are local wall-clock "HH:MM", 00:00..24:00; an interval needs end > start. An overnight shift
 *   22:00-06:00 is written as 22:00-24:00 on one day and 00:00-06:00 on the next: the two are contiguous in time,
 *   so business time flows across midnight without a gap.
 * - A local time that does not exist (spring-forward gap) resolves to the same wall-clock reading after the gap,
 *   i.e. it moves forward by the gap length (Berlin 2026-03-29 02:30 -> 03:30 CEST). A local time that occurs twice
 *   (fall-back) resolves to its FIRST occurrence (Berlin 2026-10-25 02:30 -> 02:30 CEST). This is the
 *   "compatible" disambiguation of Temporal and RFC 5545. Business seconds are always real elapsed seconds.
 * - `addBusinessSeconds` returns the first instant at which the amount has elapsed (an interval's end, not the
 *   next opening, when the amount runs out exactly at closing time). Adding 0 returns the start unchanged.
 */

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface LocalInterval {
  /** "HH:MM" local wall-clock time, inclusive. */
  start: string;
  /** "HH:MM" local wall-clock time, exclusive; "24:00" is the end of the day. */
  end: string;
}

export interface Holiday {
  /** Local date "YYYY-MM-DD". */
  date: string;
  name?: string;
  /** Closed only during these local intervals; absent or empty = closed all day. */
  closed?: LocalInterval[];
}

export interface BusinessCalendar {
  timeZone: string;
  /** Open intervals per weekday; a missing day is closed. */
  weekly: Partial<Record<Weekday, LocalInterval[]>>;
  holidays?: Holiday[];
}

export const ALWAYS_OPEN_DAY: LocalInterval[] = [{ start: '00:00', end: '24:00' }];

/** A 24/7 calendar in a zone (business time == elapsed time). */
export function alwaysOpen(timeZone = 'UTC'): BusinessCalendar {
  return { timeZone, weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, ALWAYS_OPEN_DAY])) };
}

const DAY_MS = 86_400_000;
/** How far the search for an opening goes before it gives up (a calendar with no open time at all). */
const HORIZON_DAYS = 3 * 366;

// ---------------------------------------------------------------------------------------------------------------
// Validation

const HHMM = /^([01]\d|2[0-4]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseLocalTime(hhmm: string): number | null {
  const m = HHMM.exec(hhmm);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes > 24 * 60 ? null : minutes;
}

export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isValidDate(date: string): boolean {
  const m = DATE.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function intervalProblems(list: LocalInterval[], path: string): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const parsed: { s: number; e: number; i: number }[] = [];
  list.forEach((iv, i) => {
    const s = parseLocalTime(iv.start);
    const e = parseLocalTime(iv.end);
    if (s === null) problems.push({ path: `${path}.${i}.start`, message: `"${iv.start}" is not a time HH:MM between 00:00 and 24:00` });
    if (e === null) problems.push({ path: `${path}.${i}.end`, message: `"${iv.end}" is not a time HH:MM between 00:00 and 24:00` });
    if (s === null || e === null) return;
    if (e <= s) {
      problems.push({
        path: `${path}.${i}`,
        message: `end ${iv.end} must be after start ${iv.start} (write an overnight shift as ..-24:00 and 00:00-.. on the next day)`,
      });
      return;
    }
    parsed.push({ s, e, i });
  });
  parsed.sort((a, b) => a.s - b.s);
  for (let k = 1; k < parsed.length; k++) {
    const prev = parsed[k - 1]!;
    const cur = parsed[k]!;
    if (cur.s < prev.e) {
      problems.push({
        path: `${path}.${cur.i}`,
        message: `${list[cur.i]!.start}-${list[cur.i]!.end} overlaps ${list[prev.i]!.start}-${list[prev.i]!.end}`,
      });
    }
  }
  return problems;
}

/** Every problem of a calendar definition, with a path and a message a human can act on. Empty = valid. */
export function calendarProblems(cal: BusinessCalendar): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (!isValidTimeZone(cal.timeZone)) problems.push({ path: 'timeZone', message: `"${cal.timeZone}" is not a known IANA time zone` });
  for (const [day, list] of Object.entries(cal.weekly ?? {})) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      problems.push({ path: `weekly.${day}`, message: `"${day}" is not a weekday (use ${WEEKDAYS.join(', ')})` });
      continue;
    }
    problems.push(...intervalProblems(list ?? [], `weekly.${day}`));
  }
  const weekly = Object.values(cal.weekly ?? {});
  if (!weekly.some((list) => (list ?? []).length > 0))
    problems.push({ path: 'weekly', message: 'The calendar is never open: give at least one weekday an interval' });
  const seen = new Set<string>();
  (cal.holidays ?? []).forEach((h, i) => {
    if (!isValidDate(h.date)) problems.push({ path: `holidays.${i}.date`, message: `"${h.date}" is not a date YYYY-MM-DD` });
    else if (seen.has(h.date)) problems.push({ path: `holidays.${i}.date`, message: `${h.date} is listed twice` });
    seen.add(h.date);
    if (h.closed) problems.push(...intervalProblems(h.closed, `holidays.${i}.closed`));
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Time zones

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The local wall-clock reading of an instant, as milliseconds of a pseudo-UTC timeline. */
function localMs(zone: string, t: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  // Intl drops milliseconds; keep them so the offset is exact.
  return wall + (((t % 1000) + 1000) % 1000);
}

const offsetAt = (zone: string, t: number) => localMs(zone, t) - t;

/** The instant of a local wall-clock reading, with the gap/overlap rule documented at the top. */
export function instantOfLocal(zone: string, local: number): number {
  // Offsets a day before and after bracket any single transition near this reading.
  const before = offsetAt(zone, local - DAY_MS);
  const after = offsetAt(zone, local + DAY_MS);
  const candidates = [local - before, local - after].filter((t) => localMs(zone, t) === local);
  if (candidates.length > 0) return Math.min(...candidates); // repeated reading: the first occurrence
  // Skipped reading: with the pre-transition offset we land on the same reading after the gap.
  return local - before;
}

/** The local calendar date of an instant, as the pseudo-UTC midnight of that date. */
function localDayStart(zone: string, t: number): number {
  const l = localMs(zone, t);
  return l - (((l % DAY_MS) + DAY_MS) % DAY_MS);
}

const isoDate = (dayStart: number) => new Date(dayStart).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------------------------
// Open intervals

type Span = [start: number, end: number];

function subtract(open: Span[], closed: Span[]): Span[] {
  let out = open;
  for (const [cs, ce] of closed) {
    out = out.flatMap(([s, e]): Span[] => {
      if (ce <= s || cs >= e) return [[s, e]];
      const parts: Span[] = [];
      if (cs > s) parts.push([s, cs]);
      if (ce < e) parts.push([ce, e]);
      return parts;
    });
  }
  return out;
}

const toSpans = (list: LocalInterval[] | undefined): Span[] =>
  (list ?? [])
    .map((iv): Span => [parseLocalTime(iv.start) ?? 0, parseLocalTime(iv.end) ?? 0])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);

/** The open real-time spans (epoch ms) of one local date, in order. */
function openSpansOfDay(cal: BusinessCalendar, dayStart: number): Span[] {
  const weekday = WEEKDAYS[new Date(dayStart).getUTCDay()]!;
  let minutes = toSpans(cal.weekly[weekday]);
  const date = isoDate(dayStart);
  const holiday = cal.holidays?.find((h) => h.date === date);
  if (holiday) minutes = holiday.closed && holiday.closed.length > 0 ? subtract(minutes, toSpans(holiday.closed)) : [];
  return minutes
    .map(([s, e]): Span => [instantOfLocal(cal.timeZone, dayStart + s * 60_000), instantOfLocal(cal.timeZone, dayStart + e * 60_000)])
    .filter(([s, e]) => e > s);
}

/**
 * Open spans that end after `from`, clipped to start no earlier than `from`, in time order (contiguous spans, like
 * the two halves of an overnight shift, follow each other without a gap). Lazy: callers stop when they have enough.
 */
function* openSpansFrom(cal: BusinessCalendar, from: number): Generator<Span> {
  // Start one local day early: DST resolution can move a boundary of the previous day past midnight.
  let day = localDayStart(cal.timeZone, from) - DAY_MS;
  for (let i = 0; i < HORIZON_DAYS; i++, day += DAY_MS) {
    for (const [s, e] of openSpansOfDay(cal, day)) if (e > from) yield [Math.max(s, from), e];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The four operations

export function isOpen(cal: BusinessCalendar, instant: Date): boolean {
  const t = instant.getTime();
  const day = localDayStart(cal.timeZone, t);
  return [day - DAY_MS, day].some((d) => openSpansOfDay(cal, d).some(([s, e]) => s <= t && t < e));
}

/** The first instant at or after `instant` at which the calendar is open; null if it never opens. */
export function nextOpening(cal: BusinessCalendar, instant: Date): Date | null {
  const first = openSpansFrom(cal, instant.getTime()).next();
  return first.done ? null : new Date(first.value[0]);
}

/** The instant at which `seconds` of business time have elapsed after `start`. */
export function addBusinessSeconds(cal: BusinessCalendar, start: Date, seconds: number): Date {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('seconds must be a finite number >= 0');
  if (seconds === 0) return new Date(start.getTime());
  let remaining = seconds * 1000;
  for (const [s, e] of openSpansFrom(cal, start.getTime())) {
    if (e - s >= remaining) return new Date(s + remaining);
    remaining -= e - s;
  }
  throw new RangeError(`The calendar has no ${seconds} business seconds within ${HORIZON_DAYS} days of ${start.toISOString()}`);
}

/** Business seconds in [a, b) (negative when b is before a). */
export function businessSecondsBetween(cal: BusinessCalendar, a: Date, b: Date): number {
  const from = a.getTime();
  const to = b.getTime();
  if (to < from) return -businessSecondsBetween(cal, b, a);
  let total = 0;
  for (const [s, e] of openSpansFrom(cal, from)) {
    if (s >= to) break;
    total += Math.min(e, to) - s;
  }
  return total / 1000;
}
