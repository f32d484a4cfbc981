import { ZCondition, ZCreateRuleBody, type Condition } from '@touchpoint/shared';
import { describe, expect, it } from 'vitest';
import { conditionHolds, evaluateConditions, type Facts } from './conditions';
import { MAX_CAUSATION_DEPTH, skipReason } from './engine';

const facts: Facts = {
  'conversation.status': 'open',
  'conversation.priority': 'high',
  'conversation.channelKind': 'email',
  'conversation.tags': ['billing', 'refund-request'],
  'conversation.teamId': null,
  'conversation.assigneeId': null,
  'conversation.subject': 'Refund for order #12',
  'message.body': 'I want my MONEY back',
  'message.kind': 'incoming',
  'message.authorKind': 'customer',
  'customer.vip': true,
  'customer.segment': 'enterprise',
  'customer.email': 'dana@example.test',
};
const holds = (c: Condition) => conditionHolds(ZCondition.parse(c), facts);

describe('rule conditions', () => {
  it('compares text case-insensitively with every operator', () => {
    expect(holds({ field: 'conversation.status', op: 'eq', value: 'OPEN' })).toBe(true);
    expect(holds({ field: 'conversation.status', op: 'neq', value: 'open' })).toBe(false);
    expect(holds({ field: 'conversation.priority', op: 'in', value: ['urgent', 'high'] })).toBe(true);
    expect(holds({ field: 'message.body', op: 'contains', value: 'money' })).toBe(true);
    expect(holds({ field: 'message.body', op: 'not_contains', value: 'money' })).toBe(false);
    expect(holds({ field: 'conversation.subject', op: 'starts_with', value: 'refund' })).toBe(true);
    expect(holds({ field: 'customer.email', op: 'starts_with', value: 'sam' })).toBe(false);
  });

  it('treats the tag list as a set', () => {
    expect(holds({ field: 'conversation.tags', op: 'contains', value: 'Billing' })).toBe(true);
    expect(holds({ field: 'conversation.tags', op: 'eq', value: 'refund' })).toBe(false);
    expect(holds({ field: 'conversation.tags', op: 'starts_with', value: 'refund' })).toBe(true);
    expect(holds({ field: 'conversation.tags', op: 'in', value: ['vip', 'billing'] })).toBe(true);
    expect(holds({ field: 'conversation.tags', op: 'not_contains', value: 'spam' })).toBe(true);
    expect(holds({ field: 'conversation.tags', op: 'is_empty' })).toBe(false);
  });

  it('handles unset values and booleans', () => {
    expect(holds({ field: 'conversation.teamId', op: 'is_empty' })).toBe(true);
    expect(holds({ field: 'conversation.assigneeId', op: 'is_set' })).toBe(false);
    expect(holds({ field: 'conversation.teamId', op: 'contains', value: 'x' })).toBe(false);
    expect(holds({ field: 'conversation.teamId', op: 'not_contains', value: 'x' })).toBe(true);
    expect(holds({ field: 'customer.vip', op: 'eq', value: true })).toBe(true);
    expect(holds({ field: 'customer.vip', op: 'neq', value: true })).toBe(false);
  });

  it('combines with all / any; no conditions always match', () => {
    const a = ZCondition.parse({ field: 'customer.vip', op: 'eq', value: true });
    const b = ZCondition.parse({ field: 'conversation.status', op: 'eq', value: 'resolved' });
    expect(evaluateConditions('all', [a, b], facts).matched).toBe(false);
    expect(evaluateConditions('any', [a, b], facts)).toMatchObject({
      matched: true,
      results: [
        { matched: true, actual: true },
        { matched: false, actual: 'open' },
      ],
    });
    expect(evaluateConditions('all', [], facts).matched).toBe(true);
  });

  it('rejects bad definitions with a clear path', () => {
    const bad = (body: unknown) => {
      const r = ZCreateRuleBody.safeParse(body);
      expect(r.success).toBe(false);
      return r.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    };
    const base = { name: 'R', trigger: { event: 'message.created' }, actions: [{ type: 'add_tags', tags: ['x'] }] };
    expect(bad({ ...base, conditions: [{ field: 'customer.age', op: 'eq', value: '1' }] })[0]!.path).toBe('conditions.0.field');
    expect(bad({ ...base, conditions: [{ field: 'customer.email', op: 'like', value: '1' }] })[0]!.path).toBe('conditions.0.op');
    expect(bad({ ...base, conditions: [{ field: 'customer.vip', op: 'eq', value: 'yes' }] })[0]).toEqual({
      path: 'conditions.0.value',
      message: 'customer.vip compares with true or false',
    });
    expect(bad({ ...base, conditions: [{ field: 'conversation.status', op: 'in', value: 'open' }] })[0]!.path).toBe('conditions.0.value');
    expect(bad({ ...base, conditions: [{ field: 'conversation.status', op: 'is_set', value: 'x' }] })[0]!.path).toBe('conditions.0.value');
    expect(bad({ ...base, actions: [{ type: 'explode' }] })[0]!.path).toBe('actions.0.type');
    expect(bad({ ...base, actions: [{ type: 'set_priority', priority: 'whenever' }] })[0]!.path).toBe('actions.0.priority');
    expect(bad({ ...base, actions: [{ type: 'call_webhook', url: 'ftp://example.test/x' }] })[0]).toEqual({
      path: 'actions.0.url',
      message: 'The webhook URL must be an http(s) URL',
    });
    expect(bad({ ...base, actions: [{ type: 'call_webhook', url: 'javascript:alert(1)' }] })[0]!.path).toBe('actions.0.url');
    expect(bad({ ...base, actions: [] })[0]!.path).toBe('actions');
    expect(bad({ ...base, trigger: { event: 'customer.created' } })[0]!.path).toBe('trigger.event');
    expect(bad({ ...base, trigger: {} })[0]).toEqual({ path: 'trigger', message: 'A trigger needs an event or a schedule' });
    expect(bad({ ...base, extra: 1 })[0]!.message).toContain('extra');
  });
});

describe('loop prevention', () => {
  const rule = { id: 'rule-a' };
  it('skips events the rule caused and events at causation depth 3', () => {
    expect(skipReason(rule, { actorKind: 'user', actorId: 'u', causationDepth: 0 })).toBeNull();
    expect(skipReason(rule, { actorKind: 'automation', actorId: 'rule-b', causationDepth: 2 })).toBeNull();
    expect(skipReason(rule, { actorKind: 'automation', actorId: 'rule-a', causationDepth: 1 })).toBe('caused_by_this_rule');
    expect(skipReason(rule, { actorKind: 'automation', actorId: 'rule-b', causationDepth: MAX_CAUSATION_DEPTH })).toBe(
      'causation_depth_limit (3)',
    );
  });
});
