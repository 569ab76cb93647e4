import type { DeliveryChannel } from '../domain/channels';
import type { Queryable } from './queryable';

/**
 * The one rule for "may this supporter be messaged on this channel now", in its two halves:
 * SQL over a `supporters` row aliased `s` (claims, the re-check before each send, the page load,
 * the preview) and, for a row already loaded, the reason it may not (`exclusionFor`).
 *
 * A supporter is reachable on a channel when they have its contact (phone / email), consented on
 * it, have not opted out of it, carry no provider verdict on it (suppressed reason), and are not
 * erased. The suppression list (`db/suppressions.ts`) is checked beside it by contact key, since
 * an opt-out may outlive the record.
 */
export function reachable(sql: Queryable, channel: DeliveryChannel) {
  return channel === 'sms'
    ? sql`(s.phone is not null and s.sms_consent and not ${blocked(sql, 'sms')})`
    : sql`(s.email is not null and s.email_consent and not ${blocked(sql, 'email')})`;
}

/** Opted out of the channel, refused by its provider, or erased: never messaged on it, whatever the consent. */
export function blocked(sql: Queryable, channel: DeliveryChannel) {
  return channel === 'sms'
    ? sql`(s.sms_opted_out_at is not null or s.sms_suppressed_reason is not null or s.erased_at is not null)`
    : sql`(s.email_opted_out_at is not null or s.email_suppressed_reason is not null or s.erased_at is not null)`;
}

/** The candidate's contact key (`c.key`, from an unnest aliased `c`) is not on the channel's suppression list in `scope`. */
export function notListed(sql: Queryable, channel: DeliveryChannel, scope: string) {
  return sql`not exists (select 1 from suppressions x
    where x.channel = ${channel} and x.scope = ${scope} and x.contact_key = c.key)`;
}

/** Why a loaded recipient may not be messaged on the channel, or null when they may. */
export type Exclusion = 'no_contact' | 'no_consent' | 'opted_out' | null;

/** The loaded-row half of `reachable`: the same checks, in the order that names the reason. */
export function exclusionFor(
  r: {
    phone: string | null;
    email: string | null;
    smsConsent: boolean;
    emailConsent: boolean;
    smsBlocked: boolean;
    emailBlocked: boolean;
  },
  channel: DeliveryChannel,
): Exclusion {
  const [contact, isBlocked, consent] =
    channel === 'sms' ? [r.phone, r.smsBlocked, r.smsConsent] : [r.email, r.emailBlocked, r.emailConsent];
  if (!contact) return 'no_contact';
  if (isBlocked) return 'opted_out';
  if (!consent) return 'no_consent';
  return null;
}
