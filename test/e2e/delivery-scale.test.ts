import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DeliveryHarness,
  deliveryRows,
  launchCampaign,
  type NewSupporter,
  perRecipient,
  REACHED,
  resetSandbox,
  sandboxStats,
  startDeliveryHarness,
  storeSupporters,
  waitForCampaign,
} from '../support/delivery-harness';
import { randomEmail, validPhone } from '../support/generators';
import { eventually, sandboxClient } from '../support/sandbox-client';

let h: DeliveryHarness;
beforeAll(async () => {
  h = await startDeliveryHarness();
  await resetSandbox(h.svc.sandboxUrl);
});
afterAll(async () => {
  if (h) await resetSandbox(h.svc.sandboxUrl);
  await h?.stop();
});

const SUPPORTERS = 1000;
const khmer = 'សកម្មភាពបន្ទាន់៖ សូមសរសេរទៅកាន់ក្រសួងយុត្តិធម៌ ដើម្បីដោះលែង {{caseName}}។ {{actionUrl}}';
const content = {
  en: {
    sms: 'Urgent: write to free {{caseName}} {{actionUrl}}',
    subject: 'Act now for {{caseName}}',
    body: 'Dear {{firstName}}, please act: {{actionUrl}}',
  },
  km: { sms: khmer, subject: 'សកម្មភាពបន្ទាន់ {{caseName}}', body: khmer },
};

type Kind = 'sms' | 'fallback_email' | 'email_only' | 'opted_out' | 'no_consent';
// Six in ten reachable by SMS, two by email (one as the SMS fallback), two not at all.
const KINDS: Kind[] = [
  'sms',
  'sms',
  'sms',
  'sms',
  'sms',
  'sms',
  'fallback_email',
  'email_only',
  'opted_out',
  'no_consent',
];

function supporterOf(kind: Kind, locale: 'en' | 'km'): NewSupporter & { address: string | null } {
  const phone = validPhone();
  const email = randomEmail();
  switch (kind) {
    case 'sms':
      return { phone, locale, consent: { sms: true }, address: phone };
    case 'fallback_email':
      return { phone, email, locale, consent: { sms: false, email: true }, address: email };
    case 'email_only':
      return { email, locale, consent: { email: true }, address: email };
    case 'opted_out':
      return { phone, locale, consent: { sms: true }, address: null };
    case 'no_consent':
      return { phone, email, locale, consent: { sms: false, email: false }, address: null };
  }
}

describe('a stage to 1,000 supporters under provider faults', () => {
  it('reaches each eligible supporter exactly once, in their language, despite 20% 5xx and 429 bursts', async () => {
    const sandbox = sandboxClient(h.svc.sandboxUrl);
    const org = await h.newOrg();
    const people = Array.from({ length: SUPPORTERS }, (_, i) => ({
      kind: KINDS[i % KINDS.length]!,
      ...supporterOf(KINDS[i % KINDS.length]!, i % 2 === 0 ? 'km' : 'en'),
    }));
    await storeSupporters(
      h.svc,
      org.orgId,
      people.map(({ kind: _k, address: _a, ...s }) => s),
    );
    // Opted out the way supporters do it: a STOP reply.
    for (const p of people.filter((x) => x.kind === 'opted_out')) {
      const answer = await sandbox.inbound(p.phone!, 'STOP');
      expect(answer.status).toBe(200);
    }

    const before = await sandboxStats(h.svc.sandboxUrl);
    await sandbox.setFaults({ errorRate: 0.2, errorStatus: 503, rateLimitPerSec: 20 });
    const id = await launchCampaign(org, { stages: [{ key: 'alert', channel: 'sms_then_email' }], content });
    const done = await waitForCampaign(org, id, 'completed', 240_000);
    await sandbox.clearFaults();
    const after = await sandboxStats(h.svc.sandboxUrl);

    const eligible = people.filter((p) => p.address !== null);
    const ineligible = people.filter((p) => p.address === null);
    expect(done.stages[0].counts).toMatchObject({
      targeted: SUPPORTERS,
      sent: eligible.length,
      failed: 0,
      deferred: 0,
      excluded: ineligible.length,
    });

    const mine = new Set(people.flatMap((p) => [p.phone, p.email]).filter((a): a is string => !!a));
    const messages = [
      ...(await sandbox.messages({ channel: 'sms' })),
      ...(await sandbox.messages({ channel: 'email' })),
    ].filter((m) => mine.has(m.to));
    const counts = perRecipient(messages);
    const wrong = eligible.filter((p) => counts.get(p.address!) !== 1);
    expect(wrong.length, 'eligible supporters not reached exactly once').toBe(0);
    for (const p of ineligible) {
      expect(counts.get(p.phone!) ?? 0, `ineligible supporter (${p.kind}) got an SMS`).toBe(0);
      if (p.email) expect(counts.get(p.email) ?? 0, `ineligible supporter (${p.kind}) got an email`).toBe(0);
    }
    // Nobody eligible by email got an SMS as well (the fallback pass only takes those SMS could not reach).
    for (const p of people.filter((x) => x.kind === 'fallback_email'))
      expect(counts.get(p.phone!) ?? 0).toBe(0);

    // Each in their language.
    const byAddress = new Map(messages.map((m) => [m.to, m]));
    for (const p of eligible) {
      const m = byAddress.get(p.address!)!;
      const text = m.body ?? m.text ?? '';
      expect(/[\u1780-\u17FF]/.test(text), `locale ${p.locale} of a ${m.channel} message`).toBe(
        p.locale === 'km',
      );
    }

    // The rows agree with the provider: one reached row per eligible supporter, with its message id.
    const rows = await deliveryRows(h.svc, id);
    const reached = rows.filter((r) => REACHED.includes(r.status));
    expect(reached).toHaveLength(eligible.length);
    const ids = new Set(messages.map((m) => m.id));
    expect(reached.filter((r) => !ids.has(r.provider_id ?? ''))).toHaveLength(0);
    expect(rows.filter((r) => r.status === 'sending' || r.status === 'failed')).toHaveLength(0);

    // Every provider status reached its row, none lost to a write that came after it.
    const final = await eventually(
      () => org.api(`/v1/campaigns/${id}`),
      (r) => r.body.stages[0].counts.delivered === eligible.length,
      'every reached supporter to be reported delivered',
      30_000,
    );
    expect(final.body.stages[0].counts.delivered).toBe(eligible.length);

    const rejected429 = after.rejected429 - before.rejected429;
    const rejected5xx = after.rejected5xx - before.rejected5xx;
    expect(rejected5xx, 'the 5xx faults were exercised').toBeGreaterThan(50);
    expect(rejected429, 'the rate limit was exercised').toBeGreaterThan(0);
    expect(after.maxPerRecipientPerBody, 'no duplicate anywhere in this file').toBe(1);
    expect(after.accepted - before.accepted).toBe(eligible.length);
    const statuses: Record<string, number> = {};
    for (const r of rows)
      statuses[`${r.channel}:${r.status}`] = (statuses[`${r.channel}:${r.status}`] ?? 0) + 1;
    const attempts = rows.reduce((n, r) => n + Math.max(0, r.attempts - 1), 0);
    console.log(
      `1,000-supporter stage: ${eligible.length} reached (${messages.filter((m) => m.channel === 'sms').length} SMS, ` +
        `${messages.filter((m) => m.channel === 'email').length} email), ${ineligible.length} excluded, ` +
        `${rejected5xx} 5xx and ${rejected429} 429 answers absorbed, ${attempts} page-level re-claims, 0 duplicates; rows ${JSON.stringify(statuses)}`,
    );
  }, 300_000);
});
