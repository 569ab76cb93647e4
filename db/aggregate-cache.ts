import type { Sql } from './client';

/**
 * A computed aggregate kept in `aggregate_cache` (migration 015), for reads that would otherwise scan
 * a large stage's rows on every request. A stored answer younger than its time to live is returned as
 * it is; an older one is returned too, while one refresh per key and process recomputes it in the
 * background (stale-while-revalidate); only a key never computed waits for the computation.
 *
 * The time to live grows with the cost: `max(minTtlMs, costFactor × compute time)`, so a refresh that
 * takes 1 s runs at most every 20 s and keeps the database's share of the work near 5 %.
 */
export interface AggregateCacheOptions {
  minTtlMs?: number;
  costFactor?: number;
  /** Called with a background refresh's error (the stale answer was served). */
  onRefreshError?: (err: unknown) => void;
}

const inFlight = new Map<string, Promise<unknown>>();

async function computeAndStore<T>(sql: Sql, key: string, compute: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await compute();
  const ms = Math.round(performance.now() - started);
  await sql`
    insert into aggregate_cache (key, value, computed_at, compute_ms)
    values (${key}, ${sql.json(value as never)}, now(), ${ms})
    on conflict (key) do update set value = excluded.value, computed_at = excluded.computed_at,
      compute_ms = excluded.compute_ms`;
  return value;
}

function once<T>(key: string, run: () => Promise<T>): Promise<T> {
  const running = inFlight.get(key) as Promise<T> | undefined;
  if (running) return running;
  const p = run().finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}

/**
 * The cached answer for `key` (JSON: dates come back as ISO strings), computing it when absent and
 * refreshing it in the background when older than its time to live. Errors of a first computation
 * propagate; a failed background refresh goes to `onRefreshError` and the stale answer stays.
 */
export async function cachedAggregate<T>(
  sql: Sql,
  key: string,
  compute: () => Promise<T>,
  opts: AggregateCacheOptions = {},
): Promise<T> {
  const minTtlMs = opts.minTtlMs ?? 2000;
  const costFactor = opts.costFactor ?? 20;
  const [row] = await sql<{ value: T; age_ms: number; compute_ms: number }[]>`
    select value, (extract(epoch from clock_timestamp() - computed_at) * 1000)::float8 as age_ms, compute_ms
    from aggregate_cache where key = ${key}`;
  if (!row) return once(key, () => computeAndStore(sql, key, compute));
  if (row.age_ms > Math.max(minTtlMs, costFactor * row.compute_ms)) {
    once(key, () => computeAndStore(sql, key, compute)).catch((err) => opts.onRefreshError?.(err));
  }
  return row.value;
}

/**
 * The cached answer for `key` if one was ever computed (refreshed in the background when older than
 * its time to live, as `cachedAggregate`), else undefined at once: the first computation then starts
 * in the background when `start` allows it (one per key and process; `start` false: none starts).
 * For callers that answer a first request with something cheaper (an estimate) instead of waiting.
 */
export async function cachedAggregateIfReady<T>(
  sql: Sql,
  key: string,
  compute: () => Promise<T>,
  opts: AggregateCacheOptions & { start?: boolean } = {},
): Promise<T | undefined> {
  const minTtlMs = opts.minTtlMs ?? 2000;
  const costFactor = opts.costFactor ?? 20;
  const [row] = await sql<{ value: T; age_ms: number; compute_ms: number }[]>`
    select value, (extract(epoch from clock_timestamp() - computed_at) * 1000)::float8 as age_ms, compute_ms
    from aggregate_cache where key = ${key}`;
  const stale = !row || row.age_ms > Math.max(minTtlMs, costFactor * row.compute_ms);
  if (stale && (row || opts.start !== false))
    once(key, () => computeAndStore(sql, key, compute)).catch((err) => opts.onRefreshError?.(err));
  return row?.value;
}

/** Whether a computation of `key` is running in this process. */
export function aggregateInFlight(key: string): boolean {
  return inFlight.has(key);
}

/**
 * Starts computing `key` in the background now (one computation per key and process: none starts
 * while one runs), storing it as `cachedAggregate` does; a failure goes to `onError`. For a caller
 * that already knows the key is absent or stale and answered without it.
 */
export function computeAggregateInBackground<T>(
  sql: Sql,
  key: string,
  compute: () => Promise<T>,
  onError?: (err: unknown) => void,
): void {
  once(key, () => computeAndStore(sql, key, compute)).catch((err) => onError?.(err));
}

/** An `aggregate_cache` row as a caller's own statement read it (age in ms at the read). */
export interface CachedRow<T> {
  value: T;
  age_ms: number;
  compute_ms: number;
}

/**
 * `cachedAggregate` for a caller that read the entry itself (joined into a statement it makes
 * anyway, one round trip fewer): the same answer, time to live and background refresh.
 */
export async function cachedAggregateFromRow<T>(
  sql: Sql,
  key: string,
  row: CachedRow<T> | undefined,
  compute: () => Promise<T>,
  opts: AggregateCacheOptions = {},
): Promise<T> {
  if (!row) return once(key, () => computeAndStore(sql, key, compute));
  const ttlMs = Math.max(opts.minTtlMs ?? 2000, (opts.costFactor ?? 20) * row.compute_ms);
  if (row.age_ms > ttlMs) {
    once(key, () => computeAndStore(sql, key, compute)).catch((err) => opts.onRefreshError?.(err));
  }
  return row.value;
}
