import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveredSupporter } from '../support/fixtures';
import { type Service, startService } from '../support/service';

let svc: Service;
beforeAll(async () => {
  svc = await startService({ roles: [] });
});
afterAll(async () => {
  await svc?.stop();
});

async function call(path: string, init: RequestInit = {}) {
  const res = await svc.app.request(path, init);
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    headers: res.headers,
    text: await res.text(),
  };
}

const events = (campaignId: string, supporterId: string, kind: 'click' | 'done') =>
  svc.sql`select source, stage_run_id from action_events
    where campaign_id = ${campaignId} and supporter_id = ${supporterId} and kind = ${kind}`;

async function optOuts(supporterId: string) {
  const [row] = await svc.sql<{ sms: Date | null; email: Date | null }[]>`
    select sms_opted_out_at as sms, email_opted_out_at as email from supporters where id = ${supporterId}`;
  return row!;
}

/** Nothing the service knows a supporter by may show in what a link answers. */
function expectNoIds(text: string, f: Awaited<ReturnType<typeof createDeliveredSupporter>>) {
  for (const id of [f.orgId, f.supporterId, f.campaignId, f.stageRunId, f.sms.id, f.phone]) {
    expect(text, 'an id or contact detail leaked').not.toContain(id);
  }
}

describe('action links /a/:token', () => {
  it('redirects to the action page and records a click', async () => {
    const f = await createDeliveredSupporter(svc.sql, {
      actionUrl: 'https://act.example.org/ua-12-23?lang=km',
    });
    const res = await call(`/a/${f.email.token}`);
    expect(res.status, res.text).toBe(302);
    expect(res.headers.get('location')).toBe('https://act.example.org/ua-12-23?lang=km');
    expect(res.headers.get('cache-control'), 'a cached redirect would hide clicks').toBe('no-store');
    expect(await events(f.campaignId, f.supporterId, 'click')).toEqual([
      { source: 'link', stage_run_id: f.stageRunId },
    ]);
    await call(`/a/${f.sms.token}`);
    expect(await events(f.campaignId, f.supporterId, 'click'), 'every visit counts').toHaveLength(2);
  });

  it('does not count a HEAD from a link scanner as a click', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    const res = await call(`/a/${f.sms.token}`, { method: 'HEAD' });
    expect(res.status).toBe(302);
    expect(await events(f.campaignId, f.supporterId, 'click')).toHaveLength(0);
  });

  it('never redirects to anything but an http(s) page', async () => {
    const f = await createDeliveredSupporter(svc.sql, { actionUrl: 'javascript:alert(1)' });
    const res = await call(`/a/${f.sms.token}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
    const none = await createDeliveredSupporter(svc.sql, { actionUrl: null });
    expect((await call(`/a/${none.sms.token}`)).status).toBe(404);
  });

  it('records "I did it" once per supporter and campaign, and lets the action page call it', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    const first = await call(`/a/${f.sms.token}/done`, {
      method: 'POST',
      headers: { origin: 'https://act.example.org' },
    });
    expect(first.status, first.text).toBe(200);
    expect(JSON.parse(first.text)).toEqual({ status: 'done' });
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    expectNoIds(first.text, f);
    const again = await call(`/a/${f.email.token}/done`, { method: 'POST', body: 'anything' });
    expect(again.status).toBe(200);
    expect(await events(f.campaignId, f.supporterId, 'done')).toEqual([
      { source: 'link', stage_run_id: f.stageRunId },
    ]);
    const preflight = await call(`/a/${f.sms.token}/done`, {
      method: 'OPTIONS',
      headers: { origin: 'https://act.example.org', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBeLessThan(300);
  });
});

describe('unsubscribe links /u/:token', () => {
  it('shows a confirmation page that changes nothing', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    const res = await call(`/u/${f.email.token}`);
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/html');
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toMatch(/<form method="post">[\s\S]*<button type="submit">Unsubscribe<\/button>/);
    expect(res.text).toContain('Stop emails?');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expectNoIds(res.text, f);
    expect(await optOuts(f.supporterId)).toEqual({ sms: null, email: null });
  });

  it('speaks Khmer to a supporter whose locale is km', async () => {
    const f = await createDeliveredSupporter(svc.sql, { supporter: { locale: 'km' } });
    const page = await call(`/u/${f.sms.token}`);
    expect(page.text).toContain('<html lang="km">');
    expect(page.text).toContain('ឈប់ទទួលសារ SMS?');
    const done = await call(`/u/${f.sms.token}`, { method: 'POST' });
    expect(done.text).toContain('<html lang="km">');
    expect(done.text).toContain('អ្នកបានឈប់ទទួលរួចហើយ');
  });

  it('unsubscribes the channel of that link only, with the RFC 8058 one-click body', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    const res = await call(`/u/${f.email.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toContain('You are unsubscribed');
    expectNoIds(res.text, f);
    const after = await optOuts(f.supporterId);
    expect(after.email).not.toBeNull();
    expect(after.sms, 'SMS stays on').toBeNull();

    const sms = await createDeliveredSupporter(svc.sql);
    await call(`/u/${sms.sms.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    const smsAfter = await optOuts(sms.supporterId);
    expect(smsAfter.sms).not.toBeNull();
    expect(smsAfter.email, 'email stays on').toBeNull();
  });

  it('keeps the first opt-out time when the link is used again', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    await call(`/u/${f.sms.token}`, { method: 'POST' });
    const first = await optOuts(f.supporterId);
    const again = await call(`/u/${f.sms.token}`, { method: 'POST' });
    expect(again.status).toBe(200);
    expect(await optOuts(f.supporterId)).toEqual(first);
  });
});

describe('unknown tokens', () => {
  const unknown = randomBytes(24).toString('base64url');
  it.each([
    ['GET', `/a/${unknown}`],
    ['POST', `/a/${unknown}/done`],
    ['GET', `/u/${unknown}`],
    ['POST', `/u/${unknown}`],
    ['GET', '/a/short'],
    ['GET', `/a/${'x'.repeat(500)}`],
    ['POST', "/u/'%20or%201=1--"],
  ])('%s %s → 404 problem+json', async (method, path) => {
    const res = await call(path, { method });
    expect(res.status, res.text).toBe(404);
    expect(res.type).toContain('application/problem+json');
  });

  it('shows a browser a page in both languages', async () => {
    const res = await call(`/u/${unknown}`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(res.status).toBe(404);
    expect(res.type).toContain('text/html');
    expect(res.text).toContain('This link is not valid');
    expect(res.text).toContain('lang="km"');
  });
});
