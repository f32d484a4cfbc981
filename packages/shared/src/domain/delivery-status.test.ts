import { describe, expect, it } from 'vitest';
import { canMoveDeliveryStatus } from './delivery-status';

describe('canMoveDeliveryStatus', () => {
  it('moves forward only', () => {
    expect(canMoveDeliveryStatus(null, 'pending')).toBe(true);
    expect(canMoveDeliveryStatus('pending', 'sent')).toBe(true);
    expect(canMoveDeliveryStatus('sent', 'delivered')).toBe(true);
    expect(canMoveDeliveryStatus('delivered', 'read')).toBe(true);
    expect(canMoveDeliveryStatus('pending', 'read')).toBe(true);
    expect(canMoveDeliveryStatus('delivered', 'sent')).toBe(false);
    expect(canMoveDeliveryStatus('read', 'delivered')).toBe(false);
    expect(canMoveDeliveryStatus('read', 'sent')).toBe(false);
    expect(canMoveDeliveryStatus('sent', 'pending')).toBe(false);
    expect(canMoveDeliveryStatus('sent', 'sent')).toBe(false);
  });

  it('fails only before delivery, and a failed message can still be sent', () => {
    expect(canMoveDeliveryStatus('pending', 'failed')).toBe(true);
    expect(canMoveDeliveryStatus('sent', 'failed')).toBe(true);
    expect(canMoveDeliveryStatus('delivered', 'failed')).toBe(false);
    expect(canMoveDeliveryStatus('read', 'failed')).toBe(false);
    expect(canMoveDeliveryStatus('failed', 'sent')).toBe(true);
    expect(canMoveDeliveryStatus('failed', 'delivered')).toBe(true);
    expect(canMoveDeliveryStatus('failed', 'pending')).toBe(false);
  });
});
