import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerCampaignId } from '../../api/services/partner-events';
import { createPartner, createToken } from '../../db/tenants';
import { randomEmail } from '../support/fixtures';
import { type Service, startService } from '../support/service';

// A valid Boston mobile-format number (fixtures' randomPhone is often not a valid number).
const randomPhone = () => `+1617${randomInt(200, 1000)}${String(randomInt(0, 10_000)).padStart(4, '0')}`;

// biome-ignore lint/suspicious/noExplicitAny: answers are read as plain JSON
type Json = any;

let svc: Service;
let partner: { id: string; secret: string };
const tag = `partner-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  // No workers: a started workflow only has to exist.
  svc = await startService({ roles: [] });
  partner = await createPartner(svc.sql, { orgId: svc.orgId, name: 'Partner group', scopes: ['case_alert'] });
});
afterAll(async () => {
  await svc?.stop();
});

const caseAlert = (title = 'Free Kem Sokha') => ({
  kind: 'case_alert',
  title,
  params: { caseName: 'Kem Sokha' },
  content: {
    en: {
      sms: 'Act for {{caseName}}: {{actionUrl}}',
      subject: 'Urgent Action',
      body: 'Write to {{targets}}',
    },
    km: { sms: 'សូមចូលរួម {{caseName}} {{actionUrl}}' },
  },
  action: { url: 'https://act.example.org/ua', targets: [{ name: 'Minister of Justice' }] },
  audience: { tags: { include: [tag] } },
});

interface Delivery {
  id?: string;
  at?: Date;
  secret?: string;
  partnerId?: string;
  omit?: 'webhook-id' | 'webhook-timestamp' | 'webhook-signature';
}

/** Signs like a Standard Webhooks sender: each attempt is signed again with a fresh timestamp. */
async function deliver(event: unknown, d: Delivery = {}) {
  const raw = JSON.stringify(event);
  const id = d.id ?? `msg_${randomUUID()}`;
  const at = d.at ?? new Date();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(d.secret ?? partner.secret).sign(id, at, raw),
  };
  if (d.omit) delete headers[d.omit];
  const res = await svc.app.request(`/v1/webhooks/partners/${d.partnerId ?? partner.id}`, {
    method: 'POST',
    headers,
    body: raw,
  });
  const text = await res.text();
  return {
    id,
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: JSON.parse(text) as Json,
  };
}

const campaignsOfPartner = async () =>
  (await svc.sql`select id from campaigns where partner_id = ${partner.id}`).map((r) => r.id as string);
const receipt = async (id: string) =>
  (
    await svc.sql`select status, response from webhook_receipts
    where source = ${`partner:${partner.id}`} and external_id = ${id}`
  )[0];

describe('campaign.start', () => {
  it('starts one campaign that the organization sees, and a redelivery starts nothing new', async () => {
    const before = await campaignsOfPartner();
    const first = await deliver({ type: 'campaign.start', data: caseAlert() });
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const { campaignId } = first.body;
    expect(campaignId).toBe(partnerCampaignId(partner.id, first.id));

    const view = await svc.api(`/v1/campaigns/${campaignId}`);
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    expect(view.body).toMatchObject({ id: campaignId, kind: 'case_alert', title: 'Free Kem Sokha' });
    const workflow = svc.temporal.workflow.getHandle(`campaign-${campaignId}`);
    const run = (await workflow.describe()).runId;

    const again = await deliver({ type: 'campaign.start', data: caseAlert() }, { id: first.id });
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(await campaignsOfPartner()).toEqual([...before, campaignId]);
    expect((await workflow.describe()).runId, 'the same workflow run').toBe(run);
    expect(await receipt(first.id)).toMatchObject({ status: 202, response: { campaignId } });
  });

  it('answers two concurrent deliveries of one webhook id with one campaign', async () => {
    const id = `msg_${randomUUID()}`;
    const before = await campaignsOfPartner();
    const answers = await Promise.all(
      [1, 2, 3].map(() => deliver({ type: 'campaign.start', data: caseAlert('Concurrent') }, { id })),
    );
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(202);
    expect(new Set(answers.map((a) => a.body.campaignId)).size).toBe(1);
    expect((await campaignsOfPartner()).length).toBe(before.length + 1);
  });

  it("refuses a kind outside the partner's scopes with 403, and records nothing", async () => {
    const before = await campaignsOfPartner();
    const data = { ...caseAlert(), kind: 'election_boycott', params: { electionDate: '2030-07-28' } };
    const res = await deliver({ type: 'campaign.start', data });
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.detail).toContain('election_boycott');
    expect(await campaignsOfPartner()).toEqual(before);
    expect(await receipt(res.id)).toBeUndefined();
  });

  it('names the bad fields of the campaign under data', async () => {
    const res = await deliver({ type: 'campaign.start', data: { ...caseAlert(), params: {} } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ path: 'data.params.caseName' }));
    const unknown = await deliver({ type: 'campaign.stop', data: {} });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: Json) => e.path)).toEqual(['type']);
  });
});

describe('supporter.upsert', () => {
  it('upserts the supporter and answers a redelivery with the same supporter', async () => {
    const email = randomEmail();
    const data = { name: 'Dara', email, locale: 'km', tags: [tag], consent: { sms: false, email: true } };
    const res = await deliver({ type: 'supporter.upsert', data });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const got = await svc.api(`/v1/supporters/${res.body.supporterId}`);
    expect(got.body).toMatchObject({ email, locale: 'km', tags: [tag], consent: { email: true } });

    const again = await deliver({ type: 'supporter.upsert', data }, { id: res.id });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(res.body);
  });

  it('names invalid supporter fields under data', async () => {
    const res = await deliver({ type: 'supporter.upsert', data: { name: 'No contact' } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ path: 'data.phone' }));
  });
});

describe('signatures', () => {
  const cases: Array<[string, Delivery]> = [
    ['a forged signature', { secret: `whsec_${randomBytes(24).toString('base64')}` }],
    ['a timestamp 6 minutes old', { at: new Date(Date.now() - 6 * 60_000) }],
    ['a timestamp 6 minutes ahead', { at: new Date(Date.now() + 6 * 60_000) }],
    ['no webhook-signature', { omit: 'webhook-signature' }],
    ['no webhook-id', { omit: 'webhook-id' }],
    ['no webhook-timestamp', { omit: 'webhook-timestamp' }],
    ['an unknown partner', { partnerId: randomUUID() }],
    ['a partner id that is not a UUID', { partnerId: 'acme' }],
  ];
  for (const [what, d] of cases) {
    it(`refuses ${what} with 401 and creates nothing`, async () => {
      const before = await campaignsOfPartner();
      const res = await deliver({ type: 'campaign.start', data: caseAlert('Forged') }, d);
      expect(res.status, JSON.stringify(res.body)).toBe(401);
      expect(res.type).toContain('application/problem+json');
      expect(await campaignsOfPartner()).toEqual(before);
      expect(await receipt(res.id)).toBeUndefined();
    });
  }

  it('refuses a partner event over 256 KiB with 413', async () => {
    const res = await deliver({ type: 'supporter.upsert', data: { name: 'x'.repeat(300 * 1024) } });
    expect(res.status).toBe(413);
  });

  it('refuses a body changed after signing', async () => {
    const id = `msg_${randomUUID()}`;
    const at = new Date();
    const signed = JSON.stringify({ type: 'supporter.upsert', data: { email: randomEmail() } });
    const res = await svc.app.request(`/v1/webhooks/partners/${partner.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(partner.secret).sign(id, at, signed),
      },
      body: signed.replace('@', '+x@'),
    });
    expect(res.status).toBe(401);
  });
});

describe('OSDI (Action Network) arrays', () => {
  async function osdi(body: unknown, auth: { header?: string; query?: string } = {}) {
    const query = auth.query === undefined ? '' : `?token=${encodeURIComponent(auth.query)}`;
    const res = await svc.app.request(`/v1/webhooks/partners/${partner.id}/osdi${query}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(auth.header === undefined ? {} : { 'OSDI-API-Token': auth.header }),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  }

  const byEmail = async (email: string) =>
    (
      await svc.sql`select name, phone, locale, timezone, tags, sms_consent, email_consent
        from supporters where org_id = ${svc.orgId} and email = ${email}`
    )[0];

  it('upserts the people it carries with their tags, and rejects a bad item by index', async () => {
    const [sophea, dara, chenda] = [randomEmail(), randomEmail(), randomEmail()];
    const phone = randomPhone();
    const res = await osdi(
      [
        {
          'osdi:submission': {
            person: {
              given_name: 'Sophea',
              family_name: 'Chan',
              email_addresses: [{ address: sophea, primary: true, status: 'subscribed' }],
              phone_numbers: [{ number: phone, primary: true, number_type: 'Mobile', status: 'subscribed' }],
              postal_addresses: [{ region: 'MA', country: 'US' }],
              languages_spoken: ['km'],
            },
            add_tags: [tag, 'lowell'],
          },
        },
        {
          'osdi:signature': {
            person: {
              given_name: 'Dara',
              email_addresses: [{ address: dara, primary: true }],
              phone_numbers: [{ number: randomPhone(), number_type: 'Mobile' }],
              postal_addresses: [{ region: 'CA', country: 'US' }],
            },
            add_tags: [tag],
          },
        },
        { 'osdi:attendance': { person: { given_name: 'No contact' } } },
        {
          'osdi:outreach': {
            person: { email_addresses: [{ address: chenda, status: 'unsubscribed' }] },
            add_tags: [tag],
          },
        },
        { 'osdi:donation': { person: {} } },
      ],
      { header: partner.secret },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.upserted).toBe(3);
    expect(res.body.rejected.map((r: Json) => r.index)).toEqual([2, 4]);
    expect(res.body.rejected[0].errors[0].path).toMatch(/^osdi:attendance\.person\.phone_numbers/);

    expect(await byEmail(sophea)).toMatchObject({
      name: 'Sophea Chan',
      phone,
      locale: 'km',
      timezone: 'America/New_York',
      sms_consent: true,
      email_consent: true,
    });
    expect((await byEmail(sophea))!.tags.sort()).toEqual([tag, 'lowell'].sort());
    // A phone without an SMS subscription status gives no SMS consent.
    expect(await byEmail(dara)).toMatchObject({
      locale: 'en',
      timezone: 'America/Los_Angeles',
      sms_consent: false,
      email_consent: true,
      tags: [tag],
    });
    expect(await byEmail(chenda)).toMatchObject({ email_consent: false });
  });

  it('keeps consent and language an item says nothing about', async () => {
    const email = randomEmail();
    const known = await svc.api('/v1/supporters', {
      body: { email, phone: randomPhone(), locale: 'km', consent: { sms: true, email: true } },
    });
    expect(known.status, JSON.stringify(known.body)).toBe(201);
    const res = await osdi([{ 'osdi:signature': { person: { email_addresses: [{ address: email }] } } }], {
      query: partner.secret,
    });
    expect(res.body).toEqual({ upserted: 1, rejected: [], warnings: [], suppressed: [] });
    expect(await byEmail(email)).toMatchObject({ locale: 'km', sms_consent: true, email_consent: true });
  });

  it('takes numeric phone numbers, Action Network uploads and actions, and drops an unusable field with a warning', async () => {
    const [upload, action, badPhone] = [randomEmail(), randomEmail(), randomEmail()];
    const phone = randomPhone();
    const res = await osdi(
      [
        {
          'action_network:upload': {
            person: {
              email_addresses: [{ address: upload }],
              // The OSDI specification's own example sends the number as a JSON number.
              phone_numbers: [{ number: Number(phone.replace('+', '')), status: 'subscribed' }],
            },
            add_tags: [tag],
          },
        },
        { 'action_network:action': { person: { email_addresses: [{ address: action }] } } },
        {
          'osdi:signature': {
            person: { email_addresses: [{ address: badPhone }], phone_numbers: [{ number: '12' }] },
          },
        },
      ],
      { header: partner.secret },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      upserted: 3,
      rejected: [],
      warnings: [
        {
          index: 2,
          path: 'osdi:signature.person.phone_numbers',
          message: expect.stringContaining('dropped'),
        },
      ],
    });
    expect(await byEmail(upload)).toMatchObject({ phone, sms_consent: true, tags: [tag] });
    expect(await byEmail(action)).toBeDefined();
    expect(await byEmail(badPhone)).toMatchObject({ phone: null });
  });

  it("rejects a person whose phone is one supporter's and email another's", async () => {
    const [a, b] = [
      { email: randomEmail(), phone: randomPhone() },
      { email: randomEmail(), phone: randomPhone() },
    ];
    for (const s of [a, b]) expect((await svc.api('/v1/supporters', { body: s })).status).toBe(201);
    const res = await osdi(
      [
        {
          'osdi:signature': {
            person: {
              email_addresses: [{ address: a.email }],
              phone_numbers: [{ number: b.phone, status: 'subscribed' }],
            },
          },
        },
      ],
      { header: partner.secret },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      upserted: 0,
      rejected: [{ index: 0, errors: [{ path: 'osdi:signature.person' }] }],
    });
  });

  it('refuses a wrong or missing secret with 401', async () => {
    const items = [{ 'osdi:signature': { person: { email_addresses: [{ address: randomEmail() }] } } }];
    expect((await osdi(items)).status).toBe(401);
    expect((await osdi(items, { header: `${partner.secret}x` })).status).toBe(401);
    expect((await osdi(items, { query: 'whsec_wrong' })).status).toBe(401);
    const other = await svc.app.request(`/v1/webhooks/partners/${randomUUID()}/osdi`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'OSDI-API-Token': partner.secret },
      body: JSON.stringify(items),
    });
    expect(other.status, 'the secret of another partner id').toBe(401);
  });

  it('takes arrays up to 1 MiB, past the 256 KiB limit of JSON routes', async () => {
    // Action Network items carry more than we keep (links, custom fields): about 1 KiB each here.
    const item = (i: number) => ({
      'osdi:signature': {
        person: {
          email_addresses: [{ address: `big-${i}-${tag}@example.org` }],
          custom_fields: { note: 'n'.repeat(1000) },
        },
        add_tags: [tag],
      },
    });
    const mid = Array.from({ length: 300 }, (_, i) => item(i));
    expect(JSON.stringify(mid).length).toBeGreaterThan(256 * 1024);
    const ok = await osdi(mid, { header: partner.secret });
    expect(ok.status, JSON.stringify(ok.body).slice(0, 500)).toBe(200);
    expect(ok.body.upserted).toBe(300);
    const huge = await osdi(
      Array.from({ length: 1100 }, (_, i) => item(i)),
      { header: partner.secret },
    );
    expect(huge.status).toBe(413);
  });

  it('refuses a body that is not an OSDI array', async () => {
    const res = await osdi({ hello: 'world' }, { header: partner.secret });
    expect(res.status).toBe(400);
  });
});

describe('partner tokens', () => {
  it('are refused on organizer routes with 403', async () => {
    const { token } = await createToken(svc.sql, {
      orgId: svc.orgId,
      role: 'partner',
      partnerId: partner.id,
    });
    for (const [path, body] of [
      ['/v1/campaigns', caseAlert()],
      ['/v1/supporters', { email: randomEmail() }],
      ['/v1/campaigns', undefined],
    ] as const) {
      const res = await svc.api(path, { token, body });
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(403);
    }
    const csv = await fetch(`${svc.apiUrl}/v1/supporters/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: 'name,phone,email,locale,timezone,tags,sms_consent,email_consent\n',
    });
    expect(csv.status).toBe(403);
  });
});
