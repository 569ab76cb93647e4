import type { AutoReplyKind } from '../domain/auto-replies';
import type { Locale } from '../domain/content-schema';
import type { Queryable } from './queryable';

export interface AutoReply {
  orgId: string | null;
  supporterId: string | null;
  campaignId: string | null;
  /** The inbound message answered: one answer per inbound message, whatever the redeliveries. */
  inboundProviderId: string;
  kind: AutoReplyKind;
  locale: Locale;
  body: string;
  segments: number;
  /** Keyed hash of the number (suppression list key), for the one-confirmation-a-day rule. */
  contactKey: string | null;
}

/**
 * Records an answer before it is sent (in the inbound transaction): false when this inbound message
 * already has one, or when the supporter was already thanked for this campaign. Then send nothing.
 */
export async function recordAutoReply(sql: Queryable, r: AutoReply): Promise<boolean> {
  const rows = await sql`
    insert into auto_replies (org_id, supporter_id, campaign_id, inbound_provider_id, kind, locale, body, segments, contact_key)
    values (${r.orgId}, ${r.supporterId}, ${r.campaignId}, ${r.inboundProviderId}, ${r.kind}, ${r.locale},
      ${r.body}, ${r.segments}, ${r.contactKey})
    on conflict do nothing`;
  return rows.count === 1;
}

/** Whether this number got this kind of confirmation in the last 24 hours (one of each a day at most). */
export async function confirmedRecently(
  sql: Queryable,
  contactKey: string,
  kind: 'opt_out_confirmation' | 'opt_in_confirmation',
): Promise<boolean> {
  const [row] = await sql`
    select 1 from auto_replies
    where contact_key = ${contactKey} and kind = ${kind} and created_at > now() - interval '24 hours'
    limit 1`;
  return row !== undefined;
}

/** The campaign's own DONE thank-you choice, when it made one. */
export async function campaignThanksOnDone(
  sql: Queryable,
  ref: { orgId: string; campaignId: string },
): Promise<boolean | undefined> {
  const [row] = await sql<{ v: boolean | null }[]>`
    select (definition -> 'options' ->> 'doneThankYou')::boolean as v from campaigns
    where id = ${ref.campaignId} and org_id = ${ref.orgId}`;
  return row?.v ?? undefined;
}
