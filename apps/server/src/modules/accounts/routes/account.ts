import { ZAccountDetailsEnvelope, ZUpdateAccountBody } from '@touchpoint/shared';
import { ctxOf, noStore } from '../../../platform/http/auth';
import type { App, AppDeps } from '../../../platform/module';
import { updateAccount } from '../commands/update-account';
import { MIN_ROLE } from '../policy';
import { accountPolicies, getAccountDetails } from '../queries';

const tags = ['account'];

/** The caller's account: its name, time zone and settings (docs/api.md#account). */
export function registerAccountSettingsRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/account',
    {
      schema: {
        tags,
        summary: 'This account: name, time zone and settings (any member)',
        response: { 200: ZAccountDetailsEnvelope },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      noStore(reply);
      return { data: await getAccountDetails(ctx), policies: accountPolicies(ctx) };
    },
  );

  app.patch(
    '/account',
    {
      config: { minRole: MIN_ROLE.manage_account },
      schema: {
        tags,
        summary: 'Change the account name, time zone (IANA) or settings (admins)',
        body: ZUpdateAccountBody,
        response: { 200: ZAccountDetailsEnvelope },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      return { data: await updateAccount(ctx, req.body), policies: accountPolicies(ctx) };
    },
  );
}
