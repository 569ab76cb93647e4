import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicBaseUrl } from '../../core/runtime';
import { createOrganization, createToken } from '../../db/tenants';
import {
  createDeliveredSupporter,
  createOrg,
  randomPhone,
  twilioRequest,
  twilioSid,
} from '../support/fixtures';
import { type Service, startService } from '../support/service';

// Automatic answers to inbound SMS: in the supporter's language, once, never on top of Twilio's own.
const INBOUND = '/v1/webhooks/twilio/inbound';
let svc: Service;
let base: string;

beforeAll(async () => {
  svc = await startService({ roles: [] });
  base = publicBaseUrl(svc.config);
});
afterAll(async () => {
  await svc?.stop();
});

async function inbound(from: string, body: string, opts: { sid?: string; optOutType?: string } = {}) {
  const res = await svc.app.request(
    INBOUND,
    twilioRequest(svc.config.TWILIO_AUTH_TOKEN!, `${base}${INBOUND}`, {
      MessageSid: opts.sid ?? twilioSid(),
      From: from,
      To: '+15005550006',
      Body: body,
      ...(opts.optOutType ? { OptOutType: opts.optOutType } : {}),
    }),
  );
  expect(res.status).toBe(200);
  const xml = await res.text();
  // The one <Message> of the TwiML, unescaped, or null for <Response/>.
  const m = /<Message>([\s\S]*)<\/Message>/.exec(xml);
  return m ? m[1]!.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))) : null;
}

/** A supporter in a fresh organization with a short name, who got an SMS of a campaign. */
async function supporterOf(locale: 'en' | 'km', orgName = 'Sangkat UA') {
  const orgId = await createOrganization(svc.sql, { name: orgName });
  return createDeliveredSupporter(svc.sql, { orgId, supporter: { locale } });
}

const repliesTo = (supporterId: string) =>
  svc.sql<{ kind: string; locale: string; segments: number }[]>`
    select kind, locale, segments from auto_replies where supporter_id = ${supporterId} order by id`;

describe('automatic answers to inbound SMS', () => {
  it('answers a Khmer-speaking supporter in Khmer: help, stop and start, one each, each in one segment', async () => {
    const f = await supporterOf('km');
    const help = await inbound(f.phone, 'ជំនួយ');
    expect(help).toContain('Sangkat UA៖');
    expect(help).toContain('ឈប់');
    const stop = await inbound(f.phone, 'ឈប់');
    expect(stop).toContain('លែងទទួលសារ');
    const start = await inbound(f.phone, 'ចាប់ផ្តើម');
    expect(start).toContain('ទទួលសារម្តងទៀត');
    expect(await repliesTo(f.supporterId)).toEqual([
      { kind: 'help', locale: 'km', segments: 1 },
      { kind: 'opt_out_confirmation', locale: 'km', segments: 1 },
      { kind: 'opt_in_confirmation', locale: 'km', segments: 1 },
    ]);
  });

  it('answers HELP in English to an English-speaking supporter, even when asked in Khmer', async () => {
    const f = await supporterOf('en');
    const help = await inbound(f.phone, 'ជំនួយ');
    expect(help).toMatch(/^Sangkat UA: .*Reply STOP to stop/);
    expect((await repliesTo(f.supporterId))[0]).toEqual({ kind: 'help', locale: 'en', segments: 1 });
  });

  it('leaves STOP and START to Twilio, which confirms them itself, and Advanced Opt-Out decisions too', async () => {
    const f = await supporterOf('en');
    expect(await inbound(f.phone, 'STOP')).toBeNull();
    expect(await inbound(f.phone, 'start')).toBeNull();
    expect(await inbound(f.phone, 'ឈប់', { optOutType: 'STOP' })).toBeNull();
    expect(await repliesTo(f.supporterId)).toEqual([]);
    const [row] = await svc.sql<{ out: boolean }[]>`
      select sms_opted_out_at is not null as out from supporters where id = ${f.supporterId}`;
    expect(row!.out, 'the Advanced Opt-Out STOP still opted out').toBe(true);
  });

  it('answers a redelivered webhook once', async () => {
    const f = await supporterOf('km');
    const sid = twilioSid();
    expect(await inbound(f.phone, 'ជំនួយ', { sid })).toContain('Sangkat UA');
    expect(await inbound(f.phone, 'ជំនួយ', { sid })).toBeNull();
    expect(await repliesTo(f.supporterId)).toHaveLength(1);
  });

  it('confirms an opt-out at most once a day per number', async () => {
    const f = await supporterOf('km');
    expect(await inbound(f.phone, 'ឈប់')).not.toBeNull();
    expect(await inbound(f.phone, 'ឈប់')).toBeNull();
    expect(await repliesTo(f.supporterId)).toHaveLength(1);
  });

  it('confirms in the language of the keyword when the number is unknown, keeping only its keyed hash', async () => {
    const phone = randomPhone();
    const answer = await inbound(phone, 'ឈប់');
    expect(answer).toContain('លែងទទួលសារ');
    const rows = await svc.sql<{ locale: string; contact_key: string; org_id: string | null }[]>`
      select locale, contact_key, org_id from auto_replies where contact_key is not null order by id desc limit 1`;
    expect(rows[0]).toMatchObject({ locale: 'km', org_id: null });
    expect(rows[0]!.contact_key).toMatch(/^[0-9a-f]{64}$/);
    const leaked = await svc.sql`select 1 from auto_replies where body like ${`%${phone.slice(2)}%`}`;
    expect(leaked).toHaveLength(0);
  });

  it("confirms an organization's own opt-out keyword, which the carrier does not know", async () => {
    const orgId = await createOrg(svc.sql, { keywords: { optOut: ['ARRET'] } });
    const f = await createDeliveredSupporter(svc.sql, { orgId });
    // The organization's list replaces the default French words (DESABONNER is not in it); accents are folded.
    expect(await inbound(f.phone, 'Désabonner')).toBeNull();
    expect(await inbound(f.phone, 'Arrêt')).toMatch(/you will get no more messages/);
  });

  it('thanks for DONE only when asked, once per supporter per campaign, and a campaign may say no', async () => {
    const f = await supporterOf('km');
    expect(await inbound(f.phone, 'DONE'), 'off by default').toBeNull();
    const patch = await svc.api('/v1/organization', {
      method: 'PATCH',
      token: await orgToken(f.orgId),
      body: { autoReplies: { doneThankYou: { enabled: true } } },
    });
    expect(patch.status, JSON.stringify(patch.body)).toBe(200);
    expect(await inbound(f.phone, 'រួចរាល់')).toContain('សូមអរគុណ');
    expect(await inbound(f.phone, 'DONE'), 'once per campaign').toBeNull();
    await svc.sql`update campaigns set definition = jsonb_set(definition, '{options}', '{"doneThankYou": false}')
      where id = ${f.campaignId}`;
    await svc.sql`delete from auto_replies where supporter_id = ${f.supporterId}`;
    expect(await inbound(f.phone, 'DONE'), 'the campaign said no').toBeNull();
  });

  it('shows every automatic answer in the supporter history, with the reply that caused it', async () => {
    const f = await supporterOf('km');
    await inbound(f.phone, 'ជំនួយ');
    const res = await svc.api(`/v1/supporters/${f.supporterId}/messages`, { token: await orgToken(f.orgId) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const kinds = res.body.items.map((i: { type: string; status: string }) => `${i.type}:${i.status}`);
    expect(kinds).toEqual(expect.arrayContaining(['auto_reply:help', 'reply:help', 'campaign:accepted']));
    expect(JSON.stringify(res.body)).not.toContain(f.phone);
  });
});

describe('organization settings for the automatic answers', () => {
  it('shows every answer per language with its segments, takes a Khmer HELP text, and resets it with null', async () => {
    const f = await supporterOf('km', 'Lowell UA');
    const token = await orgToken(f.orgId);
    const before = await svc.api('/v1/organization', { token });
    expect(before.status).toBe(200);
    expect(before.body.answers.help.km).toMatchObject({ segments: 1, custom: false });
    expect(before.body.answers.help.en.text).toContain('Lowell UA');
    const own = 'Lowell UA៖ សួរ ០១២ ៣៤៥ ៦៧៨';
    const set = await svc.api('/v1/organization', {
      method: 'PATCH',
      token,
      body: { helpText: { km: own } },
    });
    expect(set.body.answers.help.km).toMatchObject({ text: own, custom: true });
    expect(await inbound(f.phone, 'ជំនួយ')).toBe(own);
    const reset = await svc.api('/v1/organization', {
      method: 'PATCH',
      token,
      body: { helpText: { km: null } },
    });
    expect(reset.body.answers.help.km.custom).toBe(false);
  });

  it('merges auto-reply texts language by language, and null returns one language to its default', async () => {
    const f = await supporterOf('km', 'Boston UA');
    const token = await orgToken(f.orgId);
    const patch = (body: unknown) => svc.api('/v1/organization', { method: 'PATCH', token, body });
    await patch({
      autoReplies: { confirmations: { optOut: { en: 'Boston UA: stopped.', km: 'Boston UA៖ ឈប់ហើយ។' } } },
    });
    const one = await patch({
      autoReplies: { confirmations: { optOut: { en: 'Boston UA: no more texts.' } } },
    });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body.answers.optOutConfirmation.en).toMatchObject({
      text: 'Boston UA: no more texts.',
      custom: true,
    });
    expect(one.body.answers.optOutConfirmation.km, 'the Khmer text stays').toMatchObject({
      text: 'Boston UA៖ ឈប់ហើយ។',
      custom: true,
    });
    const reset = await patch({ autoReplies: { confirmations: { optOut: { km: null } } } });
    expect(reset.body.answers.optOutConfirmation.km.custom).toBe(false);
    expect(reset.body.answers.optOutConfirmation.en.custom).toBe(true);
  });

  it('refuses a bad setting with 400 naming the field', async () => {
    const f = await supporterOf('en');
    const res = await svc.api('/v1/organization', {
      method: 'PATCH',
      token: await orgToken(f.orgId),
      body: { autoReplies: { doneThankYou: { enabled: 'yes' } }, helpText: { en: '' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'autoReplies.doneThankYou.enabled',
      'helpText.en',
    ]);
  });
});

/** An owner token of the organization: the settings are the owner's to change. */
async function orgToken(orgId: string): Promise<string> {
  return (await createToken(svc.sql, { orgId, role: 'owner' })).token;
}
