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
  /** Another process leased from this key within the last SHARED_MEMORY_MS (ms) or so. */
  shared: boolean;
}

/** How long (ms) a key counts as shared after two processes' leases last interleaved. */
export const SHARED_MEMORY_MS = 2000;

/**
 * Leases `slots` consecutive send slots `intervalUs` µs apart for the provider account `key`, in ONE
 * statement: the lease starts at the account's next free time, or now if that has passed, and moves
 * the next free time to its end. Concurrent leases of the same key queue on the row lock, so no two
 * processes ever hold the same slot, whatever their machines' clocks say. `holder` (a process's
 * random id) taking over from another holder whose slots reach within 1.1 s of now marks the key
 * shared for SHARED_MEMORY_MS. Not scoped by organization: the provider account is shared by all
 * of them. Throws postgres.js errors (the caller's activity retries them like any database error).
 */
export async function leaseSendSlots(
  sql: Sql,
  key: string,
  q: { slots: number; intervalUs: number; holder: string },
): Promise<SendLease> {
  const span = q.slots * q.intervalUs;
  const [row] = await sql<{ first_at_ms: number; db_now_ms: number; shared: boolean }[]>`
    insert into provider_send_rate as r (key, next_at, holder)
    values (${key}, clock_timestamp() + ${span}::float8 * interval '1 microsecond', ${q.holder})
    on conflict (key) do update set
      next_at = greatest(r.next_at, clock_timestamp()) + ${span}::float8 * interval '1 microsecond',
      shared_until = case
        when r.holder = excluded.holder or r.next_at < clock_timestamp() - interval '1100 milliseconds'
          then r.shared_until
        else clock_timestamp() + ${SHARED_MEMORY_MS}::float8 * interval '1 millisecond'
      end,
      holder = excluded.holder
    returning
      extract(epoch from r.next_at - ${span}::float8 * interval '1 microsecond')::float8 * 1000 as first_at_ms,
      extract(epoch from clock_timestamp())::float8 * 1000 as db_now_ms,
      r.shared_until > clock_timestamp() as shared`;
  const firstAtMs = row!.first_at_ms;
  const dbNowMs = row!.db_now_ms;
  return {
    firstAtMs,
    dbNowMs,
    waitMs: Math.max(0, firstAtMs - dbNowMs),
    slots: q.slots,
    intervalUs: q.intervalUs,
    shared: row!.shared,
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
