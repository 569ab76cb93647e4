import { describe, expect, it } from 'vitest';
import {
  isPermanentBounce,
  RESEND_EVENTS,
  resendAction,
  TWILIO_STATUSES,
} from '../../../domain/provider-events';

// As the providers document them (Resend event types; Twilio Message status values).
const RESEND_DOCUMENTED = [
  'email.sent',
  'email.delivered',
  'email.delivery_delayed',
  'email.complained',
  'email.bounced',
  'email.opened',
  'email.clicked',
  'email.received',
  'email.failed',
  'email.scheduled',
  'email.suppressed',
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'domain.created',
  'domain.updated',
  'domain.deleted',
];
const TWILIO_DOCUMENTED = [
  'queued',
  'sending',
  'sent',
  'failed',
  'delivered',
  'undelivered',
  'receiving',
  'received',
  'accepted',
  'scheduled',
  'read',
  'partially_delivered',
  'canceled',
];

describe('provider events, each handled deliberately', () => {
  it('decides every documented Resend event, with a reason for each one it ignores', () => {
    expect(Object.keys(RESEND_EVENTS).sort()).toEqual([...RESEND_DOCUMENTED].sort());
    for (const action of Object.values(RESEND_EVENTS))
      if (typeof action !== 'string') expect(action.ignore.length).toBeGreaterThan(10);
  });

  it('suppresses on email.suppressed, and treats only a Permanent bounce as permanent', () => {
    expect(resendAction('email.suppressed')).toBe('suppressed');
    expect(resendAction('email.delivery_delayed')).toHaveProperty('ignore');
    expect(resendAction('constructor')).toBeUndefined();
    expect(isPermanentBounce('Permanent')).toBe(true);
    expect(isPermanentBounce(undefined)).toBe(true);
    expect(isPermanentBounce('Transient')).toBe(false);
    expect(isPermanentBounce('Undetermined')).toBe(false);
  });

  it('decides every documented Twilio message status', () => {
    expect(Object.keys(TWILIO_STATUSES).sort()).toEqual([...TWILIO_DOCUMENTED].sort());
    expect(TWILIO_STATUSES.read).toBe('delivered');
    expect(TWILIO_STATUSES.canceled).toBe('failed');
  });
});
