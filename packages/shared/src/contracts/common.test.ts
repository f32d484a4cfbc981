import { describe, expect, it } from 'vitest';
import { isKnownTimeZone, ZTimeZone } from './common';

describe('ZTimeZone', () => {
  it('accepts IANA names, UTC and the aliases Intl resolves; refuses made-up names, offsets and a wrong case', () => {
    for (const zone of ['Europe/Berlin', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/UTC', 'US/Pacific', 'Etc/GMT+5', 'Asia/Kolkata'])
      expect(isKnownTimeZone(zone), zone).toBe(true);
    for (const zone of ['Mars/Olympus_Mons', 'Europe/Atlantis', '+05:00', 'utc', 'europe/berlin', '', 'Europe/Berlin\u0000'])
      expect(isKnownTimeZone(zone), zone).toBe(false);
  });

  it('says what is wrong and what would do', () => {
    const res = ZTimeZone.safeParse('Europe/Atlantis');
    expect(res.error?.issues[0]?.message).toBe('"Europe/Atlantis" is not a known IANA time zone (such as "Europe/Berlin" or "UTC")');
    expect(ZTimeZone.parse(' Europe/Berlin ')).toBe('Europe/Berlin');
  });
});
