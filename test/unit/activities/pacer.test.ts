import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPacer } from '../../../activities/pacer';

// A provider like the sandbox: a sliding one-second window counted when it takes each call.
function provider(limit: number, seed = 7) {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const admitted: number[] = [];
  let refused = 0;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  return {
    admitted,
    refused: () => refused,
    /** Up to 40 ms on the way there and back: jitter that bunches calls at the provider. */
    async call() {
      await sleep(random() * 40);
      const t = Date.now();
      if (admitted.filter((a) => a > t - 1000).length >= limit) refused++;
      else admitted.push(t);
      await sleep(random() * 40);
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createPacer', () => {
  it('never lets more calls than the rate fall in one provider second, whatever the latency', async () => {
    for (const rate of [10, 50, 250]) {
      const p = provider(rate);
      const pacer = createPacer(rate);
      const calls = rate * 6;
      let started = 0;
      const lane = async () => {
        while (started < calls) {
          started++;
          await pacer.track(() => p.call());
        }
      };
      // Enough lanes that the round trips, not the lanes, bound the rate.
      const done = Promise.all(Array.from({ length: 32 }, lane));
      await vi.advanceTimersByTimeAsync(20_000);
      await done;
      expect(p.refused(), `refused at ${rate}/s`).toBe(0);
      const seconds = (p.admitted.at(-1)! - p.admitted[0]!) / 1000;
      // Each second of the provider's window also holds a round trip: a few percent, not more.
      expect((calls - 1) / seconds, `achieved at ${rate}/s`).toBeGreaterThan(rate * 0.93);
    }
  });

  it('holds every lane for the delay a 429 asked for', async () => {
    const pacer = createPacer(100);
    await pacer();
    pacer.holdFor(3000);
    const t = Date.now();
    const next = pacer();
    await vi.advanceTimersByTimeAsync(3100);
    await next;
    expect(Date.now() - t).toBeGreaterThanOrEqual(3000);
  });
});
