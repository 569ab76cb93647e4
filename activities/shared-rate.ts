import { randomBytes } from 'node:crypto';
import type { Sql } from '../db/client';
import { holdSendSlots, leaseSendSlots, type SendLease } from '../db/send-rate';
import type { DROPPED_SLOT_REASONS } from '../domain/metric-labels';
import type { Pacer } from './pacer';
import { waitTicking } from './pacer';

/** A lease of at most this much of the rate: a process never blocks another for longer, and a page's end wastes little. */
export const MAX_LEASE_MS = 200;

/**
 * While processes share a key, a slot reached more than this late (ms; the event loop was busy) is
 * dropped and another leased: calls started late bunch up with other processes' calls.
 */
export const MAX_LATE_MS = 20;

/**
 * While processes share a key, a call answered within this long (ms) of the quickest recent answer
 * (counted from its slot) is covered by the slots' spacing; one answered later costs its process a
 * skipped slot. The spacing gives up SLOW_ANSWER_MS / (1000 + SLOW_ANSWER_MS) of the rate (about
 * 2.4 %); a process alone gives up none.
 */
export const SLOW_ANSWER_MS = 25;

/** One send slot a caller was given: when it may start, by the database's clock. */
export interface SendSlot {
  /** ms since the epoch, database time. */
  dbAtMs: number;
  /**
   * The provider answered (or the call ended): call once. An answer more than SLOW_ANSWER_MS slower
   * than the quickest recent one skips a slot.
   */
  done(): void;
}

/** A provider's rate shared by every process that leases from the same key (db/send-rate.ts). */
export interface SharedRate {
  /**
   * Resolves at this caller's slot (never before it, by the database's clock as seen from here).
   * Rejects with the lease's error when the database cannot be reached: no unshared fallback.
   */
  acquire(): Promise<SendSlot>;
  /** Runs `call` at its slot and reports its answer (done). */
  track<T>(call: () => Promise<T>): Promise<T>;
  /** The provider said "later" (429): nobody sharing the key starts before `ms` from now. */
  holdFor(ms: number): Promise<void>;
}

export interface SharedRateDeps {
  /** Sends per second across every process sharing the key. */
  perSecond: number;
  /**
   * Leases `slots` consecutive slots `intervalUs` µs apart (db/send-rate.ts leaseSendSlots), saying
   * whether another process leased from the key lately.
   */
  lease(q: { slots: number; intervalUs: number }): Promise<SendLease>;
  /** Pushes the shared next free time to at least `ms` from now (db/send-rate.ts holdSendSlots). */
  hold(ms: number): Promise<void>;
  /** Local monotonic clock, ms (default performance.now(): it never steps, so the offset holds). */
  now?: () => number;
  /** Called at least every two seconds while a caller waits (the activity's heartbeat). */
  tick?: () => void;
  /**
   * Told of each slot given up: reached more than MAX_LATE_MS late, skipped after a slow answer, or
   * given back on learning that another process shares the key.
   */
  onDropped?: (why: (typeof DROPPED_SLOT_REASONS)[number]) => void;
}

/**
 * Callers of this process wait in order; one lease at a time asks the database for slots, then
 * releases them one slot apart: while shared, as many as callers are waiting (at least 1, at most
 * MAX_LEASE_MS of the rate); alone, MAX_LEASE_MS of the rate, kept for the callers that come while
 * its time lasts. Slots are converted to local time by the smallest recent offset between the two clocks
 * (recentMinimum), so each process starts its calls at the database's instant whatever its own clock
 * says; while shared, a slot reached more than MAX_LATE_MS late is dropped for a newer one.
 *
 * Alone on the key (the lease says no other process leased lately), slots are 1000 / perSecond ms
 * apart and the local pacer's window rule alone guards against the provider's jitter. Shared, the
 * provider stamps a call somewhere between its start and its answer, and nothing sees the other
 * processes' answers: slots are (1000 + SLOW_ANSWER_MS) / perSecond ms apart, so calls answered
 * within SLOW_ANSWER_MS of the quickest recent answer can never put more than `perSecond` stamps in
 * one second, and a call answered later skips one slot of the shared schedule at once (the next
 * lease takes one slot more and leaves it unused): the seconds it may crowd are the ones that slot
 * is in. The quickest answer (the smallest of the last 30–60 s, recentMinimum) is the time
 * every call takes whatever the load, the way there and back, which moves no stamp relative to
 * another: against a provider 150 ms away, counting from the slot would call every answer slow and
 * halve the shared rate. What a call takes beyond it (a stall, a queue) may move its stamp. On
 * learning that the key became shared, a process skips what its last second alone could crowd:
 * SLOW_ANSWER_MS of the rate and one slot per slow answer.
 */
export function createSharedRate(deps: SharedRateDeps): SharedRate {
  const now = deps.now ?? (() => performance.now());
  const tick = deps.tick ?? (() => {});
  // Whole microseconds, rounded up: n slots always span at least n intervals.
  const aloneUs = Math.ceil(1_000_000 / deps.perSecond);
  const sharedUs = Math.ceil((1000 * (1000 + SLOW_ANSWER_MS)) / deps.perSecond);
  const maxSlots = Math.max(1, Math.floor((deps.perSecond * MAX_LEASE_MS) / 1000));
  const waiting: Array<{
    resolve: (slot: { dbAtMs: number; localAt: number }) => void;
    reject: (err: unknown) => void;
  }> = [];
  let leasing = false;
  let skips = 0;
  // Until a lease says otherwise, others may be sending.
  let shared = true;
  // Local times of slow answers while alone, kept a second and a bit.
  let slowWhileAlone: number[] = [];
  const offsets = recentMinimum();
  // The quickest recent answer, ms from slot to answer (0 until the first answer).
  const answers = recentMinimum();
  let quickest = 0;
  // The last lease's slots not given out yet. Alone, a lease takes MAX_LEASE_MS of the rate whatever
  // the demand, and later callers take its slots without a statement: one lease per MAX_LEASE_MS
  // instead of one per turn of the send loop (a lease statement for every two or three messages
  // when only the service limits the rate, bench pg_top_statements). Kept as a range, never a list:
  // at 100,000/s that is 20,000 slots.
  let spare:
    | { firstDbAtMs: number; offset: number; intervalMs: number; next: number; end: number }
    | undefined;

  /**
   * Gives the first waiting caller the next spare slot; false when none is left. A fresh lease's
   * slots go out in order, whatever their lateness (acquire judges that); a kept slot whose time went
   * by more than MAX_LATE_MS ago is passed over, unused, like the time nobody asked for.
   */
  const giveSpare = (fresh: boolean): boolean => {
    if (!spare || waiting.length === 0) return false;
    const i = fresh ? spare.next : nextKept(spare);
    if (i >= spare.end) {
      spare = undefined;
      return false;
    }
    spare.next = i + 1;
    const dbAtMs = spare.firstDbAtMs + i * spare.intervalMs;
    waiting.shift()!.resolve({ dbAtMs, localAt: dbAtMs + spare.offset });
    return true;
  };

  /** The first kept slot whose time went by at most MAX_LATE_MS ago. */
  const nextKept = (s: NonNullable<typeof spare>): number => {
    const passed = now() - MAX_LATE_MS - (s.firstDbAtMs + s.offset);
    return Math.max(s.next, Math.ceil(passed / s.intervalMs));
  };

  const fill = async () => {
    if (leasing) return;
    leasing = true;
    try {
      for (;;) {
        // Slots to skip come out of the kept ones first: they are the next of this process's schedule.
        if (skips > 0 && spare) {
          const from = nextKept(spare);
          const n = Math.max(0, Math.min(skips, spare.end - from));
          spare.next = from + n;
          skips -= n;
        }
        while (skips === 0 && giveSpare(false));
        if (waiting.length === 0 && skips === 0) break;
        const skipped = skips;
        skips = 0;
        const wanted = shared ? Math.min(waiting.length, maxSlots) : maxSlots;
        const lease = await deps.lease({ slots: skipped + wanted, intervalUs: shared ? sharedUs : aloneUs });
        const t = now();
        const offset = offsets.sample(t - lease.dbNowMs, t);
        if (lease.shared && !shared) {
          const recent = slowWhileAlone.filter((at) => at > t - 1000 - SLOW_ANSWER_MS).length;
          const givenBack = Math.ceil((deps.perSecond * SLOW_ANSWER_MS) / 1000) + recent;
          skips += givenBack;
          for (let i = 0; i < givenBack; i++) deps.onDropped?.('became_shared');
        }
        shared = lease.shared;
        if (shared) slowWhileAlone = [];
        const intervalMs = lease.intervalUs / 1000;
        spare = {
          firstDbAtMs: lease.firstAtMs + skipped * intervalMs,
          offset,
          intervalMs,
          next: 0,
          end: lease.slots - skipped,
        };
        while (giveSpare(true));
      }
    } catch (err) {
      for (const w of waiting.splice(0)) w.reject(err);
    } finally {
      leasing = false;
    }
  };

  const slowAnswer = () => {
    if (shared) {
      skips++;
      deps.onDropped?.('slow_answer');
      void fill();
      return;
    }
    const t = now();
    slowWhileAlone.push(t);
    if (slowWhileAlone.length > 256) slowWhileAlone = slowWhileAlone.filter((at) => at > t - 2000);
  };

  const acquire = async (): Promise<SendSlot> => {
    for (;;) {
      const slot = await new Promise<{ dbAtMs: number; localAt: number }>((resolve, reject) => {
        waiting.push({ resolve, reject });
        void fill();
      });
      const ms = slot.localAt - now();
      if (ms > 0) await waitTicking(ms, tick);
      // Alone, a late call crowds nobody else's slot: the local pacer's window rule holds it.
      if (shared && now() - slot.localAt > MAX_LATE_MS) {
        deps.onDropped?.('late');
        continue;
      }
      let open = true;
      return {
        dbAtMs: slot.dbAtMs,
        done() {
          if (!open) return;
          open = false;
          const t = now();
          // Judged against the quickest answer before this one (0 until there is one), then kept.
          if (t - slot.localAt - quickest > SLOW_ANSWER_MS) slowAnswer();
          quickest = answers.sample(t - slot.localAt, t);
        },
      };
    }
  };

  return {
    acquire,
    async track(call) {
      const slot = await acquire();
      try {
        return await call();
      } finally {
        slot.done();
      }
    },
    holdFor: (ms) => deps.hold(ms),
  };
}

/**
 * The smallest sample of the last ~30–60 s (two buckets of `bucketMs`), as NTP keeps the best of its
 * recent round trips. Used for the local clock minus the database's, from (local time the answer
 * arrived − database time in the answer) samples: each overstates it by that answer's delay, so the
 * smallest is the best estimate and slots do not move with each answer's delay. Used as well for the
 * quickest recent provider answer (slow answers, createSharedRate).
 */
export function recentMinimum(bucketMs = 30_000) {
  let current = Number.POSITIVE_INFINITY;
  let previous = Number.POSITIVE_INFINITY;
  let bucketStart = Number.NEGATIVE_INFINITY;
  return {
    /** Adds a sample (ms) taken at local time `at` (ms); returns the estimate. */
    sample(offset: number, at: number): number {
      if (at - bucketStart >= bucketMs) {
        previous = at - bucketStart >= 2 * bucketMs ? Number.POSITIVE_INFINITY : current;
        current = Number.POSITIVE_INFINITY;
        bucketStart = at;
      }
      current = Math.min(current, offset);
      return Math.min(current, previous);
    },
  };
}

/** A shared rate kept in PostgreSQL under `key` (e.g. `twilio:<account sid>`; never a secret). */
export function createDbSharedRate(
  sql: Sql,
  key: string,
  opts: { perSecond: number; tick?: () => void; onDropped?: SharedRateDeps['onDropped'] },
): SharedRate {
  // Which process leased last, so a process alone on the key knows it is (never a host or a pid).
  const holder = randomBytes(8).toString('hex');
  return createSharedRate({
    perSecond: opts.perSecond,
    lease: (q) => leaseSendSlots(sql, key, { ...q, holder }),
    hold: (ms) => holdSendSlots(sql, key, ms),
    tick: opts.tick,
    onDropped: opts.onDropped,
  });
}

/**
 * A process's pacer that also keeps to a rate shared with other processes: each call first takes
 * its turn in the local pacer (whose sliding-window rule guards against answer jitter inside this
 * process; the call counts from then), then waits for its shared slot and starts at once. A 429
 * holds both. A failed hold is reported to `onHoldError` (the local hold still applies, and the
 * next lease meets the same database).
 */
export function withSharedRate(
  local: Pacer,
  shared: SharedRate,
  opts: { onHoldError?: (err: unknown) => void } = {},
): Pacer {
  const pace = async (): Promise<void> => {
    await local();
    (await shared.acquire()).done();
  };
  return Object.assign(pace, {
    track<T>(call: () => Promise<T>): Promise<T> {
      return local.track(() => shared.track(call));
    },
    holdFor(ms: number) {
      local.holdFor(ms);
      shared.holdFor(ms).catch((err: unknown) => opts.onHoldError?.(err));
    },
  });
}
