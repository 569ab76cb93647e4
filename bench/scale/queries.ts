import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { timeReadPairs } from './read-pairs';
import { scalePhone } from './seed-million';
import { type Latency, summarize, timeCalls } from './timing';

/** The organizer-facing reads the scale phase times, each with its p95 target (ms). */
export const TARGETS_MS = {
  preview: 250,
  search: 50,
  campaignDetail: 100,
  campaignList: 100,
} as const;

const NAME_FRAGMENTS = ['soph', 'vann', 'chen', 'rith', 'kosal', 'heng', 'meas', 'nguo', 'samn', 'leak'];
const TAGS = ['lawyers', 'students', 'press', 'lowell', 'monks', 'melbourne'];

const get = (apiUrl: string, token: string, path: string) =>
  fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

/**
 * GET /v1/supporters four ways, `calls` times each with varying terms drawn from what the seed wrote
 * (so most searches find someone): a name fragment, an email local part, seven phone digits, a tag.
 */
export async function timeSearches(
  apiUrl: string,
  token: string,
  supporters: number,
  calls: number,
): Promise<Record<'name' | 'email' | 'phone' | 'tag', Latency>> {
  // Row numbers spread over the organization (a multiplicative step, deterministic).
  const row = (k: number) => 1 + ((k * 7_919 + 104_729) % supporters);
  const search = (q: Record<string, string>) =>
    get(apiUrl, token, `/v1/supporters?${new URLSearchParams({ ...q, limit: '25' })}`);
  return {
    name: await timeCalls(calls, (k) => search({ q: NAME_FRAGMENTS[k % NAME_FRAGMENTS.length]! })),
    // Local parts end in the row number: "<first>.<last><i>@"; searching "<last><i>@" as a user would.
    email: await timeCalls(calls, (k) => search({ q: `${row(k)}@example.org` })),
    phone: await timeCalls(calls, (k) => search({ q: scalePhone(row(k)).slice(-7) })),
    tag: await timeCalls(calls, (k) => search({ tag: TAGS[k % TAGS.length]! })),
  };
}

/**
 * POST /v1/campaigns/preview over the whole organization with a tag include/exclude, `calls` times:
 * `body(k)` gives the k-th call's body (the same rule again, or a new one each call).
 */
export async function timePreview(
  apiUrl: string,
  token: string,
  body: (k: number) => unknown,
  calls: number,
) {
  return timeCalls(calls, (k) =>
    fetch(`${apiUrl}/v1/campaigns/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body(k)),
    }),
  );
}

/** The unmeasured pair a fresh read-client process makes first (its connection, fetch's first use). */
const READ_CLIENT_WARM_UP = 1;

/**
 * GET /v1/campaigns/:id and GET /v1/campaigns, alternated, `calls` times each, during the stage:
 * first from a process of its own (bench/scale/read-client.ts, the figures with a target: what an
 * organizer's browser sees), then from this process, which also runs the provider sandbox (`inHarness`,
 * as runs before issue 18w measured them: its event loop also waits behind the sandbox's sends
 * and status callbacks).
 */
export async function timeCampaignReads(apiUrl: string, token: string, campaignId: string, calls: number) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/scale/read-client.ts',
      apiUrl,
      campaignId,
      String(calls),
      String(READ_CLIENT_WARM_UP),
    ],
    { env: { ...process.env, BENCH_TOKEN: token }, encoding: 'utf8' },
  );
  const own = JSON.parse(stdout) as { detail: number[]; list: number[] };
  const inHarness = await timeReadPairs(apiUrl, token, campaignId, calls, 0);
  return {
    detail: summarize(own.detail),
    list: summarize(own.list),
    inHarness: { detail: summarize(inHarness.detail), list: summarize(inHarness.list) },
  };
}
