import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { ZRoutingProfileBody } from '@touchpoint/shared';
import { agentLanguages, agentSkills, memberships, skills } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { conflict, invalid, isUniqueViolation, notFound } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { routingPolicy } from '../policy';
import { getRoutingProfile } from '../queries';

export async function createSkill(ctx: Ctx, name: string) {
  return command(ctx, async (tx) => {
    authorize(ctx.actor, routingPolicy, 'manage_routing', ctx.accountId);
    try {
      const [row] = await tx.insert(skills).values({ accountId: ctx.accountId, name }).returning();
      return row!;
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`A skill named "${name}" exists`);
      throw err;
    }
  });
}

export async function deleteSkill(ctx: Ctx, skillId: string): Promise<void> {
  await command(ctx, async (tx) => {
    const where = and(eq(skills.accountId, ctx.accountId), eq(skills.id, skillId));
    const [row] = await tx.select({ id: skills.id }).from(skills).where(where);
    if (!row) throw notFound('Skill');
    authorize(ctx.actor, routingPolicy, 'manage_routing', ctx.accountId);
    await tx.delete(skills).where(where);
  });
}

/** Replaces an agent's skills (with proficiency) and languages. */
export async function setRoutingProfile(ctx: Ctx, userId: string, input: z.infer<typeof ZRoutingProfileBody>) {
  return command(ctx, async (tx) => {
    const [member] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.accountId, ctx.accountId), eq(memberships.userId, userId)));
    if (!member) throw notFound('User');
    authorize(ctx.actor, routingPolicy, 'manage_routing', ctx.accountId);
    const skillIds = [...new Set(input.skills.map((s) => s.skillId))];
    if (skillIds.length !== input.skills.length) throw invalid('skills', 'Each skill may appear once');
    if (skillIds.length > 0) {
      const found = await tx
        .select({ id: skills.id })
        .from(skills)
        .where(and(eq(skills.accountId, ctx.accountId), inArray(skills.id, skillIds)));
      if (found.length !== skillIds.length) throw invalid('skills', 'Unknown skill id');
    }
    await tx.delete(agentSkills).where(and(eq(agentSkills.accountId, ctx.accountId), eq(agentSkills.userId, userId)));
    await tx.delete(agentLanguages).where(and(eq(agentLanguages.accountId, ctx.accountId), eq(agentLanguages.userId, userId)));
    if (input.skills.length > 0) await tx.insert(agentSkills).values(input.skills.map((s) => ({ accountId: ctx.accountId, userId, ...s })));
    const languages = [...new Set(input.languages)];
    if (languages.length > 0)
      await tx.insert(agentLanguages).values(languages.map((language) => ({ accountId: ctx.accountId, userId, language })));
    return getRoutingProfile(tx, ctx.accountId, userId);
  });
}
