import type { Module } from '../../platform/module';
import { registerCustomerTopics } from './realtime';
import { registerCustomerRoutes } from './routes';

export { resolveCustomer, type ResolveCustomerInput } from './commands/resolve-customer';
export { recordClaimedIdentity, type IdentityClaim, type ClaimOutcome } from './commands/record-claimed-identity';
export { getCustomerById, findCustomerById } from './queries';
export { presentCustomer, presentIdentity, type CustomerRow, type IdentityRow } from './presenters';
export { normalisePhone, normaliseIdentity } from './normalise';
export { customerPolicy } from './policy';

export const customersModule: Module = {
  name: 'customers',
  register(app, deps) {
    registerCustomerRoutes(app, deps);
    registerCustomerTopics(deps);
  },
};
