import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResendEmailChannel } from '../../../channels/email-channel';
import { ProviderError } from '../../../channels/provider-errors';
import { createResendClient } from '../../../channels/resend-client';
import { startCaptureServer } from '../../../channels/sandbox/capture-server';
import { type RunningSandbox, startSandbox } from '../../../channels/sandbox/server';
import { createTwilioSmsChannel } from '../../../channels/sms-channel';
import { createTwilioClient, TwilioHttpClient } from '../../../channels/twilio-client';

const accountSid = `AC${'3'.repeat(32)}`;
const authToken = 'transport-token';
const outgoing = {
  to: 'sophea@example.org',
  from: 'ua@example.net',
  subject: 's',
  html: '<p>h</p>',
  text: 't',
  headers: {},
  idempotencyKey: 'k1',
};

let deadUrl: string;
let sandbox: RunningSandbox;

async function caught(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

beforeAll(async () => {
  const closed = await startCaptureServer();
  deadUrl = closed.url;
  await closed.close();
  sandbox = await startSandbox({
    port: 0,
    accountSid,
    authToken,
    resendWebhookSecret: `whsec_${Buffer.from('transport-secret-0123456789abcd').toString('base64')}`,
    apiBaseUrl: deadUrl,
    callbacks: false,
  });
});

afterAll(async () => {
  await sandbox?.close();
});

describe('TwilioHttpClient origin rewrite', () => {
  it('replaces Twilio’s origin and keeps path and query', () => {
    const client = new TwilioHttpClient({ baseUrl: 'http://127.0.0.1:4010' });
    expect(
      client.rewrite('https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?To=%2B1&Page=1'),
    ).toBe('http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Messages.json?To=%2B1&Page=1');
  });

  it('keeps a path prefix of the base URL and leaves URLs alone without one', () => {
    expect(
      new TwilioHttpClient({ baseUrl: 'http://h:1/twilio/' }).rewrite('https://api.twilio.com/2010-04-01/x'),
    ).toBe('http://h:1/twilio/2010-04-01/x');
    expect(new TwilioHttpClient({}).rewrite('https://api.twilio.com/2010-04-01/x')).toBe(
      'https://api.twilio.com/2010-04-01/x',
    );
  });
});

describe('unreachable and slow providers', () => {
  it('reports a refused Twilio connection as transient', async () => {
    const sms = createTwilioSmsChannel({
      client: createTwilioClient({ accountSid, authToken, baseUrl: deadUrl }),
      from: '+15005550006',
    });
    const err = await caught(sms.send({ to: '+19785550100', body: 'hi', statusCallback: 'https://x/cb' }));
    expect(err).toMatchObject({ kind: 'transient', code: 'ECONNREFUSED' });
  });

  it('reports a Twilio timeout as transient', async () => {
    await fetch(`${sandbox.url}/sandbox/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 500 }),
    });
    try {
      const sms = createTwilioSmsChannel({
        client: createTwilioClient({ accountSid, authToken, baseUrl: sandbox.url, timeoutMs: 100 }),
        from: '+15005550006',
      });
      const err = await caught(sms.send({ to: '+19785550100', body: 'hi', statusCallback: 'https://x/cb' }));
      expect(err.kind).toBe('transient');
      const resend = createResendEmailChannel({
        client: createResendClient({ apiKey: 're_x', baseUrl: sandbox.url }),
        timeoutMs: 100,
      });
      expect((await caught(resend.send(outgoing))).kind).toBe('transient');
    } finally {
      await fetch(`${sandbox.url}/sandbox/faults`, { method: 'DELETE' });
    }
  });

  it('reports a refused Resend connection as transient', async () => {
    const email = createResendEmailChannel({
      client: createResendClient({ apiKey: 're_x', baseUrl: deadUrl }),
    });
    const err = await caught(email.send(outgoing));
    expect(err).toMatchObject({ kind: 'transient' });
    expect(err.status).toBeUndefined();
  });

  it('needs a sender for SMS', () => {
    const client = createTwilioClient({ accountSid, authToken, baseUrl: deadUrl });
    expect(() => createTwilioSmsChannel({ client })).toThrow(/from number or a messaging service/);
  });

  it('sends through a messaging service when given one', async () => {
    const sms = createTwilioSmsChannel({
      client: createTwilioClient({ accountSid, authToken, baseUrl: sandbox.url }),
      messagingServiceSid: `MG${'4'.repeat(32)}`,
    });
    const res = await sms.send({ to: '+19785550100', body: 'via service', statusCallback: 'https://x/cb' });
    expect(res.status).toBe('accepted');
    const listed = (await (await fetch(`${sandbox.url}/sandbox/messages?channel=sms`)).json()) as {
      items: unknown[];
    };
    expect(listed.items.at(-1)).toMatchObject({ id: res.providerId, from: null });
  });
});
