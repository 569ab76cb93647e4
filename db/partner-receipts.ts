import type { Sql } from './client';

export interface StoredAnswer {
  status: number;
  response: unknown;
}

/** The answer recorded for a webhook id (see claimReceipt), to give a redelivery the same one. */
export async function findReceipt(
  sql: Sql,
  source: string,
  externalId: string,
): Promise<StoredAnswer | undefined> {
  const [row] = await sql<StoredAnswer[]>`
    select status, response from webhook_receipts where source = ${source} and external_id = ${externalId}`;
  return row;
}
