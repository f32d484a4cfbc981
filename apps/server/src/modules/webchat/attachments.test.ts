import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { attachments } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { createWebChannel, sendAsVisitor, startSession, type Visitor } from './test-support';

// A small limit so the size check is exercised without megabytes of test data.
const t = useTestApp({ config: { ATTACHMENTS_MAX_BYTES: '2048', ATTACHMENTS_ALLOWED_TYPES: 'image/png,application/pdf' } });

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function upload(web: string, v: Visitor | null, file: { name: string; type: string; body: Buffer | string }) {
  return t().app.inject({
    method: 'POST',
    url: `/api/v1/widget/${web}/attachments?filename=${encodeURIComponent(file.name)}`,
    headers: { ...(v?.headers ?? {}), 'content-type': file.type },
    payload: file.body,
  });
}
const download = (web: string, v: Visitor | null, id: string) =>
  t().app.inject({ method: 'GET', url: `/api/v1/widget/${web}/attachments/${id}`, headers: v?.headers ?? {} });
const stored = async (accountId: string) =>
  (
    await withSystem(t().database.db, (tx) =>
      tx.select({ id: attachments.id }).from(attachments).where(eq(attachments.accountId, accountId)),
    )
  ).length;

/** A visitor with a conversation in progress (uploads go into it). */
async function visitorWithChat() {
  const acc = await createAccount(t());
  const web = await createWebChannel(t(), acc.accountId);
  const v = await startSession(t(), web);
  const first = (await sendAsVisitor(t(), web, v, { body: 'Hi', clientMessageId: 'a-0' })).json().data.message;
  return { acc, web, v, conversationId: first.conversationId as string };
}

describe('widget attachments', () => {
  it('uploads a file, sends it with a message (no text needed) and downloads the same bytes; agents see it too', async () => {
    const { acc, web, v, conversationId } = await visitorWithChat();
    const config = (await t().app.inject({ url: `/api/v1/widget/${web}/config` })).json().data;
    expect(config.attachments).toMatchObject({ maxBytes: 2048, allowedTypes: ['image/png', 'application/pdf'] });
    const up = await upload(web, v, { name: 'receipt.png', type: 'image/png', body: PNG });
    expect(up.statusCode, up.body).toBe(201);
    const file = up.json().data;

    const sent = await sendAsVisitor(t(), web, v, { body: '', clientMessageId: 'a-1', attachmentIds: [file.id] });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json().data.message).toMatchObject({ body: '', attachments: [{ id: file.id, name: 'receipt.png' }] });
    const history = (await t().app.inject({ url: `/api/v1/widget/${web}/messages`, headers: v.headers })).json().data.messages;
    expect(history.at(-1).attachments).toEqual([file]);

    const got = await download(web, v, file.id);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(PNG)).toBe(true);
    expect(got.headers['content-disposition']).toMatch(/^attachment;/);
    const thread = (await t().app.inject({ url: `/api/v1/conversations/${conversationId}/messages`, headers: acc.owner.headers })).json()
      .data;
    expect(thread.at(-1).attachments).toEqual([file]);
  });

  it('refuses too large and forbidden files, uploads without a conversation, and strangers; nothing is stored', async () => {
    const { acc, web, v } = await visitorWithChat();
    const big = await upload(web, v, { name: 'big.png', type: 'image/png', body: Buffer.alloc(4096, 1) });
    expect(big.statusCode).toBe(413);
    const html = await upload(web, v, { name: 'x.html', type: 'text/html', body: '<script>alert(1)</script>' });
    expect(html.statusCode).toBe(415);
    expect(html.headers['content-type']).toContain('application/problem+json');
    expect((await upload(web, null, { name: 'a.png', type: 'image/png', body: PNG })).statusCode).toBe(401);
    const newcomer = await startSession(t(), web);
    const early = await upload(web, newcomer, { name: 'a.png', type: 'image/png', body: PNG });
    expect(early.statusCode).toBe(409);
    expect(await stored(acc.accountId)).toBe(0);
  });

  it("never gives a visitor another visitor's file, a note's file or an unsent upload of the agents", async () => {
    const { acc, web, v, conversationId } = await visitorWithChat();
    const other = await visitorWithChat();
    const mine = (await upload(web, v, { name: 'mine.pdf', type: 'application/pdf', body: '%PDF-1.4' })).json().data;
    expect((await download(other.web, other.v, mine.id)).statusCode).toBe(404); // another account's visitor
    expect((await download(web, other.v, mine.id)).statusCode).toBe(401); // another channel's token
    const sameChannel = await startSession(t(), web);
    expect((await download(web, sameChannel, mine.id)).statusCode).toBe(404);

    const agentUpload = (
      await t().app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/attachments?filename=internal.pdf`,
        headers: { ...acc.owner.headers, 'content-type': 'application/pdf' },
        payload: '%PDF-1.4 internal',
      })
    ).json().data;
    expect((await download(web, v, agentUpload.id)).statusCode).toBe(404); // not sent yet
    const note = await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: acc.owner.headers,
      payload: { kind: 'note', body: 'See file', attachmentIds: [agentUpload.id] },
    });
    expect(note.statusCode).toBe(201);
    expect((await download(web, v, agentUpload.id)).statusCode).toBe(404); // an internal note's file
    // A visitor cannot send an agent's upload as their own.
    const stolen = await sendAsVisitor(t(), web, v, { body: 'x', clientMessageId: 'a-9', attachmentIds: [agentUpload.id] });
    expect(stolen.statusCode).toBe(422);
  });
});
