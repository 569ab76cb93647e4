import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactKeys } from '../../core/contact-key';
import { publicBaseUrl, suppressionKeys } from '../../core/runtime';
import { backfillSuppressions } from '../../db/suppression-backfill';
import { createOrganization, createPartner, createToken } from '../../db/tenants';
import { tablesContaining } from '../support/db-scan';
import {
  createDeliveredSupporter,
  createDelivery,
  createOrg,
  createStageRun,
  createSupporter,
  mobilePhone,
  randomEmail,
  resendRequest,
  twilioRequest,
  twilioSid,
} from '../support/fixtures';
import { type Service, startService } from '../support/service';

// biome-ignore lint/suspicious/noExplicitAny: answers are read as plain JSON
type Json = any;

const INBOUND = '/v1/webhooks/twilio/inbound';
const STATUS = '/v1/webhooks/twilio/status';
const HEADER = 'name,phone,email,locale,timezone,tags,sms_consent,email_consent';

let svc: Service;
let keys: ContactKeys;
let partner: { id: string; secret: string };

beforeAll(async () => {
  svc = await startService({ roles: [] });
  keys = suppressionKeys(svc.config);
  partner = await createPartner(svc.sql, { orgId: svc.orgId, name: 'Suppression partner' });
});
afterAll(async () => {
  await svc?.stop();
});

async function request(path: string, init: RequestInit) {
  const res = await svc.app.request(path, init);
  const text = await res.text();
  let body: Json = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, text, body };
}

const inbound = (from: string, body: string, extra: Record<string, string> = {}) =>
  request(
    INBOUND,
    twilioRequest(svc.config.TWILIO_AUTH_TOKEN!, `${publicBaseUrl(svc.config)}${INBOUND}`, {
      MessageSid: twilioSid(),
      From: from,
      To: '+15005550006',
      Body: body,
      ...extra,
    }),
  );

const resend = (type: string, data: Record<string, unknown>) =>
  request(
    '/v1/webhooks/resend',
    resendRequest(svc.config.RESEND_WEBHOOK_SECRET!, { type, created_at: new Date().toISOString(), data }),
  );

/** The list's entry for a contact under the service's scope, if any. */
async function entry(channel: 'sms' | 'email', contact: string) {
  const rows = await svc.sql<{ channel: string; scope: string; source: string }[]>`
    select channel, scope, source from suppressions
    where channel = ${channel} and scope = ${keys.scope[channel]} and contact_key = ${keys.keyOf(channel, contact)}`;
  return rows[0];
}

/** An organization of its own with an organizer token: sharing across organizations is the point. */
async function otherOrg() {
  const orgId = await createOrganization(svc.sql, { name: `suppression org ${randomUUID()}` });
  const { token } = await createToken(svc.sql, { orgId, role: 'organizer' });
  return {
    orgId,
    api: (path: string, init: { method?: string; body?: unknown } = {}) => svc.api(path, { ...init, token }),
  };
}

const createWithConsent = (api: Service['api'], contact: { phone?: string; email?: string }) =>
  api('/v1/supporters', { body: { ...contact, consent: { sms: true, email: true } } });

async function importCsv(lines: string[]) {
  const res = await fetch(`${svc.apiUrl}/v1/supporters/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${svc.token}`, 'content-type': 'text/csv' },
    body: [HEADER, ...lines].join('\n'),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function partnerUpsert(data: unknown) {
  const raw = JSON.stringify({ type: 'supporter.upsert', data });
  const id = `msg_${randomUUID()}`;
  const at = new Date();
  return request(`/v1/webhooks/partners/${partner.id}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(partner.secret).sign(id, at, raw),
    },
    body: raw,
  });
}

const osdi = (items: unknown[]) =>
  request(`/v1/webhooks/partners/${partner.id}/osdi`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'OSDI-API-Token': partner.secret },
    body: JSON.stringify(items),
  });

describe('the list holds a keyed hash and nothing else', () => {
  it('keys an SMS opt-out by HMAC-SHA256 with SUPPRESSION_KEY of the E.164 number, not by a plain hash', async () => {
    const phone = mobilePhone();
    expect((await inbound(phone, 'STOP')).status).toBe(200);
    const [row] = await svc.sql<{ contact_key: string; scope: string; source: string }[]>`
      select contact_key, scope, source from suppressions
      where contact_key = ${createHmac('sha256', svc.config.SUPPRESSION_KEY!).update(`sms:${phone}`).digest('hex')}`;
    expect(row, 'an entry under the HMAC of the number').toMatchObject({
      scope: svc.config.TWILIO_FROM_NUMBER,
      source: 'sms_keyword',
    });
    for (const plain of [phone, `sms:${phone}`]) {
      const sha = createHash('sha256').update(plain).digest('hex');
      expect(await svc.sql`select 1 from suppressions where contact_key = ${sha}`).toHaveLength(0);
    }
    const columns = await svc.sql<{ column_name: string }[]>`
      select column_name from information_schema.columns where table_name = 'suppressions' order by ordinal_position`;
    expect(columns.map((c) => c.column_name)).toEqual([
      'channel',
      'scope',
      'contact_key',
      'source',
      'created_at',
    ]);
    expect(
      await tablesContaining(svc.sql, [phone, phone.slice(1)]),
      'the number itself is stored nowhere',
    ).toEqual([]);
  });

  it('keys an email by its trimmed, lower-cased address', async () => {
    expect(keys.keyOf('email', '  Sophea.Chan@Example.ORG ')).toBe(
      keys.keyOf('email', 'sophea.chan@example.org'),
    );
    expect(keys.keyOf('sms', '+1 617 555-0100')).toBe(keys.keyOf('sms', '+16175550100'));
    expect(keys.keyOf('sms', '+16175550100')).not.toBe(keys.keyOf('email', '+16175550100'));
  });
});

describe('an opt-out from a number nobody has yet', () => {
  it('keeps a number that texted ឈប់ opted out when an organizer adds it with SMS consent, and says why', async () => {
    const phone = mobilePhone();
    const email = randomEmail();
    const stop = await inbound(phone, 'ឈប់');
    expect(stop.text, 'confirmed in Khmer: Twilio does not confirm ឈប់').toContain('លែងទទួលសារ');
    expect(await entry('sms', phone)).toMatchObject({ source: 'sms_keyword' });

    const created = await createWithConsent(svc.api, { phone, email });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.consent, 'the claimed consent is kept as written').toEqual({
      sms: true,
      email: true,
    });
    expect(created.body.optedOut.sms).toEqual(expect.any(String));
    expect(created.body.optedOut.email).toBeNull();
    expect(created.body.suppressed).toEqual({
      sms: { at: created.body.optedOut.sms, source: 'sms_keyword' },
      email: null,
    });
    const read = await svc.api(`/v1/supporters/${created.body.id}`);
    expect(read.body.suppressed.sms.source).toBe('sms_keyword');
    const [row] = await svc.sql`select sms_opted_out_at from supporters where id = ${created.body.id}`;
    expect(row!.sms_opted_out_at, 'the record itself is opted out').not.toBeNull();
  });

  it('lets Twilio Advanced Opt-Out decide: OptOutType STOP suppresses any text, START clears it', async () => {
    const phone = mobilePhone();
    await inbound(phone, 'please, no more', { OptOutType: 'STOP' });
    expect(await entry('sms', phone)).toMatchObject({ source: 'twilio_opt_out' });
    await inbound(phone, 'ok again', { OptOutType: 'START' });
    expect(await entry('sms', phone)).toBeUndefined();
    const created = await createWithConsent(svc.api, { phone });
    expect(created.body.optedOut.sms).toBeNull();
    expect(created.body.suppressed.sms).toBeNull();
  });

  it('records an organization’s own opt-out keyword, and clears the number on START', async () => {
    const orgId = await createOrg(svc.sql, { keywords: { optOut: ['ARRÊT'] } });
    const phone = mobilePhone();
    await createSupporter(svc.sql, orgId, { phone });
    await inbound(phone, 'Arrêt');
    expect(await entry('sms', phone)).toMatchObject({ source: 'sms_keyword' });
    await inbound(phone, 'START');
    expect(await entry('sms', phone)).toBeUndefined();
  });
});

describe('every opt-out writes the list with its source', () => {
  it('a 21610 status callback lists the number Twilio names', async () => {
    const f = await createDeliveredSupporter(svc.sql, { supporter: { phone: mobilePhone() } });
    const res = await request(
      STATUS,
      twilioRequest(svc.config.TWILIO_AUTH_TOKEN!, `${publicBaseUrl(svc.config)}${STATUS}`, {
        MessageSid: f.sms.providerId,
        MessageStatus: 'failed',
        ErrorCode: '21610',
        To: f.phone,
      }),
    );
    expect(res.status, res.text).toBe(204);
    expect(await entry('sms', f.phone)).toMatchObject({ source: 'provider_opt_out' });
  });

  it('a dead number (30005) is not an opt-out and is not listed', async () => {
    const f = await createDeliveredSupporter(svc.sql, { supporter: { phone: mobilePhone() } });
    await request(
      STATUS,
      twilioRequest(svc.config.TWILIO_AUTH_TOKEN!, `${publicBaseUrl(svc.config)}${STATUS}`, {
        MessageSid: f.sms.providerId,
        MessageStatus: 'undelivered',
        ErrorCode: '30005',
      }),
    );
    expect(await entry('sms', f.phone)).toBeUndefined();
  });

  it.each(['sms', 'email'] as const)(
    'a one-click unsubscribe from the %s link lists that contact only',
    async (channel) => {
      const email = randomEmail();
      const f = await createDeliveredSupporter(svc.sql, { supporter: { phone: mobilePhone(), email } });
      const token = channel === 'sms' ? f.sms.token : f.email.token;
      const res = await request(`/u/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status, res.text).toBe(200);
      expect(await entry(channel, channel === 'sms' ? f.phone : email)).toMatchObject({
        source: 'unsubscribe_link',
      });
      expect(
        await entry(channel === 'sms' ? 'email' : 'sms', channel === 'sms' ? email : f.phone),
      ).toBeUndefined();
    },
  );

  it.each([
    ['email.bounced', { bounce: { type: 'Permanent' } }, 'hard_bounce'],
    ['email.complained', {}, 'complaint'],
    ['email.suppressed', {}, 'resend_suppressed'],
  ] as const)('Resend %s lists the address', async (type, extra, source) => {
    const email = randomEmail();
    const f = await createDeliveredSupporter(svc.sql, { supporter: { email } });
    const res = await resend(type, { email_id: f.email.providerId, to: [email.toUpperCase()], ...extra });
    expect(res.status, res.text).toBe(200);
    expect(await entry('email', email)).toMatchObject({ source });
  });

  it('a soft bounce lists nothing', async () => {
    const email = randomEmail();
    const f = await createDeliveredSupporter(svc.sql, { supporter: { email } });
    await resend('email.bounced', { email_id: f.email.providerId, bounce: { type: 'Transient' } });
    expect(await entry('email', email)).toBeUndefined();
  });
});

describe('sharing follows the sender', () => {
  it('a STOP to the shared Twilio sender opts the number out in every organization, now and later', async () => {
    const phone = mobilePhone();
    const a = await otherOrg();
    const b = await otherOrg();
    const inA = await createWithConsent(a.api, { phone });
    expect(inA.body.optedOut.sms).toBeNull();
    await inbound(phone, 'STOP');
    expect((await a.api(`/v1/supporters/${inA.body.id}`)).body.suppressed.sms.source).toBe('sms_keyword');
    const inB = await createWithConsent(b.api, { phone });
    expect(inB.body.optedOut.sms, JSON.stringify(inB.body)).not.toBeNull();
  });

  it('an email unsubscribe applies to every organization sending from the same domain', async () => {
    const email = randomEmail();
    const f = await createDeliveredSupporter(svc.sql, { supporter: { email } });
    const elsewhere = await otherOrg();
    const before = await createWithConsent(elsewhere.api, { email });
    await request(`/u/${f.email.token}`, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    const after = await elsewhere.api(`/v1/supporters/${before.body.id}`);
    expect(after.body.optedOut.email).not.toBeNull();
    expect(after.body.suppressed.email).toMatchObject({ source: 'unsubscribe_link' });
    expect(after.body.suppressed.sms).toBeNull();
  });

  it('an entry under another sender or domain does not apply here', async () => {
    const phone = mobilePhone();
    const email = randomEmail();
    await svc.sql`insert into suppressions (channel, scope, contact_key, source) values
      ('sms', 'MG-another-sender', ${keys.keyOf('sms', phone)}, 'sms_keyword'),
      ('email', 'another.example', ${keys.keyOf('email', email)}, 'complaint')`;
    const created = await createWithConsent(svc.api, { phone, email });
    expect(created.body.optedOut).toEqual({ sms: null, email: null });
    expect(created.body.suppressed).toEqual({ sms: null, email: null });
  });
});

describe('every path that writes a supporter consults the list', () => {
  it('an update with consent does not undo a suppression', async () => {
    const phone = mobilePhone();
    const created = await createWithConsent(svc.api, { phone });
    await inbound(phone, 'STOP');
    const updated = await createWithConsent(svc.api, { phone });
    expect(updated.status).toBe(200);
    expect(updated.body.optedOut.sms).not.toBeNull();
    expect(updated.body.id).toBe(created.body.id);
  });

  it('a CSV row claiming consent for a suppressed contact is imported opted out and reported', async () => {
    const [stopped, bounced, fine, silent] = [mobilePhone(), randomEmail(), mobilePhone(), mobilePhone()];
    await inbound(stopped, 'ឈប់');
    await inbound(silent, 'STOP');
    const f = await createDeliveredSupporter(svc.sql, { supporter: { email: bounced } });
    await resend('email.bounced', { email_id: f.email.providerId, bounce: { type: 'Permanent' } });
    const res = await importCsv([
      `Dara,${stopped},,km,UTC,,yes,no`,
      `Fine,${fine},,en,UTC,,yes,no`,
      `Mail,,${bounced},en,UTC,,no,yes`,
      `Quiet,${silent},,en,UTC,,no,no`,
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ created: 4, updated: 0, rejectedTotal: 0, suppressedTotal: 2 });
    expect(res.body.suppressed).toEqual([
      { row: 2, channel: 'sms', source: 'sms_keyword' },
      { row: 4, channel: 'email', source: 'hard_bounce' },
    ]);
    const rows = await svc.sql<{ phone: string | null; sms: boolean; email: boolean }[]>`
      select phone, sms_opted_out_at is not null as sms, email_opted_out_at is not null as email
      from supporters where org_id = ${svc.orgId} and (phone = any(${[stopped, fine, silent]}) or email = ${bounced})`;
    const by = (p: string | null) => rows.find((r) => r.phone === p);
    expect(by(stopped)?.sms).toBe(true);
    expect(by(fine)?.sms).toBe(false);
    expect(by(silent)?.sms, 'opted out, though not reported: it claimed no consent').toBe(true);
    expect(by(null)?.email).toBe(true);
  });

  it('an OSDI person subscribed on a suppressed number is upserted opted out and reported by index', async () => {
    const phone = mobilePhone();
    await inbound(phone, 'STOP');
    const res = await osdi([
      { 'osdi:signature': { person: { email_addresses: [{ address: randomEmail() }] } } },
      {
        'osdi:submission': {
          person: {
            email_addresses: [{ address: randomEmail() }],
            phone_numbers: [{ number: phone, number_type: 'Mobile', status: 'subscribed' }],
          },
        },
      },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      upserted: 2,
      rejected: [],
      warnings: [],
      suppressed: [{ index: 1, channel: 'sms' }],
    });
    const [row] = await svc.sql`select sms_consent, sms_opted_out_at from supporters
      where org_id = ${svc.orgId} and phone = ${phone}`;
    expect(row!.sms_consent).toBe(true);
    expect(row!.sms_opted_out_at).not.toBeNull();
  });

  it('a partner supporter.upsert with consent for a suppressed number is opted out and told so', async () => {
    const phone = mobilePhone();
    await inbound(phone, 'STOP');
    const res = await partnerUpsert({ phone, consent: { sms: true } });
    expect(res.status, res.text).toBe(202);
    expect(res.body.suppressed, 'partners learn the channel, not why').toEqual([{ channel: 'sms' }]);
    const [row] = await svc.sql`select sms_opted_out_at from supporters where id = ${res.body.supporterId}`;
    expect(row!.sms_opted_out_at, 'the record itself is opted out').not.toBeNull();
    const fresh = await partnerUpsert({ phone: mobilePhone(), consent: { sms: true } });
    expect(fresh.body.suppressed).toEqual([]);
  });
});

describe('erasure keeps the opt-out, and only its keyed hash', () => {
  it('a supporter who stopped, was erased and is re-imported with consent stays opted out', async () => {
    const phone = mobilePhone();
    const email = `erase-${randomBytes(5).toString('hex')}@example.org`;
    const created = await createWithConsent(svc.api, { phone, email });
    await inbound(phone, 'STOP');
    const run = await createStageRun(svc.sql, svc.orgId);
    const mail = await createDelivery(svc.sql, {
      orgId: svc.orgId,
      stageRunId: run.stageRunId,
      supporterId: created.body.id,
      channel: 'email',
    });
    expect((await request(`/u/${mail.token}`, { method: 'POST' })).status).toBe(200);
    const before = await tablesContaining(svc.sql, [phone, email]);
    expect(before, 'the fixture stores both contacts').toHaveLength(2);
    expect((await svc.api(`/v1/supporters/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);

    expect(await tablesContaining(svc.sql, [phone, phone.slice(2), email])).toEqual([]);
    const [erased] = await svc.sql`select phone, email from supporters where id = ${created.body.id}`;
    expect(erased).toEqual({ phone: null, email: null });
    expect(await entry('sms', phone)).toMatchObject({ source: 'sms_keyword' });
    expect(await entry('email', email)).toMatchObject({ source: 'unsubscribe_link' });

    const again = await importCsv([`Back,${phone},,en,UTC,,yes,no`]);
    expect(again.body).toMatchObject({
      created: 1,
      suppressed: [{ row: 2, channel: 'sms', source: 'sms_keyword' }],
    });
    const [back] = await svc.sql`select id, sms_opted_out_at from supporters
      where org_id = ${svc.orgId} and phone = ${phone} and erased_at is null`;
    expect(back!.id).not.toBe(created.body.id);
    expect(back!.sms_opted_out_at).not.toBeNull();
  });

  it('lists an opt-out that only the record held before it is erased', async () => {
    const phone = mobilePhone();
    const id = await createSupporter(svc.sql, svc.orgId, { phone, smsOptedOut: true });
    expect(await entry('sms', phone)).toBeUndefined();
    expect((await svc.api(`/v1/supporters/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await entry('sms', phone)).toMatchObject({ source: 'earlier_opt_out' });
    const back = await createWithConsent(svc.api, { phone });
    expect(back.body.suppressed.sms).toMatchObject({ source: 'earlier_opt_out' });
  });

  it('keeps nothing of a supporter who never opted out', async () => {
    const phone = mobilePhone();
    const created = await createWithConsent(svc.api, { phone });
    await svc.api(`/v1/supporters/${created.body.id}`, { method: 'DELETE' });
    expect(await entry('sms', phone)).toBeUndefined();
  });
});

describe('opting in again', () => {
  it('START from the phone clears the list and the records', async () => {
    const phone = mobilePhone();
    const created = await createWithConsent(svc.api, { phone });
    await inbound(phone, 'STOP');
    await inbound(phone, 'ចាប់ផ្តើម');
    expect(await entry('sms', phone)).toBeUndefined();
    const read = await svc.api(`/v1/supporters/${created.body.id}`);
    expect(read.body.optedOut.sms).toBeNull();
    expect(read.body.suppressed.sms).toBeNull();
  });

  it('re-consent recorded with its source clears the list, and is audited', async () => {
    const email = randomEmail();
    const f = await createDeliveredSupporter(svc.sql, { supporter: { email } });
    await resend('email.complained', { email_id: f.email.providerId });
    const created = await createWithConsent(svc.api, { email });
    expect(created.body.suppressed.email).toMatchObject({ source: 'complaint' });
    const res = await svc.api(`/v1/supporters/${created.body.id}/consent`, {
      body: { channel: 'email', source: 'paper form, Lowell vigil' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      consent: { email: true },
      optedOut: { email: null },
      suppressed: { email: null },
    });
    expect(await entry('email', email)).toBeUndefined();
    const [audit] = await svc.sql`select action, detail from audit_log
      where org_id = ${svc.orgId} and target = ${`supporter:${created.body.id}`} and action = 'supporter.reconsent'`;
    expect(audit!.detail).toEqual({ channel: 'email', source: 'paper form, Lowell vigil' });
  });

  it("re-consent never clears a provider's verdict: a hard-bounced address stays on the list", async () => {
    const email = randomEmail();
    const f = await createDeliveredSupporter(svc.sql, { supporter: { email } });
    await resend('email.bounced', { email_id: f.email.providerId, bounce: { type: 'Permanent' } });
    const created = await createWithConsent(svc.api, { email });
    const res = await svc.api(`/v1/supporters/${created.body.id}/consent`, {
      body: { channel: 'email', source: 'paper form, Lowell vigil' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await entry('email', email)).toMatchObject({ source: 'hard_bounce' });
    expect(res.body.suppressed.email).toMatchObject({ source: 'hard_bounce' });
  });

  it('refuses re-consent without a source, on a channel with no contact, or for another organization', async () => {
    const created = await createWithConsent(svc.api, { phone: mobilePhone() });
    const path = `/v1/supporters/${created.body.id}/consent`;
    const noSource = await svc.api(path, { body: { channel: 'sms' } });
    expect(noSource.status).toBe(400);
    expect(noSource.body.errors).toEqual([expect.objectContaining({ path: 'source' })]);
    const noEmail = await svc.api(path, { body: { channel: 'email', source: 'web form' } });
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.errors).toEqual([expect.objectContaining({ path: 'channel' })]);
    const other = await otherOrg();
    expect((await other.api(path, { body: { channel: 'sms', source: 'web form' } })).status).toBe(404);
  });
});

describe('backfill of opt-outs recorded before the list', () => {
  it('copies opted-out records into the list once per sender', async () => {
    const phone = mobilePhone();
    const email = randomEmail();
    await createSupporter(svc.sql, svc.orgId, { phone, email, smsOptedOut: true });
    await svc.sql`update supporters set email_suppressed_reason = 'hard_bounce' where email = ${email}`;
    await svc.sql`delete from suppression_backfills`;
    const added = await backfillSuppressions(svc.sql, keys);
    expect(added.sms).toBeGreaterThanOrEqual(1);
    expect(await entry('sms', phone)).toMatchObject({ source: 'earlier_opt_out' });
    expect(await entry('email', email)).toMatchObject({ source: 'hard_bounce' });
    expect(await backfillSuppressions(svc.sql, keys), 'done once per sender').toEqual({ sms: 0, email: 0 });
  });
});
