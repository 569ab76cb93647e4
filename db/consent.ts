import type { Queryable } from './queryable';

type Channel = 'sms' | 'email';

interface SupporterRef {
  orgId: string;
  supporterId: string;
}

/** The supporter asked to stop (STOP, an unsubscribe link, a spam complaint). Keeps the first time. */
export async function optOutChannel(sql: Queryable, s: SupporterRef, channel: Channel): Promise<void> {
  await (channel === 'sms'
    ? sql`update supporters set sms_opted_out_at = coalesce(sms_opted_out_at, now()), updated_at = now()
        where id = ${s.supporterId} and org_id = ${s.orgId}`
    : sql`update supporters set email_opted_out_at = coalesce(email_opted_out_at, now()), updated_at = now()
        where id = ${s.supporterId} and org_id = ${s.orgId}`);
}

/** The provider says this address cannot receive (invalid number, hard bounce). Keeps the first reason. */
export async function suppressChannel(
  sql: Queryable,
  s: SupporterRef,
  channel: Channel,
  reason: string,
): Promise<void> {
  await (channel === 'sms'
    ? sql`update supporters set sms_suppressed_reason = coalesce(sms_suppressed_reason, ${reason}),
        updated_at = now() where id = ${s.supporterId} and org_id = ${s.orgId}`
    : sql`update supporters set email_suppressed_reason = coalesce(email_suppressed_reason, ${reason}),
        updated_at = now() where id = ${s.supporterId} and org_id = ${s.orgId}`);
}
