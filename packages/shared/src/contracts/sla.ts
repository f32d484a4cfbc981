import { z } from 'zod';
import { CONVERSATION_PRIORITIES } from '../domain/conversation';
import { calendarProblems, WEEKDAYS } from '../domain/business-time';
import { pageEnvelope, envelope, ZTimeZone } from './common';

const ZLocalInterval = z.object({ start: z.string().max(5), end: z.string().max(5) });
const ZIntervals = z.array(ZLocalInterval).max(12);
const ZWeekly = z.partialRecord(z.enum(WEEKDAYS), ZIntervals);
const ZHoliday = z.object({ date: z.string().max(10), name: z.string().max(120).optional(), closed: ZIntervals.optional() });

const calendarFields = {
  name: z.string().trim().min(1).max(120),
  timeZone: ZTimeZone,
  weekly: ZWeekly,
  holidays: z.array(ZHoliday).max(366).default([]),
  teamIds: z.array(z.uuid()).max(100).default([]),
  channelIds: z.array(z.uuid()).max(100).default([]),
};

/** Adds the calendar's semantic problems (zone, overlaps, end <= start, dates) as zod issues with their paths. */
function refineCalendar(v: { timeZone?: string; weekly?: object; holidays?: unknown[] }, ctx: z.RefinementCtx) {
  if (v.timeZone === undefined && v.weekly === undefined && v.holidays === undefined) return;
  const problems = calendarProblems({
    timeZone: v.timeZone ?? 'UTC',
    weekly: (v.weekly ?? {}) as never,
    holidays: (v.holidays ?? []) as never,
  });
  // A PATCH without `weekly` keeps the stored schedule, which was checked when it was saved; ZTimeZone reports the zone.
  for (const p of problems.filter((p) => p.path !== 'timeZone' && (v.weekly !== undefined || !p.path.startsWith('weekly'))))
    ctx.addIssue({ code: 'custom', path: p.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)), message: p.message });
}

export const ZCreateCalendarBody = z.object(calendarFields).strict().superRefine(refineCalendar);
export type CreateCalendarBody = z.infer<typeof ZCreateCalendarBody>;
export const ZUpdateCalendarBody = z
  .object({
    name: calendarFields.name.optional(),
    timeZone: calendarFields.timeZone.optional(),
    weekly: ZWeekly.optional(),
    holidays: z.array(ZHoliday).max(366).optional(),
    teamIds: z.array(z.uuid()).max(100).optional(),
    channelIds: z.array(z.uuid()).max(100).optional(),
  })
  .strict()
  .superRefine(refineCalendar);
export type UpdateCalendarBody = z.infer<typeof ZUpdateCalendarBody>;

export const ZCalendar = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  weekly: z.record(z.string(), z.array(ZLocalInterval)),
  holidays: z.array(ZHoliday),
  teamIds: z.array(z.string()),
  channelIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CalendarView = z.infer<typeof ZCalendar>;
export const ZCalendarEnvelope = envelope(ZCalendar);
export const ZCalendarPage = pageEnvelope(ZCalendar);

// --- SLA policies -------------------------------------------------------------------------------------------

const MAX_TARGET = 365 * 24 * 3600;
const ZTarget = z.number().int().min(60).max(MAX_TARGET).nullable();

export const ZSlaConditions = z
  .object({
    priorities: z.array(z.enum(CONVERSATION_PRIORITIES)).max(10).optional(),
    channelKinds: z.array(z.string().min(1).max(40)).max(20).optional(),
    teamIds: z.array(z.uuid()).max(100).optional(),
    customerSegments: z.array(z.string().min(1).max(120)).max(50).optional(),
    vip: z.boolean().optional(),
  })
  .strict();
export type SlaConditions = z.infer<typeof ZSlaConditions>;

export const ZSlaEscalation = z
  .object({
    raisePriorityTo: z.enum(CONVERSATION_PRIORITIES).optional(),
    reassignTeamId: z.uuid().optional(),
    addTag: z.string().trim().min(1).max(50).optional(),
  })
  .strict();
export type SlaEscalation = z.infer<typeof ZSlaEscalation>;

const policyFields = {
  name: z.string().trim().min(1).max(120),
  active: z.boolean().default(true),
  conditions: ZSlaConditions.default({}),
  firstResponseSeconds: ZTarget.default(null),
  nextResponseSeconds: ZTarget.default(null),
  resolutionSeconds: ZTarget.default(null),
  warningLeadSeconds: z.number().int().min(0).max(MAX_TARGET).nullable().default(null),
  escalation: ZSlaEscalation.default({}),
};

function refinePolicy(
  v: {
    firstResponseSeconds?: number | null;
    nextResponseSeconds?: number | null;
    resolutionSeconds?: number | null;
    warningLeadSeconds?: number | null;
  },
  ctx: z.RefinementCtx,
) {
  const targets = [v.firstResponseSeconds, v.nextResponseSeconds, v.resolutionSeconds].filter((x): x is number => typeof x === 'number');
  if (v.warningLeadSeconds != null && targets.some((t) => v.warningLeadSeconds! >= t))
    ctx.addIssue({ code: 'custom', path: ['warningLeadSeconds'], message: 'The warning lead must be shorter than every target' });
}

export const ZCreateSlaPolicyBody = z
  .object(policyFields)
  .strict()
  .superRefine((v, ctx) => {
    if (v.firstResponseSeconds === null && v.nextResponseSeconds === null && v.resolutionSeconds === null)
      ctx.addIssue({ code: 'custom', path: ['firstResponseSeconds'], message: 'A policy needs at least one target' });
    refinePolicy(v, ctx);
  });
export type CreateSlaPolicyBody = z.infer<typeof ZCreateSlaPolicyBody>;
export const ZUpdateSlaPolicyBody = z
  .object({
    name: policyFields.name.optional(),
    active: z.boolean().optional(),
    conditions: ZSlaConditions.optional(),
    firstResponseSeconds: ZTarget.optional(),
    nextResponseSeconds: ZTarget.optional(),
    resolutionSeconds: ZTarget.optional(),
    warningLeadSeconds: z.number().int().min(0).max(MAX_TARGET).nullable().optional(),
    escalation: ZSlaEscalation.optional(),
  })
  .strict()
  .superRefine(refinePolicy);
export type UpdateSlaPolicyBody = z.infer<typeof ZUpdateSlaPolicyBody>;
export const ZSlaPolicyOrderBody = z.object({ ids: z.array(z.uuid()).min(1).max(500) }).strict();

export const ZSlaPolicy = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number().int(),
  active: z.boolean(),
  conditions: ZSlaConditions,
  firstResponseSeconds: z.number().int().nullable(),
  nextResponseSeconds: z.number().int().nullable(),
  resolutionSeconds: z.number().int().nullable(),
  warningLeadSeconds: z.number().int().nullable(),
  escalation: ZSlaEscalation,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SlaPolicyView = z.infer<typeof ZSlaPolicy>;
export const ZSlaPolicyEnvelope = envelope(ZSlaPolicy);
export const ZSlaPolicyList = z.object({ data: z.array(ZSlaPolicy) });

// --- Conversation SLA state -----------------------------------------------------------------------------------

export const SLA_TARGETS = ['firstResponse', 'nextResponse', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];
export const ZSlaTargetState = z.object({
  status: z.enum(['none', 'pending', 'met', 'breached']),
  dueAt: z.string().nullable(),
  /** Business seconds left until due (negative once overdue); null when there is no running clock. */
  remainingBusinessSeconds: z.number().nullable(),
  warned: z.boolean(),
});
export const ZConversationSla = z.object({
  conversationId: z.string(),
  policyId: z.string(),
  policyName: z.string(),
  paused: z.boolean(),
  pausedAt: z.string().nullable(),
  pausedBusinessSeconds: z.number().int(),
  calendarId: z.string().nullable(),
  firstResponse: ZSlaTargetState,
  nextResponse: ZSlaTargetState,
  resolution: ZSlaTargetState,
});
export type ConversationSlaView = z.infer<typeof ZConversationSla>;
export const ZConversationSlaEnvelope = envelope(ZConversationSla.nullable());
