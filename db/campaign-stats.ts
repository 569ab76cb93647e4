import { FAILED_STATUSES, REACHED_STATUSES } from '../domain/delivery-status';
import type { Sql } from './client';

/** Share of the campaign's reached supporters who recorded the action ("I did it" or DONE). */
export async function campaignActionRate(
  sql: Sql,
  campaignId: string,
): Promise<{ actionRate: number; reached: number; acted: number }> {
  const [row] = await sql<{ reached: number; acted: number }[]>`
    with reached as (
      select distinct d.supporter_id from deliveries d join stage_runs r on r.id = d.stage_run_id
      where r.campaign_id = ${campaignId} and d.status in ${sql(REACHED_STATUSES)}
    )
    select (select count(*) from reached)::int as reached,
      (select count(distinct a.supporter_id) from action_events a
        where a.campaign_id = ${campaignId} and a.kind = 'done'
          and a.supporter_id in (select supporter_id from reached))::int as acted`;
  const reached = row?.reached ?? 0;
  const acted = row?.acted ?? 0;
  return { actionRate: reached === 0 ? 0 : acted / reached, reached, acted };
}

export interface StageRunCounts {
  stage_key: string;
  kind: string;
  status: string;
  scheduled_at: Date | null;
  targeted: number;
  sent: number;
  delivered: number;
  failed: number;
  deferred: number;
  excluded: number;
  acted: number;
}

/**
 * Per stage run, counted in supporters (the unit of `targeted`): reached on any channel counts as
 * sent; failed, deferred and excluded count only those not reached another way.
 */
export async function stageRunCounts(
  sql: Sql,
  where: { campaignId: string } | { stageRunId: string },
): Promise<StageRunCounts[]> {
  const runFilter =
    'campaignId' in where ? sql`r.campaign_id = ${where.campaignId}` : sql`r.id = ${where.stageRunId}`;
  return sql<StageRunCounts[]>`
    with per as (
      select d.stage_run_id, d.supporter_id,
        bool_or(d.status in ${sql(REACHED_STATUSES)}) as reached,
        bool_or(d.status = 'delivered') as delivered,
        bool_or(d.status in ${sql(FAILED_STATUSES)}) as failed,
        bool_or(d.status = 'deferred') as deferred,
        bool_and(d.status = 'excluded') as excluded
      from deliveries d join stage_runs r on r.id = d.stage_run_id
      where ${runFilter}
      group by 1, 2
    )
    select r.stage_key, r.kind, r.status, r.scheduled_at, r.targeted,
      count(p.supporter_id) filter (where p.reached)::int as sent,
      count(p.supporter_id) filter (where p.delivered)::int as delivered,
      count(p.supporter_id) filter (where p.failed and not p.reached)::int as failed,
      count(p.supporter_id) filter (where p.deferred and not p.reached)::int as deferred,
      count(p.supporter_id) filter (where p.excluded)::int as excluded,
      (select count(distinct a.supporter_id) from action_events a
        where a.campaign_id = r.campaign_id and a.kind = 'done'
          and a.supporter_id in (select sr.supporter_id from stage_recipients sr where sr.stage_run_id = r.id))::int as acted
    from stage_runs r left join per p on p.stage_run_id = r.id
    where ${runFilter}
    group by r.id
    order by r.created_at`;
}

/** An escalation as the orchestrator recorded it in the audit log (`created_at`: ISO 8601, UTC, ms). */
export interface EscalationAuditRow {
  action: string;
  detail: {
    stageKey: string;
    actionRate: number;
    ifActionRateBelow?: number;
    widenTo?: { include: string[]; exclude: string[] };
  };
  created_at: string;
}

/** An escalation that fired, as a campaign's page shows it (`step` still unparsed text). */
export function escalationOf(e: EscalationAuditRow) {
  return {
    stageKey: e.detail.stageKey,
    step: e.action.replace('escalation.', ''),
    actionRate: e.detail.actionRate,
    // Absent in escalations recorded before rules and widenings were named.
    ifActionRateBelow: e.detail.ifActionRateBelow ?? null,
    widenedTo: e.detail.widenTo ? { tags: e.detail.widenTo } : null,
    at: e.created_at,
  };
}
