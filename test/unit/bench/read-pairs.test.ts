import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { timeReadPairs } from '../../../bench/scale/read-pairs';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A stand-in API on a free loopback port that records the paths and tokens it was asked for. */
async function fakeApi(status: (path: string) => number) {
  const seen: { path: string; auth: string | undefined }[] = [];
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization });
    res.writeHead(status(req.url ?? ''), { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

describe('campaign read pairs (bench/scale/read-client.ts)', () => {
  it('alternates the page and the list, and keeps the warm-up pairs out of the samples', async () => {
    const api = await fakeApi(() => 200);
    const samples = await timeReadPairs(api.url, 'tok', 'c-1', 3, 2);
    expect(samples.detail).toHaveLength(3);
    expect(samples.list).toHaveLength(3);
    expect(api.seen.map((s) => s.path)).toEqual(
      Array.from({ length: 5 }, () => ['/v1/campaigns/c-1', '/v1/campaigns?limit=25']).flat(),
    );
    expect(new Set(api.seen.map((s) => s.auth))).toEqual(new Set(['Bearer tok']));
    expect([...samples.detail, ...samples.list].every((ms) => ms >= 0)).toBe(true);
  });

  it('fails the measurement on an answer that is not 2xx', async () => {
    const api = await fakeApi((path) => (path.startsWith('/v1/campaigns?') ? 503 : 200));
    await expect(timeReadPairs(api.url, 'tok', 'c-1', 2, 0)).rejects.toThrow(/503/);
  });
});
