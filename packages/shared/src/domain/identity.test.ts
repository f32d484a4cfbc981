import { describe, expect, it } from 'vitest';
import { normaliseChannelHandle, normaliseEmail, normaliseExternalId } from './identity';

describe('normaliseEmail', () => {
  it('trims and lower-cases', () => {
    expect(normaliseEmail(' Ann@Example.COM ')).toBe('ann@example.com');
    expect(normaliseEmail('first.last+tag@sub.example.co.uk')).toBe('first.last+tag@sub.example.co.uk');
  });

  it('accepts international domains', () => {
    expect(normaliseEmail('Ünal@Bücher.de')).toBe('ünal@bücher.de');
  });

  it('rejects what is not an address', () => {
    for (const bad of [
      '',
      '   ',
      'ann',
      'ann@',
      '@example.com',
      'ann@example',
      'a b@example.com',
      'ann@@example.com',
      'ann@exa_mple.com',
      'ann@-example.com',
      'ann@example.c',
    ]) {
      expect(normaliseEmail(bad), bad).toBeNull();
    }
  });

  it('rejects addresses longer than 254 characters', () => {
    expect(normaliseEmail(`${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.com`)).toBeNull();
    expect(normaliseEmail(`${'a'.repeat(65)}@example.com`)).toBeNull();
  });
});

describe('normaliseExternalId / normaliseChannelHandle', () => {
  it('trims but keeps case', () => {
    expect(normaliseExternalId('  CRM-42 ')).toBe('CRM-42');
    expect(normaliseChannelHandle(' @Ann ')).toBe('@Ann');
  });

  it('rejects empty, control characters and over-long values', () => {
    expect(normaliseExternalId('   ')).toBeNull();
    expect(normaliseExternalId('a\u0000b')).toBeNull();
    expect(normaliseExternalId('x'.repeat(256))).toBeNull();
    expect(normaliseExternalId('x'.repeat(255))).toHaveLength(255);
  });
});
