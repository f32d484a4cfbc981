import type { CreateApiKeyBody, Role } from '@touchpoint/shared';
import { randomBytes, randomInt } from 'node:crypto';
import type { Db } from '../../../db/client';
import { apiKeys } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import { systemCtx, type Ctx } from '../../../platform/context';
import { forbidden, invalid } from '../../../platform/errors';
import { emit, type EventBus } from '../../../platform/events';
import { hashToken } from '../../../platform/http/tokens';
import { command } from '../../../platform/tx';
import { accountPolicy, mayGrant } from '../policy';
import { presentApiKey } from '../presenters';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `tp_<prefix>_<secret>`: the prefix (12 alphanumerics) finds the row, the 256-bit secret proves possession. */
export function generateApiKey(): { prefix: string; secret: string; token: string } {
  let prefix = '';
  for (let i = 0; i < 12; i++) prefix += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  const secret = randomBytes(32).toString('base64url');
  return { prefix, secret, token: `tp_${prefix}_${secret}` };
}

interface KeyInput {
  name: string;
  role: Role;
  expiresAt?: string | Date | null;
}

async function insertKey(ctx: Ctx, input: KeyInput) {
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw invalid('body.expiresAt', 'The expiry must be in the future');
  const { prefix, secret, token } = generateApiKey();
  return command(ctx, async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        accountId: ctx.accountId,
        name: input.name,
        role: input.role,
        prefix,
        secretHash: hashToken(secret),
        createdById: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
        expiresAt,
      })
      .returning();
    const apiKey = presentApiKey(row!);
    await emit(tx, ctx, { type: 'api_key.created', payload: { apiKey } });
    return { ...apiKey, secret: token };
  });
}

/** Creates an API key; its role may not exceed the creator's. The secret is returned once, only its hash is kept. */
export async function createApiKey(ctx: Ctx, input: CreateApiKeyBody) {
  authorize(ctx.actor, accountPolicy, 'manage_api_keys', { accountId: ctx.accountId });
  if (!mayGrant(ctx.actor, input.role)) throw forbidden('You may not create a key with a role above your own');
  return insertKey(ctx, input);
}

/** For operators (`touchpoint create-api-key --account <slug> --role admin --name ci`): no acting user. */
export async function issueApiKey(db: Db, events: EventBus, input: KeyInput & { accountId: string }) {
  return insertKey(systemCtx({ db, events }, input.accountId, 'cli:create-api-key'), input);
}
