import { randomBytes, randomInt } from 'node:crypto';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicBaseUrl } from '../../core/runtime';
import { twilioRequest, twilioSid } from '../support/fixtures';
import { type Service, startService } from '../support/service';

// Issue 13: input as people and systems really send it, through the running API.

// biome-ignore lint/suspicious/noExplicitAny: answers are read as plain JSON
type Json = any;

const run = randomBytes(4).toString('hex');
const email = (who: string) => `${who}-${run}@example.org`;
const usPhone = () => `+1617${randomInt(200, 1000)}${String(randomInt(0, 10_000)).padStart(4, '0')}`;

let svc: Service;
beforeAll(async () => {
  svc = await startService({ roles: [] });
});
afterAll(async () => {
  await svc?.stop();
});

async function importCsv(body: string | Uint8Array, type = 'text/csv') {
  const res = await fetch(`${svc.apiUrl}/v1/supporters/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${svc.token}`, 'content-type': type },
    body,
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const find = async (address: string) => {
  const list = await svc.api(`/v1/supporters?q=${encodeURIComponent(address)}`);
  return list.body.items[0] as Json;
};

describe('kind 5: blank or missing fields keep what is stored', () => {
  it('a re-import with blank locale, timezone and consent cells keeps the Khmer speaker in Phnom Penh', async () => {
    const who = email('dara');
    const header = 'name,phone,email,locale,timezone,tags,sms_consent,email_consent';
    const first = await importCsv(`${header}\nDara,,${who},km,Asia/Phnom_Penh,,,yes\n`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const again = await importCsv(`${header}\n,,${who},,,,,\n`);
    expect(again.body, JSON.stringify(again.body)).toMatchObject({ updated: 1 });
    expect(await find(who)).toMatchObject({
      name: 'Dara',
      locale: 'km',
      timezone: 'Asia/Phnom_Penh',
      consent: { email: true },
    });
  });

  it('a POST that leaves fields out or blank keeps them; explicit values and null change them', async () => {
    const phone = usPhone();
    const created = await svc.api('/v1/supporters', {
      body: { name: 'Sokha', phone, locale: 'km', timezone: 'Asia/Phnom_Penh', consent: { sms: true } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const blank = await svc.api('/v1/supporters', { body: { phone, name: '', locale: '', timezone: ' ' } });
    expect(blank.body, JSON.stringify(blank.body)).toMatchObject({
      name: 'Sokha',
      locale: 'km',
      timezone: 'Asia/Phnom_Penh',
      consent: { sms: true },
    });
    const cleared = await svc.api('/v1/supporters', {
      body: { phone, name: null, locale: 'en', consent: { sms: false } },
    });
    expect(cleared.body).toMatchObject({ name: null, locale: 'en', timezone: 'Asia/Phnom_Penh' });
    expect(cleared.body.consent.sms).toBe(false);
  });
});

describe('kind 1: what a reply means', () => {
  const INBOUND = '/v1/webhooks/twilio/inbound';
  const inbound = async (from: string, params: Record<string, string>) => {
    const res = await svc.app.request(
      INBOUND,
      twilioRequest(svc.config.TWILIO_AUTH_TOKEN!, `${publicBaseUrl(svc.config)}${INBOUND}`, {
        MessageSid: twilioSid(),
        From: from,
        To: '+15005550006',
        ...params,
      }),
    );
    expect(res.status).toBe(200);
    return /<Message>([\s\S]*)<\/Message>/.exec(await res.text())?.[1] ?? null;
  };
  const supporterWithPhone = async () => {
    const phone = usPhone();
    const created = await svc.api('/v1/supporters', { body: { phone, consent: { sms: true } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return { phone, id: created.body.id as string };
  };
  const optedOut = async (id: string) => (await svc.api(`/v1/supporters/${id}`)).body.optedOut.sms;

  it('lets OptOutType decide whatever the word: No+STOP opts out, Yes+START opts back in', async () => {
    const s = await supporterWithPhone();
    await inbound(s.phone, { Body: 'No', OptOutType: 'STOP' });
    expect(await optedOut(s.id)).not.toBeNull();
    await inbound(s.phone, { Body: 'Yes', OptOutType: 'START' });
    expect(await optedOut(s.id)).toBeNull();
  });

  it('opts out on Khmer typed with other code points, multi-word, hyphenated and French keywords', async () => {
    for (const body of ['\u1788\u1794\u17CB\u17CB', 'Opt out', 'OPT-OUT', 'Arrêt', 'se désabonner']) {
      const s = await supporterWithPhone();
      await inbound(s.phone, { Body: body });
      expect(await optedOut(s.id), body).not.toBeNull();
    }
  });

  it('does not act on a sentence with a keyword, and shows it as needing a look', async () => {
    const s = await supporterWithPhone();
    expect(await inbound(s.phone, { Body: 'We have to STOP the deportations!' })).toBeNull();
    expect(await optedOut(s.id)).toBeNull();
    const history = await svc.api(`/v1/supporters/${s.id}/messages`);
    expect(history.body.items[0], JSON.stringify(history.body)).toMatchObject({
      type: 'reply',
      status: 'needs_review',
    });
  });

  it('answers HELP once: not when Twilio matched it (OptOutType=HELP) or answers it with Advanced Opt-Out on', async () => {
    const s = await supporterWithPhone();
    expect(await inbound(s.phone, { Body: 'HELP' })).not.toBeNull();
    expect(await inbound(s.phone, { Body: 'Aide', OptOutType: 'HELP' })).toBeNull();
    const on = await svc.api('/v1/organization', {
      method: 'PATCH',
      token: svc.ownerToken,
      body: { twilioAdvancedOptOut: true },
    });
    expect(on.body, JSON.stringify(on.body)).toMatchObject({ twilioAdvancedOptOut: true });
    try {
      expect(await inbound(s.phone, { Body: 'help' })).toBeNull();
      // Our own words are not Twilio's: we still answer them.
      expect(await inbound(s.phone, { Body: 'ជំនួយ' })).not.toBeNull();
    } finally {
      await svc.api('/v1/organization', {
        method: 'PATCH',
        token: svc.ownerToken,
        body: { twilioAdvancedOptOut: false },
      });
    }
  });
});

describe('kind 2: phone numbers as people write them', () => {
  it('stores Khmer digits and international prefixes as E.164', async () => {
    const khmer = await svc.api('/v1/supporters', { body: { phone: '+៨៥៥ ១២ ៣៤៥ ៦៧៨', email: email('kd') } });
    expect(khmer.status, JSON.stringify(khmer.body)).toBeLessThan(300);
    expect(khmer.body.phone).toBe('+85512345678');
    const dialled = await svc.api('/v1/supporters', { body: { phone: '011 855 12 345 679' } });
    expect(dialled.body.phone, JSON.stringify(dialled.body)).toBe('+85512345679');
  });

  it('refuses an extension and spreadsheet damage with a message that says why, naming the field', async () => {
    const ext = await svc.api('/v1/supporters', {
      body: { phone: '(617) 555-0143 ext. 12', consent: { sms: true } },
    });
    expect(ext.status).toBe(400);
    expect(ext.body.errors).toEqual([
      { path: 'phone', message: expect.stringContaining('extension (ext. 12)') },
    ]);
    const excel = await importCsv(`phone,email\n8.55123E+11,${email('excel')}\n`);
    expect(excel.body.rejected, JSON.stringify(excel.body)).toEqual([
      { row: 2, errors: [{ path: 'phone', message: expect.stringContaining('scientific notation') }] },
    ]);
  });
});

describe('kind 6: time zones nobody typed', () => {
  it('gives a +855 supporter Phnom Penh, others the organization zone, and shows where each came from', async () => {
    const kh = await svc.api('/v1/supporters', { body: { phone: '+855 12 345 670' } });
    expect(kh.body, JSON.stringify(kh.body)).toMatchObject({
      timezone: 'Asia/Phnom_Penh',
      timezoneSource: 'phone',
    });
    const org = await svc.api('/v1/organization', {
      method: 'PATCH',
      token: svc.ownerToken,
      body: { defaultTimezone: 'America/Chicago' },
    });
    expect(org.body, JSON.stringify(org.body)).toMatchObject({
      defaultTimezone: 'America/Chicago',
      defaultTimezoneSet: true,
    });
    try {
      const us = await svc.api('/v1/supporters', { body: { phone: usPhone() } });
      expect(us.body).toMatchObject({ timezone: 'America/Chicago', timezoneSource: 'organization' });
      const given = await svc.api('/v1/supporters', {
        body: { email: email('tz'), timezone: 'Europe/Paris' },
      });
      expect(given.body).toMatchObject({ timezone: 'Europe/Paris', timezoneSource: 'given' });
    } finally {
      const reset = await svc.api('/v1/organization', {
        method: 'PATCH',
        token: svc.ownerToken,
        body: { defaultTimezone: null },
      });
      expect(reset.body).toMatchObject({ defaultTimezone: 'America/New_York', defaultTimezoneSet: false });
    }
  });

  it('refuses an organization default that is not a time zone, naming the field', async () => {
    const bad = await svc.api('/v1/organization', {
      method: 'PATCH',
      token: svc.ownerToken,
      body: { defaultTimezone: 'Mars/Olympus' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('defaultTimezone');
  });
});

describe('kind 4: spreadsheets from other locales', () => {
  it('imports a semicolon-separated Windows-1252 export (French Excel) and a UTF-16 tab-separated "Unicode text"', async () => {
    const unknownColumn = iconv.encode(`nom;phone;email\n`, 'windows-1252');
    const bad = await importCsv(unknownColumn);
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('separated by semicolons');

    const a = email('helene');
    const semicolons = iconv.encode(
      `name;email;locale;sms_consent\nHélène Dupont;${a};en;\n`,
      'windows-1252',
    );
    const imported = await importCsv(semicolons, 'application/vnd.ms-excel');
    expect(imported.body, JSON.stringify(imported.body)).toMatchObject({ created: 1, rejected: [] });
    expect((await find(a)).name).toBe('Hélène Dupont');

    const b = email('sok');
    const unicodeText = iconv.encode(`name\temail\tlocale\nសុខ\t${b}\tkm\n`, 'utf-16le', { addBOM: true });
    const fromExcel = await importCsv(unicodeText, 'text/plain');
    expect(fromExcel.body, JSON.stringify(fromExcel.body)).toMatchObject({ created: 1, rejected: [] });
    expect(await find(b)).toMatchObject({ name: 'សុខ', locale: 'km' });
  });

  it('refuses a workbook sent as CSV, saying what it is', async () => {
    const res = await importCsv(Buffer.from('PK\u0003\u0004\u0014\u0000', 'latin1'));
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('Excel workbook');
  });
});
