import type { DeliveryChannel } from '../domain/channels';
import { FAILED_STATUSES, REACHED_STATUSES } from '../domain/delivery-status';
import type { Sql } from './client';

export interface PageResult {
  nextSeq: number;
  done: boolean;
  sent: number;
  failed: number;
  deferred: number;
  excluded: number;
}

/**
 * Counts come from the rows, not from what this attempt did, so a retried page reports the same
 * figures as a first attempt would have. The page's supporters are looked up by key (the unique
 * index), never joined: a join planned on statistics from before the run grew would scan.
 */
export async function pageCounts(
  sql: Sql,
  opts: { stageRunId: string; channel: DeliveryChannel; supporterIds: string[] },
): Promise<Omit<PageResult, 'nextSeq' | 'done'>> {
  const [row] = await sql<{ sent: number; failed: number; deferred: number; excluded: number }[]>`
    select
      count(*) filter (where status in ${sql(REACHED_STATUSES)})::int as sent,
      count(*) filter (where status in ${sql(FAILED_STATUSES)})::int as failed,
      count(*) filter (where status = 'deferred')::int as deferred,
      count(*) filter (where status = 'excluded')::int as excluded
    from deliveries
    where stage_run_id = ${opts.stageRunId} and channel = ${opts.channel}
      and supporter_id = any(${opts.supporterIds}::uuid[])`;
  return row ?? { sent: 0, failed: 0, deferred: 0, excluded: 0 };
}

/** What deliverPage answers once a page's recipients (in seq order) have been handled. */
export async function pageResult(
  sql: Sql,
  opts: { stageRunId: string; channel: DeliveryChannel; afterSeq: number; limit: number },
  page: ReadonlyArray<{ seq: number; supporterId: string }>,
): Promise<PageResult> {
  const last = page.at(-1)?.seq ?? opts.afterSeq;
  const [counts, more] = await Promise.all([
    pageCounts(sql, { ...opts, supporterIds: page.map((r) => r.supporterId) }),
    // A short page is the last; a full one is too when nothing follows it (saves an empty page).
    page.length < opts.limit ? false : recipientsAfter(sql, opts.stageRunId, last),
  ]);
  return { ...counts, nextSeq: last, done: !more };
}

/**
 * Whether the run's snapshot has a recipient after `seq`, or may still get one (its snapshot is
 * still being taken in chunks, db/stage-snapshot.ts).
 */
async function recipientsAfter(sql: Sql, stageRunId: string, seq: number): Promise<boolean> {
  const [row] = await sql<{ more: boolean }[]>`
    select exists (select 1 from stage_recipients where stage_run_id = ${stageRunId} and seq > ${seq})
      or exists (
        select 1 from stage_runs
        where id = ${stageRunId} and not snapshot_done and snapshot_rule is not null
      ) as more`;
  return row?.more ?? false;
}
