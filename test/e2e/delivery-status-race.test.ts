import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createSupporters,
  type DeliveryHarness,
  deliveryRows,
  launchCampaign,
  resetSandbox,
  sandboxStats,
  startDeliveryHarness,
  waitForCampaign,
} from '../support/delivery-harness';
import { validPhone } from '../support/generators';
import { eventually, sandboxClient } from '../support/sandbox-client';

// Twilio may call back before the worker has written the provider id it just got.
let h: DeliveryHarness;
beforeAll(async () => {
  h = await startDeliveryHarness();
});
afterEach(() => {
  h.hooks.afterSms = undefined;
});
afterAll(async () => {
  await h?.stop();
});

const content = { en: { sms: 'Urgent: write to free {{caseName}} {{actionUrl}}' } };

describe('a status callback that outruns the accepted write', () => {
  it('is not lost: the delivery ends delivered, with the provider id', async () => {
    await resetSandbox(h.svc.sandboxUrl); // no other message's callbacks in flight
    const sandbox = sandboxClient(h.svc.sandboxUrl);
    const org = await h.newOrg();
    const phone = validPhone();
    const [supporterId] = await createSupporters(org, [{ phone, consent: { sms: true } }]);
    let held = 0;
    h.hooks.afterSms = async () => {
      held++;
      // Hold the worker until the API has answered both callbacks ('sent', then 'delivered').
      await eventually(
        () => sandboxStats(h.svc.sandboxUrl),
        (s) => s.callbacksDelivered >= 2,
        'both status callbacks to reach the API',
        10_000,
      );
    };
    const id = await launchCampaign(org, { stages: [{ key: 'alert', channel: 'sms' }], content });
    const done = await waitForCampaign(org, id);
    expect(held).toBe(1);

    const [msg] = await sandbox.messages({ to: phone });
    const [row] = (await deliveryRows(h.svc, id)).filter((r) => r.supporter_id === supporterId);
    expect(row).toMatchObject({ status: 'delivered', provider_id: msg?.id });
    expect(done.stages[0].counts).toMatchObject({ sent: 1, delivered: 1 });
  });
});
