import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createLogger } from '../../core/logger';
import { payloadKeys, publicBaseUrl } from '../../core/runtime';
import { createDeliveredSupporter, twilioRequest } from '../support/fixtures';
import { twilioSid } from '../support/generators';
import { type Service, startService } from '../support/service';

// The Twilio status callback as the running API answers it: on Node's listener, before Hono
// (api/twilio-status-fast-path.ts). Each refusal the Hono route gives, this path gives too.

const STATUS = '/v1/webhooks/twilio/status';

let svc: Service;
beforeAll(async () => {
  svc = await startService({ roles: [] });
});
afterAll(async () => {
  await svc?.stop();
});

const signedUrl = (path: string) => `${publicBaseUrl(svc.config)}${path}`;

function post(base: string, path: string, params: Record<string, string>, init: RequestInit = {}) {
  const req = twilioRequest(svc.config.TWILIO_AUTH_TOKEN!, signedUrl(path), params);
  return fetch(`${base}${path}`, { ...req, ...init, headers: { ...req.headers, ...init.headers } });
}

async function problem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as { code: string; status: number; errors?: Array<{ path: string }> };
  expect(body.code).toBe(code);
  expect(body.status).toBe(status);
  return body;
}

describe('Twilio status callbacks on the fast path', () => {
  it('moves the delivery forward and answers 204 with the request id', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    const sid = twilioSid();
    await svc.sql`update deliveries set status = 'accepted', provider_id = ${sid} where id = ${f.sms.id}`;
    const path = `${STATUS}?d=${f.sms.id}`;
    const res = await post(
      svc.apiUrl,
      path,
      { MessageSid: sid, MessageStatus: 'delivered' },
      {
        headers: { 'x-request-id': 'twilio-retry-7' },
      },
    );
    expect(res.status).toBe(204);
    expect(res.headers.get('x-request-id')).toBe('twilio-retry-7');
    // Answered before Hono, whose secure headers would have added X-Frame-Options.
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const [row] = await svc.sql<{ status: string }[]>`select status from deliveries where id = ${f.sms.id}`;
    expect(row!.status).toBe('delivered');
    // Forward only: a late 'sent' leaves it delivered.
    expect((await post(svc.apiUrl, path, { MessageSid: sid, MessageStatus: 'sent' })).status).toBe(204);
    const [after] = await svc.sql<{ status: string }[]>`select status from deliveries where id = ${f.sms.id}`;
    expect(after!.status).toBe('delivered');
  });

  it('refuses what the Hono route refuses, as problem+json', async () => {
    const params = { MessageSid: twilioSid(), MessageStatus: 'sent' };
    const unsigned = await fetch(`${svc.apiUrl}${STATUS}`, {
      ...twilioRequest(svc.config.TWILIO_AUTH_TOKEN!, signedUrl(STATUS), params, { signature: null }),
    });
    await problem(unsigned, 403, 'forbidden');
    // Signed over another URL (the delivery id is part of what Twilio signs).
    const moved = await fetch(`${svc.apiUrl}${STATUS}?d=2`, {
      ...twilioRequest(svc.config.TWILIO_AUTH_TOKEN!, signedUrl(`${STATUS}?d=1`), params),
    });
    await problem(moved, 403, 'forbidden');
    const json = await post(svc.apiUrl, STATUS, params, { headers: { 'content-type': 'application/json' } });
    await problem(json, 415, 'unsupported-media-type');
    const missing = await post(svc.apiUrl, STATUS, { MessageSid: params.MessageSid });
    const body = await problem(missing, 400, 'invalid-input');
    expect(body.errors?.map((e) => e.path)).toContain('MessageStatus');
  });

  it('refuses a body over the limit, declared or streamed, and closes the connection', async () => {
    const big = `MessageSid=SM1&Body=${'x'.repeat(300 * 1024)}`;
    const declared = await fetch(`${svc.apiUrl}${STATUS}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: big,
    });
    await problem(declared, 413, 'payload-too-large');
    expect(declared.headers.get('connection')).toBe('close');
    const streamed = await fetch(`${svc.apiUrl}${STATUS}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    await problem(streamed, 413, 'payload-too-large');
  });

  it('shares the webhooks rate limit with the routes Hono answers', async () => {
    const config = { ...svc.config, RATE_LIMIT_WEBHOOK_PER_IP_PER_MIN: 2 };
    const app = createApp({
      sql: svc.sql,
      temporal: svc.temporal,
      config,
      log: createLogger({ level: 'silent', name: 'test' }),
      keys: payloadKeys(config),
      publicBaseUrl: publicBaseUrl(config),
    });
    const server = serve({
      fetch: app.fetch,
      createServer: app.createServer,
      hostname: '127.0.0.1',
      port: 0,
    });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const params = { MessageSid: twilioSid(), MessageStatus: 'queued' };
      expect((await post(base, STATUS, params)).status).toBe(204);
      // The inbound webhook goes through Hono: the same bucket.
      const inbound = await fetch(`${base}/v1/webhooks/twilio/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'From=%2B19785550100',
      });
      expect(inbound.status).toBe(403);
      const limited = await post(base, STATUS, params);
      await problem(limited, 429, 'rate-limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
