import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPacer, type Pacer } from '../../activities/pacer';
import {
  createSharedRate,
  MAX_LEASE_MS,
  type SharedRate,
  withSharedRate,
} from '../../activities/shared-rate';
import { busiestSecond } from '../../bench/busiest-second';
import { connectDatabase, type Sql } from '../../db/client';
import { holdSendSlots, leaseSendSlots, type SendLease } from '../../db/send-rate';

// Two pacers stand in for two worker processes: each has its own connection pool and local pacer,
// and they share one provider key in the real PostgreSQL. Assertions are on the slot times the
// database granted (its own clock), never on wall time.
const RATE = 200;
const INTERVAL_MS = 1000 / RATE;
let pools: Sql[] = [];

beforeAll(async () => {
  const url = inject('stackEnv').DATABASE_URL!;
  pools = [
    await connectDatabase(url, { connectTimeoutS: 10 }),
    await connectDatabase(url, { connectTimeoutS: 10 }),
  ];
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end({ timeout: 5 })));
});

const newKey = () => `test:${randomBytes(8).toString('hex')}`;

/**
 * A process's pacer on `sql` sharing `key`, the leases its database answers granted, and the slots
 * (database time, ms) its calls started at.
 */
function processPacer(sql: Sql, key: string): { pacer: Pacer; leases: SendLease[]; used: number[] } {
  const holder = randomBytes(4).toString('hex');
  const leases: SendLease[] = [];
  const used: number[] = [];
  const inner = createSharedRate({
    perSecond: RATE,
    lease: async (q) => {
      const lease = await leaseSendSlots(sql, key, { ...q, holder });
      leases.push(lease);
      return lease;
    },
    hold: (ms) => holdSendSlots(sql, key, ms),
  });
  const acquire = async () => {
    const slot = await inner.acquire();
    used.push(slot.dbAtMs);
    return slot;
  };
  const shared: SharedRate = {
    acquire,
    holdFor: inner.holdFor,
    async track(call) {
      const slot = await acquire();
      try {
        return await call();
      } finally {
        slot.done();
      }
    },
  };
  return { pacer: withSharedRate(createPacer(RATE), shared), leases, used };
}

describe('the provider rate shared through PostgreSQL', () => {
  it('two processes together take at least (N − 1)/rate of database time, never more than the rate in a second', async () => {
    const key = newKey();
    const processes = pools.map((sql) => processPacer(sql, key));
    const n = 400;
    let started = 0;
    const sentBy = [0, 0];
    // Eight lanes per process, as a delivery page runs them; each call is a short provider answer.
    await Promise.all(
      processes.flatMap((p, which) =>
        Array.from({ length: 8 }, async () => {
          while (started < n) {
            started++;
            await p.pacer.track(async () => {
              sentBy[which]!++;
              await new Promise((r) => setTimeout(r, 3));
            });
          }
        }),
      ),
    );
    // The slots the calls started at, as the leases granted them (database time).
    const slots = processes.flatMap((p) => p.used).sort((a, b) => a - b);
    expect(slots).toHaveLength(n);
    const granted = new Set(
      processes.flatMap((p) =>
        p.leases.flatMap((l) =>
          Array.from({ length: l.slots }, (_, i) => l.firstAtMs + i * (l.intervalUs / 1000)),
        ),
      ),
    );
    for (const s of slots) expect(granted.has(s)).toBe(true);
    expect(sentBy[0]! + sentBy[1]!).toBe(n);
    expect(Math.min(...sentBy)).toBeGreaterThan(0);
    // No slot granted twice, and every two slots at least an interval apart (µs rounding aside).
    for (let i = 1; i < slots.length; i++)
      expect(slots[i]! - slots[i - 1]!).toBeGreaterThanOrEqual(INTERVAL_MS - 0.002);
    expect(slots.at(-1)! - slots[0]!).toBeGreaterThanOrEqual(((n - 1) * 1000) / RATE - 0.002);
    expect(busiestSecond(slots)).toBeLessThanOrEqual(RATE);
    // Leases of 1 to 200 ms of the rate (plus the slots a slow answer skips).
    const leased = processes.flatMap((p) => p.leases);
    const skipped = leased.reduce((k, l) => k + l.slots, 0) - n;
    expect(Math.min(...leased.map((l) => l.slots))).toBeGreaterThanOrEqual(1);
    expect(Math.max(...leased.map((l) => l.slots))).toBeLessThanOrEqual(
      (RATE * MAX_LEASE_MS) / 1000 + skipped,
    );
  });

  it("a 429's hold from one process pushes the other's next slot, by the database's clock", async () => {
    const key = newKey();
    const [a, b] = pools as [Sql, Sql];
    const first = await leaseSendSlots(a, key, { slots: 1, intervalUs: 5000, holder: 'a' });
    await holdSendSlots(a, key, 2000);
    const next = await leaseSendSlots(b, key, { slots: 3, intervalUs: 5000, holder: 'b' });
    expect(next.firstAtMs).toBeGreaterThanOrEqual(first.dbNowMs + 2000);
    expect(next.waitMs).toBeGreaterThan(1500);
    // A hold shorter than what is already leased changes nothing.
    await holdSendSlots(b, key, 1);
    const after = await leaseSendSlots(a, key, { slots: 1, intervalUs: 5000, holder: 'a' });
    expect(after.firstAtMs).toBeCloseTo(next.firstAtMs + 15, 1);
  });

  it('a key leased by one process is not shared; leases of two processes interleaving make it shared', async () => {
    const key = newKey();
    const [a, b] = pools as [Sql, Sql];
    const lone = [];
    for (let i = 0; i < 3; i++)
      lone.push(await leaseSendSlots(a, key, { slots: 2, intervalUs: 1000, holder: 'a' }));
    expect(lone.map((l) => l.shared)).toEqual([false, false, false]);
    expect((await leaseSendSlots(b, key, { slots: 2, intervalUs: 1000, holder: 'b' })).shared).toBe(true);
    expect((await leaseSendSlots(a, key, { slots: 2, intervalUs: 1000, holder: 'a' })).shared).toBe(true);
  });

  it('an idle key starts its next lease now, not at the old next time', async () => {
    const key = newKey();
    const [a] = pools as [Sql];
    const old = await leaseSendSlots(a, key, { slots: 1, intervalUs: 1000, holder: 'a' });
    await a`update provider_send_rate set next_at = next_at - interval '1 hour' where key = ${key}`;
    const lease = await leaseSendSlots(a, key, { slots: 2, intervalUs: 1000, holder: 'a' });
    expect(lease.firstAtMs).toBeGreaterThanOrEqual(old.dbNowMs);
    expect(lease.waitMs).toBe(0);
  });

  it('throws when the database cannot be reached', async () => {
    const url = new URL(inject('stackEnv').DATABASE_URL!);
    const gone = await connectDatabase(url.toString(), { connectTimeoutS: 10 });
    await gone.end({ timeout: 1 });
    await expect(
      leaseSendSlots(gone, newKey(), { slots: 1, intervalUs: 1000, holder: 'gone' }),
    ).rejects.toThrow();
  });
});
