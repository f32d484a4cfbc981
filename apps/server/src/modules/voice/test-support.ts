import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TestUser } from '../../../test/factories';
import type { TestApp } from '../../../test/harness';
import { callEvents, calls } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { signedHeaders } from '../channels';

export interface VoiceChannel {
  id: string;
  webhookSecret: string;
}

/** A voice channel created the way an admin does it, with the secret from the answer. */
export async function createVoiceChannel(t: TestApp, owner: TestUser, kind = 'voice'): Promise<VoiceChannel> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers: owner.headers,
    payload: { kind, name: `Phone ${randomBytes(2).toString('hex')}` },
  });
  expect(res.statusCode, res.body).toBe(201);
  const { id, webhookSecret } = res.json().data as { id: string; webhookSecret: string };
  return { id, webhookSecret };
}

/** A provider event with a fresh id; `at` is the provider's event time. */
export function callEvent(type: string, callId: string, at: string, extra: Record<string, unknown> = {}) {
  return { id: `evt_${randomBytes(6).toString('hex')}`, type, callId, timestamp: at, ...extra };
}

export function postEvent(t: TestApp, channel: VoiceChannel, body: unknown, headers?: Record<string, string>) {
  const raw = JSON.stringify(body);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/channels/${channel.id}/voice/events`,
    headers: headers ?? signedHeaders(channel.webhookSecret, raw),
    payload: raw,
  });
}

/** Posts each event and expects it accepted as new. */
export async function postAll(t: TestApp, channel: VoiceChannel, events: unknown[]): Promise<void> {
  for (const e of events) {
    const res = await postEvent(t, channel, e);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.duplicate).toBe(false);
  }
}

export async function callRow(t: TestApp, accountId: string, providerCallId: string) {
  const rows = await withSystem(t.database.db, (tx) => tx.select().from(calls).where(eq(calls.providerCallId, providerCallId)));
  return rows.find((r) => r.accountId === accountId);
}

/** Rows of an account in the voice tables, to prove a refused request stored nothing. */
export async function voiceRowCounts(t: TestApp, accountId: string) {
  return withSystem(t.database.db, async (tx) => {
    const [c] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(calls)
      .where(eq(calls.accountId, accountId));
    const [e] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(callEvents)
      .where(eq(callEvents.accountId, accountId));
    return { calls: c!.n, events: e!.n };
  });
}
