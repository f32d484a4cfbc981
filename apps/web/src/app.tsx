import { AppShell } from './components/layout';
import { Spinner } from './components/ui';
import { CustomersPage } from './pages/customers/customers-page';
import { InboxPage } from './pages/inbox/inbox-page';
import { LoginPage } from './pages/login-page';
import { SettingsPage } from './pages/settings-page';
import { SignupPage } from './pages/signup-page';
import { match, Redirect, useLocation } from './router';
import { useSession } from './session';

export function App() {
  const session = useSession();
  const { path, query } = useLocation();

  if (session.status === 'loading') {
    return (
      <div className="boot">
        <Spinner />
      </div>
    );
  }

  if (session.status === 'signed-out') {
    if (path === '/signup') return <SignupPage />;
    if (path === '/login') return <LoginPage />;
    // Remember where the user was going (not after an explicit logout), so signing in lands them back there.
    const back =
      path === '/' || session.reason === 'logout' ? '' : `?next=${encodeURIComponent(path + (query.toString() ? `?${query}` : ''))}`;
    return <Redirect to={`/login${back}`} />;
  }

  if (path === '/login' || path === '/signup' || path === '/') {
    const next = query.get('next');
    return <Redirect to={next && next.startsWith('/') && !next.startsWith('//') ? next : '/inbox'} />;
  }

  let page;
  let params: Record<string, string> | null;
  if (path === '/inbox') page = <InboxPage conversationId={null} />;
  else if ((params = match('/inbox/:id', path))) page = <InboxPage conversationId={params.id!} />;
  else if (path === '/customers') page = <CustomersPage customerId={null} />;
  else if ((params = match('/customers/:id', path))) page = <CustomersPage customerId={params.id!} />;
  else if (path === '/settings') page = <SettingsPage />;
  else return <Redirect to="/inbox" />;

  return <AppShell>{page}</AppShell>;
}
