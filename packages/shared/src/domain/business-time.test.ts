import { describe, expect, it } from 'vitest';
import {
  addBusinessSeconds,
  alwaysOpen,
  businessSecondsBetween,
  calendarProblems,
  instantOfLocal,
  isOpen,
  nextOpening,
  type BusinessCalendar,
  type LocalInterval,
} from './business-time';

const z = (iso: string) => new Date(iso);
const H = 3600;
const nineToFive: LocalInterval[] = [{ start: '09:00', end: '17:00' }];
const weekdays = (zone: string, day: LocalInterval[] = nineToFive, holidays: BusinessCalendar['holidays'] = []): BusinessCalendar => ({
  timeZone: zone,
  weekly: { monday: day, tuesday: day, wednesday: day, thursday: day, friday: day },
  holidays,
});
/** Pseudo-UTC ms of a local wall-clock reading, for instantOfLocal. */
const wall = (iso: string) => Date.parse(`${iso}Z`);

describe('business time: weekly schedule and weekends', () => {
  const berlin = weekdays('Europe/Berlin');

  it('carries what is left on Friday over the weekend (Berlin, before DST)', () => {
    // Fri 2026-03-27 16:00 CET (UTC+1) = 15:00Z. 2h: 1h until 17:00 Friday, Sat/Sun closed,
    // Mon 2026-03-30 opens 09:00 CEST (UTC+2, DST began Sunday) = 07:00Z, +1h = 08:00Z.
    const due = addBusinessSeconds(berlin, z('2026-03-27T15:00:00Z'), 2 * H)!;
    expect(due.toISOString()).toBe('2026-03-30T08:00:00.000Z');
    expect(businessSecondsBetween(berlin, z('2026-03-27T15:00:00Z'), due)).toBe(2 * H);
  });

  it('ends at closing time when the amount runs out exactly then, and adding 0 is the identity', () => {
    // Mon 2026-03-30 16:00 CEST = 14:00Z; +1h = 17:00 CEST = 15:00Z (not Tuesday 09:00).
    expect(addBusinessSeconds(berlin, z('2026-03-30T14:00:00Z'), H)?.toISOString()).toBe('2026-03-30T15:00:00.000Z');
    expect(addBusinessSeconds(berlin, z('2026-03-28T10:00:00Z'), 0)?.toISOString()).toBe('2026-03-28T10:00:00.000Z');
  });

  it('starting while closed counts from the next opening', () => {
    // Sat 2026-03-28 10:00Z: closed. Next opening Mon 09:00 CEST = 07:00Z; +30 min = 07:30Z.
    expect(isOpen(berlin, z('2026-03-28T10:00:00Z'))).toBe(false);
    expect(nextOpening(berlin, z('2026-03-28T10:00:00Z'))?.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(addBusinessSeconds(berlin, z('2026-03-28T10:00:00Z'), 1800)?.toISOString()).toBe('2026-03-30T07:30:00.000Z');
    // nextOpening of an open instant is the instant itself.
    expect(nextOpening(berlin, z('2026-03-30T07:10:00Z'))?.toISOString()).toBe('2026-03-30T07:10:00.000Z');
  });

  it('counts business seconds between two instants, negative when reversed', () => {
    // Mon 2026-03-30 07:00Z (09:00 CEST) to Wed 2026-04-01 12:00Z (14:00 CEST): 8h + 8h + 5h = 21h.
    expect(businessSecondsBetween(berlin, z('2026-03-30T07:00:00Z'), z('2026-04-01T12:00:00Z'))).toBe(21 * H);
    expect(businessSecondsBetween(berlin, z('2026-04-01T12:00:00Z'), z('2026-03-30T07:00:00Z'))).toBe(-21 * H);
    // Entirely within a weekend: 0.
    expect(businessSecondsBetween(berlin, z('2026-03-28T00:00:00Z'), z('2026-03-29T20:00:00Z'))).toBe(0);
  });

  it('works in a zone with a half-hour offset (Asia/Kolkata, UTC+5:30, no DST)', () => {
    const kolkata = weekdays('Asia/Kolkata', [{ start: '09:00', end: '18:00' }]);
    // Mon 2026-06-01 03:00Z = 08:30 IST: closed; opens 09:00 IST = 03:30Z. 9h day, so +10h = Tue 09:00 IST + 1h
    // = Tue 10:00 IST = 04:30Z.
    expect(isOpen(kolkata, z('2026-06-01T03:00:00Z'))).toBe(false);
    expect(nextOpening(kolkata, z('2026-06-01T03:00:00Z'))?.toISOString()).toBe('2026-06-01T03:30:00.000Z');
    expect(addBusinessSeconds(kolkata, z('2026-06-01T03:00:00Z'), 10 * H)?.toISOString()).toBe('2026-06-02T04:30:00.000Z');
  });
});

describe('business time: split shifts and overnight shifts', () => {
  const split: BusinessCalendar = {
    timeZone: 'UTC',
    weekly: {
      monday: [
        { start: '13:00', end: '17:00' },
        { start: '09:00', end: '12:00' },
      ],
    },
  };

  it('skips the lunch gap', () => {
    // Mon 2026-06-01 11:00 + 2h: 1h until 12:00, lunch closed, 13:00 + 1h = 14:00.
    expect(addBusinessSeconds(split, z('2026-06-01T11:00:00Z'), 2 * H)?.toISOString()).toBe('2026-06-01T14:00:00.000Z');
    expect(isOpen(split, z('2026-06-01T12:30:00Z'))).toBe(false);
    expect(nextOpening(split, z('2026-06-01T12:30:00Z'))?.toISOString()).toBe('2026-06-01T13:00:00.000Z');
    // 09:00..17:00 holds 3h + 4h = 7h. The next Monday comes a week later.
    expect(businessSecondsBetween(split, z('2026-06-01T00:00:00Z'), z('2026-06-02T00:00:00Z'))).toBe(7 * H);
    expect(addBusinessSeconds(split, z('2026-06-01T16:00:00Z'), 2 * H)?.toISOString()).toBe('2026-06-08T10:00:00.000Z');
  });

  it('flows across midnight for an overnight shift written as 22:00-24:00 + 00:00-06:00', () => {
    const night: BusinessCalendar = {
      timeZone: 'UTC',
      weekly: { monday: [{ start: '22:00', end: '24:00' }], tuesday: [{ start: '00:00', end: '06:00' }] },
    };
    // Mon 2026-06-01 23:00 + 2h = Tue 01:00 (no gap at midnight).
    expect(addBusinessSeconds(night, z('2026-06-01T23:00:00Z'), 2 * H)?.toISOString()).toBe('2026-06-02T01:00:00.000Z');
    expect(isOpen(night, z('2026-06-02T00:00:00Z'))).toBe(true);
    expect(isOpen(night, z('2026-06-02T06:00:00Z'))).toBe(false); // end is exclusive
    expect(businessSecondsBetween(night, z('2026-06-01T00:00:00Z'), z('2026-06-03T00:00:00Z'))).toBe(8 * H);
  });
});

describe('business time: holidays', () => {
  const berlin = weekdays('Europe/Berlin', nineToFive, [
    { date: '2026-12-24', name: 'Christmas Eve', closed: [{ start: '12:00', end: '24:00' }] },
    { date: '2026-12-25', name: 'Christmas' },
  ]);

  it('skips whole-day and partial holidays', () => {
    // Thu 2026-12-24 11:00 CET = 10:00Z, 3h: 1h until the 12:00 closure; Fri 25th holiday; Sat/Sun closed;
    // Mon 28th 09:00 CET = 08:00Z + 2h = 10:00Z.
    expect(addBusinessSeconds(berlin, z('2026-12-24T10:00:00Z'), 3 * H)?.toISOString()).toBe('2026-12-28T10:00:00.000Z');
    expect(isOpen(berlin, z('2026-12-24T10:30:00Z'))).toBe(true);
    expect(isOpen(berlin, z('2026-12-24T11:30:00Z'))).toBe(false); // 12:30 CET, closed
    expect(isOpen(berlin, z('2026-12-25T10:00:00Z'))).toBe(false);
    // The week of the 21st: Mon-Wed 3 x 8h + Thursday morning 3h = 27h.
    expect(businessSecondsBetween(berlin, z('2026-12-21T00:00:00Z'), z('2026-12-28T00:00:00Z'))).toBe(27 * H);
  });
});

describe('business time: DST transitions', () => {
  it('resolves a skipped local time forward by the gap and a repeated one to its first occurrence', () => {
    // Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST at 01:00Z. 02:30 does not exist -> reads as 03:30 CEST = 01:30Z.
    expect(new Date(instantOfLocal('Europe/Berlin', wall('2026-03-29T02:30:00'))).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // Berlin 2026-10-25: 03:00 CEST falls back to 02:00 CET at 01:00Z. 02:30 happens at 00:30Z and 01:30Z -> 00:30Z.
    expect(new Date(instantOfLocal('Europe/Berlin', wall('2026-10-25T02:30:00'))).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    // New York 2026-03-08: 02:00 EST -> 03:00 EDT at 07:00Z; 02:15 -> 03:15 EDT = 07:15Z.
    expect(new Date(instantOfLocal('America/New_York', wall('2026-03-08T02:15:00'))).toISOString()).toBe('2026-03-08T07:15:00.000Z');
    // New York 2026-11-01: 02:00 EDT -> 01:00 EST at 06:00Z; 01:30 happens at 05:30Z and 06:30Z -> 05:30Z.
    expect(new Date(instantOfLocal('America/New_York', wall('2026-11-01T01:30:00'))).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('a 24/7 calendar counts real elapsed time through both Berlin transitions', () => {
    const cal = alwaysOpen('Europe/Berlin');
    // Sat 2026-03-28 12:00 CET (11:00Z) to Sun 12:00 CEST (10:00Z): a 23-hour day.
    expect(businessSecondsBetween(cal, z('2026-03-28T11:00:00Z'), z('2026-03-29T10:00:00Z'))).toBe(23 * H);
    // Sat 2026-10-24 12:00 CEST (10:00Z) to Sun 12:00 CET (11:00Z): a 25-hour day.
    expect(businessSecondsBetween(cal, z('2026-10-24T10:00:00Z'), z('2026-10-25T11:00:00Z'))).toBe(25 * H);
    expect(addBusinessSeconds(cal, z('2026-03-28T11:00:00Z'), 24 * H)?.toISOString()).toBe('2026-03-29T11:00:00.000Z');
    expect(isOpen(cal, z('2026-03-29T01:00:00Z'))).toBe(true);
    // 30 days of elapsed time, across the March transition.
    expect(addBusinessSeconds(cal, z('2026-03-15T00:00:00Z'), 30 * 24 * H)?.toISOString()).toBe('2026-04-14T00:00:00.000Z');
  });

  it('a shift spanning the spring-forward gap is an hour shorter (Berlin 2026-03-29)', () => {
    const cal: BusinessCalendar = { timeZone: 'Europe/Berlin', weekly: { sunday: [{ start: '01:00', end: '05:00' }] } };
    // 01:00 CET = 00:00Z; 05:00 CEST = 03:00Z: 3 real hours.
    expect(businessSecondsBetween(cal, z('2026-03-29T00:00:00Z'), z('2026-03-30T00:00:00Z'))).toBe(3 * H);
    // 00:00Z + 2h30 of business time = 02:30Z, which the wall clock reads as 04:30 CEST.
    expect(addBusinessSeconds(cal, z('2026-03-28T23:00:00Z'), 2.5 * H)?.toISOString()).toBe('2026-03-29T02:30:00.000Z');
  });

  it('a shift spanning the fall-back overlap is an hour longer (Berlin 2026-10-25)', () => {
    const cal: BusinessCalendar = { timeZone: 'Europe/Berlin', weekly: { sunday: [{ start: '01:00', end: '05:00' }] } };
    // 01:00 CEST = Sat 23:00Z; 05:00 CET = 04:00Z: 5 real hours.
    expect(businessSecondsBetween(cal, z('2026-10-24T12:00:00Z'), z('2026-10-25T12:00:00Z'))).toBe(5 * H);
    expect(isOpen(cal, z('2026-10-25T01:30:00Z'))).toBe(true); // the second 02:30, still inside the shift
  });

  it('New York: weekday hours across the March weekend, overnight shift across the November overlap', () => {
    const ny = weekdays('America/New_York');
    // Fri 2026-03-06 16:00 EST (UTC-5) = 21:00Z, 2h: 1h Friday; Mon 2026-03-09 09:00 EDT (UTC-4) = 13:00Z + 1h = 14:00Z.
    expect(addBusinessSeconds(ny, z('2026-03-06T21:00:00Z'), 2 * H)?.toISOString()).toBe('2026-03-09T14:00:00.000Z');
    const night: BusinessCalendar = {
      timeZone: 'America/New_York',
      weekly: { saturday: [{ start: '22:00', end: '24:00' }], sunday: [{ start: '00:00', end: '06:00' }] },
    };
    // Sat 2026-10-31 22:00 EDT = Sun 02:00Z; Sun 11-01 06:00 EST = 11:00Z: 9 real hours for 8 wall-clock hours.
    expect(businessSecondsBetween(night, z('2026-10-31T00:00:00Z'), z('2026-11-02T00:00:00Z'))).toBe(9 * H);
    // 8 business hours after the start is 10:00Z, which the wall clock reads as 05:00 EST.
    expect(addBusinessSeconds(night, z('2026-11-01T02:00:00Z'), 8 * H)?.toISOString()).toBe('2026-11-01T10:00:00.000Z');
  });

  it('Southern hemisphere: Sydney leaves DST on 2026-04-05 (03:00 AEDT -> 02:00 AEST)', () => {
    const sydney = weekdays('Australia/Sydney');
    // Fri 2026-04-03 16:00 AEDT (UTC+11) = 05:00Z, 2h: 1h Friday, Mon 04-06 09:00 AEST (UTC+10) = Sun 23:00Z + 1h.
    expect(addBusinessSeconds(sydney, z('2026-04-03T05:00:00Z'), 2 * H)?.toISOString()).toBe('2026-04-06T00:00:00.000Z');
  });
});

describe('business time: long spans (whole weeks are jumped, not walked)', () => {
  it('Mon-Fri 09-17 UTC over two years: 104 weeks x 40h plus the 3 days left over', () => {
    const utc = weekdays('UTC');
    // Mon 2024-01-01 to Thu 2026-01-01: 366 + 365 = 731 days = 104 weeks + 3 days (Mon 2025-12-29 .. Wed 12-31).
    // 104 x 40h + 3 x 8h = 4,184h. The old day-by-day search stopped after about three years and so undercounted
    // anything longer; this span is within it, the ones below are not.
    expect(businessSecondsBetween(utc, z('2024-01-01T00:00:00Z'), z('2026-01-01T00:00:00Z'))).toBe(4184 * H);
    // Adding it back runs out exactly at closing time on Wednesday 2025-12-31: the closing time, not Friday 09:00.
    expect(addBusinessSeconds(utc, z('2024-01-01T00:00:00Z'), 4184 * H)?.toISOString()).toBe('2025-12-31T17:00:00.000Z');
  });

  it('a one-year target (the API maximum) on Mon-Fri 09-17 Berlin lands 4.2 years later, across DST and holidays', () => {
    // 31,536,000 s = 8,760h = 219 weeks of 40h. From Mon 2026-01-05 09:00 CET (08:00Z) the 219th week ends on
    // Friday, 218 weeks + 4 days = 1,530 days later: 2026-01-05 + 1,461 days = 2030-01-05, + 69 days = 2030-03-15,
    // 17:00 CET (DST starts 2030-03-31) = 16:00Z. Transitions fall on Sundays at night, so every weekday is 8h.
    const berlin = weekdays('Europe/Berlin');
    const start = z('2026-01-05T08:00:00Z');
    const due = addBusinessSeconds(berlin, start, 31_536_000)!;
    expect(due.toISOString()).toBe('2030-03-15T16:00:00.000Z');
    expect(businessSecondsBetween(berlin, start, due)).toBe(31_536_000);
    // Holidays on weekdays in the span: Fri 2026-12-25 (8h), Fri 2027-12-24 closed from 12:00 (5h), Mon 2028-12-25
    // (8h), Tue 2029-12-25 (8h) = 29h more: Mon-Wed 2030-03-18..20 (24h) + 5h Thursday = Thu 2030-03-21 14:00 CET.
    const withHolidays = weekdays('Europe/Berlin', nineToFive, [
      { date: '2026-12-25' },
      { date: '2027-12-24', closed: [{ start: '12:00', end: '24:00' }] },
      { date: '2027-12-25' }, // a Saturday: closed anyway
      { date: '2028-12-25' },
      { date: '2029-12-25' },
    ]);
    const later = addBusinessSeconds(withHolidays, start, 31_536_000)!;
    expect(later.toISOString()).toBe('2030-03-21T13:00:00.000Z');
    expect(businessSecondsBetween(withHolidays, start, later)).toBe(31_536_000);
    expect(businessSecondsBetween(withHolidays, start, due)).toBe(31_536_000 - 29 * H);
  });

  it('counts the DST weeks it jumps over in real hours (Berlin Sunday 01:00-05:00 shift, first half of 2026)', () => {
    const cal: BusinessCalendar = { timeZone: 'Europe/Berlin', weekly: { sunday: [{ start: '01:00', end: '05:00' }] } };
    // 26 Sundays from 2026-01-04 to 06-28, 4h each, except 03-29 when the 02:00-03:00 hour does not exist: 103h.
    expect(businessSecondsBetween(cal, z('2026-01-01T00:00:00Z'), z('2026-07-01T00:00:00Z'))).toBe(103 * H);
    // 24/7 Berlin over ten years is elapsed time, though every year has a 167h and a 169h week.
    const always = alwaysOpen('Europe/Berlin');
    const tenYears = (Date.parse('2036-01-01T00:00:00Z') - Date.parse('2026-01-01T00:00:00Z')) / 1000;
    expect(businessSecondsBetween(always, z('2026-01-01T00:00:00Z'), z('2036-01-01T00:00:00Z'))).toBe(tenYears);
    expect(addBusinessSeconds(always, z('2026-01-01T00:00:00Z'), tenYears)?.toISOString()).toBe('2036-01-01T00:00:00.000Z');
  });

  it('a calendar open one hour a week (the least a saved calendar may be) absorbs a one-year target exactly', () => {
    const sparse: BusinessCalendar = { timeZone: 'UTC', weekly: { monday: [{ start: '09:00', end: '10:00' }] } };
    // 31,536,000 s = 8,760 hours = 8,760 Mondays. From Mon 2024-01-01 08:00Z the last is 8,759 weeks later, at
    // 10:00: 61,313 days on, Mon 2191-11-14.
    const due = addBusinessSeconds(sparse, z('2024-01-01T08:00:00Z'), 31_536_000)!;
    expect(due.getTime()).toBe(Date.parse('2024-01-01T10:00:00Z') + 8_759 * 7 * 86_400_000);
    expect(due.toISOString()).toBe('2191-11-14T10:00:00.000Z');
    expect(businessSecondsBetween(sparse, z('2024-01-01T08:00:00Z'), due)).toBe(31_536_000);
  });
});

describe('business time: degenerate calendars and validation', () => {
  it('a calendar that never opens has no next opening and no due time (null, not an exception)', () => {
    const never: BusinessCalendar = { timeZone: 'UTC', weekly: {} };
    expect(nextOpening(never, z('2026-01-01T00:00:00Z'))).toBeNull();
    expect(addBusinessSeconds(never, z('2026-01-01T00:00:00Z'), 60)).toBeNull();
    expect(businessSecondsBetween(never, z('2026-01-01T00:00:00Z'), z('2026-02-01T00:00:00Z'))).toBe(0);
    expect(() => addBusinessSeconds(alwaysOpen(), z('2026-01-01T00:00:00Z'), -1)).toThrow(RangeError);
  });

  it('reports every problem with a path and a message', () => {
    const problems = calendarProblems({
      timeZone: 'Mars/Olympus',
      weekly: {
        monday: [
          { start: '09:00', end: '12:00' },
          { start: '11:00', end: '13:00' },
        ],
        tuesday: [{ start: '17:00', end: '09:00' }],
        wednesday: [{ start: '9am', end: '24:30' }],
      },
      holidays: [{ date: '2026-02-30' }, { date: '2026-12-25' }, { date: '2026-12-25' }],
    });
    expect(problems).toEqual([
      { path: 'timeZone', message: '"Mars/Olympus" is not a known IANA time zone' },
      { path: 'weekly.monday.1', message: '11:00-13:00 overlaps 09:00-12:00' },
      {
        path: 'weekly.tuesday.0',
        message: 'end 09:00 must be after start 17:00 (write an overnight shift as ..-24:00 and 00:00-.. on the next day)',
      },
      { path: 'weekly.wednesday.0.start', message: '"9am" is not a time HH:MM between 00:00 and 24:00' },
      { path: 'weekly.wednesday.0.end', message: '"24:30" is not a time HH:MM between 00:00 and 24:00' },
      { path: 'holidays.0.date', message: '"2026-02-30" is not a date YYYY-MM-DD' },
      { path: 'holidays.2.date', message: '2026-12-25 is listed twice' },
    ]);
    expect(calendarProblems({ timeZone: 'UTC', weekly: { monday: [] } })).toEqual([
      { path: 'weekly', message: 'The calendar is never open: give at least one weekday an interval' },
    ]);
    expect(calendarProblems({ timeZone: 'UTC', weekly: { monday: [{ start: '09:00', end: '09:59' }] } })).toEqual([
      { path: 'weekly', message: 'The calendar must be open at least one hour a week' },
    ]);
    expect(calendarProblems(weekdays('America/New_York'))).toEqual([]);
    expect(calendarProblems(alwaysOpen('Asia/Tokyo'))).toEqual([]);
  });
});
