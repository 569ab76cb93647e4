import type { AudienceRule } from '../domain/audience-rule';
import { audienceTagsWhere } from './audience-filter';
import type { Sql } from './client';

export interface ReachRow {
  locale: 'en' | 'km';
  sms_ok: boolean;
  email_ok: boolean;
  has_contact: boolean;
  opted_out: boolean;
  n: number;
}

/** Supporters an audience rule's tags admit, grouped by locale and by which channels may reach them now. */
export async function reachByChannel(
  sql: Sql,
  orgId: string,
  rule: Omit<AudienceRule, 'select'>,
): Promise<ReachRow[]> {
  return sql<ReachRow[]>`
    select locale,
      (phone is not null and sms_consent and sms_opted_out_at is null and sms_suppressed_reason is null) as sms_ok,
      (email is not null and email_consent and email_opted_out_at is null and email_suppressed_reason is null) as email_ok,
      (phone is not null or email is not null) as has_contact,
      (sms_opted_out_at is not null or email_opted_out_at is not null
        or sms_suppressed_reason is not null or email_suppressed_reason is not null) as opted_out,
      count(*)::int as n
    from supporters s
    where s.org_id = ${orgId} and ${audienceTagsWhere(sql, rule)}
    group by 1, 2, 3, 4, 5`;
}
