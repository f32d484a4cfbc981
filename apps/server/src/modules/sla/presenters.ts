import type { CalendarView, SlaConditions, SlaEscalation, SlaPolicyView } from '@touchpoint/shared';
import type { businessHoursCalendars, slaPolicies } from '../../db/schema';

export type CalendarRow = typeof businessHoursCalendars.$inferSelect;
export type SlaPolicyRow = typeof slaPolicies.$inferSelect;

export function presentCalendar(row: CalendarRow): CalendarView {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.timeZone,
    weekly: row.weekly,
    holidays: row.holidays,
    teamIds: row.teamIds,
    channelIds: row.channelIds,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentSlaPolicy(row: SlaPolicyRow): SlaPolicyView {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    active: row.active,
    conditions: row.conditions as SlaConditions,
    firstResponseSeconds: row.firstResponseSeconds,
    nextResponseSeconds: row.nextResponseSeconds,
    resolutionSeconds: row.resolutionSeconds,
    warningLeadSeconds: row.warningLeadSeconds,
    escalation: row.escalation as SlaEscalation,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
