import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_WORDS, FONT_STACK } from '../../activities/email/words';
import { type Browser, launchBrowser } from '../support/browser';
import { khmerRuns } from '../support/khmer-glyphs';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// A case alert email as a Khmer and an English supporter receive it, rendered by headless Chromium
// at phone and desktop widths (screenshots in test/artifacts/), and unsubscribed with one click.

let svc: Service;
let browser: Browser;
let page: Page;
const tag = `email-${randomBytes(4).toString('hex')}`;
const LOGO = 'https://ua-network.example/logo.png';
// A 1×1 PNG, answered for the logo: the test never leaves the machine.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const ORG = 'Khmer UA Network';
const SUBJECT = { en: 'Urgent: free Sokha now', km: 'បន្ទាន់៖ សូមដោះលែងសុខាឥឡូវនេះ' };

type Mail = Awaited<ReturnType<ReturnType<typeof sandboxClient>['messages']>>[number];
const mails: Record<'en' | 'km', { mail: Mail; supporterId: string; email: string }> = {} as never;
const requested: string[] = [];

beforeAll(async () => {
  svc = await startService();
  browser = await launchBrowser();
  page = browser.page;
  // Nothing an email shows may load from elsewhere but the organization's logo.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    requested.push(url);
    if (url === LOGO) return route.fulfill({ status: 200, contentType: 'image/png', body: PNG });
    return route.abort();
  });
  const settings = await svc.api('/v1/organization', {
    method: 'PATCH',
    body: {
      name: ORG,
      helpContact: 'help@ua-network.example',
      email: {
        senderName: 'Khmer UA Network',
        replyTo: 'team@ua-network.example',
        postalAddress: 'PO Box 123\nLowell, MA 01852',
        logoUrl: LOGO,
      },
    },
  });
  expect(settings.status, JSON.stringify(settings.body)).toBe(200);
  expect(settings.body.email).toMatchObject({ replyTo: 'team@ua-network.example', logoUrl: LOGO });

  const ids: Record<string, string> = {};
  for (const locale of ['en', 'km'] as const) {
    const email = `${locale}-${tag}@example.org`;
    const res = await svc.api('/v1/supporters', {
      body: {
        name: locale === 'km' ? 'ដារា សុខ' : 'Mike Chan',
        email,
        locale,
        tags: [tag],
        consent: { email: true },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids[locale] = res.body.id;
  }
  const launched = await svc.api('/v1/campaigns', {
    body: {
      kind: 'case_alert',
      title: `Free Sokha ${tag}`,
      params: { caseName: 'Sokha' },
      audience: { tags: { include: [tag] } },
      content: {
        en: {
          sms: 'Urgent: free {{caseName}} {{actionUrl}}',
          subject: SUBJECT.en,
          body: 'Dear {{firstName}},\n\n{{caseName}} was arrested for speaking out. Write to {{targets}} today and ask for his release.',
        },
        km: {
          sms: 'បន្ទាន់៖ {{actionUrl}}',
          subject: SUBJECT.km,
          body: 'ជំរាបសួរ {{firstName}}\n\nសុខា ត្រូវបានចាប់ខ្លួនដោយសារគាត់បាននិយាយការពិត។ សូមសរសេរទៅកាន់ {{targets}} ថ្ងៃនេះ ដើម្បីទាមទារឱ្យដោះលែងគាត់។',
        },
      },
      action: { url: 'https://example.org/act', targets: [{ name: 'Minister of Justice' }] },
      options: { quietHours: false },
    },
  });
  expect(launched.status, JSON.stringify(launched.body)).toBe(201);
  const sandbox = sandboxClient(svc.sandboxUrl);
  for (const locale of ['en', 'km'] as const) {
    const email = `${locale}-${tag}@example.org`;
    const [mail] = await eventually(
      () => sandbox.messages({ channel: 'email', to: email }),
      (m) => m.length === 1,
      `the ${locale} alert email`,
    );
    mails[locale] = { mail: mail!, supporterId: ids[locale]!, email };
  }
});

afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

async function tokenOf(supporterId: string) {
  const [row] = await svc.sql<{ link_token: string }[]>`
    select link_token from deliveries where supporter_id = ${supporterId} and channel = 'email'`;
  return row!.link_token;
}

const hrefs = () => page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));

describe.each(['en', 'km'] as const)('the %s case alert email', (locale) => {
  const words = EMAIL_WORDS[locale];

  it('comes from the network under its name, with Reply-To and one-click unsubscribe headers', async () => {
    const { mail, supporterId } = mails[locale];
    expect(mail.from).toMatch(/^"Khmer UA Network" <[^>]+>$/);
    expect(mail.replyTo).toBe('team@ua-network.example');
    const token = await tokenOf(supporterId);
    expect(mail.headers?.['List-Unsubscribe']).toBe(`<${svc.config.PUBLIC_BASE_URL}/u/${token}>`);
    expect(mail.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  });

  for (const width of [375, 1024]) {
    it(`renders at ${width} px with the network's name, a heading, a button and a footer in its language`, async () => {
      const { mail } = mails[locale];
      await page.setViewportSize({ width, height: 900 });
      await page.setContent(mail.html!, { waitUntil: 'load' });
      await browser.screenshot(`email-${locale}-${width}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(locale);
      expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
      expect((await page.locator('.org-name').textContent())?.trim()).toBe(ORG);
      const logo = page.locator(`img[src="${LOGO}"]`);
      expect(await logo.getAttribute('alt')).toBe(ORG);
      expect(await logo.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);
      expect((await page.locator('h1').textContent())?.trim()).toBe(SUBJECT[locale]);
      // The button: visible, inside the viewport, readable text.
      const button = page.locator('.action a');
      expect((await button.textContent())?.trim()).toBe(words.button);
      const box = (await button.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      expect(box.height).toBeGreaterThanOrEqual(40);
      // Nothing wider than the phone: no sideways scrolling.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      const footer = (await page.locator('.footer').textContent()) ?? '';
      expect(footer).toContain(words.why(ORG));
      expect(footer).toContain(`${words.contact} help@ua-network.example`);
      expect(footer).toContain('PO Box 123');
      expect(footer).toContain(words.unsubscribe);
      const other = EMAIL_WORDS[locale === 'en' ? 'km' : 'en'];
      expect(footer).not.toContain(other.unsubscribe);
    });
  }

  it('links only to its own tracked and unsubscribe links, the text part to the same ones', async () => {
    const { mail, supporterId } = mails[locale];
    const token = await tokenOf(supporterId);
    const base = svc.config.PUBLIC_BASE_URL;
    const ours = new Set([`${base}/a/${token}`, `${base}/u/${token}`]);
    await page.setContent(mail.html!, { waitUntil: 'load' });
    expect(new Set(await hrefs())).toEqual(ours);
    expect(new Set([...mail.text!.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]))).toEqual(ours);
    expect(mail.text).toContain(SUBJECT[locale]);
    expect(mail.text).toContain(words.why(ORG));
    expect(requested.filter((u) => u !== LOGO && !u.startsWith('data:') && u !== 'about:blank')).toEqual([]);
  });
});

describe('Khmer in the email', () => {
  it('renders every Khmer character with a Khmer font: no missing glyphs', async () => {
    await page.setViewportSize({ width: 375, height: 900 });
    await page.setContent(mails.km.mail.html!, { waitUntil: 'load' });
    const runs = await khmerRuns(page);
    const stack = FONT_STACK.km
      .split(',')
      .map((f) => f.trim().replace(/^'|'$/g, ''))
      .filter((f) => /khmer/i.test(f));
    // Heading, greeting, message, button, link hint, footer lines: each drawn.
    expect(runs.length).toBeGreaterThanOrEqual(6);
    for (const run of runs) {
      expect(run.fonts.length, run.text).toBeGreaterThan(0);
      // Drawn by a Khmer font the email names (not a fallback the system picked, nor a .notdef box).
      for (const f of run.fonts)
        expect(stack, `${run.text}: ${JSON.stringify(run.fonts)}`).toContain(f.familyName);
      expect(
        run.fonts.reduce((n, f) => n + f.glyphCount, 0),
        run.text,
      ).toBeGreaterThan(0);
    }
  });
});

describe('one-click unsubscribe from the email', () => {
  it('opts the supporter out of email with the RFC 8058 POST a mail client sends', async () => {
    for (const locale of ['en', 'km'] as const) {
      const { mail, supporterId } = mails[locale];
      const url = /^<(.+)>$/.exec(mail.headers!['List-Unsubscribe']!)![1]!;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status, await res.text()).toBe(200);
      const [row] = await svc.sql<{ email_opted_out_at: Date | null }[]>`
        select email_opted_out_at from supporters where id = ${supporterId}`;
      expect(row!.email_opted_out_at).not.toBeNull();
    }
  });
});

describe('the email sender in the console settings', () => {
  it('lets an organizer set the sender, and shows a refused logo address beside its field', async () => {
    await page.unroute('**/*');
    await page.setViewportSize({ width: 1024, height: 900 });
    await page.goto(`${svc.apiUrl}/console/login`);
    await page.locator('#f-token').fill(svc.token);
    await page.getByRole('button', { name: /Sign in/ }).click();
    await page.waitForURL(/\/console\/campaigns$/);
    await page.goto(`${svc.apiUrl}/console/settings`);
    expect(await page.locator('#f-email-senderName').inputValue()).toBe('Khmer UA Network');
    expect(await page.locator('#f-email-postalAddress').inputValue()).toBe('PO Box 123\nLowell, MA 01852');
    await page.locator('#f-email-senderName').fill('បណ្តាញ UA ខ្មែរ');
    await page.locator('#f-email-replyTo').fill('');
    await page.getByRole('button', { name: /Save settings/ }).click();
    await page.waitForURL(/saved=1/);
    const org = await svc.api('/v1/organization');
    expect(org.body.email).toMatchObject({ senderName: 'បណ្តាញ UA ខ្មែរ', replyTo: null, logoUrl: LOGO });

    await page.locator('#f-email-logoUrl').fill('http://ua-network.example/logo.png');
    await page.getByRole('button', { name: /Save settings/ }).click();
    const error = page.locator('.field:has(#f-email-logoUrl) [data-error-for="email.logoUrl"]');
    expect(await error.first().textContent()).toContain('https');
    expect(await page.locator('#f-email-logoUrl').getAttribute('aria-invalid')).toBe('true');
    await browser.screenshot('console-settings-email-error');
    expect((await svc.api('/v1/organization')).body.email.logoUrl).toBe(LOGO);
  });
});
