import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  batchIdempotencyKey,
  createResendEmailChannel,
  type EmailChannel,
  type OutgoingEmail,
} from '../../../../channels/email-channel';
import { ProviderError } from '../../../../channels/provider-errors';
import { createResendClient } from '../../../../channels/resend-client';
import {
  type CapturedRequest,
  type CaptureServer,
  startCaptureServer,
} from '../../../../channels/sandbox/capture-server';
import { type RunningSandbox, startSandbox } from '../../../../channels/sandbox/server';

const resendWebhookSecret = `whsec_${Buffer.from('resend-sandbox-secret-0123456789').toString('base64')}`;
const apiKey = 're_sandbox_key';

let api: CaptureServer;
let sandbox: RunningSandbox;
let email: EmailChannel;

function mail(n: number, overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    to: `supporter${n}@example.org`,
    from: 'Urgent Action <ua@example.net>',
    subject: 'Free the detained activist',
    html: `<p>Act now ${n}</p>`,
    text: `Act now ${n}`,
    headers: { 'List-Unsubscribe': `<https://example.net/u/${n}>` },
    idempotencyKey: `stage-1:supporter-${n}:email`,
    ...overrides,
  };
}

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function caught(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

/** Resend signs with svix-* headers; the Standard Webhooks verifier reads webhook-*. */
function verify(req: CapturedRequest) {
  return new Webhook(resendWebhookSecret).verify(req.body, {
    'webhook-id': req.headers['svix-id'] ?? '',
    'webhook-timestamp': req.headers['svix-timestamp'] ?? '',
    'webhook-signature': req.headers['svix-signature'] ?? '',
  }) as { type: string; data: { email_id: string; to: string[] } };
}

beforeAll(async () => {
  api = await startCaptureServer();
  sandbox = await startSandbox({
    port: 0,
    accountSid: `AC${'2'.repeat(32)}`,
    authToken: 'unused',
    resendWebhookSecret,
    resendApiKey: apiKey,
    apiBaseUrl: api.url,
    callbackDelayMs: 5,
  });
  email = createResendEmailChannel({ client: createResendClient({ apiKey, baseUrl: sandbox.url }) });
});

afterAll(async () => {
  await sandbox?.close();
  await api?.close();
});

beforeEach(async () => {
  await control('DELETE', '/sandbox/messages');
  await control('DELETE', '/sandbox/faults');
  api.clear();
});

describe('Resend Emails API through the real SDK', () => {
  it('sends one email with its headers', async () => {
    const { providerId } = await email.send(mail(1));
    expect(providerId).toMatch(/^[0-9a-f-]{36}$/);
    const items = (await control('GET', '/sandbox/messages?channel=email&to=supporter1@example.org')).body
      .items;
    expect(items).toEqual([
      expect.objectContaining({
        id: providerId,
        channel: 'email',
        to: 'supporter1@example.org',
        subject: 'Free the detained activist',
        text: 'Act now 1',
        html: '<p>Act now 1</p>',
        headers: { 'List-Unsubscribe': '<https://example.net/u/1>' },
      }),
    ]);
  });

  it('answers the same idempotency key with the same id and sends nothing new', async () => {
    const first = await email.send(mail(1));
    const again = await email.send(mail(1));
    expect(again.providerId).toBe(first.providerId);
    expect((await control('GET', '/sandbox/stats')).body).toMatchObject({
      accepted: 1,
      maxPerRecipientPerBody: 1,
    });
  });

  it('answers 409 for the same key with a different body', async () => {
    await email.send(mail(1));
    const err = await caught(email.send(mail(1, { subject: 'Another subject' })));
    expect(err).toMatchObject({ kind: 'permanent', status: 409, code: 'invalid_idempotent_request' });
  });

  it('shows a duplicate when the same email goes out twice under different keys', async () => {
    await email.send(mail(1));
    await email.send(mail(1, { idempotencyKey: 'a-retry-without-the-same-key' }));
    expect((await control('GET', '/sandbox/stats')).body.byChannel.email).toMatchObject({
      accepted: 2,
      maxPerRecipientPerBody: 2,
    });
  });

  it('sends a batch under one key derived from the items, and replays it', async () => {
    const batch = [mail(1), mail(2), mail(3)];
    const ids = await email.sendBatch(batch);
    expect(ids).toHaveLength(3);
    const items = (await control('GET', '/sandbox/messages?channel=email')).body.items as Array<{
      id: string;
      to: string;
    }>;
    expect(items.map((i) => i.to)).toEqual([
      'supporter1@example.org',
      'supporter2@example.org',
      'supporter3@example.org',
    ]);
    expect(items.map((i) => i.id)).toEqual(ids.map((i) => i.providerId));

    expect(await email.sendBatch(batch)).toEqual(ids);
    expect((await control('GET', '/sandbox/stats')).body.accepted).toBe(3);
    expect(batchIdempotencyKey(batch)).toBe(batchIdempotencyKey([mail(1), mail(2), mail(3)]));
    expect(batchIdempotencyKey(batch)).not.toBe(batchIdempotencyKey([mail(2), mail(1), mail(3)]));
  });

  it('uses the caller-given batch key when there is one', async () => {
    const ids = await email.sendBatch([mail(1)], 'batch-key-from-caller');
    const err = await caught(email.sendBatch([mail(2)], 'batch-key-from-caller'));
    expect(err.status).toBe(409);
    expect(await email.sendBatch([mail(1)], 'batch-key-from-caller')).toEqual(ids);
  });

  it('refuses more than 100 emails in a batch before calling Resend', async () => {
    const many = Array.from({ length: 101 }, (_, i) => mail(i));
    await expect(email.sendBatch(many)).rejects.toBeInstanceOf(RangeError);
    expect(await email.sendBatch([])).toEqual([]);
  });

  it('rejects a wrong API key with 403', async () => {
    const other = createResendEmailChannel({
      client: createResendClient({ apiKey: 're_wrong', baseUrl: sandbox.url }),
    });
    const err = await caught(other.send(mail(1)));
    expect(err).toMatchObject({
      kind: 'permanent',
      status: 403,
      code: 'invalid_api_key',
      recipientFault: false,
    });
  });
});

describe('Resend webhooks', () => {
  it('posts email.sent then email.delivered, signed with the svix scheme', async () => {
    const { providerId } = await email.send(mail(1));
    await sandbox.idle();
    const posts = api.requests.filter((r) => r.path === '/v1/webhooks/resend');
    const events = posts.map(verify);
    expect(events.map((e) => e.type)).toEqual(['email.sent', 'email.delivered']);
    expect(events[0]?.data).toMatchObject({ email_id: providerId, to: ['supporter1@example.org'] });

    const tampered = { ...posts[0]!, body: posts[0]!.body.replace('email.sent', 'email.bounced') };
    expect(() => verify(tampered)).toThrow();
  });

  it('posts email.bounced for a bouncing address', async () => {
    await control('PUT', '/sandbox/faults', { bounceNumbers: ['supporter1@example.org'] });
    await email.send(mail(1));
    await sandbox.idle();
    const types = api.requests.filter((r) => r.path === '/v1/webhooks/resend').map((r) => verify(r).type);
    expect(types).toEqual(['email.sent', 'email.bounced']);
  });
});

describe('fault injection on email', () => {
  it('answers 500 for errorRate 1 (transient) and does not cache it under the key', async () => {
    await control('PUT', '/sandbox/faults', { errorRate: 1 });
    const err = await caught(email.send(mail(1)));
    expect(err).toMatchObject({ kind: 'transient', status: 500 });
    await control('DELETE', '/sandbox/faults');
    await expect(email.send(mail(1))).resolves.toMatchObject({ providerId: expect.any(String) });
    expect((await control('GET', '/sandbox/stats')).body).toMatchObject({ accepted: 1, rejected5xx: 1 });
  });

  it('rate-limits with 429 and Retry-After, read from the SDK result headers', async () => {
    await control('PUT', '/sandbox/faults', { rateLimitPerSec: 1, retryAfterSec: 2 });
    await email.send(mail(1));
    const err = await caught(email.send(mail(2)));
    expect(err).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      code: 'rate_limit_exceeded',
      retryAfterMs: 2000,
    });
    expect((await control('GET', '/sandbox/stats')).body.byChannel.email).toMatchObject({
      accepted: 1,
      rejected429: 1,
    });
  });

  it('keeps SMS and email rate limits apart', async () => {
    await control('PUT', '/sandbox/faults', { rateLimitPerSec: 1 });
    await email.send(mail(1));
    const sms = await fetch(`${sandbox.url}/2010-04-01/Accounts/AC${'2'.repeat(32)}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`AC${'2'.repeat(32)}:unused`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ To: '+19785550100', From: '+15005550006', Body: 'hi' }).toString(),
    });
    expect(sms.status).toBe(201);
  });

  it('rejects failNumbers with 422 (permanent) and keeps the address out of the message', async () => {
    await control('PUT', '/sandbox/faults', { failNumbers: ['supporter2@example.org'] });
    const err = await caught(email.send(mail(2)));
    expect(err).toMatchObject({
      kind: 'permanent',
      status: 422,
      code: 'validation_error',
      recipientFault: true,
    });
    expect(err.message).not.toContain('supporter2');
    const batchErr = await caught(email.sendBatch([mail(1), mail(2)]));
    expect(batchErr.status).toBe(422);
    expect((await control('GET', '/sandbox/stats')).body).toMatchObject({
      accepted: 0,
      rejectedPermanent: 2,
    });
  });
});
