import type { AudienceRule } from '../domain/audience-rule';
import { audienceTagsWhere } from './audience-filter';
import type { Sql } from './client';
import { reachable } from './reachable';

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
      ${reachable(sql, 'sms')} as sms_ok,
      ${reachable(sql, 'email')} as email_ok,
      (phone is not null or email is not null) as has_contact,
      (sms_opted_out_at is not null or email_opted_out_at is not null
        or sms_suppressed_reason is not null or email_suppressed_reason is not null) as opted_out,
      count(*)::int as n
    from supporters s
    where s.org_id = ${orgId} and ${audienceTagsWhere(sql, rule)}
    group by 1, 2, 3, 4, 5`;
}

export interface SmsNameRow {
  locale: 'en' | 'km';
  name: string | null;
  n: number;
}

/**
 * The names of the supporters an SMS of this rule reaches now, by locale, with how many carry each:
 * the preview renders each name to count segments as they will be sent. Erased rows have no phone.
 */
export async function smsNamesByLocale(
  sql: Sql,
  orgId: string,
  rule: Omit<AudienceRule, 'select'>,
): Promise<SmsNameRow[]> {
  return sql<SmsNameRow[]>`
    select locale, name, count(*)::int as n
    from supporters s
    where s.org_id = ${orgId} and ${audienceTagsWhere(sql, rule)}
      and ${reachable(sql, 'sms')}
    group by 1, 2`;
}

/** Whether the organization holds at least `n` supporters (reads at most `n` index entries). */
export async function hasAtLeastSupporters(sql: Sql, orgId: string, n: number): Promise<boolean> {
  const [row] = await sql<{ enough: boolean }[]>`
    select count(*) >= ${n} as enough from (select 1 from supporters where org_id = ${orgId} limit ${n}) x`;
  return row?.enough ?? false;
}
