import type { CampaignStatus } from '../domain/campaign-status';
import { parseStoredDefinition, type StoredDefinition } from '../domain/stored-definition';
import { jsonb, type Sql } from './client';

export interface CampaignRow {
  id: string;
  org_id: string;
  kind: string;
  title: string;
  status: CampaignStatus;
  /** Parsed on read with the one stored-definition schema (domain/stored-definition.ts). */
  definition: StoredDefinition;
  workflow_id: string;
  current_stage: string | null;
  next_stage_at: Date | null;
  created_at: Date;
}

type RawCampaignRow = Omit<CampaignRow, 'definition'> & { definition: unknown };

const parsed = (row: RawCampaignRow): CampaignRow => ({
  ...row,
  definition: parseStoredDefinition(row.definition),
});

export async function findCampaignByIdempotencyKey(
  sql: Sql,
  orgId: string,
  key: string,
): Promise<CampaignRow | undefined> {
  const [row] = await sql<
    RawCampaignRow[]
  >`select * from campaigns where org_id = ${orgId} and idempotency_key = ${key}`;
  return row && parsed(row);
}

export async function getCampaign(sql: Sql, orgId: string, id: string): Promise<CampaignRow | undefined> {
  const [row] = await sql<RawCampaignRow[]>`select * from campaigns where id = ${id} and org_id = ${orgId}`;
  return row && parsed(row);
}

/** Inserts, or returns the campaign an earlier request with the same Idempotency-Key made. */
export async function insertCampaign(
  sql: Sql,
  c: {
    id: string;
    orgId: string;
    kind: string;
    title: string;
    definition: unknown;
    idempotencyKey?: string;
    partnerId?: string;
  },
): Promise<{ row: CampaignRow; created: boolean }> {
  const [row] = await sql<RawCampaignRow[]>`
    insert into campaigns (id, org_id, kind, title, definition, workflow_id, idempotency_key, partner_id)
    values (${c.id}, ${c.orgId}, ${c.kind}, ${c.title}, ${sql.json(jsonb(c.definition))}, ${`campaign-${c.id}`},
      ${c.idempotencyKey ?? null}, ${c.partnerId ?? null})
    on conflict (org_id, idempotency_key) do nothing
    returning *`;
  if (row) return { row: parsed(row), created: true };
  const existing = await findCampaignByIdempotencyKey(sql, c.orgId, c.idempotencyKey!);
  return { row: existing!, created: false };
}

export async function deleteCampaign(sql: Sql, id: string) {
  await sql`delete from campaigns where id = ${id}`;
}

export interface CampaignListFilter {
  status?: string;
  kind?: string;
  after?: { createdAt: string; id: string };
  limit: number;
}
