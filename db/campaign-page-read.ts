import { parseStoredDefinition } from '../domain/stored-definition';
import type { EscalationAuditRow } from './campaign-stats';
import { type CampaignCounts, type CountsRead, countsCacheKey } from './campaign-stats-cache';
import type { CampaignListFilter, CampaignRow } from './campaigns';
import type { Sql } from './client';

/**
 * The campaign page and the campaign list each read in ONE statement what they used to read in three
 * or four round trips: the campaign row(s), the supporters targeted by their stage runs, their counts
 * cache entry (db/campaign-stats-cache.ts) and, for the page, the escalations in the audit log.
 * During a large stage every round trip waits behind the API's status callbacks and a busy
 * PostgreSQL, so the number of round trips is what the page's latency grows with.
 */

/** A campaign row with what its counts need (`CountsRead`). */
export interface CampaignWithCounts {
  row: CampaignRow;
  counts: CountsRead;
}

interface ReadColumns {
  read_targeted: number;
  read_counts: CampaignCounts | null;
  read_counts_age_ms: number | null;
  read_counts_compute_ms: number | null;
}

type RawRow = Omit<CampaignRow, 'definition'> & { definition: unknown } & ReadColumns;

// Every campaign column (as getCampaign reads them), then the targeted total and the
// counts cache entry of campaign `c` (joined as `a`).
const readColumns = (sql: Sql) => sql`
  c.*,
  (select coalesce(sum(r.targeted), 0)::int from stage_runs r where r.campaign_id = c.id) as read_targeted,
  a.value as read_counts,
  (extract(epoch from clock_timestamp() - a.computed_at) * 1000)::float8 as read_counts_age_ms,
  a.compute_ms as read_counts_compute_ms`;

const countsJoin = (sql: Sql) =>
  sql`left join aggregate_cache a on a.key = ${countsCacheKey('')} || c.id::text`;

function split(raw: RawRow): CampaignWithCounts {
  const { read_targeted, read_counts, read_counts_age_ms, read_counts_compute_ms, ...campaign } = raw;
  return {
    row: { ...campaign, definition: parseStoredDefinition(campaign.definition) },
    counts: {
      targeted: read_targeted,
      cached:
        read_counts === null
          ? undefined
          : { value: read_counts, age_ms: read_counts_age_ms ?? 0, compute_ms: read_counts_compute_ms ?? 0 },
    },
  };
}

/**
 * GET /v1/campaigns/:id: the campaign of organization `orgId` (undefined when it has none by that
 * id), its counts read and its escalations (oldest first), in one statement.
 */
export async function readCampaignPage(
  sql: Sql,
  orgId: string,
  id: string,
): Promise<(CampaignWithCounts & { escalations: EscalationAuditRow[] }) | undefined> {
  const [raw] = await sql<(RawRow & { read_escalations: EscalationAuditRow[] })[]>`
    select ${readColumns(sql)},
      coalesce((
        select json_agg(json_build_object('action', l.action, 'detail', l.detail,
            'created_at', to_char(l.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
          order by l.created_at)
        from audit_log l
        where l.org_id = c.org_id and l.target = 'campaign:' || c.id::text and l.action like 'escalation.%'
      ), '[]'::json) as read_escalations
    from campaigns c ${countsJoin(sql)}
    where c.id = ${id} and c.org_id = ${orgId}`;
  if (!raw) return undefined;
  const { read_escalations, ...rest } = raw;
  return { ...split(rest), escalations: read_escalations };
}

/**
 * GET /v1/campaigns: a page of organization `orgId`'s campaigns, newest first (the cursor is the last
 * row's (created_at, id)), each with its counts read, in one statement.
 */
export async function readCampaignListPage(
  sql: Sql,
  orgId: string,
  f: CampaignListFilter,
): Promise<CampaignWithCounts[]> {
  const rows = await sql<RawRow[]>`
    select ${readColumns(sql)}
    from campaigns c ${countsJoin(sql)}
    where c.org_id = ${orgId}
      ${f.status ? sql`and c.status = ${f.status}` : sql``}
      ${f.kind ? sql`and c.kind = ${f.kind}` : sql``}
      ${f.after ? sql`and (c.created_at, c.id) < (${f.after.createdAt}::timestamptz, ${f.after.id}::uuid)` : sql``}
    order by c.created_at desc, c.id desc
    limit ${f.limit}`;
  return rows.map(split);
}
