import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { events, routingDecisions } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import { createAccount, createTeam, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { startConversation } from '../../../test/rows';

const t = useTestApp();

type Item = {
  id: string;
  type: string;
  at: string;
  actor: { kind: string; id: string | null; name: string | null };
  text: string;
  data: Record<string, unknown>;
};
type Page = { data: Item[]; page: { nextCursor: string | null; limit: number } };

async function setup() {
  const acc = await createAccount(t());
  const agent = await createUser(t(), acc.accountId, 'agent', { name: 'Dana Agent' });
  const sam = await createUser(t(), acc.accountId, 'agent', { name: 'Sam Second' });
  const teamId = await createTeam(t(), acc.accountId, 'Billing');
  const { conversation } = await startConversation(t(), agent.headers);
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object, headers: Record<string, string> = agent.headers) =>
    t().app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
  const activity = async (query = '', headers: Record<string, string> = agent.headers) =>
    (await call('GET', `/conversations/${conversation.id}/activity${query}`, undefined, headers)).json() as Page;
  return { acc, agent, sam, teamId, conversation, call, activity };
}

describe('GET /conversations/:id/activity', () => {
  it('lists assignment, team, priority, status, snooze and tag changes newest first, with names and sentences', async () => {
    const { agent, sam, teamId, conversation, call, activity } = await setup();
    const id = conversation.id;
    expect((await call('POST', `/conversations/${id}/assignment`, { assigneeId: sam.userId, teamId })).statusCode).toBe(200);
    expect((await call('PATCH', `/conversations/${id}`, { priority: 'high' })).statusCode).toBe(200);
    const until = new Date(Date.now() + 3 * 3_600_000).toISOString();
    expect((await call('POST', `/conversations/${id}/status`, { status: 'snoozed', snoozedUntil: until })).statusCode).toBe(200);
    expect((await call('PUT', `/conversations/${id}/tags`, { tags: ['vip'] })).statusCode).toBe(200);
    expect((await call('POST', `/conversations/${id}/status`, { status: 'resolved' })).statusCode).toBe(200);
    // A message is not activity (the thread shows it), and neither is the customer's note.
    expect((await call('POST', `/conversations/${id}/messages`, { kind: 'note', body: 'internal' })).statusCode).toBe(201);

    const page = await activity();
    expect(page.page).toEqual({ nextCursor: null, limit: 25 });
    expect(page.data.map((i) => i.type)).toEqual([
      'conversation.status_changed',
      'conversation.tags_changed',
      'conversation.snoozed', // the status change to snoozed is folded into this entry
      'conversation.priority_changed',
      'conversation.assigned',
    ]);
    const actor = { kind: 'user', id: agent.userId, name: 'Dana Agent' };
    expect(page.data).toEqual([
      expect.objectContaining({
        actor,
        text: 'Dana Agent resolved the conversation',
        data: { type: 'conversation.status_changed', from: 'snoozed', to: 'resolved', reason: 'manual' },
      }),
      expect.objectContaining({ text: 'Dana Agent added “vip”', data: { type: 'conversation.tags_changed', added: ['vip'], removed: [] } }),
      expect.objectContaining({
        text: `Dana Agent snoozed the conversation until ${until}`,
        data: { type: 'conversation.snoozed', until },
      }),
      expect.objectContaining({
        text: 'Dana Agent changed the priority from normal to high',
        data: { type: 'conversation.priority_changed', from: 'normal', to: 'high' },
      }),
      expect.objectContaining({
        actor,
        text: 'Dana Agent assigned the conversation to Sam Second and moved it to team Billing',
        data: {
          type: 'conversation.assigned',
          assignee: { id: sam.userId, name: 'Sam Second' },
          previousAssignee: null,
          team: { id: teamId, name: 'Billing' },
          previousTeam: null,
          routed: false,
        },
      }),
    ]);
    for (const item of page.data) expect(item.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('shows routing decisions with names instead of ids, and SLA breaches; hides decisions from analysts', async () => {
    const { acc, sam, conversation, activity } = await setup();
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const decisionId = uuidv7();
    await withTenant(t().database.db, acc.accountId, async (tx) => {
      await tx.insert(routingDecisions).values({
        id: decisionId,
        accountId: acc.accountId,
        conversationId: conversation.id,
        outcome: 'assigned',
        winnerId: sam.userId,
        explanation: {
          why: `assigned to ${sam.userId} by skills (best skill match, then least loaded, then longest idle); the only eligible agent`,
          policy: 'skills',
          rule: null,
          relaxationLevel: 0,
          scope: 'shortlist',
          candidates: [{ userId: sam.userId, eligible: true, score: 1, reasons: ['load 0/1'] }],
        },
      });
      // The assignment the decision made: the decision says it, so agents do not see it twice.
      await tx.insert(events).values({
        accountId: acc.accountId,
        type: 'conversation.assigned',
        actorKind: 'system',
        conversationId: conversation.id,
        payload: { assigneeId: sam.userId, teamId: null, previous: { assigneeId: null, teamId: null }, routed: true },
      });
      await tx.insert(events).values({
        accountId: acc.accountId,
        type: 'sla.breached',
        actorKind: 'system',
        conversationId: conversation.id,
        payload: { target: 'firstResponse', dueAt: '2030-01-01T10:00:00.000Z', policyId: uuidv7(), policyName: 'Gold' },
        createdAt: new Date(Date.now() + 1000),
      });
    });
    const items = (await activity()).data;
    expect(items.map((i) => i.type)).toEqual(['sla.breached', 'routing.decision']);
    expect(items[0]).toMatchObject({
      actor: { kind: 'system', id: null, name: null },
      text: 'First response SLA breached (Gold, due 2030-01-01T10:00:00.000Z)',
      data: { type: 'sla.breached', target: 'firstResponse', policy: { name: 'Gold' } },
    });
    expect(items[1]).toMatchObject({
      id: decisionId,
      text: 'Routing: assigned to Sam Second by skills (best skill match, then least loaded, then longest idle); the only eligible agent',
      data: {
        type: 'routing.decision',
        outcome: 'assigned',
        assignee: { id: sam.userId, name: 'Sam Second' },
        policy: 'skills',
        candidates: [{ user: { id: sam.userId, name: 'Sam Second' }, eligible: true, reasons: ['load 0/1'] }],
        cause: null,
      },
    });
    // Analysts may not read routing decisions (GET /conversations/:id/routing-decisions is agent+): not in their activity.
    const forAnalyst = (await activity('', analyst.headers)).data;
    expect(forAnalyst.map((i) => i.type)).toEqual(['sla.breached', 'conversation.assigned']);
    expect(forAnalyst[1]!.text).toBe('Routing assigned the conversation to Sam Second');
  });

  it('pages newest first with opaque cursors, no entry skipped or repeated', async () => {
    const { conversation, call, activity } = await setup();
    const priorities = ['high', 'low', 'urgent', 'normal', 'high', 'low', 'urgent'];
    for (const priority of priorities) {
      expect((await call('PATCH', `/conversations/${conversation.id}`, { priority })).statusCode).toBe(200);
    }
    const all = (await activity('?limit=100')).data;
    expect(all.map((i) => (i.data as { to: string }).to)).toEqual([...priorities].reverse());
    const seen: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await activity(`?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data);
      cursor = page.page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((i) => i.id)).toEqual(all.map((i) => i.id));
    const bad = await call('GET', `/conversations/${conversation.id}/activity?cursor=not-a-cursor`);
    expect(bad.statusCode).toBe(422);
  });

  it("401 without credentials; another tenant's conversation (or an unknown one) is 404", async () => {
    const { conversation, call } = await setup();
    const other = await createAccount(t());
    const url = `/conversations/${conversation.id}/activity`;
    expect((await call('GET', url, undefined, {})).statusCode).toBe(401);
    const foreign = await call('GET', url, undefined, other.owner.headers);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('not_found');
    expect((await call('GET', `/conversations/${uuidv7()}/activity`)).statusCode).toBe(404);
  });
});
