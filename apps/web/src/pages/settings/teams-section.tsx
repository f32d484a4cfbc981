import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Dialog } from '../../components/dialog';
import { ConfirmDialog, Field, Toggle, useAutoFocus } from '../../components/form';
import { PlusIcon, UsersIcon, XIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { Avatar, EmptyState, Spinner } from '../../components/ui';
import { useAbilities, useAccountAbilities } from '../../hooks/useAbilities';
import { defineMessages } from '../../i18n';
import {
  DEFAULT_WEIGHTS,
  keys,
  ROUTING_POLICIES,
  teamRouting,
  teams as teamsApi,
  users as usersApi,
  WEIGHT_KINDS,
  type RoutingPolicy,
  type Team,
  type TeamRouting,
  type TeamRoutingBody,
  type User,
  type WeightKind,
} from './api/people';
import { fieldError, LoadError, readableError, SectionHeader } from './people-common';
import './teams-section.css';

const t = defineMessages('settings.teams', {
  title: 'Teams',
  intro: 'Teams group agents: conversations can be routed to a team, and each team has its own routing settings.',
  newTeam: 'New team',
  noTeams: 'No teams yet',
  noTeamsText: 'Create a team such as “Billing” or “Tier 2”, then add its members.',
  noTeamsReadOnly: 'An admin can create teams.',
  teamList: 'Teams',
  members: '{count} members',
  oneMember: '1 member',
  createTitle: 'New team',
  name: 'Name',
  description: 'Description (optional)',
  descriptionHint: 'What this team handles, for the people who route conversations to it.',
  create: 'Create team',
  creating: 'Creating…',
  cancel: 'Cancel',
  save: 'Save',
  saving: 'Saving…',
  rename: 'Rename',
  renameTitle: 'Rename team',
  created: 'Team {name} created.',
  renamed: 'Team saved.',
  deleteTeam: 'Delete team',
  deleteTitle: 'Delete {name}?',
  deleteBody: 'Its members stay in the workspace. Conversations of this team keep their history but no longer belong to a team.',
  deleted: 'Team {name} deleted.',
  enterName: 'Enter a name for the team.',
  membersTitle: 'Members',
  noMembers: 'Nobody in this team yet. Add the agents who handle its conversations.',
  addMember: 'Add a member',
  choose: 'Choose a person…',
  add: 'Add',
  everyoneIn: 'Everyone in the workspace is already in this team.',
  removeMember: 'Remove {name} from {team}',
  memberAdded: '{name} added to {team}.',
  memberRemoved: '{name} removed from {team}.',
  unknownUser: 'Unknown user',
  inactive: 'deactivated',
  routingTitle: 'Routing',
  routingIntro: 'How this team’s conversations are handed to its members.',
  routingReadOnly: 'Only admins can change routing settings.',
  policy: 'Who gets the next conversation',
  policy_skills: 'Best skill match, then the least busy',
  policy_round_robin: 'Round robin: whoever waited longest since their last one',
  policy_least_loaded: 'The least busy agent',
  maxLoad: 'Maximum load per agent',
  maxLoadHint: '1 is one agent at full capacity (by default: one call, three chats or ten emails at once). 1.5 allows half as much again.',
  offers: 'Offer chats and calls before assigning them',
  offersHint: 'The agent accepts or declines; an unanswered offer goes to the next agent.',
  offerSeconds: 'Seconds to answer an offer',
  offerSecondsHint: 'Between 5 and 600.',
  capacity: 'Capacity per channel',
  capacityHint: 'How many conversations of each kind fill an agent at once. Leave empty for the default.',
  kind_web: 'Web chats',
  kind_chat: 'Chats',
  kind_messaging: 'Messaging (SMS, WhatsApp…)',
  kind_email: 'Emails',
  kind_voice: 'Calls',
  kind_api: 'API tickets',
  atOnce: '{kind} at once',
  defaultAtOnce: 'Default: {n}',
  offline: 'When an agent goes offline or away',
  offlineKeep: 'Keep their conversations',
  offlineKeepHint: 'They stay assigned to the agent until they are back or someone reassigns them.',
  offlineRequeue: 'Return them to the queue after',
  minutes: 'minutes',
  graceLabel: 'Minutes before returning conversations to the queue',
  offlineRequeueHint: 'Open conversations go back to the queue and are routed to an available agent; the routing explanation says why.',
  graceInvalid: 'Enter a number of minutes from 0 (at once) to 1440 (a day).',
  maxLoadInvalid: 'Enter a load above 0 and at most 100.',
  offerInvalid: 'Enter between 5 and 600 seconds.',
  atOnceInvalid: 'Enter a whole number from 1 to 100, or leave it empty.',
  routingSaved: 'Routing of {team} saved.',
  selectTeam: 'Select a team to see its members and routing.',
});

export default function TeamsSection() {
  const can = useAccountAbilities();
  const teamsQuery = useQuery({ queryKey: keys.teams, queryFn: teamsApi.all });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const list = teamsQuery.data?.data ?? [];
  const selected = list.find((tm) => tm.id === selectedId) ?? list[0] ?? null;

  return (
    <div className="teams-section">
      <SectionHeader
        title={t('title')}
        intro={t('intro')}
        actions={
          can('manage_teams') && (
            <button type="button" className="button primary" onClick={() => setCreating(true)}>
              <PlusIcon /> {t('newTeam')}
            </button>
          )
        }
      />
      {teamsQuery.isPending ? (
        <Spinner />
      ) : teamsQuery.isError ? (
        <LoadError error={teamsQuery.error} onRetry={() => void teamsQuery.refetch()} />
      ) : list.length === 0 ? (
        <div className="settings-card">
          <EmptyState
            icon={<UsersIcon />}
            title={t('noTeams')}
            action={
              can('manage_teams') ? (
                <button type="button" className="button primary" onClick={() => setCreating(true)}>
                  {t('newTeam')}
                </button>
              ) : undefined
            }
          >
            {can('manage_teams') ? t('noTeamsText') : t('noTeamsReadOnly')}
          </EmptyState>
        </div>
      ) : (
        <div className="teams-layout">
          <nav className="teams-list" aria-label={t('teamList')}>
            <ul>
              {list.map((tm) => (
                <li key={tm.id}>
                  <button
                    type="button"
                    className={tm.id === selected?.id ? 'team-link active' : 'team-link'}
                    aria-current={tm.id === selected?.id ? 'true' : undefined}
                    onClick={() => setSelectedId(tm.id)}
                  >
                    <span className="team-link-name">{tm.name}</span>
                    <span className="team-link-count">
                      {tm.memberIds.length === 1 ? t('oneMember') : t('members', { count: tm.memberIds.length })}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          {selected ? (
            <TeamDetail key={selected.id} team={selected} policies={teamsQuery.data.policies} />
          ) : (
            <p className="form-hint">{t('selectTeam')}</p>
          )}
        </div>
      )}
      {creating && (
        <TeamDialog
          onClose={() => setCreating(false)}
          onSaved={(team) => {
            setSelectedId(team.id);
            setCreating(false);
          }}
        />
      )}
    </div>
  );
}

/** Create (no `team`) or rename/describe a team. */
function TeamDialog({ team, onClose, onSaved }: { team?: Team; onClose: () => void; onSaved: (team: Team) => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState(team?.name ?? '');
  const [description, setDescription] = useState(team?.description ?? '');
  const [localError, setLocalError] = useState<string | null>(null);
  const nameRef = useAutoFocus<HTMLInputElement>();
  const save = useMutation({
    mutationFn: () =>
      team
        ? teamsApi.update(team.id, { name: name.trim(), description: description.trim() })
        : teamsApi.create({ name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}) }),
    onSuccess: async (res) => {
      await qc.invalidateQueries({ queryKey: keys.teams });
      toast(team ? t('renamed') : t('created', { name: res.data.name }), 'info');
      onSaved(res.data);
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setLocalError(t('enterName'));
    setLocalError(null);
    save.mutate();
  }
  const nameError = localError ?? fieldError(save.error, 'name');
  const banner = save.error && !fieldError(save.error, 'name') && !fieldError(save.error, 'description') ? readableError(save.error) : null;
  return (
    <Dialog
      title={team ? t('renameTitle') : t('createTitle')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" form="team-form" className="button primary" disabled={save.isPending}>
            {save.isPending ? (team ? t('saving') : t('creating')) : team ? t('save') : t('create')}
          </button>
        </>
      }
    >
      <form id="team-form" className="form-grid" onSubmit={submit} noValidate>
        {banner && (
          <div className="alert alert-error" role="alert">
            {banner}
          </div>
        )}
        <Field label={t('name')} error={nameError}>
          <input ref={nameRef} name="name" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t('description')} hint={t('descriptionHint')} error={fieldError(save.error, 'description')}>
          <textarea name="description" rows={3} value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} />
        </Field>
      </form>
    </Dialog>
  );
}

function TeamDetail({ team, policies }: { team: Team; policies: { id: string; abilities: Record<string, boolean> }[] }) {
  const can = useAbilities(policies, team.id);
  const account = useAccountAbilities();
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const qc = useQueryClient();
  const toast = useToast();
  return (
    <div className="team-detail" data-team-id={team.id}>
      <section className="settings-card" aria-labelledby="team-name">
        <div className="card-head">
          <div className="team-title">
            <h3 id="team-name">{team.name}</h3>
            {team.description && <p className="form-hint team-description">{team.description}</p>}
          </div>
          <div className="section-actions">
            {can('update') && account('manage_teams') && (
              <button type="button" className="button small" onClick={() => setRenaming(true)}>
                {t('rename')}
              </button>
            )}
            {can('delete') && account('manage_teams') && (
              <button type="button" className="button small danger-outline" onClick={() => setDeleting(true)}>
                {t('deleteTeam')}
              </button>
            )}
          </div>
        </div>
        <Members team={team} canManage={can('manage_members') && account('manage_team_members')} />
      </section>
      <RoutingCard team={team} />
      {renaming && <TeamDialog team={team} onClose={() => setRenaming(false)} onSaved={() => setRenaming(false)} />}
      {deleting && (
        <ConfirmDialog
          title={t('deleteTitle', { name: team.name })}
          body={<p>{t('deleteBody')}</p>}
          confirmLabel={t('deleteTeam')}
          tone="danger"
          onConfirm={async () => {
            await teamsApi.remove(team.id);
            await qc.invalidateQueries({ queryKey: keys.teams });
            void qc.invalidateQueries({ queryKey: keys.allUsers });
            toast(t('deleted', { name: team.name }), 'info');
          }}
          onClose={() => setDeleting(false)}
        />
      )}
    </div>
  );
}

function Members({ team, canManage }: { team: Team; canManage: boolean }) {
  const qc = useQueryClient();
  const toast = useToast();
  const people = useQuery({ queryKey: keys.allUsers, queryFn: usersApi.all });
  const [choice, setChoice] = useState('');
  const byId = new Map((people.data ?? []).map((u) => [u.id, u]));
  const members = team.memberIds.map((id) => byId.get(id) ?? ({ id, name: t('unknownUser'), email: '' } as User));
  const candidates = (people.data ?? []).filter((u) => u.active && !team.memberIds.includes(u.id));

  const change = useMutation({
    mutationFn: ({ userId, add }: { userId: string; add: boolean }) =>
      add ? teamsApi.addMember(team.id, userId) : teamsApi.removeMember(team.id, userId),
    onSuccess: (res, { userId, add }) => {
      qc.setQueryData<Awaited<ReturnType<typeof teamsApi.all>>>(keys.teams, (old) =>
        old ? { ...old, data: old.data.map((tm) => (tm.id === res.data.id ? res.data : tm)) } : old,
      );
      void qc.invalidateQueries({ queryKey: keys.users });
      const name = byId.get(userId)?.name ?? t('unknownUser');
      toast(add ? t('memberAdded', { name, team: team.name }) : t('memberRemoved', { name, team: team.name }), 'info');
      if (add) setChoice('');
    },
    onError: (err) => toast(readableError(err)),
  });

  return (
    <div className="team-members">
      <h4 className="subheading">{t('membersTitle')}</h4>
      {people.isError && <LoadError error={people.error} onRetry={() => void people.refetch()} />}
      {members.length === 0 ? (
        <p className="form-hint">{t('noMembers')}</p>
      ) : (
        <ul className="member-list">
          {members.map((u) => (
            <li key={u.id} className="member">
              <div className="person">
                <Avatar name={u.name} size={28} />
                <div className="person-text">
                  <span className="person-name">
                    {u.name} {u.active === false && <span className="you">({t('inactive')})</span>}
                  </span>
                  {u.email && <span className="person-sub">{u.email}</span>}
                </div>
              </div>
              {canManage && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t('removeMember', { name: u.name, team: team.name })}
                  title={t('removeMember', { name: u.name, team: team.name })}
                  disabled={change.isPending}
                  onClick={() => change.mutate({ userId: u.id, add: false })}
                >
                  <XIcon />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canManage && (
        <form
          className="add-member"
          onSubmit={(e) => {
            e.preventDefault();
            if (choice) change.mutate({ userId: choice, add: true });
          }}
        >
          {candidates.length === 0 && people.isSuccess ? (
            <p className="form-hint">{t('everyoneIn')}</p>
          ) : (
            <>
              <label className="visually-hidden" htmlFor={`add-member-${team.id}`}>
                {t('addMember')}
              </label>
              <select
                id={`add-member-${team.id}`}
                className="select"
                value={choice}
                onChange={(e) => setChoice(e.target.value)}
                disabled={people.isPending}
              >
                <option value="">{t('choose')}</option>
                {candidates.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({u.email})
                  </option>
                ))}
              </select>
              <button type="submit" className="button" disabled={!choice || change.isPending}>
                {t('add')}
              </button>
            </>
          )}
        </form>
      )}
    </div>
  );
}

function RoutingCard({ team }: { team: Team }) {
  const account = useAccountAbilities();
  const query = useQuery({ queryKey: keys.teamRouting(team.id), queryFn: () => teamRouting.get(team.id) });
  return (
    <section className="settings-card" aria-labelledby={`routing-${team.id}`}>
      <div className="card-head">
        <div>
          <h3 id={`routing-${team.id}`}>{t('routingTitle')}</h3>
          <p className="form-hint card-intro">{account('manage_routing') ? t('routingIntro') : t('routingReadOnly')}</p>
        </div>
      </div>
      {query.isPending ? (
        <Spinner />
      ) : query.isError ? (
        <LoadError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <RoutingForm team={team} initial={query.data.data} editable={account('manage_routing')} />
      )}
    </section>
  );
}

const atOnceOf = (weight: number | undefined) => (weight && weight > 0 ? String(Math.round((1 / weight) * 100) / 100) : '');

function RoutingForm({ team, initial, editable }: { team: Team; initial: TeamRouting; editable: boolean }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [policy, setPolicy] = useState<RoutingPolicy>(initial.policy);
  const [maxLoad, setMaxLoad] = useState(String(initial.maxLoad));
  const [offers, setOffers] = useState(initial.offerTimeoutSeconds !== null);
  const [offerSeconds, setOfferSeconds] = useState(String(initial.offerTimeoutSeconds ?? 30));
  const [atOnce, setAtOnce] = useState<Record<WeightKind, string>>(
    () => Object.fromEntries(WEIGHT_KINDS.map((k) => [k, atOnceOf(initial.weights[k])])) as Record<WeightKind, string>,
  );
  const [offlineMode, setOfflineMode] = useState<'keep' | 'requeue'>(initial.offlineConversations?.mode ?? 'keep');
  const [grace, setGrace] = useState(String(initial.offlineConversations?.graceMinutes ?? 15));
  const [errors, setErrors] = useState<Record<string, string>>({});

  const save = useMutation({
    mutationFn: (body: TeamRoutingBody) => teamRouting.put(team.id, body),
    onSuccess: (res) => {
      qc.setQueryData(keys.teamRouting(team.id), res);
      toast(t('routingSaved', { team: team.name }), 'info');
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const next: Record<string, string> = {};
    const load = Number(maxLoad);
    if (!(load > 0 && load <= 100)) next.maxLoad = t('maxLoadInvalid');
    const seconds = Number(offerSeconds);
    if (offers && !(Number.isInteger(seconds) && seconds >= 5 && seconds <= 600)) next.offer = t('offerInvalid');
    const minutes = Number(grace);
    if (offlineMode === 'requeue' && !(Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440)) next.grace = t('graceInvalid');
    const weights: Partial<Record<WeightKind, number>> = {};
    for (const k of WEIGHT_KINDS) {
      const raw = atOnce[k].trim();
      if (!raw) {
        if (initial.weights[k] !== undefined) weights[k] = DEFAULT_WEIGHTS[k];
        continue;
      }
      const n = Number(raw);
      if (!(n >= 1 && n <= 100)) next[`w_${k}`] = t('atOnceInvalid');
      else if (raw !== atOnceOf(initial.weights[k])) weights[k] = Math.min(1, 1 / n);
    }
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    save.mutate({
      policy,
      maxLoad: load,
      offerTimeoutSeconds: offers ? seconds : null,
      ...(Object.keys(weights).length ? { weights } : {}),
      // Keeping conversations leaves the grace period as it was (the server merges the two fields).
      offlineConversations: offlineMode === 'requeue' ? { mode: offlineMode, graceMinutes: minutes } : { mode: offlineMode },
    });
  }

  const err = save.error;
  const banner = err && !Object.values(errors).length ? readableError(err) : null;
  const id = team.id;

  return (
    <form className="routing-form form-grid" onSubmit={submit} noValidate aria-describedby={banner ? `routing-error-${id}` : undefined}>
      <fieldset disabled={!editable || save.isPending} className="plain-fieldset form-grid">
        {banner && (
          <div id={`routing-error-${id}`} className="alert alert-error" role="alert">
            {banner}
          </div>
        )}
        <Field label={t('policy')} error={fieldError(err, 'policy')}>
          <select className="select" value={policy} onChange={(e) => setPolicy(e.target.value as RoutingPolicy)}>
            {ROUTING_POLICIES.map((p) => (
              <option key={p} value={p}>
                {t(`policy_${p}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('maxLoad')} hint={t('maxLoadHint')} error={errors.maxLoad ?? fieldError(err, 'maxLoad')}>
          <input
            type="number"
            inputMode="decimal"
            min={0.1}
            max={100}
            step={0.1}
            className="narrow-input"
            value={maxLoad}
            onChange={(e) => setMaxLoad(e.target.value)}
          />
        </Field>
        <Toggle checked={offers} onChange={setOffers} label={t('offers')} hint={t('offersHint')} disabled={!editable} />
        {offers && (
          <Field label={t('offerSeconds')} hint={t('offerSecondsHint')} error={errors.offer ?? fieldError(err, 'offerTimeoutSeconds')}>
            <input
              type="number"
              inputMode="numeric"
              min={5}
              max={600}
              className="narrow-input"
              value={offerSeconds}
              onChange={(e) => setOfferSeconds(e.target.value)}
            />
          </Field>
        )}
        <fieldset className="offline-choice">
          <legend>{t('offline')}</legend>
          <label className="radio-line">
            <input type="radio" name={`offline-${id}`} checked={offlineMode === 'keep'} onChange={() => setOfflineMode('keep')} />
            <span>
              {t('offlineKeep')}
              <span className="form-hint radio-hint">{t('offlineKeepHint')}</span>
            </span>
          </label>
          <div className="radio-line">
            <input
              id={`offline-requeue-${id}`}
              type="radio"
              name={`offline-${id}`}
              checked={offlineMode === 'requeue'}
              onChange={() => setOfflineMode('requeue')}
            />
            <span>
              <span className="requeue-line">
                <label htmlFor={`offline-requeue-${id}`}>{t('offlineRequeue')}</label>
                <input
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={1440}
                  className="grace-input"
                  aria-label={t('graceLabel')}
                  aria-invalid={errors.grace ? true : undefined}
                  value={grace}
                  onChange={(e) => {
                    setGrace(e.target.value);
                    setOfflineMode('requeue');
                  }}
                />
                <span aria-hidden="true">{t('minutes')}</span>
              </span>
              <span className="form-hint radio-hint">{t('offlineRequeueHint')}</span>
              {(errors.grace ?? fieldError(err, 'graceMinutes')) && (
                <span className="error-text" role="alert">
                  {errors.grace ?? fieldError(err, 'graceMinutes')}
                </span>
              )}
            </span>
          </div>
        </fieldset>
        <details className="capacity">
          <summary>{t('capacity')}</summary>
          <p className="form-hint">{t('capacityHint')}</p>
          <div className="capacity-grid">
            {WEIGHT_KINDS.map((k) => (
              <Field
                key={k}
                label={t('atOnce', { kind: t(`kind_${k}`) })}
                hint={t('defaultAtOnce', { n: atOnceOf(DEFAULT_WEIGHTS[k]) })}
                error={errors[`w_${k}`]}
              >
                <input
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={100}
                  className="narrow-input"
                  value={atOnce[k]}
                  placeholder={atOnceOf(DEFAULT_WEIGHTS[k])}
                  onChange={(e) => setAtOnce((w) => ({ ...w, [k]: e.target.value }))}
                />
              </Field>
            ))}
          </div>
        </details>
        {editable && (
          <div className="form-actions">
            <button type="submit" className="button primary">
              {save.isPending ? t('saving') : t('save')}
            </button>
          </div>
        )}
      </fieldset>
    </form>
  );
}
