import { and, asc, eq, sql } from 'drizzle-orm';
import { channels, memberships, users } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import type { AppDeps } from '../../platform/module';

/** The login `touchpoint seed --demo` creates (apps/server/src/seed/demo.ts); its account is Northwind Outfitters. */
const DEMO_EMAIL = 'demo@touchpoint.dev';

/** The demo account's active web channel, looked up per request so seeding after boot just works; null without one. */
export async function findDemoWebChannel(deps: Pick<AppDeps, 'database'>): Promise<string | null> {
  const rows = await withSystem(deps.database.db, (tx) =>
    tx
      .select({ id: channels.id })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .innerJoin(channels, and(eq(channels.accountId, memberships.accountId), eq(channels.kind, 'web'), eq(channels.active, true)))
      .where(sql`lower(${users.email}) = ${DEMO_EMAIL}`)
      .orderBy(asc(channels.createdAt))
      .limit(1),
  );
  return rows[0]?.id ?? null;
}
