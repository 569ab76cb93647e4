import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedAggregate } from '../../db/aggregate-cache';
import { eventually } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// The stale-while-revalidate cache behind the counts of large campaigns and large organizations' previews.
let svc: Service;
beforeAll(async () => {
  svc = await startService({ roles: [] });
});
afterAll(async () => {
  await svc?.stop();
});

describe('cachedAggregate', () => {
  it('computes once, serves the stored answer while young, and refreshes a stale one in the background', async () => {
    const key = `test:${crypto.randomUUID()}`;
    let computed = 0;
    const compute = async () => ({ n: ++computed, at: new Date().toISOString() });
    const first = await cachedAggregate(svc.sql, key, compute, { minTtlMs: 60_000 });
    expect(first.n).toBe(1);
    expect((await cachedAggregate(svc.sql, key, compute, { minTtlMs: 60_000 })).n, 'young: stored').toBe(1);
    expect(computed).toBe(1);

    await svc.sql`update aggregate_cache set computed_at = now() - interval '2 minutes' where key = ${key}`;
    const stale = await cachedAggregate(svc.sql, key, compute, { minTtlMs: 60_000 });
    expect(stale.n, 'stale: served as it is').toBe(1);
    await eventually(
      () => cachedAggregate(svc.sql, key, compute, { minTtlMs: 60_000 }),
      (v) => v.n === 2,
      'the refreshed answer',
    );
    expect(computed).toBe(2);
  });

  it('lets the time to live grow with the cost of the computation', async () => {
    const key = `test:${crypto.randomUUID()}`;
    let computed = 0;
    const compute = async () => ++computed;
    await cachedAggregate(svc.sql, key, compute, { minTtlMs: 0 });
    // 100 s old, but it took 10 s to compute: 20 × 10 s = 200 s to live.
    await svc.sql`update aggregate_cache set computed_at = now() - interval '100 seconds', compute_ms = 10000
      where key = ${key}`;
    expect(await cachedAggregate(svc.sql, key, compute, { minTtlMs: 0 })).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(computed, 'no refresh started').toBe(1);
  });

  it('keeps the stale answer when a refresh fails, and reports the error', async () => {
    const key = `test:${crypto.randomUUID()}`;
    await cachedAggregate(svc.sql, key, async () => 'kept', { minTtlMs: 0 });
    await svc.sql`update aggregate_cache set computed_at = now() - interval '1 minute' where key = ${key}`;
    const errors: unknown[] = [];
    const answer = await cachedAggregate(
      svc.sql,
      key,
      async () => {
        throw new Error('database busy');
      },
      { minTtlMs: 0, onRefreshError: (err) => errors.push(err) },
    );
    expect(answer).toBe('kept');
    await eventually(
      async () => errors.length,
      (n) => n === 1,
      'the refresh error reported',
    );
  });
});
