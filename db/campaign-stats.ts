import type { Sql } from './client';

/** Share of the campaign's reached supporters who recorded the action ("I did it" or DONE). */
export async function campaignActionRate(
  sql: Sql,
  campaignId: string,
): Promise<{ actionRate: number; reached: number; acted: number }> {
  const [row] = await sql<{ reached: number; acted: number }[]>`
    with reached as (
      select distinct d.supporter_id from deliveries d join stage_runs r on r.id = d.stage_run_id
      where r.campaign_id = ${campaignId} and d.status in ('accepted', 'sent', 'delivered')
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

/** Per stage run: the snapshot size and where each delivery stands, in one query. */
export async function stageRunCounts(sql: Sql, campaignId: string): Promise<StageRunCounts[]> {
  return sql<StageRunCounts[]>`
    select r.stage_key, r.kind, r.status, r.scheduled_at, r.targeted,
      count(distinct d.supporter_id) filter (where d.status in ('accepted', 'sent', 'delivered'))::int as sent,
      count(distinct d.supporter_id) filter (where d.status = 'delivered')::int as delivered,
      count(*) filter (where d.status in ('failed', 'undelivered'))::int as failed,
      count(*) filter (where d.status = 'deferred')::int as deferred,
      count(distinct d.supporter_id) filter (where d.status = 'excluded')::int as excluded,
      (select count(distinct a.supporter_id) from action_events a
        where a.campaign_id = r.campaign_id and a.kind = 'done'
          and a.supporter_id in (select supporter_id from stage_recipients sr where sr.stage_run_id = r.id))::int as acted
    from stage_runs r left join deliveries d on d.stage_run_id = r.id
    where r.campaign_id = ${campaignId}
    group by r.id
    order by r.created_at`;
}
