import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { createAccount, createUser } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { eventsOf } from '../test-support';
import { createConversation } from './create-conversation';
import { createMessage } from './create-message';

const t = useTestApp();

describe('createConversation', () => {
  it('20 parallel creations get distinct, consecutive numbers', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        createConversation(agent.ctx, { customer: { name: `Parallel ${i}` }, message: { body: `hello ${i}`, kind: 'incoming' } }),
      ),
    );
    const numbers = results.map((r) => r.conversation.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const [account] = await withSystem(t().database.db, (tx) => tx.select().from(accounts).where(eq(accounts.id, acc.accountId)));
    expect(account!.conversationSeq).toBe(20);
  });

  it('numbers are per account', async () => {
    const a = await createAccount(t());
    const b = await createAccount(t());
    const input = { customer: { name: 'X' }, message: { body: 'hi', kind: 'incoming' as const } };
    expect((await createConversation(a.owner.ctx, input)).conversation.number).toBe(1);
    expect((await createConversation(b.owner.ctx, input)).conversation.number).toBe(1);
    expect((await createConversation(a.owner.ctx, input)).conversation.number).toBe(2);
  });

  it('emits conversation.created and message.created with the presented entities', async () => {
    const acc = await createAccount(t());
    const { conversation, message } = await createConversation(acc.owner.ctx, {
      customer: { email: 'ev@example.test' },
      message: { body: 'note first', kind: 'note' },
    });
    const evs = await eventsOf(t(), acc.accountId, conversation.id);
    expect(evs.map((e) => e.type)).toEqual(['conversation.created', 'message.created']);
    expect(evs[0]!.payload).toMatchObject({
      conversation: { id: conversation.id, number: conversation.number },
      message: { id: message.id, kind: 'note' },
    });
    expect(evs[1]!).toMatchObject({ actorKind: 'user', actorId: acc.owner.userId, customerId: conversation.customerId });
  });
});

describe('createMessage by automation and bots', () => {
  it('a bot reply does not count as the first response; the next human reply does', async () => {
    const acc = await createAccount(t());
    const { conversation } = await createConversation(acc.owner.ctx, {
      customer: { name: 'Z' },
      message: { body: 'help', kind: 'incoming' },
    });
    const bot = {
      ...acc.owner.ctx,
      actor: { kind: 'automation' as const, accountId: acc.accountId, ruleId: '00000000-0000-7000-8000-000000000001' },
    };
    const byBot = await createMessage(bot, { conversationId: conversation.id, body: 'I am a bot', kind: 'outgoing' });
    expect(byBot.message.authorKind).toBe('bot');
    expect(byBot.conversation).toMatchObject({ firstResponseAt: null, lastAgentReplyAt: null, waitingSince: conversation.waitingSince });
    const byHuman = await createMessage(acc.owner.ctx, { conversationId: conversation.id, body: 'Human here', kind: 'outgoing' });
    expect(byHuman.conversation.firstResponseAt).toEqual(byHuman.message.createdAt);
  });
});
