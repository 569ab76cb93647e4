import type { ContactKeys } from '../core/contact-key';
import type { DeliveryChannel } from '../domain/channels';
import type { SuppressionSource } from '../domain/suppression-sources';
import type { Queryable } from './queryable';
import { suppressContact } from './suppressions';

interface SupporterRef {
  orgId: string;
  supporterId: string;
}

/**
 * An opt-out of one supporter's channel, from `source`; `contact`, when given, is the number or
 * address the provider named (the one the opt-out came from), else the supporter's own is used.
 */
export interface SupporterOptOut extends SupporterRef {
  channel: DeliveryChannel;
  source: SuppressionSource;
  contact?: string;
}

/**
 * The supporter asked to stop (an unsubscribe link, a spam complaint, the provider's opt-out code).
 * Keeps the first time. Their contact on that channel goes on the suppression list too.
 */
export async function optOutChannel(sql: Queryable, keys: ContactKeys, o: SupporterOptOut): Promise<void> {
  await (o.channel === 'sms'
    ? sql`update supporters set sms_opted_out_at = coalesce(sms_opted_out_at, now()), updated_at = now()
        where id = ${o.supporterId} and org_id = ${o.orgId}`
    : sql`update supporters set email_opted_out_at = coalesce(email_opted_out_at, now()), updated_at = now()
        where id = ${o.supporterId} and org_id = ${o.orgId}`);
  await listSupporterContact(sql, keys, o);
}

/** The provider says this address cannot receive (invalid number, hard bounce). Keeps the first reason. */
export async function suppressChannel(
  sql: Queryable,
  s: SupporterRef,
  channel: DeliveryChannel,
  reason: string,
): Promise<void> {
  await (channel === 'sms'
    ? sql`update supporters set sms_suppressed_reason = coalesce(sms_suppressed_reason, ${reason}),
        updated_at = now() where id = ${s.supporterId} and org_id = ${s.orgId}`
    : sql`update supporters set email_suppressed_reason = coalesce(email_suppressed_reason, ${reason}),
        updated_at = now() where id = ${s.supporterId} and org_id = ${s.orgId}`);
}

/**
 * Puts the contact the provider named, else the supporter's own on that channel, on the suppression
 * list. An erased supporter with no contact named adds nothing: there is nothing left to key.
 */
export async function listSupporterContact(
  sql: Queryable,
  keys: ContactKeys,
  o: SupporterOptOut,
): Promise<void> {
  let address = o.contact;
  if (!address) {
    const [row] = await sql<{ phone: string | null; email: string | null }[]>`
      select phone, email from supporters where id = ${o.supporterId} and org_id = ${o.orgId}`;
    address = (o.channel === 'sms' ? row?.phone : row?.email) ?? undefined;
  }
  if (address) await suppressContact(sql, keys, o.channel, address, o.source);
}
