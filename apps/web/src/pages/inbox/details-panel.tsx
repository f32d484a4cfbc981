import { PRIORITIES, type Conversation, type User } from '../../api/types';
import { ChevronLeftIcon, MailIcon, PhoneIcon } from '../../components/icons';
import { DuplicateNotice } from '../../components/merge-suggestions';
import { RecentConversations } from '../../components/recent-conversations';
import { Avatar } from '../../components/ui';
import type { Can } from '../../hooks/useAbilities';
import { capitalize, customerName, fullTime } from '../../lib/format';
import { linkHandler } from '../../router';
import type { ConversationSlaView } from './conversation/api';
import { SlaSection } from './conversation/sla-timers';
import { useTeams } from './reference-data';
import { t } from './messages';
import { TagsEditor } from './tags-editor';

interface Props {
  c: Conversation;
  users: User[];
  can: Can;
  onPriority(p: string): void;
  onAssign(userId: string | null): void;
  onTeam(teamId: string | null): void;
  onTags(tags: string[]): void;
  /** The conversation's SLA clock (GET /conversations/:id/sla); null when no policy applies. */
  sla: ConversationSlaView | null;
  /** Phones: the panel is a screen of its own with a close button. */
  onClose(): void;
}

/** Properties of the open conversation (priority, assignee, tags) and who the customer is. */
export function DetailsPanel({ c, users, can, onPriority, onAssign, onTeam, onTags, sla, onClose }: Props) {
  const name = customerName(c.customer);
  const teams = useTeams();
  const teamKnown = !c.teamId || teams.byId.has(c.teamId);
  const assigneeKnown = !c.assigneeId || users.some((u) => u.id === c.assigneeId);
  return (
    <aside className="details" aria-label={t('conversationDetails')}>
      <button type="button" className="button small details-close" onClick={onClose}>
        <ChevronLeftIcon size={14} /> {t('backToConversation')}
      </button>
      <section className="details-section">
        <a className="details-customer" href={`/customers/${c.customerId}`} onClick={linkHandler(`/customers/${c.customerId}`)}>
          <Avatar name={name} size={40} />
          <span>
            <span className="details-customer-name">{name}</span>
            <span className="muted small">{t('viewProfile')}</span>
          </span>
        </a>
        {c.customer?.email && (
          <div className="details-line">
            <MailIcon size={14} /> <span className="truncate">{c.customer.email}</span>
          </div>
        )}
        {c.customer?.phone && (
          <div className="details-line">
            <PhoneIcon size={14} /> <span>{c.customer.phone}</span>
          </div>
        )}
        <DuplicateNotice key={c.customerId} customerId={c.customerId} />
      </section>
      <section className="details-section">
        <h3 className="details-heading">{t('recentConversations')}</h3>
        <RecentConversations conversationId={c.id} refreshKey={c.customerId} />
      </section>
      <section className="details-section">
        <h3 className="details-heading">{t('details')}</h3>
        <label className="prop">
          <span className="prop-label">{t('priority')}</span>
          <select
            className="select"
            value={c.priority}
            disabled={!can('update')}
            onChange={(e) => onPriority(e.target.value)}
            aria-label={t('priority')}
          >
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {capitalize(p)}
              </option>
            ))}
            {!PRIORITIES.includes(c.priority as never) && <option value={c.priority}>{capitalize(c.priority)}</option>}
          </select>
        </label>
        <label className="prop">
          <span className="prop-label">{t('assignee')}</span>
          <select
            className="select"
            value={c.assigneeId ?? ''}
            disabled={!can('assign')}
            onChange={(e) => onAssign(e.target.value || null)}
            aria-label={t('assignee')}
          >
            <option value="">{t('unassigned')}</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
            {!assigneeKnown && <option value={c.assigneeId!}>{t('anotherTeammate')}</option>}
          </select>
        </label>
        <label className="prop">
          <span className="prop-label">{t('team')}</span>
          <select
            className="select"
            value={c.teamId ?? ''}
            disabled={!can('assign')}
            onChange={(e) => onTeam(e.target.value || null)}
            aria-label={t('team')}
            data-testid="team-select"
          >
            <option value="">{t('noTeam')}</option>
            {teams.list.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
            {!teamKnown && <option value={c.teamId!}>{t('deletedTeam')}</option>}
          </select>
        </label>
        <div className="prop prop-block">
          <span className="prop-label">{t('tags')}</span>
          <TagsEditor tags={c.tags} disabled={!can('tag')} onChange={onTags} />
        </div>
      </section>
      <SlaSection sla={sla} />
      <section className="details-section">
        <h3 className="details-heading">{t('activity')}</h3>
        <dl className="facts">
          <dt>{t('created')}</dt>
          <dd>{fullTime(c.createdAt)}</dd>
          <dt>{t('messages')}</dt>
          <dd>{c.messageCount}</dd>
          <dt>{t('firstResponse')}</dt>
          <dd>{c.firstResponseAt ? fullTime(c.firstResponseAt) : '—'}</dd>
          {c.waitingSince && (
            <>
              <dt>{t('waitingSince')}</dt>
              <dd>{fullTime(c.waitingSince)}</dd>
            </>
          )}
          {c.resolvedAt && (
            <>
              <dt>{t('resolved')}</dt>
              <dd>{fullTime(c.resolvedAt)}</dd>
            </>
          )}
        </dl>
      </section>
    </aside>
  );
}
