import { useInfiniteQuery } from '@tanstack/react-query';
import { type ReactNode } from 'react';
import { XIcon } from '../../components/icons';
import { defineMessages } from '../../i18n';
import { capitalize } from '../../lib/format';
import {
  CHANNEL_KIND_LIST,
  keys,
  macrosApi,
  PRIORITY_LIST,
  type Condition,
  type ConditionField,
  type ConditionOp,
  type RuleAction,
  type RuleActionType,
  type RuleEvent,
} from './api/ops';
import { kindLabel } from './channel-form';
import { splitList, useTeams, useUsers } from './ops-ui';

/**
 * The pieces of the automation rule editor: its message catalog, the fields, operators and value inputs of a
 * condition row, and the inputs of each action type.
 */
export const ruleText = defineMessages('settings.automation.editor', {
  newTitle: 'New automation rule',
  editTitle: 'Edit {name}',
  name: 'Name',
  namePlaceholder: 'Tag refund requests',
  description: 'Description',
  descriptionHint: 'Optional: why the rule exists, for your teammates.',
  active: 'Active',
  when: 'When',
  trigger: 'Trigger',
  hours: 'For (hours)',
  hoursHint: 'Calendar hours since the conversation last changed.',
  if: 'If',
  matchAll: 'all of these conditions hold',
  matchAny: 'any of these conditions holds',
  match: 'Match',
  noConditions: 'No conditions: the rule acts every time it is triggered.',
  addCondition: 'Add condition',
  removeCondition: 'Remove condition {n}',
  field: 'Field',
  op: 'Operator',
  value: 'Value',
  then: 'Then',
  addAction: 'Add action',
  removeAction: 'Remove action {n}',
  actionType: 'Action',
  cancel: 'Cancel',
  save: 'Save rule',
  saving: 'Saving…',
  saved: 'Rule {name} saved.',
  needsAction: 'Add at least one action.',
  pick: 'Choose…',
  anyTeam: 'The team it is in (or none)',
  tagsPlaceholder: 'refund, billing',
  listHint: 'Separate values with commas.',
  yes: 'Yes',
  no: 'No',
  noSharedMacros: 'No shared macros yet: create one under Macros.',
  'event.conversation.created': 'A conversation is created',
  'event.message.created': 'A message is added',
  'event.conversation.status_changed': 'The status changes',
  'event.conversation.assigned': 'The assignment changes',
  'event.conversation.tags_changed': 'The tags change',
  'event.conversation.priority_changed': 'The priority changes',
  'schedule.pending_for': 'A conversation has been pending for…',
  'schedule.open_for': 'A conversation has been open for…',
  'schedule.resolved_for': 'A conversation has been resolved for…',
  'field.message.body': 'Message text',
  'field.message.kind': 'Message type',
  'field.message.authorKind': 'Message author',
  'field.conversation.status': 'Status',
  'field.conversation.priority': 'Priority',
  'field.conversation.channelKind': 'Channel',
  'field.conversation.tags': 'Tags',
  'field.conversation.teamId': 'Team',
  'field.conversation.assigneeId': 'Assignee',
  'field.conversation.subject': 'Subject',
  'field.customer.vip': 'Customer is VIP',
  'field.customer.segment': 'Customer segment',
  'field.customer.email': 'Customer email',
  'op.contains': 'contains',
  'op.not_contains': 'does not contain',
  'op.eq': 'is',
  'op.neq': 'is not',
  'op.in': 'is one of',
  'op.starts_with': 'starts with',
  'op.is_set': 'is set',
  'op.is_empty': 'is empty',
  'optag.contains': 'has the tag',
  'optag.not_contains': 'lacks the tag',
  'optag.in': 'has any of',
  'optag.starts_with': 'has a tag starting with',
  'optag.is_set': 'has any tag',
  'optag.is_empty': 'has no tags',
  'optag.eq': 'has the tag',
  'optag.neq': 'lacks the tag',
  'action.add_tags': 'Add tags',
  'action.remove_tags': 'Remove tags',
  'action.set_priority': 'Set priority',
  'action.set_status': 'Set status',
  'action.assign_team': 'Assign to team',
  'action.assign_agent': 'Assign to agent',
  'action.route': 'Route to the best available agent',
  'action.send_reply': 'Send a reply',
  'action.add_note': 'Add an internal note',
  'action.apply_macro': 'Apply a shared macro',
  'action.call_webhook': 'Call a webhook',
  tags: 'Tags',
  priority: 'Priority',
  status: 'Status',
  team: 'Team',
  agent: 'Agent',
  body: 'Text',
  bodyHint: 'Variables such as {{customer.first_name}} are filled in.',
  macro: 'Macro',
  url: 'URL',
  urlHint: 'Receives a signed POST with the conversation (see docs/automation.md).',
  fieldNamed: 'Field {name}',
  opNamed: 'Operator {name}',
  actionTypeNamed: 'Action {name}',
  valueNamed: 'Value {name}',
});
const t = ruleText;

type Kind = 'text' | 'enum' | 'tags' | 'team' | 'user' | 'bool';
export const FIELD_KIND: Record<ConditionField, Kind> = {
  'message.body': 'text',
  'message.kind': 'enum',
  'message.authorKind': 'enum',
  'conversation.status': 'enum',
  'conversation.priority': 'enum',
  'conversation.channelKind': 'enum',
  'conversation.tags': 'tags',
  'conversation.teamId': 'team',
  'conversation.assigneeId': 'user',
  'conversation.subject': 'text',
  'customer.vip': 'bool',
  'customer.segment': 'text',
  'customer.email': 'text',
};
const ENUM_VALUES: Partial<Record<ConditionField, readonly string[]>> = {
  'message.kind': ['incoming', 'outgoing', 'note'],
  'message.authorKind': ['customer', 'agent', 'bot', 'system'],
  'conversation.status': ['open', 'pending', 'snoozed', 'resolved'],
  'conversation.priority': PRIORITY_LIST,
  'conversation.channelKind': CHANNEL_KIND_LIST,
};
export const OPS: Record<Kind, readonly ConditionOp[]> = {
  text: ['contains', 'not_contains', 'eq', 'neq', 'starts_with', 'in', 'is_set', 'is_empty'],
  enum: ['eq', 'neq', 'in'],
  tags: ['contains', 'not_contains', 'in', 'starts_with', 'is_set', 'is_empty'],
  team: ['eq', 'neq', 'in', 'is_set', 'is_empty'],
  user: ['eq', 'neq', 'in', 'is_set', 'is_empty'],
  bool: ['eq', 'neq'],
};
const noValue = (op: ConditionOp) => op === 'is_set' || op === 'is_empty';

export const eventLabel = (e: RuleEvent) => t(`event.${e}`);
export const fieldLabel = (f: ConditionField) => t(`field.${f}`);
export const opLabel = (f: ConditionField, op: ConditionOp) => (FIELD_KIND[f] === 'tags' ? t(`optag.${op}`) : t(`op.${op}`));
export const actionLabel = (a: RuleActionType) => t(`action.${a}`);
const enumLabel = (f: ConditionField, v: string) => (f === 'conversation.channelKind' ? kindLabel(v) : capitalize(v));

/** A condition of the same field with a value that fits the operator. */
export function withOp(c: Condition, op: ConditionOp): Condition {
  if (noValue(op)) return { field: c.field, op };
  const v = c.value;
  if (op === 'in') return { field: c.field, op, value: Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : [] };
  if (FIELD_KIND[c.field] === 'bool') return { field: c.field, op, value: typeof v === 'boolean' ? v : true };
  return { field: c.field, op, value: Array.isArray(v) ? (v[0] ?? '') : typeof v === 'string' ? v : '' };
}
export function newCondition(field: ConditionField): Condition {
  const kind = FIELD_KIND[field];
  const op = OPS[kind][0]!;
  if (kind === 'bool') return { field, op, value: true };
  if (kind === 'enum') return { field, op, value: ENUM_VALUES[field]![0]! };
  return { field, op, value: '' };
}
export function newAction(type: RuleActionType): RuleAction {
  switch (type) {
    case 'add_tags':
    case 'remove_tags':
      return { type, tags: [] as unknown as [string] };
    case 'set_priority':
      return { type, priority: 'high' };
    case 'set_status':
      return { type, status: 'resolved' };
    case 'assign_team':
      return { type, teamId: '' };
    case 'assign_agent':
      return { type, userId: '' };
    case 'route':
      return { type };
    case 'send_reply':
    case 'add_note':
      return { type, body: '' };
    case 'apply_macro':
      return { type, macroId: '' };
    case 'call_webhook':
      return { type, url: '' };
  }
}

export function Row({
  children,
  onRemove,
  removeLabel,
  error,
}: {
  children: ReactNode;
  onRemove: () => void;
  removeLabel: string;
  error?: string[];
}) {
  return (
    <div className="ops-row rule-row">
      {children}
      <button type="button" className="icon-button rule-remove" aria-label={removeLabel} onClick={onRemove}>
        <XIcon />
      </button>
      {error && error.length > 0 && (
        <span className="form-error rule-row-error" role="alert">
          {error.join(' ')}
        </span>
      )}
    </div>
  );
}

function Checks({
  options,
  value,
  onChange,
  label,
}: {
  options: { value: string; label: string }[];
  value: string[];
  onChange: (v: string[]) => void;
  label: string;
}) {
  return (
    <span className="rule-checks" role="group" aria-label={label}>
      {options.map((o) => (
        <label key={o.value} className="ops-check">
          <input
            type="checkbox"
            checked={value.includes(o.value)}
            onChange={(e) => onChange(e.target.checked ? [...value, o.value] : value.filter((x) => x !== o.value))}
          />
          {o.label}
        </label>
      ))}
    </span>
  );
}

export function ConditionValue({ c, n, onChange }: { c: Condition; n: number; onChange: (c: Condition) => void }) {
  const teams = useTeams();
  const users = useUsers();
  const kind = FIELD_KIND[c.field];
  const label = t('valueNamed', { name: n });
  if (noValue(c.op)) return null;
  const options =
    kind === 'enum'
      ? ENUM_VALUES[c.field]!.map((v) => ({ value: v, label: enumLabel(c.field, v) }))
      : kind === 'team'
        ? (teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))
        : kind === 'user'
          ? (users.data ?? []).map((x) => ({ value: x.id, label: x.name }))
          : null;
  if (kind === 'bool')
    return (
      <select
        className="select"
        aria-label={label}
        value={String(c.value)}
        onChange={(e) => onChange({ ...c, value: e.target.value === 'true' })}
      >
        <option value="true">{t('yes')}</option>
        <option value="false">{t('no')}</option>
      </select>
    );
  if (c.op === 'in') {
    const list = Array.isArray(c.value) ? c.value : [];
    if (options) return <Checks label={label} options={options} value={list} onChange={(value) => onChange({ ...c, value })} />;
    return (
      <input
        type="text"
        className="ops-grow"
        aria-label={label}
        title={t('listHint')}
        placeholder={t('tagsPlaceholder')}
        defaultValue={list.join(', ')}
        onChange={(e) => onChange({ ...c, value: splitList(e.target.value) })}
      />
    );
  }
  if (options)
    return (
      <select
        className="select"
        aria-label={label}
        value={typeof c.value === 'string' ? c.value : ''}
        onChange={(e) => onChange({ ...c, value: e.target.value })}
      >
        {kind !== 'enum' && <option value="">{t('pick')}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  return (
    <input
      type="text"
      className="ops-grow"
      aria-label={label}
      maxLength={1000}
      value={typeof c.value === 'string' ? c.value : ''}
      onChange={(e) => onChange({ ...c, value: e.target.value })}
    />
  );
}

export function ActionFields({ a, n, onChange }: { a: RuleAction; n: number; onChange: (a: RuleAction) => void }) {
  const teams = useTeams();
  const users = useUsers();
  const macros = useInfiniteQuery({
    queryKey: keys.macros,
    queryFn: ({ pageParam }) => macrosApi.list(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
    enabled: a.type === 'apply_macro',
  });
  const label = (what: string) => `${what} (${t('actionType')} ${n})`;
  switch (a.type) {
    case 'add_tags':
    case 'remove_tags':
      return (
        <input
          type="text"
          className="ops-grow"
          aria-label={label(t('tags'))}
          title={t('listHint')}
          placeholder={t('tagsPlaceholder')}
          defaultValue={a.tags.join(', ')}
          onChange={(e) => onChange({ ...a, tags: splitList(e.target.value) as [string] })}
        />
      );
    case 'set_priority':
      return (
        <select
          className="select"
          aria-label={label(t('priority'))}
          value={a.priority}
          onChange={(e) => onChange({ ...a, priority: e.target.value as typeof a.priority })}
        >
          {PRIORITY_LIST.map((p) => (
            <option key={p} value={p}>
              {capitalize(p)}
            </option>
          ))}
        </select>
      );
    case 'set_status':
      return (
        <select
          className="select"
          aria-label={label(t('status'))}
          value={a.status}
          onChange={(e) => onChange({ ...a, status: e.target.value as typeof a.status })}
        >
          {(['open', 'pending', 'resolved'] as const).map((s) => (
            <option key={s} value={s}>
              {capitalize(s)}
            </option>
          ))}
        </select>
      );
    case 'assign_team':
    case 'route':
      return (
        <select
          className="select"
          aria-label={label(t('team'))}
          value={a.teamId ?? ''}
          onChange={(e) =>
            onChange(
              a.type === 'route'
                ? { type: 'route', ...(e.target.value ? { teamId: e.target.value } : {}) }
                : { ...a, teamId: e.target.value },
            )
          }
        >
          <option value="">{a.type === 'route' ? t('anyTeam') : t('pick')}</option>
          {teams.data?.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
      );
    case 'assign_agent':
      return (
        <select
          className="select"
          aria-label={label(t('agent'))}
          value={a.userId}
          onChange={(e) => onChange({ ...a, userId: e.target.value })}
        >
          <option value="">{t('pick')}</option>
          {users.data
            ?.filter((u) => u.active !== false && u.role !== 'analyst')
            .map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
        </select>
      );
    case 'send_reply':
    case 'add_note':
      return (
        <textarea
          className="ops-grow rule-body"
          rows={3}
          aria-label={label(t('body'))}
          title={t('bodyHint')}
          placeholder={t('bodyHint')}
          maxLength={10_000}
          value={a.body}
          onChange={(e) => onChange({ ...a, body: e.target.value })}
        />
      );
    case 'apply_macro': {
      const shared = (macros.data?.pages.flatMap((p) => p.data) ?? []).filter((m) => m.visibility === 'shared');
      if (macros.isSuccess && shared.length === 0) return <span className="ops-subtle">{t('noSharedMacros')}</span>;
      return (
        <select
          className="select"
          aria-label={label(t('macro'))}
          value={a.macroId}
          onChange={(e) => onChange({ ...a, macroId: e.target.value })}
        >
          <option value="">{t('pick')}</option>
          {shared.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      );
    }
    case 'call_webhook':
      return (
        <input
          type="url"
          className="ops-grow"
          aria-label={label(t('url'))}
          title={t('urlHint')}
          placeholder="https://example.com/hooks/touchpoint"
          value={a.url}
          onChange={(e) => onChange({ ...a, url: e.target.value })}
        />
      );
  }
}
