import { randomBytes } from 'node:crypto';
import { isValidPhoneNumber } from 'libphonenumber-js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, createToken } from '../../db/tenants';
import { countSegments } from '../../domain/sms-segments';
import { type Browser, launchBrowser } from '../support/browser';
import { signInAs } from '../support/console-session';
import { randomPhone } from '../support/generators';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// The organizer console in headless Chromium, against the API, workers, Temporal and the sandbox.

let svc: Service;
let browser: Browser;
let page: Page;
const tag = `console-${randomBytes(4).toString('hex')}`;
const title = `Free Kem Sokha ${tag}`;
const seeded: Array<{ id: string; phone: string; locale: 'en' | 'km' }> = [];
let campaignId = '';

/** A random North American number the API accepts (fixtures' randomPhone may pick an unassigned area code). */
function validPhone(): string {
  for (;;) {
    const phone = randomPhone();
    if (isValidPhoneNumber(phone)) return phone;
  }
}

const url = (path: string) => `${svc.apiUrl}${path}`;
const text = async (selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

/** Reloads the page until `read` satisfies `ok`: the console has no live push, organizers refresh. */
const reloadUntil = (read: () => Promise<string>, ok: (v: string) => boolean, what: string) =>
  eventually(
    async () => {
      await page.reload();
      return read();
    },
    ok,
    what,
  );

beforeAll(async () => {
  svc = await startService();
  browser = await launchBrowser();
  page = browser.page;
  for (const locale of ['km', 'km', 'en'] as const) {
    const phone = validPhone();
    const res = await svc.api('/v1/supporters', {
      body: {
        name: 'Dara',
        phone,
        locale,
        timezone: 'America/New_York',
        tags: [tag],
        consent: { sms: true },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    seeded.push({ id: res.body.id, phone: res.body.phone, locale });
  }
});

afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

describe('the organizer console', () => {
  it('refuses a wrong sign-in code next to the field (keyboard only), then opens as a signed-in owner', async () => {
    await page.goto(url('/console/campaigns'));
    expect(new URL(page.url()).pathname).toBe('/console/login');
    for (let i = 0; i < 12; i++) {
      if ((await page.evaluate('document.activeElement?.id')) === 'f-email') break;
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate('document.activeElement?.id')).toBe('f-email');
    await page.keyboard.type('nobody@example.org');
    await page.keyboard.press('Tab');
    await page.keyboard.type('123456');
    await page.keyboard.press('Enter');
    await page.waitForLoadState();
    const error = page.locator('.field:has(#f-code) [data-error-for="code"]');
    expect(await error.textContent()).toContain('Sign-in failed');
    expect(await page.locator('#f-code').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-code').getAttribute('aria-describedby')).toContain('f-code-error-0');
    await browser.screenshot('console-login-error');

    await signInAs(svc, browser.context, 'owner');
    await page.goto(url('/console/campaigns'));
    expect(new URL(page.url()).pathname).toBe('/console/campaigns');
    const cookie = (await browser.context.cookies()).find((c) => c.name === 'console_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('nav a[aria-current="page"]').textContent()).toContain('Campaigns');
  });

  it('shows each API error next to the field it concerns', async () => {
    await page.goto(url('/console/campaigns/new?kind=case_alert'));
    await page.locator('#f-title').fill(title);
    await page.locator('#f-params-caseName').fill('Kem Sokha');
    await page.locator('#f-stages-0-content-en-sms').fill('Act now {{actionUrl}}');
    await page.locator('#f-stages-0-content-km-sms').fill('សូមជួយ {{password}}');
    await page.locator('#f-action-url').fill('not a url');
    await page.getByRole('button', { name: /^Preview/ }).click();
    await page.locator('#error-summary').waitFor();

    const urlError = page.locator('.field:has(#f-action-url) [data-error-for="action.url"]');
    expect(await urlError.textContent()).toContain('http(s) URL');
    expect(await page.locator('#f-action-url').getAttribute('aria-invalid')).toBe('true');
    const kmError = page.locator(
      '.field:has(#f-stages-0-content-km-sms) [data-error-for="stages.0.content.km.sms"]',
    );
    expect(await kmError.textContent()).toContain('unknown placeholder {{password}}');
    expect(await page.locator('#f-stages-0-content-en-sms').getAttribute('aria-invalid')).toBeNull();
    // What the organizer typed stays in the form.
    expect(await page.locator('#f-stages-0-content-km-sms').inputValue()).toBe('សូមជួយ {{password}}');
    expect(await page.getByRole('button', { name: /Launch campaign/ }).count()).toBe(0);
    await browser.screenshot('console-field-errors');
  });

  it('previews both audiences of an escalation that may widen to the partner tag the organizer names', async () => {
    const partners = `${tag}-partners`;
    for (let i = 0; i < 2; i++) {
      const res = await svc.api('/v1/supporters', {
        body: { phone: validPhone(), tags: [partners], consent: { sms: true } },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    await page.goto(url('/console/campaigns/new?kind=case_alert'));
    await page.locator('#f-title').fill(`${title} widened`);
    await page.locator('#f-params-caseName').fill('Kem Sokha');
    await page.locator('#f-params-widenTo').fill(partners);
    await page.locator('#f-stages-0-content-en-sms').fill('URGENT: act for {{caseName}} {{actionUrl}}');
    await page.locator('#f-action-url').fill('https://act.example.org/free-kem-sokha');
    await page.locator('#f-audience-tags-include').fill(tag);
    await page.getByRole('button', { name: /^Preview/ }).click();
    await page.locator('#preview').waitFor();
    expect(await text('tr[data-stage="escalation"] td:nth-of-type(3)')).toBe('3');
    expect(await text('tr[data-stage-widened="escalation"] [data-widened-recipients]')).toBe('5');
    expect(await text('tr[data-stage-widened="escalation"] th')).toContain(`tagged ${partners}`);
    // Only stages after the follow-up's rule can be widened.
    expect(await page.locator('tr[data-stage-widened]').count()).toBe(1);
    expect(await page.locator('[data-preview="widened-cost"]').count()).toBe(1);
  });

  it('launches a case alert from the form after its preview, once however often it is submitted', async () => {
    await page.goto(url('/console/campaigns/new?kind=case_alert'));
    await page.locator('#f-title').fill(title);
    await page.locator('#f-params-caseName').fill('Kem Sokha');
    await page.locator('#f-params-caseNumber').fill('UA 12/23');
    await page.locator('#f-stages-0-content-en-sms').fill('URGENT: act for {{caseName}} {{actionUrl}}');
    await page.locator('#f-stages-0-content-km-sms').fill('បន្ទាន់៖ សូមជួយ {{caseName}} {{actionUrl}}');
    await page.locator('#f-action-url').fill('https://act.example.org/free-kem-sokha');
    await page.locator('#f-action-targets').fill('H.E. Koeut Rith | Minister of Justice');
    await page.locator('#f-audience-tags-include').fill(tag);
    await page.locator('#f-options-quietHours').uncheck();
    expect(await page.getByRole('button', { name: /Launch campaign/ }).count()).toBe(0);

    await page.getByRole('button', { name: /^Preview/ }).click();
    await page.locator('#preview').waitFor();
    expect(await text('[data-preview="total"]')).toBe('3');
    expect(await text('[data-preview="sms"]')).toBe('3');
    expect(await text('tr[data-stage="alert"] [data-segments="km"]')).toMatch(/^UCS-2, \d+$/);
    expect(await text('tr[data-stage="alert"] [data-segments="en"]')).toMatch(/^GSM-7, \d+$/);
    expect(await page.locator('tr[data-stage]').count()).toBe(3);
    await browser.screenshot('console-new-campaign-preview');

    // Two submissions racing (a double click) and then the button itself: one Idempotency-Key, one campaign.
    const fields = (await page.evaluate(
      `Array.from(new FormData(document.querySelector('form[action^="/console/campaigns/new"]')).entries())`,
    )) as Array<[string, string]>;
    expect(fields.map(([name]) => name)).toContain('_idempotencyKey');
    const submit = () =>
      browser.context.request.post(url('/console/campaigns/new?kind=case_alert'), {
        form: Object.fromEntries([...fields, ['intent', 'launch']]),
        headers: { origin: svc.apiUrl },
      });
    const raced = (await Promise.all([submit(), submit()])).map((r) => r.url());
    await page.getByRole('button', { name: /Launch campaign/ }).click();
    await page.waitForURL(/\/console\/campaigns\/[0-9a-f-]{36}\?launched=1$/);
    campaignId = new URL(page.url()).pathname.split('/').pop()!;
    expect(raced.map((u) => new URL(u).pathname)).toEqual([
      `/console/campaigns/${campaignId}`,
      `/console/campaigns/${campaignId}`,
    ]);
    expect(await text('h1')).toBe(title);
    const all = await svc.api('/v1/campaigns?limit=100');
    expect(all.body.items.filter((c: { title: string }) => c.title === title)).toHaveLength(1);
  });

  it('lists the campaign with its kind and status, and filters by status', async () => {
    const row = `tr[data-campaign="${campaignId}"]`;
    await page.goto(url('/console/campaigns'));
    expect(await text(`${row} th a`)).toBe(title);
    expect(await text(`${row} td:nth-of-type(1)`)).toBe('Urgent Action case alert');
    await reloadUntil(
      () => text(`${row} .badge`),
      (s) => s === 'running',
      'running in the list',
    );
    expect(await text(`${row} td:nth-of-type(4)`)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);

    await page.getByLabel('Status').selectOption('running');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/status=running/);
    expect(await page.locator(row).count()).toBe(1);
    await browser.screenshot('console-campaigns');
    await page.getByLabel('Status').selectOption('cancelled');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/status=cancelled/);
    expect(await page.locator(row).count()).toBe(0);
  });

  it('shows the counts move as the sandbox delivers, and pauses and resumes the campaign', async () => {
    await page.goto(url(`/console/campaigns/${campaignId}`));
    const alert = 'li[data-stage="alert"]';
    // The stage is done once every page is sent; delivery receipts arrive from the sandbox after that.
    const reached = await reloadUntil(
      async () =>
        `${await page.locator(alert).getAttribute('data-status')} ${await text(`${alert} [data-count="delivered"]`)}`,
      (v) => v === 'done 3',
      'the alert done and delivered to three',
    );
    expect(reached).toBe('done 3');
    expect(await text(`${alert} [data-count="targeted"]`)).toBe('3');
    expect(await text(`${alert} [data-count="sent"]`)).toBe('3');
    expect(await text('li[data-stage="follow-up"] .badge')).toBe('scheduled');
    expect(await text('svg.funnel [data-count="delivered"]')).toBe('3');
    expect(await text('svg.funnel [data-count="acted"]')).toBe('0');
    const sandbox = sandboxClient(svc.sandboxUrl);
    for (const s of seeded) {
      const bodies = (await sandbox.messages({ channel: 'sms', to: s.phone })).map((m) => m.body ?? '');
      expect(bodies.some((b) => b.startsWith(s.locale === 'km' ? 'បន្ទាន់៖' : 'URGENT:'))).toBe(true);
    }

    await page.getByRole('button', { name: /^Pause/ }).click();
    await page.waitForURL(/done=pause/);
    expect(await text('[role="status"]')).toContain('Pause requested');
    await reloadUntil(
      () => text('[data-campaign-status]'),
      (s) => s === 'paused',
      'paused',
    );
    expect((await svc.api(`/v1/campaigns/${campaignId}`)).body.status).toBe('paused');
    // The campaign's page names the person who paused it (the audit log's actor).
    const pausedBy = await page
      .locator('table.activity tbody tr', { hasText: 'campaign.pause' })
      .first()
      .textContent();
    expect(pausedBy).toContain('Test owner (person)');
    await page.getByRole('button', { name: /^Resume/ }).click();
    await page.waitForURL(/done=resume/);
    await reloadUntil(
      () => text('[data-campaign-status]'),
      (s) => s === 'running',
      'running again',
    );
    expect((await svc.api(`/v1/campaigns/${campaignId}`)).body.status).toBe('running');
  });

  it("shows each campaign's action rate in the list from the list itself", async () => {
    // One of the three reached supporters says "I did it" on the action page: 1 of 3 acted.
    const sandbox = sandboxClient(svc.sandboxUrl);
    const [body] = (await sandbox.messages({ channel: 'sms', to: seeded[2]!.phone })).map(
      (m) => m.body ?? '',
    );
    const token = /\/a\/([A-Za-z0-9_-]+)/.exec(body ?? '')?.[1];
    expect(token, body).toBeTruthy();
    expect((await fetch(url(`/a/${token}/done`), { method: 'POST' })).status).toBe(200);

    const row = `tr[data-campaign="${campaignId}"]`;
    await page.goto(url('/console/campaigns'));
    const shown = await reloadUntil(
      () => text(`${row} [data-action-rate]`),
      (s) => s === '33.3 %',
      'the action rate in the list',
    );
    expect(shown).toBe('33.3 %');
    expect(await text('thead th:last-child')).toBe('Action rate');
    // The campaign's own page agrees.
    await page.locator(`${row} th a`).click();
    await page.waitForURL(new RegExp(`/console/campaigns/${campaignId}$`));
    expect(await text('[data-action-rate]')).toBe('33.3 %');
  });

  it('sends a case update in Khmer, counting its UCS-2 segments while it is typed', async () => {
    await page.goto(url(`/console/campaigns/${campaignId}`));
    const khmer = 'ព័ត៌មានថ្មី៖ តុលាការបានពន្យារពេលសវនាការរបស់លោក កឹម សុខា។ សូមបន្តសរសេរទៅរដ្ឋមន្ត្រីក្រសួងយុត្តិធម៌ ថ្ងៃនេះ។';
    const expected = countSegments(khmer);
    expect(expected).toMatchObject({ encoding: 'UCS-2' });
    expect(expected.segments).toBeGreaterThan(1);
    const counter = page.locator('#f-update-content-km-sms-segments');
    await page.locator('#f-update-content-km-sms').fill(khmer.slice(0, 20));
    expect(await counter.getAttribute('data-segments')).toBe('1');
    await page.locator('#f-update-content-km-sms').fill(khmer);
    expect(await counter.getAttribute('data-encoding')).toBe('UCS-2');
    expect(await counter.getAttribute('data-segments')).toBe(String(expected.segments));
    expect(await counter.textContent()).toContain('70 single / 67 per part');
    await page.locator('#f-update-content-en-sms').fill('Case update: the hearing is postponed.');
    expect(await page.locator('#f-update-content-en-sms-segments').getAttribute('data-encoding')).toBe(
      'GSM-7',
    );
    expect(await page.locator('#f-update-content-km-sms').getAttribute('lang')).toBe('km');
    await browser.screenshot('console-case-update-khmer');

    await page.getByRole('button', { name: /Send case update/ }).click();
    await page.waitForURL(/update=update-1/);
    await reloadUntil(
      async () => (await page.locator('li[data-stage="update-1"]').getAttribute('data-status')) ?? '',
      (s) => s === 'done',
      'the case update done',
    );
    const sandbox = sandboxClient(svc.sandboxUrl);
    for (const s of seeded) {
      const expectedBody = s.locale === 'km' ? khmer : 'Case update: the hearing is postponed.';
      const bodies = await eventually(
        async () => (await sandbox.messages({ channel: 'sms', to: s.phone })).map((m) => m.body ?? ''),
        (b) => b.includes(expectedBody),
        `the case update to a ${s.locale} supporter`,
      );
      expect(bodies.filter((b) => b === expectedBody)).toHaveLength(1);
    }
    await browser.screenshot('console-campaign');
  });

  it('shows a problem with the case update next to its field', async () => {
    await page.goto(url(`/console/campaigns/${campaignId}`));
    await page.locator('#f-update-content-km-sms').fill('សូមជួយ {{secret}}');
    await page.getByRole('button', { name: /Send case update/ }).click();
    const error = page.locator(
      '.field:has(#f-update-content-km-sms) [data-error-for="update.content.km.sms"]',
    );
    expect(await error.textContent()).toContain('unknown placeholder {{secret}}');
    expect(await page.locator('li[data-stage="update-2"]').count()).toBe(0);
  });

  it("answers not found for another organization's campaign", async () => {
    const otherOrg = await createOrganization(svc.sql, { name: `other ${tag}` });
    const other = await createToken(svc.sql, { orgId: otherOrg, role: 'organizer' });
    const theirs = await svc.api('/v1/campaigns', {
      token: other.token,
      body: {
        kind: 'case_alert',
        title: 'Not yours',
        params: { caseName: 'Elsewhere' },
        content: { en: { sms: 'Act {{actionUrl}}' } },
        action: { url: 'https://act.example.org/elsewhere' },
      },
    });
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    const res = await page.goto(url(`/console/campaigns/${theirs.body.id}`));
    expect(res?.status()).toBe(404);
    expect(await text('h1')).toBe('Campaign not found');
    expect(await page.content()).not.toContain('Not yours');
    await browser.screenshot('console-not-found');
  });

  it("searches supporters by name, phone digits and tag, a page at a time, never another organization's", async () => {
    const add = async (body: Record<string, unknown>, token?: string) => {
      const res = await svc.api('/v1/supporters', { body, token });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; phone: string };
    };
    const searchTag = `search-${tag}`;
    const sokun = await add({
      name: `Sokun Srey ${tag}`,
      phone: validPhone(),
      email: `sokun.${tag}@example.org`,
      locale: 'km',
      tags: [searchTag],
      consent: { sms: true },
    });
    const khmerName = `សុខុម ចាន់ ${tag}`;
    const sokhom = await add({ name: khmerName, phone: validPhone(), locale: 'km', tags: [searchTag] });
    // Another organization's supporter with the same name and the same phone number.
    const otherOrg = await createOrganization(svc.sql, { name: `search other ${tag}` });
    const other = await createToken(svc.sql, { orgId: otherOrg, role: 'organizer' });
    const theirs = await add({ name: `Sokun Srey ${tag}`, phone: sokun.phone }, other.token);
    const resultIds = () =>
      page.locator('tr[data-result]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-result')));

    // Keyboard only: Tab to the search box, type, Enter.
    await page.goto(url('/console/supporters'));
    for (let i = 0; i < 12; i++) {
      if ((await page.evaluate('document.activeElement?.id')) === 'f-q') break;
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate('document.activeElement?.id')).toBe('f-q');
    await page.keyboard.type(`sokun srey ${tag}`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/[?&]q=/);
    expect(await resultIds()).toEqual([sokun.id]);
    const row = `tr[data-result="${sokun.id}"]`;
    expect(await text(`${row} th a`)).toBe(`Sokun Srey ${tag}`);
    expect(await text(`${row} [data-col="phone"]`)).toBe(sokun.phone);
    expect(await text(`${row} [data-col="email"]`)).toBe(`sokun.${tag}@example.org`);
    expect(await text(`${row} [data-col="locale"]`)).toBe('Khmer ខ្មែរ');
    expect(await text(`${row} [data-col="tags"]`)).toBe(searchTag);
    expect(await text(`${row} [data-col="consent"]`)).toBe('SMS');
    expect(await page.content()).not.toContain(theirs.id);

    // Phone digits, typed as people write them: both organizations hold this number, one is shown.
    const digits = sokun.phone.replace(/\D/g, '').slice(-7);
    await page.locator('#f-q').fill(`${digits.slice(0, 3)}-${digits.slice(3)}`);
    await page.locator('#f-q').press('Enter');
    await page.waitForURL(new RegExp(`q=${digits.slice(0, 3)}`));
    expect(await resultIds()).toEqual([sokun.id]);
    expect(await page.content()).not.toContain(theirs.id);
    // A campaign supporter by its digits too.
    await page.locator('#f-q').fill(seeded[1]!.phone.replace(/\D/g, '').slice(-8));
    await page.locator('#f-q').press('Enter');
    await page.waitForURL(/q=\d{8}/);
    expect(await resultIds()).toContain(seeded[1]!.id);

    // Khmer: found by part of the name, shown with lang="km".
    await page.locator('#f-q').fill('សុខុម ចាន់');
    await page.locator('#f-tag').fill(searchTag);
    await page.locator('#f-q').press('Enter');
    await page.waitForURL(/tag=search-/);
    expect(await resultIds()).toEqual([sokhom.id]);
    expect(await page.locator(`tr[data-result="${sokhom.id}"] th`).getAttribute('lang')).toBe('km');
    expect(await page.locator('#f-q').inputValue()).toBe('សុខុម ចាន់');

    // Tag alone: both, newest first; the name links to the supporter's page.
    await page.locator('#f-q').fill('');
    await page.locator('#f-tag').press('Enter');
    await page.waitForURL(/q=&tag=search-/);
    expect(await resultIds()).toEqual([sokhom.id, sokun.id]);
    await browser.screenshot('console-supporters-search');
    await page.locator(`tr[data-result="${sokun.id}"] th a`).click();
    await page.waitForURL(/\?id=/);
    expect(await text(`[data-supporter="${sokun.id}"] tr:nth-of-type(2) td`)).toBe(sokun.phone);

    // Too few digits for a phone: said next to the field, nothing searched.
    await page.locator('#f-q').fill('12');
    await page.locator('#f-q').press('Enter');
    await page.waitForURL(/q=12/);
    expect(await text('.field:has(#f-q) [data-error-for="q"]')).toContain('at least 4 digits');
    expect(await page.locator('#f-q').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#search-results').count()).toBe(0);

    // A page at a time, through the "Next page" link.
    const pagedTag = `paged-${tag}`;
    for (let i = 0; i < 26; i++) await add({ email: `paged${i}.${tag}@example.org`, tags: [pagedTag] });
    await page.goto(url(`/console/supporters?tag=${pagedTag}`));
    const first = await resultIds();
    expect(first).toHaveLength(25);
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL(/cursor=/);
    const second = await resultIds();
    expect(second).toHaveLength(1);
    expect(first).not.toContain(second[0]);
    expect(await page.getByRole('link', { name: 'Next page' }).count()).toBe(0);
    expect(await page.locator('#f-tag').inputValue()).toBe(pagedTag);

    // A pasted id opens that supporter.
    await page.locator('#f-tag').fill('');
    await page.locator('#f-q').fill(sokhom.id);
    await page.locator('#f-q').press('Enter');
    await page.waitForURL(new RegExp(`\\?id=${sokhom.id}$`));
    expect(await text('#supporter-h')).toBe(khmerName);
  });

  it('finds a supporter by id, imports a CSV with per-row errors, and erases a supporter', async () => {
    await page.goto(url('/console/supporters'));
    await page.locator('#f-id').fill(seeded[0]!.id);
    await page.getByRole('button', { name: 'Find' }).click();
    expect(await text(`[data-supporter="${seeded[0]!.id}"] tr:nth-of-type(2) td`)).toBe(seeded[0]!.phone);
    // The case alert launched above reached them: its message is in their history, without its text.
    const history = page.locator(`[data-supporter="${seeded[0]!.id}"] li[data-history="campaign"]`);
    expect(await history.allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/→ SMS: alert message, (accepted|sent|delivered)/)]),
    );

    await page.locator('#f-id').fill('not-an-id');
    await page.getByRole('button', { name: 'Find' }).click();
    expect(await text('.field:has(#f-id) [data-error-for="id"]')).toContain('Not a supporter id');

    const csv = [
      'name,phone,email,locale,timezone,tags,sms_consent,email_consent',
      `Sokha,${validPhone()},,km,Asia/Phnom_Penh,${tag};imported,true,false`,
      'Nobody,,,en,UTC,,true,false',
    ].join('\n');
    await page
      .locator('#f-file')
      .setInputFiles({ name: 'supporters.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: /^Import/ }).click();
    await page.locator('#import-result').waitFor();
    expect(await text('[data-import="created"]')).toBe('1');
    expect(await text('[data-import="rejected"]')).toBe('1');
    expect(await page.locator('tr[data-rejected-row="3"]').count()).toBeGreaterThan(0);
    await browser.screenshot('console-supporters-import');

    await page.locator('#f-phone').fill('12');
    await page.getByRole('button', { name: 'Save supporter' }).click();
    expect(await text('.field:has(#f-phone) [data-error-for="phone"]')).not.toBe('');
    await page.locator('#f-name').fill('To be erased');
    await page.locator('#f-phone').fill(validPhone());
    await page.getByRole('button', { name: 'Save supporter' }).click();
    await page.waitForURL(/saved=/);
    const savedId = new URL(page.url()).searchParams.get('saved')!;
    expect(await text('#supporter-h')).toBe('To be erased');
    await page.getByRole('button', { name: /Erase this supporter/ }).click();
    await page.waitForURL(/erased=/);
    const erased = await svc.api(`/v1/supporters/${savedId}`);
    expect(erased.body).toMatchObject({ erased: true, phone: null, name: null });
  });

  it('edits the Khmer HELP answer with its segment count, and shows a refused setting beside its field', async () => {
    await page.goto(url('/console/settings'));
    const km = '#f-helpText-km';
    expect(await page.locator(km).inputValue()).toContain('ឈប់');
    await page.locator(km).fill('ជំនួយ៖ សូមទូរស័ព្ទមក ០១២ ៣៤៥ ៦៧៨');
    expect(await text('#f-helpText-km-segments')).toMatch(/UCS-2 · \d+ characters · 1 segment/);
    await page.getByRole('button', { name: /Save settings/ }).click();
    await page.waitForURL(/saved=1/);
    expect(await page.locator(km).inputValue()).toBe('ជំនួយ៖ សូមទូរស័ព្ទមក ០១២ ៣៤៥ ៦៧៨');
    const org = await svc.api('/v1/organization');
    expect(org.body.answers.help.km).toMatchObject({ custom: true, segments: 1 });
    expect(org.body.answers.help.en.custom, 'untouched English stays the default').toBe(false);

    await page.locator('#f-name').fill('');
    await page.getByRole('button', { name: /Save settings/ }).click();
    expect(await text('.field:has(#f-name) [data-error-for="name"]')).not.toBe('');
  });

  it('refuses a POST without the form token or from another origin, and signs out', async () => {
    const posted = await browser.context.request.post(url(`/console/campaigns/${campaignId}/cancel`), {
      form: { _csrf: 'wrong' },
      headers: { origin: svc.apiUrl },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(403);
    const session = (await browser.context.cookies()).find((c) => c.name === 'console_session')!;
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const crossSite = await fetch(url(`/console/campaigns/${campaignId}/cancel`), {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: `console_session=${session.value}`,
        origin: 'https://attacker.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    expect(crossSite.status).toBe(403);
    const tampered = await fetch(url('/console/campaigns'), {
      redirect: 'manual',
      headers: { cookie: `console_session=${session.value.slice(0, -4)}AAAA` },
    });
    expect(tampered.status).toBe(303);
    expect(tampered.headers.get('location')).toBe('/console/login?ended=1');
    expect((await svc.api(`/v1/campaigns/${campaignId}`)).body.status).toBe('running');

    const csp = (await page.goto(url('/console/campaigns')))?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    expect(csp).not.toContain('unsafe-inline');

    await page.getByRole('button', { name: /Sign out/ }).click();
    await page.waitForURL(/\/console\/login\?signedout=1$/);
    expect((await browser.context.cookies()).some((c) => c.name === 'console_session')).toBe(false);
    await page.goto(url('/console/campaigns'));
    expect(new URL(page.url()).pathname).toBe('/console/login');

    // Code guesses are limited per client address, whatever the account.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await browser.context.request.post(url('/console/login'), {
        form: { email: 'owner@example.org', code: String(100000 + i) },
        headers: { origin: svc.apiUrl },
      });
      statuses.push(res.status());
    }
    expect(statuses[0]).toBe(401);
    expect(statuses.at(-1)).toBe(429);
  });
});
