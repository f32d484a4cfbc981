import { describe, expect, it } from 'vitest';
import {
  afterAgentReply,
  afterCustomerMessage,
  afterNote,
  changeStatus,
  diffTags,
  messagePreview,
  normalizeTags,
  snoozeProblem,
  type ConversationState,
} from './conversation';

const at = (hhmm: string) => new Date(`2025-03-10T${hhmm}:00.000Z`);

/** A conversation opened by a customer message at 09:00 that nobody has answered yet. */
const fresh: ConversationState = {
  status: 'open',
  snoozedUntil: null,
  messageCount: 1,
  lastMessagePreview: 'Hello',
  lastActivityAt: at('09:00'),
  lastCustomerMessageAt: at('09:00'),
  lastAgentReplyAt: null,
  waitingSince: at('09:00'),
  firstResponseAt: null,
  resolvedAt: null,
  reopenedAt: null,
  reopenCount: 0,
};

describe('messagePreview', () => {
  it('collapses whitespace and keeps the first 140 characters', () => {
    expect(messagePreview('  Hello\n\n  world\t! ')).toBe('Hello world !');
    expect(messagePreview('a'.repeat(200))).toBe('a'.repeat(140));
    expect(messagePreview('x'.repeat(140))).toHaveLength(140);
  });

  it('never cuts an emoji in half', () => {
    const preview = messagePreview('😀'.repeat(150));
    expect(Array.from(preview)).toHaveLength(140);
    expect(preview).toBe('😀'.repeat(140));
  });
});

describe('afterCustomerMessage', () => {
  it('keeps the oldest unanswered message as the start of the wait', () => {
    const next = afterCustomerMessage(fresh, { at: at('09:05'), body: 'Anyone there?' });
    expect(next).toMatchObject({
      messageCount: 2,
      lastMessagePreview: 'Anyone there?',
      lastActivityAt: at('09:05'),
      lastCustomerMessageAt: at('09:05'),
      waitingSince: at('09:00'),
      status: 'open',
      reopenCount: 0,
    });
  });

  it('starts a new wait after an agent answered', () => {
    const answered = { ...fresh, waitingSince: null, lastAgentReplyAt: at('09:10'), firstResponseAt: at('09:10') };
    expect(afterCustomerMessage(answered, { at: at('09:20'), body: 'Thanks, one more thing' }).waitingSince).toEqual(at('09:20'));
  });

  it('reopens a resolved conversation: reopenedAt and reopenCount + 1', () => {
    const resolved = changeStatus({ ...fresh, waitingSince: null }, { to: 'resolved', at: at('10:00') });
    const next = afterCustomerMessage(resolved, { at: at('11:00'), body: 'It broke again' });
    expect(next).toMatchObject({
      status: 'open',
      reopenedAt: at('11:00'),
      reopenCount: 1,
      resolvedAt: at('10:00'),
      waitingSince: at('11:00'),
    });
  });

  it('wakes a snoozed or pending conversation without counting a reopen', () => {
    const snoozed = changeStatus(fresh, { to: 'snoozed', at: at('09:30'), snoozedUntil: at('15:00') });
    const woken = afterCustomerMessage(snoozed, { at: at('10:00'), body: 'hi' });
    expect(woken).toMatchObject({ status: 'open', snoozedUntil: null, reopenCount: 0, reopenedAt: null });
    const pending = changeStatus(fresh, { to: 'pending', at: at('09:30') });
    expect(afterCustomerMessage(pending, { at: at('10:00'), body: 'hi' })).toMatchObject({ status: 'open', reopenCount: 0 });
  });
});

describe('afterAgentReply', () => {
  it('the first human reply while the customer waits is the first response and ends the wait', () => {
    const next = afterAgentReply(fresh, { at: at('09:12'), body: 'Hi! Looking into it.', byHuman: true });
    expect(next).toMatchObject({
      firstResponseAt: at('09:12'),
      lastAgentReplyAt: at('09:12'),
      waitingSince: null,
      messageCount: 2,
      lastMessagePreview: 'Hi! Looking into it.',
      lastActivityAt: at('09:12'),
      status: 'open',
    });
  });

  it('later replies keep the first response time', () => {
    const once = afterAgentReply(fresh, { at: at('09:12'), body: 'a', byHuman: true });
    const again = afterCustomerMessage(once, { at: at('09:20'), body: 'b' });
    const twice = afterAgentReply(again, { at: at('09:30'), body: 'c', byHuman: true });
    expect(twice).toMatchObject({ firstResponseAt: at('09:12'), lastAgentReplyAt: at('09:30'), waitingSince: null, messageCount: 4 });
  });

  it('a bot reply is activity only: no first response, the customer keeps waiting', () => {
    const next = afterAgentReply(fresh, { at: at('09:01'), body: 'I am a bot', byHuman: false });
    expect(next).toMatchObject({
      firstResponseAt: null,
      lastAgentReplyAt: null,
      waitingSince: at('09:00'),
      messageCount: 2,
      lastActivityAt: at('09:01'),
    });
    expect(afterAgentReply(next, { at: at('09:15'), body: 'human', byHuman: true }).firstResponseAt).toEqual(at('09:15'));
  });

  it('an agent-initiated message is not a first response (nobody was waiting)', () => {
    const outbound = { ...fresh, messageCount: 0, waitingSince: null, lastCustomerMessageAt: null };
    expect(afterAgentReply(outbound, { at: at('09:00'), body: 'Your order shipped', byHuman: true }).firstResponseAt).toBeNull();
  });
});

describe('afterNote', () => {
  it('counts as activity but leaves the preview and the wait alone', () => {
    expect(afterNote(fresh, { at: at('09:03') })).toEqual({ ...fresh, messageCount: 2, lastActivityAt: at('09:03') });
  });
});

describe('changeStatus', () => {
  it('resolving stamps resolvedAt and ends the wait', () => {
    expect(changeStatus(fresh, { to: 'resolved', at: at('12:00') })).toMatchObject({
      status: 'resolved',
      resolvedAt: at('12:00'),
      waitingSince: null,
    });
  });

  it('open after resolved is a reopen', () => {
    const resolved = changeStatus(fresh, { to: 'resolved', at: at('12:00') });
    const reopened = changeStatus(resolved, { to: 'open', at: at('13:00') });
    expect(reopened).toMatchObject({ status: 'open', reopenedAt: at('13:00'), reopenCount: 1 });
    const again = changeStatus(changeStatus(reopened, { to: 'resolved', at: at('14:00') }), { to: 'open', at: at('15:00') });
    expect(again).toMatchObject({ reopenCount: 2, reopenedAt: at('15:00'), resolvedAt: at('14:00') });
  });

  it('snoozing sets snoozedUntil, any other status clears it', () => {
    const snoozed = changeStatus(fresh, { to: 'snoozed', at: at('09:00'), snoozedUntil: at('18:00') });
    expect(snoozed).toMatchObject({ status: 'snoozed', snoozedUntil: at('18:00') });
    expect(changeStatus(snoozed, { to: 'snoozed', at: at('10:00'), snoozedUntil: at('19:00') }).snoozedUntil).toEqual(at('19:00'));
    expect(changeStatus(snoozed, { to: 'pending', at: at('10:00') })).toMatchObject({ status: 'pending', snoozedUntil: null });
  });

  it('the same status is no change at all', () => {
    expect(changeStatus(fresh, { to: 'open', at: at('10:00') })).toBe(fresh);
  });
});

describe('snoozeProblem', () => {
  const now = at('09:00');
  it('accepts a time in the next year', () => {
    expect(snoozeProblem(at('09:01'), now)).toBeNull();
    expect(snoozeProblem(new Date(now.getTime() + 365 * 86_400_000), now)).toBeNull();
  });
  it('rejects a missing, past or too distant time', () => {
    expect(snoozeProblem(null, now)).toMatch(/required/);
    expect(snoozeProblem(at('09:00'), now)).toMatch(/future/);
    expect(snoozeProblem(new Date(now.getTime() + 400 * 86_400_000), now)).toMatch(/year/);
  });
});

describe('tags', () => {
  it('normalizeTags trims, lower-cases, drops empties and dedupes in first-seen order', () => {
    expect(normalizeTags([' Billing ', 'billing', 'VIP', '', '  ', 'refund'])).toEqual(['billing', 'vip', 'refund']);
  });
  it('diffTags lists what was added and removed', () => {
    expect(diffTags(['a', 'b'], ['b', 'c'])).toEqual({ added: ['c'], removed: ['a'] });
  });
});
