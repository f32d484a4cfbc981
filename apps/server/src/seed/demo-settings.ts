import { ZCreateCalendarBody, ZCreateSlaPolicyBody, type MacroActions } from '@touchpoint/shared';
// The seed is an operator tool, not a module: it calls the modules' own commands (the ones their routes call), so the
// settings it creates pass the same checks and look exactly like ones an admin made in the web app.
import { createMacro } from '../modules/automation/commands/create-macro';
import { createRule } from '../modules/automation/commands/save-rule';
import { findDefaultChannel } from '../modules/channels';
import { createSkill, setRoutingProfile } from '../modules/routing/commands/manage-skills';
import { createCalendar } from '../modules/sla/commands/save-calendar';
import { createSlaPolicy } from '../modules/sla/commands/save-sla-policy';
import type { Ctx } from '../platform/context';
import { read } from '../platform/tx';

/** Shared macros: the `/` picker of the composer, with template variables ({{customer.first_name}}…) and actions. */
export const DEMO_MACROS: { name: string; body: string; actions: MacroActions }[] = [
  {
    name: 'Greeting',
    body: 'Hi {{customer.first_name}}, thanks for contacting {{account.name}}! I am {{agent.first_name}} and I will take care of this for you.',
    actions: {},
  },
  {
    name: 'Order shipped',
    body: 'Good news, {{customer.first_name}}: your order has shipped. The tracking link is on its way to {{customer.email}}. Anything else I can help with?',
    actions: { status: 'pending', addTags: ['shipping'] },
  },
  {
    name: 'Refund issued',
    body: 'Hi {{customer.first_name}}, I have issued your refund. It shows on your statement within 3 to 5 business days.',
    actions: { status: 'pending', addTags: ['refund'] },
  },
  {
    name: 'Close as solved',
    body: 'Glad we could help, {{customer.first_name}}! I am closing conversation #{{conversation.number}}; just reply to open it again.',
    actions: { status: 'resolved' },
  },
];

/** Skills and who has them (proficiency 1-5), and the languages each agent speaks. */
export const DEMO_SKILLS = ['billing', 'technical', 'spanish'] as const;
type Proficiencies = Partial<Record<(typeof DEMO_SKILLS)[number], number>>;
export const DEMO_PROFILES: Record<string, { skills: Proficiencies; languages: string[] }> = {
  owner: { skills: { billing: 2, technical: 3 }, languages: ['en'] },
  sam: { skills: { technical: 4 }, languages: ['en'] },
  priya: { skills: { billing: 5 }, languages: ['en'] },
  leo: { skills: { technical: 5, spanish: 3 }, languages: ['en', 'es'] },
  mateo: { skills: { billing: 3, spanish: 5 }, languages: ['es', 'en'] },
};

/** The next 1 January after today, so the holiday is always ahead of the demo. */
function nextNewYear(now = new Date()): string {
  return `${now.getUTCFullYear() + 1}-01-01`;
}

/**
 * What every settings screen needs to show something on a fresh `npm start`: shared macros, an office-hours
 * calendar (Mon–Fri 9–17 in the account's time zone, with a holiday) timing an SLA policy, skills with the agents'
 * proficiencies, and an automation rule. Created after the demo conversations, so the rule and the SLA clock do not
 * act on them (they act on every conversation from here on).
 */
export async function seedDemoSettings(
  owner: Ctx,
  input: { timeZone: string; teamIds: string[]; people: Record<string, { id: string }> },
): Promise<void> {
  for (const m of DEMO_MACROS) await createMacro(owner, { ...m, visibility: 'shared' });

  const channelIds = await read(owner, async (tx) =>
    (await Promise.all((['web', 'api'] as const).map((kind) => findDefaultChannel(tx, owner.accountId, kind)))).flatMap((c) =>
      c ? [c.id] : [],
    ),
  );
  await createCalendar(
    owner,
    ZCreateCalendarBody.parse({
      name: 'Office hours',
      timeZone: input.timeZone,
      weekly: Object.fromEntries(
        ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
      ),
      holidays: [{ date: nextNewYear(), name: "New Year's Day" }],
      teamIds: input.teamIds,
      channelIds,
    }),
  );
  await createSlaPolicy(
    owner,
    ZCreateSlaPolicyBody.parse({
      name: 'Standard',
      firstResponseSeconds: 3600,
      resolutionSeconds: 8 * 3600,
      warningLeadSeconds: 15 * 60,
      escalation: { raisePriorityTo: 'high' },
    }),
  );

  const skillIds: Record<string, string> = {};
  for (const name of DEMO_SKILLS) skillIds[name] = (await createSkill(owner, name)).id;
  for (const [key, profile] of Object.entries(DEMO_PROFILES)) {
    const userId = input.people[key]?.id;
    if (!userId) continue;
    const skills = Object.entries(profile.skills).map(([name, proficiency]) => ({ skillId: skillIds[name]!, proficiency }));
    await setRoutingProfile(owner, userId, { skills, languages: profile.languages });
  }

  await createRule(owner, {
    name: 'Refund requests are urgent',
    description: 'A customer message that mentions a refund gets the "urgent" tag and high priority.',
    active: true,
    trigger: { event: 'message.created' },
    match: 'all',
    conditions: [
      { field: 'message.kind', op: 'eq', value: 'incoming' },
      { field: 'message.body', op: 'contains', value: 'refund' },
    ],
    actions: [
      { type: 'add_tags', tags: ['urgent'] },
      { type: 'set_priority', priority: 'high' },
    ],
  });
}
