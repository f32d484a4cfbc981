import { describe, expect, it } from 'vitest';
import { normaliseIdentity, normalisePhone } from './normalise';

describe('normalisePhone', () => {
  it('formats international numbers as E.164', () => {
    expect(normalisePhone('+1 (415) 555-0100', 'US')).toBe('+14155550100');
    expect(normalisePhone('+44 20 7946 0958', 'US')).toBe('+442079460958');
  });

  it('reads numbers without + in the default country', () => {
    expect(normalisePhone('(415) 555-0100', 'US')).toBe('+14155550100');
    expect(normalisePhone('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(normalisePhone('415.555.0100')).toBe('+14155550100');
  });

  it('falls back to US for an unknown default country', () => {
    expect(normalisePhone('415 555 0100', 'XX')).toBe('+14155550100');
  });

  it('returns null for invalid numbers', () => {
    for (const bad of ['', '12', 'abc', '+999 123', '+1 (415) 555-01', "1' OR '1'='1", '9'.repeat(80)]) {
      expect(normalisePhone(bad, 'US'), bad).toBeNull();
    }
  });
});

describe('normaliseIdentity', () => {
  it('normalises each kind', () => {
    expect(normaliseIdentity('email', ' Ann@Example.COM ')).toEqual({ ok: true, value: 'ann@example.com' });
    expect(normaliseIdentity('phone', '+1 (415) 555-0100')).toEqual({ ok: true, value: '+14155550100' });
    expect(normaliseIdentity('phone', '07911 123456', 'GB')).toEqual({ ok: true, value: '+447911123456' });
    expect(normaliseIdentity('external_id', ' CRM-1 ')).toEqual({ ok: true, value: 'CRM-1' });
    expect(normaliseIdentity('channel_handle', ' @Ann ')).toEqual({ ok: true, value: '@Ann' });
  });

  it('explains invalid values', () => {
    const phone = normaliseIdentity('phone', '123');
    expect(phone.ok).toBe(false);
    expect(!phone.ok && phone.message).toMatch(/phone number/);
    expect(normaliseIdentity('email', 'nope').ok).toBe(false);
    expect(normaliseIdentity('external_id', '  ').ok).toBe(false);
  });
});
