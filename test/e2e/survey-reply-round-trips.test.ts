import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicBaseUrl } from '../../core/runtime';
import { countingApp } from '../support/counting-app';
import { twilioRequest } from '../support/fixtures';
import { twilioSid } from '../support/generators';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';
import { createSmsSupporters, launchSurvey } from '../support/survey-launch';

// A survey reply through the Twilio inbound webhook: how many PostgreSQL round trips it costs
// (the API pool is shared by every reply), and that it stays exactly-once: a webhook retried with
// the same MessageSid, even concurrently, stores one answer and queues one next question.
const INBOUND = '/v1/webhooks/twilio/inbound';
/** Statements (BEGIN and COMMIT included) one survey answer may cost; it was 15 before they were merged. */
const BUDGET = 7;

let svc: Service;
let counting: ReturnType<typeof countingApp>;

beforeAll(async () => {
  // Its own sender: the suppression list is shared per sender across tests.
  svc = await startService({ env: { SURVEY_SWEEP_SECONDS: '1', TWILIO_FROM_NUMBER: '+15005550063' } });
  // A second API on a pool that writes down every statement it sends.
  counting = countingApp(svc);
});
afterAll(async () => {
  await counting?.end();
  await svc?.stop();
});

const bi = (en: string, km: string) => ({ en, km });
const survey = {
  questions: [
    { key: 'seen', type: 'yes_no', prompt: bi('Did you see a trial?', 'តើអ្នកបានឃើញការកាត់ក្តីទេ?') },
    { key: 'count', type: 'number', min: 0, max: 99, prompt: bi('How many people?', 'ប៉ុន្មាននាក់?') },
    { key: 'where', type: 'text', prompt: bi('Where was it?', 'នៅឯណា?') },
  ],
};

/** Posts a signed reply to the counting API; returns the statements it sent to PostgreSQL. */
async function reply(from: string, body: string, sid = twilioSid()): Promise<string[]> {
  const before = counting.ours().length;
  const res = await counting.app.request(
    INBOUND,
    twilioRequest(svc.config.TWILIO_AUTH_TOKEN!, `${publicBaseUrl(svc.config)}${INBOUND}`, {
      MessageSid: sid,
      From: from,
      To: svc.config.TWILIO_FROM_NUMBER!,
      Body: body,
    }),
  );
  expect(res.status).toBe(200);
  return counting
    .ours()
    .slice(before)
    .map((q) => q.replace(/\s+/g, ' ').trim().slice(0, 80));
}

describe('a survey reply through the inbound webhook', () => {
  it(`costs at most ${BUDGET} statements, and a retried MessageSid is handled once`, async () => {
    const sandbox = sandboxClient(svc.sandboxUrl);
    const tag = `trips-${randomInt(1e9)}`;
    const phones = await createSmsSupporters(svc, 2, tag, 'Trips');
    const campaignId = await launchSurvey(svc, tag, survey);
    const inbox = async (phone: string) =>
      (await sandbox.messages({ channel: 'sms', to: phone })).map((m) => m.body ?? '');
    const got = (phone: string, text: string) =>
      eventually(
        () => inbox(phone),
        (b) => b.some((x) => x.includes(text)),
        `${phone} gets "${text}"`,
        60_000,
      );
    const [a, b] = phones as [string, string];
    await got(a, 'Did you see a trial');
    await got(b, 'Did you see a trial');

    // The first reply opens the conversation (the first question went out as a stage page).
    const first = await reply(a, 'yes');
    expect(first.length, first.join('\n')).toBeLessThanOrEqual(BUDGET);
    await got(a, 'How many people?');
    // An answer to an open question: the path every reply after the first takes.
    const sid = twilioSid();
    const second = await reply(a, '12', sid);
    expect(second.length, second.join('\n')).toBeLessThanOrEqual(BUDGET);
    // Twilio retries: the same MessageSid changes nothing, sends nothing.
    const retried = await reply(a, '12', sid);
    expect(retried.length, retried.join('\n')).toBeLessThan(second.length);
    await got(a, 'Where was it?');

    // The same new MessageSid twice at once: one answer, one next question.
    const racing = twilioSid();
    await Promise.all([reply(b, 'no', racing), reply(b, 'no', racing)]);
    await got(b, 'How many people?');

    const answers = await svc.sql<{ q: string; n: number }[]>`
      select question_key as q, count(*)::int as n from survey_answers where campaign_id = ${campaignId}
      group by question_key order by question_key`;
    expect(answers).toEqual([
      { q: 'count', n: 1 },
      { q: 'seen', n: 2 },
    ]);
    const sends = await svc.sql<{ q: string; n: number }[]>`
      select question_key as q, count(*)::int as n from survey_sends where campaign_id = ${campaignId}
      group by question_key order by question_key`;
    expect(sends).toEqual([
      { q: 'count', n: 2 },
      { q: 'where', n: 1 },
    ]);
    const [inbound] = await svc.sql<{ n: number }[]>`
      select count(*)::int as n from inbound_messages where provider_id in (${sid}, ${racing})`;
    expect(inbound?.n).toBe(2);
    // Give a stray second send time to arrive; each question reached each phone once.
    await new Promise((r) => setTimeout(r, 1_500));
    const boxA = await inbox(a);
    const boxB = await inbox(b);
    expect(boxA.filter((x) => x.includes('How many people?'))).toHaveLength(1);
    expect(boxA.filter((x) => x.includes('Where was it?'))).toHaveLength(1);
    expect(boxB.filter((x) => x.includes('How many people?'))).toHaveLength(1);
    if (process.env.SHOW_ROUND_TRIPS) console.log({ first, second, retried });
  }, 180_000);
});
