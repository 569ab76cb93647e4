import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { TokenBuckets, webhookPerMinute } from '../../api/middleware/rate-limit';
import type { Config } from '../../core/config';
import { createLogger } from '../../core/logger';
import { payloadKeys, publicBaseUrl } from '../../core/runtime';
import { createToken } from '../../db/tenants';
import { type Service, startService } from '../support/service';

// biome-ignore lint/suspicious/noExplicitAny: log lines are arbitrary JSON read field by field
type LogLine = Record<string, any>;

let svc: Service;
beforeAll(async () => {
  svc = await startService({ roles: [] });
});
afterAll(async () => {
  await svc?.stop();
});

/** The service's app with its own config overrides and a logger whose JSON lines are kept. */
function buildApp(
  overrides: Partial<Config> = {},
  opts: { mount?: (app: ReturnType<typeof createApp>) => void } = {},
) {
  const raw: string[] = [];
  const config = { ...svc.config, LOG_LEVEL: 'info' as const, ...overrides };
  const log = createLogger({
    level: 'info',
    name: 'protection',
    destination: { write: (s: string) => raw.push(s) },
  });
  const app = createApp({
    sql: svc.sql,
    temporal: svc.temporal,
    config,
    log,
    keys: payloadKeys(config),
    publicBaseUrl: publicBaseUrl(config),
  });
  opts.mount?.(app);
  return { app, raw, lines: () => raw.map((l) => JSON.parse(l) as LogLine) };
}

/** A fixed client address for app.request(), as the Node server would provide it. */
const fromIp = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

async function expectProblem(res: Response, status: number): Promise<LogLine> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type'), text).toContain('application/problem+json');
  const body = JSON.parse(text) as LogLine;
  expect(body, text).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  return body;
}

/** The app with kept logs, listening on its own port (its own connection pool in fetch). */
function serveApp() {
  const state = { base: '', close: async () => {} };
  beforeAll(async () => {
    const { app } = buildApp();
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(() => state.close());
  const post = (path: string, body: RequestInit['body'], headers: Record<string, string> = {}) =>
    fetch(`${state.base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svc.token}`, 'content-type': 'application/json', ...headers },
      body,
    });
  return { state, post };
}

// An early 413 leaves the rest of the body unread and the kept-alive socket unusable: a server of its own.
describe('protection: body size', () => {
  const { state, post } = serveApp();
  it('answers a body over the limit with 413, with or without a content-length', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(300 * 1024), email: 'big@example.org' });
    const declared = await expectProblem(await post('/v1/supporters', big), 413);
    expect(declared.title).toBe('Payload too large');

    // A streamed body has no content-length: the limit must still hold while reading.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(10_000)));
        controller.close();
      },
    });
    const streamed = await fetch(`${state.base}/v1/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svc.token}`, 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    await expectProblem(streamed, 413);
  });
});

describe('protection: bad requests over the wire', () => {
  const { state, post } = serveApp();
  const base = () => state.base;

  it('answers a body that is not JSON with 415 on every JSON route', async () => {
    for (const path of ['/v1/supporters', '/v1/campaigns', '/v1/campaigns/preview']) {
      const res = await post(path, 'name=Sophea', { 'content-type': 'application/x-www-form-urlencoded' });
      const body = await expectProblem(res, 415);
      expect(body.title, path).toBe('Unsupported media type');
    }
  });

  it('answers malformed JSON with 400', async () => {
    for (const path of ['/v1/supporters', '/v1/campaigns', '/v1/campaigns/preview']) {
      await expectProblem(await post(path, '{"name":'), 400);
    }
  });

  it('names an unknown field in a 400', async () => {
    const supporter = await expectProblem(
      await post('/v1/supporters', JSON.stringify({ email: 'u@example.org', favouriteColour: 'red' })),
      400,
    );
    expect(supporter.errors.map((e: { path: string }) => e.path)).toContain('favouriteColour');

    const campaign = await expectProblem(
      await post(
        '/v1/campaigns',
        JSON.stringify({
          kind: 'custom',
          title: 'Unknown field',
          content: { en: { sms: 'hi' } },
          stages: [{ key: 'alert', at: { after: 'P30D' }, colour: 'red' }],
        }),
      ),
      400,
    );
    expect(JSON.stringify(campaign.errors)).toContain('colour');
  });

  it('answers every kind of refusal as problem+json with type, title and status', async () => {
    const noAuth = await fetch(`${base()}/v1/campaigns`);
    await expectProblem(noAuth, 401);
    const { token: partner } = await createToken(svc.sql, { orgId: svc.orgId, role: 'partner' });
    await expectProblem(
      await fetch(`${base()}/v1/campaigns`, { headers: { authorization: `Bearer ${partner}` } }),
      403,
    );
    await expectProblem(await fetch(`${base()}/no/such/route`), 404);
    await expectProblem(
      await fetch(`${base()}/v1/campaigns/not-a-uuid`, { headers: { authorization: `Bearer ${svc.token}` } }),
      400,
    );
    await expectProblem(await fetch(`${base()}/a/${randomBytes(24).toString('base64url')}`), 404);
  });
});

describe('protection: rate limits', () => {
  it('limits each token on /v1 and answers 429 with Retry-After', async () => {
    const { app } = buildApp({ RATE_LIMIT_PER_TOKEN_PER_MIN: 3 });
    const { token: other } = await createToken(svc.sql, { orgId: svc.orgId, role: 'organizer' });
    const get = (token: string) =>
      app.request('/v1/campaigns', { headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 3; i++) expect((await get(svc.token)).status).toBe(200);
    const limited = await get(svc.token);
    const body = await expectProblem(limited, 429);
    expect(body.title).toBe('Too many requests');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, String(retryAfter)).toBe(
      true,
    );
    expect((await get(other)).status, 'another token has its own allowance').toBe(200);
  });

  it('limits supporter links per client address', async () => {
    const { app } = buildApp({ RATE_LIMIT_PER_IP_PER_MIN: 2 });
    const link = () => `/u/${randomBytes(24).toString('base64url')}`;
    const a = fromIp('203.0.113.7');
    expect((await app.request(link(), {}, a)).status).toBe(404);
    expect((await app.request(`/a/${randomBytes(24).toString('base64url')}`, {}, a)).status).toBe(404);
    const limited = await app.request(link(), { method: 'POST' }, a);
    await expectProblem(limited, 429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await app.request(link(), {}, fromIp('198.51.100.4'))).status, 'another address').toBe(404);
  });

  it('limits webhooks per client address, separately from links', async () => {
    const { app } = buildApp({ RATE_LIMIT_WEBHOOK_PER_IP_PER_MIN: 2, RATE_LIMIT_PER_IP_PER_MIN: 100 });
    const ip = fromIp('192.0.2.10');
    const callback = () =>
      app.request(
        '/v1/webhooks/twilio/status',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'MessageSid=SM1',
        },
        ip,
      );
    expect((await callback()).status, 'unsigned: refused by signature').toBe(403);
    expect((await callback()).status).toBe(403);
    await expectProblem(await callback(), 429);
    expect((await app.request(`/u/${randomBytes(24).toString('base64url')}`, {}, ip)).status).toBe(404);
  });

  it('limits /v1 calls without a token per client address', async () => {
    const { app } = buildApp({ RATE_LIMIT_PER_IP_PER_MIN: 2 });
    const ip = fromIp('192.0.2.77');
    expect((await app.request('/v1/campaigns', {}, ip)).status).toBe(401);
    expect((await app.request('/v1/supporters/00000000-0000-4000-8000-000000000000', {}, ip)).status).toBe(
      401,
    );
    await expectProblem(await app.request('/v1/campaigns', {}, ip), 429);
  });

  it('limits console sign-in attempts per client address', async () => {
    const { app } = buildApp({ RATE_LIMIT_PER_IP_PER_MIN: 2 });
    const ip = fromIp('192.0.2.91');
    const signIn = () =>
      app.request(
        '/console/login',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'token=ua_org_guess',
        },
        ip,
      );
    expect((await signIn()).status).not.toBe(429);
    expect((await signIn()).status).not.toBe(429);
    await expectProblem(await signIn(), 429);
    expect(
      (await app.request('/console/login', {}, ip)).status,
      'the sign-in page itself is not limited',
    ).not.toBe(429);
  });

  it('keeps the webhook allowance generous for the configured send rates', () => {
    expect(
      webhookPerMinute({ ...svc.config, RATE_LIMIT_WEBHOOK_PER_IP_PER_MIN: undefined }),
    ).toBeGreaterThanOrEqual(3 * (svc.config.SMS_RATE_PER_SEC + svc.config.EMAIL_RATE_PER_SEC) * 60);
    expect(webhookPerMinute({ ...svc.config, RATE_LIMIT_WEBHOOK_PER_IP_PER_MIN: 42 })).toBe(42);
  });

  it('refills a bucket evenly: a refused key may go again after Retry-After', () => {
    let now = 1_000_000;
    const buckets = new TokenBuckets(60, () => now);
    for (let i = 0; i < 60; i++) expect(buckets.take('k').ok).toBe(true);
    const refused = buckets.take('k');
    expect(refused).toEqual({ ok: false, retryAfterSec: 1 });
    now += 1_000;
    expect(buckets.take('k').ok).toBe(true);
    expect(buckets.take('k').ok).toBe(false);
    now += 120_000;
    buckets.take('other');
    expect(buckets.size, 'idle full buckets are forgotten').toBe(1);
  });
});

describe('protection: unexpected errors and logs', () => {
  it('answers an unexpected error with 500 and the request id, without internals', async () => {
    const { app, lines } = buildApp(
      {},
      {
        mount: (a) =>
          a.get('/boom', () => {
            throw new Error('db password is hunter2 at /srv/secret.ts:12');
          }),
      },
    );
    const res = await app.request('/boom');
    const text = await res.clone().text();
    const body = await expectProblem(res, 500);
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    expect(body.detail).toContain(requestId);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('secret.ts');
    const logged = lines().find((l) => l.msg === 'unhandled error');
    expect(logged, JSON.stringify(lines())).toMatchObject({
      requestId,
      err: { message: expect.stringContaining('hunter2') },
    });
    expect(lines().find((l) => l.msg === 'request')).toMatchObject({
      requestId,
      route: '/boom',
      status: 500,
    });
  });

  it('logs one line per request with route pattern, status and duration, and no contact detail', async () => {
    const { app, raw, lines } = buildApp();
    const phone = `+1617555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
    const email = `Log.Check.${randomBytes(4).toString('hex')}@Example.org`;
    const auth = { authorization: `Bearer ${svc.token}`, 'content-type': 'application/json' };
    const call = (path: string, init: RequestInit = {}) =>
      app.request(path, { ...init, headers: { ...auth, ...(init.headers as Record<string, string>) } });

    const created = await call('/v1/supporters', {
      method: 'POST',
      body: JSON.stringify({ name: 'Sophea Log', phone, email, consent: { sms: true, email: true } }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const requests: Array<[string, RequestInit?]> = [
      [`/v1/supporters/${id}`],
      ['/v1/supporters', { method: 'POST', body: JSON.stringify({ phone, email, tags: ['log'] }) }],
      ['/v1/supporters', { method: 'POST', body: JSON.stringify({ phone, email, locale: 'fr' }) }],
      ['/v1/supporters', { method: 'POST', body: `{"phone":"${phone}","email":"${email}"` }],
      [`/a/${randomBytes(24).toString('base64url')}`],
      [`/u/${randomBytes(24).toString('base64url')}`, { method: 'POST' }],
      [`/v1/supporters/${id}`, { method: 'DELETE' }],
    ];
    for (const [path, init] of requests) await call(path, init);

    const access = lines().filter((l) => l.msg === 'request');
    expect(access).toHaveLength(requests.length + 1);
    expect(new Set(access.map((l) => l.requestId)).size).toBe(access.length);
    expect(access.map((l) => l.route)).toEqual([
      '/v1/supporters',
      '/v1/supporters/:id',
      '/v1/supporters',
      '/v1/supporters',
      '/v1/supporters',
      '/a/:token',
      '/u/:token',
      '/v1/supporters/:id',
    ]);
    expect(access.map((l) => l.status)).toEqual([201, 200, 200, 400, 400, 404, 404, 204]);
    for (const l of access) {
      expect(typeof l.durationMs).toBe('number');
      expect(l.authorization).toBe('[redacted]');
    }
    const all = raw.join('\n');
    for (const secret of [phone, phone.slice(2), email, email.toLowerCase(), svc.token, id]) {
      expect(all, `logs contain ${secret}`).not.toContain(secret);
    }
  });
});
