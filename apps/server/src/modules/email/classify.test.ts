import { describe, expect, it } from 'vitest';
import { classifyMail, type ClassifyInput } from './classify';
import { splitQuoted } from './content';

const mail = (headers: Record<string, string>, over: Partial<ClassifyInput> = {}): ClassifyInput => ({
  envelopeFrom: 'ann@customer.test',
  fromAddress: 'ann@customer.test',
  contentType: 'text/plain',
  header: (name) => headers[name] ?? null,
  ...over,
});

describe('classifyMail', () => {
  it('tells bounces, auto-replies and lists from a person', () => {
    expect(classifyMail(mail({}))).toEqual({ kind: 'person' });
    expect(classifyMail(mail({ 'auto-submitted': 'no' }))).toEqual({ kind: 'person' });
    expect(classifyMail(mail({}, { contentType: 'multipart/report; report-type=delivery-status; boundary=x' })).kind).toBe('bounce');
    expect(classifyMail(mail({}, { fromAddress: 'MAILER-DAEMON@mx.test' })).kind).toBe('bounce');
    expect(classifyMail(mail({}, { envelopeFrom: '' })).kind).toBe('bounce');
    expect(classifyMail(mail({ 'return-path': '<>' })).kind).toBe('bounce');
    expect(classifyMail(mail({ 'auto-submitted': 'auto-generated' }))).toEqual({
      kind: 'auto_reply',
      reason: 'Auto-Submitted: auto-generated',
    });
    expect(classifyMail(mail({ 'x-autoreply': 'yes' })).kind).toBe('auto_reply');
    for (const p of ['bulk', 'junk', 'list']) expect(classifyMail(mail({ precedence: p })).kind).toBe('auto_reply');
    expect(classifyMail(mail({ 'list-id': '<news.shop.test>' })).kind).toBe('auto_reply');
  });
});

describe('splitQuoted', () => {
  it('separates the reply from the history it quotes', () => {
    expect(splitQuoted('Thanks!\n\nOn Mon, 1 Jan, Support wrote:\n> hi')).toEqual({
      reply: 'Thanks!',
      quoted: 'On Mon, 1 Jan, Support wrote:\n> hi',
    });
    expect(splitQuoted('Yes.\n-----Original Message-----\nFrom: x')).toEqual({
      reply: 'Yes.',
      quoted: '-----Original Message-----\nFrom: x',
    });
    expect(splitQuoted('Ok\n> a\n>\n> b\n')).toEqual({ reply: 'Ok', quoted: '> a\n>\n> b' });
    // Interleaved answers are not cut: text follows the quote.
    expect(splitQuoted('> question?\nanswer')).toEqual({ reply: '> question?\nanswer', quoted: null });
    // Nothing but a quote (a forward) stays the body.
    expect(splitQuoted('> only quoted')).toEqual({ reply: '> only quoted', quoted: null });
  });
});
