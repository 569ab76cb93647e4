import { createHmac } from 'node:crypto';
import type { DeliveryChannel } from '../domain/channels';

/**
 * The normalised form that is hashed: an E.164 number without formatting characters, an email
 * address trimmed and lower-cased. Callers pass numbers already in E.164 (api/import/phone.ts).
 */
export function normaliseContact(channel: DeliveryChannel, contact: string): string {
  return channel === 'sms' ? contact.replace(/[\s().-]/g, '') : contact.trim().toLowerCase();
}

/**
 * A keyed hash of a contact: hex HMAC-SHA256(secret, "<channel>:<normalised contact>"). A plain hash
 * of a phone number is reversed by trying every number; without the secret this one is not.
 */
export function contactKey(secret: string, channel: DeliveryChannel, contact: string): string {
  return createHmac('sha256', secret)
    .update(`${channel}:${normaliseContact(channel, contact)}`)
    .digest('hex');
}

/** What every suppression query needs: how to key a contact, and which sender's entries apply. */
export interface ContactKeys {
  /** Who shares an entry: the Twilio sender (messaging service SID or number), the email sending domain. */
  scope: Record<DeliveryChannel, string>;
  keyOf(channel: DeliveryChannel, contact: string): string;
}

export function contactKeys(secret: string, scope: Record<DeliveryChannel, string>): ContactKeys {
  return { scope, keyOf: (channel, contact) => contactKey(secret, channel, contact) };
}

/** The domain of a sender such as `Urgent Action <alerts@example.org>`, lower-cased. */
export function senderDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return (address.split('@').pop() ?? address).trim().toLowerCase();
}
