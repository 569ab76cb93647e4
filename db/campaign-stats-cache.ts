import { type AggregateCacheOptions, type CachedRow, cachedAggregateFromRow } from './aggregate-cache';
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

/** The cache entry of a large campaign's counts, shared by its page and the list: one refresh computes both. */
export const countsCacheKey = (campaignId: string) => `campaign-counts:${campaignId}`;

/**
 * What the caller's own statement read beside the campaign (db/campaign-page-read.ts): the supporters
 * its stage runs target together, and its counts cache entry if one was ever computed (JSON: dates
 * as ISO strings).
 */
export interface CountsRead {
  targeted: number;
  cached: CachedRow<CampaignCounts> | undefined;
}

async function liveCounts(sql: Sql, campaignId: string): Promise<CampaignCounts> {
  const [runs, rate] = await Promise.all([
    stageRunCounts(sql, { campaignId }),
    campaignActionRate(sql, campaignId),
  ]);
  return { runs, rate };
}

/**
 * Per stage run counts (db/campaign-stats.ts `stageRunCounts`) and the action rate of a campaign's
 * page: live below LIVE_COUNTS_BELOW targeted supporters; above, the cache entry the caller read
 * (no further round trip), refreshed in the background when older than its time to live, or
 * computed now when there is none yet.
 */
export async function campaignCountsFromRead(
  sql: Sql,
  campaignId: string,
  read: CountsRead,
  opts?: AggregateCacheOptions,
): Promise<CampaignCounts> {
  if (read.targeted < LIVE_COUNTS_BELOW) return liveCounts(sql, campaignId);
  const { runs, rate } = await cachedAggregateFromRow(
    sql,
    countsCacheKey(campaignId),
    read.cached,
    () => liveCounts(sql, campaignId),
    opts,
  );
  // JSON keeps dates as ISO strings (a first computation hands back Dates: both parse).
  return {
    runs: runs.map((r) => ({
      ...r,
      scheduled_at: r.scheduled_at === null ? null : new Date(r.scheduled_at),
    })),
    rate,
  };
}

/**
 * The action rate of one campaign of a list page (GET /v1/campaigns): live for a small campaign,
 * from the same cache entry its page reads for a large one.
 */
export async function actionRateFromRead(
  sql: Sql,
  campaignId: string,
  read: CountsRead,
  opts?: AggregateCacheOptions,
): Promise<ActionRate> {
  if (read.targeted < LIVE_COUNTS_BELOW) return campaignActionRate(sql, campaignId);
  return (await campaignCountsFromRead(sql, campaignId, read, opts)).rate;
}
