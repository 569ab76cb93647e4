import type { Queryable } from './queryable';

/** What a provider's status webhook may move a delivery to. */
export type ProviderStatus = 'sent' | 'delivered' | 'failed' | 'undelivered';

export interface ProviderDelivery {
  id: string;
  orgId: string;
  supporterId: string;
  status: string;
}

// Order of progress; anything not listed (final, excluded, deferred) ranks highest and never moves.
const RANK: Record<ProviderStatus, number> = { sent: 2, delivered: 3, failed: 3, undelivered: 3 };

/** A webhook knows only the provider's id; the row it finds gives the organization for what follows. */
export async function findDeliveryByProviderId(
  sql: Queryable,
  channel: 'sms' | 'email',
  providerId: string,
): Promise<ProviderDelivery | undefined> {
  const [row] = await sql<{ id: string; org_id: string; supporter_id: string; status: string }[]>`
    select id::text, org_id, supporter_id, status from deliveries
    where provider_id = ${providerId} and channel = ${channel}
    order by id desc limit 1`;
  return row && { id: row.id, orgId: row.org_id, supporterId: row.supporter_id, status: row.status };
}

/**
 * A callback that outran the worker's accepted write finds its row by the delivery id carried in the
 * (signed) callback URL, and records the provider id on it.
 */
export async function adoptDeliveryForProviderId(
  sql: Queryable,
  channel: 'sms' | 'email',
  deliveryId: string,
  providerId: string,
): Promise<ProviderDelivery | undefined> {
  const [row] = await sql<{ id: string; org_id: string; supporter_id: string; status: string }[]>`
    update deliveries set provider_id = ${providerId}, updated_at = now()
    where id = ${deliveryId} and channel = ${channel} and (provider_id is null or provider_id = ${providerId})
    returning id::text, org_id, supporter_id, status`;
  return row && { id: row.id, orgId: row.org_id, supporterId: row.supporter_id, status: row.status };
}

/**
 * Moves a delivery forward only: callbacks arrive out of order, and a late 'sent' must not
 * undo 'delivered'. Returns whether the row changed.
 */
export async function advanceDeliveryStatus(
  sql: Queryable,
  d: Pick<ProviderDelivery, 'id' | 'orgId'>,
  status: ProviderStatus,
  errorCode?: string,
): Promise<boolean> {
  const rows = await sql`
    update deliveries set status = ${status}, error_code = coalesce(${errorCode ?? null}, error_code),
      updated_at = now()
    where id = ${d.id} and org_id = ${d.orgId}
      and (case status when 'sending' then 0 when 'accepted' then 1 when 'sent' then 2 else 9 end) < ${RANK[status]}`;
  return rows.count === 1;
}
