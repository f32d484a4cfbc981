import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useState, type FormEvent, type RefObject } from 'react';
import type { Page } from '../../api/types';
import { Dialog } from '../../components/dialog';
import { ConfirmDialog, CopyButton, Field, FormDialog, useAutoFocus } from '../../components/form';
import { MailIcon, PlusIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { Avatar, EmptyState, Spinner } from '../../components/ui';
import { useAbilities, useAccountAbilities } from '../../hooks/useAbilities';
import { defineMessages } from '../../i18n';
import { fullTime, relativeTime } from '../../lib/format';
import { useMe } from '../../session';
import {
  absoluteUrl,
  grantableRoles,
  invitations,
  keys,
  teams as teamsApi,
  users,
  type CreatedInvitation,
  type Invitation,
  type Role,
  type User,
} from './api/people';
import { fieldError, LoadError, LoadMore, Pill, readableError, roleHint, roleLabel, SectionHeader } from './people-common';
import './users-section.css';

const t = defineMessages('settings.users', {
  title: 'Users and invitations',
  intro: 'Who can sign in to this workspace, with which role. Invite people with a link; deactivate someone to sign them out everywhere.',
  invite: 'Invite people',
  people: 'People',
  name: 'Name',
  email: 'Email',
  role: 'Role',
  status: 'Status',
  lastSeen: 'Last sign-in',
  teams: 'Teams',
  actions: 'Actions',
  you: '(you)',
  active: 'Active',
  deactivated: 'Deactivated',
  never: 'Never',
  deactivate: 'Deactivate',
  reactivate: 'Reactivate',
  roleOf: 'Role of {name}',
  roleChanged: '{name} is now {role}.',
  reactivated: '{name} can sign in again.',
  deactivated_: '{name} was deactivated.',
  deactivateTitle: 'Deactivate {name}?',
  deactivateBody:
    '{name} is signed out everywhere and can no longer sign in or be assigned conversations. Their history stays. You can reactivate them later.',
  noUsers: 'Nobody here yet',
  noUsersText: 'Invite your teammates so they can answer conversations with you.',
  invitations: 'Invitations',
  invitationsIntro: 'Pending invitations can be accepted once with their link. Expired ones can be sent again.',
  noInvitations: 'No pending invitations',
  noInvitationsText: 'Invite someone and send them the link to join.',
  pending: 'Pending',
  expired: 'Expired',
  expires: 'Expires {when}',
  expiredOn: 'Expired {when}',
  sent: 'Sent',
  revoke: 'Revoke',
  inviteAgain: 'Invite again',
  revokeTitle: 'Revoke the invitation for {email}?',
  revokeBody: 'The link stops working at once. You can invite the same address again later.',
  revoked: 'Invitation for {email} revoked.',
  dialogTitle: 'Invite people',
  emailLabel: 'Email address',
  emailHint: 'They set their own name and password when they accept.',
  roleLabel: 'Role',
  teamsLabel: 'Teams (optional)',
  noTeams: 'No teams yet. You can add them to teams later.',
  cancel: 'Cancel',
  send: 'Create invitation',
  sending: 'Creating…',
  enterEmail: 'Enter their email address.',
  checkFields: 'Check the highlighted fields.',
  createdTitle: 'Invitation ready',
  createdBody: 'Send this link to {email}. It lets them join as {role} and works once, until {when}.',
  linkLabel: 'Invitation link',
  linkWarning: 'The link is shown only now. Anyone who has it can join, so send it only to them.',
  copyLink: 'Copy link',
  done: 'Done',
  inviteAnother: 'Invite someone else',
});

type UsersData = InfiniteData<Page<User>, string | undefined>;

export default function UsersSection() {
  const can = useAccountAbilities();
  const [inviting, setInviting] = useState<{ email?: string; role?: Role } | null>(null);
  return (
    <div className="users-section">
      <SectionHeader
        title={t('title')}
        intro={t('intro')}
        actions={
          can('manage_users') && (
            <button type="button" className="button primary" onClick={() => setInviting({})}>
              <PlusIcon /> {t('invite')}
            </button>
          )
        }
      />
      <PeopleCard onInvite={() => setInviting({})} />
      <InvitationsCard onInvite={(prefill) => setInviting(prefill)} />
      {inviting && <InviteDialog prefill={inviting} onClose={() => setInviting(null)} />}
    </div>
  );
}

function PeopleCard({ onInvite }: { onInvite: () => void }) {
  const me = useMe();
  const query = useInfiniteQuery({
    queryKey: keys.users,
    queryFn: ({ pageParam }) => users.page(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
  });
  const [confirming, setConfirming] = useState<User | null>(null);
  const list = query.data?.pages.flatMap((p) => p.data) ?? [];
  const policies = query.data?.pages.flatMap((p) => p.policies ?? []) ?? [];

  return (
    <section className="settings-card" aria-labelledby="people-heading">
      <div className="card-head">
        <h3 id="people-heading">{t('people')}</h3>
      </div>
      {query.isPending ? (
        <Spinner />
      ) : query.isError ? (
        <LoadError error={query.error} onRetry={() => void query.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState
          title={t('noUsers')}
          action={
            <button type="button" className="button" onClick={onInvite}>
              {t('invite')}
            </button>
          }
        >
          {t('noUsersText')}
        </EmptyState>
      ) : (
        <div className="settings-table-wrap">
          <table className="settings-table users-table">
            <thead>
              <tr>
                <th scope="col">{t('name')}</th>
                <th scope="col">{t('role')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col" className="optional">
                  {t('lastSeen')}
                </th>
                <th scope="col" className="optional">
                  {t('teams')}
                </th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">{t('actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((u) => (
                <UserRow
                  key={u.id}
                  user={u}
                  isMe={u.id === me.user.id}
                  myRole={me.role}
                  policies={policies}
                  onDeactivate={() => setConfirming(u)}
                />
              ))}
            </tbody>
          </table>
          <LoadMore hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onMore={() => void query.fetchNextPage()} />
        </div>
      )}
      {confirming && <DeactivateDialog user={confirming} onClose={() => setConfirming(null)} />}
    </section>
  );
}

/** Puts an updated user into the cached pages (and their policies), so the row changes without a refetch. */
function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: { role?: Role; active?: boolean } }) => users.update(id, body),
    onSuccess: (res) => {
      qc.setQueryData<UsersData>(keys.users, (old) =>
        old
          ? {
              ...old,
              pages: old.pages.map((p) => ({
                ...p,
                data: p.data.map((u) => (u.id === res.data.id ? res.data : u)),
                policies: res.policies ? (p.policies ?? []).map((x) => res.policies!.find((n) => n.id === x.id) ?? x) : p.policies,
              })),
            }
          : old,
      );
      void qc.invalidateQueries({ queryKey: keys.allUsers });
    },
  });
}

function UserRow({
  user,
  isMe,
  myRole,
  policies,
  onDeactivate,
}: {
  user: User;
  isMe: boolean;
  myRole: Role;
  policies: NonNullable<Page<User>['policies']>;
  onDeactivate: () => void;
}) {
  const toast = useToast();
  const can = useAbilities(policies, user.id);
  const update = useUpdateUser();
  const mayUpdate = can('update');
  const roles = grantableRoles(myRole);
  const roleOptions = roles.includes(user.role) ? roles : [user.role, ...roles];

  function changeRole(role: Role) {
    update.mutate(
      { id: user.id, body: { role } },
      {
        onSuccess: () => toast(t('roleChanged', { name: user.name, role: roleLabel(role) }), 'info'),
        onError: (err) => toast(readableError(err)),
      },
    );
  }
  function reactivate() {
    update.mutate(
      { id: user.id, body: { active: true } },
      {
        onSuccess: () => toast(t('reactivated', { name: user.name }), 'info'),
        onError: (err) => toast(readableError(err)),
      },
    );
  }

  return (
    <tr className={user.active ? undefined : 'inactive'} data-user-id={user.id}>
      <td>
        <div className="person">
          <Avatar name={user.name} size={28} />
          <div className="person-text">
            <span className="person-name">
              {user.name} {isMe && <span className="you">{t('you')}</span>}
            </span>
            <span className="person-sub">{user.email}</span>
          </div>
        </div>
      </td>
      <td>
        {mayUpdate ? (
          <select
            className="select"
            aria-label={t('roleOf', { name: user.name })}
            value={user.role}
            disabled={update.isPending}
            onChange={(e) => changeRole(e.target.value as Role)}
          >
            {roleOptions.map((r) => (
              <option key={r} value={r} title={roleHint(r)}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        ) : (
          roleLabel(user.role)
        )}
      </td>
      <td>{user.active ? <Pill tone="ok">{t('active')}</Pill> : <Pill tone="off">{t('deactivated')}</Pill>}</td>
      <td className="optional">
        {user.lastLoginAt ? <time title={fullTime(user.lastLoginAt)}>{relativeTime(user.lastLoginAt)}</time> : t('never')}
      </td>
      <td className="optional user-teams">{user.teams.map((tm) => tm.name).join(', ') || '—'}</td>
      <td className="actions">
        {mayUpdate &&
          !isMe &&
          (user.active ? (
            <button type="button" className="button small danger-outline" onClick={onDeactivate} disabled={update.isPending}>
              {t('deactivate')}
            </button>
          ) : (
            <button type="button" className="button small" onClick={reactivate} disabled={update.isPending}>
              {t('reactivate')}
            </button>
          ))}
      </td>
    </tr>
  );
}

function DeactivateDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const toast = useToast();
  const update = useUpdateUser();
  return (
    <ConfirmDialog
      title={t('deactivateTitle', { name: user.name })}
      body={<p>{t('deactivateBody', { name: user.name })}</p>}
      confirmLabel={t('deactivate')}
      tone="danger"
      onConfirm={async () => {
        await update.mutateAsync({ id: user.id, body: { active: false } });
        toast(t('deactivated_', { name: user.name }), 'info');
      }}
      onClose={onClose}
    />
  );
}

// ---- invitations ----

function InvitationsCard({ onInvite }: { onInvite: (prefill: { email?: string; role?: Role }) => void }) {
  const query = useInfiniteQuery({
    queryKey: keys.invitations,
    queryFn: ({ pageParam }) => invitations.page(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
  });
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  // Accepted and revoked invitations are history: people and the audit log show them.
  const open = (query.data?.pages.flatMap((p) => p.data) ?? []).filter((i) => i.status === 'pending' || i.status === 'expired');

  return (
    <section className="settings-card" aria-labelledby="invitations-heading">
      <div className="card-head">
        <div>
          <h3 id="invitations-heading">{t('invitations')}</h3>
          <p className="form-hint card-intro">{t('invitationsIntro')}</p>
        </div>
      </div>
      {query.isPending ? (
        <Spinner />
      ) : query.isError ? (
        <LoadError error={query.error} onRetry={() => void query.refetch()} />
      ) : open.length === 0 && !query.hasNextPage ? (
        <EmptyState
          icon={<MailIcon />}
          title={t('noInvitations')}
          action={
            <button type="button" className="button" onClick={() => onInvite({})}>
              {t('invite')}
            </button>
          }
        >
          {t('noInvitationsText')}
        </EmptyState>
      ) : (
        <div className="settings-table-wrap">
          <table className="settings-table invitations-table">
            <thead>
              <tr>
                <th scope="col">{t('email')}</th>
                <th scope="col">{t('role')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col" className="optional">
                  {t('sent')}
                </th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">{t('actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {open.map((inv) => (
                <tr key={inv.id} data-invitation-id={inv.id}>
                  <td className="invitation-email">{inv.email}</td>
                  <td>{roleLabel(inv.role)}</td>
                  <td>
                    {inv.status === 'pending' ? (
                      <span className="status-stack">
                        <Pill tone="info">{t('pending')}</Pill>
                        <span className="form-hint">{t('expires', { when: fullTime(inv.expiresAt) })}</span>
                      </span>
                    ) : (
                      <span className="status-stack">
                        <Pill tone="warn">{t('expired')}</Pill>
                        <span className="form-hint">{t('expiredOn', { when: fullTime(inv.expiresAt) })}</span>
                      </span>
                    )}
                  </td>
                  <td className="optional">
                    <time title={fullTime(inv.createdAt)}>{relativeTime(inv.createdAt)}</time>
                  </td>
                  <td className="actions">
                    {inv.status === 'pending' ? (
                      <button type="button" className="button small danger-outline" onClick={() => setRevoking(inv)}>
                        {t('revoke')}
                      </button>
                    ) : (
                      <button type="button" className="button small" onClick={() => onInvite({ email: inv.email, role: inv.role })}>
                        {t('inviteAgain')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <LoadMore hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onMore={() => void query.fetchNextPage()} />
        </div>
      )}
      {revoking && <RevokeDialog invitation={revoking} onClose={() => setRevoking(null)} />}
    </section>
  );
}

function RevokeDialog({ invitation, onClose }: { invitation: Invitation; onClose: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  return (
    <ConfirmDialog
      title={t('revokeTitle', { email: invitation.email })}
      body={<p>{t('revokeBody')}</p>}
      confirmLabel={t('revoke')}
      tone="danger"
      onConfirm={async () => {
        await invitations.revoke(invitation.id);
        await qc.invalidateQueries({ queryKey: keys.invitations });
        toast(t('revoked', { email: invitation.email }), 'info');
      }}
      onClose={onClose}
    />
  );
}

function InviteDialog({ prefill, onClose }: { prefill: { email?: string; role?: Role }; onClose: () => void }) {
  const me = useMe();
  const qc = useQueryClient();
  const roles = grantableRoles(me.role);
  const [email, setEmail] = useState(prefill.email ?? '');
  const [role, setRole] = useState<Role>(prefill.role && roles.includes(prefill.role) ? prefill.role : 'agent');
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [localError, setLocalError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const emailRef = useAutoFocus<HTMLInputElement>();
  const teams = useQuery({ queryKey: keys.teams, queryFn: teamsApi.all });
  const create = useMutation({
    mutationFn: () => invitations.create({ email: email.trim(), role, ...(teamIds.length ? { teamIds } : {}) }),
    onSuccess: (res) => {
      setCreated(res.data);
      void qc.invalidateQueries({ queryKey: keys.invitations });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!email.trim()) return setLocalError(t('enterEmail'));
    setLocalError(null);
    create.mutate();
  }

  function again() {
    setCreated(null);
    setEmail('');
    setTeamIds([]);
    create.reset();
    setTimeout(() => emailRef.current?.focus(), 0);
  }

  if (created) {
    const link = absoluteUrl(created.acceptUrl);
    return (
      <Dialog
        title={t('createdTitle')}
        onClose={onClose}
        footer={
          <>
            <button type="button" className="button" onClick={again}>
              {t('inviteAnother')}
            </button>
            <button type="button" className="button primary" onClick={onClose}>
              {t('done')}
            </button>
          </>
        }
      >
        <div className="form-grid">
          <p className="invite-created">
            {t('createdBody', {
              email: created.invitation.email,
              role: roleLabel(created.invitation.role),
              when: fullTime(created.invitation.expiresAt),
            })}
          </p>
          <InviteLink link={link} />
          <p className="warning-note" role="note">
            {t('linkWarning')}
          </p>
        </div>
      </Dialog>
    );
  }

  const err = create.error;
  const emailError = fieldError(err, 'email');
  const banner = localError ?? (err ? (emailError ? null : readableError(err)) : null);

  return (
    <FormDialog
      title={t('dialogTitle')}
      formId="invite-form"
      submitLabel={t('send')}
      pendingLabel={t('sending')}
      pending={create.isPending}
      banner={banner}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field label={t('emailLabel')} hint={t('emailHint')} error={emailError}>
        <input
          ref={emailRef}
          type="email"
          name="email"
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          placeholder="name@example.com"
        />
      </Field>
      <Field label={t('roleLabel')} hint={roleHint(role)} error={fieldError(err, 'role')}>
        <select className="select" name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
      </Field>
      <fieldset className="check-list">
        <legend>{t('teamsLabel')}</legend>
        {teams.data?.data.length ? (
          teams.data.data.map((tm) => (
            <label key={tm.id}>
              <input
                type="checkbox"
                checked={teamIds.includes(tm.id)}
                onChange={(e) => setTeamIds((ids) => (e.target.checked ? [...ids, tm.id] : ids.filter((x) => x !== tm.id)))}
              />
              {tm.name}
            </label>
          ))
        ) : (
          <span className="form-hint">{teams.isPending ? '…' : t('noTeams')}</span>
        )}
      </fieldset>
    </FormDialog>
  );
}

function InviteLink({ link }: { link: string }) {
  const ref = useAutoFocus<HTMLInputElement>();
  return (
    <Field label={t('linkLabel')}>
      <InviteLinkBox link={link} inputRef={ref} />
    </Field>
  );
}

function InviteLinkBox({
  link,
  inputRef,
  id,
  ...aria
}: {
  link: string;
  inputRef: RefObject<HTMLInputElement | null>;
  id?: string;
  'aria-describedby'?: string;
}) {
  return (
    <div className="secret-box">
      <input ref={inputRef} id={id} {...aria} readOnly value={link} data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
      <CopyButton text={link} label={t('copyLink')} />
    </div>
  );
}
