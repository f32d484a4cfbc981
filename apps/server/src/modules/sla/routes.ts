import {
  ZCalendarEnvelope,
  ZCalendarPage,
  ZCreateCalendarBody,
  ZCreateSlaPolicyBody,
  ZIdParams,
  ZPageQuery,
  ZSlaPolicyEnvelope,
  ZSlaPolicyList,
  ZSlaPolicyOrderBody,
  ZUpdateCalendarBody,
  ZUpdateSlaPolicyBody,
} from '@touchpoint/shared';
import { z } from 'zod';
import { ctxOf } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { createCalendar, deleteCalendar, updateCalendar } from './commands/save-calendar';
import { createSlaPolicy, deleteSlaPolicy, reorderSlaPolicies, updateSlaPolicy } from './commands/save-sla-policy';
import { getCalendar, getSlaPolicy, listCalendars, listSlaPolicies } from './queries';

const calendars = ['business-hours'];
const policies = ['sla'];

export function registerSlaSettingsRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/business-hours',
    { schema: { tags: calendars, summary: 'List business-hours calendars', querystring: ZPageQuery, response: { 200: ZCalendarPage } } },
    async (req) => listCalendars(ctxOf(deps, req), req.query),
  );
  app.post(
    '/business-hours',
    { schema: { tags: calendars, summary: 'Create a calendar (admins)', body: ZCreateCalendarBody, response: { 201: ZCalendarEnvelope } } },
    async (req, reply) => reply.status(201).send({ data: await createCalendar(ctxOf(deps, req), req.body) }),
  );
  app.get(
    '/business-hours/:id',
    { schema: { tags: calendars, summary: 'One calendar', params: ZIdParams, response: { 200: ZCalendarEnvelope } } },
    async (req) => getCalendar(ctxOf(deps, req), req.params.id),
  );
  app.patch(
    '/business-hours/:id',
    {
      schema: {
        tags: calendars,
        summary: 'Change a calendar (admins)',
        params: ZIdParams,
        body: ZUpdateCalendarBody,
        response: { 200: ZCalendarEnvelope },
      },
    },
    async (req) => ({ data: await updateCalendar(ctxOf(deps, req), req.params.id, req.body) }),
  );
  app.delete(
    '/business-hours/:id',
    { schema: { tags: calendars, summary: 'Delete a calendar (admins)', params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await deleteCalendar(ctxOf(deps, req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/sla-policies',
    { schema: { tags: policies, summary: 'SLA policies in matching order', response: { 200: ZSlaPolicyList } } },
    async (req) => listSlaPolicies(ctxOf(deps, req)),
  );
  app.post(
    '/sla-policies',
    {
      schema: {
        tags: policies,
        summary: 'Create an SLA policy (admins)',
        body: ZCreateSlaPolicyBody,
        response: { 201: ZSlaPolicyEnvelope },
      },
    },
    async (req, reply) => reply.status(201).send({ data: await createSlaPolicy(ctxOf(deps, req), req.body) }),
  );
  app.put(
    '/sla-policies/order',
    {
      schema: { tags: policies, summary: 'Set the matching order (admins)', body: ZSlaPolicyOrderBody, response: { 200: ZSlaPolicyList } },
    },
    async (req) => ({ data: await reorderSlaPolicies(ctxOf(deps, req), req.body.ids) }),
  );
  app.get(
    '/sla-policies/:id',
    { schema: { tags: policies, summary: 'One SLA policy', params: ZIdParams, response: { 200: ZSlaPolicyEnvelope } } },
    async (req) => getSlaPolicy(ctxOf(deps, req), req.params.id),
  );
  app.patch(
    '/sla-policies/:id',
    {
      schema: {
        tags: policies,
        summary: 'Change an SLA policy (admins)',
        params: ZIdParams,
        body: ZUpdateSlaPolicyBody,
        response: { 200: ZSlaPolicyEnvelope },
      },
    },
    async (req) => ({ data: await updateSlaPolicy(ctxOf(deps, req), req.params.id, req.body) }),
  );
  app.delete(
    '/sla-policies/:id',
    { schema: { tags: policies, summary: 'Delete an SLA policy (admins)', params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await deleteSlaPolicy(ctxOf(deps, req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
