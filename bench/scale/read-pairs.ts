/**
 * GET /v1/campaigns/:id and GET /v1/campaigns?limit=25 alternated, `calls` times each after `warmUp`
 * unmeasured pairs, each timed from request to the whole body read (ms); a call that does not answer
 * 2xx fails the measurement.
 */
export async function timeReadPairs(
  apiUrl: string,
  token: string,
  campaignId: string,
  calls: number,
  warmUp: number,
): Promise<{ detail: number[]; list: number[] }> {
  const detail: number[] = [];
  const list: number[] = [];
  for (let k = 0; k < warmUp + calls; k++) {
    for (const [path, into] of [
      [`/v1/campaigns/${campaignId}`, detail],
      ['/v1/campaigns?limit=25', list],
    ] as const) {
      const t0 = performance.now();
      const res = await fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const text = await res.text();
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${text.slice(0, 300)}`);
      if (k >= warmUp) into.push(performance.now() - t0);
    }
  }
  return { detail, list };
}
