import { Link, Navigate, useParams } from '@tanstack/react-router';
import { lazy, Suspense, useMemo, type ComponentType, type LazyExoticComponent } from 'react';
import { ChevronLeftIcon } from '../../components/icons';
import { Spinner } from '../../components/ui';
import { useAccountAbilities } from '../../hooks/useAbilities';
import { SECTIONS, type SettingsSection } from './sections';
import './settings.css';

const screens = new Map<string, LazyExoticComponent<ComponentType>>(SECTIONS.map((s) => [s.key, lazy(s.load)]));

/**
 * Settings: a list of the sections this role may manage, and the chosen one beside it. On a phone the list
 * and the section are two stacked screens (`/settings` shows the list, `/settings/<key>` the section).
 */
export function SettingsPage() {
  const { section } = useParams({ strict: false });
  const can = useAccountAbilities();
  const allowed = useMemo(() => SECTIONS.filter((s) => can(s.ability)), [can]);
  const current = allowed.find((s) => s.key === section);
  if (section && !current) return <Navigate to="/settings" replace />;
  const Screen = current ? screens.get(current.key)! : null;

  const groups = new Map<string, SettingsSection[]>();
  for (const s of allowed) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);

  return (
    <div className={current ? 'settings has-section' : 'settings'}>
      <nav className="settings-nav" aria-label="Settings">
        <h1 className="pane-title">Settings</h1>
        {[...groups].map(([group, items]) => (
          <div key={group} className="settings-group">
            <div className="settings-group-title">{group}</div>
            <ul>
              {items.map((s) => (
                <li key={s.key}>
                  <Link
                    to="/settings/$section"
                    params={{ section: s.key }}
                    className={s.key === current?.key ? 'settings-link active' : 'settings-link'}
                    aria-current={s.key === current?.key ? 'page' : undefined}
                  >
                    {s.label}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <section className="settings-body" aria-label={current?.label ?? 'Settings'}>
        {current && Screen ? (
          <>
            <Link to="/settings" className="settings-back">
              <ChevronLeftIcon /> Settings
            </Link>
            <Suspense fallback={<Spinner />}>
              <Screen />
            </Suspense>
          </>
        ) : (
          <div className="settings-intro">
            <h2>Set up your workspace</h2>
            <p>Choose a section. You see the ones your role may manage.</p>
          </div>
        )}
      </section>
    </div>
  );
}
