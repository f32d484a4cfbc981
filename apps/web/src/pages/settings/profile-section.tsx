import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, errorMessage } from '../../api/client';
import { Toggle } from '../../components/form';
import { useToast } from '../../components/toast';
import { Avatar } from '../../components/ui';
import { notificationPermission, playChime, useNotifyPrefs } from '../../hooks/useNotifyPrefs';
import { defineMessages } from '../../i18n';
import { useMe, useSession } from '../../session';
import { roleLabel, SectionHeader } from './people-common';
import './profile-section.css';

const t = defineMessages('settings.profile', {
  title: 'My preferences',
  intro: 'How Touchpoint tells you about new work. These choices apply to you only, in this browser.',
  you: 'You',
  name: 'Name',
  email: 'Email',
  role: 'Role',
  workspace: 'Workspace',
  nameNote:
    'Teammates see this name; customers see your first name on your replies. Your email is your sign-in; an admin can invite you under another one.',
  rename: 'Change name',
  save: 'Save',
  cancel: 'Cancel',
  saved: 'Your name is saved.',
  notifications: 'Notifications',
  notificationsIntro: 'Both are off until you turn them on. They fire when a conversation is assigned to you.',
  sound: 'Play a sound',
  soundHint: 'A short chime while Touchpoint is open in a tab, even in the background.',
  desktop: 'Show a desktop notification',
  desktopHint: 'A notification from your operating system, so you notice while working in another app.',
  testSound: 'Play the sound',
  testDesktop: 'Send a test notification',
  testTitle: 'Touchpoint notifications work',
  testBody: 'You will see this when a conversation is assigned to you.',
  asking: 'Your browser is asking whether Touchpoint may show notifications…',
  denied:
    'Your browser blocks notifications from this site. To allow them, open the site settings (the icon left of the address) and set Notifications to Allow, then turn this on again.',
  unsupported: 'This browser cannot show desktop notifications. On a phone, add Touchpoint to your home screen, or use the sound.',
  notGranted: 'Notifications were not allowed, so this stays off. Turn it on again to be asked once more.',
  localOnly: 'Saved in this browser only: set them again on another device.',
});

export default function ProfileSection() {
  const me = useMe();
  return (
    <div className="profile-section">
      <SectionHeader title={t('title')} intro={t('intro')} />
      <section className="settings-card" aria-labelledby="profile-you">
        <h3 id="profile-you">{t('you')}</h3>
        <div className="profile-card">
          <Avatar name={me.user.name} size={48} />
          <dl className="profile-facts">
            <dt>{t('name')}</dt>
            <dd>
              <NameField name={me.user.name} />
            </dd>
            <dt>{t('email')}</dt>
            <dd>{me.user.email}</dd>
            <dt>{t('role')}</dt>
            <dd>{roleLabel(me.role)}</dd>
            <dt>{t('workspace')}</dt>
            <dd>{me.account.name}</dd>
          </dl>
        </div>
        <p className="form-hint">{t('nameNote')}</p>
      </section>
      <NotificationsCard />
    </div>
  );
}

/** The signed-in person's own name (PATCH /me); the session is refreshed so the shell shows it at once. */
function NameField({ name }: { name: string }) {
  const { refresh } = useSession();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);
  const save = useMutation({
    mutationFn: (next: string) => api.patch('/me', { name: next }),
    onSuccess: async () => {
      await refresh();
      setEditing(false);
      toast(t('saved'), 'info');
    },
  });
  if (!editing)
    return (
      <span className="profile-name">
        {name}{' '}
        <button type="button" className="link-button small" onClick={() => (setValue(name), setEditing(true))}>
          {t('rename')}
        </button>
      </span>
    );
  const error = save.error instanceof ApiError ? (save.error.fieldError('name') ?? errorMessage(save.error)) : null;
  return (
    <form
      className="profile-name-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) save.mutate(value.trim());
      }}
    >
      <input aria-label={t('name')} autoFocus maxLength={120} value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" className="button small primary" disabled={!value.trim() || save.isPending}>
        {t('save')}
      </button>
      <button type="button" className="button small" onClick={() => setEditing(false)}>
        {t('cancel')}
      </button>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

function NotificationsCard() {
  const prefs = useNotifyPrefs();
  const [permission, setPermission] = useState(notificationPermission);
  const [asking, setAsking] = useState(false);
  const [refused, setRefused] = useState(false);

  async function setDesktop(on: boolean) {
    setRefused(false);
    if (!on) return prefs.set({ desktop: false });
    if (permission === 'unsupported' || permission === 'denied') return;
    if (permission === 'granted') return prefs.set({ desktop: true });
    setAsking(true);
    try {
      const answer = await Notification.requestPermission();
      setPermission(answer);
      if (answer === 'granted') prefs.set({ desktop: true });
      else setRefused(answer === 'default');
    } finally {
      setAsking(false);
    }
  }

  function testDesktop() {
    try {
      new Notification(t('testTitle'), { body: t('testBody') });
    } catch {
      setPermission(notificationPermission());
    }
  }

  const desktopBlocked = permission === 'denied' || permission === 'unsupported';
  const desktopOn = prefs.desktop && permission === 'granted';

  return (
    <section className="settings-card" aria-labelledby="profile-notifications">
      <h3 id="profile-notifications">{t('notifications')}</h3>
      <p className="form-hint notify-intro">{t('notificationsIntro')}</p>
      <div className="notify-list">
        <div className="notify-item">
          <Toggle checked={prefs.sound} onChange={(on) => prefs.set({ sound: on })} label={t('sound')} hint={t('soundHint')} />
          {prefs.sound && (
            <button type="button" className="button small" onClick={() => playChime(true)}>
              {t('testSound')}
            </button>
          )}
        </div>
        <div className="notify-item">
          <Toggle
            checked={desktopOn}
            onChange={(on) => void setDesktop(on)}
            label={t('desktop')}
            hint={t('desktopHint')}
            disabled={desktopBlocked || asking}
          />
          {desktopOn && (
            <button type="button" className="button small" onClick={testDesktop}>
              {t('testDesktop')}
            </button>
          )}
        </div>
        {asking && (
          <p className="alert alert-info notify-alert" role="status">
            {t('asking')}
          </p>
        )}
        {permission === 'denied' && (
          <p className="alert alert-error notify-alert" role="alert">
            {t('denied')}
          </p>
        )}
        {permission === 'unsupported' && (
          <p className="alert alert-info notify-alert" role="note">
            {t('unsupported')}
          </p>
        )}
        {refused && (
          <p className="alert alert-info notify-alert" role="status">
            {t('notGranted')}
          </p>
        )}
      </div>
      <p className="form-hint">{t('localOnly')}</p>
    </section>
  );
}
