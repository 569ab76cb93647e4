import {
  acceptedByRecipient,
  launch,
  report,
  type ScenarioReport,
  sandboxCall,
  setFaults,
  statusesPending,
  waitForCompletion,
} from './measure';
import type { ChaosStack } from './stack';

const STAGE_TIMEOUT_MS = 15 * 60_000;

/** Runs one campaign to completion while `disturb` acts on the stack at chosen points of progress. */
export async function underFire(
  stack: ChaosStack,
  scenario: string,
  recipients: number,
  disturb: (progress: () => Promise<number>) => Promise<string | undefined>,
): Promise<ScenarioReport> {
  await sandboxCall(stack, '/sandbox/messages', { method: 'DELETE' });
  await stack.cluster?.refreshErrors();
  const errorsBefore = { ...stack.serverErrors };
  const started = Date.now();
  const campaignId = await launch(stack, scenario);
  const progress = async () => (await acceptedByRecipient(stack, scenario)).size / recipients;
  const notes = await disturb(progress);
  const completed = await waitForCompletion(stack, campaignId, STAGE_TIMEOUT_MS);
  const result = await report(stack, scenario, campaignId, recipients, started, errorsBefore);
  return {
    ...result,
    notes:
      [notes, completed ? undefined : 'did not complete in time'].filter(Boolean).join('; ') || undefined,
  };
}

/** Waits until progress passes `fraction` (or the stage ends), polling the sandbox. */
export async function reach(progress: () => Promise<number>, fraction: number) {
  for (let i = 0; i < 3_000; i++) {
    if ((await progress()) >= fraction) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function workerKills(stack: ChaosStack, recipients: number) {
  return underFire(stack, 'worker-sigkill', recipients, async (progress) => {
    const moments = Array.from({ length: 5 }, () => 0.05 + Math.random() * 0.85).sort();
    for (const m of moments) {
      await reach(progress, m);
      stack.workers.signal('SIGKILL');
      // Let the supervisor bring the worker back before the next kill.
      await new Promise((r) => setTimeout(r, 2_500));
    }
    return `killed at ${moments.map((m) => `${Math.round(m * 100)}%`).join(', ')}`;
  });
}

export async function temporalRestart(stack: ChaosStack, recipients: number) {
  return underFire(stack, 'temporal-restart', recipients, async (progress) => {
    await reach(progress, 0.3);
    await stack.restartTemporal(3_000);
    return stack.cluster
      ? 'all four Temporal service processes stopped at 30% for 3 s, restarted on the same PostgreSQL databases'
      : 'Temporal dev server stopped at 30% for 3 s, restarted on the same SQLite file';
  });
}

export async function postgresRestart(stack: ChaosStack, recipients: number) {
  return underFire(stack, 'postgres-restart', recipients, async (progress) => {
    await reach(progress, 0.3);
    await stack.restartPostgres(3_000);
    return 'PostgreSQL stopped at 30% for 3 s, restarted on the same data';
  });
}

export async function providerFaults(stack: ChaosStack, recipients: number, phones: string[]) {
  const failNumbers = phones.filter((_, i) => i % 100 === 7);
  const base = { errorRate: 0.3, errorStatus: 503, rateLimitPerSec: 300, retryAfterSec: 1, failNumbers };
  await setFaults(stack, base);
  try {
    return await underFire(stack, 'provider-faults', recipients, async (progress) => {
      for (const at of [0.2, 0.5, 0.8]) {
        await reach(progress, at);
        await setFaults(stack, { ...base, latencyMs: 2_000 });
        await new Promise((r) => setTimeout(r, 3_000));
        await setFaults(stack, base);
      }
      return `30% 503s, 429 above 300/s, 2 s latency spikes at 20/50/80%, ${failNumbers.length} numbers failing permanently`;
    });
  } finally {
    await sandboxCall(stack, '/sandbox/faults', { method: 'DELETE' });
  }
}

/** A scenario's report plus the deliveries whose final status never arrived. */
export interface DroppedCallbacksReport extends ScenarioReport {
  callbacks_dropped: number;
  /** Deliveries left `accepted`/`sent` when the stage completed, before any wait. */
  statuses_left_at_completion: number;
  /** Seconds from the stage's completion until none was left (or the wait ran out). */
  healed_after_s: number;
  statuses_pending: number;
}

/**
 * The sandbox loses 30% of its status callbacks (as during an API outage or a network fault): the
 * stage still sends each message once, and the reconciliation Schedule asks the provider for every
 * delivery left `accepted`/`sent`, until none is left (`statuses_pending` 0) within `reconcileWaitS`.
 */
export async function droppedCallbacks(
  stack: ChaosStack,
  recipients: number,
  opts: { reconcileWaitS: number },
): Promise<DroppedCallbacksReport> {
  const dropped = async () =>
    (await sandboxCall<{ callbacksDropped?: number }>(stack, '/sandbox/stats')).callbacksDropped ?? 0;
  const droppedBefore = await dropped();
  await setFaults(stack, { dropCallbackRate: 0.3 });
  try {
    const result = await underFire(stack, 'callbacks-dropped', recipients, async () =>
      Promise.resolve('30% of status callbacks lost by the sandbox'),
    );
    const [campaign] = await stack.sql<{ id: string }[]>`
      select id from campaigns where org_id = ${stack.orgId} and title = 'chaos callbacks-dropped'
      order by created_at desc limit 1`;
    const callbacksDropped = (await dropped()) - droppedBefore;
    const left = campaign ? await statusesPending(stack, campaign.id, 0) : -1;
    const waitStarted = Date.now();
    const pending = campaign ? await statusesPending(stack, campaign.id, opts.reconcileWaitS) : -1;
    return {
      ...result,
      callbacks_dropped: callbacksDropped,
      statuses_left_at_completion: left,
      healed_after_s: Math.round((Date.now() - waitStarted) / 100) / 10,
      statuses_pending: pending,
      notes: [
        result.notes,
        pending !== 0
          ? `${pending} statuses still accepted/sent after ${opts.reconcileWaitS} s`
          : 'every delivery reached its final status through reconciliation',
      ]
        .filter(Boolean)
        .join('; '),
    };
  } finally {
    await sandboxCall(stack, '/sandbox/faults', { method: 'DELETE' });
  }
}
