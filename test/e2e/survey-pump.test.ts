import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';
import { createSmsSupporters, launchSurvey } from '../support/survey-launch';

// Bursts of replies while the survey's pump runs: every reply is answered by exactly one next
// question, none is lost between the pump, the workflow's ticks and the wake-up row, and the
// workflow is woken by a signal per burst at most, not per reply.
let svc: Service;
beforeAll(async () => {
  // Its own sender: the suppression list is shared per sender across tests.
  svc = await startService({ env: { SURVEY_SWEEP_SECONDS: '1', TWILIO_FROM_NUMBER: '+15005550061' } });
});
afterAll(async () => {
  await svc?.stop();
});

const bi = (en: string, km: string) => ({ en, km });
const survey = {
  questions: [
    {
      key: 'seen',
      type: 'yes_no',
      prompt: bi('Did you see a trial this week?', 'តើអ្នកបានឃើញការកាត់ក្តីនៅសប្តាហ៍នេះទេ?'),
    },
    { key: 'count', type: 'number', min: 0, max: 99, prompt: bi('How many?', 'ប៉ុន្មាន?') },
    { key: 'where', type: 'text', prompt: bi('Where was it?', 'នៅឯណា?') },
  ],
};

describe('survey follow-ups under a burst of replies', () => {
  it('answers every reply with one next question, in bursts, without losing any', async () => {
    const sandbox = sandboxClient(svc.sandboxUrl);
    const tag = `pump-${randomInt(1e9)}`;
    const n = 12;
    const phones = await createSmsSupporters(svc, n, tag, 'Pump');
    const campaignId = await launchSurvey(svc, tag, survey);
    const inbox = async (phone: string) =>
      (await sandbox.messages({ channel: 'sms', to: phone })).map((m) => m.body ?? '');
    const allGot = (text: string) =>
      eventually(
        () => Promise.all(phones.map(inbox)),
        (boxes) => boxes.every((b) => b.some((x) => x.includes(text))),
        `everyone gets "${text}"`,
        60_000,
      );
    await allGot('Did you see a trial');

    // Each burst: every respondent replies at once, as a crowd does after a broadcast.
    const burst = async (body: (i: number) => string) => {
      const answers = await Promise.all(phones.map((p, i) => sandbox.inbound(p, body(i))));
      for (const a of answers) expect(a.status).toBe(200);
    };
    await burst((i) => (i % 2 ? 'yes' : 'បាទ'));
    await allGot('How many?');
    await burst((i) => String(i));
    await allGot('Where was it?');
    await burst(() => 'At the provincial court');
    await allGot('Thank you');

    const [stored] = await svc.sql<{ n: number }[]>`
      select count(*)::int as n from survey_answers where campaign_id = ${campaignId}`;
    expect(stored?.n).toBe(3 * n);
    for (const phone of phones) {
      const bodies = await inbox(phone);
      // The first question, two follow-ups and thanks: each once.
      expect(bodies, phone).toHaveLength(4);
      expect(new Set(bodies).size).toBe(4);
    }
    const sends = await svc.sql<{ status: string; n: number }[]>`
      select status, count(*)::int as n from survey_sends where campaign_id = ${campaignId} group by status`;
    expect(sends).toEqual([{ status: 'sent', n: 3 * n }]);

    // The follow-ups went out through the pump: a handful of signals for 36 replies, not one each.
    const history = await svc.temporal.workflow.getHandle(`survey-${campaignId}`).fetchHistory();
    const events = history.events ?? [];
    const pumps = events.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'surveyPump',
    ).length;
    const signals = events.filter((e) => e.workflowExecutionSignaledEventAttributes).length;
    expect(pumps).toBeGreaterThan(0);
    expect(signals).toBeLessThan(n);
  });

  it("opens a silent respondent's conversation as a repeating round goes out, not a poll later", async () => {
    // Once round 1 starts, the campaign's next stage is round 2, two weeks away; the sweep that opens
    // the conversations of people who never reply must still come within seconds (SURVEY_SWEEP_SECONDS).
    const sandbox = sandboxClient(svc.sandboxUrl);
    const tag = `silent-${randomInt(1e9)}`;
    const [phone = ''] = await createSmsSupporters(svc, 1, tag, 'Silent');
    const campaignId = await launchSurvey(
      svc,
      tag,
      { ...survey, repeat: { every: 'P14D', rounds: 2 } },
      'Trial watch, fortnightly',
    );
    await eventually(
      async () => (await sandbox.messages({ channel: 'sms', to: phone })).map((m) => m.body ?? ''),
      (bodies) => bodies.some((b) => b.includes('Did you see a trial')),
      'the first question arrives',
      60_000,
    );
    // No reply at all: only the sweep can open it (the workflow's longest sleep is an hour).
    const opened = await eventually(
      async () => {
        const [row] = await svc.sql<{ n: number }[]>`
          select count(*)::int as n from survey_sessions where campaign_id = ${campaignId} and round = 1`;
        return row?.n ?? 0;
      },
      (n) => n === 1,
      'the silent respondent has an open conversation',
      30_000,
    );
    expect(opened).toBe(1);
  });
});
