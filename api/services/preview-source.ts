import { createHash } from 'node:crypto';
import { aggregateInFlight, cachedAggregate, cachedAggregateIfReady } from '../../db/aggregate-cache';
import type { Sql } from '../../db/client';
import {
  organizationSize,
  type ReachRow,
  reachByChannel,
  type SmsNameRow,
  sampledOrganizationRows,
  smsNamesByLocale,
} from '../../db/reach';
import type { AudienceRule } from '../../domain/audience-rule';

/**
 * Organizations with at least this many supporters get their preview figures from the aggregate
 * cache (db/aggregate-cache.ts), per organization and rule: a repeated or unchanged rule answers at
 * once with exact figures at most seconds old (recomputed in the background). A rule never computed
 * is answered from a sample of the table, marked approximate, while its exact figures are computed in
 * the background (at most one such computation per API process at a time); the next preview of that
 * rule is exact. A rule whose sampled audience is small is counted exactly at once (few rows). Smaller organizations are counted live on every call (exact at once).
 */
export const CACHED_PREVIEW_FROM = 100_000;

/** About how many of the organization's rows an estimate reads (TABLESAMPLE SYSTEM). */
export const SAMPLE_ROWS = 10_000;

/** A sampled audience below this (at 95 %) is counted exactly at once instead: small audiences get exact figures. */
export const EXACT_PREVIEW_BELOW = 10_000;

const MAX_EXACT_IN_BACKGROUND = 1;

/** The organization's size decides small or large and scales samples: a minute old is close enough. */
const ORG_SIZE_TTL_MS = 60_000;
let exactRunning = 0;

type Rule = Omit<AudienceRule, 'select'>;

/** How an approximate preview was made and how far its audience total may be off (95 %). */
export interface Approximation {
  method: 'sample';
  /** Share of the table's pages read (0..1]: each figure is its share of the organization's sampled rows times the organization's size. */
  sampledShare: number;
  /** The audience total's 95 % interval (binomial over the sampled rows of the organization). */
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
 * figures (large, rule computed before), exact counts made now (large, rule new, its audience small by
 * the sample), or a sample scaled up (large, rule new, audience large). Options for tests: `largeFrom`
 * (default CACHED_PREVIEW_FROM), `sampleRows` (SAMPLE_ROWS), `exactBelow` (EXACT_PREVIEW_BELOW).
 */
export async function previewSource(
  sql: Sql,
  orgId: string,
  opts: { largeFrom?: number; sampleRows?: number; exactBelow?: number } = {},
): Promise<PreviewSource> {
  const largeFrom = opts.largeFrom ?? CACHED_PREVIEW_FROM;
  const exactBelow = opts.exactBelow ?? EXACT_PREVIEW_BELOW;
  // Counted once, then refreshed in the background at most once a minute (stale-while-revalidate).
  const size = await cachedAggregate(sql, `org-size:${orgId}`, () => organizationSize(sql, orgId), {
    minTtlMs: ORG_SIZE_TTL_MS,
  });
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
  // Ratio estimate: a rule's share of the organization's sampled rows, times the organization's size
  // (the number of its rows a page sample holds varies more than that share does).
  const sampledOrgRows = memo(() => sampledOrganizationRows(sql, orgId, percent));
  const scaleBy = (m: number) => (m === 0 ? 0 : size / m);
  const scale = <R extends { n: number }>(rows: R[], m: number) =>
    rows.map((r) => ({ ...r, n: Math.round(r.n * scaleBy(m)) }));
  const sampledTotals = new Map<string, { k: number; m: number }>();
  const approximated = new Set<string>();
  const cacheKey = (key: string) => `preview:${orgId}:${key}`;
  const perRule = new Map<string, Promise<{ reach: ReachRow[]; names: SmsNameRow[] } | undefined>>();

  const computeExact = (rule: Rule) => async () => {
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
  };
  const exact = (rule: Rule, key: string) => {
    if (!perRule.has(key))
      perRule.set(
        key,
        cachedAggregateIfReady(sql, cacheKey(key), computeExact(rule), {
          start: exactRunning < MAX_EXACT_IN_BACKGROUND,
        }),
      );
    return perRule.get(key)!;
  };
  // Per rule: exact figures (cached, or counted now for a small audience), or the sample's reach.
  const resolved = new Map<string, Promise<{ reach: ReachRow[]; names?: SmsNameRow[]; m?: number }>>();
  // 95 % interval of a rule's audience from k of the m sampled rows (normal approximation to the
  // binomial with the finite population correction; the rule of three when none or all matched).
  const interval = (k: number, m: number) => {
    const p = k / m;
    const margin =
      k === 0 || k === m
        ? (3 / m) * size
        : 1.96 * Math.sqrt(((p * (1 - p)) / m) * Math.max(0, 1 - m / size)) * size;
    const estimate = p * size;
    return {
      low: Math.max(0, Math.floor(estimate - margin)),
      high: Math.min(size, Math.ceil(estimate + margin)),
    };
  };
  const resolve = (rule: Rule, key: string) => {
    if (!resolved.has(key))
      resolved.set(
        key,
        (async () => {
          const ready = await exact(rule, key);
          if (ready) return ready;
          const [rows, m] = await Promise.all([reachByChannel(sql, orgId, rule, percent), sampledOrgRows()]);
          const k = rows.reduce((n, r) => n + r.n, 0);
          // A small audience (by the sample's upper bound) is counted exactly now: its rows are few,
          // read by the tags index. So is any audience when the sample held none of the organization.
          if (m === 0 || interval(k, m).high < exactBelow)
            return cachedAggregate(sql, cacheKey(key), computeExact(rule));
          approximated.add(key);
          sampledTotals.set(key, { k, m });
          return { reach: scale(rows, m), m };
        })(),
      );
    return resolved.get(key)!;
  };

  return {
    figures: (rule) => {
      const key = ruleKey(rule);
      return {
        reach: memo(async () => (await resolve(rule, key)).reach),
        names: memo(async () => {
          const figures = await resolve(rule, key);
          if (figures.names) return figures.names;
          return scale(await smsNamesByLocale(sql, orgId, rule, percent), figures.m ?? 0);
        }),
      };
    },
    approximation: async (audienceRule, audienceTotal) => {
      if (approximated.size === 0) return undefined;
      const sampled = sampledTotals.get(ruleKey(audienceRule));
      // The audience itself may have been exact (cached) while only some stage's rule was sampled:
      // then its interval is the point.
      const bounds = sampled ? interval(sampled.k, sampled.m) : { low: audienceTotal, high: audienceTotal };
      return {
        method: 'sample',
        sampledShare: Math.round(share * 1e6) / 1e6,
        audienceTotal: bounds,
        exactPending: [...approximated].some((kk) => aggregateInFlight(cacheKey(kk))),
      };
    },
  };
}
