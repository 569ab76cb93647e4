import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser } from '../support/browser';
import { randomEmail } from '../support/generators';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// Issue 15 end to end: a case sheet, the hosted action page in headless Chromium, letters through
// the sandbox's Resend, a reply by email, Further Information, the follow-up and the appeal-by date.

let svc: Service;
let browser: Browser;
const run = randomBytes(4).toString('hex');
const tag = `ua-${run}`;
const minister = `minister-${run}@justice.example.org`;
const ambassador = `ambassador-${run}@embassy.example.org`;
const embassyCopy = `copies-${run}@embassy.example.org`;
const phone = () => `+1978555${String(randomInt(0, 10_000)).padStart(4, '0')}`;
const khmerAction = 'សូមដោះលែងលោក កឹម សុខា ភ្លាមៗ និងដោយគ្មានលក្ខខណ្ឌ។';
const englishAction = 'Release Kem Sokha immediately and unconditionally.';

beforeAll(async () => {
  svc = await startService();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

type Person = { id: string; name: string; phone?: string; email?: string; locale: 'en' | 'km' };

async function supporter(p: Omit<Person, 'id'>): Promise<Person> {
  const res = await svc.api('/v1/supporters', {
    body: {
      name: p.name,
      ...(p.phone ? { phone: p.phone } : {}),
      ...(p.email ? { email: p.email } : {}),
      locale: p.locale,
      timezone: 'America/New_York',
      tags: [tag],
      consent: { sms: p.phone !== undefined, email: p.email !== undefined },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...p, id: res.body.id };
}

/** The action link in the last alert a supporter got (SMS body or email text). */
async function linkOf(p: Person): Promise<string> {
  const sandbox = sandboxClient(svc.sandboxUrl);
  const to = p.phone ? p.phone.replace(/\s/g, '') : p.email!;
  const msgs = await eventually(
    () => sandbox.messages({ to }),
    (m) => m.some((x) => /\/a\/[\w-]{16,32}/.test(x.body ?? x.text ?? '')),
    `the alert to ${p.name}`,
  );
  const text = msgs.map((m) => m.body ?? m.text ?? '').find((b) => /\/a\/[\w-]{16,32}/.test(b))!;
  return /(https?:\/\/[^\s]+\/a\/[\w-]{16,32})/.exec(text)![1]!.replace(/^https?:\/\/[^/]+/, svc.apiUrl);
}

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
type Json = any;
const post = (url: string, body: unknown): Promise<{ status: number; body: Json }> =>
  fetch(`${url}/letters`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: await r.json().catch(() => null) }));

describe('Urgent Action case sheet end to end', () => {
  it('hosts the action page, sends letters without supporter details, logs replies, numbers FIs and closes on the appeal-by date', async () => {
    const sandbox = sandboxClient(svc.sandboxUrl);
    const sophea = await supporter({ name: 'Sophea Chan', phone: phone(), locale: 'km' });
    const mike = await supporter({ name: 'Mike Jones', email: randomEmail(), locale: 'en' });
    const dara = await supporter({ name: 'Dara Sok', email: randomEmail(), locale: 'en' });
    const idle = await supporter({ name: 'Idle Person', phone: phone(), locale: 'en' });
    const appealBy = new Date(Date.now() + 75_000).toISOString();

    const launched = await svc.api('/v1/campaigns', {
      body: {
        kind: 'case_alert',
        title: `Free Kem Sokha ${run}`,
        audience: { tags: { include: [tag] } },
        case: {
          uaNumber: 'UA 12/23',
          persons: [{ name: 'Kem Sokha' }],
          concern: {
            en: 'Opposition leader sentenced to 27 years.',
            km: 'មេដឹកនាំបក្សប្រឆាំងត្រូវបានកាត់ទោស ២៧ ឆ្នាំ។',
          },
          background: { en: 'Arrested in 2017 on treason charges.' },
          recommendedActions: { en: [englishAction], km: [khmerAction] },
          appealBy,
          copies: [{ name: 'Embassy of Cambodia', email: embassyCopy }],
        },
        params: { followUpAfter: 'PT45S', escalationAfter: 'PT10M' },
        content: {
          en: {
            sms: 'URGENT {{caseRef}}: act for {{caseName}} {{actionUrl}}',
            subject: '{{caseRef}}: act for {{caseName}}',
            body: 'Dear {{firstName}}, write to the authorities now: {{actionUrl}}',
          },
          km: { sms: 'បន្ទាន់ {{caseRef}}៖ {{caseName}} {{actionUrl}}' },
        },
        action: {
          targets: [
            {
              name: 'Minister of Justice',
              title: 'Minister',
              salutation: 'ឯកឧត្តមរដ្ឋមន្ត្រី',
              email: minister,
              language: 'km',
              address: 'Ministry of Justice, Phnom Penh',
            },
            {
              name: 'Ambassador',
              title: 'Ambassador of Cambodia',
              salutation: 'Your Excellency',
              email: ambassador,
            },
          ],
        },
        options: { quietHours: false },
      },
    });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    const id = launched.body.id;

    // Every supporter gets the alert with a link to the hosted page (not a 302 to someone else's).
    const [sopheaUrl, mikeUrl, daraUrl] = await Promise.all([linkOf(sophea), linkOf(mike), linkOf(dara)]);
    await linkOf(idle);
    const head = await fetch(mikeUrl, { redirect: 'manual' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(head.headers.get('x-robots-tag')).toContain('noindex');
    const mikeHtml = await head.text();
    expect(mikeHtml).toContain('UA 12/23');
    expect(mikeHtml).toContain('Your Excellency,');
    expect(mikeHtml).toContain(englishAction);
    expect(mikeHtml).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)[^"]*\.(?:css|js|woff2?)/);

    // Sophea (Khmer) in Chromium: Khmer text drawn with a Khmer font, her letter sent with first name + city.
    const page = browser.page;
    await page.goto(sopheaUrl);
    expect(await page.getAttribute('html', 'lang')).toBe('km');
    await expect(page.locator('[data-recommended-actions] li').first().textContent()).resolves.toBe(
      khmerAction,
    );
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', {
      nodeId: root.nodeId,
      selector: '[data-recommended-actions] li',
    });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f.familyName, 'no fallback boxes: a Khmer font draws it').toMatch(/khmer/i);
    await browser.screenshot('action-page-khmer');
    const form = page.locator('form[data-letter="t1"]');
    const draft = await form.locator('textarea').inputValue();
    expect(draft.startsWith('ឯកឧត្តមរដ្ឋមន្ត្រី,')).toBe(true);
    expect(draft).toContain(khmerAction);
    // She types her own number into the letter: it never reaches the target.
    await form
      .locator('textarea')
      .fill(`${draft}\n\nCall me: ${sophea.phone!.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '($1) $2-$3')}`);
    await form.locator('input[value="first_name_city"]').check();
    await form.locator('input[name="city"]').fill('Lowell');
    await form.locator('button[type="submit"]').click();
    await page.waitForURL(/sent=1/);
    await expect(page.locator('[data-written="t1"]').count()).resolves.toBe(1);

    // The other language is a click away.
    await page.click('header a[hreflang="en"]');
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    // Bad input: errors name the field (JSON) and sit beside the field (form).
    const long = await post(mikeUrl, { targets: ['t2'], body: 'x'.repeat(5001), identity: 'full' });
    expect(long.status).toBe(400);
    expect(long.body.errors.map((e: { path: string }) => e.path)).toContain('body');
    const empty = await post(mikeUrl, { targets: ['t2'], body: '   ', identity: 'full' });
    expect(empty.body.errors.map((e: { path: string }) => e.path)).toEqual(['body']);
    const stranger = await post(mikeUrl, { targets: ['t9'], body: 'Hello', identity: 'full' });
    expect(stranger.status).toBe(400);
    expect(stranger.body.errors[0].path).toBe('targets.0');
    const who = await post(mikeUrl, { targets: ['t2'], body: 'Hello', identity: 'anonymous' });
    expect(who.body.errors.map((e: { path: string }) => e.path)).toEqual(['identity']);
    await page.goto(mikeUrl);
    await page.locator('form[data-letter="t2"] textarea').fill('');
    await page.locator('form[data-letter="t2"] button[type="submit"]').click();
    await expect(page.locator('#body-error-t2').textContent()).resolves.toMatch(/must not be empty/);
    expect(await page.locator('#body-t2').getAttribute('aria-invalid')).toBe('true');
    const forged = await fetch(`${svc.apiUrl}/a/${'A'.repeat(32)}`, { headers: { accept: 'text/html' } });
    expect(forged.status).toBe(404);
    expect(await forged.text()).toContain('ផុតកំណត់');

    // Mike (English) sends through the API with his full name; a second letter to the same target is 409.
    const mikeDraft = /<textarea[^>]*id="body-t2"[^>]*>([^<]*)<\/textarea>/.exec(mikeHtml)![1]!;
    const sent = await post(mikeUrl, {
      targets: ['t2'],
      body: mikeDraft.replace(/&#39;/g, "'").replace(/&amp;/g, '&'),
      identity: 'full',
    });
    expect(sent, JSON.stringify(sent.body)).toMatchObject({ status: 202, body: { sent: 1 } });
    expect((await post(mikeUrl, { targets: ['t2'], body: 'Again', identity: 'full' })).status).toBe(409);

    // A flood from Dara's link: one letter, the rest 409 or 429, nothing duplicated.
    const flood = await Promise.all(
      Array.from({ length: 15 }, () =>
        post(daraUrl, { targets: ['t1'], body: 'Free him.', identity: 'network' }),
      ),
    );
    const statuses = flood.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => [202, 409, 429].includes(s))).toBe(true);

    // What the targets received.
    const toMinister = await eventually(
      () => sandbox.messages({ channel: 'email', to: minister }),
      (m) => m.length === 2,
      'two letters to the minister',
    );
    const toAmbassador = await sandbox.messages({ channel: 'email', to: ambassador });
    expect(toAmbassador).toHaveLength(1);
    const all = [...toMinister, ...toAmbassador];
    const reply = (await svc.api(`/v1/campaigns/${id}/case`)).body.replyAddress as string;
    expect(reply).toMatch(/^reply\+[a-z0-9]+@/);
    for (const m of all) {
      expect(m.headers?.['Reply-To']).toBe(reply);
      expect(m.headers?.Cc).toBe(embassyCopy);
      expect(m.subject).toContain('UA 12/23');
      const wire = JSON.stringify(m);
      for (const p of [sophea, mike, dara, idle]) {
        if (p.email) expect(wire).not.toContain(p.email);
        if (p.phone) {
          const digits = p.phone.replace(/\D/g, '');
          expect(wire.replace(/\D/g, '')).not.toContain(digits.slice(-7));
        }
      }
    }
    const sopheaLetter = toMinister.find((m) => m.text?.includes('Sophea'))!;
    expect(sopheaLetter.text).toContain('ឯកឧត្តមរដ្ឋមន្ត្រី,');
    expect(sopheaLetter.text).toContain(khmerAction);
    expect(sopheaLetter.text!.trim().endsWith('Sophea, Lowell')).toBe(true);
    expect(sopheaLetter.text).not.toContain('Chan');
    const daraLetter = toMinister.find((m) => m !== sopheaLetter)!;
    expect(daraLetter.text!.trim().endsWith('អ្នកគាំទ្រម្នាក់នៃបណ្តាញ')).toBe(true);
    expect(daraLetter.text).not.toContain('Dara');
    expect(toAmbassador[0]!.text).toContain('Your Excellency,');
    expect(toAmbassador[0]!.text).toContain(englishAction);
    expect(toAmbassador[0]!.text!.trim().endsWith('Mike Jones')).toBe(true);

    // The minister replies to the reply address; a stranger's mail is logged without their address.
    await fetch(`${svc.sandboxUrl}/sandbox/inbound-email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        from: `Minister <${minister}>`,
        to: [reply],
        subject: 'Re: UA 12/23',
        text: 'The case is before the court.',
      }),
    });
    const stranger2 = `someone-${run}@example.org`;
    await fetch(`${svc.sandboxUrl}/sandbox/inbound-email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: stranger2, to: [reply], subject: 'hello', text: 'hi' }),
    });
    const responses = await eventually(
      () => svc.api(`/v1/campaigns/${id}/target-responses`),
      (r) => r.body.items?.length === 2,
      'two replies logged',
    );
    const fromMinister = responses.body.items.find((r: { target: string }) => r.target === 't1');
    expect(fromMinister).toMatchObject({
      source: 'email',
      fromAddress: minister,
      targetName: 'Minister of Justice',
    });
    expect(fromMinister.summary).toContain('before the court');
    expect(JSON.stringify(responses.body)).not.toContain(stranger2);
    const logged = await svc.api(`/v1/campaigns/${id}/target-responses`, {
      body: { target: 't2', summary: 'Phoned back', receivedAt: new Date().toISOString() },
    });
    expect(logged.status).toBe(201);
    expect(
      (
        await svc.api(`/v1/campaigns/${id}/target-responses`, {
          body: { target: 'zz', summary: 'x', receivedAt: new Date().toISOString() },
        })
      ).body.errors[0].path,
    ).toBe('target');

    const view = (await svc.api(`/v1/campaigns/${id}/case`)).body;
    expect(view.targets).toMatchObject([
      { key: 't1', letters: 2, responses: 1 },
      { key: 't2', letters: 1, responses: 1 },
    ]);

    // FI 1 goes only to those who received the original: not to a supporter who joined since.
    const late = await supporter({ name: 'Late Joiner', phone: phone(), locale: 'en' });
    const fi = await svc.api(`/v1/campaigns/${id}/case-updates`, {
      body: { content: { en: { sms: '{{caseRef}}: the appeal hearing is set.' } }, audience: 'recipients' },
    });
    expect(fi.status, JSON.stringify(fi.body)).toBe(202);
    expect(fi.body).toMatchObject({ key: 'update-1', fi: 1 });
    await eventually(
      () => sandbox.messages({ to: idle.phone! }),
      (m) => m.some((x) => x.body?.startsWith('UA 12/23 FI 1:')),
      'FI 1 to an original recipient',
    );

    // The follow-up goes only to those who did not act; then the appeal-by date ends the campaign.
    const done = await eventually(
      () => svc.api(`/v1/campaigns/${id}`),
      (r) => r.body.status === 'completed',
      'the campaign to end at the appeal-by date',
      150_000,
    );
    const stages = Object.fromEntries(done.body.stages.map((s: { key: string }) => [s.key, s]));
    expect(stages['follow-up'].status).toBe('done');
    expect(stages.escalation.status).toBe('skipped');
    expect(stages['update-1'].fi).toBe(1);
    const followUps = async (p: Person) =>
      (await sandbox.messages({ to: p.phone ?? p.email! })).filter((m) =>
        /act for Kem Sokha/.test(`${m.body ?? ''} ${m.subject ?? ''}`),
      );
    expect(await followUps(idle)).toHaveLength(2);
    expect(await followUps(sophea)).toHaveLength(0); // her alert was the Khmer text
    expect(await followUps(mike)).toHaveLength(1);
    expect(await followUps(dara)).toHaveLength(1);
    const lateMessages = await sandbox.messages({ to: late.phone! });
    expect(lateMessages.some((m) => m.body?.includes('FI 1'))).toBe(false);
    expect(lateMessages.some((m) => m.body?.startsWith('URGENT UA 12/23'))).toBe(true);
    const sopheaMessages = await sandbox.messages({ to: sophea.phone! });
    expect(sopheaMessages.filter((m) => m.body?.startsWith('បន្ទាន់ UA 12/23'))).toHaveLength(1);
    expect((await sandbox.stats()).maxPerRecipientPerBody).toBe(1);
  }, 240_000);
});
