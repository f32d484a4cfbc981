import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useRealtime } from '../../hooks/useRealtime';
import { useSession } from '../../session';
import { Spinner } from '../../components/ui';
import { useAccountAbilities } from '../../hooks/useAbilities';
import { defineMessages } from '../../i18n';
import { fullTime, relativeTime } from '../../lib/format';
import { keys, routingApi, type Presence, type RoutingRule, type Team } from './api/ops';
import { ErrorBanner, formatDuration, nameOf, useTeams } from './ops-ui';
import { RoutingRuleEditor } from './routing-rule-editor';
import { RulesCard } from './routing-rules';
import './routing-section.css';

const t = defineMessages('settings.routing', {
  title: 'Routing',
  intro:
    'Who gets which conversation: the live state of your agents and the queue, the rules that pick the best agent, and each team’s policy and capacity.',
  presence: 'Agents now',
  presenceHint: 'Only online agents with spare capacity get new conversations. Updated live.',
  agent: 'Agent',
  state: 'Status',
  since: 'Since',
  load: 'Load',
  lastAssigned: 'Last assigned',
  never: 'Never',
  noAgents: 'Nobody takes conversations yet. Invite agents under Users and invitations.',
  loadOf: '{pct}% of capacity',
  loadTitle: 'Load {load} (a chat weighs 1/3, an email 0.1, a call 1; capacity 1 unless the team says otherwise)',
  state_online: 'Online',
  state_busy: 'Busy',
  state_away: 'Away',
  state_offline: 'Offline',
  queue: 'Queue',
  queueHint: 'Conversations waiting for an agent, next first.',
  queueEmpty: 'Nothing is waiting: every conversation that needs an agent has one.',
  waiting: 'Waiting',
  rank: 'Rank',
  team: 'Team',
  relaxed: 'Relaxation',
  open: 'Open',
  level: 'step {n}',
  noTeam: 'Any',
  teams: 'Teams',
  teamsHint: 'How each team picks an agent, how much work an agent holds, and what happens when an agent goes offline.',
  editTeams: 'Change in Teams',
  teamsEmpty: 'No teams yet. Create one under Teams to set its policy and capacity.',
  policy: 'Policy',
  policy_skills: 'Best skill match',
  policy_least_loaded: 'Least busy',
  policy_round_robin: 'Round robin',
  maxLoad: 'Capacity per agent',
  offers: 'Offers',
  offersOff: 'Assigned outright',
  offersOn: 'Offered for {s} s',
  readOnly: 'Only admins change routing.',
});

const STATE_CLASS: Record<string, string> = { online: 'ops-pill on', busy: 'ops-pill warn', away: 'ops-pill off', offline: 'ops-pill off' };

function PresenceCard() {
  const presence = useQuery({ queryKey: keys.presence, queryFn: () => routingApi.presence().then((r) => r.data), refetchInterval: 30_000 });
  const order = { online: 0, busy: 1, away: 2, offline: 3 } as Record<string, number>;
  const list = [...(presence.data ?? [])].sort((a, b) => (order[a.state] ?? 4) - (order[b.state] ?? 4) || a.name.localeCompare(b.name));
  return (
    <section className="settings-card" aria-labelledby="routing-presence">
      <h3 id="routing-presence">{t('presence')}</h3>
      <p className="form-hint routing-hint">{t('presenceHint')}</p>
      {presence.isPending ? (
        <Spinner />
      ) : presence.isError ? (
        <ErrorBanner error={presence.error} />
      ) : list.length === 0 ? (
        <p className="ops-subtle">{t('noAgents')}</p>
      ) : (
        <div className="settings-table-wrap">
          <table className="settings-table routing-presence">
            <thead>
              <tr>
                <th scope="col">{t('agent')}</th>
                <th scope="col">{t('state')}</th>
                <th scope="col">{t('load')}</th>
                <th scope="col" className="optional">
                  {t('since')}
                </th>
                <th scope="col" className="optional">
                  {t('lastAssigned')}
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((p: Presence) => {
                const pct = Math.round(p.load * 100);
                return (
                  <tr key={p.userId}>
                    <td>{p.name}</td>
                    <td>
                      <span className={STATE_CLASS[p.state] ?? 'ops-pill'}>{t(`state_${p.state}`)}</span>
                    </td>
                    <td title={t('loadTitle', { load: p.load.toFixed(2) })}>
                      <span className="routing-load">
                        <span className="routing-bar" aria-hidden="true">
                          <span style={{ width: `${Math.min(100, pct)}%` }} className={pct >= 100 ? 'full' : ''} />
                        </span>
                        <span className="ops-subtle">{t('loadOf', { pct })}</span>
                      </span>
                    </td>
                    <td className="optional">
                      <span title={fullTime(p.since)}>{p.since ? relativeTime(p.since) : '—'}</span>
                    </td>
                    <td className="optional">{p.lastAssignedAt ? relativeTime(p.lastAssignedAt) : t('never')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function QueueCard({ teams }: { teams: Team[] | undefined }) {
  const queue = useQuery({ queryKey: keys.queue, queryFn: () => routingApi.queue().then((r) => r.data), refetchInterval: 30_000 });
  const list = queue.data ?? [];
  return (
    <section className="settings-card" aria-labelledby="routing-queue">
      <h3 id="routing-queue">{t('queue')}</h3>
      <p className="form-hint routing-hint">{t('queueHint')}</p>
      {queue.isPending ? (
        <Spinner />
      ) : queue.isError ? (
        <ErrorBanner error={queue.error} />
      ) : list.length === 0 ? (
        <p className="ops-subtle">{t('queueEmpty')}</p>
      ) : (
        <div className="settings-table-wrap">
          <table className="settings-table">
            <thead>
              <tr>
                <th scope="col">{t('waiting')}</th>
                <th scope="col">{t('rank')}</th>
                <th scope="col" className="optional">
                  {t('team')}
                </th>
                <th scope="col" className="optional">
                  {t('relaxed')}
                </th>
                <th scope="col" className="actions">
                  <span className="ops-sr-only">{t('open')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((q) => (
                <tr key={q.conversationId}>
                  <td title={fullTime(q.enqueuedAt)}>{formatDuration((Date.now() - new Date(q.enqueuedAt).getTime()) / 1000)}</td>
                  <td>{q.priority}</td>
                  <td className="optional">{q.teamId ? nameOf(teams, q.teamId) : t('noTeam')}</td>
                  <td className="optional">{q.relaxationLevel ? t('level', { n: q.relaxationLevel }) : '—'}</td>
                  <td className="actions">
                    <Link to="/inbox/$conversationId" params={{ conversationId: q.conversationId }}>
                      {t('open')}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Each team's policy and capacity at a glance; they are changed with the team (Settings → Teams). */
function TeamsCard({ teams }: { teams: Team[] | undefined }) {
  const settings = useQuery({
    queryKey: [...keys.teamRouting, (teams ?? []).map((x) => x.id).join(',')],
    queryFn: () => Promise.all((teams ?? []).map((x) => routingApi.teamRouting(x.id))),
    enabled: !!teams && teams.length > 0,
  });
  const byTeam = new Map((settings.data ?? []).map((s) => [s.teamId, s]));
  return (
    <section className="settings-card" aria-labelledby="routing-teams">
      <div className="routing-card-head">
        <div>
          <h3 id="routing-teams">{t('teams')}</h3>
          <p className="form-hint routing-hint">{t('teamsHint')}</p>
        </div>
        <Link to="/settings/$section" params={{ section: 'teams' }} className="button">
          {t('editTeams')}
        </Link>
      </div>
      {!teams ? (
        <Spinner />
      ) : teams.length === 0 ? (
        <p className="ops-subtle">{t('teamsEmpty')}</p>
      ) : (
        <div className="settings-table-wrap">
          <table className="settings-table">
            <thead>
              <tr>
                <th scope="col">{t('team')}</th>
                <th scope="col">{t('policy')}</th>
                <th scope="col" className="optional">
                  {t('maxLoad')}
                </th>
                <th scope="col" className="optional">
                  {t('offers')}
                </th>
              </tr>
            </thead>
            <tbody>
              {teams.map((team) => {
                const s = byTeam.get(team.id);
                return (
                  <tr key={team.id}>
                    <td>{team.name}</td>
                    <td>{s ? t(`policy_${s.policy}`) : '…'}</td>
                    <td className="optional">{s?.maxLoad ?? '…'}</td>
                    <td className="optional">
                      {s ? (s.offerTimeoutSeconds ? t('offersOn', { s: s.offerTimeoutSeconds }) : t('offersOff')) : '…'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {settings.isError && <ErrorBanner error={settings.error} />}
    </section>
  );
}

/**
 * Presence and the queue follow the account's realtime events (an agent's status, assignments, new and resolved
 * conversations); a slow poll covers what no event announces (a load recomputed by a job).
 */
function useLiveRouting() {
  const qc = useQueryClient();
  const session = useSession();
  const accountId = session.status === 'signed-in' ? session.me.account.id : null;
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: keys.presence });
    void qc.invalidateQueries({ queryKey: keys.queue });
  };
  useRealtime(
    [accountId && `account:${accountId}`],
    (e) => {
      if (e.type === 'agent.presence_changed' || e.type.startsWith('conversation.')) refresh();
    },
    refresh,
  );
}

export default function RoutingSection() {
  const canManage = useAccountAbilities()('manage_routing');
  const teams = useTeams();
  useLiveRouting();
  const [editing, setEditing] = useState<RoutingRule | 'new' | null>(null);
  if (editing) return <RoutingRuleEditor rule={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />;
  return (
    <div className="routing-section">
      <header className="section-header">
        <div>
          <h2>{t('title')}</h2>
          <p>{canManage ? t('intro') : `${t('intro')} ${t('readOnly')}`}</p>
        </div>
      </header>
      <PresenceCard />
      <QueueCard teams={teams.data} />
      <RulesCard canManage={canManage} onEdit={setEditing} />
      <TeamsCard teams={teams.data} />
    </div>
  );
}
