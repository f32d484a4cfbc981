import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { channels } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { createAccount } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { systemCtx, type Ctx } from '../../../platform/context';
import { countsOf, eventsOf } from '../test-support';
import { changeConversationStatus } from './change-conversation-status';
import { receiveCustomerMessage, type CustomerMessageInput } from './receive-customer-message';

const t = useTestApp();

async function setup() {
  const acc = await createAccount(t());
  const ctx: Ctx = systemCtx({ db: t().database.db, events: t().events }, acc.accountId, 'test:intake');
  return { acc, ctx, channelId: acc.apiChannelId };
}

const fromAnn = { identities: { email: 'ann@example.test', name: 'Ann' } };

describe('receiveCustomerMessage', () => {
  it('starts a conversation, appends the next message, and reopens a pending one with its status event', async () => {
    const { acc, ctx, channelId } = await setup();
    const first = await receiveCustomerMessage(ctx, { channelId, from: fromAnn, message: { body: 'Hello', externalId: 'p-1' } });
    expect(first.outcome).toBe('created');
    const conversationId = first.message.conversationId;
    expect((await eventsOf(t(), acc.accountId, conversationId)).map((e) => e.type)).toEqual(['conversation.created', 'message.created']);

    await changeConversationStatus(acc.owner.ctx, { conversationId, status: 'pending' });
    const next = await receiveCustomerMessage(ctx, { channelId, from: fromAnn, message: { body: 'Any news?', externalId: 'p-2' } });
    expect(next).toMatchObject({ outcome: 'appended', message: { conversationId, kind: 'incoming', authorKind: 'customer' } });
    const events = await eventsOf(t(), acc.accountId, conversationId);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['message.created', 'conversation.status_changed']);
    expect(events.at(-1)!.payload).toMatchObject({ from: 'pending', to: 'open', reason: 'customer_message' });
  });

  it('answers a duplicate with the first message and writes nothing, by externalId and by clientMessageId', async () => {
    const { acc, ctx, channelId } = await setup();
    const input: CustomerMessageInput = { channelId, from: fromAnn, message: { body: 'Once', externalId: 'dup-1' } };
    const first = await receiveCustomerMessage(ctx, input);
    const before = await countsOf(t(), acc.accountId);
    const again = await receiveCustomerMessage(ctx, { ...input, message: { body: 'Changed copy', externalId: 'dup-1' } });
    expect(again).toEqual({ outcome: 'duplicate', message: first.message });
    expect(await countsOf(t(), acc.accountId)).toEqual(before);

    const visitor = { customerId: first.message.authorCustomerId! };
    const sent = await receiveCustomerMessage(ctx, { channelId, from: visitor, message: { body: 'Hi', clientMessageId: 'c-1' } });
    const counted = await countsOf(t(), acc.accountId);
    const retried = await receiveCustomerMessage(ctx, { channelId, from: visitor, message: { body: 'Hi', clientMessageId: 'c-1' } });
    expect(retried).toEqual({ outcome: 'duplicate', message: sent.message });
    expect(await countsOf(t(), acc.accountId)).toEqual(counted);
  });

  it('two copies of one first message racing store it once; two different first messages start one conversation', async () => {
    const { acc, ctx, channelId } = await setup();
    const copy = { channelId, from: fromAnn, message: { body: 'Hello?', externalId: 'race-1' } };
    const copies = await Promise.all([receiveCustomerMessage(ctx, copy), receiveCustomerMessage(ctx, copy)]);
    expect(copies.map((r) => r.outcome).sort()).toEqual(['created', 'duplicate']);
    expect(copies[0]!.message.id).toBe(copies[1]!.message.id);

    const bob = { identities: { phone: '+14155550123' } };
    const firsts = await Promise.all(
      ['a', 'b', 'c'].map((x) => receiveCustomerMessage(ctx, { channelId, from: bob, message: { body: x, externalId: `bob-${x}` } })),
    );
    expect(firsts.map((r) => r.outcome).sort()).toEqual(['appended', 'appended', 'created']);
    expect(new Set(firsts.map((r) => r.message.conversationId)).size).toBe(1);
    expect(new Set(firsts.map((r) => r.message.authorCustomerId)).size).toBe(1);
    expect(await countsOf(t(), acc.accountId)).toMatchObject({ conversations: 2, messages: 4 });

    // A widget visitor's first message sent twice at once (a retry racing the original): one conversation, one message.
    const web = uuidv7();
    await withSystem(t().database.db, (tx) => tx.insert(channels).values({ id: web, accountId: acc.accountId, kind: 'web', name: 'Web' }));
    const visitor = { customerId: firsts[0]!.message.authorCustomerId! };
    const send = { channelId: web, from: visitor, message: { body: 'Hi there', clientMessageId: 'w-1' }, startAs: ctx.actor };
    const sends = await Promise.all([receiveCustomerMessage(ctx, send), receiveCustomerMessage(ctx, send)]);
    expect(sends.map((r) => r.outcome).sort()).toEqual(['created', 'duplicate']);
    expect(sends[0]!.message.id).toBe(sends[1]!.message.id);
    expect(await countsOf(t(), acc.accountId)).toMatchObject({ conversations: 3, messages: 5 });
  });

  it("joins a thread only when it is the sender's own conversation; anyone else starts theirs, told what it pointed at", async () => {
    const { ctx, channelId } = await setup();
    const ann = await receiveCustomerMessage(ctx, { channelId, from: fromAnn, message: { body: 'Refund please', externalId: 't-1' } });
    const target = ann.message.conversationId;
    const threaded = (from: CustomerMessageInput['from'], externalId: string): CustomerMessageInput => ({
      channelId,
      from,
      subject: 'Re: Refund',
      message: { body: 'About that', externalId },
      findThread: async () => ({ conversationId: target, method: 'references' }),
      metadataFor: (threading) => ({ threading }),
    });

    const own = await receiveCustomerMessage(ctx, threaded(fromAnn, 't-2'));
    expect(own).toMatchObject({ outcome: 'appended', message: { conversationId: target } });
    expect(own.message.metadata).toEqual({ threading: { kind: 'thread', method: 'references' } });

    const stranger = await receiveCustomerMessage(ctx, threaded({ identities: { email: 'eve@example.test' } }, 't-3'));
    expect(stranger.outcome).toBe('created');
    expect(stranger.message.conversationId).not.toBe(target);
    expect(stranger.message.metadata).toEqual({
      threading: { kind: 'unverified', conversationId: target, number: 1, method: 'references' },
    });

    const unthreaded = await receiveCustomerMessage(ctx, { ...threaded(fromAnn, 't-4'), findThread: async () => null });
    expect(unthreaded.outcome).toBe('created');
    expect(unthreaded.message.metadata).toEqual({ threading: { kind: 'new' } });
  });

  it('refuses uploads without a conversation in progress, and a customer starting one without startAs', async () => {
    const { acc, ctx, channelId } = await setup();
    const first = await receiveCustomerMessage(ctx, { channelId, from: fromAnn, message: { body: 'Hi', externalId: 'u-1' } });
    const customerId = first.message.authorCustomerId!;
    await changeConversationStatus(acc.owner.ctx, { conversationId: first.message.conversationId, status: 'resolved' });
    const before = await countsOf(t(), acc.accountId);
    const upload = receiveCustomerMessage(ctx, {
      channelId,
      from: { customerId },
      message: { body: 'See file', clientMessageId: 'u-2', attachmentIds: ['0190b6a4-7a43-7000-8000-000000000000'] },
    });
    await expect(upload).rejects.toMatchObject({ code: 'validation_failed' });
    const asCustomer: Ctx = { ...ctx, actor: { kind: 'customer', customerId, accountId: acc.accountId, channelId } };
    const start = receiveCustomerMessage(asCustomer, { channelId, from: { customerId }, message: { body: 'Hi', clientMessageId: 'u-3' } });
    await expect(start).rejects.toMatchObject({ code: 'forbidden' });
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
  });
});
