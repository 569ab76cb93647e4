import type { Sql } from '../db/client';

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
 * figures as a first attempt would have.
 */
export async function pageCounts(
  sql: Sql,
  opts: { stageRunId: string; channel: 'sms' | 'email'; fromSeq: number; toSeq: number },
): Promise<Omit<PageResult, 'nextSeq' | 'done'>> {
  const [row] = await sql<{ sent: number; failed: number; deferred: number; excluded: number }[]>`
    select
      count(*) filter (where d.status in ('accepted', 'sent', 'delivered'))::int as sent,
      count(*) filter (where d.status in ('failed', 'undelivered'))::int as failed,
      count(*) filter (where d.status = 'deferred')::int as deferred,
      count(*) filter (where d.status = 'excluded')::int as excluded
    from stage_recipients r
    join deliveries d on d.stage_run_id = r.stage_run_id and d.supporter_id = r.supporter_id and d.channel = ${opts.channel}
    where r.stage_run_id = ${opts.stageRunId} and r.seq > ${opts.fromSeq} and r.seq <= ${opts.toSeq}`;
  return row ?? { sent: 0, failed: 0, deferred: 0, excluded: 0 };
}

/** What deliverPage answers once a page's recipients (in seq order) have been handled. */
export async function pageResult(
  sql: Sql,
  opts: { stageRunId: string; channel: 'sms' | 'email'; afterSeq: number; limit: number },
  page: ReadonlyArray<{ seq: number }>,
): Promise<PageResult> {
  const last = page.at(-1)?.seq ?? opts.afterSeq;
  const counts = await pageCounts(sql, { ...opts, fromSeq: opts.afterSeq, toSeq: last });
  return { ...counts, nextSeq: last, done: page.length < opts.limit };
}
