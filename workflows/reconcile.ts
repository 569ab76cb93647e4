import { proxyActivities } from '@temporalio/workflow';
import type { ReconcileActivities } from '../activities/types';
import { TASK_QUEUES } from '../domain/task-queues';

const reconcile = proxyActivities<ReconcileActivities>({
  taskQueue: TASK_QUEUES.orchestrator,
  // A page paces its lookups (100 at 10/s is 10 s); it heartbeats while it waits.
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5s', maximumInterval: '2 minutes', maximumAttempts: 5 },
});

export interface ReconcileInput {
  /** Deliveries per activity call. */
  pageSize?: number;
  /** Pages per run at most; the Schedule's next run goes on where the backlog is (it is re-read). */
  maxPages?: number;
}

export interface ReconcileSummary {
  checked: number;
  changed: number;
  parkedApplied: number;
  parkedPurged: number;
}

/**
 * Run by the reconciliation Schedule (workers/reconcile-schedule.ts): pages through deliveries whose
 * final status never arrived, asks the providers, and applies what they say; then applies or
 * expires parked provider events. History grows with pages, not deliveries.
 */
export async function reconcileStatusesWorkflow(input: ReconcileInput = {}): Promise<ReconcileSummary> {
  const limit = input.pageSize ?? 100;
  const maxPages = input.maxPages ?? 200;
  const summary: ReconcileSummary = { checked: 0, changed: 0, parkedApplied: 0, parkedPurged: 0 };
  let cursor: { createdAt: string; id: string } | undefined;
  for (let page = 0; page < maxPages; page++) {
    const r = await reconcile.reconcilePage(cursor ? { cursor, limit } : { limit });
    summary.checked += r.checked;
    summary.changed += r.changed;
    if (!r.cursor) break;
    cursor = r.cursor;
  }
  const swept = await reconcile.sweepParkedEvents();
  summary.parkedApplied = swept.applied;
  summary.parkedPurged = swept.purged;
  return summary;
}
