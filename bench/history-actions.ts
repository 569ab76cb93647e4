import type { Client, WorkflowHandle } from '@temporalio/client';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

/**
 * What Temporal bills as actions, read from histories: workflow starts (each continue-as-new run
 * starts one), activities scheduled and their retries, timers, signals, accepted Updates, search
 * attribute upserts, side-effect markers, child workflows. Heartbeats are not in histories.
 */
export interface ActionTally {
  runs: number;
  events: number;
  workflowStarts: number;
  activitiesScheduled: number;
  activityRetries: number;
  timers: number;
  signals: number;
  updates: number;
  searchAttributeUpserts: number;
  markers: number;
  childWorkflows: number;
  total: number;
}

export const emptyTally = (): ActionTally => ({
  runs: 0,
  events: 0,
  workflowStarts: 0,
  activitiesScheduled: 0,
  activityRetries: 0,
  timers: 0,
  signals: 0,
  updates: 0,
  searchAttributeUpserts: 0,
  markers: 0,
  childWorkflows: 0,
  total: 0,
});

export function addHistory(t: ActionTally, history: History): void {
  t.runs++;
  for (const e of history.events ?? []) {
    t.events++;
    if (e.workflowExecutionStartedEventAttributes) t.workflowStarts++;
    else if (e.activityTaskScheduledEventAttributes) t.activitiesScheduled++;
    // The started event is written when the attempt that finished began: earlier attempts were retries.
    else if (e.activityTaskStartedEventAttributes)
      t.activityRetries += Math.max(0, (e.activityTaskStartedEventAttributes.attempt ?? 1) - 1);
    else if (e.timerStartedEventAttributes) t.timers++;
    else if (e.workflowExecutionSignaledEventAttributes) t.signals++;
    else if (e.workflowExecutionUpdateAcceptedEventAttributes) t.updates++;
    else if (e.upsertWorkflowSearchAttributesEventAttributes) t.searchAttributeUpserts++;
    // patched() markers are version bookkeeping, not billed; side effects and local activities are.
    else if (e.markerRecordedEventAttributes && e.markerRecordedEventAttributes.markerName !== 'core_patch')
      t.markers++;
    else if (e.startChildWorkflowExecutionInitiatedEventAttributes) t.childWorkflows++;
  }
  t.total =
    t.workflowStarts +
    t.activitiesScheduled +
    t.activityRetries +
    t.timers +
    t.signals +
    t.updates +
    t.searchAttributeUpserts +
    t.markers +
    t.childWorkflows;
}

/** Every run of a workflow id, newest first, following continue-as-new links back to the first run. */
export async function tallyWorkflowChain(
  client: Client,
  workflowId: string,
): Promise<{ tally: ActionTally; firstRunId: string | undefined; runIds: string[] }> {
  const tally = emptyTally();
  const runIds: string[] = [];
  let runId: string | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const handle = client.workflow.getHandle(workflowId, runId);
    const history = await handle.fetchHistory();
    runIds.push(runId ?? (await handle.describe()).runId);
    addHistory(tally, history);
    const previous =
      history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
    if (!previous) break;
    runId = previous;
  }
  return { tally, firstRunId: runId, runIds };
}
