import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieNames } from '../../api/console/security';
import { addMembership, ensurePerson } from '../../db/people';
import { DEFAULT_SESSION_LIMITS, openSession } from '../../db/sessions';
import type { Survey } from '../../domain/survey-schema';
import { type Service, startService } from '../support/service';

// The console's survey builder at the request level, as a browser without JavaScript uses it:
// every button posts the whole form and gets it back re-drawn.
let svc: Service;
beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc?.stop();
});

/** The form's fields as the page drew them: inputs, selects (selected option) and textareas. */
function formFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  for (const m of html.matchAll(/<input([^>]*)>/g)) {
    const name = /name="([^"]+)"/.exec(m[1]!)?.[1];
    const type = /type="([^"]+)"/.exec(m[1]!)?.[1];
    if (!name || type === 'checkbox') continue;
    out[name] = decode(/value="([^"]*)"/.exec(m[1]!)?.[1] ?? '');
  }
  for (const m of html.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
    out[m[1]!] = /<option[^>]*value="([^"]*)"[^>]*selected/.exec(m[2]!)?.[1] ?? '';
  for (const m of html.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
    out[m[1]!] = decode(m[2]!);
  return out;
}

describe('the survey builder', () => {
  it('builds a survey with skip logic through the console, question by question, without JavaScript', async () => {
    const email = `builder-${randomBytes(4).toString('hex')}@example.org`;
    const person = await ensurePerson(svc.sql, { email, name: 'Builder', locale: 'en' });
    await addMembership(svc.sql, svc.orgId, person.id, 'organizer');
    const secret = await openSession(svc.sql, {
      personId: person.id,
      orgId: svc.orgId,
      method: 'passkey',
      device: 'test',
      limits: DEFAULT_SESSION_LIMITS,
    });
    const cookie = `${cookieNames(svc.apiUrl).session}=${secret}`;
    const url = `${svc.apiUrl}/console/surveys/new`;
    const get = await fetch(url, { headers: { cookie } });
    expect(get.status).toBe(200);
    let fields = formFields(await get.text());
    expect(fields['survey.questions.count']).toBe('1');
    const post = async (changes: Record<string, string>, action: string) => {
      const res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, origin: svc.apiUrl, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, ...changes, action }),
      });
      const html = res.status === 200 || res.status === 400 ? await res.text() : '';
      if (html) fields = formFields(html);
      return { status: res.status, html, location: res.headers.get('location') };
    };

    // Three questions by the "add" buttons, one of each type wanted, then one removed again.
    await post({}, 'add:choice');
    await post({}, 'add:text');
    await post({}, 'add:number');
    expect(fields['survey.questions.count']).toBe('4');
    expect(fields['survey.questions.3.type']).toBe('number');
    await post({}, 'remove:3');
    expect(fields['survey.questions.count']).toBe('3');
    // Fill them in; the choice question should come first: move it up.
    const filled = {
      title: 'Builder survey',
      'survey.questions.0.prompt.en': 'Did you see a trial?',
      'survey.questions.0.prompt.km': 'តើអ្នកបានឃើញការកាត់ក្តីទេ?',
      'survey.questions.1.key': 'where',
      'survey.questions.1.prompt.en': 'Where?',
      'survey.questions.1.prompt.km': 'នៅឯណា?',
      'survey.questions.1.choices': 'court | Court | តុលាការ\nprison | Prison | ពន្ធនាគារ',
      'survey.questions.2.key': 'story',
      'survey.questions.2.prompt.en': 'What happened?',
      'survey.questions.2.prompt.km': 'តើមានអ្វីកើតឡើង?',
    };
    await post(filled, 'up:1');
    expect(fields['survey.questions.0.key']).toBe('where');
    expect(fields['survey.questions.0.choices']).toContain('prison | Prison');
    expect(fields['survey.questions.1.prompt.km']).toBe('តើអ្នកបានឃើញការកាត់ក្តីទេ?');

    // A skip rule to a question that does not exist: the API's error, beside that card's rules.
    const bad = await post({ 'survey.questions.0.next': 'prison -> nowhere' }, 'launch');
    expect(bad.status).toBe(400);
    expect(bad.html).toMatch(/data-error-for="survey\.questions\.0\.next"[\s\S]{0,300}?nowhere/);
    expect(fields['survey.questions.count']).toBe('3');

    // Preview per language, then launch with "prison" skipping to the story.
    const preview = await post({ 'survey.questions.0.next': 'prison -> story' }, 'preview');
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('data-preview="where-km"');
    expect(preview.html).toContain('data-preview-channel="sms"');
    expect(preview.html).not.toContain('data-email-preview');

    // By email: an intro in one language only is refused beside the missing one's field.
    const halfIntro = await post(
      { 'survey.channel': 'email', 'survey.intro.en': 'Tell us about the trials you see.' },
      'preview',
    );
    expect(halfIntro.status).toBe(400);
    expect(halfIntro.html).toMatch(/data-error-for="survey\.intro\.km"/);
    expect(fields['survey.channel']).toBe('email');
    expect(fields['survey.intro.en']).toBe('Tell us about the trials you see.');
    const emailPreview = await post({ 'survey.intro.km': 'សូមប្រាប់យើងអំពីការកាត់ក្តី។' }, 'preview');
    expect(emailPreview.status).toBe(200);
    expect(emailPreview.html).toContain('data-preview-channel="email"');
    expect(emailPreview.html).toMatch(/data-email-preview-row="km"[\s\S]*?សំណួរខ្លីៗ៖ Builder survey/);
    expect(emailPreview.html).toContain('Tell us about the trials you see.');
    const launched = await post({}, 'launch');
    expect(launched.status).toBe(303);
    const id = /\/console\/campaigns\/([0-9a-f-]+)/.exec(launched.location ?? '')?.[1];
    expect(id).toBeDefined();
    const [row] = await svc.sql<{ definition: { survey: Survey } }[]>`
      select definition from campaigns where id = ${id!} and org_id = ${svc.orgId}`;
    const survey = row!.definition.survey;
    expect(survey.questions.map((q) => q.key)).toEqual(['where', 'q1', 'story']);
    expect(survey.questions[0]?.next).toEqual([{ if: { choice: 'prison' }, goto: 'story' }]);
    expect(survey.questions[1]?.type).toBe('yes_no');
    expect(survey.channel).toBe('email');
    expect(survey.intro?.km).toBe('សូមប្រាប់យើងអំពីការកាត់ក្តី។');
  });
});
