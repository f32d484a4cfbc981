import { SettingsIcon } from '../components/icons';
import { EmptyState } from '../components/ui';
import { useAccountAbilities } from '../hooks/useAbilities';
import { capitalize } from '../lib/format';
import { useMe } from '../session';

const AREAS = [
  { ability: 'manage_users', label: 'Users and invitations' },
  { ability: 'manage_teams', label: 'Teams' },
  { ability: 'manage_api_keys', label: 'API keys' },
  { ability: 'manage_channels', label: 'Channels' },
];

/** Placeholder until the settings screens land; shows what this role will be able to manage. */
export function SettingsPage() {
  const me = useMe();
  const can = useAccountAbilities();
  const allowed = AREAS.filter((a) => can(a.ability));
  return (
    <div className="page">
      <header className="page-header">
        <h1 className="pane-title">Settings</h1>
      </header>
      <div className="page-body">
        <div className="card narrow">
          <h3 className="card-title">Workspace</h3>
          <dl className="facts">
            <dt>Name</dt>
            <dd>{me.account.name}</dd>
            <dt>Time zone</dt>
            <dd>{me.account.timeZone}</dd>
            <dt>Your role</dt>
            <dd>{capitalize(me.role)}</dd>
          </dl>
        </div>
        <EmptyState icon={<SettingsIcon size={22} />} title="More settings are on the way">
          {allowed.length > 0
            ? `As ${me.role === 'owner' || me.role === 'admin' ? 'an' : 'a'} ${me.role} you will manage: ${allowed.map((a) => a.label).join(', ')}. Meanwhile, use the API (see /api/docs).`
            : 'Your administrator manages workspace settings.'}
        </EmptyState>
      </div>
    </div>
  );
}
