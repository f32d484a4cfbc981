import { describe, expect, it } from 'vitest';
import {
  agentFrameMarker,
  dueAt,
  dueCount,
  encodeBody,
  parseBody,
  splitEvenly,
  visitorFor,
  visitorFrameMarker,
  windowCounts,
} from './push-proto';

describe('W2 message bodies', () => {
  it('round-trips stream, sequence and send time, and stays a chat-sized valid body', () => {
    const body = encodeBody({ stream: 'r', seq: 42, tMs: 123456.789 });
    expect(parseBody(body)).toEqual({ stream: 'r', seq: 42, tMs: 123456.789 });
    expect(body.length).toBeGreaterThan(100);
    expect(body.length).toBeLessThan(5000);
  });

  it('ignores bodies that are not W2 markers', () => {
    for (const body of ['Hello', 'w2|x|1|2|', 'w2|v|-1|2|', 'w2|v|1|nan|', 'w2|v|1', 42, undefined]) expect(parseBody(body)).toBeNull();
  });

  it('reads the marker from an agent frame and a visitor frame, and nothing from other frames', () => {
    const body = encodeBody({ stream: 'v', seq: 7, tMs: 10 });
    const agent = JSON.stringify({ type: 'event', topic: 'account:a', event: { type: 'message.created', payload: { message: { body } } } });
    expect(agentFrameMarker(agent)).toEqual({ stream: 'v', seq: 7, tMs: 10 });
    expect(agentFrameMarker(JSON.stringify({ type: 'event', event: { type: 'conversation.updated', payload: {} } }))).toBeNull();
    expect(agentFrameMarker(JSON.stringify({ type: 'subscribed', topic: 'account:a' }))).toBeNull();
    expect(visitorFrameMarker(JSON.stringify({ type: 'message', message: { body } }))).toEqual({ stream: 'v', seq: 7, tMs: 10 });
    expect(visitorFrameMarker(JSON.stringify({ type: 'typing', name: 'A' }))).toBeNull();
    // A preview elsewhere in the frame is not the message's body.
    const preview = {
      type: 'event',
      event: { type: 'message.created', payload: { conversation: { lastMessagePreview: body }, message: { body: 'Hi' } } },
    };
    expect(agentFrameMarker(JSON.stringify(preview))).toBeNull();
  });
});

describe('W2 open-loop schedule', () => {
  it('spaces messages 1000/rate ms apart from the start', () => {
    expect(dueAt(1000, 20, 0)).toBe(1000);
    expect(dueAt(1000, 20, 3)).toBe(1150);
  });

  it('counts the messages due by a time: none before the start, the first at the start, capped at the total', () => {
    expect(dueCount(1000, 20, 999, 100)).toBe(0);
    expect(dueCount(1000, 20, 1000, 100)).toBe(1);
    expect(dueCount(1000, 20, 1049.9, 100)).toBe(1);
    expect(dueCount(1000, 20, 1050, 100)).toBe(2);
    expect(dueCount(1000, 20, 1_000_000, 100)).toBe(100);
    expect(dueCount(1000, 0, 5000, 100)).toBe(0);
  });

  it('splits a pass into warm-up and measured messages', () => {
    expect(windowCounts(100, 3, 10)).toEqual({ warmup: 300, measured: 1000 });
    expect(windowCounts(2.5, 1, 2)).toEqual({ warmup: 3, measured: 5 });
  });
});

describe('W2 spreading', () => {
  it('splits agents into nearly equal contiguous parts, keeping every one', () => {
    const parts = splitEvenly([1, 2, 3, 4, 5, 6, 7], 3);
    expect(parts).toEqual([
      [1, 2, 3],
      [4, 5],
      [6, 7],
    ]);
    expect(splitEvenly([1], 2)).toEqual([[1], []]);
  });

  it('spreads visitor messages and replies over every visitor', () => {
    for (const stream of ['v', 'r'] as const) {
      const seen = new Set(Array.from({ length: 50 }, (_, i) => visitorFor(stream, i, 50)));
      expect(seen.size).toBe(50);
    }
  });
});
