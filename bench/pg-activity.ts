import type { Sql } from '../db/client';

export interface PgCounters {
  commits: number;
  rowsInserted: number;
  rowsUpdated: number;
  /** Updates that touched no index (heap-only tuples): far cheaper than the others. */
  hotUpdates: number;
  walBytes: number;
}

/** Database-wide counters, to tell per-message database work between two points in time. */
export async function pgCounters(sql: Sql): Promise<PgCounters> {
  const [db] = await sql<{ commits: string }[]>`
    select xact_commit::text as commits from pg_stat_database where datname = current_database()`;
  const [t] = await sql<{ ins: string; upd: string; hot: string }[]>`
    select coalesce(sum(n_tup_ins), 0)::text as ins, coalesce(sum(n_tup_upd), 0)::text as upd,
      coalesce(sum(n_tup_hot_upd), 0)::text as hot
    from pg_stat_user_tables`;
  const [wal] = await sql<{ bytes: string }[]>`select pg_current_wal_lsn() - '0/0'::pg_lsn as bytes`;
  return {
    commits: Number(db?.commits ?? 0),
    rowsInserted: Number(t?.ins ?? 0),
    rowsUpdated: Number(t?.upd ?? 0),
    hotUpdates: Number(t?.hot ?? 0),
    walBytes: Number(wal?.bytes ?? 0),
  };
}

/** Counters per message between two snapshots (statistics reach the views within about a second). */
export function perMessage(before: PgCounters, after: PgCounters, messages: number): PgCounters {
  const per = (k: keyof PgCounters) => Math.round(((after[k] - before[k]) / messages) * 100) / 100;
  return {
    commits: per('commits'),
    rowsInserted: per('rowsInserted'),
    rowsUpdated: per('rowsUpdated'),
    hotUpdates: per('hotUpdates'),
    walBytes: per('walBytes'),
  };
}
