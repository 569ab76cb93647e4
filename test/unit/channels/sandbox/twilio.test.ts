import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../../channels/provider-errors';
import { type CaptureServer, startCaptureServer } from '../../../../channels/sandbox/capture-server';
import { type RunningSandbox, startSandbox } from '../../../../channels/sandbox/server';
import { createTwilioSmsChannel, type SmsChannel } from '../../../../channels/sms-channel';
import { createTwilioClient, type TwilioClient } from '../../../../channels/twilio-client';

const accountSid = `AC${'1'.repeat(32)}`;
const authToken = 'sandbox-auth-token';
const publicBaseUrl = 'https://campaigns.example.org';
const statusCallback = `${publicBaseUrl}/v1/webhooks/twilio/status`;
const supporter = '+19785550100';

let api: CaptureServer;
let sandbox: RunningSandbox;
let client: TwilioClient;
let sms: SmsChannel;

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}

async function caught(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

const form = (body: string) => Object.fromEntries(new URLSearchParams(body));

beforeAll(async () => {
  api = await startCaptureServer();
  sandbox = await startSandbox({
    port: 0,
    accountSid,
    authToken,
    resendWebhookSecret: `whsec_${Buffer.from('sandbox-test-secret-0123456789ab').toString('base64')}`,
    apiBaseUrl: api.url,
    publicBaseUrl,
    callbackDelayMs: 5,
  });
  client = createTwilioClient({ accountSid, authToken, baseUrl: sandbox.url });
  sms = createTwilioSmsChannel({ client, from: '+15005550006' });
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

describe('Twilio Messages API through the real SDK', () => {
  it('accepts an SMS, answers like Twilio and counts Khmer as UCS-2 segments', async () => {
    const khmer = 'ក'.repeat(71); // one past the 70-character single UCS-2 segment
    const res = await sms.send({ to: supporter, body: khmer, statusCallback });
    expect(res.providerId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(res.status).toBe('queued');
    expect(res.segments).toBe(2);

    const listed = await control('GET', `/sandbox/messages?channel=sms&to=${encodeURIComponent(supporter)}`);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({
      id: res.providerId,
      channel: 'sms',
      to: supporter,
      body: khmer,
      segments: 2,
    });
  });

  it('counts a 160-character GSM-7 text as one segment and 161 as two', async () => {
    expect((await sms.send({ to: supporter, body: 'a'.repeat(160), statusCallback })).segments).toBe(1);
    expect((await sms.send({ to: supporter, body: 'a'.repeat(161), statusCallback })).segments).toBe(2);
  });

  it('lists what was sent to a number, newest first, for reconciliation', async () => {
    const since = new Date(Date.now() - 1000);
    const first = await sms.send({ to: supporter, body: 'first', statusCallback });
    const second = await sms.send({ to: supporter, body: 'second', statusCallback });
    await sms.send({ to: '+19785550199', body: 'someone else', statusCallback });

    const sent = await sms.listSentTo({ to: supporter, since });
    expect(sent.map((m) => m.providerId)).toEqual([second.providerId, first.providerId]);
    expect(sent.map((m) => m.body)).toEqual(['second', 'first']);
    expect(sent[0]?.dateCreated).toBeInstanceOf(Date);
    expect(await sms.listSentTo({ to: supporter, since: new Date(Date.now() + 60_000) })).toEqual([]);
  });

  it('serves DateSent> filtering and paging to client.messages.list', async () => {
    const before = new Date(Date.now() - 2000);
    for (const body of ['one', 'two', 'three']) await sms.send({ to: supporter, body, statusCallback });
    await sandbox.idle(); // date_sent is set once the message is "sent"

    const all = await client.messages.list({ to: supporter, dateSentAfter: before, pageSize: 2 });
    expect(all.map((m) => m.body)).toEqual(['three', 'two', 'one']);
    const future = await client.messages.list({
      to: supporter,
      dateSentAfter: new Date(Date.now() + 60_000),
    });
    expect(future).toEqual([]);
  });

  it('rejects wrong credentials with 401 / 20003', async () => {
    const bad = createTwilioSmsChannel({
      client: createTwilioClient({ accountSid, authToken: 'wrong', baseUrl: sandbox.url }),
      from: '+15005550006',
    });
    const err = await caught(bad.send({ to: supporter, body: 'hi', statusCallback }));
    expect(err).toMatchObject({ kind: 'permanent', status: 401, code: 20003, recipientFault: false });
    expect((await control('GET', '/sandbox/stats')).body.accepted).toBe(0);
  });

  it('shows a duplicate in stats when the same text goes to the same number twice', async () => {
    await sms.send({ to: supporter, body: 'same text', statusCallback });
    expect((await control('GET', '/sandbox/stats')).body.maxPerRecipientPerBody).toBe(1);
    await sms.send({ to: supporter, body: 'same text', statusCallback });
    const stats = (await control('GET', '/sandbox/stats')).body;
    expect(stats.maxPerRecipientPerBody).toBe(2);
    expect(stats.byChannel.sms).toMatchObject({ accepted: 2, maxPerRecipientPerBody: 2 });
  });
});

describe('status callbacks and inbound messages', () => {
  it('posts sent then delivered, signed over the StatusCallback URL', async () => {
    const { providerId } = await sms.send({ to: supporter, body: 'hello', statusCallback });
    await sandbox.idle();

    const posts = api.requests.filter((r) => r.path === '/v1/webhooks/twilio/status');
    expect(posts.map((p) => form(p.body).MessageStatus)).toEqual(['sent', 'delivered']);
    for (const post of posts) {
      const params = form(post.body);
      expect(params).toMatchObject({ MessageSid: providerId, AccountSid: accountSid, To: supporter });
      const signature = post.headers['x-twilio-signature'] ?? '';
      expect(twilio.validateRequest(authToken, signature, statusCallback, params)).toBe(true);
      expect(
        twilio.validateRequest(authToken, signature, `${api.url}/v1/webhooks/twilio/status`, params),
      ).toBe(false);
      expect(twilio.validateRequest('other-token', signature, statusCallback, params)).toBe(false);
    }
    const stored = (await control('GET', '/sandbox/messages?channel=sms')).body.items[0];
    expect(stored.status).toBe('delivered');
    expect((await control('GET', '/sandbox/stats')).body.callbacksDelivered).toBe(2);
  });

  it('lists only the messages accepted after a cursor, so a poller reads what is new', async () => {
    await sms.send({ to: supporter, body: 'first', statusCallback });
    const first = (await control('GET', '/sandbox/messages?channel=sms')).body;
    expect(first.items.map((m: { body: string }) => m.body)).toEqual(['first']);
    expect(first.next).toBe(1);
    await sms.send({ to: supporter, body: 'second', statusCallback });
    const since = (await control('GET', `/sandbox/messages?channel=sms&after=${first.next}`)).body;
    expect(since.items.map((m: { body: string }) => m.body)).toEqual(['second']);
    expect(since.next).toBe(2);
    expect((await control('GET', '/sandbox/messages?after=-1')).status).toBe(400);
  });

  it('reports a bouncing number as undelivered with error 30003', async () => {
    await control('PUT', '/sandbox/faults', { bounceNumbers: [supporter] });
    await sms.send({ to: supporter, body: 'hello', statusCallback });
    await sandbox.idle();
    const last = api.requests.filter((r) => r.path === '/v1/webhooks/twilio/status').at(-1);
    expect(form(last?.body ?? '')).toMatchObject({ MessageStatus: 'undelivered', ErrorCode: '30003' });
  });

  it('posts a signed inbound SMS and returns the API answer', async () => {
    const res = await control('POST', '/sandbox/inbound', { from: supporter, body: 'STOP' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 200, contentType: 'text/xml' });
    expect(res.body.body).toContain('<Response/>');

    const post = api.requests.find((r) => r.path === '/v1/webhooks/twilio/inbound');
    const params = form(post?.body ?? '');
    expect(params).toMatchObject({
      From: supporter,
      Body: 'STOP',
      To: '+15005550006',
      AccountSid: accountSid,
    });
    expect(params.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    const signature = post?.headers['x-twilio-signature'] ?? '';
    expect(
      twilio.validateRequest(authToken, signature, `${publicBaseUrl}/v1/webhooks/twilio/inbound`, params),
    ).toBe(true);
  });

  it('rejects an invalid inbound request with field errors', async () => {
    const res = await control('POST', '/sandbox/inbound', { from: supporter });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body' })]);
  });
});

describe('fault injection on SMS', () => {
  it('answers errorStatus for errorRate 1, which the adapter reports as transient', async () => {
    await control('PUT', '/sandbox/faults', { errorRate: 1, errorStatus: 503 });
    const err = await caught(sms.send({ to: supporter, body: 'hi', statusCallback }));
    expect(err).toMatchObject({ kind: 'transient', status: 503 });
    expect((await control('GET', '/sandbox/stats')).body).toMatchObject({ accepted: 0, rejected5xx: 1 });
  });

  it('rate-limits per second with 429 / 20429 and a Retry-After the adapter passes on', async () => {
    await control('PUT', '/sandbox/faults', { rateLimitPerSec: 2, retryAfterSec: 3 });
    await sms.send({ to: supporter, body: 'one', statusCallback });
    await sms.send({ to: supporter, body: 'two', statusCallback });
    const err = await caught(sms.send({ to: supporter, body: 'three', statusCallback }));
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, code: 20429, retryAfterMs: 3000 });
    expect((await control('GET', '/sandbox/stats')).body).toMatchObject({ accepted: 2, rejected429: 1 });
  });

  it('rejects failNumbers permanently without leaking the number in the message', async () => {
    await control('PUT', '/sandbox/faults', { failNumbers: [supporter] });
    const err = await caught(sms.send({ to: supporter, body: 'hi', statusCallback }));
    expect(err).toMatchObject({ kind: 'permanent', status: 400, code: 21211, recipientFault: true });
    expect(err.message).not.toContain('9785550100');
    expect(err.message).toContain('[phone]');
    expect((await control('GET', '/sandbox/stats')).body).toMatchObject({
      accepted: 0,
      rejectedPermanent: 1,
    });
  });

  it('can answer 21610 (unsubscribed) for failNumbers', async () => {
    await control('PUT', '/sandbox/faults', { failNumbers: [supporter], failTwilioCode: 21610 });
    const err = await caught(sms.send({ to: supporter, body: 'hi', statusCallback }));
    expect(err).toMatchObject({ kind: 'permanent', code: 21610, recipientFault: true });
  });

  it('delays answers by latencyMs', async () => {
    await control('PUT', '/sandbox/faults', { latencyMs: 150 });
    const started = performance.now();
    await sms.send({ to: supporter, body: 'slow', statusCallback });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('validates faults and answers 400 with field errors', async () => {
    const res = await control('PUT', '/sandbox/faults', {
      errorRate: 2,
      rateLimitPerSec: -1,
      surprise: true,
    });
    expect(res.status).toBe(400);
    const paths = (res.body.errors as Array<{ path: string }>).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['errorRate', 'rateLimitPerSec']));
    expect((await control('GET', '/sandbox/faults')).body.errorRate).toBe(0);
  });

  it('clears faults with DELETE', async () => {
    await control('PUT', '/sandbox/faults', { errorRate: 1 });
    await control('DELETE', '/sandbox/faults');
    await expect(sms.send({ to: supporter, body: 'ok', statusCallback })).resolves.toMatchObject({
      status: 'queued',
    });
  });
});

describe('callbacks when the API is down', () => {
  it('counts failed callbacks and keeps serving', async () => {
    const down = await startCaptureServer();
    const deadUrl = down.url;
    await down.close();
    const lonely = await startSandbox({
      port: 0,
      accountSid,
      authToken,
      resendWebhookSecret: `whsec_${Buffer.from('another-secret-0123456789abcdef').toString('base64')}`,
      apiBaseUrl: deadUrl,
      publicBaseUrl: deadUrl,
      callbackDelayMs: 1,
    });
    try {
      const channel = createTwilioSmsChannel({
        client: createTwilioClient({ accountSid, authToken, baseUrl: lonely.url }),
        from: '+15005550006',
      });
      await channel.send({
        to: supporter,
        body: 'hi',
        statusCallback: `${deadUrl}/v1/webhooks/twilio/status`,
      });
      await lonely.idle();
      const stats = await (await fetch(`${lonely.url}/sandbox/stats`)).json();
      expect(stats).toMatchObject({ accepted: 1, callbackFailures: 2, callbacksDelivered: 0 });
      await expect(
        channel.send({ to: supporter, body: 'still up', statusCallback: `${deadUrl}/x` }),
      ).resolves.toMatchObject({ status: 'queued' });
    } finally {
      await lonely.close();
    }
  });
});

describe('callbacks to several API processes', () => {
  it('spreads status callbacks round-robin, signed over the one public URL', async () => {
    const [one, two] = await Promise.all([startCaptureServer(), startCaptureServer()]);
    const spread = await startSandbox({
      port: 0,
      accountSid,
      authToken,
      resendWebhookSecret: `whsec_${Buffer.from('spread-secret-0123456789abcdef0').toString('base64')}`,
      apiBaseUrl: [one.url, two.url],
      publicBaseUrl,
      callbackDelayMs: 1,
    });
    try {
      const channel = createTwilioSmsChannel({
        client: createTwilioClient({ accountSid, authToken, baseUrl: spread.url }),
        from: '+15005550006',
      });
      for (let i = 0; i < 3; i++) await channel.send({ to: supporter, body: `m${i}`, statusCallback });
      await spread.idle();
      const posts = [one, two].map((s) => s.requests.filter((r) => r.path === '/v1/webhooks/twilio/status'));
      // Six callbacks (sent and delivered for three messages), three to each process.
      expect(posts.map((p) => p.length)).toEqual([3, 3]);
      for (const post of posts.flat()) {
        const signature = post.headers['x-twilio-signature'] ?? '';
        expect(twilio.validateRequest(authToken, signature, statusCallback, form(post.body))).toBe(true);
      }
    } finally {
      await spread.close();
      await Promise.all([one.close(), two.close()]);
    }
  });
});
