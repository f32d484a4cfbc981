import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { attachments } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { createAccount, createUser } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { postMessage, startConversation } from '../test-support';

// A small limit so the size check is exercised without megabytes of test data.
const t = useTestApp({ config: { ATTACHMENTS_MAX_BYTES: '2048', ATTACHMENTS_ALLOWED_TYPES: 'image/png,application/pdf,text/*' } });

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function upload(headers: Record<string, string>, conversationId: string, file: { name: string; type?: string; body: Buffer | string }) {
  return t().app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${conversationId}/attachments?filename=${encodeURIComponent(file.name)}`,
    headers: { ...headers, ...(file.type ? { 'content-type': file.type } : {}) },
    payload: file.body,
  });
}

const storedCount = async (accountId: string) =>
  (
    await withSystem(t().database.db, (tx) =>
      tx.select({ id: attachments.id }).from(attachments).where(eq(attachments.accountId, accountId)),
    )
  ).length;

describe('agent attachments', () => {
  it('uploads a file, sends it with a reply, lists it on the message and serves the same bytes back', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const up = await upload(acc.owner.headers, conversation.id, { name: 'Zählerstand – März.png', type: 'image/png', body: PNG });
    expect(up.statusCode, up.body).toBe(201);
    const file = up.json().data;
    expect(file).toMatchObject({ name: 'Zählerstand – März.png', contentType: 'image/png', size: PNG.length, inline: false });

    // Only files: the body may be left out, and the list preview names the file.
    const sent = await postMessage(t(), acc.owner.headers, conversation.id, { kind: 'outgoing', attachmentIds: [file.id] });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json().data).toMatchObject({ body: '', attachments: [file] });
    const conv = (await t().app.inject({ url: `/api/v1/conversations/${conversation.id}`, headers: acc.owner.headers })).json().data;
    expect(conv.lastMessagePreview).toBe('📎 Zählerstand – März.png');

    const got = await t().app.inject({ url: `/api/v1/attachments/${file.id}`, headers: acc.owner.headers });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(PNG)).toBe(true);
    expect(got.headers).toMatchObject({ 'content-type': 'image/png', 'x-content-type-options': 'nosniff' });
    expect(got.headers['content-disposition']).toBe(
      `inline; filename="Z_hlerstand _ M_rz.png"; filename*=UTF-8''Z%C3%A4hlerstand%20%E2%80%93%20M%C3%A4rz.png`,
    );
    expect(got.headers['content-security-policy']).toContain('sandbox');
    const forced = await t().app.inject({ url: `/api/v1/attachments/${file.id}?download=1`, headers: acc.owner.headers });
    expect(forced.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('text files download as plain text attachments, never rendered as HTML', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const up = await upload(acc.owner.headers, conversation.id, {
      name: 'notes.txt',
      type: 'text/plain',
      body: '<script>alert(1)</script>',
    });
    expect(up.statusCode).toBe(201);
    const got = await t().app.inject({ url: `/api/v1/attachments/${up.json().data.id}`, headers: acc.owner.headers });
    expect(got.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(got.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('refuses files over the size limit (413), of other types (415), empty (422) or nameless (422), storing nothing', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const big = await upload(acc.owner.headers, conversation.id, { name: 'big.pdf', type: 'application/pdf', body: Buffer.alloc(4096, 1) });
    expect(big.statusCode).toBe(413);
    const svg = await upload(acc.owner.headers, conversation.id, {
      name: 'x.svg',
      type: 'image/svg+xml',
      body: '<svg onload="alert(1)"/>',
    });
    expect(svg.statusCode).toBe(415);
    expect(svg.json()).toMatchObject({ allowedTypes: ['image/png', 'application/pdf', 'text/*'] });
    const untyped = await upload(acc.owner.headers, conversation.id, { name: 'x.bin', body: PNG });
    expect(untyped.statusCode).toBe(415);
    const empty = await upload(acc.owner.headers, conversation.id, { name: 'empty.pdf', type: 'application/pdf', body: '' });
    expect(empty.statusCode).toBe(422);
    const nameless = await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation.id}/attachments`,
      headers: { ...acc.owner.headers, 'content-type': 'image/png' },
      payload: PNG,
    });
    expect(nameless.statusCode).toBe(422);
    const pathy = await upload(acc.owner.headers, conversation.id, { name: '../../etc/passwd', type: 'text/plain', body: 'x' });
    expect(pathy.statusCode).toBe(422);
    expect(await storedCount(acc.accountId)).toBe(0);
    const limits = await t().app.inject({ url: '/api/v1/attachments/limits', headers: acc.owner.headers });
    expect(limits.json().data).toEqual({ maxBytes: 2048, maxPerMessage: 10, allowedTypes: ['image/png', 'application/pdf', 'text/*'] });
  });

  it('an upload is sent once, only in its own conversation, and a refused message claims nothing', async () => {
    const acc = await createAccount(t());
    const { conversation: a } = await startConversation(t(), acc.owner.headers);
    const { conversation: b } = await startConversation(t(), acc.owner.headers);
    const file = (await upload(acc.owner.headers, a.id, { name: 'a.pdf', type: 'application/pdf', body: 'pdf' })).json().data;

    const elsewhere = await postMessage(t(), acc.owner.headers, b.id, { kind: 'outgoing', body: 'see file', attachmentIds: [file.id] });
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json().errors[0]).toMatchObject({ path: 'attachmentIds.0' });
    const twice = await postMessage(t(), acc.owner.headers, a.id, { kind: 'outgoing', attachmentIds: [file.id, file.id] });
    expect(twice.statusCode).toBe(422);

    expect((await postMessage(t(), acc.owner.headers, a.id, { kind: 'note', attachmentIds: [file.id] })).statusCode).toBe(201);
    const again = await postMessage(t(), acc.owner.headers, a.id, { kind: 'outgoing', attachmentIds: [file.id] });
    expect(again.statusCode).toBe(422);
    expect(again.json().errors[0].message).toMatch(/already sent/);
    const linked = await withSystem(t().database.db, (tx) =>
      tx
        .select({ messageId: attachments.messageId })
        .from(attachments)
        .where(and(eq(attachments.accountId, acc.accountId), eq(attachments.id, file.id))),
    );
    expect(linked[0]!.messageId).not.toBeNull();
    // A customer message (recorded through the API) cannot carry the agent's upload.
    const other = (await upload(acc.owner.headers, a.id, { name: 'b.pdf', type: 'application/pdf', body: 'pdf' })).json().data;
    const asCustomer = await postMessage(t(), acc.owner.headers, a.id, { kind: 'incoming', body: 'mine', attachmentIds: [other.id] });
    expect(asCustomer.statusCode).toBe(422);
  });

  it('another account cannot download or send a file, and analysts cannot upload', async () => {
    const acc = await createAccount(t());
    const stranger = await createAccount(t());
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const file = (await upload(acc.owner.headers, conversation.id, { name: 'a.pdf', type: 'application/pdf', body: 'pdf' })).json().data;
    expect((await t().app.inject({ url: `/api/v1/attachments/${file.id}`, headers: stranger.owner.headers })).statusCode).toBe(404);
    const { conversation: theirs } = await startConversation(t(), stranger.owner.headers);
    const steal = await postMessage(t(), stranger.owner.headers, theirs.id, { kind: 'outgoing', attachmentIds: [file.id] });
    expect(steal.statusCode).toBe(422);
    expect((await upload(stranger.owner.headers, conversation.id, { name: 'x.pdf', type: 'application/pdf', body: 'x' })).statusCode).toBe(
      404,
    );
    expect((await upload(analyst.headers, conversation.id, { name: 'x.pdf', type: 'application/pdf', body: 'x' })).statusCode).toBe(403);
    expect((await t().app.inject({ url: `/api/v1/attachments/${file.id}`, headers: analyst.headers })).statusCode).toBe(200);
    expect(await storedCount(stranger.accountId)).toBe(0);
  });
});
