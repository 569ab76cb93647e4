import type { Client, WorkflowHandle } from '@temporalio/client';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];

const toMs = (t: HistoryEvent['eventTime']): number => {
  const s = t?.seconds;
  const seconds = typeof s === 'number' ? s : (s?.toNumber() ?? 0);
  return seconds * 1000 + (t?.nanos ?? 0) / 1e6;
};

/**
 * Where the time to the first send goes, from the first run's history: each event up to the
 * first delivery page's start, in ms after `launchedAt` (activity events named by activity type).
 */
export async function firstSendTimeline(
  client: Client,
  workflowId: string,
  firstRunId: string | undefined,
  launchedAt: number,
): Promise<Array<{ event: string; ms: number }>> {
  const history = await client.workflow.getHandle(workflowId, firstRunId).fetchHistory();
  const types = new Map<string, string>();
  const out: Array<{ event: string; ms: number }> = [];
  for (const e of history.events ?? []) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    const id = String(e.eventId);
    if (scheduled) types.set(id, scheduled.activityType?.name ?? '?');
    const ref =
      e.activityTaskStartedEventAttributes?.scheduledEventId ??
      e.activityTaskCompletedEventAttributes?.scheduledEventId;
    const activity = scheduled ? types.get(id) : ref ? types.get(String(ref)) : undefined;
    const kind = Object.keys(e)
      .find((k) => k.endsWith('EventAttributes'))
      ?.replace('EventAttributes', '');
    out.push({
      event: activity ? `${kind}(${activity})` : (kind ?? '?'),
      ms: Math.round(toMs(e.eventTime) - launchedAt),
    });
    if (activity === 'deliverPage' && e.activityTaskStartedEventAttributes) break;
  }
  return out;
}
