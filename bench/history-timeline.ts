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

export interface PageStats {
  pages: number;
  /** Mean time a delivery page ran (its activity's start to completion). */
  meanPageMs: number;
  /** Mean time from one page's completion to the next page's start, when nothing is sent. */
  meanGapMs: number;
  /** Sum of those gaps. */
  totalGapMs: number;
  /** Pages started per worker identity (`<pid>@<host>`, Temporal's default): who did the sending. */
  pagesByWorker: Record<string, number>;
}

/** How long delivery pages ran and how long the stage waited between them, across all runs of the workflow. */
export async function pageStats(client: Client, workflowId: string, runIds: string[]): Promise<PageStats> {
  const spans: Array<{ start: number; end: number }> = [];
  const pagesByWorker: Record<string, number> = {};
  for (const runId of runIds) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const pageIds = new Set<string>();
    const started = new Map<string, number>();
    for (const e of history.events ?? []) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name === 'deliverPage') pageIds.add(String(e.eventId));
      const s = e.activityTaskStartedEventAttributes;
      if (s && pageIds.has(String(s.scheduledEventId))) {
        started.set(String(s.scheduledEventId), toMs(e.eventTime));
        const who = s.identity || 'unknown';
        pagesByWorker[who] = (pagesByWorker[who] ?? 0) + 1;
      }
      const c = e.activityTaskCompletedEventAttributes;
      const start = c ? started.get(String(c.scheduledEventId)) : undefined;
      if (start !== undefined) spans.push({ start, end: toMs(e.eventTime) });
    }
  }
  spans.sort((a, b) => a.start - b.start);
  const gaps = spans.slice(1).map((s, i) => s.start - spans[i]!.end);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    pages: spans.length,
    meanPageMs: spans.length ? Math.round(sum(spans.map((s) => s.end - s.start)) / spans.length) : 0,
    meanGapMs: gaps.length ? Math.round(sum(gaps) / gaps.length) : 0,
    totalGapMs: Math.round(sum(gaps)),
    pagesByWorker,
  };
}
