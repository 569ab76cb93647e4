import { randomBytes, randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser } from '../support/browser';
import { signInAs } from '../support/console-session';
import { eventually } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// The console's side of issue 15: the case-sheet form, the case panel, live progress, replies, FI.

let svc: Service;
let browser: Browser;
let page: Page;
const tag = `case-console-${randomBytes(4).toString('hex')}`;
const url = (path: string) => `${svc.apiUrl}${path}`;
const text = async (selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

beforeAll(async () => {
  svc = await startService();
  browser = await launchBrowser();
  page = browser.page;
  const res = await svc.api('/v1/supporters', {
    body: {
      name: 'Dara',
      phone: `+1978555${String(randomInt(0, 10_000)).padStart(4, '0')}`,
      locale: 'km',
      tags: [tag],
      consent: { sms: true },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await signInAs(svc, browser.context, 'organizer');
});

afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

describe('the case sheet in the console', () => {
  it('launches from the case-sheet form, shows letters, replies and FIs, previews the action page, and updates progress live', async () => {
    await page.goto(url('/console/campaigns/new?kind=case_alert'));
    await page.locator('#f-title').fill(`Free Kem Sokha ${tag}`);
    await page.locator('#f-case-uaNumber').fill('UA 9/26');
    await page.locator('#f-case-persons').fill('Kem Sokha');
    await page.locator('#f-case-concern-en').fill('Sentenced to 27 years.');
    await page.locator('#f-case-concern-km').fill('ត្រូវបានកាត់ទោស ២៧ ឆ្នាំ។');
    await page.locator('#f-case-recommendedActions-en').fill('Release him\nDrop the charges');
    await page.locator('#f-case-recommendedActions-km').fill('ដោះលែងគាត់');
    await page.locator('#f-case-appealBy').fill('2099-01-15');
    await page.locator('#f-action-targets-0-name').fill('Minister of Justice');
    await page.locator('#f-action-targets-0-salutation').fill('ឯកឧត្តមរដ្ឋមន្ត្រី');
    await page.locator('#f-action-targets-0-email').fill(`minister-${tag}@justice.example.org`);
    await page.locator('#f-action-targets-0-language').selectOption('km');
    await page.locator('#f-stages-0-content-en-sms').fill('{{caseRef}}: act for {{caseName}} {{actionUrl}}');
    await page.locator('#f-stages-0-content-km-sms').fill('{{caseRef}}៖ {{caseName}} {{actionUrl}}');
    await page.locator('#f-audience-tags-include').fill(tag);
    await page.locator('#f-options-quietHours').uncheck();
    await page.getByRole('button', { name: /^Preview/ }).click();
    await page.locator('#preview').waitFor();
    expect(await text('[data-case-preview] h3')).toBe('UA 9/26 · Kem Sokha');
    expect(await page.locator('[data-case-preview] pre').first().textContent()).toContain('ឯកឧត្តមរដ្ឋមន្ត្រី,');
    await page.getByRole('button', { name: /Launch campaign/ }).click();
    await page.waitForURL(/\/console\/campaigns\/[0-9a-f-]{36}/);
    const id = /campaigns\/([0-9a-f-]{36})/.exec(page.url())![1]!;

    // The progress bar of the alert fills without a reload (the page polls its progress.json).
    expect(await page.locator('[data-progress-stage="alert"] progress').count()).toBe(1);
    await eventually(
      () => text('[data-progress-stage="alert"] [data-progress-text]'),
      (t) => t === '1 / 1',
      'the alert progress to update in place',
    );
    expect(await text('[data-case-panel] [data-target="t1"] th')).toContain('Minister of Justice');

    // A reply: an empty one is refused beside the field; a real one appears in the log.
    await page.locator('#f-response-summary').fill('');
    await page.getByRole('button', { name: /Log reply/ }).click();
    expect(await text('.field:has(#f-response-summary) [data-error-for="response.summary"]')).toMatch(
      /blank|least/,
    );
    await page.locator('#f-response-summary').fill('The ministry acknowledged the letters.');
    await page.getByRole('button', { name: /Log reply/ }).click();
    await page.waitForURL(/done=reply/);
    expect(await text('[data-replies] [data-reply="t1"]')).toContain('acknowledged the letters');
    expect(await text('[data-target="t1"] [data-responses]')).toBe('1');

    // Further Information is numbered on the campaign page.
    await page.locator('#f-update-content-en-sms').fill('{{caseRef}}: hearing moved.');
    await page.getByRole('button', { name: /Send case update/ }).click();
    await page.waitForURL(/update=update-1/);
    expect(await text('[role="status"]')).toContain('FI 1');
    await eventually(
      async () => {
        await page.reload();
        return text('[data-fi-history] [data-fi="1"]');
      },
      (t) => t.includes('UA 9/26 FI 1'),
      'FI 1 in the history',
    );

    // The action page preview, in both languages.
    await page.goto(url(`/console/campaigns/${id}/action-preview?lang=km`));
    expect(await page.getAttribute('html', 'lang')).toBe('km');
    expect(await page.locator('textarea').first().inputValue()).toContain('ដោះលែងគាត់');
    await browser.screenshot('console-action-preview-km');
    await page.goto(url(`/console/campaigns/${id}/action-preview?lang=en`));
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await text('[data-recommended-actions] li')).toBe('Release him');
  }, 180_000);
});
