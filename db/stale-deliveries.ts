import type { DeliveryChannel } from '../domain/channels';
import type { Sql } from './client';

/** A delivery the provider took but whose final status never arrived. */
export interface StaleDelivery {
  id: string;
  orgId: string;
  supporterId: string;
  channel: DeliveryChannel;
  providerId: string;
  status: string;
  createdAt: string;
}

export interface StaleCursor {
  createdAt: string;
  id: string;
}

/**
 * One page of deliveries left `accepted` or `sent` since before `quietSince`, created after
 * `createdAfter`, in (created_at, id) order after `cursor`. A system sweep across organizations:
 * each row carries its org_id, and every change goes through the org-scoped status functions.
 * Served by deliveries_created_at (migration 014): created_at never changes, so callbacks stay HOT updates.
 */
export async function staleDeliveries(
  sql: Sql,
  q: { quietSince: Date; createdAfter: Date; cursor?: StaleCursor | undefined; limit: number },
): Promise<StaleDelivery[]> {
  const c = q.cursor;
  const rows = await sql<
    {
      id: string;
      org_id: string;
      supporter_id: string;
      channel: DeliveryChannel;
      provider_id: string;
      status: string;
      created_at: string;
    }[]
  >`select id::text, org_id, supporter_id, channel, provider_id, status,
      to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at
    from deliveries
    where created_at > ${q.createdAfter}
      and (${c?.createdAt ?? null}::timestamptz is null
        or (created_at, id) > (${c?.createdAt ?? null}::timestamptz, ${c?.id ?? null}::bigint))
      and status in ('accepted', 'sent') and provider_id is not null and updated_at < ${q.quietSince}
    order by created_at, id
    limit ${q.limit}`;
  return rows.map((r) => ({
    id: r.id,
    orgId: r.org_id,
    supporterId: r.supporter_id,
    channel: r.channel,
    providerId: r.provider_id,
    status: r.status,
    createdAt: r.created_at,
  }));
}

/** Asked and unchanged: the row is asked again only after another quiet period. */
export async function markAsked(sql: Sql, d: Pick<StaleDelivery, 'id' | 'orgId'>): Promise<void> {
  await sql`update deliveries set updated_at = now()
    where id = ${d.id} and org_id = ${d.orgId} and status in ('accepted', 'sent')`;
}
