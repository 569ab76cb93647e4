import { metrics } from '../core/metrics';
import type { DeliveryChannel } from '../domain/channels';
import { UNSENT_STATUSES } from '../domain/delivery-status';
import type { Sql } from './client';
import { stageRunMonth } from './partition-month';

interface Key {
  stageRunId: string;
  supporterId: string;
  channel: DeliveryChannel;
}

/** Not sent, by design (no contact, no consent, opted out): reported, never an error. One statement for many. */
export async function recordExcluded(
  sql: Sql,
  k: {
    orgId: string;
    stageRunId: string;
    channel: DeliveryChannel;
    rows: ReadonlyArray<{ supporterId: string; token: string; reason: string }>;
  },
) {
  if (k.rows.length === 0) return;
  const rows = await sql<
    { error_code: string }[]
  >`insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, link_token, error_code, month)
    select ${k.orgId}, ${k.stageRunId}, x.supporter_id, ${k.channel}, 'excluded', x.token, x.reason,
      (${stageRunMonth(sql, k.stageRunId)})
    from unnest(${k.rows.map((r) => r.supporterId)}::uuid[], ${k.rows.map((r) => r.token)}::text[],
      ${k.rows.map((r) => r.reason)}::text[]) as x(supporter_id, token, reason)
    on conflict (stage_run_id, supporter_id, channel, month) do update set status = 'excluded',
      error_code = excluded.error_code, updated_at = now()
    where deliveries.status in ${sql(UNSENT_STATUSES)}
    returning error_code`;
  metrics.message(k.channel, 'excluded', rows.length);
  for (const r of rows) metrics.deferral(k.channel, r.error_code);
}

/** A 'sending' row may be deferred too: its send was never made (the caller reconciled it first). */
export async function recordDeferred(sql: Sql, k: Key & { orgId: string; token: string; until: Date }) {
  const rows =
    await sql`insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, link_token, defer_until, month)
    values (${k.orgId}, ${k.stageRunId}, ${k.supporterId}, ${k.channel}, 'deferred', ${k.token}, ${k.until},
      (${stageRunMonth(sql, k.stageRunId)}))
    on conflict (stage_run_id, supporter_id, channel, month) do update set status = 'deferred', defer_until = ${k.until},
      updated_at = now()
    where deliveries.status in ${sql(UNSENT_STATUSES)}`;
  metrics.message(k.channel, 'deferred', rows.count);
  metrics.deferral(k.channel, 'quiet_hours', rows.count);
}

export interface Accepted {
  /** The row claimed before the call. */
  deliveryId: string;
  /** Null when the provider proved the send but did not say its id (a replayed key). */
  providerId: string | null;
  encoding?: string;
  segments?: number;
}

/**
 * The provider took these messages, all of one stage run: one statement for a whole batch, each row
 * found by its primary key, id and month (a lookup by stage run would read the run's every row, per
 * batch). A status callback may have reached a row first: its status is later than 'accepted' and
 * is kept.
 *
 * The month's partition is filled by the stage itself, faster than PostgreSQL's view of it follows,
 * so the statement is planned for the partition as it is now:
 * - rows are looked up by id and month (the stage run's, the partition key): only that month's
 *   partition is read, and each lookup is known to find at most one row whatever the statistics
 *   say. By id alone, a new month's partition without statistics yet was planned as two
 *   sequential scans and a hash join (test/e2e/accepted-writes.test.ts);
 * - with a plan made for this call (plan_cache_mode = force_custom_plan, in a transaction of its
 *   own): the plan PostgreSQL otherwise caches after five calls was made while the partition
 *   looked tiny and read every row of the stage for each batch (`npm run bench -- --recipients
 *   100000`, pg_top_statements: 12.2 ms and 2,943 buffers per batch; planned each call, 1.9 ms
 *   and 1,399).
 */
export async function recordAccepted(sql: Sql, stageRunId: string, a: ReadonlyArray<Accepted>) {
  if (a.length === 0) return;
  const month = () => stageRunMonth(sql, stageRunId);
  const moved = await sql.begin(async (tx) => {
    await tx`set local plan_cache_mode = force_custom_plan`;
    // The FROM subquery reads each row as it was before this update: only rows that were unsent are counted.
    return tx<{ channel: string; moved: boolean }[]>`update deliveries d set
      status = case when d.status in ${sql(UNSENT_STATUSES)} then 'accepted' else d.status end,
      provider_id = coalesce(a.provider_id, d.provider_id),
      encoding = coalesce(a.encoding, d.encoding),
      segments = coalesce(a.segments, d.segments),
      error_message = case when a.provider_id is null
        then 'accepted under an earlier request; provider id unknown' else d.error_message end,
      updated_at = now()
    from (select x.*, before.status as was from unnest(${a.map((x) => x.deliveryId)}::bigint[],
        ${a.map((x) => x.providerId)}::text[], ${a.map((x) => x.encoding ?? null)}::text[],
        ${a.map((x) => x.segments ?? null)}::int[]) as x(id, provider_id, encoding, segments)
      join deliveries before on before.id = x.id and before.month = (${month()})) a
    where d.id = a.id and d.month = (${month()})
    returning d.channel, a.was in ${sql(UNSENT_STATUSES)} as moved`;
  });
  for (const row of moved) if (row.moved) metrics.message(row.channel, 'accepted');
}

// Accepted sends written per statement. Until written, a row stays 'sending' (a crash leaves it to
// the retry's reconciliation) and a status callback finds it by the delivery id in its URL.
const ACCEPT_BATCH = 50;

export interface AcceptedWriter {
  add(a: Accepted): void;
  /** Writes what is left and waits for every write; throws the first write's failure. */
  close(): Promise<void>;
}

/** Collects a page's accepted sends and writes them a batch at a time, without holding up the sends. */
export function acceptedWriter(sql: Sql, stageRunId: string): AcceptedWriter {
  let pending: Accepted[] = [];
  const writes: Array<Promise<void>> = [];
  let failure: unknown;
  const flush = () => {
    if (pending.length === 0) return;
    const accepted = pending;
    pending = [];
    writes.push(
      recordAccepted(sql, stageRunId, accepted).catch((err: unknown) => {
        failure ??= err;
      }),
    );
  };
  return {
    add(a) {
      pending.push(a);
      if (pending.length >= ACCEPT_BATCH) flush();
    },
    async close() {
      flush();
      await Promise.all(writes);
      if (failure !== undefined) throw failure;
    },
  };
}

/** A provider's refusal of one recipient, as recorded on the row (a ProviderError fits). */
export interface RecipientRefusal {
  code?: string | number;
  status?: number;
  message: string;
}

export async function recordFailed(sql: Sql, k: Key & { error: RecipientRefusal }) {
  const rows =
    await sql`update deliveries set status = 'failed', error_code = ${String(k.error.code ?? k.error.status ?? '')},
      error_message = ${k.error.message}, updated_at = now()
    where stage_run_id = ${k.stageRunId} and supporter_id = ${k.supporterId} and channel = ${k.channel}
      and status in ${sql(UNSENT_STATUSES)}`;
  metrics.message(k.channel, 'failed', rows.count);
}
