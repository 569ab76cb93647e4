import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicBaseUrl } from '../../core/runtime';
import { createOrganization, createToken } from '../../db/tenants';
import { twilioRequest } from '../support/fixtures';
import { twilioSid } from '../support/generators';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';
import { launchSurvey } from '../support/survey-launch';

// Monitoring surveys end to end: the sandbox's /sandbox/inbound plays the supporters.
let svc: Service;
beforeAll(async () => {
  svc = await startService({ env: { SURVEY_SWEEP_SECONDS: '1' } });
});
afterAll(async () => {
  await svc?.stop();
});

const INBOUND = '/v1/webhooks/twilio/inbound';
const bi = (en: string, km: string) => ({ en, km });
const survey = {
  recommendations: [{ id: 'UPR-110.45', text: 'Release detained human rights defenders' }],
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
      timeout: 'PT8S',
      recommendations: ['UPR-110.45'],
    },
    {
      key: 'count',
      type: 'number',
      min: 0,
      max: 1000,
      prompt: bi('How many were released?', 'តើមានប៉ុន្មាននាក់ត្រូវបានដោះលែង?'),
      timeout: 'PT8S',
      recommendations: ['UPR-110.45'],
    },
    { key: 'report', type: 'text', prompt: bi('What did you see?', 'តើអ្នកបានឃើញអ្វី?'), timeout: 'PT8S' },
  ],
};

describe('a monitoring survey by SMS', () => {
  it('asks, branches, reminds, stops, reviews, publishes and forgets who answered', async () => {
    const sandbox = sandboxClient(svc.sandboxUrl);
    const tag = `monitor-${randomInt(1e9)}`;
    const people = {
      latin: { name: 'Dara Latin', locale: 'en' },
      khmer: { name: 'Sokha Khmer', locale: 'km' },
      labels: { name: 'Vanna Labels', locale: 'en' },
      stopper: { name: 'Rith Stopper', locale: 'en' },
      silent: { name: 'Chantha Silent', locale: 'km' },
    } as const;
    const phones: Record<string, string> = {};
    const ids: Record<string, string> = {};
    for (const [who, p] of Object.entries(people)) {
      phones[who] = `+1978555${String(randomInt(10_000)).padStart(4, '0')}`;
      const r = await svc.api('/v1/supporters', {
        body: { ...p, phone: phones[who], timezone: 'UTC', tags: [tag], consent: { sms: true } },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids[who] = r.body.id;
    }
    const bad = await svc.api('/v1/campaigns', {
      body: {
        kind: 'monitoring',
        title: 'x',
        survey: {
          questions: [{ ...survey.questions[0], next: [{ if: { choice: 'no' }, goto: 'nowhere' }] }],
        },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain('survey.questions.0.next.0.goto');

    const campaignId = await launchSurvey(svc, tag, survey, 'UPR watch');

    const inbox = async (who: string) =>
      (await sandbox.messages({ channel: 'sms', to: phones[who] })).map((m) => m.body ?? '');
    const waitFor = (who: string, text: string, count = 1) =>
      eventually(
        () => inbox(who),
        (bodies) => bodies.filter((b) => b.includes(text)).length >= count,
        `${who} gets "${text}"`,
        30_000,
      );
    for (const who of Object.keys(people))
      await waitFor(who, who === 'khmer' || who === 'silent' ? 'តើអ្នកការពារ' : 'Were defenders');
    const say = async (who: string, body: string) =>
      expect((await sandbox.inbound(phones[who]!, body)).status).toBe(200);

    await say('latin', '1');
    await waitFor('latin', 'How many');
    await say('latin', '12');
    await waitFor('latin', 'What did you see');
    await say('latin', 'Two defenders were released in Kampong Cham');
    await waitFor('latin', 'Thank you');

    await say('khmer', '១');
    await waitFor('khmer', 'តើមានប៉ុន្មាននាក់');
    await say('khmer', '២០');
    await waitFor('khmer', 'តើអ្នកបានឃើញអ្វី');
    await say('khmer', 'មានការដោះលែងពីរនាក់');
    await waitFor('khmer', 'សូមអរគុណ');

    // A label, in another case and spacing; "No" skips the count.
    await say('labels', '  no ');
    await waitFor('labels', 'What did you see');
    // Not a report: only emoji. The question comes again once, with a hint.
    await say('labels', '🙏🙏');
    await waitFor('labels', 'Sorry, we did not understand');
    await say('labels', 'Nobody was released');
    await waitFor('labels', 'Thank you');

    // Half-way, STOP: the conversation ends and the supporter is opted out.
    await say('stopper', 'Not sure');
    await waitFor('stopper', 'How many');
    // The same reply delivered twice (same MessageSid) is handled once: one answer, no second question.
    const base = publicBaseUrl(svc.config);
    const sid = twilioSid();
    for (let i = 0; i < 2; i++) {
      const res = await fetch(
        `${svc.apiUrl}${INBOUND}`,
        twilioRequest(svc.config.TWILIO_AUTH_TOKEN!, `${base}${INBOUND}`, {
          MessageSid: sid,
          From: phones.stopper!,
          To: '+15005550006',
          Body: 'x'.repeat(1600),
        }),
      );
      expect(res.status).toBe(200);
    }
    await waitFor('stopper', 'Sorry, we did not understand');
    await say('stopper', 'STOP');

    // The silent supporter gets one reminder, then the conversation is left incomplete.
    await waitFor('silent', 'រំលឹក៖');
    const sessions = () =>
      svc.sql<{ status: string; n: number }[]>`
        select status, count(*)::int as n from survey_sessions where campaign_id = ${campaignId} group by status order by status`;
    await eventually(
      sessions,
      (rows) => rows.some((r) => r.status === 'incomplete'),
      'the silent conversation ends',
      40_000,
    );
    expect(Object.fromEntries((await sessions()).map((r) => [r.status, r.n]))).toEqual({
      completed: 3,
      incomplete: 1,
      stopped: 1,
    });
    expect((await inbox('silent')).filter((b) => b.includes('រំលឹក៖'))).toHaveLength(1);
    expect((await inbox('stopper')).filter((b) => b.includes('Sorry'))).toHaveLength(1);
    for (const who of Object.keys(people)) {
      const bodies = await inbox(who);
      expect(new Set(bodies).size, `${who} got a message twice`).toBe(bodies.length);
    }

    // Results: verified reports only.
    const results = await svc.api(`/v1/campaigns/${campaignId}/results`);
    expect(results.status, JSON.stringify(results.body)).toBe(200);
    const q = (key: string) => results.body.questions.find((x: { key: string }) => x.key === key);
    expect(results.body).toMatchObject({ respondents: 4, completed: 3, asked: 5 });
    expect(q('released').counts).toEqual({ yes: 2, no: 1, unsure: 1 });
    expect(q('count')).toMatchObject({ answers: 2, stats: { min: 12, max: 20, mean: 16 } });
    expect(q('report').answers).toBe(0);
    expect(results.body.recommendations[0].questions.map((x: { key: string }) => x.key)).toEqual([
      'released',
      'count',
    ]);

    const queue = await svc.api(`/v1/reports?campaignId=${campaignId}&status=pending`);
    expect(queue.body.items).toHaveLength(3);
    const report = queue.body.items.find((r: { text: string }) => r.text.includes('Kampong Cham'));
    const reviewed = await svc.api(`/v1/reports/${report.id}/review`, {
      body: { status: 'verified', note: 'matches press' },
    });
    expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
    expect(reviewed.body).toMatchObject({ status: 'verified', note: 'matches press' });
    const invalid = await svc.api(`/v1/reports/${report.id}/review`, { body: { status: 'maybe' } });
    expect(invalid.status).toBe(400);
    const after = await svc.api(`/v1/campaigns/${campaignId}/results`);
    expect(after.body.questions.find((x: { key: string }) => x.key === 'report').answers).toBe(1);

    // The CSV: one row per published answer, pseudonymous, matching the results.
    const csv = await fetch(`${svc.apiUrl}/v1/campaigns/${campaignId}/results.csv`, {
      headers: { authorization: `Bearer ${svc.token}` },
    });
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('respondent,question,answer,answeredAt,round');
    const published = 4 + 2 + 1;
    expect(lines).toHaveLength(1 + published);
    const text = lines.join('\n');
    for (const [who, p] of Object.entries(people)) {
      expect(text).not.toContain(p.name);
      expect(text).not.toContain(phones[who]!.slice(2));
      expect(text).not.toContain(ids[who]);
    }
    expect(lines.filter((l) => l.includes(',released,yes,'))).toHaveLength(2);

    // Erasure: the answers stay, and nothing leads back to the supporter.
    const respondentOf = async (supporterId: string) =>
      (
        await svc.sql<{ id: string }[]>`select id from survey_respondents where supporter_id = ${supporterId}`
      )[0]?.id;
    const latinRespondent = await respondentOf(ids.latin!);
    expect(latinRespondent).toBeDefined();
    expect((await svc.api(`/v1/supporters/${ids.latin}`, { method: 'DELETE' })).status).toBe(204);
    expect(await respondentOf(ids.latin!)).toBeUndefined();
    const [kept] = await svc.sql<{ supporter_id: string | null; answers: number }[]>`
      select r.supporter_id, (select count(*)::int from survey_answers a where a.respondent_id = r.id) as answers
      from survey_respondents r where r.id = ${latinRespondent!}`;
    expect(kept).toEqual({ supporter_id: null, answers: 3 });
    // No other table holds both: the inbound rows of answers name no supporter and keep no text.
    const [linked] = await svc.sql<{ n: number }[]>`
      select count(*)::int as n from inbound_messages where supporter_id = ${ids.latin!} and keyword = 'survey_answer'`;
    expect(linked!.n).toBe(0);
    const [anyText] = await svc.sql<{ n: number }[]>`
      select count(*)::int as n from inbound_messages where body like '%Kampong Cham%'`;
    expect(anyText!.n).toBe(0);
    const final = await svc.api(`/v1/campaigns/${campaignId}/results`);
    expect(final.body.questions.find((x: { key: string }) => x.key === 'count').answers).toBe(2);

    // Another organization sees none of it.
    const otherOrg = await createOrganization(svc.sql, { name: `other ${randomInt(1e9)}` });
    const { token: other } = await createToken(svc.sql, { orgId: otherOrg, role: 'organizer' });
    expect((await svc.api(`/v1/campaigns/${campaignId}/results`, { token: other })).status).toBe(404);
    expect((await svc.api(`/v1/campaigns/${campaignId}/results.csv`, { token: other })).status).toBe(404);
    expect(
      (await svc.api(`/v1/reports/${report.id}/review`, { token: other, body: { status: 'rejected' } }))
        .status,
    ).toBe(404);
    expect((await svc.api(`/v1/reports?campaignId=${campaignId}`, { token: other })).body.items).toEqual([]);

    // A reply after the conversation is over goes to the ordinary handling.
    const help = await sandbox.inbound(phones.khmer!, 'HELP');
    expect(help.body).toContain('<Message>');
  }, 240_000);
});
