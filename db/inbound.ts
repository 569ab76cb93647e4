import type { Locale } from '../domain/content-schema';
import { REACHED_STATUSES } from '../domain/delivery-status';
import {
  type OrganizationRow,
  type OrganizationSettings,
  organizationColumns,
  toSettings,
} from './organization-settings';
import type { Queryable } from './queryable';

/** Everything an inbound SMS needs to know about the phone it came from. */
export interface PhoneContext {
  /** Every live supporter with this phone, in any organization: START applies to all (STOP: db/suppressions.ts). */
  supporters: Array<{ id: string; orgId: string; locale: Locale }>;
  /** The most recent SMS that reached this phone: its organization answers HELP, its campaign gets DONE. */
  lastSms?: { orgId: string; supporterId: string; stageRunId: string; campaignId: string };
  /** The organization that speaks to this phone: lastSms's, else the most recently updated supporter's. */
  org?: OrganizationSettings;
}

/**
 * One statement: the phone's live supporters (most recently updated first), the last SMS that
 * reached it, and the settings of the organization that speaks to it.
 */
export async function phoneContext(sql: Queryable, phone: string): Promise<PhoneContext> {
  const [row] = await sql<
    {
      supporters: Array<{ id: string; org_id: string; locale: Locale }> | null;
      last: { org_id: string; supporter_id: string; stage_run_id: string; campaign_id: string } | null;
      org: OrganizationRow | null;
    }[]
  >`
    with s as (
      select id, org_id, locale, updated_at from supporters where phone = ${phone} and erased_at is null
    ),
    last as (
      select d.org_id, d.supporter_id, d.stage_run_id, r.campaign_id
      from deliveries d
      join s on s.id = d.supporter_id and s.org_id = d.org_id
      join stage_runs r on r.id = d.stage_run_id and r.org_id = d.org_id
      where d.channel = 'sms' and d.status in ${sql(REACHED_STATUSES)}
      order by d.created_at desc, d.id desc limit 1
    )
    select
      (select json_agg(json_build_object('id', id, 'org_id', org_id, 'locale', locale) order by updated_at desc, id)
        from s) as supporters,
      (select row_to_json(last) from last) as last,
      (select row_to_json(o) from (
        select ${organizationColumns(sql)} from organizations
        where id = coalesce((select org_id from last), (select org_id from s order by updated_at desc, id limit 1))
      ) o) as org`;
  const supporters = row?.supporters ?? [];
  if (supporters.length === 0) return { supporters: [] };
  const last = row?.last;
  return {
    supporters: supporters.map((s) => ({ id: s.id, orgId: s.org_id, locale: s.locale })),
    lastSms: last
      ? {
          orgId: last.org_id,
          supporterId: last.supporter_id,
          stageRunId: last.stage_run_id,
          campaignId: last.campaign_id,
        }
      : undefined,
    org: row?.org ? toSettings(row.org) : undefined,
  };
}

/**
 * Keyed by the provider's message id: false when this message was already recorded (a redelivered
 * webhook), and then nothing else may happen. The sender's phone is not stored here.
 * inbound_messages is partitioned by the month received (migration 017); the id is claimed in the
 * unpartitioned inbound_message_ids first, whose primary key is the provider id alone, so a retry
 * that arrives in the next month is still the same message.
 */
export async function recordInbound(
  sql: Queryable,
  m: {
    providerId: string;
    orgId: string | null;
    supporterId: string | null;
    keyword: string;
    body: string | null;
  },
): Promise<boolean> {
  const rows = await sql`
    with claimed as (
      insert into inbound_message_ids (provider_id, month)
      values (${m.providerId}, (date_trunc('month', now() at time zone 'UTC'))::date)
      on conflict (provider_id) do nothing
      returning provider_id, month, received_at)
    insert into inbound_messages (org_id, supporter_id, provider_id, keyword, body, month, received_at)
    select ${m.orgId}::uuid, ${m.supporterId}::uuid, provider_id, ${m.keyword}, ${m.body}, month, received_at
    from claimed`;
  return rows.count === 1;
}

type Refs = PhoneContext['supporters'];

/**
 * START from a phone undoes STOP everywhere, and is the owner's own consent to SMS (the caller
 * takes the number off the suppression list in the same transaction).
 */
export async function optInPhone(sql: Queryable, phone: string, refs: Refs): Promise<number> {
  if (refs.length === 0) return 0;
  const rows = await sql`
    update supporters set sms_opted_out_at = null, sms_consent = true, updated_at = now()
    where id = any(${refs.map((r) => r.id)}::uuid[]) and org_id = any(${refs.map((r) => r.orgId)}::uuid[])
      and phone = ${phone}`;
  return rows.count;
}
