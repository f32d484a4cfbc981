import { sql } from 'drizzle-orm';
import { users } from '../db/schema';
import { withSystem } from '../db/tenant';
import { createTeam, provisionUser, signUp } from '../modules/accounts';
import { assignConversation, changeConversationStatus, createConversation, createMessage } from '../modules/conversations';
import type { Actor, Ctx } from '../platform/context';
import type { AppDeps } from '../platform/module';
import { command } from '../platform/tx';
import { DEMO_THREADS } from './demo-data';
import { seedDemoSettings } from './demo-settings';

export const DEMO_LOGIN = { email: 'demo@touchpoint.dev', password: 'touchpoint-demo' } as const;

const TEAMMATES = [
  { key: 'sam', name: 'Sam Rivera', email: 'sam@touchpoint.dev', role: 'agent' },
  { key: 'priya', name: 'Priya Shah', email: 'priya@touchpoint.dev', role: 'supervisor' },
  { key: 'leo', name: 'Leo Martin', email: 'leo@touchpoint.dev', role: 'agent' },
  { key: 'ana', name: 'Ana Costa', email: 'ana@touchpoint.dev', role: 'analyst' },
  { key: 'mateo', name: 'Mateo García', email: 'mateo@touchpoint.dev', role: 'agent' },
] as const;

/** Teams of each teammate: Priya leads both, Mateo works Billing, the analyst none. */
const TEAMS_OF: Record<(typeof TEAMMATES)[number]['key'], ('Support' | 'Billing')[]> = {
  sam: ['Support'],
  priya: ['Billing', 'Support'],
  leo: ['Support'],
  ana: [],
  mateo: ['Billing'],
};

export async function demoExists(deps: Pick<AppDeps, 'database'>): Promise<boolean> {
  const rows = await withSystem(deps.database.db, (tx) =>
    tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = ${DEMO_LOGIN.email}`),
  );
  return rows.length > 0;
}

/**
 * The demo account: an owner, five teammates, two teams, conversations in every state, and the settings every
 * screen shows (macros, business hours, an SLA policy, skills, an automation rule), created through the same commands
 * as the API (so events, KPI facts and numbering are real). Timestamps are then shifted into the
 * past, per conversation, so the inbox looks like a working day. Returns false if it already exists.
 */
export async function seedDemo(deps: Pick<AppDeps, 'database' | 'events'>): Promise<boolean> {
  if (await demoExists(deps)) return false;
  const { db } = deps.database;
  const { account, user } = await signUp(db, deps.events, { accountName: 'Northwind Outfitters', name: 'Dana Demo', ...DEMO_LOGIN });
  const ownerActor: Actor = { kind: 'user', userId: user.id, accountId: account.id, role: 'owner', teamIds: [], name: user.name };
  const owner: Ctx = { db, events: deps.events, accountId: account.id, actor: ownerActor, requestId: 'seed' };

  const teamIds: Record<string, string> = {};
  for (const name of ['Support', 'Billing']) teamIds[name] = (await createTeam(owner, { name, description: `${name} team` })).id;
  const people: Record<string, { id: string; ctx: Ctx }> = { owner: { id: user.id, ctx: owner } };
  // Side by side: each provisioning hashes a password (argon2, on libuv's threads) before its short transaction.
  const members = await Promise.all(
    TEAMMATES.map((p) =>
      provisionUser(db, deps.events, {
        accountId: account.id,
        email: p.email,
        name: p.name,
        password: DEMO_LOGIN.password,
        role: p.role,
        teamIds: TEAMS_OF[p.key].map((t) => teamIds[t]!),
      }),
    ),
  );
  for (const [i, p] of TEAMMATES.entries()) {
    const teams = TEAMS_OF[p.key].map((t) => teamIds[t]!);
    const actor: Actor = { kind: 'user', userId: members[i]!.id, accountId: account.id, role: p.role, teamIds: teams, name: p.name };
    people[p.key] = { id: members[i]!.id, ctx: { ...owner, actor } };
  }

  for (const thread of DEMO_THREADS) {
    const [first, ...rest] = thread.messages;
    const { conversation } = await createConversation(owner, {
      customer: thread.customer,
      subject: thread.subject,
      priority: thread.priority,
      tags: thread.tags,
      teamId: thread.team ? teamIds[thread.team] : undefined,
      message: { body: first![1], kind: 'incoming' },
    });
    if (thread.assignee) await assignConversation(owner, { conversationId: conversation.id, assigneeId: people[thread.assignee]!.id });
    const agent = thread.assignee ? people[thread.assignee]!.ctx : owner;
    for (const [who, body] of rest) {
      await createMessage(who === 'c' ? owner : agent, {
        conversationId: conversation.id,
        body,
        kind: who === 'c' ? 'incoming' : who === 'a' ? 'outgoing' : 'note',
      });
    }
    if (thread.status === 'snoozed') {
      await changeConversationStatus(agent, {
        conversationId: conversation.id,
        status: 'snoozed',
        snoozedUntil: new Date(Date.now() + 20 * 3600_000),
      });
    } else if (thread.status && thread.status !== 'open') {
      await changeConversationStatus(agent, { conversationId: conversation.id, status: thread.status });
    }
    await deps.events.settle();
    await backdate(owner, conversation.id, thread);
  }
  await seedDemoSettings(owner, { timeZone: account.timeZone, teamIds: Object.values(teamIds), people });
  return true;
}

/**
 * Moves one demo conversation into the past: its messages get the thread's spacing, and every timestamp of the
 * conversation, its events and KPI facts shifts by the same amount (durations stay exactly as recorded).
 */
async function backdate(ctx: Ctx, conversationId: string, thread: (typeof DEMO_THREADS)[number]): Promise<void> {
  await command(ctx, async (tx) => {
    const msgs = (
      await tx.execute<{ id: string }>(sql`select id from messages where conversation_id = ${conversationId} order by created_at, id`)
    ).rows;
    let at = -thread.startedMinutesAgo;
    for (let i = 0; i < msgs.length; i++) {
      at += i === 0 ? 0 : thread.messages[i]![2];
      await tx.execute(
        sql`update messages set created_at = now() + make_interval(mins => ${at}) - make_interval(secs => ${msgs.length - i}) where id = ${msgs[i]!.id}`,
      );
    }
    const shift = sql`make_interval(mins => ${thread.startedMinutesAgo})`;
    await tx.execute(sql`
      update conversations set
        created_at = created_at - ${shift}, updated_at = updated_at - ${shift}, last_activity_at = (select max(created_at) from messages where conversation_id = ${conversationId}),
        last_customer_message_at = (select max(created_at) from messages where conversation_id = ${conversationId} and kind = 'incoming'),
        last_agent_reply_at = (select max(created_at) from messages where conversation_id = ${conversationId} and kind = 'outgoing'),
        first_response_at = (select min(created_at) from messages where conversation_id = ${conversationId} and kind = 'outgoing' and author_kind = 'agent'),
        waiting_since = case when waiting_since is null then null else (select max(created_at) from messages where conversation_id = ${conversationId} and kind = 'incoming') end,
        resolved_at = case when resolved_at is null then null else (select max(created_at) from messages where conversation_id = ${conversationId}) + interval '2 minutes' end
      where id = ${conversationId}`);
    await tx.execute(sql`update events set created_at = created_at - ${shift} where conversation_id = ${conversationId}`);
    await tx.execute(sql`
      update kpi_facts f set
        started_at = c.created_at,
        ended_at = case f.kind when 'first_response' then c.first_response_at when 'resolution' then c.resolved_at else f.ended_at - ${shift} end,
        occurred_at = case f.kind when 'first_response' then c.first_response_at when 'resolution' then c.resolved_at else f.occurred_at - ${shift} end,
        value_seconds = case f.kind
          when 'first_response' then extract(epoch from c.first_response_at - c.created_at)
          when 'resolution' then extract(epoch from c.resolved_at - c.created_at)
          else f.value_seconds end
      from conversations c where c.id = f.conversation_id and f.conversation_id = ${conversationId}`);
  });
}
