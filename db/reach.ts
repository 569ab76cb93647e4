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

/**
 * `from supporters s`, or a sample of it: `samplePercent` (0 < p ≤ 100) reads that share of the
 * table's pages (TABLESAMPLE SYSTEM, the same pages on every call for a given share, so estimates of
 * two rules compare); each row is in the sample with probability p / 100.
 */
function supportersFrom(sql: Sql, samplePercent?: number) {
  return samplePercent === undefined
    ? sql`supporters s`
    : sql`supporters s tablesample system (${samplePercent}::float4) repeatable (18)`;
}

/**
 * Supporters an audience rule's tags admit, grouped by locale and by which channels may reach them
 * now. With `samplePercent`: counted in that sample of the table only (see supportersFrom).
 */
export async function reachByChannel(
  sql: Sql,
  orgId: string,
  rule: Omit<AudienceRule, 'select'>,
  samplePercent?: number,
): Promise<ReachRow[]> {
  return sql<ReachRow[]>`
    select locale,
      ${reachable(sql, 'sms')} as sms_ok,
      ${reachable(sql, 'email')} as email_ok,
      (phone is not null or email is not null) as has_contact,
      (sms_opted_out_at is not null or email_opted_out_at is not null
        or sms_suppressed_reason is not null or email_suppressed_reason is not null) as opted_out,
      count(*)::int as n
    from ${supportersFrom(sql, samplePercent)}
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
 * `samplePercent` as for reachByChannel.
 */
export async function smsNamesByLocale(
  sql: Sql,
  orgId: string,
  rule: Omit<AudienceRule, 'select'>,
  samplePercent?: number,
): Promise<SmsNameRow[]> {
  return sql<SmsNameRow[]>`
    select locale, name, count(*)::int as n
    from ${supportersFrom(sql, samplePercent)}
    where s.org_id = ${orgId} and ${audienceTagsWhere(sql, rule)}
      and ${reachable(sql, 'sms')}
    group by 1, 2`;
}

/** Supporters of the organization (erased included: the rows a scan reads). */
export async function organizationSize(sql: Sql, orgId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from supporters where org_id = ${orgId}`;
  return row?.n ?? 0;
}

/** The organization's rows in the sample reachByChannel reads with the same `samplePercent`. */
export async function sampledOrganizationRows(
  sql: Sql,
  orgId: string,
  samplePercent: number,
): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from ${supportersFrom(sql, samplePercent)} where s.org_id = ${orgId}`;
  return row?.n ?? 0;
}
