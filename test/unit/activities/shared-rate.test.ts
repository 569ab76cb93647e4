import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPacer } from '../../../activities/pacer';
import {
  createSharedRate,
  MAX_LATE_MS,
  MAX_LEASE_MS,
  recentMinimum,
  SLOW_ANSWER_MS,
  withSharedRate,
} from '../../../activities/shared-rate';
import { busiestSecond } from '../../../bench/busiest-second';
import type { SendLease } from '../../../db/send-rate';

/**
 * db/send-rate.ts's statements over one row, on a database clock `skewMs` ahead of the test's (fake)
 * clock, each answer arriving `latencyMs` after it was asked. Records every lease it granted.
 */
function fakeDatabase(opts: { skewMs: number; latencyMs: number }) {
  let nextAtMs = 0;
  let holder = '';
  let sharedUntil = Number.NEGATIVE_INFINITY;
  let down = false;
  const leases: Array<SendLease & { process: string }> = [];
  const dbNow = () => Date.now() + opts.skewMs;
  const later = <T>(f: () => T) => new Promise<T>((r) => setTimeout(() => r(f()), opts.latencyMs));
  return {
    leases,
    fail(yes: boolean) {
      down = yes;
    },
    client: (process: string) => ({
      lease: (q: { slots: number; intervalUs: number }) =>
        new Promise<SendLease>((resolve, reject) => {
          // The statement runs half way through the round trip.
          setTimeout(() => {
            if (down) return reject(new Error('connection refused'));
            if (holder !== process && nextAtMs >= dbNow() - 1100) sharedUntil = dbNow() + 2000;
            holder = process;
            const firstAtMs = Math.max(nextAtMs, dbNow());
            nextAtMs = firstAtMs + (q.slots * q.intervalUs) / 1000;
            const shared = sharedUntil > dbNow();
            const lease = { firstAtMs, dbNowMs: dbNow(), waitMs: firstAtMs - dbNow(), shared, ...q };
            leases.push({ ...lease, process });
            setTimeout(() => resolve(lease), opts.latencyMs / 2);
          }, opts.latencyMs / 2);
        }),
      hold: (ms: number) =>
        later(() => {
          nextAtMs = Math.max(nextAtMs, dbNow() + ms);
        }),
    }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Two processes sharing 50/s, eight lanes each, make 400 provider calls through `track`; `call`
 * (given a seeded random and the provider's stamp) plays the provider. Returns the stamps and the
 * slots the processes dropped, by reason.
 */
async function providerCalls(opts: {
  skewMs: number;
  seed: number;
  call: (random: () => number, stamp: () => void) => Promise<void>;
}) {
  const rate = 50;
  const calls = 400;
  const db = fakeDatabase({ skewMs: opts.skewMs, latencyMs: 2 });
  let seed = opts.seed;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const stamps: number[] = [];
  const dropped: Record<string, number> = {};
  const processes = ['a', 'b'].map((name) =>
    createSharedRate({
      perSecond: rate,
      now: Date.now,
      ...db.client(name),
      onDropped: (why) => {
        dropped[why] = (dropped[why] ?? 0) + 1;
      },
    }),
  );
  let started = 0;
  const startedAt = Date.now();
  const lanes = processes.flatMap((p) =>
    Array.from({ length: 8 }, async () => {
      while (started < calls) {
        started++;
        await p.track(() => opts.call(random, () => stamps.push(Date.now())));
      }
    }),
  );
  const done = Promise.all(lanes);
  await vi.advanceTimersByTimeAsync(60_000);
  await done;
  return { rate, calls, stamps, dropped, startedAt };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createSharedRate', () => {
  it('gives two processes distinct slots one interval apart, whatever the database clock says', async () => {
    const rate = 100;
    const db = fakeDatabase({ skewMs: 5_000_000, latencyMs: 3 });
    const processes = ['a', 'b'].map((name) => ({
      name,
      rate: createSharedRate({ perSecond: rate, now: Date.now, ...db.client(name) }),
    }));
    const slots: Array<{ process: string; dbAtMs: number; startedAt: number }> = [];
    const calls = 600;
    let started = 0;
    // Eight lanes per process, as a page's concurrency.
    const lanes = processes.flatMap((p) =>
      Array.from({ length: 8 }, async () => {
        while (started < calls) {
          started++;
          const slot = await p.rate.acquire();
          slots.push({ process: p.name, dbAtMs: slot.dbAtMs, startedAt: Date.now() });
          await new Promise((r) => setTimeout(r, 20)); // the provider's answer
          slot.done();
        }
      }),
    );
    const done = Promise.all(lanes);
    await vi.advanceTimersByTimeAsync(20_000);
    await done;

    const times = slots.map((s) => s.dbAtMs).sort((a, b) => a - b);
    const interval = (1000 + SLOW_ANSWER_MS) / rate;
    expect(new Set(times).size).toBe(times.length);
    // One interval apart: 1000 / rate ms at least, (1000 + SLOW_ANSWER_MS) / rate once both lease.
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000 / rate - 1e-3);
    expect(db.leases.filter((l) => l.shared).length).toBeGreaterThan(db.leases.length / 2);
    for (const l of db.leases) expect([10_000, interval * 1000]).toContain(l.intervalUs);
    expect(busiestSecond(times)).toBeLessThanOrEqual(rate);
    // All the slots were used back to back (answers in 20 ms: nothing skipped): (n - 1) intervals of
    // database time, at least (n - 1) / rate seconds, and hardly more.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(((times.length - 1) * 1000) / rate);
    expect(times.at(-1)! - times[0]!).toBeLessThan(times.length * interval * 1.02);
    // Both processes sent, and nobody started before its slot (in the database's time).
    expect(new Set(slots.map((s) => s.process)).size).toBe(2);
    for (const s of slots) expect(s.startedAt + 5_000_000).toBeGreaterThanOrEqual(s.dbAtMs - 1e-6);
    // Each lease held the callers waiting when it was asked for: at least 1, at most 200 ms of the rate.
    const sizes = db.leases.map((l) => l.slots);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual((rate * MAX_LEASE_MS) / 1000);
    expect(Math.max(...sizes)).toBeGreaterThan(1);
  });

  it('keeps the provider under the rate when it takes calls late: a slow answer skips a slot', async () => {
    // The provider stamps each call when it takes it: anywhere up to its answer, here the worst
    // case (at the answer), after a stall of up to 300 ms now and then.
    const run = await providerCalls({
      skewMs: -777,
      seed: 11,
      call: async (random, stamp) => {
        await sleep(random() < 0.1 ? random() * 300 : random() * 10);
        stamp();
      },
    });
    expect(run.stamps).toHaveLength(run.calls);
    expect(busiestSecond(run.stamps)).toBeLessThanOrEqual(run.rate);
    expect(run.dropped.slow_answer).toBeGreaterThan(0);
  });

  it('judges an answer slow against the quickest recent one: a provider 150 ms away costs no slots', async () => {
    // 70 ms there (the provider stamps the call on arrival), up to 10 ms of work, 70 ms back.
    const run = await providerCalls({
      skewMs: 0,
      seed: 7,
      call: async (random, stamp) => {
        await sleep(70 + random() * 5);
        stamp();
        await sleep(random() * 10 + 70);
      },
    });
    expect(run.stamps).toHaveLength(run.calls);
    expect(busiestSecond(run.stamps)).toBeLessThanOrEqual(run.rate);
    // Only each process's first answer, judged before any other, counts as slow; counted from the
    // slot, every one of the 400 would have skipped a slot and halved the rate.
    expect(run.dropped.slow_answer ?? 0).toBeLessThanOrEqual(2);
    expect(Math.max(...run.stamps) - run.startedAt).toBeLessThan(
      ((run.calls * (1000 + SLOW_ANSWER_MS)) / run.rate) * 1.1,
    );
  });

  it('alone on the key, spaces slots at the full rate; when another process comes, gives back what its last second may crowd', async () => {
    const db = fakeDatabase({ skewMs: 0, latencyMs: 2 });
    const aDropped: string[] = [];
    const a = createSharedRate({
      perSecond: 100,
      now: Date.now,
      ...db.client('a'),
      onDropped: (why) => aDropped.push(why),
    });
    const b = createSharedRate({ perSecond: 100, now: Date.now, ...db.client('b') });
    const first = Promise.all(Array.from({ length: 30 }, () => a.acquire().then((s) => s.done())));
    await vi.advanceTimersByTimeAsync(1000);
    await first;
    // The first lease starts cautious; once the database says a is alone, slots are 10 ms apart.
    expect(db.leases.slice(1).every((l) => l.intervalUs === 10_000 && !l.shared)).toBe(true);
    const before = db.leases.length;
    const aSlots: number[] = [];
    const take = () =>
      a.acquire().then((s) => {
        aSlots.push(s.dbAtMs);
        s.done();
      });
    const both = Promise.all([
      b.acquire().then((s) => s.done()),
      Promise.all([take(), take(), take()]).then(take),
    ]);
    await vi.advanceTimersByTimeAsync(1000);
    await both;
    const later = db.leases.slice(before);
    expect(later.every((l) => l.shared)).toBe(true);
    // a learnt it from a lease taken as alone (MAX_LEASE_MS of the rate, 10 ms slots), then skipped
    // SLOW_ANSWER_MS of the rate (3 slots of 10 ms for 25 ms) out of that lease's kept slots.
    const aLeases = later.filter((l) => l.process === 'a');
    expect(aLeases.map((l) => [l.slots, l.intervalUs])).toEqual([[(100 * MAX_LEASE_MS) / 1000, 10_000]]);
    const skipped = Math.ceil(SLOW_ANSWER_MS / 10);
    expect(aSlots.slice(1).map((t, i) => t - aSlots[i]!)).toEqual([10, 10, 10 * (1 + skipped)]);
    // Each slot given back is counted (campaign_send_slots_dropped_total{reason="became_shared"}).
    expect(aDropped).toEqual(Array.from({ length: skipped }, () => 'became_shared'));
    // Its next lease is spaced for sharing.
    await vi.advanceTimersByTimeAsync(1000);
    const next = take();
    await vi.advanceTimersByTimeAsync(1000);
    await next;
    expect(db.leases.at(-1)).toMatchObject({
      process: 'a',
      intervalUs: Math.ceil((1000 * (1000 + SLOW_ANSWER_MS)) / 100),
    });
  });

  it('alone on the key, leases MAX_LEASE_MS of the rate and gives its slots to the callers that come meanwhile', async () => {
    const db = fakeDatabase({ skewMs: 0, latencyMs: 2 });
    const rate = createSharedRate({ perSecond: 100, now: Date.now, ...db.client('a') });
    const got: number[] = [];
    // One caller at a time, as a lane that sends, waits for the answer, then sends again.
    const lane = (async () => {
      for (let i = 0; i < 50; i++) {
        const slot = await rate.acquire();
        got.push(slot.dbAtMs);
        slot.done();
      }
    })();
    await vi.advanceTimersByTimeAsync(5_000);
    await lane;
    // The cautious first lease of one slot, then leases of 20 slots (200 ms at 100/s): 4 statements
    // for 50 calls where a lease per call took 50.
    expect(db.leases.map((l) => l.slots)).toEqual([1, 20, 20, 20]);
    expect(new Set(got).size).toBe(50);
    expect(busiestSecond(got)).toBeLessThanOrEqual(100);
    // A kept slot whose time went by is passed over: after a pause, a caller gets a new lease's slot.
    await vi.advanceTimersByTimeAsync(1_000);
    const askedAt = Date.now();
    const slot = await Promise.all([rate.acquire(), vi.advanceTimersByTimeAsync(100)]).then(([s]) => s);
    expect(db.leases).toHaveLength(5);
    expect(slot.dbAtMs).toBeGreaterThanOrEqual(askedAt);
    expect(slot.dbAtMs - askedAt).toBeLessThan(MAX_LATE_MS);
  });

  it('leases at most 200 ms of the rate at once, however many callers wait', async () => {
    const db = fakeDatabase({ skewMs: 0, latencyMs: 1 });
    const rate = createSharedRate({ perSecond: 50, now: Date.now, ...db.client('a') });
    const done = Promise.all(Array.from({ length: 95 }, () => rate.acquire().then((s) => s.done())));
    await vi.advanceTimersByTimeAsync(5_000);
    await done;
    // One slot for the first caller, then the other 94 in leases of 10 (200 ms at 50/s), the last
    // one's 6 unused slots kept for callers to come.
    expect(db.leases.map((l) => l.slots)).toEqual([1, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
  });

  it('rounds the interval up to whole microseconds, so no second holds more than the rate', async () => {
    const db = fakeDatabase({ skewMs: 0, latencyMs: 1 });
    const rate = createSharedRate({ perSecond: 3, now: Date.now, ...db.client('a') });
    const got: number[] = [];
    const done = Promise.all(
      Array.from({ length: 10 }, () => rate.acquire().then((s) => got.push(s.dbAtMs) && s.done())),
    );
    await vi.advanceTimersByTimeAsync(5_000);
    await done;
    // (1000 + SLOW_ANSWER_MS) / 3 ms, in whole µs rounded up.
    expect(db.leases[0]!.intervalUs).toBe(Math.ceil((1000 * (1000 + SLOW_ANSWER_MS)) / 3));
    expect(busiestSecond(got)).toBe(3);
  });

  it('drops a slot reached too late (a busy event loop) and leases another', async () => {
    const db = fakeDatabase({ skewMs: 0, latencyMs: 2 });
    let late = 0;
    const rate = createSharedRate({
      perSecond: 100,
      now: Date.now,
      ...db.client('a'),
      onDropped: (why) => why === 'late' && late++,
    });
    // Another process leased a moment ago: the key is shared.
    const other = db.client('other').lease({ slots: 1, intervalUs: 10_000 });
    await vi.advanceTimersByTimeAsync(20);
    await other;
    const got: Array<{ dbAtMs: number; at: number }> = [];
    const done = Promise.all(
      Array.from({ length: 3 }, () =>
        rate.acquire().then((s) => got.push({ dbAtMs: s.dbAtMs, at: Date.now() }) && s.done()),
      ),
    );
    // A lease of 1 (the first caller), then of 2 (due 10 and 20 ms later) have arrived.
    await vi.advanceTimersByTimeAsync(4);
    expect(got).toHaveLength(1);
    // The event loop is stuck for 50 ms: the two slots are reached far too late.
    vi.setSystemTime(Date.now() + 5 * MAX_LATE_MS);
    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(late).toBe(2);
    // The two dropped slots were replaced by newer ones.
    expect(db.leases.filter((l) => l.process === 'a').reduce((n, l) => n + l.slots, 0)).toBe(5);
    // Each caller started within MAX_LATE_MS of the slot it kept.
    for (const g of got) expect(g.at - g.dbAtMs).toBeLessThanOrEqual(MAX_LATE_MS);
  });

  it('rejects every waiting caller when the database cannot be reached (no unshared fallback)', async () => {
    const db = fakeDatabase({ skewMs: 0, latencyMs: 2 });
    const rate = createSharedRate({ perSecond: 100, now: Date.now, ...db.client('a') });
    db.fail(true);
    const results = Promise.allSettled(Array.from({ length: 5 }, () => rate.acquire()));
    await vi.advanceTimersByTimeAsync(100);
    const settled = await results;
    expect(settled.map((s) => s.status)).toEqual(Array(5).fill('rejected'));
    // It leases again once the database is back.
    db.fail(false);
    const slot = rate.acquire();
    await vi.advanceTimersByTimeAsync(100);
    await expect(slot).resolves.toMatchObject({ dbAtMs: expect.any(Number) });
  });

  it("a 429's hold in one process pushes the other process's next slot", async () => {
    const db = fakeDatabase({ skewMs: 1234, latencyMs: 2 });
    const a = withSharedRate(
      createPacer(100),
      createSharedRate({ perSecond: 100, now: Date.now, ...db.client('a') }),
    );
    const b = createSharedRate({ perSecond: 100, now: Date.now, ...db.client('b') });
    const first = a();
    await vi.advanceTimersByTimeAsync(10);
    await first;
    const heldAt = Date.now() + 1234;
    a.holdFor(3000);
    await vi.advanceTimersByTimeAsync(10);
    const next = b.acquire();
    await vi.advanceTimersByTimeAsync(3100);
    const slot = await next;
    expect(slot.dbAtMs).toBeGreaterThanOrEqual(heldAt + 3000);
  });
});

describe('recentMinimum', () => {
  it('keeps the smallest recent sample, and forgets samples older than two buckets', () => {
    const o = recentMinimum(1000);
    expect(o.sample(50, 0)).toBe(50);
    expect(o.sample(3, 10)).toBe(3);
    expect(o.sample(40, 500)).toBe(3);
    // Next bucket: the previous bucket's 3 still counts.
    expect(o.sample(20, 1200)).toBe(3);
    // Two buckets on, it is gone.
    expect(o.sample(25, 2300)).toBe(20);
    expect(o.sample(30, 5000)).toBe(30);
  });
});
