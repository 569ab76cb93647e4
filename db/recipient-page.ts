import type { DeliveryChannel } from '../domain/channels';
import type { StageRunContent } from '../domain/stored-definition';
import type { Sql } from './client';
import { blocked } from './reachable';
import { extendSnapshot } from './stage-snapshot';

export interface Recipient {
  seq: number;
  supporterId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  locale: 'en' | 'km';
  timezone: string;
  smsConsent: boolean;
  emailConsent: boolean;
  smsBlocked: boolean;
  emailBlocked: boolean;
  /** This channel's delivery for the run, if one was already written (a retried page). */
  deliveryId: string | null;
  deliveryStatus: string | null;
  deliveryCreatedAt: Date | null;
  /** For the email fallback pass: what happened on SMS. */
  smsStatus: string | null;
  batchKey: string | null;
  /** The link token stored on this channel's delivery, if written: messages for it must carry this one. */
  linkToken: string | null;
}

export interface StageRunInfo {
  orgId: string;
  campaignId: string;
  content: StageRunContent;
  quietStart: string;
  quietEnd: string;
}

export async function loadStageRun(sql: Sql, stageRunId: string): Promise<StageRunInfo | undefined> {
  const [row] = await sql<
    {
      org_id: string;
      campaign_id: string;
      content: StageRunContent;
      quiet_start: string;
      quiet_end: string;
    }[]
  >`
    select r.org_id, r.campaign_id, r.content, to_char(o.quiet_start, 'HH24:MI') as quiet_start,
      to_char(o.quiet_end, 'HH24:MI') as quiet_end
    from stage_runs r join organizations o on o.id = r.org_id where r.id = ${stageRunId}`;
  if (!row) return undefined;
  return {
    orgId: row.org_id,
    campaignId: row.campaign_id,
    content: row.content,
    quietStart: row.quiet_start,
    quietEnd: row.quiet_end,
  };
}

/**
 * One page of the snapshot with everything a send decision needs. Two lookups by key rather than
 * one join with deliveries: that table grows by the page during a run, and a join planned on older
 * statistics would scan it once per recipient.
 */
export async function loadRecipientPage(
  sql: Sql,
  opts: {
    stageRunId: string;
    channel: DeliveryChannel;
    afterSeq: number;
    limit: number;
    /** Only deferred deliveries whose window has opened by this time (the activity's clock, not the database's). */
    deferredDueBy?: Date;
  },
): Promise<Recipient[]> {
  const supporterColumns = sql`s.id as supporter_id, s.name, s.phone, s.email, s.locale, s.timezone,
    s.sms_consent, s.email_consent,
    ${blocked(sql, 'sms')} as sms_blocked, ${blocked(sql, 'email')} as email_blocked`;
  const rows = opts.deferredDueBy
    ? await sql`
        select r.seq, ${supporterColumns}
        from deliveries d
        join stage_recipients r on r.stage_run_id = d.stage_run_id and r.supporter_id = d.supporter_id
        join supporters s on s.id = d.supporter_id
        where d.stage_run_id = ${opts.stageRunId} and d.channel = ${opts.channel} and d.status = 'deferred'
          and d.defer_until is not null and d.defer_until <= ${opts.deferredDueBy} and r.seq > ${opts.afterSeq}
        order by r.seq
        limit ${opts.limit}`
    : await snapshotPage(sql, opts, supporterColumns);
  if (rows.length === 0) return [];
  const deliveries = await sql<
    {
      id: string;
      supporter_id: string;
      channel: string;
      status: string;
      created_at: Date;
      batch_key: string | null;
      link_token: string;
    }[]
  >`
    select id::text, supporter_id, channel, status, created_at, batch_key, link_token from deliveries
    where stage_run_id = ${opts.stageRunId} and supporter_id = any(${rows.map((r) => r.supporter_id)}::uuid[])`;
  const mine = new Map(deliveries.filter((d) => d.channel === opts.channel).map((d) => [d.supporter_id, d]));
  const sms = new Map(deliveries.filter((d) => d.channel === 'sms').map((d) => [d.supporter_id, d.status]));
  return rows.map((r) => {
    const d = mine.get(r.supporter_id);
    return {
      seq: Number(r.seq),
      supporterId: r.supporter_id,
      name: r.name,
      phone: r.phone,
      email: r.email,
      locale: r.locale,
      timezone: r.timezone,
      smsConsent: r.sms_consent,
      emailConsent: r.email_consent,
      smsBlocked: r.sms_blocked,
      emailBlocked: r.email_blocked,
      deliveryId: d?.id ?? null,
      deliveryStatus: d?.status ?? null,
      deliveryCreatedAt: d?.created_at ?? null,
      smsStatus: sms.get(r.supporter_id) ?? null,
      batchKey: d?.batch_key ?? null,
      linkToken: d?.link_token ?? null,
    };
  });
}

/**
 * The snapshot's recipients after `afterSeq`; when fewer than a page are written yet and the run's
 * snapshot is still being taken, the next chunk is written first (db/stage-snapshot.ts).
 */
async function snapshotPage(
  sql: Sql,
  opts: { stageRunId: string; afterSeq: number; limit: number },
  supporterColumns: ReturnType<Sql['unsafe']>,
) {
  for (;;) {
    const rows = await sql`
      select r.seq, ${supporterColumns}
      from stage_recipients r
      join supporters s on s.id = r.supporter_id
      where r.stage_run_id = ${opts.stageRunId} and r.seq > ${opts.afterSeq}
      order by r.seq
      limit ${opts.limit}`;
    if (rows.length >= opts.limit || !(await extendSnapshot(sql, opts.stageRunId))) return rows;
  }
}

/** When the earliest deferred delivery of a run may go out, or undefined when none is left. */
export async function earliestDeferred(sql: Sql, stageRunId: string): Promise<Date | undefined> {
  const [row] = await sql<{ at: Date | null }[]>`
    select min(defer_until) as at from deliveries
    where stage_run_id = ${stageRunId} and defer_until is not null and status = 'deferred'`;
  return row?.at ?? undefined;
}
