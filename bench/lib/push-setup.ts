import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import WebSocket from 'ws';
import { hashToken, newToken, SESSION_COOKIE } from '../../apps/server/src/platform/http/tokens';
import type { PushVisitor } from './push-load';
import { dueAt, dueCount, encodeBody, monoMs, windowCounts } from './push-proto';
import type { FrameTemplates } from './push-ref-server';
import { LatencyRecorder, type LoadSummary } from './stats';

export interface PushSetup {
  accountId: string;
  channelId: string;
  /** `tp_session=<token>` of each agent (the web app's cookie). */
  agentCookies: string[];
  visitors: PushVisitor[];
  templates: FrameTemplates;
}

async function json<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/**
 * An account made through the product's sign-up (which also creates its web chat channel), `agents` agents with a
 * session each (rows as test/factories.ts writes them), and `visitors` widget visitors through the public widget
 * API, each with a first message so their conversation exists before anything is measured.
 */
export async function setUpPush(origin: string, pool: pg.Pool, agents: number, visitors: number): Promise<PushSetup> {
  const tag = randomBytes(4).toString('hex');
  const signUp = await json<{ data: { account: { id: string } } }>(
    await fetch(`${origin}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountName: `W2 ${tag}`, name: 'W2 Owner', email: `w2-${tag}@bench.test`, password: 'bench-password-w2' }),
    }),
    'sign-up',
  );
  const accountId = signUp.data.account.id;
  const { rows: channels } = await pool.query<{ id: string }>(`select id from channels where account_id = $1 and kind = 'web' limit 1`, [
    accountId,
  ]);
  if (!channels[0]) throw new Error('sign-up created no web channel');
  const channelId = channels[0].id;

  const { rows: users } = await pool.query<{ id: string }>(
    `insert into users (email, name) select 'w2-' || $1 || '-' || n || '@bench.test', 'W2 agent ' || n from generate_series(1, $2) as n returning id`,
    [tag, agents],
  );
  const ids = users.map((u) => u.id);
  await pool.query(`insert into memberships (account_id, user_id, role) select $2, id, 'agent' from unnest($1::uuid[]) as t(id)`, [
    ids,
    accountId,
  ]);
  const tokens = ids.map(() => newToken());
  await pool.query(
    `insert into sessions (token_hash, user_id, account_id, expires_at)
     select h, id, $3, now() + interval '1 day' from unnest($1::uuid[], $2::text[]) as t(id, h)`,
    [ids, tokens.map(hashToken), accountId],
  );
  const agentCookies = tokens.map((t) => `${SESSION_COOKIE}=${t}`);

  const widget = `${origin}/api/v1/widget/${channelId}`;
  const list: PushVisitor[] = [];
  for (let i = 0; i < visitors; i++) {
    const session = await json<{ data: { token: string } }>(await fetch(`${widget}/sessions`, { method: 'POST' }), 'visitor session');
    const token = session.data.token;
    const first = await sendVisitorMessage(widget, token, `Hello, I am visitor ${i}.`, `setup-${tag}-${i}`);
    list.push({ token, conversationId: first.conversationId });
  }
  const templates = await captureTemplates(origin, channelId, accountId, agentCookies[0]!, list[0]!.token, tag);
  return { accountId, channelId, agentCookies, visitors: list, templates };
}

async function sendVisitorMessage(widget: string, token: string, body: string, clientMessageId: string) {
  const res = await fetch(`${widget}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ body, clientMessageId }),
  });
  return (await json<{ data: { message: { conversationId: string } } }>(res, 'visitor message')).data.message;
}

/** Frames as ours pushes them for one visitor message, read by a real agent socket and a real visitor socket. */
async function captureTemplates(origin: string, channelId: string, accountId: string, cookie: string, token: string, tag: string) {
  const ws = origin.replace(/^http/, 'ws');
  const frames: { agent?: FrameTemplates['agent']; visitor?: FrameTemplates['visitor'] } = {};
  const agent = new WebSocket(`${ws}/api/v1/realtime`, { headers: { cookie } });
  const visitor = new WebSocket(`${ws}/api/v1/widget/${channelId}/ws?token=${encodeURIComponent(token)}`);
  try {
    let subscribed: () => void;
    const live = new Promise<void>((resolve) => (subscribed = resolve));
    let captured: () => void;
    const both = new Promise<void>((resolve) => (captured = resolve));
    const check = () => {
      if (frames.agent && frames.visitor) captured();
    };
    agent.on('message', (raw) => {
      const f = JSON.parse(String(raw)) as { type: string; event?: { type: string } };
      if (f.type === 'hello') agent.send(JSON.stringify({ type: 'subscribe', topic: `account:${accountId}` }));
      if (f.type === 'subscribed') subscribed();
      if (f.type !== 'event' || f.event?.type !== 'message.created') return;
      frames.agent = f as unknown as FrameTemplates['agent'];
      check();
    });
    const hello = new Promise<void>((resolve) =>
      visitor.on('message', (raw) => {
        const f = JSON.parse(String(raw)) as { type: string };
        if (f.type === 'hello') resolve();
        if (f.type !== 'message') return;
        frames.visitor = f as unknown as FrameTemplates['visitor'];
        check();
      }),
    );
    await withTimeout(Promise.all([live, hello]), 'agent and visitor sockets');
    await sendVisitorMessage(`${origin}/api/v1/widget/${channelId}`, token, encodeBody({ stream: 'v', seq: 0, tMs: 0 }), `template-${tag}`);
    await withTimeout(both, 'the pushed frames of a visitor message');
    return frames as FrameTemplates;
  } finally {
    agent.terminate();
    visitor.terminate();
  }
}

function withTimeout<T>(p: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`W2 setup: timed out waiting for ${what}`)), ms)),
  );
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Context for R2: commit latency of a raw single-row INSERT (autocommit, ~150 B text, bigserial key, the durability
 * the engine runs with) into a scratch table of the same database, open loop at `rate`/s from this process.
 */
export async function commitLatency(pool: pg.Pool, rate: number, warmupSec: number, durationSec: number): Promise<LoadSummary> {
  await pool.query(
    `create table if not exists bench_w2_commit (id bigserial primary key, body text not null, at timestamptz not null default now())`,
  );
  const { warmup, measured } = windowCounts(rate, warmupSec, durationSec);
  const total = warmup + measured;
  const recorder = new LatencyRecorder();
  const startMs = monoMs() + 100;
  const pending: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    let sent = 0;
    const tick = () => {
      for (const n = dueCount(startMs, rate, monoMs(), total); sent < n; sent++) {
        const i = sent;
        const t = dueAt(startMs, rate, i);
        pending.push(
          pool.query(`insert into bench_w2_commit (body) values ($1)`, [encodeBody({ stream: 'v', seq: i, tMs: t })]).then(
            () => void (i >= warmup && recorder.recordMs(monoMs() - t)),
            (err: unknown) => recorder.error(err),
          ),
        );
      }
      if (sent < total) setTimeout(tick, Math.max(0, dueAt(startMs, rate, sent) - monoMs()));
      else resolve();
    };
    tick();
  });
  await Promise.all(pending);
  await pool.query(`drop table bench_w2_commit`);
  return recorder.summary(durationSec);
}
