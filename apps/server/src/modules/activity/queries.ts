import { ACTIVITY_TYPES } from '@touchpoint/shared';
import type { Tx } from '../../db/client';
import { rawQuery } from '../../db/raw-query';
import { cursorTextSql, type Keyset } from '../../platform/pagination';

/** One stored event of the conversation, or one routing decision, as the presenter reads it. */
export interface ActivityRow {
  id: string;
  /** Microsecond cursor text (pagination.ts), also the entry's time. */
  at: string;
  type: string;
  actorKind: string;
  actorId: string | null;
  payload: Record<string, unknown>;
}

/** The event types the thread shows (routing decisions come from their own table). */
const EVENT_TYPES = ACTIVITY_TYPES.filter((t) => t !== 'routing.decision');

/**
 * The conversation's activity, newest first: its stored domain events of the shown types, and (when the caller may
 * read routing) its routing decisions, merged in one statement; each branch walks its own (account, conversation)
 * index and stops at `limit + 1`. Left out: a status change to `snoozed` (the `conversation.snoozed` entry says it,
 * with the time) and, beside the decisions, the assignment a routing decision made (the decision says it, with why).
 */
export async function listActivityRows(
  tx: Tx,
  accountId: string,
  conversationId: string,
  opts: { limit: number; before: Keyset | null; withRouting: boolean },
): Promise<ActivityRow[]> {
  const { rows } = await rawQuery<ActivityRow>(
    tx,
    `select * from (
       (select e.id, ${cursorTextSql('e.created_at')} as at, e.type, e.actor_kind as "actorKind", e.actor_id as "actorId",
               e.payload - 'conversation' - 'message' as payload
          from events e
         where e.account_id = $1 and e.conversation_id = $2 and e.type = any($3::text[])
           and ($4::timestamptz is null or (e.created_at, e.id) < ($4::timestamptz, $5::uuid))
           and not (e.type = 'conversation.status_changed' and coalesce(e.payload->>'to', '') = 'snoozed')
           and not ($7 and e.type = 'conversation.assigned' and coalesce(e.payload->>'routed', '') = 'true'
                    and e.payload->>'assigneeId' is not null)
         order by e.created_at desc, e.id desc
         limit $6)
       union all
       (select d.id, ${cursorTextSql('d.decided_at')}, 'routing.decision', 'system', null,
               jsonb_build_object('outcome', d.outcome, 'winnerId', d.winner_id, 'explanation', d.explanation)
          from routing_decisions d
         where $7 and d.account_id = $1 and d.conversation_id = $2
           and ($4::timestamptz is null or (d.decided_at, d.id) < ($4::timestamptz, $5::uuid))
         order by d.decided_at desc, d.id desc
         limit $6)
     ) a
     order by a.at desc, a.id desc
     limit $6`,
    [accountId, conversationId, EVENT_TYPES, opts.before?.at ?? null, opts.before?.id ?? null, opts.limit + 1, opts.withRouting],
  );
  return rows;
}

export interface Names {
  users: Map<string, string>;
  teams: Map<string, string>;
  apiKeys: Map<string, string>;
  rules: Map<string, string>;
}

/** The names of the people, teams, API keys and automation rules a page of entries refers to, in one statement. */
export async function namesOf(
  tx: Tx,
  accountId: string,
  ids: { users: string[]; teams: string[]; apiKeys: string[]; rules: string[] },
): Promise<Names> {
  const names: Names = { users: new Map(), teams: new Map(), apiKeys: new Map(), rules: new Map() };
  if (!ids.users.length && !ids.teams.length && !ids.apiKeys.length && !ids.rules.length) return names;
  const { rows } = await rawQuery<{ kind: keyof Names; id: string; name: string }>(
    tx,
    `select 'users' as kind, u.id, u.name from users u
       join memberships m on m.user_id = u.id and m.account_id = $1
      where u.id = any($2::uuid[])
     union all
     select 'teams', t.id, t.name from teams t where t.account_id = $1 and t.id = any($3::uuid[])
     union all
     select 'apiKeys', k.id, k.name from api_keys k where k.account_id = $1 and k.id = any($4::uuid[])
     union all
     select 'rules', r.id, r.name from automation_rules r where r.account_id = $1 and r.id = any($5::uuid[])`,
    [accountId, ids.users, ids.teams, ids.apiKeys, ids.rules],
  );
  for (const r of rows) names[r.kind].set(r.id, r.name);
  return names;
}
