import type { Sql } from './client';

/** Consecutive send slots of one provider account, in the database's time. */
export interface SendLease {
  /** The first slot, ms since the epoch by the database's clock. */
  firstAtMs: number;
  /** The database's clock when it granted the lease, ms since the epoch. */
  dbNowMs: number;
  /** How long from the grant until the first slot, ms (0 when it is already due). */
  waitMs: number;
  /** Slots in the lease, each `intervalUs` after the one before. */
  slots: number;
  intervalUs: number;
}

/**
 * Leases `slots` consecutive send slots `intervalUs` µs apart for the provider account `key`, in ONE
 * statement: the lease starts at the account's next free time, or now if that has passed, and moves
 * the next free time to its end. Concurrent leases of the same key queue on the row lock, so no two
 * processes ever hold the same slot, whatever their machines' clocks say. Not scoped by
 * organization: the provider account is shared by all of them. Throws postgres.js errors (the
 * caller's activity retries them like any database error).
 */
export async function leaseSendSlots(
  sql: Sql,
  key: string,
  q: { slots: number; intervalUs: number },
): Promise<SendLease> {
  const span = q.slots * q.intervalUs;
  const [row] = await sql<{ first_at_ms: number; db_now_ms: number }[]>`
    insert into provider_send_rate as r (key, next_at)
    values (${key}, clock_timestamp() + ${span}::float8 * interval '1 microsecond')
    on conflict (key) do update
      set next_at = greatest(r.next_at, clock_timestamp()) + ${span}::float8 * interval '1 microsecond'
    returning
      extract(epoch from r.next_at - ${span}::float8 * interval '1 microsecond')::float8 * 1000 as first_at_ms,
      extract(epoch from clock_timestamp())::float8 * 1000 as db_now_ms`;
  const firstAtMs = row!.first_at_ms;
  const dbNowMs = row!.db_now_ms;
  return {
    firstAtMs,
    dbNowMs,
    waitMs: Math.max(0, firstAtMs - dbNowMs),
    slots: q.slots,
    intervalUs: q.intervalUs,
  };
}

/**
 * The provider said "later" (429): no slot of `key` starts before `ms` from now (database time).
 * Slots already leased are not taken back (at most a lease's worth, ~200 ms of the rate).
 */
export async function holdSendSlots(sql: Sql, key: string, ms: number): Promise<void> {
  await sql`
    insert into provider_send_rate as r (key, next_at)
    values (${key}, clock_timestamp() + ${ms}::float8 * interval '1 millisecond')
    on conflict (key) do update
      set next_at = greatest(r.next_at, clock_timestamp() + ${ms}::float8 * interval '1 millisecond')`;
}
