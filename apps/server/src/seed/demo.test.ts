import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/harness';
import { DEMO_LOGIN, seedDemo } from './demo';

// The demo's login is one global email, so this file seeds into a database of its own.
const t = useTestApp({ isolated: true });

type Row = Record<string, unknown>;

describe('seedDemo', () => {
  it('gives every settings screen something to show, and a second run changes nothing', async () => {
    expect(await seedDemo(t())).toBe(true);
    const login = await t().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: DEMO_LOGIN });
    expect(login.statusCode).toBe(200);
    const headers = { cookie: String(login.headers['set-cookie']).split(';')[0]! };
    const get = async (url: string) => {
      const res = await t().app.inject({ url: `/api/v1${url}`, headers });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      return res.json().data as Row[];
    };
    const account = (await t().app.inject({ url: '/api/v1/account', headers })).json().data as { timeZone: string };

    const macros = await get('/macros?limit=100');
    expect(macros.length).toBeGreaterThanOrEqual(3);
    expect(macros.every((m) => m.visibility === 'shared')).toBe(true);
    expect(macros.some((m) => String(m.body).includes('{{customer.first_name}}'))).toBe(true);

    const [calendar, ...moreCalendars] = await get('/business-hours');
    expect(moreCalendars).toEqual([]);
    const nine = [{ start: '09:00', end: '17:00' }];
    expect(calendar).toMatchObject({
      timeZone: account.timeZone,
      weekly: { monday: nine, tuesday: nine, wednesday: nine, thursday: nine, friday: nine },
      holidays: [{ date: expect.stringMatching(/^\d{4}-01-01$/) }],
    });
    expect(calendar!.weekly).not.toHaveProperty('saturday');
    const teams = await get('/teams');
    expect(teams.map((x) => x.name)).toEqual(expect.arrayContaining(['Support', 'Billing']));
    expect(calendar!.teamIds).toEqual(expect.arrayContaining(teams.map((x) => x.id)));

    const [policy] = await get('/sla-policies');
    expect(policy).toMatchObject({ active: true, firstResponseSeconds: expect.any(Number), resolutionSeconds: expect.any(Number) });

    const skills = await get('/skills');
    expect(skills.map((s) => s.name).sort()).toEqual(['billing', 'spanish', 'technical']);
    const users = await get('/users?limit=100');
    const mateo = users.find((u) => u.name === 'Mateo García')!;
    expect(mateo).toMatchObject({ role: 'agent', teams: [{ name: 'Billing' }] });
    const profile = (await t().app.inject({ url: `/api/v1/users/${mateo.id}/routing-profile`, headers })).json().data;
    expect(profile.skills).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'spanish', proficiency: 5 })]));
    // The second team has an agent who takes conversations, not only its supervisor.
    const billing = teams.find((x) => x.name === 'Billing')!;
    const billingAgents = users.filter((u) => u.role === 'agent' && (billing.memberIds as string[]).includes(u.id as string));
    expect(billingAgents.length).toBeGreaterThan(0);

    const rules = await get('/automation/rules');
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      active: true,
      trigger: { event: 'message.created' },
      conditions: expect.arrayContaining([{ field: 'message.body', op: 'contains', value: 'refund' }]),
      actions: expect.arrayContaining([{ type: 'add_tags', tags: ['urgent'] }]),
    });

    const counts = async () =>
      (
        await t().database.pool.query(
          `select (select count(*)::int from macros) as macros, (select count(*)::int from skills) as skills,
                  (select count(*)::int from automation_rules) as rules, (select count(*)::int from accounts) as accounts`,
        )
      ).rows[0];
    const before = await counts();
    expect(await seedDemo(t())).toBe(false);
    expect(await counts()).toEqual(before);
  });
});
