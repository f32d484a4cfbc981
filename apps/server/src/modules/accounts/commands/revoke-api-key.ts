import type { Role } from '@touchpoint/shared';
import { and, eq } from 'drizzle-orm';
import { apiKeys } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { notFound } from '../../../platform/errors';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { apiKeyPolicy } from '../policy';
import { presentApiKey } from '../presenters';

/** Revokes a key (idempotent). Callers also drop it from the authenticator cache: `forget('api_key:<id>')`. */
export async function revokeApiKey(ctx: Ctx, keyId: string): Promise<void> {
  await command(ctx, async (tx) => {
    const [row] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.accountId, ctx.accountId), eq(apiKeys.id, keyId)))
      .for('update');
    if (!row) throw notFound('API key');
    authorize(ctx.actor, apiKeyPolicy, 'revoke', { accountId: ctx.accountId, role: row.role as Role });
    if (row.revokedAt) return;
    const [revoked] = await tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, row.id)).returning();
    await emit(tx, ctx, { type: 'api_key.revoked', payload: { apiKey: presentApiKey(revoked!) } });
  });
}
