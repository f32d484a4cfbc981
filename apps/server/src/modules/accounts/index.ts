import type { Module } from '../../platform/module';
import { registerAccountRoutes } from './routes';

export { createAuthenticator, parseApiKey } from './authenticator';
export { signUp, type SignUpInput } from './commands/sign-up';
export { createApiKey, issueApiKey, generateApiKey } from './commands/create-api-key';
export { revokeApiKey } from './commands/revoke-api-key';
export { createTeam } from './commands/create-team';
export { updateTeam } from './commands/update-team';
export { deleteTeam } from './commands/delete-team';
export { addTeamMember } from './commands/add-team-member';
export { removeTeamMember } from './commands/remove-team-member';
export { updateMember } from './commands/update-member';
export { updateAccount } from './commands/update-account';
export { createInvitation } from './commands/create-invitation';
export { acceptInvitation } from './commands/accept-invitation';
export { provisionUser, findAccountBySlug, getAccountBySlug, type ProvisionUserInput } from './commands/provision-user';
export { accountPolicy, mayGrant, MIN_ROLE } from './policy';
export { hashPassword, verifyPassword } from './passwords';

/** Accounts: sign-up, sessions, users and roles, invitations, teams, API keys. */
export const accountsModule: Module = {
  name: 'accounts',
  register(app, deps) {
    registerAccountRoutes(app, deps);
  },
};
