import { useNavigate, useParams } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/client';
import { Field } from '../components/form';
import { defineMessages } from '../i18n';
import { linkHandler } from '../router';
import { useSession } from '../session';
import { AuthLayout } from './auth-layout';
import { invitations } from './settings/api/people';

const t = defineMessages('invite', {
  title: 'Join your team on Touchpoint',
  subtitle: 'You were invited to a workspace. Choose your name and a password to accept.',
  existingSubtitle: 'You already have a Touchpoint account with this email. Enter its password to join this workspace too.',
  name: 'Your name',
  namePlaceholder: 'Ada Lovelace',
  password: 'Choose a password',
  passwordHint: 'At least 10 characters.',
  currentPassword: 'Your current password',
  accept: 'Accept and join',
  accepting: 'Joining…',
  enterName: 'Enter your name.',
  shortPassword: 'Use at least 10 characters for your password.',
  enterPassword: 'Enter your password.',
  checkFields: 'Check the highlighted fields.',
  signedInAs: 'You are signed in as {name}. Accepting signs you in as the invited person instead.',
  haveAccount: 'Already a member?',
  signIn: 'Sign in',
  unknown: 'This invitation link is not valid. Check that you copied the whole link, or ask the person who invited you for a new one.',
  expired: 'This invitation has expired. Ask the person who invited you to send a new one.',
  accepted: 'This invitation was already used. Sign in with the email and password you chose.',
  revoked: 'This invitation was withdrawn. Ask the person who invited you if you should still join.',
  member: 'You are already a member of this workspace: sign in instead.',
  wrongPassword: 'You already have a Touchpoint account with this email: enter its current password to join.',
  rateLimited: 'Too many attempts from here. Wait a minute and try again.',
  deadEnd: 'This link cannot be used',
  deadSubtitle: 'Invitation links work once and expire after 7 days.',
});

type Failure = { kind: 'dead'; text: string } | { kind: 'form'; text: string } | { kind: 'fields'; err: ApiError };

/** What went wrong, in words: a dead link (expired, used, revoked, unknown) ends the form; the rest keep it. */
function failureOf(err: unknown): Failure {
  if (!(err instanceof ApiError)) return { kind: 'form', text: errorMessage(err) };
  if (err.status === 404) return { kind: 'dead', text: t('unknown') };
  if (err.code === 'validation_failed' && err.errors.some((e) => e.path.endsWith('token'))) return { kind: 'dead', text: t('unknown') };
  if (err.code === 'conflict') {
    const status = err.body.invitationStatus;
    if (status === 'expired') return { kind: 'dead', text: t('expired') };
    if (status === 'accepted') return { kind: 'dead', text: t('accepted') };
    if (status === 'revoked') return { kind: 'dead', text: t('revoked') };
    if (/already a member/i.test(err.detail)) return { kind: 'dead', text: t('member') };
    return { kind: 'form', text: err.detail };
  }
  if (err.code === 'invalid_credentials') return { kind: 'form', text: t('wrongPassword') };
  if (err.code === 'rate_limited') return { kind: 'form', text: t('rateLimited') };
  if (err.errors.length > 0) return { kind: 'fields', err };
  return { kind: 'form', text: errorMessage(err) };
}

/**
 * `/invite/<token>`: the invitee sets a name and password (or proves an existing account with its password),
 * accepts, and lands in the inbox signed in (the accept call sets the session cookie). Works signed in or out.
 */
export function InvitePage() {
  const { token } = useParams({ strict: false }) as { token?: string };
  const session = useSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [existing, setExisting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [localErrors, setLocalErrors] = useState<{ name?: string; password?: string }>({});

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errors: { name?: string; password?: string } = {};
    if (!existing && !name.trim()) errors.name = t('enterName');
    if (!password) errors.password = t('enterPassword');
    else if (!existing && password.length < 10) errors.password = t('shortPassword');
    setLocalErrors(errors);
    if (errors.name || errors.password) return;
    setBusy(true);
    setFailure(null);
    try {
      await invitations.accept({ token: token ?? '', password, ...(existing ? {} : { name: name.trim() }) });
      // The answer set the session cookie: whatever was cached belongs to whoever was signed in before.
      qc.clear();
      await session.refresh();
      await navigate({ to: '/inbox', replace: true });
    } catch (err) {
      const f = failureOf(err);
      if (err instanceof ApiError && err.code === 'invalid_credentials') setExisting(true);
      setFailure(f);
      setBusy(false);
    }
  }

  const footer = (
    <>
      {t('haveAccount')}{' '}
      <a href="/login" onClick={linkHandler('/login')}>
        {t('signIn')}
      </a>
    </>
  );

  if (!token || token.length < 20 || failure?.kind === 'dead') {
    return (
      <AuthLayout title={t('deadEnd')} subtitle={t('deadSubtitle')} footer={footer}>
        <div className="alert alert-error" role="alert" data-testid="invite-error">
          {failure?.kind === 'dead' ? failure.text : t('unknown')}
        </div>
      </AuthLayout>
    );
  }

  const apiErr = failure?.kind === 'fields' ? failure.err : null;
  const banner = failure?.kind === 'form' ? failure.text : apiErr ? t('checkFields') : null;
  const signedInAs = session.status === 'signed-in' ? session.me.user.name : null;

  return (
    <AuthLayout title={t('title')} subtitle={existing ? t('existingSubtitle') : t('subtitle')} footer={footer}>
      <form className="form" onSubmit={submit} noValidate>
        {signedInAs && (
          <div className="alert alert-info" role="note">
            {t('signedInAs', { name: signedInAs })}
          </div>
        )}
        {banner && (
          <div className="alert alert-error" role="alert">
            {banner}
          </div>
        )}
        {!existing && (
          <Field label={t('name')} error={localErrors.name ?? apiErr?.fieldError('name')}>
            <input
              name="name"
              autoComplete="name"
              autoFocus
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder={t('namePlaceholder')}
            />
          </Field>
        )}
        <Field
          label={existing ? t('currentPassword') : t('password')}
          hint={existing ? undefined : t('passwordHint')}
          error={localErrors.password ?? apiErr?.fieldError('password')}
        >
          <input
            type="password"
            name="password"
            autoComplete={existing ? 'current-password' : 'new-password'}
            autoFocus={existing}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <button type="submit" className="button primary block" disabled={busy}>
          {busy ? t('accepting') : t('accept')}
        </button>
      </form>
    </AuthLayout>
  );
}
