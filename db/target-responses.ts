import type { Queryable } from './queryable';

/** A reply from a target, as GET /v1/campaigns/:id/target-responses lists it. */
export interface TargetResponse {
  id: string;
  target: string;
  targetName: string;
  summary: string;
  receivedAt: string;
  source: 'organizer' | 'email';
  /** The target's own address when the reply came by email; null when logged by an organizer. */
  fromAddress: string | null;
  createdAt: string;
}

type Row = {
  id: string;
  target_key: string;
  target_name: string;
  summary: string;
  received_at: Date;
  source: 'organizer' | 'email';
  from_address: string | null;
  created_at: Date;
};

const view = (r: Row): TargetResponse => ({
  id: r.id,
  target: r.target_key,
  targetName: r.target_name,
  summary: r.summary,
  receivedAt: r.received_at.toISOString(),
  source: r.source,
  fromAddress: r.from_address,
  createdAt: r.created_at.toISOString(),
});

/**
 * Logs a reply. `externalId` (the inbound email's id) makes a redelivered webhook a no-op:
 * returns undefined when that reply was logged already.
 */
export async function insertTargetResponse(
  sql: Queryable,
  r: {
    orgId: string;
    campaignId: string;
    target: string;
    targetName: string;
    summary: string;
    receivedAt: string;
    source: 'organizer' | 'email';
    fromAddress?: string | null;
    externalId?: string | null;
  },
): Promise<TargetResponse | undefined> {
  const [row] = await sql<Row[]>`
    insert into target_responses (org_id, campaign_id, target_key, target_name, summary, received_at, source, from_address, external_id)
    values (${r.orgId}, ${r.campaignId}, ${r.target}, ${r.targetName}, ${r.summary}, ${r.receivedAt}, ${r.source},
      ${r.fromAddress ?? null}, ${r.externalId ?? null})
    on conflict (external_id) do nothing
    returning *`;
  return row && view(row);
}

/** Every reply logged for the campaign, oldest first. */
export async function listTargetResponses(
  sql: Queryable,
  orgId: string,
  campaignId: string,
): Promise<TargetResponse[]> {
  const rows = await sql<Row[]>`
    select * from target_responses where org_id = ${orgId} and campaign_id = ${campaignId}
    order by received_at, created_at`;
  return rows.map(view);
}

/** Of the named targets (by name or key), those with no reply logged in the campaign. */
export async function targetsWithoutResponse(
  sql: Queryable,
  ref: { orgId: string; campaignId: string },
  targets: readonly string[],
): Promise<string[]> {
  if (targets.length === 0) return [];
  const rows = await sql<{ target_key: string; target_name: string }[]>`
    select distinct target_key, target_name from target_responses
    where org_id = ${ref.orgId} and campaign_id = ${ref.campaignId}`;
  const answered = new Set(rows.flatMap((r) => [r.target_key, r.target_name]));
  return targets.filter((t) => !answered.has(t));
}
