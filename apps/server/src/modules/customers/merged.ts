import { conflict } from '../../platform/errors';
import type { CustomerRow } from './presenters';

/** A merged-away profile only redirects to its survivor: every write goes to the survivor instead. */
export function assertNotMerged(customer: CustomerRow): void {
  if (customer.mergedIntoId) {
    throw conflict('This customer was merged into another one; change that one instead', { mergedIntoId: customer.mergedIntoId });
  }
}
