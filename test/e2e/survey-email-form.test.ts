import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser } from '../support/browser';
import { randomEmail } from '../support/generators';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';
import { launchSurvey } from '../support/survey-launch';

// Issue 16, the email form: a monitoring round reaches email-only supporters by email (through the
// sandbox's Resend), its link opens the whole survey as a form page (headless Chromium), and the
// answers land beside the SMS answers: results, CSV and the review queue.

let svc: Service;
let browser: Browser;
const run = randomBytes(4).toString('hex');
const tag = `form-${run}`;

beforeAll(async () => {
  svc = await startService({ env: { SURVEY_SWEEP_SECONDS: '1' } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

const bi = (en: string, km: string) => ({ en, km });
const survey = {
  channel: 'sms_then_email',
  // A second round a month later keeps the campaign running, so it can be cancelled at the end.
  repeat: { every: 'P30D', rounds: 2 },
  intro: bi(
    'Tell us what you see in your province. Your answers are kept without your name.',
    'សូមប្រាប់យើងពីអ្វីដែលអ្នកឃើញនៅក្នុងខេត្តរបស់អ្នក។',
  ),
  questions: [
    {
      key: 'released',
      type: 'choice',
      prompt: bi('Were defenders released in your province?', 'តើអ្នកការពារសិទ្ធិត្រូវបានដោះលែងទេ?'),
      choices: [
        { key: 'yes', label: bi('Yes', 'បាទ/ចាស') },
        { key: 'no', label: bi('No', 'ទេ') },
        { key: 'unsure', label: bi('Not sure', 'មិនច្បាស់') },
      ],
      next: [{ if: { choice: 'no' }, goto: 'report' }],
      timeout: 'P1D',
    },
    {
      key: 'count',
      type: 'number',
      min: 0,
      max: 1000,
      prompt: bi('How many were released?', 'តើមានប៉ុន្មាននាក់ត្រូវបានដោះលែង?'),
      timeout: 'P1D',
    },
    { key: 'report', type: 'text', prompt: bi('What did you see?', 'តើអ្នកបានឃើញអ្វី?'), timeout: 'P1D' },
  ],
};

type Person = { id: string; name: string; phone?: string; email?: string; locale: 'en' | 'km' };
const phone = () => `+1978555${String(randomInt(0, 10_000)).padStart(4, '0')}`;

async function supporter(p: Omit<Person, 'id'>): Promise<Person> {
  const res = await svc.api('/v1/supporters', {
    body: {
      ...p,
      timezone: 'UTC',
      tags: [tag],
      consent: { sms: p.phone !== undefined, email: p.email !== undefined },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...p, id: res.body.id };
}

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
type Json = any;
const postJson = (url: string, body: unknown): Promise<{ status: number; type: string; body: Json }> =>
  fetch(`${url}/survey`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (r) => ({
    status: r.status,
    type: r.headers.get('content-type') ?? '',
    body: await r.json().catch(() => null),
  }));

describe('a monitoring survey by email, as a form page', () => {
  it('emails email-only supporters, takes the form once, refuses what does not fit, and counts the answers with the SMS ones', async () => {
    const sandbox = sandboxClient(svc.sandboxUrl);
    const dara = await supporter({ name: 'Dara Email', email: randomEmail('dara'), locale: 'en' });
    const sophea = await supporter({ name: 'Sophea Email', email: randomEmail('sophea'), locale: 'km' });
    const late = await supporter({ name: 'Late Email', email: randomEmail('late'), locale: 'en' });
    // Reached by SMS (a phone with consent): asked by SMS only, never also by email.
    const vanna = await supporter({
      name: 'Vanna Both',
      phone: phone(),
      email: randomEmail('vanna'),
      locale: 'en',
    });
    const rith = await supporter({ name: 'Rith Sms', phone: phone(), locale: 'en' });
    const people = [dara, sophea, late, vanna, rith];

    const campaignId = await launchSurvey(svc, tag, survey, 'UPR watch');

    // The round's email: subject, intro, the button and its link, the unsubscribe link (List-Unsubscribe too).
    const emailOf = async (p: Person) =>
      (
        await eventually(
          () => sandbox.messages({ channel: 'email', to: p.email! }),
          (m) => m.length > 0,
          `the survey email to ${p.name}`,
          30_000,
        )
      )[0]!;
    const linkIn = (text: string) =>
      /(https?:\/\/[^\s]+\/a\/[\w-]{16,32})/.exec(text)![1]!.replace(/^https?:\/\/[^/]+/, svc.apiUrl);
    const daraMail = await emailOf(dara);
    expect(daraMail.subject).toBe('A few questions: UPR watch');
    expect(daraMail.text).toContain('Tell us what you see in your province.');
    expect(daraMail.text).toContain('It is 3 short questions, on one page.');
    expect(daraMail.html).toContain('Answer the survey');
    expect(daraMail.headers?.['List-Unsubscribe']).toMatch(/\/u\/[\w-]{16}>$/);
    const sopheaMail = await emailOf(sophea);
    expect(sopheaMail.subject).toBe('សំណួរខ្លីៗ៖ UPR watch');
    expect(sopheaMail.html).toContain('ឆ្លើយការស្ទង់មតិ');
    const daraUrl = linkIn(daraMail.text!);
    const sopheaUrl = linkIn(sopheaMail.text!);
    const lateUrl = linkIn((await emailOf(late)).text!);
    // The token says nothing of the supporter.
    for (const url of [daraUrl, sopheaUrl, lateUrl])
      for (const p of people) {
        expect(url).not.toContain(p.id);
        if (p.email) expect(url).not.toContain(p.email.split('@')[0]);
      }

    // Those SMS reaches get the first question by SMS and no email.
    for (const p of [vanna, rith])
      await eventually(
        () => sandbox.messages({ channel: 'sms', to: p.phone! }),
        (m) => m.some((x) => x.body?.includes('Were defenders released')),
        `the first question to ${p.name}`,
        30_000,
      );
    expect(await sandbox.messages({ channel: 'email', to: vanna.email! })).toEqual([]);

    // Dara, in Chromium: a wrong number is refused beside its field, with everything entered kept.
    const page = browser.page;
    await page.goto(daraUrl);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(page.locator('fieldset[data-question]').count()).resolves.toBe(3);
    await expect(page.locator('[data-skip-note]').first().textContent()).resolves.toBe(
      'If you answer “No”, skip to question 3.',
    );
    await page.check('#q-released-yes');
    await page.fill('#q-count-input', '១០០១');
    await page.fill('#q-report-input', 'Two defenders were released in Kampong Cham');
    await page.click('button[type="submit"]');
    await expect(page.locator('#q-count-error').textContent()).resolves.toBe(
      'Enter a number of at most 1000.',
    );
    expect(await page.getAttribute('#q-count-input', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#q-count-input')).toBe('១០០១');
    expect(await page.isChecked('#q-released-yes')).toBe(true);
    expect(await page.inputValue('#q-report-input')).toBe('Two defenders were released in Kampong Cham');
    await expect(page.locator('.error').count()).resolves.toBe(1);
    await browser.screenshot('survey-form-error');
    // Khmer digits are a number.
    await page.fill('#q-count-input', '១២');
    await page.click('button[type="submit"]');
    await expect(page.locator('[data-notice]').getAttribute('data-notice')).resolves.toBe('thanks');
    // A second visit, and a second submission, are told the round is answered; nothing more is stored.
    await page.goto(daraUrl);
    await expect(page.locator('[data-notice]').getAttribute('data-notice')).resolves.toBe('already');
    await expect(page.locator('form').count()).resolves.toBe(0);
    const again = await fetch(`${daraUrl}/survey`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ released: 'no', report: 'A second set' }).toString(),
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('You have already answered this round');

    // Sophea's page is in Khmer first, with a switch to English; her answers come as JSON.
    await page.goto(sopheaUrl);
    expect(await page.getAttribute('html', 'lang')).toBe('km');
    await expect(page.locator('legend').first().textContent()).resolves.toBe('សំណួរទី 1');
    await page.click('header a[hreflang="en"]');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const bad = await postJson(sopheaUrl, { answers: { released: 'maybe', report: '🙏' } });
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'answers.count',
      'answers.released',
      'answers.report',
    ]);
    expect(bad.body.errors.find((e: { path: string }) => e.path === 'answers.released').message).toBe(
      'សូមជ្រើសរើសចម្លើយមួយ។',
    );
    // "No" skips the count: it is not required, and what was sent for it is ignored.
    const ok = await postJson(sopheaUrl, { answers: { released: 'no', count: 'x', report: 'មានការឃុំខ្លួនថ្មី' } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toEqual({ status: 'recorded', answers: 2, skipped: ['count'] });
    const twice = await postJson(sopheaUrl, { answers: { released: 'yes', count: 1, report: 'again' } });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('survey-already-answered');

    // Across channels, one session per respondent and round. Vanna's SMS conversation is open and
    // unanswered: the form (her delivery's token) completes it, and SMS asks nothing more.
    const tokenOf = async (p: Person) =>
      (
        await svc.sql<{ link_token: string }[]>`
          select d.link_token from deliveries d join stage_runs r on r.id = d.stage_run_id
          where r.campaign_id = ${campaignId} and d.supporter_id = ${p.id} and d.channel = 'sms'`
      )[0]!.link_token;
    // HELP keeps a question open: Vanna's conversation is open (a reply opens it) and unanswered.
    await sandbox.inbound(vanna.phone!, 'HELP');
    const [vannaOpen] = await svc.sql<{ status: string }[]>`
      select s.status from survey_sessions s join survey_respondents r on r.id = s.respondent_id
      where r.campaign_id = ${campaignId} and r.supporter_id = ${vanna.id}`;
    expect(vannaOpen?.status).toBe('open');
    const vannaUrl = `${svc.apiUrl}/a/${await tokenOf(vanna)}`;
    const byForm = await postJson(vannaUrl, {
      answers: { released: 'unsure', count: '3', report: 'Crowds at the court' },
    });
    expect(byForm.status, JSON.stringify(byForm.body)).toBe(201);
    await sandbox.inbound(vanna.phone!, '1');
    // Rith answers by SMS first: the form then refuses (the round goes on by SMS).
    await sandbox.inbound(rith.phone!, '1');
    await eventually(
      () => sandbox.messages({ channel: 'sms', to: rith.phone! }),
      (m) => m.some((x) => x.body?.includes('How many')),
      'the next question to Rith',
      30_000,
    );
    const rithForm = await postJson(`${svc.apiUrl}/a/${await tokenOf(rith)}`, {
      answers: { released: 'no', report: 'x' },
    });
    expect(rithForm.status).toBe(409);
    expect(rithForm.body.detail).toMatch(/by SMS/);
    const vannaSms = await sandbox.messages({ channel: 'sms', to: vanna.phone! });
    expect(vannaSms.filter((m) => m.body?.includes('How many'))).toEqual([]);

    const sessions = await svc.sql<{ status: string; n: number }[]>`
      select status, count(*)::int as n from survey_sessions where campaign_id = ${campaignId} group by 1 order by 1`;
    expect(Object.fromEntries(sessions.map((r) => [r.status, r.n]))).toEqual({ completed: 3, open: 1 });

    // Results count the form answers like SMS ones; reports wait for review.
    const results = await svc.api(`/v1/campaigns/${campaignId}/results`);
    expect(results.status, JSON.stringify(results.body)).toBe(200);
    const q = (key: string) => results.body.questions.find((x: { key: string }) => x.key === key);
    expect(results.body).toMatchObject({ respondents: 4, completed: 3 });
    expect(q('released').counts).toEqual({ yes: 2, no: 1, unsure: 1 });
    expect(q('count')).toMatchObject({ answers: 2, stats: { min: 3, max: 12, mean: 7.5 } });
    expect(q('report').answers).toBe(0);
    const queue = await svc.api(`/v1/reports?campaignId=${campaignId}&status=pending`);
    expect(queue.body.items.map((r: { text: string }) => r.text).sort()).toEqual(
      ['Crowds at the court', 'Two defenders were released in Kampong Cham', 'មានការឃុំខ្លួនថ្មី'].sort(),
    );
    const report = queue.body.items.find((r: { text: string }) => r.text.includes('Kampong Cham'));
    expect((await svc.api(`/v1/reports/${report.id}/review`, { body: { status: 'verified' } })).status).toBe(
      200,
    );

    const csv = await fetch(`${svc.apiUrl}/v1/campaigns/${campaignId}/results.csv`, {
      headers: { authorization: `Bearer ${svc.token}` },
    });
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(1 + 4 + 2 + 1);
    expect(lines.filter((l) => l.includes(',count,12,'))).toHaveLength(1);
    expect(lines.some((l) => l.includes('Kampong Cham'))).toBe(true);
    const text = lines.join('\n');
    for (const p of people) {
      expect(text).not.toContain(p.name);
      expect(text).not.toContain(p.id);
      if (p.email) expect(text).not.toContain(p.email);
      if (p.phone) expect(text).not.toContain(p.phone.slice(2));
    }

    // After the campaign is cancelled, the form says the survey is closed.
    expect((await svc.api(`/v1/campaigns/${campaignId}/cancel`, { method: 'POST' })).status).toBe(202);
    await eventually(
      () => fetch(lateUrl).then((r) => r.text()),
      (html) => html.includes('data-notice="closed"'),
      'the form closes',
      30_000,
    );
    const closed = await postJson(lateUrl, { answers: { released: 'no', report: 'late' } });
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('survey-closed');
  }, 240_000);
});
