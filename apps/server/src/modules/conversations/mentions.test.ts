import { and, eq, sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { uuidv7 } from 'uuidv7';
import { createAccount, createUser, type TestUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { openFrameSocket } from '../../../test/ws-frames';
import { conversationMentions } from '../../db/schema';
import { withSystem, withTenant } from '../../db/tenant';
import { mentionedInText, mentionTokens, type Member } from './mentions';
import { countsOf, eventsOf, postMessage, startConversation } from './test-support';

describe('mentionedInText (pure)', () => {
  const dana = { id: 'dana', name: 'Dana Smith', email: 'dana.smith@example.test' };
  const lee = { id: 'lee', name: 'Lee  Park', email: 'lp@example.test' };
  const dana2 = { id: 'dana2', name: 'Dana Jones', email: 'dj@example.test' };
  const members: Member[] = [dana, lee];
  const of = (text: string, m = members) => mentionedInText(text, m).sort();

  it('matches the email local part, the full name (with or without spaces) and a unique first name, case-insensitively', () => {
    expect(of('ping @dana.smith')).toEqual(['dana']);
    expect(of('@Dana Smith, can you check?')).toEqual(['dana']);
    expect(of('@DANASMITH and @lp')).toEqual(['dana', 'lee']);
    expect(of('cc @dana.')).toEqual(['dana']);
    expect(of('(@lee park) and @Lee')).toEqual(['lee']);
    expect(of('@dana @dana.smith @Dana Smith')).toEqual(['dana']);
  });

  it('mentions nobody inside an email address, for an unknown or longer handle, or when two members match equally', () => {
    expect(of('write to dana.smith@example.test')).toEqual([]);
    expect(of('@dana.smithers @lpx @danasmith2 @')).toEqual([]);
    expect(of('@dana', [dana, dana2])).toEqual([]);
    expect(of('@Dana Jones and @dana.smith', [dana, dana2])).toEqual(['dana', 'dana2']);
  });

  it('tokens: the word after each @, for the member lookup', () => {
    expect(mentionTokens('@Dana Smith, @lp. mail a@b.c @x_y-')).toEqual(['dana', 'lp', 'x_y']);
  });
});

const t = useTestApp();
let base = '';
const sockets: WebSocket[] = [];
beforeAll(async () => {
  base = (await t().app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

type Frame = { type: string; topic?: string; code?: string; event?: { type: string; payload: Record<string, unknown> } };
async function connect(user: TestUser) {
  const s = await openFrameSocket<Frame>(`${base}/api/v1/realtime`, { headers: { cookie: user.headers.cookie } });
  sockets.push(s.socket);
  const subscribe = (topic: string) => {
    s.socket.send(JSON.stringify({ type: 'subscribe', topic }));
    return s.next((f) => (f.type === 'subscribed' || f.type === 'error') && f.topic === topic, `answer to ${topic}`);
  };
  return { ...s, subscribe };
}

const mentionsOf = (accountId: string, messageId: string) =>
  withTenant(t().database.db, accountId, (tx) =>
    tx
      .select()
      .from(conversationMentions)
      .where(and(eq(conversationMentions.accountId, accountId), eq(conversationMentions.messageId, messageId))),
  );

describe('mentions in notes', () => {
  it('records the ids sent and the @handles written, never the writer, and tells each person on user:<id>', async () => {
    const acc = await createAccount(t());
    const dana = await createUser(t(), acc.accountId, 'agent', { name: 'Dana Smith' });
    const lee = await createUser(t(), acc.accountId, 'analyst', { name: 'Lee Park' });
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const socket = await connect(dana);
    expect((await socket.subscribe(`user:${dana.userId}`)).type).toBe('subscribed');
    expect(await socket.subscribe(`user:${lee.userId}`)).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await (await connect(acc.owner)).subscribe(`user:${dana.userId}`)).toMatchObject({ code: 'forbidden' });

    const res = await postMessage(t(), acc.owner.headers, conversation.id, {
      kind: 'note',
      body: `@Lee Park and @${acc.owner.name}: see this`,
      mentions: [dana.userId, dana.userId, acc.owner.userId],
    });
    expect(res.statusCode).toBe(201);
    const note = res.json().data;
    const rows = await mentionsOf(acc.accountId, note.id);
    expect(rows.map((r) => r.mentionedUserId).sort()).toEqual([dana.userId, lee.userId].sort());
    expect(rows.every((r) => r.byUserId === acc.owner.userId && r.conversationId === conversation.id)).toBe(true);

    const frame = await socket.next((f) => f.event?.type === 'conversation.mentioned', 'conversation.mentioned');
    expect(frame.topic).toBe(`user:${dana.userId}`);
    expect(frame.event!.payload).toMatchObject({
      conversationId: conversation.id,
      messageId: note.id,
      mentionedUserId: dana.userId,
      byUserId: acc.owner.userId,
      preview: `@Lee Park and @${acc.owner.name}: see this`,
      conversation: { id: conversation.id },
    });
    // Lee's mention is Lee's: Dana's topic carries only hers.
    await postMessage(t(), acc.owner.headers, conversation.id, { kind: 'note', body: 'no mention' });
    await postMessage(t(), acc.owner.headers, conversation.id, { kind: 'note', body: 'again', mentions: [dana.userId] });
    expect((await socket.next((f) => f.event?.type === 'conversation.mentioned', 'the second mention')).event!.payload.preview).toBe(
      'again',
    );
    expect(socket.frames.filter((f) => f.type === 'event')).toEqual([]);
    const mentioned = async () => (await eventsOf(t(), acc.accountId, conversation.id)).filter((e) => e.type === 'conversation.mentioned');
    expect(await mentioned()).toHaveLength(3);
    // A retried send (same clientMessageId) mentions nobody again.
    const again = { kind: 'note', body: 'retry @Dana Smith', clientMessageId: 'n-1' };
    await postMessage(t(), acc.owner.headers, conversation.id, again);
    expect((await postMessage(t(), acc.owner.headers, conversation.id, again)).statusCode).toBe(200);
    expect(await mentioned()).toHaveLength(4);
  });

  it('422 with nothing written: mentions on a reply, an unknown, inactive or other account’s person, too many', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const gone = await createUser(t(), acc.accountId, 'agent');
    await withSystem(t().database.db, (tx) => tx.execute(sql`update memberships set active = false where user_id = ${gone.userId}`));
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const before = await countsOf(t(), acc.accountId);
    for (const [payload, path] of [
      [{ kind: 'outgoing', body: 'hi', mentions: [acc.owner.userId] }, 'body.mentions'],
      [{ kind: 'note', body: 'hi', mentions: [uuidv7()] }, 'mentions.0'],
      [{ kind: 'note', body: 'hi', mentions: [acc.owner.userId, other.owner.userId] }, 'mentions.1'],
      [{ kind: 'note', body: 'hi', mentions: [gone.userId] }, 'mentions.0'],
      [{ kind: 'note', body: 'hi', mentions: ['nope'] }, 'body.mentions.0'],
      [{ kind: 'note', body: 'hi', mentions: Array.from({ length: 21 }, () => uuidv7()) }, 'body.mentions'],
    ] as const) {
      const res = await postMessage(t(), acc.owner.headers, conversation.id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().errors[0].path, JSON.stringify(payload)).toBe(path);
    }
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
    // An inactive person's @handle is just text.
    const ok = await postMessage(t(), acc.owner.headers, conversation.id, { kind: 'note', body: `@${gone.name} left` });
    expect(await mentionsOf(acc.accountId, ok.json().data.id)).toEqual([]);
  });
});
