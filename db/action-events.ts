import type { Queryable } from './queryable';

export interface ActionRef {
  orgId: string;
  campaignId: string;
  supporterId: string;
  stageRunId: string | null;
}

/** A tracked link was followed; every click is kept. */
export async function recordClick(sql: Queryable, a: ActionRef, source: string): Promise<void> {
  await sql`insert into action_events (org_id, campaign_id, supporter_id, stage_run_id, kind, source)
    values (${a.orgId}, ${a.campaignId}, ${a.supporterId}, ${a.stageRunId}, 'click', ${source})`;
}

/** The supporter acted; once per supporter and campaign. Returns whether this call recorded it. */
export async function recordDone(sql: Queryable, a: ActionRef, source: string): Promise<boolean> {
  const rows =
    await sql`insert into action_events (org_id, campaign_id, supporter_id, stage_run_id, kind, source)
    values (${a.orgId}, ${a.campaignId}, ${a.supporterId}, ${a.stageRunId}, 'done', ${source})
    on conflict (campaign_id, supporter_id) where kind = 'done' do nothing`;
  return rows.count === 1;
}
