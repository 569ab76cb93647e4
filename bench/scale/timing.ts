/** p50/p95/max of repeated calls, in milliseconds. */
export interface Latency {
  calls: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** The q-quantile (0..1) of `values` by the nearest-rank method. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

export function summarize(samples: number[]): Latency {
  return {
    calls: samples.length,
    p50Ms: quantile(samples, 0.5),
    p95Ms: quantile(samples, 0.95),
    maxMs: samples.length ? Math.max(...samples) : Number.NaN,
  };
}

/**
 * Calls `call(k)` `times` times one after another (after `warmUp` unmeasured calls) and times each
 * from request to the whole body read; a call that does not answer 2xx fails the measurement.
 */
export async function timeCalls(
  times: number,
  call: (k: number) => Promise<Response>,
  warmUp = 2,
): Promise<Latency> {
  const samples: number[] = [];
  for (let k = 0; k < warmUp + times; k++) {
    const t0 = performance.now();
    const res = await call(k);
    const text = await res.text();
    const ms = performance.now() - t0;
    if (!res.ok) throw new Error(`${res.url}: ${res.status} ${text.slice(0, 300)}`);
    if (k >= warmUp) samples.push(ms);
  }
  return summarize(samples);
}
