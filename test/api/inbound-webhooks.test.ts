import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicBaseUrl } from '../../core/runtime';
import {
  createDeliveredSupporter,
  createDelivery,
  createOrg,
  createStageRun,
  createSupporter,
  randomPhone,
  resendRequest,
  twilioRequest,
  twilioSid,
} from '../support/fixtures';
import { type Service, startService } from '../support/service';

const STATUS = '/v1/webhooks/twilio/status';
const INBOUND = '/v1/webhooks/twilio/inbound';
const RESEND = '/v1/webhooks/resend';

let svc: Service;
let authToken: string;
let resendSecret: string;
let base: string;

beforeAll(async () => {
  svc = await startService({ roles: [] });
  authToken = svc.config.TWILIO_AUTH_TOKEN!;
  resendSecret = svc.config.RESEND_WEBHOOK_SECRET!;
  base = publicBaseUrl(svc.config);
});
afterAll(async () => {
  await svc?.stop();
});

async function send(path: string, init: RequestInit) {
  const res = await svc.app.request(path, init);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

const statusCallback = (sid: string, status: string, extra: Record<string, string> = {}) =>
  send(
    STATUS,
    twilioRequest(authToken, `${base}${STATUS}`, {
      AccountSid: svc.config.TWILIO_ACCOUNT_SID ?? 'AC0',
      MessageSid: sid,
      MessageStatus: status,
      ...extra,
    }),
  );

const inbound = (from: string, body: string, sid = twilioSid()) =>
  send(
    INBOUND,
    twilioRequest(authToken, `${base}${INBOUND}`, {
      MessageSid: sid,
      From: from,
      To: '+15005550006',
      Body: body,
    }),
  );

const resend = (
  type: string,
  data: Record<string, unknown>,
  opts: Parameters<typeof resendRequest>[2] = {},
) => {
  const req = resendRequest(resendSecret, { type, created_at: new Date().toISOString(), data }, opts);
  return send(RESEND, req).then((res) => ({ ...res, id: req.id }));
};

async function deliveryStatus(id: string) {
  const [row] = await svc.sql<{ status: string; error_code: string | null }[]>`
    select status, error_code from deliveries where id = ${id}`;
  return row!;
}

async function supporter(id: string) {
  const [row] = await svc.sql<
    {
      sms_opted_out_at: Date | null;
      email_opted_out_at: Date | null;
      sms_suppressed_reason: string | null;
      email_suppressed_reason: string | null;
      sms_consent: boolean;
    }[]
  >`select sms_opted_out_at, email_opted_out_at, sms_suppressed_reason, email_suppressed_reason, sms_consent
    from supporters where id = ${id}`;
  return row!;
}

const doneEvents = (campaignId: string, supporterId: string) =>
  svc.sql`select source from action_events where campaign_id = ${campaignId} and supporter_id = ${supporterId}
    and kind = 'done'`;

describe('twilio status callbacks', () => {
  it('moves the delivery forward, and a late "sent" does not undo "delivered"', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    const sent = await statusCallback(f.sms.providerId, 'sent');
    expect(sent.status, sent.text).toBe(204);
    expect((await deliveryStatus(f.sms.id)).status).toBe('sent');
    await statusCallback(f.sms.providerId, 'delivered');
    expect((await deliveryStatus(f.sms.id)).status).toBe('delivered');
    await statusCallback(f.sms.providerId, 'sent');
    await statusCallback(f.sms.providerId, 'queued');
    expect((await deliveryStatus(f.sms.id)).status).toBe('delivered');
    expect((await deliveryStatus(f.email.id)).status, 'the email of the same run is untouched').toBe(
      'accepted',
    );
  });

  it('treats ErrorCode 21610 as an SMS opt-out and a dead number as suppressed, leaving email alone', async () => {
    const stopped = await createDeliveredSupporter(svc.sql);
    await statusCallback(stopped.sms.providerId, 'failed', { ErrorCode: '21610' });
    expect(await deliveryStatus(stopped.sms.id)).toEqual({ status: 'failed', error_code: '21610' });
    const s1 = await supporter(stopped.supporterId);
    expect(s1.sms_opted_out_at).not.toBeNull();
    expect(s1.email_opted_out_at).toBeNull();

    const dead = await createDeliveredSupporter(svc.sql);
    await statusCallback(dead.sms.providerId, 'undelivered', { ErrorCode: '30005' });
    expect(await deliveryStatus(dead.sms.id)).toEqual({ status: 'undelivered', error_code: '30005' });
    expect(await supporter(dead.supporterId)).toMatchObject({
      sms_suppressed_reason: '30005',
      sms_opted_out_at: null,
    });

    const switchedOff = await createDeliveredSupporter(svc.sql);
    await statusCallback(switchedOff.sms.providerId, 'undelivered', { ErrorCode: '30003' });
    expect(await supporter(switchedOff.supporterId)).toMatchObject({
      sms_suppressed_reason: null,
      sms_opted_out_at: null,
    });
  });

  it('accepts callbacks for messages it does not know without changing anything', async () => {
    const res = await statusCallback(twilioSid(), 'delivered');
    expect(res.status, res.text).toBe(204);
  });
});

describe('inbound SMS keywords', () => {
  // Twilio confirms its own keywords; ours (ឈប់) get our confirmation (test/api/inbound-answers.test.ts).
  it.each([
    ['STOP', false],
    ['ឈប់', true],
    [' stop! ', false],
    ['Unsubscribe.', false],
  ])('opts the phone out on %j (with a confirmation of ours: %j)', async (body, confirmed) => {
    const f = await createDeliveredSupporter(svc.sql);
    const res = await inbound(f.phone, body);
    expect(res.status, res.text).toBe(200);
    expect(res.type).toContain('text/xml');
    expect(res.text.includes('<Response/>')).toBe(!confirmed);
    expect((await supporter(f.supporterId)).sms_opted_out_at).not.toBeNull();
  });

  it('does not opt out on a sentence that contains STOP, but keeps the message as needing a look', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    const sid = twilioSid();
    await inbound(f.phone, 'we must STOP this bill', sid);
    expect((await supporter(f.supporterId)).sms_opted_out_at).toBeNull();
    const rows =
      await svc.sql`select keyword, body, org_id, supporter_id from inbound_messages where provider_id = ${sid}`;
    expect(rows).toEqual([
      {
        keyword: 'needs_review',
        body: 'we must STOP this bill',
        org_id: f.orgId,
        supporter_id: f.supporterId,
      },
    ]);
  });

  it("opts out the phone's owner in every organization that has it", async () => {
    const a = await createDeliveredSupporter(svc.sql);
    const otherOrg = await createOrg(svc.sql);
    const b = await createSupporter(svc.sql, otherOrg, { phone: a.phone });
    await inbound(a.phone, 'stop');
    expect((await supporter(a.supporterId)).sms_opted_out_at).not.toBeNull();
    expect((await supporter(b)).sms_opted_out_at).not.toBeNull();
  });

  it('restores SMS on START and records consent', async () => {
    const orgId = await createOrg(svc.sql);
    const phone = randomPhone();
    const id = await createSupporter(svc.sql, orgId, { phone, smsConsent: false, smsOptedOut: true });
    const res = await inbound(phone, 'START');
    expect(res.text).toContain('<Response/>');
    expect(await supporter(id)).toMatchObject({ sms_opted_out_at: null, sms_consent: true });
  });

  it('answers HELP with the help text of the organization that last texted the phone', async () => {
    const older = await createOrg(svc.sql, { helpText: 'Older org help' });
    const newer = await createOrg(svc.sql, { helpText: 'Network <UA> & friends: reply STOP to stop' });
    const phone = randomPhone();
    for (const [orgId, createdAt] of [
      [older, new Date(Date.now() - 86_400_000)],
      [newer, new Date()],
    ] as const) {
      const supporterId = await createSupporter(svc.sql, orgId, { phone });
      const run = await createStageRun(svc.sql, orgId);
      await createDelivery(svc.sql, {
        orgId,
        stageRunId: run.stageRunId,
        supporterId,
        channel: 'sms',
        createdAt,
      });
    }
    const res = await inbound(phone, 'help');
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/xml');
    expect(res.text).toContain(
      '<Response><Message>Network &#60;UA&#62; &#38; friends: reply STOP to stop</Message></Response>',
    );
    const khmer = await inbound(phone, 'ជំនួយ');
    expect(khmer.text).toContain('<Message>Network');
  });

  it('answers HELP from an unknown phone with the default help text', async () => {
    const res = await inbound(randomPhone(), 'INFO');
    expect(res.text).toMatch(/<Message>Urgent Action network: Urgent Action alerts\. Reply STOP to stop/);
  });

  it('records DONE once, for the campaign of the most recent SMS to that phone', async () => {
    const orgId = await createOrg(svc.sql);
    const phone = randomPhone();
    const supporterId = await createSupporter(svc.sql, orgId, { phone });
    const old = await createStageRun(svc.sql, orgId);
    const recent = await createStageRun(svc.sql, orgId);
    await createDelivery(svc.sql, {
      orgId,
      stageRunId: old.stageRunId,
      supporterId,
      channel: 'sms',
      createdAt: new Date(Date.now() - 3 * 86_400_000),
    });
    await createDelivery(svc.sql, { orgId, stageRunId: recent.stageRunId, supporterId, channel: 'sms' });
    const res = await inbound(phone, 'Done!');
    expect(res.text).toContain('<Response/>');
    await inbound(phone, 'រួចរាល់');
    expect(await doneEvents(recent.campaignId, supporterId)).toEqual([{ source: 'sms' }]);
    expect(await doneEvents(old.campaignId, supporterId)).toHaveLength(0);
  });

  it('uses the organization keyword lists', async () => {
    const orgId = await createOrg(svc.sql, { keywords: { done: ['SIGNED'] } });
    const f = await createDeliveredSupporter(svc.sql, { orgId });
    await inbound(f.phone, 'signed');
    expect(await doneEvents(f.campaignId, f.supporterId)).toHaveLength(1);
  });

  it('stores a redelivered MessageSid once and does not act on it again', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    const stopSid = twilioSid();
    await inbound(f.phone, 'STOP', stopSid);
    await inbound(f.phone, 'START');
    const again = await inbound(f.phone, 'STOP', stopSid);
    expect(again.status, again.text).toBe(200);
    expect(again.text).toContain('<Response/>');
    expect((await supporter(f.supporterId)).sms_opted_out_at, 'the replayed STOP did nothing').toBeNull();
    const rows = await svc.sql`select 1 from inbound_messages where provider_id = ${stopSid}`;
    expect(rows).toHaveLength(1);
  });

  it('accepts the inbound SMS the sandbox signs with the twilio SDK', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    const res = await fetch(`${svc.sandboxUrl}/sandbox/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: f.phone, body: 'STOP' }),
    });
    const answer = (await res.json()) as { status: number; body: string };
    expect(answer.status, answer.body).toBe(200);
    expect((await supporter(f.supporterId)).sms_opted_out_at).not.toBeNull();
  });
});

describe('twilio statuses beyond sent and delivered', () => {
  it('counts read and partially_delivered as delivered, canceled as failed, and leaves in-flight ones alone', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    await statusCallback(f.sms.providerId, 'sending');
    expect((await deliveryStatus(f.sms.id)).status).toBe('accepted');
    await statusCallback(f.sms.providerId, 'read');
    expect((await deliveryStatus(f.sms.id)).status).toBe('delivered');
    const g = await createDeliveredSupporter(svc.sql);
    await statusCallback(g.sms.providerId, 'partially_delivered');
    expect((await deliveryStatus(g.sms.id)).status).toBe('delivered');
    const h = await createDeliveredSupporter(svc.sql);
    await statusCallback(h.sms.providerId, 'canceled');
    expect((await deliveryStatus(h.sms.id)).status).toBe('failed');
  });
});

describe('resend events', () => {
  it('moves the email delivery to sent, then delivered', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    const sent = await resend('email.sent', { email_id: f.email.providerId });
    expect(sent.status, sent.text).toBe(200);
    expect((await deliveryStatus(f.email.id)).status).toBe('sent');
    await resend('email.delivered', { email_id: f.email.providerId });
    await resend('email.sent', { email_id: f.email.providerId });
    expect((await deliveryStatus(f.email.id)).status).toBe('delivered');
    expect((await deliveryStatus(f.sms.id)).status).toBe('accepted');
  });

  it('fails the delivery and suppresses email on a hard bounce, leaving SMS alone', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    const res = await resend('email.bounced', {
      email_id: f.email.providerId,
      bounce: { type: 'Permanent', subType: 'General', message: 'The recipient address does not exist.' },
    });
    expect(res.status, res.text).toBe(200);
    expect(await deliveryStatus(f.email.id)).toEqual({ status: 'failed', error_code: 'hard_bounce' });
    expect(await supporter(f.supporterId)).toMatchObject({
      email_suppressed_reason: 'hard_bounce',
      sms_suppressed_reason: null,
      sms_opted_out_at: null,
    });
  });

  it('keeps a delayed email in flight and treats Transient and Undetermined bounces as soft', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    await resend('email.sent', { email_id: f.email.providerId });
    const delayed = await resend('email.delivery_delayed', { email_id: f.email.providerId });
    expect(delayed.status, delayed.text).toBe(200);
    expect((await deliveryStatus(f.email.id)).status).toBe('sent');
    for (const type of ['Transient', 'Undetermined']) {
      const g = await createDeliveredSupporter(svc.sql);
      await resend('email.bounced', {
        email_id: g.email.providerId,
        bounce: { type, subType: 'MailboxFull' },
      });
      expect(await deliveryStatus(g.email.id), type).toEqual({
        status: 'undelivered',
        error_code: 'soft_bounce',
      });
      expect((await supporter(g.supporterId)).email_suppressed_reason, type).toBeNull();
    }
  });

  it('suppresses the address on email.suppressed like a hard bounce', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    await resend('email.suppressed', {
      email_id: f.email.providerId,
      suppressed: { type: 'OnAccountSuppressionList' },
    });
    expect(await deliveryStatus(f.email.id)).toEqual({ status: 'failed', error_code: 'resend_suppressed' });
    expect((await supporter(f.supporterId)).email_suppressed_reason).toBe('resend_suppressed');
  });

  it('acknowledges a documented event without an email id, and an undocumented type, acting on neither', async () => {
    for (const type of ['contact.created', 'domain.updated', 'email.some_future_event']) {
      const res = await resend(type, { id: 'x' });
      expect(res.status, `${type}: ${res.text}`).toBe(200);
    }
  });

  it('opts the supporter out of email on a complaint', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    await resend('email.complained', { email_id: f.email.providerId });
    const s = await supporter(f.supporterId);
    expect(s.email_opted_out_at).not.toBeNull();
    expect(s.sms_opted_out_at).toBeNull();
  });

  it('processes a redelivered svix-id once', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    const first = await resend('email.delivered', { email_id: f.email.providerId });
    const again = await resend('email.bounced', { email_id: f.email.providerId }, { id: first.id });
    expect(again.status, again.text).toBe(200);
    expect(JSON.parse(again.text)).toMatchObject({ duplicate: true });
    expect((await supporter(f.supporterId)).email_suppressed_reason).toBeNull();
    const receipts =
      await svc.sql`select org_id from webhook_receipts where source = 'resend' and external_id = ${first.id}`;
    expect(receipts).toEqual([{ org_id: f.orgId }]);
  });

  it('acknowledges events it does not act on', async () => {
    const res = await resend('email.opened', { email_id: 'whatever' });
    expect(res.status, res.text).toBe(200);
    const unknown = await resend('email.delivered', { email_id: 'not-ours' });
    expect(unknown.status, unknown.text).toBe(200);
  });
});

describe('security: forged or stale signatures are refused and change nothing', () => {
  it.each([STATUS, INBOUND])('refuses %s without a valid X-Twilio-Signature', async (path) => {
    const f = await createDeliveredSupporter(svc.sql);
    const sid = path === STATUS ? f.sms.providerId : twilioSid();
    const params: Record<string, string> =
      path === STATUS
        ? { MessageSid: sid, MessageStatus: 'failed', ErrorCode: '21610' }
        : { MessageSid: sid, From: f.phone, Body: 'STOP' };
    const other = path === STATUS ? INBOUND : STATUS;
    const attempts: Array<[string, RequestInit]> = [
      ['missing', twilioRequest(authToken, `${base}${path}`, params, { signature: null })],
      ['garbage', twilioRequest(authToken, `${base}${path}`, params, { signature: 'c2lnbmF0dXJl' })],
      [
        'an old or wrong auth token',
        twilioRequest('0123456789abcdef0123456789abcdef', `${base}${path}`, params),
      ],
      ['signed for another route', twilioRequest(authToken, `${base}${other}`, params)],
      ['signed for another host', twilioRequest(authToken, `https://evil.example${path}`, params)],
      [
        'a replayed signature over other params',
        twilioRequest(
          authToken,
          `${base}${path}`,
          { ...params, MessageSid: twilioSid() },
          {
            body: new URLSearchParams(params).toString(),
          },
        ),
      ],
    ];
    for (const [what, init] of attempts) {
      const res = await send(path, init);
      expect(res.status, `${what}: ${res.text}`).toBe(403);
      expect(res.type).toContain('application/problem+json');
    }
    expect(await deliveryStatus(f.sms.id)).toEqual({ status: 'accepted', error_code: null });
    expect((await supporter(f.supporterId)).sms_opted_out_at).toBeNull();
    expect(await svc.sql`select 1 from inbound_messages where provider_id = ${sid}`).toHaveLength(0);
  });

  it('refuses Resend events with a missing, forged, tampered or stale svix signature', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    const payload = {
      type: 'email.bounced',
      data: { email_id: f.email.providerId, bounce: { type: 'Permanent' } },
    };
    const good = resendRequest(resendSecret, payload);
    const { 'svix-signature': _sig, ...unsigned } = good.headers as Record<string, string>;
    const attempts: Array<[string, RequestInit]> = [
      ['no signature', { ...good, headers: unsigned }],
      ['no headers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: good.body }],
      [
        'another secret',
        resendRequest(`whsec_${Buffer.from('not the secret at all').toString('base64')}`, payload),
      ],
      ['a tampered body', { ...good, body: JSON.stringify({ ...payload, type: 'email.complained' }) }],
      ['10 minutes old', resendRequest(resendSecret, payload, { at: new Date(Date.now() - 600_000) })],
      ['10 minutes ahead', resendRequest(resendSecret, payload, { at: new Date(Date.now() + 600_000) })],
      [
        'another event id',
        { ...good, headers: { ...(good.headers as Record<string, string>), 'svix-id': 'msg_other' } },
      ],
    ];
    for (const [what, init] of attempts) {
      const res = await send(RESEND, init);
      expect(res.status, `${what}: ${res.text}`).toBe(401);
      expect(res.type).toContain('application/problem+json');
    }
    expect((await deliveryStatus(f.email.id)).status).toBe('accepted');
    expect(await supporter(f.supporterId)).toMatchObject({
      email_suppressed_reason: null,
      email_opted_out_at: null,
    });
    expect(await svc.sql`select 1 from webhook_receipts where external_id = ${good.id}`).toHaveLength(0);
  });
});

describe('bad input never yields a 5xx', () => {
  it('answers 415 for a Twilio route posted as JSON, before looking at the signature', async () => {
    for (const path of [STATUS, INBOUND]) {
      const res = await send(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"MessageSid":"SM1"}',
      });
      expect(res.status, res.text).toBe(415);
      expect(res.type).toContain('application/problem+json');
    }
    const none = await send(INBOUND, { method: 'POST', body: 'x' });
    expect(none.status).toBe(415);
  });

  it('answers 400 for signed forms without the fields Twilio always sends', async () => {
    const cases: Array<[string, Record<string, string>]> = [
      [STATUS, { MessageStatus: 'delivered' }],
      [STATUS, { MessageSid: twilioSid(), MessageStatus: 'failed', ErrorCode: 'abc' }],
      [INBOUND, { MessageSid: twilioSid(), Body: 'STOP' }],
      [INBOUND, {}],
      [INBOUND, { '%%%': '\u0000', MessageSid: '' }],
    ];
    for (const [path, params] of cases) {
      const res = await send(path, twilioRequest(authToken, `${base}${path}`, params));
      expect(res.status, `${path} ${JSON.stringify(params)}: ${res.text}`).toBe(400);
      expect(res.type).toContain('application/problem+json');
    }
  });

  it('answers 415 for a Resend event that is not JSON, 400 for signed junk', async () => {
    const text = await send(RESEND, {
      ...resendRequest(resendSecret, {}),
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    for (const body of ['not json', '[]', '{"type":42}', '{"type":"email.delivered","data":{}}', 'null']) {
      const res = await send(RESEND, resendRequest(resendSecret, undefined, { body }));
      expect(res.status, `${body}: ${res.text}`).toBe(400);
      expect(res.type).toContain('application/problem+json');
    }
  });

  it('answers 413 for an oversized webhook body', async () => {
    const params = { MessageSid: twilioSid(), From: randomPhone(), Body: 'x'.repeat(300_000) };
    const res = await send(INBOUND, twilioRequest(authToken, `${base}${INBOUND}`, params));
    expect(res.status).toBe(413);
  });
});
