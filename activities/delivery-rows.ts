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

export async function recordDeferred(sql: Sql, k: Key & { orgId: string; token: string; until: Date }) {
  await sql`insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, link_token, defer_until)
    values (${k.orgId}, ${k.stageRunId}, ${k.supporterId}, ${k.channel}, 'deferred', ${k.token}, ${k.until})
    on conflict (stage_run_id, supporter_id, channel) do update set status = 'deferred', defer_until = ${k.until},
      updated_at = now()
    where deliveries.status = 'deferred'`;
}

export async function recordAccepted(
  sql: Sql,
  k: Key & { providerId: string; segments?: { encoding: string; segments: number } },
) {
  await sql`update deliveries set status = 'accepted', provider_id = ${k.providerId},
      encoding = ${k.segments?.encoding ?? null}, segments = ${k.segments?.segments ?? null}, updated_at = now()
    where stage_run_id = ${k.stageRunId} and supporter_id = ${k.supporterId} and channel = ${k.channel}`;
}

export async function recordFailed(sql: Sql, k: Key & { error: ProviderError }) {
  await sql`update deliveries set status = 'failed', error_code = ${String(k.error.code ?? k.error.status ?? '')},
      error_message = ${k.error.message}, updated_at = now()
    where stage_run_id = ${k.stageRunId} and supporter_id = ${k.supporterId} and channel = ${k.channel}`;
}
