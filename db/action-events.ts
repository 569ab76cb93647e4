import { campaignMonth } from './partition-month';
import type { Queryable } from './queryable';

export interface ActionRef {
  orgId: string;
  campaignId: string;
  supporterId: string;
  stageRunId: string | null;
}

/** A tracked link was followed; every click is kept. */
export async function recordClick(sql: Queryable, a: ActionRef, source: string): Promise<void> {
  await recordEvent(sql, a, 'click', source);
}

/** The supporter acted; once per supporter and campaign. Returns whether this call recorded it. */
export async function recordDone(sql: Queryable, a: ActionRef, source: string): Promise<boolean> {
  const rows =
    await sql`insert into action_events (org_id, campaign_id, supporter_id, stage_run_id, kind, source, month)
    values (${a.orgId}, ${a.campaignId}, ${a.supporterId}, ${a.stageRunId}, 'done', ${source},
      (${campaignMonth(sql, a.campaignId)}))
    on conflict (campaign_id, supporter_id, month) where kind = 'done' do nothing`;
  return rows.count === 1;
}

/**
 * One event that is kept however often it happens ('click', 'letter'); 'done' goes through
 * `recordDone`. Partitioned by the campaign's month (migration 017).
 */
export async function recordEvent(sql: Queryable, a: ActionRef, kind: 'click' | 'letter', source: string) {
  await sql`insert into action_events (org_id, campaign_id, supporter_id, stage_run_id, kind, source, month)
    values (${a.orgId}, ${a.campaignId}, ${a.supporterId}, ${a.stageRunId}, ${kind}, ${source},
      (${campaignMonth(sql, a.campaignId)}))`;
}
