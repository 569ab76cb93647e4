import type { AudienceRule } from '../domain/audience-rule';
import { audienceTagsWhere, selectWhere } from './audience-filter';
import type { Sql } from './client';

/**
 * A stage's audience snapshot, taken in chunks as its pages need them, so the first page of a
 * 1,000,000-recipient stage does not wait for the whole audience to be written.
 *
 * `beginSnapshot` (in the transaction that starts the stage run) stores the audience rule and counts
 * the audience up to EXACT_TARGETED_BELOW (a larger one is counted whole by `countSnapshotAudience`
 * after the run has started); `extendSnapshot` appends the next `chunk` supporters in id order (the order a
 * one-statement snapshot gave seq numbers) after the stored cursor, and marks the snapshot done when a
 * chunk comes back short. Supporters created after the stage run started are never added, so the
 * audience is the one that existed at its start (tag edits made during the stage still count for
 * chunks not yet written). A stage run whose snapshot was taken whole (before migration 015) is done.
 *
 * A chunk walks the primary key from the cursor, keeping the organization's rows that pass the rule:
 * cheap when the organization holds most supporters, and for a small one the planner reads its rows
 * by an (org_id, …) index and sorts them. No (org_id, id) index: with an organization's statistics
 * stale (a fresh one importing) the planner took it for the import's phone/email match and read the
 * whole organization per row.
 */
export const SNAPSHOT_CHUNK = 5000;

/**
 * Audiences of at least this many supporters are not counted before the first page: `beginSnapshot`
 * stores this lower bound as `targeted` and `countSnapshotAudience` replaces it with the exact count
 * once the stage run's transaction has committed (an exact count of 1,000,000 supporters takes about
 * a second on 2 cores, which the first message of an urgent alert should not wait for).
 */
export const EXACT_TARGETED_BELOW = 20_000;

/** The first chunk of a snapshot is smaller: the first page needs 500 recipients, not 5,000. */
export const FIRST_SNAPSHOT_CHUNK = 1000;

/**
 * Stores the rule and cursor on the run (status 'running', snapshot not done); returns the audience
 * size now, exact when below EXACT_TARGETED_BELOW, else that lower bound with `exact: false` (the
 * caller then runs `countSnapshotAudience` after its transaction commits).
 */
export async function beginSnapshot(
  tx: Sql,
  opts: {
    stageRunId: string;
    orgId: string;
    campaignId: string;
    rule: AudienceRule;
    /** Tests: the bound (default EXACT_TARGETED_BELOW). */
    exactBelow?: number;
  },
): Promise<{ targeted: number; exact: boolean }> {
  const bound = opts.exactBelow ?? EXACT_TARGETED_BELOW;
  // Reads at most `bound` of the audience's rows.
  const [row] = await tx<{ n: number }[]>`
    select count(*)::int as n from (
      select 1 from supporters s
      where s.org_id = ${opts.orgId}
        and ${audienceTagsWhere(tx, opts.rule)}
        and ${selectWhere(tx, opts.rule.select, opts.campaignId)}
      limit ${bound}) x`;
  const targeted = row?.n ?? 0;
  await tx`update stage_runs set snapshot_rule = ${tx.json(opts.rule as never)}, snapshot_after = null,
      snapshot_seq = 0, snapshot_done = false, targeted = ${targeted}
    where id = ${opts.stageRunId}`;
  return { targeted, exact: targeted < bound };
}

/**
 * The exact audience of a run whose `beginSnapshot` stored a lower bound: counts the supporters the
 * stored rule admits among those created by the run's start (what the snapshot will hold) and writes
 * it to `targeted`, unless the snapshot finished first (its end writes the count it took). Returns
 * the count, or null when the run needed none.
 */
export async function countSnapshotAudience(sql: Sql, stageRunId: string): Promise<number | null> {
  const [run] = await sql<
    {
      org_id: string;
      campaign_id: string;
      started_at: Date | null;
      snapshot_done: boolean;
      snapshot_rule: AudienceRule | null;
    }[]
  >`select org_id, campaign_id, started_at, snapshot_done, snapshot_rule from stage_runs where id = ${stageRunId}`;
  if (!run || run.snapshot_done || !run.snapshot_rule) return null;
  const rule = run.snapshot_rule;
  const [row] = await sql<{ n: number }[]>`
    with counted as (
      select count(*)::int as n from supporters s
      where s.org_id = ${run.org_id}
        ${run.started_at ? sql`and s.created_at <= ${run.started_at}` : sql``}
        and ${audienceTagsWhere(sql, rule)}
        and ${selectWhere(sql, rule.select, run.campaign_id)}
    )
    update stage_runs set targeted = (select n from counted)
    where id = ${stageRunId} and not snapshot_done
    returning targeted as n`;
  return row?.n ?? null;
}

/**
 * Appends the next chunk of the run's audience to stage_recipients, once (the run's row is locked;
 * a concurrent caller waits, then finds the cursor moved). Returns whether it added anyone: false once
 * the snapshot is complete.
 */
export async function extendSnapshot(sql: Sql, stageRunId: string, chunk = SNAPSHOT_CHUNK): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [run] = await tx<
      {
        org_id: string;
        campaign_id: string;
        started_at: Date | null;
        snapshot_done: boolean;
        snapshot_rule: AudienceRule | null;
        snapshot_after: string | null;
        snapshot_seq: number;
      }[]
    >`select org_id, campaign_id, started_at, snapshot_done, snapshot_rule, snapshot_after, snapshot_seq
      from stage_runs where id = ${stageRunId} for update`;
    if (!run || run.snapshot_done || !run.snapshot_rule) return false;
    const rule = run.snapshot_rule;
    const s = tx as unknown as Sql;
    const size = run.snapshot_seq === 0 ? Math.min(chunk, FIRST_SNAPSHOT_CHUNK) : chunk;
    const [out] = await tx<{ picked: number; last: string | null }[]>`
      with picked as materialized (
        select s.id from supporters s
        where s.org_id = ${run.org_id}
          ${run.snapshot_after ? tx`and s.id > ${run.snapshot_after}::uuid` : tx``}
          ${run.started_at ? tx`and s.created_at <= ${run.started_at}` : tx``}
          and ${audienceTagsWhere(s, rule)}
          and ${selectWhere(s, rule.select, run.campaign_id)}
        order by s.id
        limit ${size}
      ), ins as (
        insert into stage_recipients (stage_run_id, seq, supporter_id)
        select ${stageRunId}, ${run.snapshot_seq}::int + row_number() over (order by id), id from picked
        on conflict do nothing
        returning 1
      )
      select (select count(*) from picked)::int as picked,
        (select id::text from picked order by id desc limit 1) as last`;
    const picked = out?.picked ?? 0;
    const done = picked < size;
    const seq = run.snapshot_seq + picked;
    await tx`update stage_runs set snapshot_after = coalesce(${out?.last ?? null}::uuid, snapshot_after),
        snapshot_seq = ${seq}, snapshot_done = ${done},
        targeted = case when ${done} then ${seq} else targeted end
      where id = ${stageRunId}`;
    return picked > 0;
  });
}
