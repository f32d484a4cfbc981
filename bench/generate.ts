import type pg from 'pg';
import { BulkInsert } from './lib/bulk';
import { personName, Prng, words } from './lib/prng';

/** Dataset "L" of BENCHMARKS.md §3 at scale 1; every count is multiplied by --scale (channels stay 50). */
export const DATASET_L = { agents: 5_000, channels: 50, customers: 2_000_000, conversations: 1_000_000, messagesPerConversation: 10 };

export interface GenerateOptions {
  scale: number;
  seed: number;
  log?: (line: string) => void;
}

export interface Dataset {
  accountId: string;
  /** A second, small tenant: every query of the benchmark must keep filtering it out. */
  otherAccountId: string;
  channelIds: string[];
  agentIds: string[];
  /** Open and pending conversations (W1 posts into them). */
  activeConversationIds: string[];
  /** A sample over all statuses (W7 opens them). */
  sampleConversationIds: string[];
  counts: { agents: number; customers: number; conversations: number; messages: number };
  load: { rows: number; seconds: number; rowsPerSecond: number };
}

const DAY = 86_400_000;
const MINUTE = 60_000;
const SAMPLE = 5_000;

/** Loads a deterministic dataset (same seed, same rows, relative to the current hour) as the superuser. */
export async function generateDataset(pool: pg.Pool, opts: GenerateOptions): Promise<Dataset> {
  const started = performance.now();
  const anchor = Math.floor(Date.now() / 3_600_000) * 3_600_000 - MINUTE;
  const sizes = {
    agents: Math.max(5, Math.round(DATASET_L.agents * opts.scale)),
    customers: Math.max(20, Math.round(DATASET_L.customers * opts.scale)),
    conversations: Math.max(10, Math.round(DATASET_L.conversations * opts.scale)),
  };
  const main = await loadTenant(pool, new Prng(opts.seed), anchor, { ...sizes, channels: DATASET_L.channels, name: 'Bench Large' });
  const other = await loadTenant(pool, new Prng(opts.seed + 1), anchor, {
    agents: 3,
    customers: 100,
    conversations: 50,
    channels: 1,
    name: 'Bench Small',
  });
  const seconds = (performance.now() - started) / 1000;
  const rows = main.rows + other.rows;
  opts.log?.(
    `loaded ${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds).toLocaleString('en')} rows/s`,
  );
  const vacuumStart = performance.now();
  await pool.query('vacuum analyze');
  opts.log?.(`vacuum analyze ${((performance.now() - vacuumStart) / 1000).toFixed(1)} s`);
  return {
    accountId: main.accountId,
    otherAccountId: other.accountId,
    channelIds: main.channelIds,
    agentIds: main.agentIds,
    activeConversationIds: main.active,
    sampleConversationIds: main.sample,
    counts: { agents: sizes.agents, customers: sizes.customers, conversations: sizes.conversations, messages: main.messages },
    load: { rows, seconds, rowsPerSecond: Math.round(rows / seconds) },
  };
}

interface TenantSizes {
  name: string;
  agents: number;
  customers: number;
  conversations: number;
  channels: number;
}

async function loadTenant(pool: pg.Pool, rng: Prng, anchor: number, sizes: TenantSizes) {
  const accountId = rng.uuidv7(anchor - 400 * DAY);
  const slug = `${sizes.name.toLowerCase().replace(/\s+/g, '-')}-${accountId.slice(-6)}`;
  await pool.query(`insert into accounts (id, name, slug, conversation_seq) values ($1, $2, $3, $4)`, [
    accountId,
    sizes.name,
    slug,
    sizes.conversations,
  ]);

  const channelIds = Array.from({ length: sizes.channels }, () => rng.uuidv7(anchor - 365 * DAY));
  await pool.query(
    `insert into channels (id, account_id, kind, name) select id, $2, case when n % 2 = 0 then 'web' else 'email' end, 'Inbox ' || n
       from unnest($1::uuid[]) with ordinality as c(id, n)`,
    [channelIds, accountId],
  );

  const agentIds: string[] = [];
  const users = new BulkInsert(pool, 'users', { id: 'uuid', email: 'text', name: 'text' });
  const members = new BulkInsert(pool, 'memberships', { account_id: 'uuid', user_id: 'uuid', role: 'text' });
  members.before = () => users.drain();
  for (let i = 0; i < sizes.agents; i++) {
    const id = rng.uuidv7(anchor - 300 * DAY);
    agentIds.push(id);
    await users.add([id, `agent${i}.${accountId.slice(-6)}@bench.test`, personName(rng)]);
    await members.add([accountId, id, i === 0 ? 'owner' : i % 50 === 0 ? 'supervisor' : 'agent']);
  }
  await users.drain();
  await members.drain();

  const customerIds: string[] = [];
  const customers = new BulkInsert(pool, 'customers', {
    id: 'uuid',
    account_id: 'uuid',
    name: 'text',
    email: 'text',
    phone: 'text',
    segment: 'text',
    vip: 'bool',
    language: 'text',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  });
  for (let i = 0; i < sizes.customers; i++) {
    const at = anchor - rng.next() * 365 * DAY;
    const id = rng.uuidv7(at);
    customerIds.push(id);
    const ts = new Date(at).toISOString();
    const phone = rng.next() < 0.4 ? `+4930${String(1_000_000 + i).padStart(8, '0')}` : null;
    await customers.add([
      id,
      accountId,
      personName(rng),
      `customer${i}@example.test`,
      phone,
      rng.pick(['smb', 'enterprise', 'consumer']),
      rng.next() < 0.03,
      rng.pick(['en', 'de', 'fr', 'es']),
      ts,
      ts,
    ]);
  }
  await customers.drain();

  const conv = await loadConversations(pool, rng, anchor, { accountId, channelIds, agentIds, customerIds, count: sizes.conversations });
  const rows = sizes.channels + 1 + users.rows + members.rows + customers.rows + conv.rows;
  return { accountId, channelIds, agentIds, rows, messages: conv.messages, active: conv.active, sample: conv.sample };
}

interface ConversationInput {
  accountId: string;
  channelIds: string[];
  agentIds: string[];
  customerIds: string[];
  count: number;
}

async function loadConversations(pool: pg.Pool, rng: Prng, anchor: number, input: ConversationInput) {
  const conversations = new BulkInsert(
    pool,
    'conversations',
    {
      id: 'uuid',
      account_id: 'uuid',
      number: 'int4',
      customer_id: 'uuid',
      channel_id: 'uuid',
      subject: 'text',
      status: 'text',
      priority: 'text',
      assignee_id: 'uuid',
      message_count: 'int4',
      last_message_preview: 'text',
      last_activity_at: 'timestamptz',
      last_customer_message_at: 'timestamptz',
      last_agent_reply_at: 'timestamptz',
      waiting_since: 'timestamptz',
      first_response_at: 'timestamptz',
      resolved_at: 'timestamptz',
      created_at: 'timestamptz',
      updated_at: 'timestamptz',
    },
    1_000,
  );
  const messages = new BulkInsert(
    pool,
    'messages',
    {
      id: 'uuid',
      account_id: 'uuid',
      conversation_id: 'uuid',
      channel_id: 'uuid',
      kind: 'text',
      author_kind: 'text',
      author_user_id: 'uuid',
      author_customer_id: 'uuid',
      body: 'text',
      created_at: 'timestamptz',
    },
    2_000,
  );
  // Messages reference their conversation, so the conversations' batch is always written first.
  messages.before = () => conversations.drain();
  const active: string[] = [];
  const sample: string[] = [];
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

  for (let n = 1; n <= input.count; n++) {
    const roll = rng.next();
    const status = roll < 0.7 ? 'resolved' : roll < 0.9 ? 'open' : 'pending';
    const lastActivity = anchor - rng.next() * 90 * DAY;
    const count = rng.int(1, 19); // mean 10 messages per conversation
    const createdAt = lastActivity - rng.next() * Math.min(2 * DAY, count * 30 * MINUTE);
    const id = rng.uuidv7(createdAt);
    const customerId = rng.pick(input.customerIds);
    const channelId = rng.pick(input.channelIds);
    const assigneeId = rng.next() < 0.8 ? rng.pick(input.agentIds) : null;
    let lastIncoming: number | null = null;
    let lastOutgoing: number | null = null;
    let firstResponse: number | null = null;
    let waitingSince: number | null = null;
    let body = '';
    const rows: unknown[][] = [];
    for (let m = 0; m < count; m++) {
      const at = count === 1 ? lastActivity : createdAt + ((lastActivity - createdAt) * m) / (count - 1);
      const r = rng.next();
      const kind = m === 0 || r < 0.5 ? 'incoming' : r < 0.9 ? 'outgoing' : 'note';
      body = words(rng, rng.int(200, 1000));
      const agent = assigneeId ?? rng.pick(input.agentIds);
      rows.push([
        rng.uuidv7(at),
        input.accountId,
        id,
        channelId,
        kind,
        kind === 'incoming' ? 'customer' : 'agent',
        kind === 'incoming' ? null : agent,
        kind === 'incoming' ? customerId : null,
        body,
        iso(at),
      ]);
      if (kind === 'incoming') {
        lastIncoming = at;
        waitingSince ??= at;
      } else if (kind === 'outgoing') {
        lastOutgoing = at;
        firstResponse ??= at;
        waitingSince = null;
      }
    }
    await conversations.add([
      id,
      input.accountId,
      n,
      customerId,
      channelId,
      words(rng, rng.int(20, 60)),
      status,
      rng.next() < 0.1 ? 'high' : 'normal',
      assigneeId,
      count,
      body.slice(0, 140),
      iso(lastActivity),
      iso(lastIncoming),
      iso(lastOutgoing),
      status === 'resolved' ? null : iso(waitingSince),
      iso(firstResponse),
      status === 'resolved' ? iso(lastActivity) : null,
      iso(createdAt),
      iso(lastActivity),
    ]);
    for (const row of rows) await messages.add(row);
    if (status !== 'resolved' && active.length < SAMPLE) active.push(id);
    if (sample.length < SAMPLE && rng.next() < Math.max(0.001, (2 * SAMPLE) / input.count)) sample.push(id);
  }
  await conversations.drain();
  await messages.drain();
  return { rows: conversations.rows + messages.rows, messages: messages.rows, active, sample };
}
