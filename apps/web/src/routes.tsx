import {
  createRootRoute,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Navigate,
  Outlet,
  useLocation,
  useRouter,
} from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { AppShell } from './components/layout';
import { Spinner } from './components/ui';
import { parseInboxSearch } from './pages/inbox/filters';
import { useSession } from './session';

/**
 * The route tree. Pages are lazily loaded chunks; the inbox's filters live in typed search params, so a view
 * is a URL that can be bookmarked and shared. Signed-out visitors only reach the public routes.
 */

/** Navigate to a plain href (a `?next=` path) once rendered. */
function Redirect({ href }: { href: string }) {
  const router = useRouter();
  useEffect(() => {
    void router.navigate({ href, replace: true });
  }, [router, href]);
  return <Boot />;
}

function Boot() {
  return (
    <div className="boot">
      <Spinner />
    </div>
  );
}

/** Where to go after signing in: `?next=` when it is a local path, else the inbox. */
function nextPath(search: Record<string, unknown>): string {
  const next = typeof search.next === 'string' ? search.next : '';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/inbox';
}

const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: () => <Navigate to="/inbox" replace /> });

/** Routes for people who are not signed in (login, signup): a signed-in user is sent on. */
const publicLayout = createRoute({
  getParentRoute: () => rootRoute,
  id: 'public',
  component: function PublicLayout() {
    const session = useSession();
    const location = useLocation();
    if (session.status === 'loading') return <Boot />;
    if (session.status === 'signed-in') return <Redirect href={nextPath(location.search)} />;
    return <Outlet />;
  },
});

/** Signed-in routes inside the app shell; anyone else goes to the login page and comes back afterwards. */
const appLayout = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  component: function AppLayout() {
    const session = useSession();
    const location = useLocation();
    // Where the visitor was when the gate closed: remembered while the gate was open, because while the redirect
    // to /login is pending this layout re-renders with the new location (and would nest `next` into itself).
    const lastInside = useRef(location.href);
    if (session.status !== 'signed-out') lastInside.current = location.href;
    const here = lastInside.current;
    if (session.status === 'loading') return <Boot />;
    if (session.status === 'signed-out') {
      const back = here === '/' || here === '/inbox' || session.reason === 'logout' ? '' : `?next=${encodeURIComponent(here)}`;
      return <Redirect href={`/login${back}`} />;
    }
    return (
      <AppShell>
        <Outlet />
      </AppShell>
    );
  },
});

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  component: () => <Navigate to="/inbox" replace />,
});

const loginRoute = createRoute({
  getParentRoute: () => publicLayout,
  path: 'login',
  validateSearch: (s: Record<string, unknown>): { next?: string } => (typeof s.next === 'string' ? { next: s.next } : {}),
  component: lazyRouteComponent(() => import('./pages/login-page'), 'LoginPage'),
});

const signupRoute = createRoute({
  getParentRoute: () => publicLayout,
  path: 'signup',
  component: lazyRouteComponent(() => import('./pages/signup-page'), 'SignupPage'),
});

/** An invitation link works signed in or out: the invitee sets a name and password here. */
const inviteRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'invite/$token',
  component: lazyRouteComponent(() => import('./pages/invite-page'), 'InvitePage'),
});

const inboxRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'inbox',
  validateSearch: parseInboxSearch,
  component: lazyRouteComponent(() => import('./pages/inbox/inbox-page'), 'InboxPage'),
});

const conversationRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'inbox/$conversationId',
  validateSearch: parseInboxSearch,
  component: lazyRouteComponent(() => import('./pages/inbox/inbox-page'), 'InboxPage'),
});

function customerSearch(s: Record<string, unknown>): { q?: string; view?: 'duplicates' } {
  return {
    ...(typeof s.q === 'string' && s.q ? { q: s.q } : {}),
    ...(s.view === 'duplicates' ? { view: 'duplicates' as const } : {}),
  };
}

const customersRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'customers',
  validateSearch: customerSearch,
  component: lazyRouteComponent(() => import('./pages/customers/customers-page'), 'CustomersPage'),
});

const customerRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'customers/$customerId',
  validateSearch: customerSearch,
  component: lazyRouteComponent(() => import('./pages/customers/customers-page'), 'CustomersPage'),
});

const settingsRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'settings',
  component: lazyRouteComponent(() => import('./pages/settings/settings-page'), 'SettingsPage'),
});

const settingsSectionRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'settings/$section',
  component: lazyRouteComponent(() => import('./pages/settings/settings-page'), 'SettingsPage'),
});

const routeTree = rootRoute.addChildren([
  indexRoute,
  inviteRoute,
  publicLayout.addChildren([loginRoute, signupRoute]),
  appLayout.addChildren([inboxRoute, conversationRoute, customersRoute, customerRoute, settingsRoute, settingsSectionRoute]),
]);

export const router = createRouter({ routeTree, defaultPreload: 'intent', scrollRestoration: false });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
