import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSupporters,
  type DeliveryHarness,
  deliveryRows,
  launchCampaign,
  REACHED,
  resetSandbox,
  startDeliveryHarness,
  waitForCampaign,
} from '../support/delivery-harness';
import { validPhone } from '../support/generators';
import { eventually, sandboxClient } from '../support/sandbox-client';

let h: DeliveryHarness;
beforeAll(async () => {
  h = await startDeliveryHarness();
  await resetSandbox(h.svc.sandboxUrl);
});
afterAll(async () => {
  h?.clock.set(null);
  await h?.stop();
});

const HOUR = 3_600_000;
const content = { en: { sms: 'Urgent: write to free {{caseName}} {{actionUrl}}' } };
const localTime = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(at);

/** The latest instant before `now` at which it is 08:59:57 in Phnom Penh (UTC+7 all year): 01:59:57 UTC. */
function justBeforeNineInPhnomPenh(now: Date): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 1, 59, 57);
  return new Date(today < now.getTime() - 60_000 ? today : today - 24 * HOUR);
}

describe('quiet hours', () => {
  it('defers a supporter inside quiet hours to 09:00 local and sends once when the window opens', async () => {
    const sandbox = sandboxClient(h.svc.sandboxUrl);
    const org = await h.newOrg();
    const [sleeper, awake] = [validPhone(), validPhone()];
    const ids = await createSupporters(org, [
      { phone: sleeper, timezone: 'Asia/Phnom_Penh', consent: { sms: true } },
      { phone: awake, timezone: 'Asia/Tokyo', consent: { sms: true } }, // 10:59:57 there
    ]);
    // The activities' clock, not Temporal's: the workflow's timer for the window has already
    // passed in real time, so the deferred pass waits on this clock until the test moves it.
    const t0 = justBeforeNineInPhnomPenh(new Date());
    h.clock.set(t0);
    const id = await launchCampaign(org, {
      stages: [{ key: 'alert', channel: 'sms' }],
      content,
      quietHours: true,
    });

    const rows = await eventually(
      () => deliveryRows(h.svc, id),
      (r) => r.some((x) => x.status === 'deferred') && r.some((x) => REACHED.includes(x.status)),
      'one supporter deferred, the other sent',
    );
    const deferred = rows.find((r) => r.supporter_id === ids[0]);
    expect(deferred?.status).toBe('deferred');
    expect(deferred?.defer_until?.getTime(), 'the next opening of the window').toBe(t0.getTime() + 3000);
    expect(localTime(deferred!.defer_until!, 'Asia/Phnom_Penh')).toBe('09:00:00');
    expect(REACHED).toContain(rows.find((r) => r.supporter_id === ids[1])?.status);
    expect(await sandbox.messages({ to: sleeper }), 'nothing inside quiet hours').toHaveLength(0);
    const running = await org.api(`/v1/campaigns/${id}`);
    expect(running.body.status).toBe('running');
    expect(running.body.stages[0].counts).toMatchObject({ sent: 1, deferred: 1 });

    // The clock stands still for two real seconds: the deferred pass must wait, not spin.
    await new Promise((r) => setTimeout(r, 2000));
    h.clock.set(new Date(t0.getTime() + 4000)); // 09:00:01 in Phnom Penh
    const done = await waitForCampaign(org, id);
    expect(done.stages[0].counts).toMatchObject({ targeted: 2, sent: 2, deferred: 0, failed: 0 });
    const sent = await sandbox.messages({ to: sleeper });
    expect(sent, 'sent once, at the opening').toHaveLength(1);
    const [row] = (await deliveryRows(h.svc, id)).filter((r) => r.supporter_id === ids[0]);
    expect(REACHED).toContain(row?.status);
    expect(row?.provider_id).toBe(sent[0]?.id);
    expect(await sandbox.messages({ to: awake })).toHaveLength(1);

    // The wait for the window was spent inside one activity, not in a loop of workflow activities.
    const history = await h.svc.temporal.workflow.getHandle(done.workflowId).fetchHistory();
    const deferredPasses = (history.events ?? []).filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverDeferred',
    );
    expect(deferredPasses.length).toBeLessThanOrEqual(2);
  });
});
