import { type ContactKeys, normaliseContact } from '../core/contact-key';
import { DELIVERY_CHANNELS, type DeliveryChannel } from '../domain/channels';
import type { SuppressionSource } from '../domain/suppression-sources';
import type { Queryable } from './queryable';

/** One entry of the list as organizers see it: when the contact was suppressed, and why. */
export interface Suppression {
  at: Date;
  source: SuppressionSource;
}

/** The contacts of one supporter (or one import row); either may be missing. */
export interface Contacts {
  phone?: string | null;
  email?: string | null;
}

export type ContactSuppressions = Partial<Record<DeliveryChannel, Suppression>>;

/**
 * Puts a contact on the list, keeping the first time and source, and opts out every live
 * supporter who has it, in every organization sending through the same sender (the list's scope).
 */
export async function suppressContact(
  sql: Queryable,
  keys: ContactKeys,
  channel: DeliveryChannel,
  contact: string,
  source: SuppressionSource,
): Promise<void> {
  await sql`insert into suppressions (channel, scope, contact_key, source)
    values (${channel}, ${keys.scope[channel]}, ${keys.keyOf(channel, contact)}, ${source})
    on conflict do nothing`;
  const normalised = normaliseContact(channel, contact);
  await (channel === 'sms'
    ? sql`update supporters set sms_opted_out_at = now(), updated_at = now()
        where phone = ${normalised} and erased_at is null and sms_opted_out_at is null`
    : sql`update supporters set email_opted_out_at = now(), updated_at = now()
        where lower(email) = ${normalised} and erased_at is null and email_opted_out_at is null`);
}

/**
 * Takes a contact off the list (the owner's START, or re-consent recorded with its source), except
 * entries whose source is in `keep` (re-consent keeps the providers' verdicts).
 */
export async function clearSuppression(
  sql: Queryable,
  keys: ContactKeys,
  channel: DeliveryChannel,
  contact: string,
  keep: readonly SuppressionSource[] = [],
): Promise<boolean> {
  const rows = await sql`delete from suppressions
    where channel = ${channel} and scope = ${keys.scope[channel]} and contact_key = ${keys.keyOf(channel, contact)}
      and not (source = any(${[...keep]}::text[]))`;
  return rows.count > 0;
}

/**
 * The entries for many contacts in one query; the answer tells, per contact, which of its
 * channels are suppressed.
 */
export async function findSuppressions(
  sql: Queryable,
  keys: ContactKeys,
  contacts: readonly Contacts[],
): Promise<(c: Contacts) => ContactSuppressions> {
  const keyOf = (channel: DeliveryChannel, contact: string | null | undefined) =>
    contact ? keys.keyOf(channel, contact) : undefined;
  const sms = [...new Set(contacts.map((c) => keyOf('sms', c.phone)).filter((k) => k !== undefined))];
  const email = [...new Set(contacts.map((c) => keyOf('email', c.email)).filter((k) => k !== undefined))];
  const found = new Map<string, Suppression>();
  if (sms.length + email.length > 0) {
    const rows = await sql<
      { channel: DeliveryChannel; contact_key: string; source: SuppressionSource; created_at: Date }[]
    >`
      select channel, contact_key, source, created_at from suppressions
      where (channel = 'sms' and scope = ${keys.scope.sms} and contact_key = any(${sms}::text[]))
         or (channel = 'email' and scope = ${keys.scope.email} and contact_key = any(${email}::text[]))`;
    for (const r of rows) found.set(`${r.channel}:${r.contact_key}`, { at: r.created_at, source: r.source });
  }
  return (c) => {
    const out: ContactSuppressions = {};
    const smsKey = keyOf('sms', c.phone);
    const emailKey = keyOf('email', c.email);
    const onSms = smsKey && found.get(`sms:${smsKey}`);
    const onEmail = emailKey && found.get(`email:${emailKey}`);
    if (onSms) out.sms = onSms;
    if (onEmail) out.email = onEmail;
    return out;
  };
}

/** One contact's entries (see findSuppressions). */
export async function suppressionsOf(
  sql: Queryable,
  keys: ContactKeys,
  contacts: Contacts,
): Promise<ContactSuppressions> {
  return (await findSuppressions(sql, keys, [contacts]))(contacts);
}

/**
 * The channels a row claims consent for while its contact is suppressed: the consent is kept as
 * written but does not count, and whoever sent the row is told so.
 */
export function overriddenConsent(
  listed: ContactSuppressions,
  consent: Partial<Record<DeliveryChannel, boolean>>,
): Array<{ channel: DeliveryChannel; source: SuppressionSource }> {
  return DELIVERY_CHANNELS.flatMap((channel) => {
    const entry = listed[channel];
    return entry && consent[channel] ? [{ channel, source: entry.source }] : [];
  });
}
