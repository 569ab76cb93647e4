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

export interface StatementCost {
  query: string;
  calls: number;
  /** Execution time, ms. */
  totalMs: number;
  meanMs: number;
  /** Planning time, ms (pg_stat_statements.track_planning, set by bench/bench-stack.ts). */
  planMs: number;
  rows: number;
  /**
   * Shared buffers touched per call (hit or read): an index lookup of a few rows touches tens, a
   * scan of a table thousands. Execution time alone also counts lock waits.
   */
  blocksPerCall: number;
}

/** Forgets what pg_stat_statements has seen (the extension is loaded by bench/bench-stack.ts). */
export async function resetStatements(sql: Sql): Promise<void> {
  await sql`create extension if not exists pg_stat_statements`;
  await sql`select pg_stat_statements_reset()`;
}

/** The statements that took the most server time since the last reset, to see where PostgreSQL's CPU goes. */
export async function topStatements(sql: Sql, limit = 8): Promise<StatementCost[]> {
  const rows = await sql<
    {
      query: string;
      calls: string;
      total: number;
      mean: number;
      plan: number;
      rows: string;
      blocks: number;
    }[]
  >`
    select regexp_replace(query, '[[:space:]]+', ' ', 'g') as query, calls::text, total_exec_time as total,
      mean_exec_time as mean, total_plan_time as plan, rows::text,
      (shared_blks_hit + shared_blks_read)::float8 / greatest(calls, 1) as blocks
    from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
    order by total_exec_time + total_plan_time desc limit ${limit}`;
  return rows.map((r) => ({
    query: r.query.slice(0, 160),
    calls: Number(r.calls),
    totalMs: Math.round(r.total),
    meanMs: Math.round(r.mean * 1000) / 1000,
    planMs: Math.round(r.plan),
    rows: Number(r.rows),
    blocksPerCall: Math.round(r.blocks),
  }));
}
