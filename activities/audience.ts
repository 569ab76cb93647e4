import type { Sql } from '../db/client';
import type { AudienceSelect, TagFilter } from '../workflows/campaign-types';

/**
 * Snapshots a stage's audience into stage_recipients in one statement; seq numbers give
 * delivery pages a stable cursor. Consent is not filtered here: it is checked at send time.
 */
export async function snapshotAudience(
  sql: Sql,
  opts: {
    stageRunId: string;
    orgId: string;
    campaignId: string;
    select: AudienceSelect;
    tags?: TagFilter;
    widened: boolean;
  },
): Promise<number> {
  const include = opts.widened ? [] : (opts.tags?.include ?? []);
  const exclude = opts.tags?.exclude ?? [];
  const acted = sql`exists (select 1 from action_events a
      where a.campaign_id = ${opts.campaignId} and a.supporter_id = s.id and a.kind = 'done')`;
  const filter =
    opts.select === 'acted'
      ? acted
      : opts.select === 'not_acted'
        ? sql`not ${acted}`
        : opts.select === 'recipients'
          ? sql`exists (select 1 from deliveries d join stage_runs r on r.id = d.stage_run_id
              where r.campaign_id = ${opts.campaignId} and r.kind = 'stage' and d.supporter_id = s.id
                and d.status in ('accepted', 'sent', 'delivered'))`
          : sql`true`;
  const rows = await sql`
    insert into stage_recipients (stage_run_id, seq, supporter_id)
    select ${opts.stageRunId}, row_number() over (order by s.id), s.id
    from supporters s
    where s.org_id = ${opts.orgId}
      and s.erased_at is null
      and (cardinality(${include}::text[]) = 0 or s.tags && ${include}::text[])
      and not (s.tags && ${exclude}::text[])
      and ${filter}
    on conflict do nothing`;
  return rows.count;
}
