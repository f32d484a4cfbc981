import { randomBytes, randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { Prng, words } from './lib/prng';
import { waitForQuiet } from './lib/quiet';
import type { WorkloadResult } from './lib/report';
import { runSqlLoad } from './lib/sql-load';
import { round } from './lib/stats';
import { resultOf, sandwich, type WorkloadCtx } from './lib/workload';

/** Concurrent clients on each side (SMTP connections for ours, HTTP callers for the reference): --connections, at most this. */
const MAX_CLIENTS = 16;
const ADDRESS = 'support@bench.test';
const SMTP_DOMAIN = 'smtp.bench.test';
const HTTP_DOMAIN = 'http.bench.test';

interface SideCheck {
  /** 250 `OK: created` replies (ours) or 201 responses (reference), warm-up included. */
  accepted: number;
  /** Conversations found afterwards on the email channel for the senders of those passes. */
  conversations: number;
  /** Their messages (one per conversation expected). */
  messages: number;
}

/**
 * Email intake: N SMTP clients (one pooled nodemailer connection each, closed loop) send distinct mails from new
 * customers to an email channel's address through the server's SMTP intake; rate = mails answered `250 OK: created`
 * per second. The intake answers only after the conversation is committed (smtp-intake.ts `deliver`), so every
 * 250 is a durable conversation. Reference (same run, sandwiched): the same new-customer message posted over HTTP,
 * `POST /api/v1/conversations` with the bench's API key, from as many in-process callers, so both load generators
 * share the server's event loop alike. After every pass the conversations created are counted against the mails
 * (or requests) accepted. Both sides queue the same listener jobs; each pass's are drained before the next pass.
 */
export async function runEmail(ctx: WorkloadCtx): Promise<WorkloadResult> {
  const { engine, dataset, args } = ctx;
  const smtp = engine.runtime.smtp;
  if (!smtp) throw new Error('email workload: the server runs no SMTP intake (startEngine without smtp)');
  const clients = Math.min(args.connections, MAX_CLIENTS);
  const rng = new Prng(args.seed + 11);
  const texts = Array.from({ length: 16 }, () => words(rng, 1000).slice(0, 1024));
  const runId = randomBytes(4).toString('hex');

  const channelId = randomUUID();
  await engine.refPool.query(`insert into channels (id, account_id, kind, name, config) values ($1, $2, 'email', 'Bench email', $3)`, [
    channelId,
    dataset.accountId,
    JSON.stringify({ address: ADDRESS }),
  ]);
  ctx.log(`email ${engine.kind}: intake on 127.0.0.1:${smtp.port} for ${ADDRESS}, ${clients} clients per side`);

  const checks = { ours: [] as SideCheck[], ref: [] as SideCheck[] };
  /** Conversations (and their messages) on the channel whose customer's address ends in `@domain`. */
  const count = async (domain: string): Promise<{ conversations: number; messages: number }> => {
    const { rows } = await engine.refPool.query<{ conversations: string; messages: string }>(
      `select count(*) as conversations, coalesce(sum((select count(*) from messages m where m.account_id = c.account_id and m.conversation_id = c.id)), 0) as messages
       from conversations c join customers cu on cu.id = c.customer_id
       where c.account_id = $1 and c.channel_id = $2 and lower(cu.email) like $3`,
      [dataset.accountId, channelId, `%@${domain}`],
    );
    return { conversations: Number(rows[0]!.conversations), messages: Number(rows[0]!.messages) };
  };

  let oursPass = 0;
  const ours = async () => {
    const domain = `p${oursPass++}.${SMTP_DOMAIN}`;
    // One pooled connection per client, reused for every mail of the pass (a sending MTA's connection cache).
    const transports = Array.from({ length: clients }, () =>
      nodemailer.createTransport({
        pool: true,
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        ignoreTLS: true,
        maxConnections: 1,
        maxMessages: Infinity,
      }),
    );
    let accepted = 0;
    try {
      const summary = await runSqlLoad({
        workers: clients,
        durationSec: args.durationSec,
        warmupSec: args.warmupSec,
        task: async (i) => {
          const info = (await transports[i % clients]!.sendMail({
            from: `Customer ${i} <c${i}-${runId}@${domain}>`,
            to: ADDRESS,
            subject: `Order ${i} question`,
            messageId: `<${runId}.${i}@${domain}>`,
            text: texts[i % texts.length],
          })) as { response?: string };
          if (!info.response?.startsWith('250 OK: created')) throw new Error(`unexpected reply: ${info.response}`);
          accepted++;
        },
      });
      checks.ours.push({ accepted, ...(await count(domain)) });
      return summary;
    } finally {
      for (const t of transports) t.close();
    }
  };

  let refPass = 0;
  const refDrainSec: number[] = [];
  const ref = async () => {
    const domain = `p${refPass++}.${HTTP_DOMAIN}`;
    let accepted = 0;
    const summary = await runSqlLoad({
      workers: clients,
      durationSec: args.durationSec,
      warmupSec: args.warmupSec,
      task: async (i) => {
        const res = await fetch(`${engine.origin}/api/v1/conversations`, {
          method: 'POST',
          headers: { authorization: ctx.authorization, 'content-type': 'application/json' },
          body: JSON.stringify({
            customer: { name: `Customer ${i}`, email: `c${i}-${runId}@${domain}` },
            channelId,
            subject: `Order ${i} question`,
            message: { body: texts[i % texts.length], kind: 'incoming' },
          }),
        });
        const text = await res.text();
        if (res.status !== 201) throw new Error(`${res.status} ${text.slice(0, 300)}`);
        accepted++;
      },
    });
    checks.ref.push({ accepted, ...(await count(domain)) });
    // Unlike W1's raw reference, these requests queue listener jobs: let them finish outside our pass.
    if (args.workers) refDrainSec.push(await waitForQuiet(engine.database.pool));
    return summary;
  };

  const s = await sandwich(ctx, `email ${engine.kind}`, ref, ours);
  const total = (side: SideCheck[], k: keyof SideCheck) => side.reduce((sum, c) => sum + c[k], 0);
  const email = {
    clients,
    smtpPort: smtp.port,
    accepted: total(checks.ours, 'accepted'),
    conversations: total(checks.ours, 'conversations'),
    messages: total(checks.ours, 'messages'),
    /** accepted - conversations: mails answered 250 without a conversation (must be 0). */
    lost: total(checks.ours, 'accepted') - total(checks.ours, 'conversations'),
    refAccepted: total(checks.ref, 'accepted'),
    refConversations: total(checks.ref, 'conversations'),
    /** Seconds the background work of each reference pass took to drain (before the next pass started). */
    refDrainSec,
    /** The same for our passes. */
    drainSec: s.drainSec,
    passes: checks,
  };
  const ok = email.lost === 0 && email.messages === email.conversations && email.refAccepted === email.refConversations;
  ctx.log(
    `email ${engine.kind}: SMTP ${s.ours.rate} mails/s vs HTTP ${s.ref.rate} msgs/s, ratio ${s.ref.rate > 0 ? round(s.ours.rate / s.ref.rate, 3) : 0}; ` +
      `check: ${email.accepted} mails accepted (warm-up included), ${email.conversations} conversations, ${email.messages} messages ` +
      `(HTTP: ${email.refAccepted} accepted, ${email.refConversations} conversations) -> ${ok ? 'no loss' : 'MISMATCH'}`,
  );
  const { passes: _passes, ...line } = email;
  console.log(JSON.stringify({ workload: 'email-intake', engine: engine.kind, ...line, check: ok ? 'ok' : 'mismatch' }));
  // Extra keys beside WorkloadResult['details'], as W3 does.
  const extra: Partial<WorkloadResult['details']> & { email: typeof email } = {
    connections: clients,
    eventLoopLagP99Ms: s.eventLoopLagP99Ms,
    eventLoopLagMaxMs: s.eventLoopLagMaxMs,
    note: 'ours = new-customer mails/s through the SMTP intake (250 after COMMIT), ref = the same new-customer message over HTTP POST /api/v1/conversations; checks under details.email',
    email,
  };
  return resultOf(ctx, 'email-intake', s, extra);
}
