import { SLA_TARGETS, type SlaEscalation } from '@touchpoint/shared';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { conversations, conversationSlas, slaPolicies } from '../../db/schema';
import { systemCtx, type Ctx } from '../../platform/context';
import { emit } from '../../platform/events';
import { defineJob, type JobDefinition } from '../../platform/jobs';
import type { AppDeps } from '../../platform/module';
import { command } from '../../platform/tx';
import { presentConversation } from '../conversations';
import { TARGET_COLUMNS } from './clock';
import { escalate } from './escalate';
import { lockSla } from './store';

const ZSlaCheck = z.object({
  accountId: z.uuid(),
  conversationId: z.uuid(),
  target: z.enum(SLA_TARGETS),
  kind: z.enum(['warning', 'breach']),
  dueAt: z.iso.datetime(),
  runAt: z.iso.datetime(),
});
export type SlaCheck = z.infer<typeof ZSlaCheck>;

/** The clock the checks read; tests set it to "the due time" instead of sleeping. */
export const slaClock = { now: (): Date => new Date() };

/**
 * Fires `sla.warning` / `sla.breached` if, at `now`, the target is still unmet for the same due time and the clock
 * is running. A job for a due time that has since moved, a met target, a paused clock or a second run are no-ops.
 */
export async function runSlaCheck(ctx: Ctx, check: SlaCheck, now: Date): Promise<SlaEscalation | 'early' | null> {
  return command(ctx, async (tx) => {
    const row = await lockSla(tx, ctx.accountId, check.conversationId);
    if (!row || row.pausedAt) return null;
    const cols = TARGET_COLUMNS[check.target];
    const due = row[cols.due];
    if (!due || due.toISOString() !== check.dueAt || row[cols.status] !== 'pending') return null;
    const [policy] = await tx
      .select()
      .from(slaPolicies)
      .where(and(eq(slaPolicies.accountId, ctx.accountId), eq(slaPolicies.id, row.policyId)));
    // The presented conversation lets realtime route the event to the team's inbox and clients update in place.
    const [conv] = await tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.accountId, ctx.accountId), eq(conversations.id, check.conversationId)));
    const payload = {
      target: check.target,
      dueAt: check.dueAt,
      policyId: row.policyId,
      policyName: policy?.name ?? null,
      ...(conv ? { conversation: presentConversation(conv) } : {}),
    };
    const where = and(eq(conversationSlas.accountId, ctx.accountId), eq(conversationSlas.conversationId, check.conversationId));
    if (check.kind === 'warning') {
      if (row[cols.warned] || now.getTime() >= due.getTime()) return null;
      await tx
        .update(conversationSlas)
        .set({ [cols.warned]: true })
        .where(where);
      await emit(tx, ctx, { type: 'sla.warning', conversationId: check.conversationId, payload });
      return null;
    }
    if (now.getTime() < due.getTime()) return 'early';
    await tx
      .update(conversationSlas)
      .set({ [cols.status]: 'breached' })
      .where(where);
    await emit(tx, ctx, { type: 'sla.breached', conversationId: check.conversationId, payload });
    return (policy?.escalation as SlaEscalation | undefined) ?? null;
  });
}

export function slaCheckJob(deps: Pick<AppDeps, 'database' | 'events' | 'jobs'>) {
  const job: JobDefinition<SlaCheck> = defineJob<SlaCheck>({
    name: 'sla-check',
    schema: ZSlaCheck,
    run: async (check) => {
      const ctx = systemCtx({ db: deps.database.db, events: deps.events }, check.accountId, 'sla');
      const now = slaClock.now();
      const outcome = await runSlaCheck(ctx, check, now);
      // Ran before the due time (a node's clock behind the database's): check again at the due time.
      if (outcome === 'early')
        await deps.jobs.enqueue(job, check, {
          runAt: new Date(check.dueAt),
          dedupeKey: `${check.conversationId}:${check.target}:${check.kind}:${check.dueAt}:after:${now.toISOString()}`,
        });
      // After the breach committed: escalations are separate commands that emit their usual events.
      else if (outcome) await escalate(ctx, check.conversationId, outcome);
    },
  });
  return job;
}
