import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../channels/provider-errors';
import {
  createSupporters,
  type DeliveryHarness,
  deliveryRows,
  launchCampaign,
  perRecipient,
  REACHED,
  resetSandbox,
  startDeliveryHarness,
  waitForCampaign,
} from '../support/delivery-harness';
import { randomEmail, validPhone } from '../support/generators';
import { sandboxClient } from '../support/sandbox-client';

// Crashes and lost answers between the provider's accept and our write, through the real SDKs.
let h: DeliveryHarness;
beforeAll(async () => {
  h = await startDeliveryHarness();
  await resetSandbox(h.svc.sandboxUrl);
});
afterEach(() => {
  h.hooks.afterSms = undefined;
  h.hooks.afterEmailBatch = undefined;
});
afterAll(async () => {
  await h?.stop();
});

const content = {
  en: {
    sms: 'Urgent: write to free {{caseName}} {{actionUrl}}',
    subject: 'Act now for {{caseName}}',
    body: 'Dear {{firstName}}, please act: {{actionUrl}}',
  },
};

async function smsAudience(n: number) {
  const org = await h.newOrg();
  const phones = Array.from({ length: n }, () => validPhone());
  const ids = await createSupporters(
    org,
    phones.map((phone) => ({ phone, consent: { sms: true } })),
  );
  return { org, phones, ids };
}

async function emailAudience(n: number) {
  const org = await h.newOrg();
  const emails = Array.from({ length: n }, () => randomEmail());
  const ids = await createSupporters(
    org,
    emails.map((email) => ({ email, consent: { email: true } })),
  );
  return { org, emails, ids };
}

describe('a crash between the provider accepting and the row being written', () => {
  it('does not send the SMS again, and records the provider id the sandbox gave it', async () => {
    const sandbox = sandboxClient(h.svc.sandboxUrl);
    const { org, phones, ids } = await smsAudience(6);
    const victim = phones[2]!;
    let crashes = 0;
    h.hooks.afterSms = async (input) => {
      if (input.to === victim && crashes === 0) {
        crashes++;
        throw new Error('simulated worker crash after the provider accepted');
      }
    };
    const id = await launchCampaign(org, { stages: [{ key: 'alert', channel: 'sms' }], content });
    const done = await waitForCampaign(org, id);
    expect(crashes, 'the crash was injected').toBe(1);

    const sms = (await sandbox.messages({ channel: 'sms' })).filter((m) => phones.includes(m.to));
    const counts = perRecipient(sms);
    for (const phone of phones) expect(counts.get(phone), 'one SMS per supporter').toBe(1);

    const rows = await deliveryRows(h.svc, id);
    const victimRow = rows.find((r) => r.supporter_id === ids[2]);
    expect(REACHED).toContain(victimRow?.status);
    expect(victimRow?.provider_id).toBe(sms.find((m) => m.to === victim)?.id);
    expect(done.stages[0].counts).toMatchObject({ targeted: 6, sent: 6, failed: 0 });
  });

  it('does not resend an SMS whose 5xx answer came after the provider had taken it', async () => {
    const sandbox = sandboxClient(h.svc.sandboxUrl);
    const { org, phones, ids } = await smsAudience(4);
    const victim = phones[1]!;
    let lost = 0;
    h.hooks.afterSms = async (input) => {
      if (input.to === victim && lost === 0) {
        lost++;
        throw new ProviderError({ kind: 'transient', status: 502, message: 'Twilio 502: bad gateway' });
      }
    };
    const id = await launchCampaign(org, { stages: [{ key: 'alert', channel: 'sms' }], content });
    await waitForCampaign(org, id);
    expect(lost, 'the lost answer was injected').toBe(1);

    const sms = (await sandbox.messages({ channel: 'sms' })).filter((m) => phones.includes(m.to));
    expect(
      sms.filter((m) => m.to === victim),
      'the retry found the message instead of resending',
    ).toHaveLength(1);
    expect(sms).toHaveLength(4);
    const victimRow = (await deliveryRows(h.svc, id)).find((r) => r.supporter_id === ids[1]);
    expect(victimRow?.provider_id).toBe(sms.find((m) => m.to === victim)?.id);
  });

  it('replays an email batch under its Idempotency-Key: one email each, with the ids of the first request', async () => {
    const sandbox = sandboxClient(h.svc.sandboxUrl);
    const { org, emails, ids } = await emailAudience(5);
    let crashes = 0;
    h.hooks.afterEmailBatch = async (batch) => {
      if (crashes === 0 && batch.some((e) => emails.includes(e.to))) {
        crashes++;
        throw new Error('simulated worker crash after Resend accepted the batch');
      }
    };
    const id = await launchCampaign(org, { stages: [{ key: 'alert', channel: 'email' }], content });
    const done = await waitForCampaign(org, id);
    expect(crashes).toBe(1);

    const mail = (await sandbox.messages({ channel: 'email' })).filter((m) => emails.includes(m.to));
    const counts = perRecipient(mail);
    for (const e of emails) expect(counts.get(e), 'one email per supporter').toBe(1);
    const rows = await deliveryRows(h.svc, id);
    for (const [i, e] of emails.entries()) {
      const row = rows.find((r) => r.supporter_id === ids[i]);
      expect(REACHED).toContain(row?.status);
      expect(row?.provider_id).toBe(mail.find((m) => m.to === e)?.id);
    }
    expect(done.stages[0].counts).toMatchObject({ targeted: 5, sent: 5 });
  });

  it('does not resend a batch whose member unsubscribed before the retry', async () => {
    const sandbox = sandboxClient(h.svc.sandboxUrl);
    const { org, emails, ids } = await emailAudience(4);
    const leaver = emails[0]!;
    let crashes = 0;
    h.hooks.afterEmailBatch = async (batch) => {
      const mine = batch.find((e) => e.to === leaver);
      if (crashes > 0 || !mine) return;
      crashes++;
      // The leaver clicks the one-click unsubscribe link of the email that just went out.
      const url = /<([^>]+)>/.exec(mine.headers['List-Unsubscribe'] ?? '')?.[1];
      const res = await fetch(url!, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
      if (!res.ok) throw new Error(`unsubscribe answered ${res.status}`);
      throw new Error('simulated worker crash after Resend accepted the batch');
    };
    const id = await launchCampaign(org, { stages: [{ key: 'alert', channel: 'email' }], content });
    await waitForCampaign(org, id);
    expect(crashes).toBe(1);

    const [leaverRow] = await h.svc.sql<{ email_opted_out_at: Date | null }[]>`
      select email_opted_out_at from supporters where id = ${ids[0]!}`;
    expect(leaverRow?.email_opted_out_at, 'the unsubscribe was recorded').not.toBeNull();
    const mail = (await sandbox.messages({ channel: 'email' })).filter((m) => emails.includes(m.to));
    const counts = perRecipient(mail);
    for (const e of emails) expect(counts.get(e), `one email to supporter ${emails.indexOf(e)}`).toBe(1);
    // The provider proved the first batch went out, the leaver's email included.
    const rows = await deliveryRows(h.svc, id);
    for (const r of rows) expect(REACHED).toContain(r.status);
  });

  it('keeps heartbeating through a Retry-After longer than the heartbeat timeout: no second attempt, no duplicate', async () => {
    const sandbox = sandboxClient(h.svc.sandboxUrl);
    const { org, phones, ids } = await smsAudience(2);
    // One send a second, and a 429 asks for 35 s: longer than the page's 15 s heartbeat timeout plus the SDK's heartbeat throttle.
    await sandbox.setFaults({ rateLimitPerSec: 1, retryAfterSec: 35 });
    try {
      const id = await launchCampaign(org, { stages: [{ key: 'alert', channel: 'sms' }], content });
      const done = await waitForCampaign(org, id);
      const sms = (await sandbox.messages({ channel: 'sms' })).filter((m) => phones.includes(m.to));
      expect(perRecipient(sms)).toEqual(new Map(phones.map((p) => [p, 1])));
      const rows = await deliveryRows(h.svc, id);
      expect(
        rows.map((r) => r.attempts),
        'each row claimed once',
      ).toEqual([1, 1]);
      expect(rows.every((r) => ids.includes(r.supporter_id) && REACHED.includes(r.status))).toBe(true);
      const history = await h.svc.temporal.workflow.getHandle(done.workflowId).fetchHistory();
      const attempts = (history.events ?? [])
        .map((e) => e.activityTaskStartedEventAttributes?.attempt)
        .filter((a) => a !== undefined && a !== null);
      expect(attempts.length).toBeGreaterThan(0);
      expect(
        attempts.every((a) => a === 1),
        `activity attempts ${attempts.join(',')}`,
      ).toBe(true);
    } finally {
      await sandbox.clearFaults();
    }
  }, 90_000);
});
