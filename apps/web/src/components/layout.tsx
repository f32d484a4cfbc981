import type { ReactNode } from 'react';
import type { PresenceState } from '../api/types';
import { useAssignmentAlerts } from '../hooks/useAssignmentAlerts';
import { usePresence } from '../hooks/usePresence';
import { useRealtimeStatus } from '../hooks/useRealtime';
import { capitalize } from '../lib/format';
import { useLocation } from '@tanstack/react-router';
import { linkHandler } from '../router';
import { useMe, useSession } from '../session';
import { InboxIcon, LogoutIcon, SettingsIcon, UsersIcon } from './icons';
import { useDismissable } from './menu';
import { NotificationsBell } from './notifications-bell';
import { Avatar } from './ui';
import { t } from './messages';

type MessageKey = Parameters<typeof t>[0];

const NAV = [
  { to: '/inbox', label: 'navInbox', icon: InboxIcon },
  { to: '/customers', label: 'navCustomers', icon: UsersIcon },
  { to: '/settings', label: 'navSettings', icon: SettingsIcon },
] as const;

export function AppShell({ children }: { children: ReactNode }) {
  const me = useMe();
  useAssignmentAlerts();
  const path = useLocation({ select: (l) => l.pathname });
  return (
    <div className="shell">
      <nav className="sidebar" aria-label={t('navMain')}>
        <div className="workspace">
          <span className="workspace-logo" aria-hidden="true">
            {me.account.name.charAt(0).toUpperCase()}
          </span>
          <span className="workspace-name" title={me.account.name}>
            {me.account.name}
          </span>
        </div>
        <ul className="nav">
          {NAV.map(({ to, label, icon: Icon }) => {
            const active = path === to || path.startsWith(`${to}/`);
            return (
              <li key={to}>
                <a
                  href={to}
                  onClick={linkHandler(to)}
                  className={active ? 'nav-item active' : 'nav-item'}
                  aria-current={active ? 'page' : undefined}
                >
                  <Icon />
                  <span>{t(label)}</span>
                </a>
              </li>
            );
          })}
        </ul>
        <div className="sidebar-bottom">
          <NotificationsBell placement="up" />
          <PresenceControl />
          <LiveIndicator />
          <UserMenu />
        </div>
      </nav>
      <main className="main">{children}</main>
    </div>
  );
}

const PRESENCE_LABELS = {
  online: 'presenceOnline',
  busy: 'presenceBusy',
  away: 'presenceAway',
  offline: 'presenceOffline',
} as const satisfies Record<PresenceState, MessageKey>;
const PRESENCE_HINTS = {
  online: 'presenceOnlineHint',
  busy: 'presenceBusyHint',
  away: 'presenceAwayHint',
  offline: 'presenceOfflineHint',
} as const satisfies Record<PresenceState, MessageKey>;

/** The agent's own availability (what routing and the widget see), with a menu to change it. */
function PresenceControl() {
  const { state, set } = usePresence();
  const { open, setOpen, ref } = useDismissable();
  if (!state) return null;
  return (
    <div className="presence" ref={ref}>
      <button
        type="button"
        className={`presence-button presence-${state}`}
        data-presence={state}
        onClick={() => setOpen((o) => !o)}
        aria-haspopup="menu"
        aria-expanded={open}
        title={t('presenceTitle', { label: t(PRESENCE_LABELS[state]), hint: t(PRESENCE_HINTS[state]) })}
        aria-label={t('yourStatus', { label: t(PRESENCE_LABELS[state]) })}
      >
        <span className="presence-dot" aria-hidden="true" />
        <span className="presence-label">{t(PRESENCE_LABELS[state])}</span>
      </button>
      {open && (
        <div className="menu menu-up" role="menu" aria-label={t('setYourStatus')}>
          {(Object.keys(PRESENCE_LABELS) as PresenceState[]).map((s) => (
            <button
              key={s}
              type="button"
              role="menuitemradio"
              aria-checked={s === state}
              className="menu-item"
              onClick={() => {
                setOpen(false);
                void set(s);
              }}
            >
              <span className={`presence-dot presence-${s}`} aria-hidden="true" />
              <span>
                {t(PRESENCE_LABELS[s])}
                <span className="menu-sub">{t(PRESENCE_HINTS[s])}</span>
              </span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function LiveIndicator() {
  const status = useRealtimeStatus();
  if (status === 'idle') return null;
  const label = status === 'live' ? t('live') : status === 'connecting' ? t('connecting') : t('reconnecting');
  return (
    <div className={`live live-${status}`} data-realtime={status} title={t('realtimeUpdates')}>
      <span className="live-dot" />
      {label}
    </div>
  );
}

function UserMenu() {
  const me = useMe();
  const { signOut } = useSession();
  const { open, setOpen, ref } = useDismissable();
  return (
    <div className="user-menu" ref={ref}>
      <button type="button" className="user-button" onClick={() => setOpen((o) => !o)} aria-haspopup="menu" aria-expanded={open}>
        <Avatar name={me.user.name} size={28} />
        <span className="user-text">
          <span className="user-name">{me.user.name}</span>
          <span className="user-role">{capitalize(me.role)}</span>
        </span>
      </button>
      {open && (
        <div className="menu menu-up" role="menu">
          <div className="menu-header">
            <div className="menu-title">{me.user.name}</div>
            <div className="menu-sub">{me.user.email}</div>
          </div>
          <button type="button" role="menuitem" className="menu-item" onClick={() => void signOut()}>
            <LogoutIcon /> {t('logOut')}
          </button>
        </div>
      )}
    </div>
  );
}
