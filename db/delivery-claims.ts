import type { DeliveryChannel } from '../domain/channels';
import { UNSENT_STATUSES } from '../domain/delivery-status';
import type { Sql } from './client';
import { stageRunMonth } from './partition-month';
import { notListed, reachable } from './reachable';

/** One supporter about to be sent to: its link token and its contact's suppression-list key. */
export interface ClaimCandidate {
  supporterId: string;
  token: string;
  /** The contact's key on the suppression list (core/contact-key.ts). */
  key: string;
}

interface RunRef {
  orgId: string;
  stageRunId: string;
  /** The suppression list's scope for the channel (the sender). */
  scope: string;
}

/**
 * Claims SMS rows (`sending`) before the provider calls, a batch per statement. The statement
 * re-checks the reachable rule and the suppression list, so an opt-out that arrived after the page
 * was read wins. A retried page re-claims its unsent rows (attempts + 1). Returns supporter id →
 * delivery id for each claimed supporter.
 */
export async function claimSms(sql: Sql, run: RunRef, batch: readonly ClaimCandidate[]) {
  const rows = await sql<{ supporter_id: string; id: string }[]>`
    insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, link_token, attempts, month)
    select ${run.orgId}, ${run.stageRunId}, s.id, 'sms', 'sending', c.token, 1, (${stageRunMonth(sql, run.stageRunId)})
    from unnest(${batch.map((c) => c.supporterId)}::uuid[], ${batch.map((c) => c.token)}::text[],
        ${batch.map((c) => c.key)}::text[]) as c(supporter_id, token, key)
    join supporters s on s.id = c.supporter_id
    where ${reachable(sql, 'sms')} and ${notListed(sql, 'sms', run.scope)}
    on conflict (stage_run_id, supporter_id, channel, month) do update
      set status = 'sending', attempts = deliveries.attempts + 1, updated_at = now()
      where deliveries.status in ${sql(UNSENT_STATUSES)}
    returning supporter_id, id::text as id`;
  return new Map(rows.map((row) => [row.supporter_id, row.id]));
}

/**
 * Claims an email batch's rows under one batch key (the provider's Idempotency-Key), with the same
 * re-check as `claimSms`. A row that exists is never re-claimed here: resumed batches carry their ids.
 */
export async function claimEmail(
  sql: Sql,
  run: RunRef & { batchKey: string },
  batch: readonly ClaimCandidate[],
) {
  const rows = await sql<{ supporter_id: string; id: string }[]>`
    insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, link_token, batch_key, attempts, month)
    select ${run.orgId}, ${run.stageRunId}, s.id, 'email', 'sending', c.token, ${run.batchKey}, 1,
      (${stageRunMonth(sql, run.stageRunId)})
    from unnest(${batch.map((c) => c.supporterId)}::uuid[], ${batch.map((c) => c.token)}::text[],
        ${batch.map((c) => c.key)}::text[]) as c(supporter_id, token, key)
    join supporters s on s.id = c.supporter_id
    where ${reachable(sql, 'email')} and ${notListed(sql, 'email', run.scope)}
    on conflict (stage_run_id, supporter_id, channel, month) do nothing
    returning supporter_id, id::text as id`;
  return new Map(rows.map((row) => [row.supporter_id, row.id]));
}

/** Of these SMS candidates, the supporter ids that may still be texted now (the re-check just before a send). */
export async function mayTextNow(
  sql: Sql,
  scope: string,
  candidates: ReadonlyArray<Omit<ClaimCandidate, 'token'>>,
): Promise<Set<string>> {
  const rows = await sql<{ id: string }[]>`
    select s.id from unnest(${candidates.map((c) => c.supporterId)}::uuid[],
        ${candidates.map((c) => c.key)}::text[]) as c(supporter_id, key)
      join supporters s on s.id = c.supporter_id
    where ${reachable(sql, 'sms')} and ${notListed(sql, 'sms', scope)}`;
  return new Set(rows.map((row) => row.id));
}

/** The current status of these supporters' rows of one channel in a stage run (absent: no row). */
export async function deliveryStatuses(
  sql: Sql,
  ref: { stageRunId: string; channel: DeliveryChannel; supporterIds: readonly string[] },
): Promise<Map<string, string>> {
  const rows = await sql<{ supporter_id: string; status: string }[]>`
    select supporter_id, status from deliveries
    where stage_run_id = ${ref.stageRunId} and channel = ${ref.channel}
      and supporter_id = any(${ref.supporterIds}::uuid[])`;
  return new Map(rows.map((row) => [row.supporter_id, row.status]));
}
