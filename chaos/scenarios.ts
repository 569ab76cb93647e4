import {
  acceptedByRecipient,
  launch,
  report,
  type ScenarioReport,
  sandboxCall,
  setFaults,
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
