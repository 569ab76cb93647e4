import type { DeliveryChannel } from '../domain/channels';
import type { Queryable } from './queryable';

/** One line of a supporter's message history: never a phone, an email or the text of a reply. */
export interface HistoryItem {
  at: Date;
  direction: 'out' | 'in';
  /** `campaign` (a stage or case update), `auto_reply` (help, confirmation, thank-you), `reply` (an inbound SMS). */
  type: 'campaign' | 'auto_reply' | 'reply';
  channel: DeliveryChannel;
  /**
   * Campaign messages: the delivery status; auto replies: their kind; replies: the keyword understood,
   * or `needs_review` for a sentence that contains a keyword (not acted on; an organizer may want to read it).
   */
  status: string;
  campaignId: string | null;
  stageKey: string | null;
  segments: number | null;
}

/** The newest `limit` messages to and from a supporter of this organization, newest first. */
export async function supporterMessages(
  sql: Queryable,
  orgId: string,
  supporterId: string,
  limit: number,
): Promise<HistoryItem[]> {
  const rows = await sql<
    {
      at: Date;
      direction: 'out' | 'in';
      type: HistoryItem['type'];
      channel: DeliveryChannel;
      status: string;
      campaign_id: string | null;
      stage_key: string | null;
      segments: number | null;
    }[]
  >`
    (select d.created_at as at, 'out' as direction, 'campaign' as type, d.channel, d.status,
        r.campaign_id, r.stage_key, d.segments
      from deliveries d join stage_runs r on r.id = d.stage_run_id
      where d.org_id = ${orgId} and d.supporter_id = ${supporterId}
      order by d.created_at desc limit ${limit})
    union all
    (select created_at, 'out', 'auto_reply', 'sms', kind, campaign_id, null, segments
      from auto_replies where org_id = ${orgId} and supporter_id = ${supporterId}
      order by created_at desc limit ${limit})
    union all
    (select received_at, 'in', 'reply', 'sms', keyword, null, null, null
      from inbound_messages where org_id = ${orgId} and supporter_id = ${supporterId}
      order by received_at desc limit ${limit})
    order by at desc limit ${limit}`;
  return rows.map((r) => ({
    at: r.at,
    direction: r.direction,
    type: r.type,
    channel: r.channel,
    status: r.status,
    campaignId: r.campaign_id,
    stageKey: r.stage_key,
    segments: r.segments,
  }));
}
