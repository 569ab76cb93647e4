import { audienceTagsWhere, selectWhere } from '../db/audience-filter';
import type { Sql } from '../db/client';
import type { AudienceRule } from '../domain/audience-rule';

/**
 * Snapshots a stage's audience into stage_recipients in one statement; seq numbers give
 * delivery pages a stable cursor. Consent is not filtered here: it is checked at send time.
 */
export async function snapshotAudience(
  sql: Sql,
  opts: { stageRunId: string; orgId: string; campaignId: string; rule: AudienceRule },
): Promise<number> {
  const rows = await sql`
    insert into stage_recipients (stage_run_id, seq, supporter_id)
    select ${opts.stageRunId}, row_number() over (order by s.id), s.id
    from supporters s
    where s.org_id = ${opts.orgId}
      and ${audienceTagsWhere(sql, opts.rule)}
      and ${selectWhere(sql, opts.rule.select, opts.campaignId)}
    on conflict do nothing`;
  return rows.count;
}
