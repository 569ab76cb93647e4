import { createHash } from 'node:crypto';
import { aggregateInFlight, cachedAggregate, cachedAggregateIfReady } from '../../db/aggregate-cache';
import type { Sql } from '../../db/client';
import {
  organizationSize,
  type ReachRow,
  reachByChannel,
  type SmsNameRow,
  smsNamesByLocale,
} from '../../db/reach';
import type { AudienceRule } from '../../domain/audience-rule';

/**
 * Organizations with at least this many supporters get their preview figures from the aggregate
 * cache (db/aggregate-cache.ts), per organization and rule: a repeated or unchanged rule answers at
 * once with exact figures at most seconds old (recomputed in the background). A rule never computed
 * is answered from a sample of the table, marked approximate, while its exact figures are computed in
 * the background (at most one such computation per API process at a time); the next preview of that
 * rule is exact. Smaller organizations are counted live on every call (exact at once).
 */
export const CACHED_PREVIEW_FROM = 100_000;

/** About how many of the organization's rows an estimate reads (TABLESAMPLE SYSTEM). */
export const SAMPLE_ROWS = 20_000;

const MAX_EXACT_IN_BACKGROUND = 1;
let exactRunning = 0;

type Rule = Omit<AudienceRule, 'select'>;

/** How an approximate preview was made and how far its audience total may be off (95 %). */
export interface Approximation {
  method: 'sample';
  /** Share of the table's pages read (0..1]: every figure is the sample's count divided by it. */
  sampledShare: number;
  /** The audience total's 95 % interval (binomial, rows independent; 3 / share above 0 when none sampled). */
  audienceTotal: { low: number; high: number };
  /** Whether the exact figures of this preview's rules are being computed now (ask again shortly). */
  exactPending: boolean;
}

/** The figures of one audience rule, per locale and channel (`reach`) and the SMS names (`names`). */
export interface RuleFigures {
  reach: () => Promise<ReachRow[]>;
  names: () => Promise<SmsNameRow[]>;
}

export interface PreviewSource {
  figures: (rule: Rule) => RuleFigures;
  /** After every figure was read: how they were approximated, or undefined when all are exact. */
  approximation: (audienceRule: Rule, audienceTotal: number) => Promise<Approximation | undefined>;
}

const ruleKey = (rule: Rule) =>
  createHash('sha256')
    .update(JSON.stringify([rule.campaignInclude, rule.stageInclude, rule.exclude, rule.widenedTo]))
    .digest('base64url');

function memo<T>(run: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= run();
    return p;
  };
}

/**
 * Where a preview's figures come from for this organization: live counts (small), the cache of exact
 * figures (large, rule computed before), or a sample scaled up (large, rule new). Options for tests:
 * `largeFrom` (default CACHED_PREVIEW_FROM), `sampleRows` (default SAMPLE_ROWS).
 */
export async function previewSource(
  sql: Sql,
  orgId: string,
  opts: { largeFrom?: number; sampleRows?: number } = {},
): Promise<PreviewSource> {
  const largeFrom = opts.largeFrom ?? CACHED_PREVIEW_FROM;
  // Counted once, then refreshed in the background (stale-while-revalidate).
  const size = await cachedAggregate(sql, `org-size:${orgId}`, () => organizationSize(sql, orgId));
  if (size < largeFrom)
    return {
      figures: (rule) => ({
        reach: memo(() => reachByChannel(sql, orgId, rule)),
        names: memo(() => smsNamesByLocale(sql, orgId, rule)),
      }),
      approximation: async () => undefined,
    };

  const percent = Math.min(100, (100 * (opts.sampleRows ?? SAMPLE_ROWS)) / Math.max(1, size));
  const share = percent / 100;
  const scale = <R extends { n: number }>(rows: R[]) =>
    rows.map((r) => ({ ...r, n: Math.round(r.n / share) }));
  const sampledTotals = new Map<string, number>();
  const approximated = new Set<string>();
  const cacheKey = (key: string) => `preview:${orgId}:${key}`;
  const perRule = new Map<string, Promise<{ reach: ReachRow[]; names: SmsNameRow[] } | undefined>>();

  const exact = (rule: Rule, key: string) => {
    if (!perRule.has(key))
      perRule.set(
        key,
        cachedAggregateIfReady(
          sql,
          cacheKey(key),
          async () => {
            exactRunning++;
            try {
              const [reach, names] = await Promise.all([
                reachByChannel(sql, orgId, rule),
                smsNamesByLocale(sql, orgId, rule),
              ]);
              return { reach, names };
            } finally {
              exactRunning--;
            }
          },
          { start: exactRunning < MAX_EXACT_IN_BACKGROUND },
        ),
      );
    return perRule.get(key)!;
  };

  return {
    figures: (rule) => {
      const key = ruleKey(rule);
      return {
        reach: memo(async () => {
          const ready = await exact(rule, key);
          if (ready) return ready.reach;
          approximated.add(key);
          const rows = await reachByChannel(sql, orgId, rule, percent);
          sampledTotals.set(
            key,
            rows.reduce((n, r) => n + r.n, 0),
          );
          return scale(rows);
        }),
        names: memo(async () => {
          const ready = await exact(rule, key);
          if (ready) return ready.names;
          approximated.add(key);
          return scale(await smsNamesByLocale(sql, orgId, rule, percent));
        }),
      };
    },
    approximation: async (audienceRule, audienceTotal) => {
      if (approximated.size === 0) return undefined;
      const k = sampledTotals.get(ruleKey(audienceRule));
      // Binomial: each row is in the sample with probability `share`. The audience itself may have been
      // exact (cached) while only some stage's rule was sampled: then its interval is the point.
      const margin = k === undefined ? 0 : k === 0 ? 3 / share : (1.96 * Math.sqrt(k * (1 - share))) / share;
      const bounds = {
        low: Math.max(0, Math.floor(audienceTotal - margin)),
        high: Math.min(size, Math.ceil(audienceTotal + margin)),
      };
      return {
        method: 'sample',
        sampledShare: Math.round(share * 1e6) / 1e6,
        audienceTotal: bounds,
        exactPending: [...approximated].some((kk) => aggregateInFlight(cacheKey(kk))),
      };
    },
  };
}
