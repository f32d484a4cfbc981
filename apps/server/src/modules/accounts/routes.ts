import type { App, AppDeps } from '../../platform/module';
import { registerAccountSettingsRoutes } from './routes/account';
import { registerApiKeyRoutes } from './routes/api-keys';
import { registerAuthRoutes } from './routes/auth';
import { registerInvitationRoutes } from './routes/invitations';
import { registerTeamRoutes } from './routes/teams';
import { registerUserRoutes } from './routes/users';

export function registerAccountRoutes(app: App, deps: AppDeps): void {
  registerAuthRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerInvitationRoutes(app, deps);
  registerTeamRoutes(app, deps);
  registerApiKeyRoutes(app, deps);
  registerAccountSettingsRoutes(app, deps);
}
