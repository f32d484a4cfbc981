import { useState } from 'react';
import type { Conversation } from '../../api/types';
import { CheckIcon, ChevronLeftIcon, ClockIcon, InfoIcon, PauseIcon, ReopenIcon, UserIcon } from '../../components/icons';
import { MenuButton } from '../../components/menu';
import { StatusBadge } from '../../components/ui';
import type { Can } from '../../hooks/useAbilities';
import { customerName, fullTime } from '../../lib/format';
import { linkHandler } from '../../router';
import { ChannelBadge } from './channel-badge';
import { t } from './messages';
import { SnoozeDialog } from './conversation/snooze-dialog';
import './conversation/header.css';

export interface StatusActions {
  setStatus(status: Conversation['status'], snoozedUntil?: Date): void;
  assignToMe(): void;
  unassign(): void;
}

function inOneHour(): Date {
  return new Date(Date.now() + 60 * 60 * 1000);
}
function tomorrowMorning(): Date {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  d.setHours(9, 0, 0, 0);
  return d;
}

interface Props {
  c: Conversation;
  meId: string;
  can: Can;
  actions: StatusActions;
  backHref: string;
  onShowDetails(): void;
}

export function ConversationHeader({ c, meId, can, actions, backHref, onShowDetails }: Props) {
  const [picking, setPicking] = useState(false);
  const name = customerName(c.customer);
  const canStatus = can('change_status');
  const mine = c.assigneeId === meId;
  return (
    <header className="conversation-header">
      <a className="back-link icon-button" href={backHref} onClick={linkHandler(backHref)} aria-label={t('backToList')}>
        <ChevronLeftIcon size={18} />
      </a>
      <div className="conversation-title">
        <h2>
          <span className="conversation-number">#{c.number}</span>
          <span className="conversation-subject">{c.subject || t('noSubject')}</span>
        </h2>
        <div className="conversation-sub">
          <a href={`/customers/${c.customerId}`} onClick={linkHandler(`/customers/${c.customerId}`)}>
            {name}
          </a>
          <ChannelBadge channelId={c.channelId} showName />
          <StatusBadge status={c.status} />
          {c.status === 'snoozed' && c.snoozedUntil && (
            <span className="snoozed-until">{t('snoozedUntil', { time: fullTime(c.snoozedUntil) })}</span>
          )}
        </div>
      </div>
      <div className="conversation-actions">
        <button
          type="button"
          className="button icon-only details-toggle"
          onClick={onShowDetails}
          aria-label={t('details')}
          title={t('details')}
        >
          <InfoIcon size={15} />
        </button>
        {can('assign') && (
          <button
            type="button"
            className={mine ? 'button icon-only pressed' : 'button icon-only'}
            aria-pressed={mine}
            aria-label={mine ? t('unassignMe') : t('assignToMe')}
            title={mine ? t('assignedToYou') : t('assignToMe')}
            onClick={mine ? actions.unassign : actions.assignToMe}
          >
            <UserIcon size={15} />
          </button>
        )}
        {canStatus && c.status !== 'resolved' && (
          <MenuButton
            label={t('snooze')}
            iconOnly
            icon={<ClockIcon size={15} />}
            items={[
              {
                label: t('snoozeHour'),
                hint: inOneHour().toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' }),
                onSelect: () => actions.setStatus('snoozed', inOneHour()),
              },
              {
                label: t('snoozeTomorrow'),
                hint: tomorrowMorning().toLocaleTimeString(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' }),
                onSelect: () => actions.setStatus('snoozed', tomorrowMorning()),
              },
              { label: t('pickTime'), onSelect: () => setPicking(true) },
            ]}
          />
        )}
        {picking && <SnoozeDialog onSnooze={(until) => actions.setStatus('snoozed', until)} onClose={() => setPicking(false)} />}
        {canStatus && c.status !== 'pending' && c.status !== 'resolved' && (
          <button
            type="button"
            className="button icon-only"
            onClick={() => actions.setStatus('pending')}
            aria-label={t('markPending')}
            title={t('markPendingTitle')}
          >
            <PauseIcon size={15} />
          </button>
        )}
        {canStatus && c.status !== 'open' && (
          <button type="button" className={c.status === 'resolved' ? 'button primary' : 'button'} onClick={() => actions.setStatus('open')}>
            <ReopenIcon size={14} /> {t('reopen')}
          </button>
        )}
        {canStatus && c.status !== 'resolved' && (
          <button type="button" className="button primary" onClick={() => actions.setStatus('resolved')} title={t('resolveTitle')}>
            <CheckIcon size={14} /> {t('resolve')}
          </button>
        )}
      </div>
    </header>
  );
}
