import { withTenant } from '../../db/tenant';
import { isStaff } from '../../platform/authz';
import type { AppDeps } from '../../platform/module';
import { findCustomerById } from './queries';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `customer:<id>`: every event about a customer (profile changes, and their conversations and messages when
 * those carry the customer id), for an open profile page. A merge is also pushed to the source's topic, so a
 * page showing the merged-away profile can follow `mergedIntoId`, and a merge suggestion to both profiles. Staff of the account may subscribe.
 */
export function registerCustomerTopics(deps: Pick<AppDeps, 'database' | 'hub'>): void {
  deps.hub.routeTopics((e) => {
    const topics: string[] = [];
    if (e.customerId) topics.push(`customer:${e.customerId}`);
    if (e.type === 'customer.merged') topics.push(`customer:${e.payload.sourceId}`);
    if (e.type === 'customer.merge_suggested') topics.push(`customer:${e.payload.candidateId}`);
    return topics;
  });

  deps.hub.authorizeTopic('customer', async (actor, id) => {
    if (!isStaff(actor) || !UUID.test(id)) return false;
    return withTenant(deps.database.db, actor.accountId, async (tx) => (await findCustomerById(tx, actor.accountId, id)) !== null);
  });
}
