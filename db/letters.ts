import { randomBytes } from 'node:crypto';
import type { Identity } from '../domain/letter';
import type { Queryable } from './queryable';

/** A letter row: ids and status only (the text went to the target and is not kept). */
export interface LetterRow {
  id: string;
  targetKey: string;
  status: 'sending' | 'accepted' | 'failed';
  providerId: string | null;
}

export interface LetterKey {
  orgId: string;
  campaignId: string;
  supporterId: string;
  targetKey: string;
}

/**
 * Claims the letter (supporter, target, case) and locks its row until the transaction ends, so
 * concurrent attempts wait for each other. Returns the row: `accepted` means it went out already
 * (the caller answers 409); `sending` means this attempt is to send it.
 * Call inside `sql.begin`.
 */
export async function claimLetter(
  tx: Queryable,
  key: LetterKey & { stageRunId: string | null; identity: Identity },
): Promise<LetterRow> {
  await tx`
    insert into letters (org_id, campaign_id, supporter_id, stage_run_id, target_key, identity)
    values (${key.orgId}, ${key.campaignId}, ${key.supporterId}, ${key.stageRunId}, ${key.targetKey}, ${key.identity})
    on conflict (campaign_id, supporter_id, target_key) do nothing`;
  const [row] = await tx<{ id: string; status: LetterRow['status']; provider_id: string | null }[]>`
    select id, status, provider_id from letters
    where org_id = ${key.orgId} and campaign_id = ${key.campaignId}
      and supporter_id = ${key.supporterId} and target_key = ${key.targetKey}
    for update`;
  return { id: row!.id, targetKey: key.targetKey, status: row!.status, providerId: row!.provider_id };
}

export async function markLetterAccepted(sql: Queryable, orgId: string, id: string, providerId: string) {
  await sql`update letters set status = 'accepted', provider_id = ${providerId}, error = null, sent_at = now()
    where id = ${id} and org_id = ${orgId}`;
}

/** The target keys this supporter has written to in this campaign (accepted letters). */
export async function lettersSentBy(
  sql: Queryable,
  ref: { orgId: string; campaignId: string; supporterId: string },
): Promise<Set<string>> {
  const rows = await sql<{ target_key: string }[]>`
    select target_key from letters
    where org_id = ${ref.orgId} and campaign_id = ${ref.campaignId} and supporter_id = ${ref.supporterId}
      and status = 'accepted'`;
  return new Set(rows.map((r) => r.target_key));
}

/** Accepted letters per target key: `{ t1: 12, t2: 3 }`. */
export async function letterCounts(
  sql: Queryable,
  orgId: string,
  campaignId: string,
): Promise<Record<string, number>> {
  const rows = await sql<{ target_key: string; n: number }[]>`
    select target_key, count(*)::int as n from letters
    where org_id = ${orgId} and campaign_id = ${campaignId} and status = 'accepted'
    group by target_key`;
  return Object.fromEntries(rows.map((r) => [r.target_key, r.n]));
}

/** The campaign's reply token (created once): replies to `reply+<token>@…` are logged against it. */
export async function campaignReplyToken(sql: Queryable, orgId: string, campaignId: string): Promise<string> {
  const token = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');
  await sql`insert into campaign_reply_addresses (campaign_id, org_id, token)
    values (${campaignId}, ${orgId}, ${token}) on conflict (campaign_id) do nothing`;
  const [row] = await sql<{ token: string }[]>`
    select token from campaign_reply_addresses where campaign_id = ${campaignId} and org_id = ${orgId}`;
  return row!.token;
}

/** The campaign a reply token belongs to, or undefined. */
export async function campaignByReplyToken(
  sql: Queryable,
  token: string,
): Promise<{ orgId: string; campaignId: string } | undefined> {
  const [row] = await sql<{ org_id: string; campaign_id: string }[]>`
    select org_id, campaign_id from campaign_reply_addresses where token = ${token}`;
  return row && { orgId: row.org_id, campaignId: row.campaign_id };
}
