import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { ConfirmDialog, Field, FormDialog, useAutoFocus } from '../../components/form';
import { SparkleIcon, XIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { Avatar, EmptyState, Spinner } from '../../components/ui';
import { useAccountAbilities } from '../../hooks/useAbilities';
import { defineMessages } from '../../i18n';
import { keys, skills as skillsApi, takesConversations, users as usersApi, type RoutingProfile, type Skill, type User } from './api/people';
import { fieldError, LoadError, readableError, roleLabel, SectionHeader } from './people-common';
import './skills-section.css';

const t = defineMessages('settings.skills', {
  title: 'Skills',
  intro:
    'Skills send each conversation to the agents who know its subject. Routing rules say which skills a conversation needs; here you say who has them.',
  skills: 'Skills',
  newSkill: 'New skill',
  newSkillPlaceholder: 'e.g. Billing, Spanish, API',
  add: 'Add skill',
  adding: 'Adding…',
  enterName: 'Enter a name for the skill.',
  added: 'Skill {name} added.',
  noSkills: 'No skills yet',
  noSkillsText: 'Add the subjects your team handles, such as “Billing” or “Integrations”. Then give agents their levels below.',
  deleteSkill: 'Delete skill {name}',
  deleteTitle: 'Delete the skill {name}?',
  deleteBody: 'Every agent loses this skill, and routing rules that require it no longer match on it.',
  delete: 'Delete',
  deleted: 'Skill {name} deleted.',
  agents: 'Agent proficiencies',
  agentsIntro: 'Levels go from 1 (basic) to 5 (expert). How many conversations an agent takes at once is set per team, under',
  teamsLink: 'Teams → Routing',
  agent: 'Agent',
  skillsCol: 'Skills',
  languages: 'Languages',
  edit: 'Edit',
  editFor: 'Edit skills of {name}',
  none: 'None yet',
  noAgents: 'No agents yet',
  noAgentsText: 'Invite agents under Users and invitations; they appear here to get their skills.',
  dialogTitle: 'Skills of {name}',
  level: 'Level',
  levelNone: 'Does not have it',
  level1: '1 · Basic',
  level2: '2',
  level3: '3 · Competent',
  level4: '4',
  level5: '5 · Expert',
  languagesLabel: 'Languages they answer in',
  languagesHint: 'Language codes separated by commas, such as en, fr, pt-br.',
  badLanguage: '“{code}” is not a language code such as en or pt-br.',
  noSkillsYet: 'Add skills above first; you can still set languages.',
  cancel: 'Cancel',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Skills of {name} saved.',
  showMore: 'Show more agents',
  loading: 'Loading…',
});

const PAGE = 25;
const LANGUAGE = /^[a-z]{2,3}(-[a-z0-9]{2,8})?$/;

export default function SkillsSection() {
  return (
    <div className="skills-section">
      <SectionHeader title={t('title')} intro={t('intro')} />
      <SkillsCard />
      <AgentsCard />
    </div>
  );
}

function SkillsCard() {
  const can = useAccountAbilities();
  const qc = useQueryClient();
  const toast = useToast();
  const query = useQuery({ queryKey: keys.skills, queryFn: skillsApi.list });
  const [name, setName] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Skill | null>(null);
  const create = useMutation({
    mutationFn: (n: string) => skillsApi.create(n),
    onSuccess: (res) => {
      qc.setQueryData<{ data: Skill[] }>(keys.skills, (old) => (old ? { data: [...old.data, res.data] } : old));
      void qc.invalidateQueries({ queryKey: keys.skills });
      toast(t('added', { name: res.data.name }), 'info');
      setName('');
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setLocalError(t('enterName'));
    setLocalError(null);
    create.mutate(name.trim());
  }
  const manage = can('manage_routing');
  const list = query.data?.data ?? [];
  const error = localError ?? (create.error ? (fieldError(create.error, 'name') ?? readableError(create.error)) : undefined);

  return (
    <section className="settings-card" aria-labelledby="skills-heading">
      <div className="card-head">
        <h3 id="skills-heading">{t('skills')}</h3>
      </div>
      {query.isPending ? (
        <Spinner />
      ) : query.isError ? (
        <LoadError error={query.error} onRetry={() => void query.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState icon={<SparkleIcon />} title={t('noSkills')}>
          {t('noSkillsText')}
        </EmptyState>
      ) : (
        <ul className="skill-chips">
          {list.map((s) => (
            <li key={s.id} className="skill-chip">
              <span>{s.name}</span>
              {manage && (
                <button
                  type="button"
                  className="chip-x"
                  aria-label={t('deleteSkill', { name: s.name })}
                  title={t('deleteSkill', { name: s.name })}
                  onClick={() => setDeleting(s)}
                >
                  <XIcon />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {manage && (
        <form className="new-skill" onSubmit={submit} noValidate>
          <Field label={t('newSkill')} error={error}>
            <input
              name="skill"
              value={name}
              maxLength={100}
              placeholder={t('newSkillPlaceholder')}
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
          <button type="submit" className="button" disabled={create.isPending}>
            {create.isPending ? t('adding') : t('add')}
          </button>
        </form>
      )}
      {deleting && (
        <ConfirmDialog
          title={t('deleteTitle', { name: deleting.name })}
          body={<p>{t('deleteBody')}</p>}
          confirmLabel={t('delete')}
          tone="danger"
          onConfirm={async () => {
            await skillsApi.remove(deleting.id);
            await qc.invalidateQueries({ queryKey: keys.skills });
            toast(t('deleted', { name: deleting.name }), 'info');
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}

function AgentsCard() {
  const people = useQuery({ queryKey: keys.allUsers, queryFn: usersApi.all });
  const skills = useQuery({ queryKey: keys.skills, queryFn: skillsApi.list });
  const [shown, setShown] = useState(PAGE);
  const [editing, setEditing] = useState<User | null>(null);
  const agents = (people.data ?? []).filter((u) => u.active && takesConversations(u.role));

  return (
    <section className="settings-card" aria-labelledby="agents-heading">
      <div className="card-head">
        <div>
          <h3 id="agents-heading">{t('agents')}</h3>
          <p className="form-hint card-intro">
            {t('agentsIntro')}{' '}
            <Link to="/settings/$section" params={{ section: 'teams' }}>
              {t('teamsLink')}
            </Link>
            .
          </p>
        </div>
      </div>
      {people.isPending ? (
        <Spinner />
      ) : people.isError ? (
        <LoadError error={people.error} onRetry={() => void people.refetch()} />
      ) : agents.length === 0 ? (
        <EmptyState title={t('noAgents')}>{t('noAgentsText')}</EmptyState>
      ) : (
        <div className="settings-table-wrap">
          <table className="settings-table agents-table">
            <thead>
              <tr>
                <th scope="col">{t('agent')}</th>
                <th scope="col">{t('skillsCol')}</th>
                <th scope="col" className="optional">
                  {t('languages')}
                </th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">{t('edit')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {agents.slice(0, shown).map((u) => (
                <AgentRow key={u.id} user={u} onEdit={() => setEditing(u)} />
              ))}
            </tbody>
          </table>
          {agents.length > shown && (
            <div className="load-more-row">
              <button type="button" className="button small" onClick={() => setShown((n) => n + PAGE)}>
                {t('showMore')}
              </button>
            </div>
          )}
        </div>
      )}
      {editing && <ProficiencyDialog user={editing} skills={skills.data?.data ?? []} onClose={() => setEditing(null)} />}
    </section>
  );
}

function AgentRow({ user, onEdit }: { user: User; onEdit: () => void }) {
  const can = useAccountAbilities();
  const profile = useQuery({ queryKey: keys.profile(user.id), queryFn: () => skillsApi.profile(user.id) });
  const p = profile.data?.data;
  return (
    <tr data-user-id={user.id}>
      <td>
        <div className="person">
          <Avatar name={user.name} size={28} />
          <div className="person-text">
            <span className="person-name">{user.name}</span>
            <span className="person-sub">{roleLabel(user.role)}</span>
          </div>
        </div>
      </td>
      <td>
        {profile.isPending ? (
          <span className="form-hint">{t('loading')}</span>
        ) : profile.isError ? (
          <span className="error-text">{readableError(profile.error)}</span>
        ) : p && p.skills.length > 0 ? (
          <ul className="level-list">
            {p.skills.map((s) => (
              <li key={s.skillId} className="level-chip">
                {s.name} <span className="level-num">{s.proficiency}</span>
              </li>
            ))}
          </ul>
        ) : (
          <span className="form-hint">{t('none')}</span>
        )}
      </td>
      <td className="optional">{p?.languages.join(', ') || '—'}</td>
      <td className="actions">
        {can('manage_routing') && (
          <button type="button" className="button small" onClick={onEdit} disabled={!p} aria-label={t('editFor', { name: user.name })}>
            {t('edit')}
          </button>
        )}
      </td>
    </tr>
  );
}

function ProficiencyDialog({ user, skills, onClose }: { user: User; skills: Skill[]; onClose: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const current = qc.getQueryData<{ data: RoutingProfile }>(keys.profile(user.id))?.data;
  const [levels, setLevels] = useState<Record<string, number>>(() =>
    Object.fromEntries((current?.skills ?? []).map((s) => [s.skillId, s.proficiency])),
  );
  const [languages, setLanguages] = useState((current?.languages ?? []).join(', '));
  const [langError, setLangError] = useState<string | null>(null);
  const firstRef = useAutoFocus<HTMLSelectElement>();
  const langRef = useAutoFocus<HTMLInputElement>();
  const save = useMutation({
    mutationFn: (body: { skills: { skillId: string; proficiency: number }[]; languages: string[] }) => skillsApi.setProfile(user.id, body),
    onSuccess: (res) => {
      qc.setQueryData(keys.profile(user.id), res);
      toast(t('saved', { name: user.name }), 'info');
      onClose();
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const codes = languages
      .split(/[\s,]+/)
      .map((c) => c.trim().toLowerCase())
      .filter(Boolean);
    const bad = codes.find((c) => !LANGUAGE.test(c));
    if (bad) return setLangError(t('badLanguage', { code: bad }));
    setLangError(null);
    save.mutate({
      skills: Object.entries(levels)
        .filter(([id, level]) => level > 0 && skills.some((s) => s.id === id))
        .map(([skillId, proficiency]) => ({ skillId, proficiency })),
      languages: [...new Set(codes)],
    });
  }

  const banner = save.error && !fieldError(save.error, 'languages') ? readableError(save.error) : null;
  return (
    <FormDialog
      title={t('dialogTitle', { name: user.name })}
      formId="proficiency-form"
      submitLabel={t('save')}
      pendingLabel={t('saving')}
      pending={save.isPending}
      banner={banner}
      onSubmit={submit}
      onClose={onClose}
    >
      {skills.length === 0 ? (
        <p className="form-hint">{t('noSkillsYet')}</p>
      ) : (
        <div className="level-grid">
          {skills.map((s, i) => (
            <Field key={s.id} label={s.name}>
              <select
                ref={i === 0 ? firstRef : undefined}
                className="select"
                value={levels[s.id] ?? 0}
                onChange={(e) => setLevels((l) => ({ ...l, [s.id]: Number(e.target.value) }))}
              >
                <option value={0}>{t('levelNone')}</option>
                {[1, 2, 3, 4, 5].map((n) => (
                  <option key={n} value={n}>
                    {t(`level${n}` as 'level1')}
                  </option>
                ))}
              </select>
            </Field>
          ))}
        </div>
      )}
      <Field label={t('languagesLabel')} hint={t('languagesHint')} error={langError ?? fieldError(save.error, 'languages')}>
        <input
          ref={skills.length === 0 ? langRef : undefined}
          name="languages"
          value={languages}
          placeholder="en, fr"
          onChange={(e) => setLanguages(e.target.value)}
        />
      </Field>
    </FormDialog>
  );
}
