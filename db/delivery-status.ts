import type { DeliveryChannel } from '../domain/channels';
import type { ProviderStatus } from '../domain/delivery-status';
import type { Queryable } from './queryable';

export type { ProviderStatus };

export interface ProviderDelivery {
  id: string;
  orgId: string;
  supporterId: string;
  status: string;
}

// Order of progress. A provider status moves a row forward from the statuses ranked below it; a row
// in any other status (final, excluded, deferred) never moves.
const PROGRESS = ['sending', 'accepted', 'sent'] as const;
const RANK: Record<ProviderStatus, number> = { sent: 2, delivered: 3, failed: 3, undelivered: 3 };
const behind = (status: ProviderStatus): string[] => PROGRESS.slice(0, RANK[status]);

/** A webhook knows only the provider's id; the row it finds gives the organization for what follows. */
export async function findDeliveryByProviderId(
  sql: Queryable,
  channel: DeliveryChannel,
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
  channel: DeliveryChannel,
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
    where id = ${d.id} and org_id = ${d.orgId} and status = any(${behind(status)}::text[])`;
  return rows.count === 1;
}

/**
 * An SMS status callback with nothing to do but move the delivery forward ('sent', 'delivered'), in one
 * statement: the row named by the delivery id in the (signed) callback URL, unless it carries another
 * provider id, else the row with this provider id. It records the provider id (the callback may have
 * outrun the worker's accepted write) and moves the status forward only, as advanceDeliveryStatus does.
 * Returns whether the row changed; a provider id we do not know changes nothing.
 */
export async function advanceSmsDelivery(
  sql: Queryable,
  deliveryId: string | undefined,
  providerId: string,
  status: Extract<ProviderStatus, 'sent' | 'delivered'>,
): Promise<boolean> {
  const from = behind(status);
  // coalesce runs the lookup by provider id only when the delivery id finds no row. The outer provider
  // id test is re-checked on a row a concurrent write changed first. A row that cannot move still
  // records a provider id it lacks; a row that has it and cannot move is not written at all.
  const rows = await sql`
    update deliveries set
      status = case when status = any(${from}::text[]) then ${status} else status end,
      provider_id = coalesce(provider_id, ${providerId}),
      updated_at = now()
    where id = coalesce(
        (select id from deliveries where id = ${deliveryId ?? null}::bigint and channel = 'sms'
          and (provider_id is null or provider_id = ${providerId})),
        (select id from deliveries where provider_id = ${providerId} and channel = 'sms'
          order by id desc limit 1))
      and (provider_id is null or provider_id = ${providerId})
      and (status = any(${from}::text[]) or provider_id is null)`;
  return rows.count === 1;
}
