import { createHash } from 'node:crypto';
import {
  aggregateInFlight,
  cachedAggregate,
  cachedAggregateIfReady,
  computeAggregateInBackground,
} from '../../db/aggregate-cache';
import { audienceFigures, audienceFiguresOnOneCore } from '../../db/audience-figures';
import type { Sql } from '../../db/client';
import { organizationSize, type ReachRow, type SmsNameRow } from '../../db/reach';
import type { AudienceRule } from '../../domain/audience-rule';

/**
 * Organizations with at least this many supporters get their preview figures from the aggregate
 * cache (db/aggregate-cache.ts), per organization and rule: a repeated or unchanged rule answers at
 * once with exact figures at most seconds old (recomputed in the background). A rule never computed
 * is answered from a sample of the table (one statement: reach, SMS names and the organization's
 * sampled rows), marked approximate, while its exact figures are computed in the background once the
 * sample is read (one statement on one core, at most one such computation per API process at a
 * time); the next preview of that rule is exact. A rule whose sampled audience is small is counted
 * exactly at once (few rows). Smaller organizations are counted live on every call (exact at once).
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

/** A rule's figures as the aggregate cache keeps them (exact), or as a sample scaled them up. */
interface ExactFigures {
  reach: ReachRow[];
  names: SmsNameRow[];
}

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
      figures: (rule) => {
        // Reach and names of a rule in one statement, read once whichever is asked first.
        const all = memo(() => audienceFigures(sql, orgId, rule));
        return { reach: async () => (await all()).reach, names: async () => (await all()).names };
      },
      approximation: async () => undefined,
    };

  const percent = Math.min(100, (100 * (opts.sampleRows ?? SAMPLE_ROWS)) / Math.max(1, size));
  const share = percent / 100;
  // Ratio estimate: a rule's share of the organization's sampled rows, times the organization's size
  // (the number of its rows a page sample holds varies more than that share does).
  const scaleBy = (m: number) => (m === 0 ? 0 : size / m);
  const scale = <R extends { n: number }>(rows: R[], m: number) =>
    rows.map((r) => ({ ...r, n: Math.round(r.n * scaleBy(m)) }));
  const sampledTotals = new Map<string, { k: number; m: number }>();
  const approximated = new Set<string>();
  const cacheKey = (key: string) => `preview:${orgId}:${key}`;

  // The exact figures in one statement on one core (no parallel workers): in the background it
  // leaves the other core to the previews answered meanwhile.
  const computeExact = (rule: Rule) => async (): Promise<ExactFigures> => {
    exactRunning++;
    try {
      const { reach, names } = await audienceFiguresOnOneCore(sql, orgId, rule);
      return { reach, names };
    } finally {
      exactRunning--;
    }
  };
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
  // Per rule: exact figures (cached, or counted now for a small audience), or the sample's, scaled.
  const resolved = new Map<string, Promise<ExactFigures>>();
  const resolve = (rule: Rule, key: string) => {
    if (!resolved.has(key))
      resolved.set(
        key,
        (async () => {
          // Cached exact figures (a stale entry is refreshed in the background); none: no computation
          // starts yet, so that it does not compete with the sample read next.
          const ready = await cachedAggregateIfReady(sql, cacheKey(key), computeExact(rule), {
            start: false,
          });
          if (ready) return ready;
          // One statement: the rule's reach and SMS names in the sample and the organization's sampled rows.
          const sample = await audienceFigures(sql, orgId, rule, percent);
          const m = sample.sampledRows ?? 0;
          const k = sample.reach.reduce((n, r) => n + r.n, 0);
          // A small audience (by the sample's upper bound) is counted exactly now: its rows are few,
          // read by the tags index. So is any audience when the sample held none of the organization.
          if (m === 0 || interval(k, m).high < exactBelow)
            return cachedAggregate(sql, cacheKey(key), computeExact(rule));
          approximated.add(key);
          sampledTotals.set(key, { k, m });
          // Now that the sample is read, the exact figures are computed in the background (at most
          // one such computation per process at a time); the next preview of this rule is exact.
          if (exactRunning < MAX_EXACT_IN_BACKGROUND)
            computeAggregateInBackground(sql, cacheKey(key), computeExact(rule));
          return { reach: scale(sample.reach, m), names: scale(sample.names, m) };
        })(),
      );
    return resolved.get(key)!;
  };

  return {
    figures: (rule) => {
      const key = ruleKey(rule);
      return {
        reach: async () => (await resolve(rule, key)).reach,
        names: async () => (await resolve(rule, key)).names,
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
