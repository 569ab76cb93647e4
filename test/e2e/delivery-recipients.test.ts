import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LINK_TOKEN_CHARS } from '../../domain/link-token';
import {
  createSupporters,
  type DeliveryHarness,
  deliveryRows,
  gate,
  launchCampaign,
  perRecipient,
  REACHED,
  resetSandbox,
  startDeliveryHarness,
  validPhone,
  waitForCampaign,
} from '../support/delivery-harness';
import { randomEmail } from '../support/fixtures';
import { sandboxClient } from '../support/sandbox-client';

// Who gets a message and how it is counted: opt-out mid-stage, missing contacts, Khmer segments.
let h: DeliveryHarness;
beforeAll(async () => {
  h = await startDeliveryHarness();
  await resetSandbox(h.svc.sandboxUrl);
});
afterEach(() => {
  h.hooks.beforeSms = undefined;
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

describe('an opt-out that arrives mid-stage', () => {
  it('STOP stops every later send to that number, START restores it', async () => {
    const sandbox = sandboxClient(h.svc.sandboxUrl);
    const org = await h.newOrg();
    const phones = Array.from({ length: 12 }, () => validPhone());
    const ids = await createSupporters(
      org,
      phones.map((phone) => ({ phone, consent: { sms: true } })),
    );
    // Pages go in supporter-id order and 8 sends run at once: the largest id is claimed last.
    const last = ids.indexOf([...ids].sort().at(-1)!);
    const stopper = phones[last]!;

    const held = gate();
    const reached = gate();
    h.hooks.beforeSms = async () => {
      reached.open();
      await held.opened;
    };
    const first = await launchCampaign(org, {
      stages: [
        { key: 'alert', channel: 'sms' },
        { key: 'follow-up', after: 'PT1S', channel: 'sms' },
      ],
      content,
    });
    await reached.opened; // the stage is sending
    const stop = await sandbox.inbound(stopper, 'STOP');
    expect(stop.status, stop.body).toBe(200);
    held.open();
    const done = await waitForCampaign(org, first);
    h.hooks.beforeSms = undefined;

    let sms = (await sandbox.messages({ channel: 'sms' })).filter((m) => phones.includes(m.to));
    expect(
      sms.filter((m) => m.to === stopper),
      'nothing after STOP',
    ).toHaveLength(0);
    const counts = perRecipient(sms);
    for (const p of phones.filter((x) => x !== stopper)) expect(counts.get(p)).toBe(2);
    const rows = await deliveryRows(h.svc, first);
    const stopperRows = rows.filter((r) => r.supporter_id === ids[last]);
    expect(stopperRows.map((r) => `${r.stage_key}:${r.status}:${r.error_code}`)).toEqual([
      'alert:excluded:opted_out',
      'follow-up:excluded:opted_out',
    ]);
    for (const stage of done.stages)
      expect(stage.counts).toMatchObject({ targeted: 12, sent: 11, failed: 0 });

    const start = await sandbox.inbound(stopper, 'START');
    expect(start.status, start.body).toBe(200);
    const second = await launchCampaign(org, { stages: [{ key: 'alert', channel: 'sms' }], content });
    await waitForCampaign(org, second);
    sms = (await sandbox.messages({ channel: 'sms' })).filter((m) => m.to === stopper);
    expect(sms, 'START opts back in').toHaveLength(1);
    const [row] = (await deliveryRows(h.svc, second)).filter((r) => r.supporter_id === ids[last]);
    expect(REACHED).toContain(row?.status);
    expect(row?.provider_id).toBe(sms[0]?.id);
  });
});

describe('a supporter without a usable contact for the stage channel', () => {
  it('is reported as excluded, not as an error, on SMS and on email stages', async () => {
    const sandbox = sandboxClient(h.svc.sandboxUrl);
    const org = await h.newOrg();
    const phone = validPhone();
    const email = randomEmail();
    const ids = await createSupporters(org, [
      { phone, email, consent: { sms: true, email: true } },
      { email: randomEmail(), consent: { email: true } }, // no phone
      { phone: validPhone(), consent: { sms: false, email: false } }, // a phone, but no SMS consent
      { phone: validPhone(), consent: { sms: true } }, // no email
    ]);
    const smsStage = await launchCampaign(org, { stages: [{ key: 'alert', channel: 'sms' }], content });
    const emailStage = await launchCampaign(org, { stages: [{ key: 'alert', channel: 'email' }], content });
    const smsDone = await waitForCampaign(org, smsStage);
    const emailDone = await waitForCampaign(org, emailStage);

    expect(smsDone.stages[0]).toMatchObject({
      status: 'done',
      counts: { targeted: 4, sent: 2, failed: 0, excluded: 2 },
    });
    expect(emailDone.stages[0]).toMatchObject({
      status: 'done',
      counts: { targeted: 4, sent: 2, failed: 0, excluded: 2 },
    });
    const reason = async (campaignId: string) =>
      Object.fromEntries(
        (await deliveryRows(h.svc, campaignId)).map((r) => [
          ids.indexOf(r.supporter_id),
          `${r.status}:${r.error_code}`,
        ]),
      );
    expect(await reason(smsStage)).toMatchObject({
      1: 'excluded:no_contact',
      2: 'excluded:no_consent',
    });
    expect(await reason(emailStage)).toMatchObject({
      2: 'excluded:no_contact',
      3: 'excluded:no_contact',
    });
    expect(await sandbox.messages({ to: phone })).toHaveLength(1);
    expect(await sandbox.messages({ to: email })).toHaveLength(1);
  });
});

describe('SMS segments', () => {
  it('counts Khmer as UCS-2 (70, then 67 a part) and English as GSM-7 (160, then 153), stored per delivery', async () => {
    const sandbox = sandboxClient(h.svc.sandboxUrl);
    const org = await h.newOrg();
    const [km, en] = [validPhone(), validPhone()];
    await createSupporters(org, [
      { phone: km, locale: 'km', consent: { sms: true } },
      { phone: en, locale: 'en', consent: { sms: true } },
    ]);
    // Lengths where a naive count (70 or 160 a part) gives one segment fewer than the carrier bills.
    const url = `${h.svc.config.PUBLIC_BASE_URL}/a/${'x'.repeat(LINK_TOKEN_CHARS)}`;
    const khmerWords = 'សូមចូលរួមសកម្មភាពបន្ទាន់ដើម្បីដោះលែងអ្នកទោសនយោបាយ '.repeat(10);
    const kmText = khmerWords.slice(0, 205 - url.length - 1);
    const enText = 'Please write to the Minister of Justice today. '
      .repeat(10)
      .slice(0, 310 - url.length - 1);
    const id = await launchCampaign(org, {
      stages: [{ key: 'alert', channel: 'sms' }],
      content: { en: { sms: `${enText} {{actionUrl}}` }, km: { sms: `${kmText} {{actionUrl}}` } },
    });
    await waitForCampaign(org, id);

    const [kmMsg] = await sandbox.messages({ to: km });
    const [enMsg] = await sandbox.messages({ to: en });
    expect(kmMsg?.body).toHaveLength(205);
    expect(enMsg?.body).toHaveLength(310);
    expect(kmMsg?.segments, 'the sandbox bills Khmer at 67 UTF-16 units a part').toBe(4);
    expect(enMsg?.segments, 'the sandbox bills GSM-7 at 153 septets a part').toBe(3);
    const rows = await deliveryRows(h.svc, id);
    const row = (providerId: string | undefined) => rows.find((r) => r.provider_id === providerId);
    expect(row(kmMsg?.id)).toMatchObject({ encoding: 'UCS-2', segments: 4 });
    expect(row(enMsg?.id)).toMatchObject({ encoding: 'GSM-7', segments: 3 });
  });
});
