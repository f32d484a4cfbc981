import { describe, expect, it } from 'vitest';
import { decideRouting, relaxedRequirements, weightOf, type CandidateAgent, type RoutingRequirements } from './routing';

const agent = (userId: string, over: Partial<CandidateAgent> = {}): CandidateAgent => ({
  userId,
  state: 'online',
  load: 0,
  maxLoad: 1,
  skills: {},
  languages: ['en'],
  lastAssignedAt: null,
  ...over,
});
const req = (over: Partial<RoutingRequirements> = {}): RoutingRequirements => ({
  requiredSkills: [],
  language: null,
  weight: 1 / 3,
  relaxation: [],
  relaxationLevel: 0,
  ...over,
});

describe('capacity weights', () => {
  it('weighs voice 1, chats a third, email and API a tenth, with team overrides', () => {
    expect(weightOf('voice')).toBe(1);
    expect(weightOf('web')).toBeCloseTo(1 / 3);
    expect(weightOf('whatsapp')).toBeCloseTo(1 / 3);
    expect(weightOf('email')).toBe(0.1);
    expect(weightOf('api')).toBe(0.1);
    expect(weightOf('email', { email: 0.25 })).toBe(0.25);
  });

  it('three chats fill an agent; a fourth does not fit', () => {
    const d = decideRouting({ requirements: req(), candidates: [agent('a', { load: 1 })], policy: 'least_loaded' });
    expect(d.outcome).toBe('queued');
    expect(d.explanation.candidates[0]!.reasons[0]).toMatch(/^capacity: load 1 \+ weight 0.333 > max 1/);
    const ok = decideRouting({ requirements: req(), candidates: [agent('a', { load: 2 / 3 })], policy: 'least_loaded' });
    expect(ok.winnerId).toBe('a');
  });

  it('a voice call needs an empty agent', () => {
    const d = decideRouting({
      requirements: req({ weight: 1 }),
      candidates: [agent('a', { load: 0.1 }), agent('b')],
      policy: 'round_robin',
    });
    expect(d.winnerId).toBe('b');
  });
});

describe('eligibility', () => {
  it('never picks offline, away or busy agents', () => {
    const d = decideRouting({
      requirements: req(),
      candidates: [agent('a', { state: 'offline' }), agent('b', { state: 'away' }), agent('c', { state: 'busy' })],
      policy: 'skills',
    });
    expect(d.outcome).toBe('queued');
    expect(d.explanation.candidates.map((c) => c.reasons[0])).toEqual(['state is offline', 'state is away', 'state is busy']);
  });

  it('requires every skill at its minimum proficiency, and the language', () => {
    const d = decideRouting({
      requirements: req({ requiredSkills: [{ skillId: 'billing', minProficiency: 3 }], language: 'de' }),
      candidates: [
        agent('a', { skills: { billing: 2 }, languages: ['de'] }),
        agent('b', { skills: { billing: 4 }, languages: ['en'] }),
        agent('c', { languages: ['de'] }),
        agent('d', { skills: { billing: 3 }, languages: ['de', 'en'] }),
      ],
      policy: 'skills',
    });
    expect(d.winnerId).toBe('d');
    const why = Object.fromEntries(d.explanation.candidates.map((c) => [c.userId, c.reasons]));
    expect(why.a).toEqual(['skill billing proficiency 2 < 3']);
    expect(why.b).toEqual(['does not speak de']);
    expect(why.c).toEqual(['lacks skill billing']);
  });
});

describe('policies', () => {
  const required = [
    { skillId: 'billing', minProficiency: 1 },
    { skillId: 'spanish', minProficiency: 1 },
  ];

  it('skills: the best proficiency sum wins even when more loaded', () => {
    const d = decideRouting({
      requirements: req({ requiredSkills: required }),
      candidates: [
        agent('a', { skills: { billing: 3, spanish: 3 }, load: 0 }),
        agent('b', { skills: { billing: 5, spanish: 4 }, load: 1 / 3 }),
      ],
      policy: 'skills',
    });
    expect(d.winnerId).toBe('b');
    expect(d.explanation.candidates.map((c) => [c.userId, c.skillMatch, c.score])).toEqual([
      ['a', 6, 1],
      ['b', 9, 2],
    ]);
  });

  it('skills: equal match -> least loaded (load / maxLoad) -> longest idle', () => {
    const skills = { billing: 4, spanish: 4 };
    const byLoad = decideRouting({
      requirements: req({ requiredSkills: required }),
      candidates: [agent('a', { skills, load: 1 / 3 }), agent('b', { skills, load: 1 / 3, maxLoad: 2 })],
      policy: 'skills',
    });
    expect(byLoad.winnerId).toBe('b');
    const byIdle = decideRouting({
      requirements: req({ requiredSkills: required }),
      candidates: [
        agent('a', { skills, lastAssignedAt: '2026-01-01T10:05:00Z' }),
        agent('b', { skills, lastAssignedAt: '2026-01-01T10:00:00Z' }),
      ],
      policy: 'skills',
    });
    expect(byIdle.winnerId).toBe('b');
  });

  it('least_loaded ignores skill surplus; round_robin ignores load', () => {
    const candidates = [
      agent('a', { skills: { billing: 5 }, load: 1 / 3, lastAssignedAt: '2026-01-01T09:00:00Z' }),
      agent('b', { skills: { billing: 1 }, load: 0, lastAssignedAt: '2026-01-01T11:00:00Z' }),
    ];
    const r = req({ requiredSkills: [{ skillId: 'billing', minProficiency: 1 }] });
    expect(decideRouting({ requirements: r, candidates, policy: 'least_loaded' }).winnerId).toBe('b');
    expect(decideRouting({ requirements: r, candidates, policy: 'round_robin' }).winnerId).toBe('a');
    expect(decideRouting({ requirements: r, candidates, policy: 'skills' }).winnerId).toBe('a');
  });

  it('never-assigned agents count as idle longest; full ties break on user id (deterministic)', () => {
    const d = decideRouting({
      requirements: req(),
      candidates: [agent('c', { lastAssignedAt: '2026-01-01T09:00:00Z' }), agent('b'), agent('a')],
      policy: 'round_robin',
    });
    expect(d.winnerId).toBe('a');
    expect(d.explanation.why).toBe('assigned to a by round_robin (longest since last assignment); ahead of b');
  });
});

describe('relaxation', () => {
  const relaxation = [
    { afterSeconds: 60, drop: 'proficiency' as const },
    { afterSeconds: 120, drop: 'language' as const },
    { afterSeconds: 300, drop: 'skills' as const },
  ];
  const r = (level: number) =>
    req({ requiredSkills: [{ skillId: 'billing', minProficiency: 4 }], language: 'fr', relaxation, relaxationLevel: level });

  it('applies the steps cumulatively', () => {
    expect(relaxedRequirements(r(0))).toMatchObject({ requiredSkills: [{ minProficiency: 4 }], language: 'fr' });
    expect(relaxedRequirements(r(1))).toMatchObject({ requiredSkills: [{ minProficiency: 1 }], language: 'fr' });
    expect(relaxedRequirements(r(2))).toMatchObject({ requiredSkills: [{ minProficiency: 1 }], language: null });
    expect(relaxedRequirements(r(3))).toMatchObject({ requiredSkills: [], language: null });
    expect(relaxedRequirements(r(9)).requiredSkills).toEqual([]);
  });

  it('queues at level 0 and assigns once the waits have dropped the requirements', () => {
    const candidates = [agent('novice', { skills: { billing: 2 }, languages: ['en'] }), agent('generalist', { languages: ['en'] })];
    expect(decideRouting({ requirements: r(0), candidates, policy: 'skills' }).outcome).toBe('queued');
    expect(decideRouting({ requirements: r(1), candidates, policy: 'skills' }).outcome).toBe('queued');
    expect(decideRouting({ requirements: r(2), candidates, policy: 'skills' }).winnerId).toBe('novice');
    const all = decideRouting({ requirements: r(3), candidates, policy: 'skills', rule: { id: 'r1', name: 'French billing' } });
    expect(all.winnerId).toBe('generalist'); // same (empty) skill match, same load, user id breaks the tie
    expect(all.explanation).toMatchObject({ relaxationLevel: 3, rule: { name: 'French billing' } });
  });

  it('skips agents who declined or missed an offer of the conversation', () => {
    const d = decideRouting({
      requirements: req(),
      candidates: [agent('a'), agent('b', { load: 1 / 3 })],
      policy: 'least_loaded',
      excludedUserIds: ['a'],
    });
    expect(d.winnerId).toBe('b');
    expect(d.explanation.candidates[0]!.reasons).toEqual(['declined or missed an offer of this conversation']);
  });

  it('explains an empty candidate list', () => {
    expect(decideRouting({ requirements: req(), candidates: [], policy: 'skills' }).explanation.why).toBe('queued: no candidate agents');
  });
});
