import { describe, expect, it } from 'vitest';
import { headlineToHtml, searchTerms } from './search-query';

describe('searchTerms', () => {
  it('quotes every word, keeps it parsed and raw (lower-cased), and makes the last one a prefix', () => {
    expect(searchTerms('Refund  late Ann@Exa')).toEqual([
      { parsed: `'Refund'`, raw: `'refund'` },
      { parsed: `'late'`, raw: `'late'` },
      { parsed: `'Ann@Exa':*`, raw: `'ann@exa':*` },
    ]);
  });

  it('turns tsquery operators, quotes and backslashes into literal text', () => {
    expect(searchTerms(`it's a&b !x`).map((t) => t.parsed)).toEqual([`'it''s'`, `'a&b'`, `'!x':*`]);
    expect(searchTerms('back\\slash')[0]!.raw).toBe(`'back\\\\slash':*`);
  });

  it('drops words without a letter or digit; nothing left means no terms', () => {
    expect(searchTerms('& | ! ( ) :* <->')).toEqual([]);
    expect(searchTerms('   ')).toEqual([]);
    expect(searchTerms('( ünïcode )')).toEqual([{ parsed: `'ünïcode':*`, raw: `'ünïcode':*` }]);
  });

  it('caps the number of terms', () => {
    expect(searchTerms(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '))).toHaveLength(16);
  });
});

describe('headlineToHtml', () => {
  it('escapes HTML and turns only the markers into <mark>', () => {
    expect(headlineToHtml('<script>\u0002alert\u0003</script> & "x"')).toBe(
      '&lt;script&gt;<mark>alert</mark>&lt;/script&gt; &amp; &quot;x&quot;',
    );
  });
});
