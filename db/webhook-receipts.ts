import { jsonb } from './client';
import type { Queryable } from './queryable';

/**
 * Claims a provider's event id; false when it was already processed (a retried webhook).
 * Run it in the same transaction as the event's effects, so a failure leaves no claim behind.
 */
export async function claimReceipt(
  sql: Queryable,
  r: { source: string; externalId: string; orgId: string | null; status: number; response?: unknown },
): Promise<boolean> {
  const rows = await sql`
    insert into webhook_receipts (source, external_id, org_id, status, response)
    values (${r.source}, ${r.externalId}, ${r.orgId}, ${r.status},
      ${r.response === undefined ? null : sql.json(jsonb(r.response))})
    on conflict (source, external_id) do nothing`;
  return rows.count === 1;
}
