import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TASK_QUEUES } from '../../domain/task-queues';
import type { ReconcileSummary } from '../../workflows/reconcile';
import {
  type DeliveryHarness,
  deliveryRows,
  launchCampaign,
  resetSandbox,
  sandboxStats,
  startDeliveryHarness,
  storeSupporters,
  waitForCampaign,
} from '../support/delivery-harness';
import { randomEmail, validPhone } from '../support/generators';
import { eventually, sandboxClient } from '../support/sandbox-client';

// Reconciliation asks about any delivery quiet for more than 60 ms (RECONCILE_AFTER_MINUTES).
let h: DeliveryHarness;
beforeAll(async () => {
  h = await startDeliveryHarness({
    env: { RECONCILE_AFTER_MINUTES: '0.001', RECONCILE_RATE_PER_SEC: '200' },
  });
});
afterEach(async () => {
  h.hooks.afterEmailBatch = undefined;
  await sandboxClient(h.svc.sandboxUrl).clearFaults();
});
afterAll(async () => {
  await h?.stop();
});

const content = {
  en: {
    sms: 'Urgent: write to free {{caseName}} {{actionUrl}}',
    subject: 'Act now',
    body: 'Act: {{actionUrl}}',
  },
};
const FINAL = new Set(['delivered', 'failed', 'undelivered']);
const SANDBOX_FINAL = new Set(['delivered', 'undelivered', 'bounced']);

const runReconciliation = (pageSize = 7) =>
  h.svc.temporal.workflow.execute('reconcileStatusesWorkflow', {
    taskQueue: TASK_QUEUES.orchestrator,
    workflowId: `reconcile-test-${randomUUID()}`,
    args: [{ pageSize }],
  }) as Promise<ReconcileSummary>;

describe('statuses heal themselves', () => {
  it('brings every delivery to its final status when 30% of status callbacks are lost', async () => {
    await resetSandbox(h.svc.sandboxUrl);
    const sandbox = sandboxClient(h.svc.sandboxUrl);
    const org = await h.newOrg();
    const people = Array.from({ length: 40 }, () => ({ phone: validPhone(), email: randomEmail('heal') }));
    await storeSupporters(
      h.svc,
      org.orgId,
      people.map((p) => ({ ...p, consent: { sms: true, email: true } })),
    );
    const bouncing = [people[0]!.phone, people[1]!.email, people[2]!.phone];
    await sandbox.setFaults({ dropCallbackRate: 0.3, bounceNumbers: bouncing });
    const id = await launchCampaign(org, { stages: [{ key: 'alert', channel: 'both' }], content });
    await waitForCampaign(org, id);
    // The provider's side settles (every message final there), while ~30% of what it said was lost.
    await eventually(
      () => sandbox.messages(),
      (ms) => ms.length === 80 && ms.every((m) => SANDBOX_FINAL.has((m as { status?: string }).status ?? '')),
      'every message final at the provider',
    );
    await eventually(
      () => sandboxStats(h.svc.sandboxUrl),
      (s) => s.callbacksDropped > 0,
      'dropped callbacks',
    );
    const before = await deliveryRows(h.svc, id);
    const stuck = before.filter((r) => !FINAL.has(r.status));
    expect(stuck.length, 'some deliveries lost their final callback').toBeGreaterThan(0);

    const summary = await runReconciliation();
    expect(summary.changed).toBeGreaterThanOrEqual(stuck.length);

    const after = await deliveryRows(h.svc, id);
    const atProvider = new Map(
      (await sandbox.messages()).map((m) => [m.id, (m as { status?: string }).status]),
    );
    const expected = (providerStatus: string | undefined, channel: string) =>
      providerStatus === 'delivered' ? 'delivered' : channel === 'sms' ? 'undelivered' : 'failed';
    for (const row of after) {
      expect(row.status, `${row.channel} ${row.provider_id}`).toBe(
        expected(atProvider.get(row.provider_id ?? ''), row.channel),
      );
    }
    expect(after.filter((r) => r.status !== 'delivered')).toHaveLength(3);

    // A second run finds nothing to move: forward only, exactly once.
    await runReconciliation();
    expect(await deliveryRows(h.svc, id)).toEqual(after);
    expect((await sandbox.stats()).maxPerRecipientPerBody).toBe(1);
  });

  it('applies a Resend event that outran the accepted write when the email id is recorded', async () => {
    await resetSandbox(h.svc.sandboxUrl);
    const org = await h.newOrg();
    await storeSupporters(h.svc, org.orgId, [{ email: randomEmail('parked'), consent: { email: true } }]);
    let parkedWhileHeld = 0;
    h.hooks.afterEmailBatch = async (_emails, ids) => {
      // Hold the worker (ids not recorded) until both events (sent, delivered) reached the API.
      await eventually(
        () => sandboxStats(h.svc.sandboxUrl),
        (s) => s.callbacksDelivered >= 2,
        'both Resend events to reach the API',
        10_000,
      );
      const [row] = await h.svc.sql<{ n: number }[]>`
        select count(*)::int as n from parked_provider_events where provider_id = ${ids[0]!.providerId}`;
      parkedWhileHeld = row!.n;
    };
    const id = await launchCampaign(org, { stages: [{ key: 'alert', channel: 'email' }], content });
    await waitForCampaign(org, id);
    expect(parkedWhileHeld, 'the events were parked, not dropped').toBe(2);
    const [row] = await deliveryRows(h.svc, id);
    expect(row).toMatchObject({ status: 'delivered' });
    const [left] = await h.svc.sql<{ n: number }[]>`
      select count(*)::int as n from parked_provider_events where provider_id = ${row!.provider_id}`;
    expect(left!.n).toBe(0);
  });

  it('keeps an event for an email never recorded until retention, then drops it', async () => {
    const emailId = randomUUID();
    await h.svc.sql`insert into parked_provider_events (source, provider_id, event_type, received_at)
      values ('resend', ${emailId}, 'email.delivered', now() - interval '100 hours')`;
    await runReconciliation();
    const [row] = await h.svc.sql<{ n: number }[]>`
      select count(*)::int as n from parked_provider_events where provider_id = ${emailId}`;
    expect(row!.n).toBe(0);
  });
});
