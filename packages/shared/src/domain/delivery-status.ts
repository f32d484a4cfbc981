import type { DeliveryStatus } from '../contracts/messaging';

/**
 * Whether a message may move from one delivery status to another. Receipts arrive out of order and more than once
 * (a provider's "sent" callback can overtake our own 2xx, "read" can come before "delivered"), so the status only
 * moves forward: pending -> sent -> delivered -> read. `failed` is possible until the message was delivered (a carrier
 * can reject what the provider accepted), and a failed message may still turn out sent, delivered or read (a manual
 * retry of its job, or a provider that reports failure then success).
 */
export function canMoveDeliveryStatus(from: DeliveryStatus | null, to: DeliveryStatus): boolean {
  if (from === to) return false;
  switch (to) {
    case 'pending':
      return from === null;
    case 'sent':
      return from === null || from === 'pending' || from === 'failed';
    case 'delivered':
      return from !== 'read';
    case 'read':
      return true;
    case 'failed':
      return from === null || from === 'pending' || from === 'sent';
  }
}
