import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events } from '../src/db/schema';
import { withTenant } from '../src/db/tenant';
import { recordClaimedIdentity } from '../src/modules/customers';
import { conversationsOf, createEmailChannel, sendToIntake, uniq } from '../src/modules/email/test-support';
import { callEvent, createVoiceChannel, postAll } from '../src/modules/voice/test-support';
import { createWebChannel, sendAsVisitor, startSession } from '../src/modules/webchat/test-support';
import { systemCtx } from '../src/platform/context';
import { command } from '../src/platform/tx';
import { createAccount, createUser } from './factories';
import { useTestApp } from './harness';

// Across modules on purpose (webchat, email, voice, customers, conversations): the journey of the issue "one
// customer", through each channel's real intake.
const t = useTestApp({ config: { SMTP_PORT: '0', SMTP_HOST: '127.0.0.1' } });

describe('one customer across channels', () => {
  it('chat, then email from the same address, then a call from the profile phone: one customer, each conversation lists the others', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const web = await createWebChannel(t(), acc.accountId);
    const mail = await createEmailChannel(t(), acc.accountId);
    const voice = await createVoiceChannel(t(), acc.owner);
    const address = `ann-${uniq()}@customer.test`;
    const get = async (url: string) => {
      const res = await t().app.inject({ url: `/api/v1${url}`, headers: agent.headers });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().data;
    };

    // 1. Web chat: an anonymous visitor writes, then types their email in the pre-chat form (a claim).
    const visitor = await startSession(t(), web);
    const sent = await sendAsVisitor(t(), web, visitor, { body: 'Is my order shipped?', clientMessageId: 'm-1' });
    expect(sent.statusCode, sent.body).toBe(201);
    const chatId = sent.json().data.message.conversationId as string;
    const customerId = (await get(`/conversations/${chatId}`)).customerId as string;
    const ctx = systemCtx({ db: t().database.db, events: t().events }, acc.accountId, 'test');
    const claimed = await command(ctx, (tx) =>
      recordClaimedIdentity(tx, ctx, customerId, { kind: 'email', value: address, source: 'webchat.prechat' }),
    );
    expect(claimed).toEqual({ outcome: 'attached' });
    // The agent adds the phone number the customer gave in the chat.
    const patched = await t().app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${customerId}`,
      headers: agent.headers,
      payload: { phone: '+1 415 555 0177' },
    });
    expect(patched.statusCode, patched.body).toBe(200);

    // 2. Email from the same address.
    await sendToIntake(t(), { from: `Ann <${address}>`, to: mail.address, subject: 'Order 1042', text: 'Any news?' });
    const mailConversation = (await conversationsOf(t(), acc.accountId)).find((c) => c.subject === 'Order 1042')!;
    expect(mailConversation.customerEmail).toBe(address);

    // 3. A call from the phone on the profile.
    await postAll(t(), voice, [callEvent('call.queued', `CA${uniq()}`, new Date().toISOString(), { from: '(415) 555-0177' })]);
    await t().settle();
    const [callConversation] = (await conversationsOf(t(), acc.accountId)).filter((c) => c.id !== chatId && c.id !== mailConversation.id);
    expect(callConversation).toBeDefined();

    const ids = [chatId, mailConversation.id, callConversation!.id];
    for (const id of ids) expect((await get(`/conversations/${id}`)).customerId).toBe(customerId);
    expect((await get(`/customers?limit=100`)).map((c: { id: string }) => c.id)).toEqual([customerId]);

    for (const id of ids) {
      const related = (await get(`/conversations/${id}/related`)) as { id: string; channel: { kind: string } }[];
      expect(related.map((r) => r.id).sort()).toEqual(ids.filter((x) => x !== id).sort());
    }
    const fromCall = (await get(`/conversations/${callConversation!.id}/related`)) as { id: string; channel: { kind: string } }[];
    expect(fromCall.map((r) => r.channel.kind).sort()).toEqual(['email', 'web']);

    // The new conversation's event links it to the recent ones, for listeners and integrations.
    const [created] = await withTenant(t().database.db, acc.accountId, (tx) =>
      tx
        .select()
        .from(events)
        .where(
          and(
            eq(events.accountId, acc.accountId),
            eq(events.type, 'conversation.created'),
            eq(events.conversationId, callConversation!.id),
          ),
        ),
    );
    expect(((created!.payload as { recentConversationIds: string[] }).recentConversationIds ?? []).sort()).toEqual(
      [chatId, mailConversation.id].sort(),
    );
  });
});
