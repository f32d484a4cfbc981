import type { CandidateAgent, RoutingPolicy, SkillRequirement } from '@touchpoint/shared';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { rawQuery } from '../../../db/raw-query';

export interface PickInput {
  accountId: string;
  teamId: string | null;
  policy: RoutingPolicy;
  requiredSkills: SkillRequirement[];
  language: string | null;
  weight: number;
  maxLoad: number;
  excludedUserIds: string[];
  at: Date;
  /** false: wait for agents other routers hold instead of skipping them (the fallback when all were held). */
  skipLocked: boolean;
  /** Look only among the first `bound` agents in load order (load-ordered policies); null: everyone. */
  bound: number | null;
}

export interface PickResult {
  /** The agent whose capacity this transaction has just claimed; null when nobody eligible could be claimed. */
  winnerId: string | null;
  /** The best eligible agents in policy order, as of the statement's snapshot, and always the winner. */
  shortlist: CandidateAgent[];
}

/** Agents shown in a decision's explanation (plus the winner when concurrent routers held the ones before it). */
const SHORTLIST = 5;
/** Eligible agents one pick considers: above the routers that can hold agents at once, or the caller falls back. */
const CANDIDATES = 32;

interface Row {
  user_id: string;
  load: number;
  last_assigned_ms: number | null;
  skills: Record<string, number> | null;
  won: boolean;
}

type Param = 'account' | 'weight' | 'maxLoad' | 'excluded' | 'at' | 'limit' | 'bound' | 'team' | 'skills' | 'mins' | 'language';
/** Named parameters, numbered per variant (see numbered): PostgreSQL cannot type a parameter a text never uses. */
const P = Object.fromEntries(
  ['account', 'weight', 'maxLoad', 'excluded', 'at', 'limit', 'bound', 'team', 'skills', 'mins', 'language'].map((k) => [k, `:${k}`]),
) as Record<Param, string>;

/** Replaces :name tokens by $1..$n in order of first use; returns the names in that order. */
function numbered(text: string): { text: string; order: Param[] } {
  const order: Param[] = [];
  const out = text.replace(/:(account|weight|maxLoad|excluded|at|limit|bound|team|skills|mins|language)\b/g, (_m, name: Param) => {
    if (!order.includes(name)) order.push(name);
    return `$${order.indexOf(name) + 1}`;
  });
  return { text: out, order };
}

interface Variant {
  team: boolean;
  skills: boolean;
  language: boolean;
  policy: RoutingPolicy;
  skipLocked: boolean;
  /** Only among the first :bound agents of the account in load order (see statementFor). */
  bounded: boolean;
}

/** Every joined table probed by the bounded ids through its (account_id, user_id) index: no plan scans a team. */
const boundedBy = (v: Variant) =>
  ['l', 'p', 'm', ...(v.team ? ['tm'] : [])].map((t) => `and ${t}.user_id = any((select ids from top)::uuid[])`).join(' ');

function eligibleFrom(v: Variant): string {
  return `
    from agent_loads l
    join agent_presence p on p.account_id = l.account_id and p.user_id = l.user_id and p.state = 'online'
    join memberships m on m.account_id = l.account_id and m.user_id = l.user_id and m.active and m.role <> 'analyst'
    ${v.team ? `join team_members tm on tm.account_id = l.account_id and tm.team_id = ${P.team}::uuid and tm.user_id = l.user_id` : ''}
    where l.account_id = ${P.account}::uuid
      and l.load + ${P.weight}::float8 <= ${P.maxLoad}::float8 + 1e-9
      and l.user_id <> all(${P.excluded}::uuid[])
      ${v.bounded ? boundedBy(v) : ''}
      ${
        v.skills
          ? `and (select count(*) from agent_skills s join unnest(${P.skills}::uuid[], ${P.mins}::int[]) as r(skill_id, min_p) on r.skill_id = s.skill_id
                where s.account_id = l.account_id and s.user_id = l.user_id and s.proficiency >= r.min_p) = cardinality(${P.skills}::uuid[])`
          : ''
      }
      ${
        v.language
          ? `and exists (select 1 from agent_languages g where g.account_id = l.account_id and g.user_id = l.user_id and g.language = ${P.language}::text)`
          : ''
      }`;
}

const skillSum = `(select coalesce(sum(s.proficiency), 0) from agent_skills s
  where s.account_id = l.account_id and s.user_id = l.user_id and s.skill_id = any(${P.skills}::uuid[]))`;

/** The same order as decideRouting's comparators (packages/shared/src/domain/routing.ts). */
function orderBy(policy: RoutingPolicy, skills: boolean): string {
  const idle = 'l.last_assigned_at asc nulls first, l.user_id';
  const load = 'round(l.load::numeric, 6)';
  if (policy === 'round_robin') return idle;
  if (policy === 'skills' && skills) return `${skillSum} desc, ${load}, ${idle}`;
  return `${load}, ${idle}`;
}

const texts = new Map<string, { text: string; order: Param[] }>();

/** Policies whose order starts with the load (the rank index's order), where a bounded walk finds the winner. */
export const loadOrdered = (policy: RoutingPolicy, skills: boolean) => policy === 'least_loaded' || (policy === 'skills' && !skills);

/**
 * The bounded variant first takes the account's :bound least-loaded agents with capacity from the rank index alone
 * (a plan no statistics can change), then applies presence, membership, team and requirements to those. It finds
 * the same winner as the unbounded statement whenever that winner is among them; when none of them can be claimed
 * (a small team in a large account, or all held by other routers) the caller runs the unbounded statement, whose
 * plan the planner picks by team size. Without the bound, a stale estimate once made PostgreSQL sort all 5,000
 * members of a team on every routing (29 ms instead of 0.1 ms).
 */
function statementFor(v: Variant): { text: string; order: Param[] } {
  const key = JSON.stringify(v);
  const cached = texts.get(key);
  if (cached) return cached;
  const from = eligibleFrom(v);
  const order = orderBy(v.policy, v.skills);
  const columns = `l.user_id, l.load, extract(epoch from l.last_assigned_at) * 1000 as last_assigned_ms,
    ${v.skills ? `(select jsonb_object_agg(s.skill_id, s.proficiency) from agent_skills s where s.account_id = l.account_id and s.user_id = l.user_id and s.skill_id = any(${P.skills}::uuid[]))` : 'null::jsonb'} as skills`;
  // One round trip: pick the best eligible agent nobody else is claiming (SKIP LOCKED spreads concurrent routers
  // over different agents instead of queueing them all behind the same least-loaded one), claim its capacity
  // (re-checked on the locked row), and read the shortlist the explanation shows, as of the same snapshot.
  const top = v.bounded
    ? `top as (
      select array(
        select l.user_id from agent_loads l
        where l.account_id = ${P.account}::uuid and l.load + ${P.weight}::float8 <= ${P.maxLoad}::float8 + 1e-9
        order by ${order}
        limit ${P.bound}::int) as ids
    ),`
    : '';
  // One round trip. `eligible`: the best :limit eligible agents, ranked by the policy, as of this snapshot (no
  // locks). `pick`: the best of them nobody else is claiming (SKIP LOCKED spreads concurrent routers over different
  // agents instead of queueing them behind the same least-loaded one), with the capacity check repeated on the
  // latest row version. `claimed`: the capacity taken. The result: the shortlist for the explanation, and the winner.
  const text = `
    with ${top} eligible as materialized (
      select ${columns}, row_number() over (order by ${order}) as rank ${from}
      order by ${order}
      limit ${P.limit}::int
    ), pick as (
      select l.user_id from agent_loads l join eligible e on e.user_id = l.user_id
      where l.account_id = ${P.account}::uuid and l.load + ${P.weight}::float8 <= ${P.maxLoad}::float8 + 1e-9
      order by e.rank
      limit 1
      for update of l ${v.skipLocked ? 'skip locked' : ''}
    ), claimed as (
      update agent_loads a set load = a.load + ${P.weight}::float8, last_assigned_at = ${P.at}::timestamptz, updated_at = ${P.at}::timestamptz
      from pick where a.account_id = ${P.account}::uuid and a.user_id = pick.user_id and a.load + ${P.weight}::float8 <= ${P.maxLoad}::float8 + 1e-9
      returning a.user_id
    )
    select e.user_id, e.load, e.last_assigned_ms, e.skills, c.user_id is not null as won
    from eligible e left join claimed c on c.user_id = e.user_id
    where e.rank <= ${SHORTLIST} or c.user_id is not null
    order by e.rank`;
  const statement = numbered(text);
  texts.set(key, statement);
  return statement;
}

/**
 * Picks and claims the best eligible agent in one statement. Capacity holds under any concurrency: the pick locks
 * the winner's load row, and the claim re-checks `load + weight <= max` on it.
 */
export async function pickAndClaim(tx: Tx, input: PickInput): Promise<PickResult> {
  const v = {
    team: input.teamId !== null,
    skills: input.requiredSkills.length > 0,
    language: input.language !== null,
    policy: input.policy,
    skipLocked: input.skipLocked,
    bounded: input.bound !== null && loadOrdered(input.policy, input.requiredSkills.length > 0),
  };
  const values: Record<Param, unknown> = {
    account: input.accountId,
    weight: input.weight,
    maxLoad: input.maxLoad,
    excluded: input.excludedUserIds,
    at: input.at.toISOString(),
    limit: CANDIDATES,
    bound: input.bound,
    team: input.teamId,
    skills: input.requiredSkills.map((s) => s.skillId),
    mins: input.requiredSkills.map((s) => s.minProficiency),
    language: input.language,
  };
  const statement = statementFor(v);
  // The bounded statement's shape is fixed by its id array, so one generic plan serves every call; planning it
  // anew (PostgreSQL's default for the first calls and whenever it guesses a custom plan is cheaper) cost more than
  // running it. The unbounded one keeps custom plans: how to scan a team depends on its size.
  await tx.execute(sql.raw(`set local plan_cache_mode = ${v.bounded ? 'force_generic_plan' : 'auto'}`));
  const { rows } = await rawQuery<Row>(
    tx,
    statement.text,
    statement.order.map((name) => values[name]),
  );
  const winner = rows.find((r) => r.won);
  return {
    winnerId: winner?.user_id ?? null,
    shortlist: rows.map((r) => ({
      userId: r.user_id,
      state: 'online',
      load: Number(r.load),
      maxLoad: input.maxLoad,
      skills: r.skills ?? {},
      languages: input.language ? [input.language] : [],
      lastAssignedAt: r.last_assigned_ms === null ? null : new Date(Math.round(Number(r.last_assigned_ms))).toISOString(),
    })),
  };
}
