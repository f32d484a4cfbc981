import {
  decideRouting,
  relaxedRequirements,
  type RoutingPolicy,
  type RoutingRequirements,
  type SkillRequirement,
} from '@touchpoint/shared';
import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { createAccount, createTeam } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { withSystem, withTenant } from '../../../db/tenant';
import { loadCandidates } from './candidates';
import { loadOrdered, pickAndClaim } from './pick';

const t = useTestApp();

/** A small deterministic PRNG, so a failure names a seed that reproduces it. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

class Rollback extends Error {}

describe('pickAndClaim (SQL) agrees with decideRouting (the reference)', () => {
  it('picks the same agent on random teams, for every policy, with skills, languages, exclusions, ties and bounds', async () => {
    const acc = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId);
    const rand = prng(20261129);
    const pickOf = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    const skills = [uuidv7(), uuidv7(), uuidv7()];
    const agents = Array.from({ length: 24 }, () => uuidv7());
    const base = Date.parse('2026-11-29T09:00:00Z');
    await withSystem(t().database.db, async (tx) => {
      for (const s of skills) await tx.execute(sql`insert into skills (id, account_id, name) values (${s}, ${acc.accountId}, ${s})`);
      for (const [i, id] of agents.entries()) {
        await tx.execute(sql`insert into users (id, email, name) values (${id}, ${`pick-${id}@test.dev`}, ${`Agent ${i}`})`);
        // A few analysts and inactive members: never candidates.
        const role = i % 11 === 5 ? 'analyst' : 'agent';
        await tx.execute(
          sql`insert into memberships (account_id, user_id, role, active) values (${acc.accountId}, ${id}, ${role}, ${i % 13 !== 7})`,
        );
        if (i % 6 !== 0)
          await tx.execute(sql`insert into team_members (account_id, team_id, user_id) values (${acc.accountId}, ${teamId}, ${id})`);
        const state = pickOf(['online', 'online', 'online', 'away', 'busy', 'offline']);
        await tx.execute(sql`insert into agent_presence (account_id, user_id, state) values (${acc.accountId}, ${id}, ${state})`);
        // Loads as sums of chat and email weights (1/3 + 1/3 must tie with 2/3), many equal idle times and nulls.
        const load = Math.floor(rand() * 3) * (1 / 3) + Math.floor(rand() * 3) * 0.1;
        const last = rand() < 0.25 ? null : new Date(base - Math.floor(rand() * 4) * 60_000).toISOString();
        await tx.execute(
          sql`insert into agent_loads (account_id, user_id, load, last_assigned_at) values (${acc.accountId}, ${id}, ${load}, ${last})`,
        );
        for (const s of skills)
          if (rand() < 0.6)
            await tx.execute(
              sql`insert into agent_skills (account_id, user_id, skill_id, proficiency) values (${acc.accountId}, ${id}, ${s}, ${1 + Math.floor(rand() * 5)})`,
            );
        if (rand() < 0.5)
          await tx.execute(sql`insert into agent_languages (account_id, user_id, language) values (${acc.accountId}, ${id}, 'de')`);
      }
    });

    let compared = 0;
    let assigned = 0;
    let missedByBound = 0;
    for (let round = 0; round < 120; round++) {
      const policy = pickOf<RoutingPolicy>(['skills', 'least_loaded', 'round_robin']);
      const requiredSkills: SkillRequirement[] = skills
        .filter(() => rand() < 0.35)
        .map((skillId) => ({ skillId, minProficiency: 1 + Math.floor(rand() * 4) }));
      const requirements: RoutingRequirements = {
        requiredSkills,
        language: rand() < 0.3 ? 'de' : null,
        weight: pickOf([1 / 3, 0.1, 1]),
        relaxation: [],
        relaxationLevel: 0,
      };
      const team = rand() < 0.7 ? teamId : null;
      const maxLoad = pickOf([1, 1, 2]);
      const excludedUserIds = agents.filter(() => rand() < 0.1);
      // Small bounds make the bounded walk miss the winner now and then: it must then find nobody, never another.
      const bound = pickOf([null, 64, 3, 1]);
      await withTenant(t().database.db, acc.accountId, async (tx) => {
        const candidates = await loadCandidates(tx, acc.accountId, team, maxLoad);
        const expected = decideRouting({ requirements, candidates, policy, excludedUserIds });
        const eff = relaxedRequirements(requirements);
        const pick = await pickAndClaim(tx, {
          accountId: acc.accountId,
          teamId: team,
          policy,
          requiredSkills: eff.requiredSkills,
          language: eff.language,
          weight: eff.weight,
          maxLoad,
          excludedUserIds,
          at: new Date(),
          skipLocked: true,
          bound,
        });
        const label = `round ${round}: ${JSON.stringify({ policy, requirements, team, maxLoad, bound })}`;
        if (pick.winnerId === null && expected.winnerId !== null && bound !== null && loadOrdered(policy, requiredSkills.length > 0)) {
          missedByBound++;
        } else {
          expect(pick.winnerId, label).toBe(expected.winnerId);
        }
        if (pick.winnerId) {
          // The shortlist starts with the winner (nobody else holds a lock here) and follows the policy's order.
          const shortlistDecision = decideRouting({ requirements, candidates: pick.shortlist, policy, scope: 'shortlist' });
          expect(shortlistDecision.winnerId).toBe(pick.winnerId);
          expect(pick.shortlist[0]!.userId).toBe(pick.winnerId);
          assigned++;
        }
        compared++;
        throw new Rollback(); // the claim is undone: every round sees the same loads
      }).catch((err) => {
        if (!(err instanceof Rollback)) throw err;
      });
    }
    expect(compared).toBe(120);
    expect(missedByBound).toBeGreaterThan(0);
    // The random requirements must exercise both outcomes, or the comparison proves little.
    expect(assigned).toBeGreaterThan(15);
    expect(compared - assigned).toBeGreaterThan(5);
  });
});
