import { describe, expect, it } from 'vitest';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { createEmailChannel, messagesOf, sendToIntake, uniq } from './test-support';

// Tight limits, so one mail exercises every outcome.
const t = useTestApp({
  config: { SMTP_PORT: '0', SMTP_HOST: '127.0.0.1', ATTACHMENTS_MAX_BYTES: '4096', ATTACHMENTS_ALLOWED_TYPES: 'application/pdf,image/*' },
});

describe('inbound email attachments', () => {
  it('stores the files inside the limits and lists the others with the reason, accepting the mail either way', async () => {
    const acc = await createAccount(t());
    const channel = await createEmailChannel(t(), acc.accountId);
    const pdf = Buffer.from('%PDF-1.4 invoice');
    const info = await sendToIntake(t(), {
      from: `ann-${uniq()}@customer.test`,
      to: channel.address,
      subject: 'Broken lamp',
      text: 'Photos and invoice attached.',
      attachments: [
        { filename: 'invoice.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'photo.png', content: Buffer.alloc(8192, 7), contentType: 'image/png' },
        { filename: 'setup.exe', content: Buffer.from('MZ'), contentType: 'application/x-msdownload' },
        { filename: '../../evil.pdf', content: pdf, contentType: 'application/pdf' },
      ],
    });
    expect(info.response).toBe('250 OK: created');
    const [msg] = await messagesOf(t(), acc.accountId);
    expect(msg!.attachments).toEqual([
      { name: 'photo.png', contentType: 'image/png', size: 8192, inline: false, stored: false, reason: 'too_large' },
      { name: 'setup.exe', contentType: 'application/x-msdownload', size: 2, inline: false, stored: false, reason: 'type_not_allowed' },
      { id: expect.any(String), name: 'invoice.pdf', contentType: 'application/pdf', size: pdf.length, inline: false },
      { id: expect.any(String), name: '.._.._evil.pdf', contentType: 'application/pdf', size: pdf.length, inline: false },
    ]);
    const stored = msg!.attachments[2] as { id: string };
    const got = await t().app.inject({ url: `/api/v1/attachments/${stored.id}`, headers: acc.owner.headers });
    expect(got.rawPayload.equals(pdf)).toBe(true);
    expect(got.headers['content-disposition']).toMatch(/^attachment; filename="invoice.pdf"/);
    // The customer's files cannot be re-sent by an agent as their own.
    const reuse = await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${msg!.conversationId}/messages`,
      headers: acc.owner.headers,
      payload: { kind: 'outgoing', attachmentIds: [stored.id] },
    });
    expect(reuse.statusCode).toBe(422);
  });
});
