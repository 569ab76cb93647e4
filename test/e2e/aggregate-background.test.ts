import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aggregateInFlight,
  cachedAggregateIfReady,
  computeAggregateInBackground,
} from '../../db/aggregate-cache';
import { eventually } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// Issue 18: the preview starts a new rule's exact figures in the background once its sample is read,
// at most one computation per key and process.
let svc: Service;
beforeAll(async () => {
  svc = await startService({ roles: [] });
});
afterAll(async () => {
  await svc?.stop();
});

describe('computeAggregateInBackground', () => {
  it('starts one computation per key, stores its answer, and reports a failure', async () => {
    const key = `test:${crypto.randomUUID()}`;
    let computed = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const compute = async () => {
      computed++;
      await gate;
      return { n: computed };
    };
    computeAggregateInBackground(svc.sql, key, compute);
    computeAggregateInBackground(svc.sql, key, compute);
    expect(aggregateInFlight(key)).toBe(true);
    expect(computed, 'a second start while one runs starts nothing').toBe(1);
    expect(await cachedAggregateIfReady(svc.sql, key, compute, { start: false })).toBeUndefined();
    release();
    const stored = await eventually(
      () => cachedAggregateIfReady(svc.sql, key, compute, { start: false, minTtlMs: 60_000 }),
      (v) => v !== undefined,
      'the stored answer',
    );
    expect(stored).toEqual({ n: 1 });
    expect(aggregateInFlight(key)).toBe(false);

    const failing = `test:${crypto.randomUUID()}`;
    const errors: unknown[] = [];
    computeAggregateInBackground(
      svc.sql,
      failing,
      async () => {
        throw new Error('boom');
      },
      (err) => errors.push(err),
    );
    await eventually(
      async () => errors.length,
      (n) => n === 1,
      'the reported failure',
    );
    expect(await cachedAggregateIfReady(svc.sql, failing, async () => 0, { start: false })).toBeUndefined();
  });
});
