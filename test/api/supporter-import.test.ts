import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, createToken } from '../../db/tenants';
import { mobilePhone } from '../support/generators';
import { type Service, startService } from '../support/service';

// biome-ignore lint/suspicious/noExplicitAny: answers are read as plain JSON
type Json = any;

const HEADER = 'name,phone,email,locale,timezone,tags,sms_consent,email_consent';

let svc: Service;
let bulk: { orgId: string; token: string };
const run = randomBytes(4).toString('hex');

beforeAll(async () => {
  // A sender of its own: the suppression list is shared per sender across the whole test database, and
  // 100,000 generated numbers would otherwise meet numbers that other files' tests opted out.
  svc = await startService({ roles: [], env: { TWILIO_FROM_NUMBER: '+15005550107' } });
  // The 100k rows go to an organization of their own, removed afterwards.
  const orgId = await createOrganization(svc.sql, { name: `bulk import ${run}` });
  bulk = { orgId, token: (await createToken(svc.sql, { orgId, role: 'organizer' })).token };
});
afterAll(async () => {
  if (bulk) await svc.sql`delete from supporters where org_id = ${bulk.orgId}`;
  await svc?.stop();
});

async function importCsv(
  body: string | ReadableStream<Uint8Array>,
  opts: { token?: string; type?: string } = {},
) {
  const res = await fetch(`${svc.apiUrl}/v1/supporters/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.token ?? svc.token}`, 'content-type': opts.type ?? 'text/csv' },
    body,
    duplex: 'half',
  } as RequestInit);
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: JSON.parse(text) as Json };
}

describe('CSV import', () => {
  const email = (who: string) => `${who}-${run}@example.org`;
  const sopheaPhone = mobilePhone();
  const file = [
    HEADER,
    `Sophea,${sopheaPhone},${email('sophea')},km,America/New_York,lowell; boston,yes,YES`,
    `Bad Email,,not-an-email,en,UTC,,no,no`,
    `No Contact,,,en,UTC,,,`,
    `Lost,,${email('lost')},en,Mars/Base,,1,0`,
    `Maybe,,${email('maybe')},en,UTC,,maybe,true`,
    '',
    `"Chan, Dara",,${email('dara')},EN,,"a;b",,1`,
    `Short Phone,555,,en,UTC,,true,false`,
    `Too Many,,${email('many')},en,UTC,,true,true,extra`,
  ].join('\r\n');

  it('imports the good rows and reports each bad one by spreadsheet row and column', async () => {
    const res = await importCsv(file);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ created: 2, updated: 0, rejectedTotal: 6 });
    const rejected = res.body.rejected.map((r: Json) => [r.row, r.errors.map((e: Json) => e.path)]);
    expect(rejected).toEqual([
      [3, ['email']],
      [4, ['phone']],
      [5, ['timezone']],
      [6, ['sms_consent']],
      [9, ['phone']],
      [10, ['(row)']],
    ]);
    const [sophea] = await svc.sql`select name, phone, locale, timezone, tags, sms_consent, email_consent
      from supporters where org_id = ${svc.orgId} and email = ${email('sophea')}`;
    expect(sophea).toMatchObject({
      name: 'Sophea',
      phone: sopheaPhone,
      locale: 'km',
      timezone: 'America/New_York',
      sms_consent: true,
      email_consent: true,
    });
    expect(sophea!.tags.sort()).toEqual(['boston', 'lowell']);
    const [dara] = await svc.sql`select name, locale, timezone, tags, sms_consent, email_consent
      from supporters where org_id = ${svc.orgId} and email = ${email('dara')}`;
    // No zone and no number: the organization's default zone (a US organization: America/New_York).
    expect(dara).toMatchObject({
      name: 'Chan, Dara',
      locale: 'en',
      timezone: 'America/New_York',
      sms_consent: false,
    });
  });

  it('counts a re-import of the same file as updates', async () => {
    const res = await importCsv(file);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ created: 0, updated: 2, rejectedTotal: 6 });
    const [{ n }] = (await svc.sql`select count(*)::int as n from supporters
      where org_id = ${svc.orgId} and email in (${email('sophea')}, ${email('dara')})`) as Json;
    expect(n).toBe(2);
  });

  it('refuses a body that is not text/csv with 415', async () => {
    const res = await importCsv(file, { type: 'application/json' });
    expect(res.status).toBe(415);
    expect(res.type).toContain('application/problem+json');
  });

  it('names an unknown column, or a missing contact column, with 400', async () => {
    const missing = await importCsv(
      'name,phone,email,locale,tags,sms_consent,email_consent\nA,,a@example.org,en,,,\n',
    );
    // A column left out is allowed (it keeps what is stored); a file without any contact column is not.
    expect(missing.status, JSON.stringify(missing.body)).toBe(200);
    const noContact = await importCsv('name,locale\nA,en\n');
    expect(noContact.status, JSON.stringify(noContact.body)).toBe(400);
    expect(noContact.body.errors.map((e: Json) => e.path)).toEqual(['header.phone']);
    const unknown = await importCsv(`${HEADER},nickname\n`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: Json) => e.path)).toEqual(['header.nickname']);
    const empty = await importCsv('');
    expect(empty.status).toBe(400);
  });

  it('reports a row that is not valid CSV as rejected and imports the rest', async () => {
    const res = await importCsv(
      `${HEADER}\nOk,,${email('ok')},en,UTC,,,\nBroken,,"unclosed,en,UTC,,,\nSwallowed,,${email('gone')},en,UTC,,,\n`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ created: 1, updated: 0, rejectedTotal: 1 });
    expect(res.body.rejected[0]).toMatchObject({ row: 3, errors: [{ path: '(row)' }] });
  });

  it('rejects a row whose phone and email belong to two different supporters', async () => {
    const [phoneA, phoneB] = [mobilePhone(), mobilePhone()];
    const setup = await importCsv(
      `${HEADER}\nA,${phoneA},${email('a')},en,UTC,,,\nB,${phoneB},${email('b')},en,UTC,,,\n`,
    );
    expect(setup.body).toMatchObject({ created: 2, rejectedTotal: 0 });
    const res = await importCsv(
      `${HEADER}\nA or B,${phoneA},${email('b')},en,UTC,,,\nC,,${email('c')},en,UTC,,,\n`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ created: 1, updated: 0, rejectedTotal: 1 });
    expect(res.body.rejected[0]).toMatchObject({ row: 2, errors: [{ path: '(row)' }] });
  });
});

describe('a 100,000-row import', () => {
  const ROWS = 100_000;
  const MB = 1024 * 1024;

  /** The CSV made on demand, 1,000 rows per chunk, so the test never holds the file either. */
  function csvStream(onChunk: (rowsSoFar: number) => Promise<void>) {
    let i = 0;
    const encoder = new TextEncoder();
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (i === 0) controller.enqueue(encoder.encode(`${HEADER}\n`));
        if (i >= ROWS) return controller.close();
        let chunk = '';
        for (const end = Math.min(i + 1000, ROWS); i < end; i++) {
          // 617-200-0000 upwards: valid numbers, one per row, in an organization of their own.
          const phone = `+1617${200 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`;
          chunk += `Supporter ${i},${phone},bulk-${i}-${run}@example.org,${i % 2 ? 'km' : 'en'},Asia/Phnom_Penh,bulk;wave-${i % 10},yes,yes\n`;
        }
        await onChunk(i);
        controller.enqueue(encoder.encode(chunk));
      },
    });
  }

  it('keeps memory flat and counts every row', { timeout: 600_000 }, async () => {
    // Collecting garbage before each sample makes RSS and heap show what is held, not GC pacing.
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const count = async () =>
      ((await svc.sql`select count(*)::int as n from supporters where org_id = ${bulk.orgId}`)[0] as Json).n;
    let importedWhileSending = -1;
    gc();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakLive = before.heapUsed + before.arrayBuffers;
    const sample = () => {
      gc();
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakLive = Math.max(peakLive, m.heapUsed + m.arrayBuffers);
    };
    const sampler = setInterval(sample, 1000);
    try {
      const res = await importCsv(
        csvStream(async (rowsSoFar) => {
          if (rowsSoFar === 80_000) importedWhileSending = await count();
        }),
        { token: bulk.token },
      );
      expect(res.status, JSON.stringify(res.body).slice(0, 2000)).toBe(200);
      expect(res.body).toEqual({
        created: ROWS,
        updated: 0,
        rejected: [],
        rejectedTotal: 0,
        suppressed: [],
        suppressedTotal: 0,
      });
    } finally {
      clearInterval(sampler);
    }
    sample();
    const rssGrowth = (peakRss - before.rss) / MB;
    const liveGrowth = (peakLive - before.heapUsed - before.arrayBuffers) / MB;
    expect(rssGrowth, `RSS grew by ${rssGrowth.toFixed(1)} MB`).toBeLessThan(150);
    // 100,000 parsed rows held at once would take well over this.
    expect(liveGrowth, `live heap grew by ${liveGrowth.toFixed(1)} MB`).toBeLessThan(64);
    // Streaming, not buffering: rows were in the database before the upload had finished.
    expect(importedWhileSending).toBeGreaterThan(10_000);
    expect(await count()).toBe(ROWS);
  });
});
