import { z } from 'zod';
import type { Sql } from './client';
import type { Queryable } from './queryable';

/**
 * Monthly partitions of deliveries, action_events and inbound_messages (migration 017): created
 * ahead of time, listed, and detached when old. Months are UTC; a partition `<table>_yYYYYmMM`
 * holds the rows whose `month` column is that month (deliveries: their stage run's creation month;
 * action events: their campaign's; inbound messages: the month received). Rows of a month without a
 * partition land in `<table>_default` and are moved out when the month's partition is created.
 */

/** Months created ahead of the current one, at worker start and on every reconciliation run. */
export const MONTHS_AHEAD = 3;

/** `YYYY-MM`, a calendar month. */
export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM, e.g. 2026-01');

export interface MonthPartition {
  /** The partitioned table: deliveries, action_events or inbound_messages. */
  parent: string;
  /** The partition's own table name. */
  name: string;
  /** `YYYY-MM` of its month; null for the DEFAULT partition. */
  month: string | null;
  /** PostgreSQL's estimate (pg_class.reltuples; -1 before the first ANALYZE or VACUUM). */
  estimatedRows: number;
  /** Table, indexes and TOAST, bytes. */
  bytes: number;
}

/** The first day of the month `offset` months after `now`'s (UTC), as `YYYY-MM-01`. */
export function monthStart(now: Date, offset = 0): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return d.toISOString().slice(0, 10);
}

/**
 * Creates the partitions of the current month and the `monthsAhead` after it (UTC) that are
 * missing, for every partitioned table; returns the names created (empty when all exist). Safe to
 * call from several processes at once (the SQL function takes an advisory lock).
 */
export async function ensureMonthPartitions(
  sql: Queryable,
  opts: { now?: Date; monthsAhead?: number } = {},
): Promise<string[]> {
  const now = opts.now ?? new Date();
  const rows = await sql<{ name: string }[]>`
    select ensure_month_partitions(${monthStart(now)}::date, ${monthStart(now, opts.monthsAhead ?? MONTHS_AHEAD)}::date)
      as name`;
  return rows.map((r) => r.name);
}

/** Every partition attached to the partitioned tables, by table then month (DEFAULT last). */
export async function listMonthPartitions(sql: Queryable): Promise<MonthPartition[]> {
  const rows = await sql<{ parent: string; name: string; bound: string; reltuples: number; bytes: string }[]>`
    select t.parent, c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound,
      c.reltuples::float8 as reltuples, pg_total_relation_size(c.oid)::text as bytes
    from month_partitioned_tables t
    join pg_inherits i on i.inhparent = to_regclass(t.parent)
    join pg_class c on c.oid = i.inhrelid
    order by t.parent, c.relname`;
  return rows
    .map((r) => ({
      parent: r.parent,
      name: r.name,
      month: boundMonth(r.bound),
      estimatedRows: Number(r.reltuples),
      bytes: Number(r.bytes),
    }))
    .sort((a, b) =>
      a.parent === b.parent
        ? (a.month ?? '9999').localeCompare(b.month ?? '9999')
        : a.parent.localeCompare(b.parent),
    );
}

/** `FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')` → `2026-11`; DEFAULT → null. */
function boundMonth(bound: string): string | null {
  const m = /FROM \('(\d{4}-\d{2})-01'\)/.exec(bound);
  return m ? m[1]! : null;
}

export class PartitionError extends Error {}

/**
 * Detaches (never drops) every monthly partition of a month before `before` (`YYYY-MM`): their rows
 * leave the service (links in those deliveries stop resolving, counts drop them) but stay in the
 * detached tables, which keep their names, to archive or drop (README, Operations). Only months
 * that ended at least a full month ago may go: `before` may be at most the previous month, so a
 * stage run created last month, possibly still sending, is never cut off. The inbound dedupe ids of
 * those months go too (a provider retries within hours, not months). One transaction.
 *
 * @throws PartitionError when `before` is not a month or is later than the previous month.
 */
export async function detachMonthPartitions(
  sql: Sql,
  opts: { before: string; now?: Date },
): Promise<MonthPartition[]> {
  const before = monthSchema.safeParse(opts.before);
  if (!before.success) throw new PartitionError(`--before: ${before.error.issues[0]?.message}`);
  const limit = monthStart(opts.now ?? new Date(), -1).slice(0, 7);
  if (before.data > limit)
    throw new PartitionError(
      `--before: at most ${limit} (partitions of the current and the previous month stay attached)`,
    );
  return sql.begin(async (tx) => {
    const old = (await listMonthPartitions(tx)).filter((p) => p.month !== null && p.month < before.data);
    for (const p of old) await tx.unsafe(`alter table "${p.parent}" detach partition "${p.name}"`);
    if (old.some((p) => p.parent === 'inbound_messages'))
      await tx`delete from inbound_message_ids where month < ${`${before.data}-01`}::date`;
    return old;
  });
}
