import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// Issue 19: a case alert launched with only its case fields sends prewritten texts of its own per
// stage (alert, follow-up, escalation), in each supporter's language, and the preview shows them.

let svc: Service;
const tag = `templates-${randomBytes(4).toString('hex')}`;
const phones: Record<'en' | 'km', string> = {
  en: `+1978555${String(randomInt(0, 10_000)).padStart(4, '0')}`,
  km: '',
};
do phones.km = `+1978555${String(randomInt(0, 10_000)).padStart(4, '0')}`;
while (phones.km === phones.en);

// A link of any origin and token: the preview's sample link and each delivery's own link compare equal.
const withoutLinks = (s: string) =>
  s.replace(/https?:\/\/\S+\/a\/[\w-]+/g, '<link>').replace(/Sophea|Dara|Bopha/g, '<name>');

beforeAll(async () => {
  svc = await startService();
  for (const [locale, name] of [
    ['en', 'Bopha Keo'],
    ['km', 'Dara Sok'],
  ] as const) {
    const res = await svc.api('/v1/supporters', {
      body: { name, phone: phones[locale], locale, tags: [tag], consent: { sms: true } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
});

afterAll(async () => {
  await svc?.stop();
});

describe('a case alert without texts of its own', () => {
  it('sends an alert, a follow-up and an escalation whose texts differ and name the case, in each supporter’s language, as previewed', async () => {
    const body = {
      kind: 'case_alert',
      title: `UA 19/26 ${tag}`,
      case: { uaNumber: 'UA 19/26', persons: [{ name: 'Meach Sovannara' }] },
      action: { targets: [{ name: 'Minister of Justice', email: `minister-${tag}@justice.example.org` }] },
      audience: { tags: { include: [tag] } },
      // Short stage times, and a threshold nobody can reach, so all three stages go out in the test.
      params: { followUpAfter: 'PT4S', escalationAfter: 'PT8S', actionRateThreshold: 1 },
      options: { quietHours: false },
    };
    const preview = await svc.api('/v1/campaigns/preview', { body });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const stages = preview.body.stages as Array<{
      key: string;
      template?: { id: string; version: number };
      text: Record<'en' | 'km', { sms: string; smsSegments: { segments: number } }>;
    }>;
    expect(stages.map((s) => s.key)).toEqual(['alert', 'follow-up', 'escalation']);
    for (const s of stages) {
      expect(s.template?.id).toBe(`case_alert/${s.key}`);
      expect(s.text.en.sms).toContain('Meach Sovannara');
      expect(s.text.km.sms).toContain('Meach Sovannara');
      expect(s.text.km.sms).toMatch(/[\u1780-\u17FF]/);
      expect(s.text.en.smsSegments.segments).toBeGreaterThan(0);
    }
    expect(new Set(stages.map((s) => s.text.en.sms)).size).toBe(3);
    expect(new Set(stages.map((s) => s.text.km.sms)).size).toBe(3);

    const launched = await svc.api('/v1/campaigns', { body });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);

    const sandbox = sandboxClient(svc.sandboxUrl);
    for (const locale of ['en', 'km'] as const) {
      const got = await eventually(
        () => sandbox.messages({ channel: 'sms', to: phones[locale] }),
        (m) => m.length >= 3,
        `three SMS to the ${locale} supporter`,
        90_000,
      );
      const sent = got.map((m) => withoutLinks(m.body ?? ''));
      const previewed = stages.map((s) => withoutLinks(s.text[locale].sms));
      // Each stage's message as previewed (sample name and link aside), each different, each naming the case.
      expect(new Set(sent).size).toBe(3);
      expect([...sent].sort()).toEqual([...previewed].sort());
      for (const text of sent) expect(text).toContain('Meach Sovannara');
      for (const text of sent)
        expect(/[\u1780-\u17FF]/.test(text), `${locale}: ${text}`).toBe(locale === 'km');
    }
  }, 150_000);

  it('sends the prewritten Further Information and closure when a case update gives no text', async () => {
    const launched = await svc.api('/v1/campaigns', {
      body: {
        kind: 'case_alert',
        title: `UA 20/26 ${tag}`,
        case: { uaNumber: 'UA 20/26', persons: [{ name: 'Soeung Sen' }] },
        action: { targets: [{ name: 'Minister of Interior' }] },
        audience: { tags: { include: [tag] } },
        options: { quietHours: false },
      },
    });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    const id = launched.body.id as string;
    const sandbox = sandboxClient(svc.sandboxUrl);
    const toKm = (match: RegExp, what: string) =>
      eventually(
        () => sandbox.messages({ channel: 'sms', to: phones.km }),
        (m) => m.some((x) => match.test(x.body ?? '')),
        what,
        60_000,
      );
    await toKm(/Soeung Sen/, 'the alert');
    const fi = await svc.api(`/v1/campaigns/${id}/case-updates`, { body: { audience: 'recipients' } });
    expect(fi.status, JSON.stringify(fi.body)).toBe(202);
    expect(fi.body.fi).toBe(1);
    const afterFi = await toKm(/UA 20\/26 FI 1/, 'Further Information 1 in Khmer');
    expect(afterFi.find((x) => /FI 1/.test(x.body ?? ''))?.body).toContain('ព័ត៌មានថ្មីអំពី Soeung Sen');
    const closed = await svc.api(`/v1/campaigns/${id}/case-updates`, {
      body: { audience: 'recipients', resolution: 'released' },
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(202);
    await toKm(/Soeung Sen ត្រូវបានដោះលែងហើយ/, 'the closure in Khmer');
  }, 150_000);
});

describe('an organization’s own wording of a template', () => {
  const path = '/v1/organization/stage-templates/case_alert/follow-up';
  it('is validated, revised, used by the next launch (with its revision) and can be taken back', async () => {
    expect(
      (
        await svc.api('/v1/organization/stage-templates/case_alert/nope', {
          method: 'PUT',
          body: { content: { en: { sms: 'x' } } },
        })
      ).status,
    ).toBe(404);
    const bad = await svc.api(path, { method: 'PUT', body: { content: { km: { sms: 'សូម {{password}}' } } } });
    expect(bad.status, JSON.stringify(bad.body)).toBe(400);
    expect(bad.body.errors[0].path).toBe('content.km.sms');
    const ours = 'Still held: {{caseName}}. {{title}} needs your letter {{actionUrl}}';
    for (const revision of [1, 2]) {
      const put = await svc.api(path, { method: 'PUT', body: { content: { en: { sms: ours } } } });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body).toMatchObject({ origin: 'organization', revision });
    }
    const preview = await svc.api('/v1/campaigns/preview', {
      body: {
        kind: 'case_alert',
        title: 'Free Sam Sokha',
        params: { caseName: 'Sam Sokha' },
        action: { url: 'https://act.example.org/ua' },
      },
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const followUp = preview.body.stages.find((s: { key: string }) => s.key === 'follow-up');
    expect(followUp.template).toEqual({ id: 'case_alert/follow-up', version: 2, origin: 'organization' });
    expect(followUp.text.en.sms).toMatch(
      /^Still held: Sam Sokha\. Free Sam Sokha needs your letter https?:\/\//,
    );
    expect(followUp.text.km.sms).toContain('រំលឹក');
    expect((await svc.api(path, { method: 'DELETE' })).status).toBe(204);
    const list = await svc.api('/v1/organization/stage-templates');
    const item = list.body.items.find((t: { id: string }) => t.id === 'case_alert/follow-up');
    expect(item).toMatchObject({ origin: 'repository', revision: null });
    expect(list.body.items.length).toBeGreaterThanOrEqual(18);
  });
});
