import type { ProviderError } from '../channels/provider-errors';
import type { Sql } from '../db/client';

interface Key {
  stageRunId: string;
  supporterId: string;
  channel: 'sms' | 'email';
}

/** Not sent, by design (no contact, no consent, opted out): reported, never an error. */
export async function recordExcluded(sql: Sql, k: Key & { orgId: string; token: string; reason: string }) {
  await sql`insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, link_token, error_code)
    values (${k.orgId}, ${k.stageRunId}, ${k.supporterId}, ${k.channel}, 'excluded', ${k.token}, ${k.reason})
    on conflict (stage_run_id, supporter_id, channel) do update set status = 'excluded', error_code = ${k.reason},
      updated_at = now()
    where deliveries.status in ('deferred', 'sending')`;
}

/** A 'sending' row may be deferred too: its send was never made (the caller reconciled it first). */
export async function recordDeferred(sql: Sql, k: Key & { orgId: string; token: string; until: Date }) {
  await sql`insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, link_token, defer_until)
    values (${k.orgId}, ${k.stageRunId}, ${k.supporterId}, ${k.channel}, 'deferred', ${k.token}, ${k.until})
    on conflict (stage_run_id, supporter_id, channel) do update set status = 'deferred', defer_until = ${k.until},
      updated_at = now()
    where deliveries.status in ('deferred', 'sending')`;
}

/**
 * The provider took the message. A status callback may have reached the row first (it finds the
 * row by the delivery id in the callback URL): its status is later than 'accepted' and is kept.
 * A null provider id means the provider proved the send but did not say its id (a replayed key).
 */
export async function recordAccepted(
  sql: Sql,
  k: Key & { providerId: string | null; segments?: { encoding: string; segments: number } },
) {
  await sql`update deliveries set
      status = case when status in ('sending', 'deferred') then 'accepted' else status end,
      provider_id = coalesce(${k.providerId}, provider_id),
      encoding = coalesce(${k.segments?.encoding ?? null}, encoding),
      segments = coalesce(${k.segments?.segments ?? null}, segments),
      error_message = case when ${k.providerId}::text is null
        then 'accepted under an earlier request; provider id unknown' else error_message end,
      updated_at = now()
    where stage_run_id = ${k.stageRunId} and supporter_id = ${k.supporterId} and channel = ${k.channel}`;
}

/**
 * A whole batch in one statement: the provider's status events follow its answer within
 * milliseconds, and each row must hold its provider id before they come.
 */
export async function recordBatchAccepted(
  sql: Sql,
  k: {
    stageRunId: string;
    channel: 'sms' | 'email';
    accepted: Array<{ supporterId: string; providerId: string }>;
  },
) {
  if (k.accepted.length === 0) return;
  await sql`update deliveries d set
      status = case when d.status in ('sending', 'deferred') then 'accepted' else d.status end,
      provider_id = a.provider_id, updated_at = now()
    from unnest(${k.accepted.map((a) => a.supporterId)}::uuid[], ${k.accepted.map((a) => a.providerId)}::text[])
      as a(supporter_id, provider_id)
    where d.stage_run_id = ${k.stageRunId} and d.channel = ${k.channel} and d.supporter_id = a.supporter_id`;
}

export async function recordFailed(sql: Sql, k: Key & { error: ProviderError }) {
  await sql`update deliveries set status = 'failed', error_code = ${String(k.error.code ?? k.error.status ?? '')},
      error_message = ${k.error.message}, updated_at = now()
    where stage_run_id = ${k.stageRunId} and supporter_id = ${k.supporterId} and channel = ${k.channel}
      and status in ('sending', 'deferred')`;
}
