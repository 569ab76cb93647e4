import { type AggregateCacheOptions, cachedAggregate } from './aggregate-cache';
import { campaignActionRate, type StageRunCounts, stageRunCounts } from './campaign-stats';
import type { Sql } from './client';

/**
 * Campaigns whose stage runs target fewer supporters than this are counted live on every read (a
 * few milliseconds, exact at once); larger ones are read from `aggregate_cache` (db/aggregate-cache.ts),
 * at most a few seconds old (a 1,000,000-recipient stage's counts take about a second to compute).
 */
export const LIVE_COUNTS_BELOW = 20_000;

async function targetedTotal(sql: Sql, campaignId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select coalesce(sum(targeted), 0)::int as n from stage_runs where campaign_id = ${campaignId}`;
  return row?.n ?? 0;
}

type ActionRate = Awaited<ReturnType<typeof campaignActionRate>>;

/** Per stage run counts for a campaign's page (db/campaign-stats.ts `stageRunCounts`), cached when large. */
export async function stageRunCountsForRead(
  sql: Sql,
  campaignId: string,
  opts?: AggregateCacheOptions,
): Promise<StageRunCounts[]> {
  if ((await targetedTotal(sql, campaignId)) < LIVE_COUNTS_BELOW) return stageRunCounts(sql, { campaignId });
  const rows = await cachedAggregate(
    sql,
    `stage-counts:${campaignId}`,
    () => stageRunCounts(sql, { campaignId }),
    opts,
  );
  // JSON keeps dates as ISO strings.
  return rows.map((r) => ({ ...r, scheduled_at: r.scheduled_at === null ? null : new Date(r.scheduled_at) }));
}

/** The campaign's action rate for a page or a list (db/campaign-stats.ts `campaignActionRate`), cached when large. */
export async function actionRateForRead(
  sql: Sql,
  campaignId: string,
  opts?: AggregateCacheOptions,
): Promise<ActionRate> {
  if ((await targetedTotal(sql, campaignId)) < LIVE_COUNTS_BELOW) return campaignActionRate(sql, campaignId);
  return cachedAggregate(sql, `action-rate:${campaignId}`, () => campaignActionRate(sql, campaignId), opts);
}
