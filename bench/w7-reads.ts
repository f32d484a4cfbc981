import { startCeiling, type Ceiling } from './lib/ceiling';
import { runHttpLoad } from './lib/http-load';
import type { WorkloadResult } from './lib/report';
import { runSqlLoad } from './lib/sql-load';
import type { LoadSummary } from './lib/stats';
import { resultOf, sandwich, sqlPerRequest, type WorkloadCtx } from './lib/workload';

/**
 * R7a for the inbox list: the single best-indexed statement (conversations_inbox_idx, then 25 customer
 * lookups by primary key) returning every column the presenter needs. Its ORDER BY must match the index's
 * null ordering (DESC = NULLS FIRST): with a mismatch PostgreSQL reads and sorts every open conversation.
 */
const LIST_SQL = `
  select c.id, c.number, c.status, c.priority, c.subject, c.customer_id, c.channel_id, c.assignee_id, c.team_id, c.tags,
         c.custom_attributes, c.snoozed_until, c.message_count, c.last_message_preview, c.last_activity_at,
         c.last_customer_message_at, c.last_agent_reply_at, c.waiting_since, c.first_response_at, c.resolved_at,
         c.reopened_at, c.reopen_count, c.created_at, c.updated_at, cu.name as customer_name, cu.email as customer_email,
         cu.phone as customer_phone
    from conversations c
    join customers cu on cu.account_id = c.account_id and cu.id = c.customer_id
   where c.account_id = $1 and c.status = 'open'
   order by c.last_activity_at desc, c.id desc
   limit 25`;

/** R7a for an open conversation: the last 50 messages by a backward scan of messages_conversation_idx. */
const MESSAGES_SQL = `
  select id, conversation_id, channel_id, kind, author_kind, author_user_id, author_customer_id, body, content_type,
         attachments, client_message_id, created_at
    from messages
   where account_id = $1 and conversation_id = $2
   order by created_at desc, id desc
   limit 50`;

/**
 * W7, agent workspace reads (BENCHMARKS §4.2): the inbox list (first page of 25 open conversations by last
 * activity, with customer and last-message preview) and an open conversation (last 50 messages, ids
 * rotating), each over HTTP against its best raw SQL at the same concurrency.
 */
export async function runW7(ctx: WorkloadCtx): Promise<WorkloadResult[]> {
  const { dataset } = ctx;
  const ids = dataset.sampleConversationIds;
  const pool = ctx.engine.refPool;
  // The HTTP ceiling: the same statements behind bare Fastify routes with the same query validation.
  const ceiling = await startCeiling(ctx.authorization, {
    list: async () => (await pool.query(LIST_SQL, [dataset.accountId])).rows,
    messages: async (id, limit) => {
      const { rows } = await pool.query(MESSAGES_SQL, [dataset.accountId, id]);
      return rows.length > 0 ? rows.slice(0, limit) : null;
    },
  });
  try {
    const list = await view(ctx, ceiling, 'w7-list', ['/api/v1/conversations?status=open&limit=25'], () => [dataset.accountId], LIST_SQL);
    const open = await view(
      ctx,
      ceiling,
      'w7-open',
      ids.map((id) => `/api/v1/conversations/${id}/messages?limit=50`),
      (i) => [dataset.accountId, ids[i % ids.length]!],
      MESSAGES_SQL,
    );
    return [list, open];
  } finally {
    await ceiling.close();
  }
}

async function view(
  ctx: WorkloadCtx,
  ceilingApp: Ceiling,
  workload: string,
  paths: string[],
  params: (i: number) => unknown[],
  sql: string,
): Promise<WorkloadResult> {
  const { engine, args } = ctx;
  const headers = { authorization: ctx.authorization };
  // A reference that sorts instead of walking an index would flatter every ratio: say so loudly.
  const plan = await engine.refPool.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, params(0));
  const planText = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
  if (/\bSort\b/.test(planText)) ctx.log(`WARNING: the ${workload} reference sorts instead of reading an index:\n${planText}`);
  const perRequest = await sqlPerRequest(engine.runtime.app.server, 20, (i) =>
    fetch(`${engine.origin}${paths[i % paths.length]}`, { headers }),
  );
  const ref = (): Promise<LoadSummary> =>
    runSqlLoad({
      workers: args.readConnections,
      durationSec: args.durationSec,
      warmupSec: args.warmupSec,
      task: async (i) => {
        await engine.refPool.query(sql, params(i));
      },
    });
  const ours = () =>
    runHttpLoad({
      url: engine.origin,
      method: 'GET',
      paths,
      headers,
      connections: args.readConnections,
      durationSec: args.durationSec,
      warmupSec: args.warmupSec,
    });
  const ceilingSql = await sqlPerRequest(ceilingApp.server, 20, (i) =>
    fetch(`${ceilingApp.origin}${paths[i % paths.length]}`, { headers }),
  );
  const ceiling = () => runHttpLoad({ ...load, url: ceilingApp.origin });
  const load = {
    url: engine.origin,
    method: 'GET' as const,
    paths,
    headers,
    connections: args.readConnections,
    durationSec: args.durationSec,
    warmupSec: args.warmupSec,
  };
  const s = await sandwich(ctx, `${workload} ${engine.kind}`, ref, ours, ceiling);
  return resultOf(ctx, workload, s, { connections: args.readConnections, sqlPerRequest: perRequest, ceilingSqlPerRequest: ceilingSql });
}
