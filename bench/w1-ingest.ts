import { randomBytes } from 'node:crypto';
import { startCeiling } from './lib/ceiling';
import { runHttpLoad } from './lib/http-load';
import { Prng, words } from './lib/prng';
import type { WorkloadResult } from './lib/report';
import { median, round } from './lib/stats';
import { runSqlLoad } from './lib/sql-load';
import { resultOf, sandwich, sqlPerRequest, type WorkloadCtx } from './lib/workload';

const KINDS = ['incoming', 'outgoing'];

/**
 * W1, message ingestion (BENCHMARKS §4.2): POST a 1 KB message over HTTP with an API key, closed loop at
 * --connections, against R1a = the same transaction (INSERT message + UPDATE conversation + INSERT outbox
 * event, COMMIT) through raw node-postgres with as many concurrent callers on a pool of the server's size.
 */
export async function runW1(ctx: WorkloadCtx): Promise<WorkloadResult> {
  const { engine, dataset, args } = ctx;
  const rng = new Prng(args.seed + 7);
  const texts = Array.from({ length: 16 }, () => words(rng, 1000).slice(0, 1024));
  const conversationIds = dataset.activeConversationIds;
  const paths = conversationIds.map((id) => `/api/v1/conversations/${id}/messages`);
  const headers = { authorization: ctx.authorization };
  const runId = randomBytes(4).toString('hex');

  const perRequest = await sqlPerRequest(engine.runtime.app.server, 20, (i) =>
    fetch(`${engine.origin}${paths[i % paths.length]}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ body: texts[i % texts.length], kind: KINDS[i % 2], clientMessageId: `probe-${runId}-${i}` }),
    }),
  );

  const { rows } = await engine.refPool.query<{ id: string; channel_id: string; customer_id: string }>(
    `select id, channel_id, customer_id from conversations where account_id = $1 and id = any($2::uuid[])`,
    [dataset.accountId, conversationIds],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const targets = conversationIds.map((id) => byId.get(id)!);
  let refPass = 0;

  const ref = () => {
    const prefix = `ref-${runId}-${refPass++}`;
    return runSqlLoad({
      workers: args.connections,
      durationSec: args.durationSec,
      warmupSec: args.warmupSec,
      task: (i) => refTransaction(ctx, targets[i % targets.length]!, texts[i % texts.length]!, KINDS[i % 2]!, `${prefix}-${i}`),
    });
  };
  let oursPass = 0;
  const ours = () =>
    runHttpLoad({
      url: engine.origin,
      method: 'POST',
      paths,
      headers,
      connections: args.connections,
      durationSec: args.durationSec,
      warmupSec: args.warmupSec,
      post: { texts, kinds: KINDS, idPrefix: `ours-${runId}-${oursPass++}` },
    });

  // The HTTP ceiling: the same transaction behind a bare Fastify route with the same body validation.
  const ceilingApp = await startCeiling(ctx.authorization, {
    postMessage: async (conversationId, body) => {
      const target = byId.get(conversationId);
      if (!target) throw new Error(`unknown conversation ${conversationId}`);
      await refTransaction(ctx, target, body.body, body.kind, body.clientMessageId);
      return { conversationId, kind: body.kind, clientMessageId: body.clientMessageId };
    },
  });
  let s: Awaited<ReturnType<typeof sandwich>>;
  let ceilingSql: number;
  try {
    ceilingSql = await sqlPerRequest(ceilingApp.server, 20, (i) =>
      fetch(`${ceilingApp.origin}${paths[i % paths.length]}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ body: texts[i % texts.length], kind: KINDS[i % 2], clientMessageId: `probe-ceil-${runId}-${i}` }),
      }),
    );
    let ceilingPass = 0;
    const ceiling = () =>
      runHttpLoad({
        url: ceilingApp.origin,
        method: 'POST',
        paths,
        headers,
        connections: args.connections,
        durationSec: args.durationSec,
        warmupSec: args.warmupSec,
        post: { texts, kinds: KINDS, idPrefix: `ceil-${runId}-${ceilingPass++}` },
      });
    s = await sandwich(ctx, `w1 ${engine.kind}`, ref, ours, ceiling);
  } finally {
    await ceilingApp.close();
  }
  const drain = median(s.drainSec);
  const sustainedRate = args.workers && drain >= 0 ? round(s.ours.count / args.reps / (s.ours.seconds / args.reps + drain), 1) : undefined;
  return resultOf(ctx, 'w1-ingest', s, {
    connections: args.connections,
    ...(args.workers ? { asyncDrainSec: drain } : {}),
    sustainedRate,
    sustainedRatio: sustainedRate !== undefined && s.ref.rate > 0 ? round(sustainedRate / s.ref.rate, 3) : undefined,
    ceilingSqlPerRequest: ceilingSql,
    sqlPerRequest: perRequest,
    eventLoopLagP99Ms: s.eventLoopLagP99Ms,
    eventLoopLagMaxMs: s.eventLoopLagMaxMs,
  });
}

/** R1a: what the endpoint must durably do, as few statements as a hand-written client would send. */
async function refTransaction(
  ctx: WorkloadCtx,
  target: { id: string; channel_id: string; customer_id: string },
  body: string,
  kind: string,
  clientMessageId: string,
): Promise<void> {
  const accountId = ctx.dataset.accountId;
  const incoming = kind === 'incoming';
  const client = await ctx.engine.refPool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ id: string; created_at: Date }>(
      `insert into messages (account_id, conversation_id, channel_id, kind, author_kind, author_customer_id, body, client_message_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning id, created_at`,
      [
        accountId,
        target.id,
        target.channel_id,
        kind,
        incoming ? 'customer' : 'agent',
        incoming ? target.customer_id : null,
        body,
        clientMessageId,
      ],
    );
    await client.query(
      `update conversations set message_count = message_count + 1, last_message_preview = left($3, 140), last_activity_at = now(), updated_at = now(),
         last_customer_message_at = case when $4 then now() else last_customer_message_at end,
         last_agent_reply_at = case when $4 then last_agent_reply_at else now() end,
         waiting_since = case when $4 then coalesce(waiting_since, now()) else null end,
         first_response_at = case when $4 then first_response_at else coalesce(first_response_at, now()) end
       where account_id = $1 and id = $2`,
      [accountId, target.id, body, incoming],
    );
    const message = {
      id: rows[0]!.id,
      conversationId: target.id,
      channelId: target.channel_id,
      kind,
      body,
      clientMessageId,
      createdAt: rows[0]!.created_at,
    };
    await client.query(
      // Written as already dispatched: the server's dispatcher must not pick up (and bill ours for) the reference's rows.
      `insert into events (account_id, type, actor_kind, conversation_id, customer_id, payload, dispatched_at) values ($1, 'message.created', 'api_key', $2, $3, $4, now())`,
      [
        accountId,
        target.id,
        target.customer_id,
        JSON.stringify({ message, conversation: { id: target.id, lastMessagePreview: body.slice(0, 140) } }),
      ],
    );
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
