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
 * - There is no search horizon. Long spans are crossed a week at a time: a week with no holiday and no UTC-offset
 *   change near it holds exactly the weekly schedule's open time, so it costs one offset lookup instead of seven
 *   days of interval maths; only holiday and DST weeks are expanded day by day. A calendar whose weekly schedule is
 *   never open has no opening and no due time (null), never an endless search or an exception.
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
const WEEK_MS = 7 * DAY_MS;
const MIN_WEEKLY_OPEN_MS = 3_600_000;

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
  // Business time crosses a span a week at a time, so a near-empty week would put a one-year SLA target thousands
  // of years away and take seconds to compute; an hour a week keeps any accepted target within ~170 years (~50 ms).
  else if (problems.length === 0 && weeklyOf(cal).weekMs < MIN_WEEKLY_OPEN_MS)
    problems.push({ path: 'weekly', message: 'The calendar must be open at least one hour a week' });
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

const dayMs = (spans: Span[]) => spans.reduce((sum, [s, e]) => sum + (e - s), 0);

interface Weekly {
  /** Open time of a regular week (no holiday, no offset change), from the weekly schedule alone. */
  weekMs: number;
  /** Local dates (pseudo-UTC midnights) of the holidays, to tell whether a week has one. */
  holidayDays: number[];
}

function weeklyOf(cal: BusinessCalendar): Weekly {
  const weekMs = WEEKDAYS.reduce((sum, d) => sum + toSpans(cal.weekly[d]).reduce((m, [s, e]) => m + (e - s), 0) * 60_000, 0);
  const holidayDays = (cal.holidays ?? []).map((h) => Date.parse(`${h.date}T00:00:00Z`)).filter((d) => Number.isFinite(d));
  return { weekMs, holidayDays };
}

/**
 * The open time of the seven local days from `week` on. The offset is sampled in the middle of this week and of
 * its neighbours: equal samples mean no DST transition within 3.5 days of this week (a transition can move a day's
 * boundary across midnight, so the days around count too) and the week holds exactly the weekly schedule. This
 * assumes no zone changes its offset and back again within two weeks, which no zone in the tz database does.
 */
function weekMsFrom(cal: BusinessCalendar, w: Weekly, week: number, offsets: Map<number, number>): number {
  const offset = (mid: number) => {
    let o = offsets.get(mid);
    if (o === undefined) {
      o = offsetAt(cal.timeZone, mid);
      offsets.set(mid, o);
    }
    return o;
  };
  const mid = week + WEEK_MS / 2;
  const regular =
    !w.holidayDays.some((d) => d >= week && d < week + WEEK_MS) &&
    offset(mid - WEEK_MS) === offset(mid) &&
    offset(mid) === offset(mid + WEEK_MS);
  offsets.delete(mid - WEEK_MS); // walking forward, never needed again
  if (regular) return w.weekMs;
  let total = 0;
  for (let d = week; d < week + WEEK_MS; d += DAY_MS) total += dayMs(openSpansOfDay(cal, d));
  return total;
}

/**
 * Open spans that end after `from`, clipped to start no earlier than `from`, in time order (contiguous spans, like
 * the two halves of an overnight shift, follow each other without a gap). The first days are walked one by one;
 * from then on, a week the caller chooses to `skip` (given its first local day and open time) is yielded as its
 * total open milliseconds instead of its spans. Ends when the weekly schedule is never open: nothing opens again.
 */
function* openSpansFrom(cal: BusinessCalendar, from: number, skip: (week: number, weekMs: number) => boolean): Generator<Span | number> {
  // Start one local day early: DST resolution can move a boundary of the previous day past midnight.
  const first = localDayStart(cal.timeZone, from) - DAY_MS;
  for (let day = first; day < first + 3 * DAY_MS; day += DAY_MS) {
    for (const [s, e] of openSpansOfDay(cal, day)) if (e > from) yield [Math.max(s, from), e];
  }
  const w = weeklyOf(cal);
  if (w.weekMs === 0) return;
  const offsets = new Map<number, number>();
  for (let week = first + 3 * DAY_MS; ; week += WEEK_MS) {
    const total = weekMsFrom(cal, w, week, offsets);
    if (skip(week, total)) {
      yield total;
      continue;
    }
    for (let d = week; d < week + WEEK_MS; d += DAY_MS) yield* openSpansOfDay(cal, d);
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
  for (const span of openSpansFrom(cal, instant.getTime(), (_, ms) => ms === 0)) if (typeof span !== 'number') return new Date(span[0]);
  return null;
}

/**
 * The instant at which `seconds` of business time have elapsed after `start`; null when the calendar's weekly
 * schedule is never open (no due time), which saving a calendar refuses but stored data may still hold.
 */
export function addBusinessSeconds(cal: BusinessCalendar, start: Date, seconds: number): Date | null {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('seconds must be a finite number >= 0');
  if (seconds === 0) return new Date(start.getTime());
  let remaining = seconds * 1000;
  // Skip a week only when the amount outlasts it: running out exactly at a week's last closing time must return
  // that closing time, which only walking the week finds.
  for (const span of openSpansFrom(cal, start.getTime(), (_, ms) => ms < remaining)) {
    if (typeof span === 'number') {
      remaining -= span;
      continue;
    }
    const [s, e] = span;
    if (e - s >= remaining) return new Date(s + remaining);
    remaining -= e - s;
  }
  return null;
}

/** Business seconds in [a, b) (negative when b is before a). */
export function businessSecondsBetween(cal: BusinessCalendar, a: Date, b: Date): number {
  const from = a.getTime();
  const to = b.getTime();
  if (to < from) return -businessSecondsBetween(cal, b, a);
  // A week may be counted whole when it ends a day or more before the local date of `to`: then all its spans end
  // before `to`, even with a DST shift at its end.
  const lastWhole = localDayStart(cal.timeZone, to) - DAY_MS;
  let total = 0;
  for (const span of openSpansFrom(cal, from, (week) => week + WEEK_MS <= lastWhole)) {
    if (typeof span === 'number') {
      total += span;
      continue;
    }
    const [s, e] = span;
    if (s >= to) break;
    total += Math.min(e, to) - s;
  }
  return total / 1000;
}
