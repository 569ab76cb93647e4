import { type AggregateCacheOptions, cachedAggregate } from './aggregate-cache';
import { campaignActionRate, type StageRunCounts, stageRunCounts } from './campaign-stats';
import type { Sql } from './client';

/**
 * Campaigns whose stage runs target fewer supporters than this are counted live on every read (a
 * few milliseconds, exact at once); larger ones are read from `aggregate_cache` (db/aggregate-cache.ts),
 * at most a few seconds old (a 1,000,000-recipient stage's counts take about a second to compute).
 */
export const LIVE_COUNTS_BELOW = 20_000;

type ActionRate = Awaited<ReturnType<typeof campaignActionRate>>;

/** What a campaign's page shows besides its row: per stage run counts and the action rate. */
export interface CampaignCounts {
  runs: StageRunCounts[];
  rate: ActionRate;
}

/** Supporters targeted by each campaign's stage runs together, in one query (absent ids: 0). */
async function targetedTotals(sql: Sql, campaignIds: string[]): Promise<Map<string, number>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await sql<{ campaign_id: string; n: number }[]>`
    select campaign_id, coalesce(sum(targeted), 0)::int as n from stage_runs
    where campaign_id = any(${campaignIds}::uuid[]) group by campaign_id`;
  return new Map(rows.map((r) => [r.campaign_id, r.n]));
}

async function liveCounts(sql: Sql, campaignId: string): Promise<CampaignCounts> {
  const [runs, rate] = await Promise.all([
    stageRunCounts(sql, { campaignId }),
    campaignActionRate(sql, campaignId),
  ]);
  return { runs, rate };
}

/** One cache entry per large campaign, shared by its page and the list: one refresh computes both. */
async function cachedCounts(
  sql: Sql,
  campaignId: string,
  opts?: AggregateCacheOptions,
): Promise<CampaignCounts> {
  const { runs, rate } = await cachedAggregate(
    sql,
    `campaign-counts:${campaignId}`,
    () => liveCounts(sql, campaignId),
    opts,
  );
  // JSON keeps dates as ISO strings.
  return {
    runs: runs.map((r) => ({
      ...r,
      scheduled_at: r.scheduled_at === null ? null : new Date(r.scheduled_at),
    })),
    rate,
  };
}

/**
 * Per stage run counts (db/campaign-stats.ts `stageRunCounts`) and the action rate of a campaign's
 * page: live below LIVE_COUNTS_BELOW targeted supporters, from the aggregate cache above.
 */
export async function campaignCountsForRead(
  sql: Sql,
  campaignId: string,
  opts?: AggregateCacheOptions,
): Promise<CampaignCounts> {
  const targeted = (await targetedTotals(sql, [campaignId])).get(campaignId) ?? 0;
  return targeted < LIVE_COUNTS_BELOW ? liveCounts(sql, campaignId) : cachedCounts(sql, campaignId, opts);
}

/**
 * The action rates of a page of campaigns (GET /v1/campaigns), by campaign id: one query for the
 * targeted totals of the whole page, then a live count per small campaign and a cache read per
 * large one (the same entry its page reads).
 */
export async function actionRatesForList(
  sql: Sql,
  campaignIds: string[],
  opts?: AggregateCacheOptions,
): Promise<Map<string, ActionRate>> {
  const totals = await targetedTotals(sql, campaignIds);
  const rates = await Promise.all(
    campaignIds.map(async (id) =>
      (totals.get(id) ?? 0) < LIVE_COUNTS_BELOW
        ? campaignActionRate(sql, id)
        : (await cachedCounts(sql, id, opts)).rate,
    ),
  );
  return new Map(campaignIds.map((id, k) => [id, rates[k]!]));
}
