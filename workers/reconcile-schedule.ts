import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { TASK_QUEUES } from '../domain/task-queues';

export const RECONCILE_SCHEDULE_ID = 'reconcile-statuses';

/**
 * Creates the reconciliation Schedule, or brings an existing one to `everyMinutes`: every worker
 * process with the orchestrator role calls it at start, so it is idempotent. One run at a time
 * (overlap SKIP): the runs' provider lookups never add up past the rate.
 */
export async function ensureReconcileSchedule(
  client: Client,
  everyMinutes: number,
): Promise<'created' | 'updated'> {
  const spec = { intervals: [{ every: `${everyMinutes} minutes` as const }] };
  try {
    await client.schedule.create({
      scheduleId: RECONCILE_SCHEDULE_ID,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: 'reconcileStatusesWorkflow',
        workflowId: 'reconcile-statuses-run',
        taskQueue: TASK_QUEUES.orchestrator,
        args: [{}],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(RECONCILE_SCHEDULE_ID).update((previous) => ({ ...previous, spec }));
    return 'updated';
  }
}
