import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { auth } from '../api/endpoints';
import { linkHandler } from '../router';
import { useSession } from '../session';
import { AuthLayout, Field } from './auth-layout';
import { useSignupOpen } from './use-auth-options';

/** Turns the login failure codes of the API into sentences a person can act on. */
function loginErrorMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return 'Something went wrong. Please try again.';
  switch (err.code) {
    case 'invalid_credentials':
      return 'That email and password do not match. Check them and try again.';
    case 'account_locked': {
      const seconds = Number(err.body.retryAfterSeconds);
      const wait =
        Number.isFinite(seconds) && seconds > 0
          ? `in ${Math.max(1, Math.ceil(seconds / 60))} minute${seconds > 60 ? 's' : ''}`
          : 'in a few minutes';
      return `This account is temporarily locked after too many failed sign-in attempts. Try again ${wait}, or ask an admin.`;
    }
    case 'rate_limited':
      return 'Too many sign-in attempts from here. Wait a minute and try again.';
    case 'validation_failed':
      return 'Enter a valid email address and your password.';
    case 'network_error':
      return err.detail;
    default:
      return err.detail || 'Sign-in failed. Please try again.';
  }
}

export function LoginPage() {
  const { refresh } = useSession();
  const signupOpen = useSignupOpen();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!email.trim() || !password) return setError('Enter your email and password.');
    setBusy(true);
    setError(null);
    try {
      await auth.login({ email: email.trim(), password });
      // Signed in: the app shell redirects to the inbox (or to where the user was going).
      await refresh();
    } catch (err) {
      setError(loginErrorMessage(err));
      setBusy(false);
    }
  }

  return (
    <AuthLayout
      title="Sign in"
      subtitle="Welcome back. Sign in to your team's inbox."
      footer={
        signupOpen ? (
          <>
            New to Touchpoint?{' '}
            <a href="/signup" onClick={linkHandler('/signup')}>
              Create an account
            </a>
          </>
        ) : (
          'New here? Ask your administrator for an invitation.'
        )
      }
    >
      <form className="form" onSubmit={submit} noValidate>
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <Field label="Email">
          <input
            type="email"
            name="email"
            autoComplete="username"
            autoFocus
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field label="Password">
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <button type="submit" className="button primary block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthLayout>
  );
}
