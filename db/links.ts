import type { DeliveryChannel } from '../domain/channels';
import type { Queryable } from './queryable';

/** What a supporter link resolves to; never shown to the supporter. */
export interface LinkTarget {
  orgId: string;
  campaignId: string;
  stageRunId: string;
  supporterId: string;
  channel: DeliveryChannel;
  locale: 'en' | 'km';
  actionUrl: string | null;
}

export async function findLink(sql: Queryable, token: string): Promise<LinkTarget | undefined> {
  const [row] = await sql<
    {
      org_id: string;
      campaign_id: string;
      stage_run_id: string;
      supporter_id: string;
      channel: DeliveryChannel;
      locale: 'en' | 'km';
      action_url: string | null;
    }[]
  >`
    select d.org_id, r.campaign_id, d.stage_run_id, d.supporter_id, d.channel, s.locale,
      r.content #>> '{action,url}' as action_url
    from deliveries d
    join stage_runs r on r.id = d.stage_run_id and r.org_id = d.org_id
    join supporters s on s.id = d.supporter_id and s.org_id = d.org_id
    where d.link_token = ${token}`;
  return (
    row && {
      orgId: row.org_id,
      campaignId: row.campaign_id,
      stageRunId: row.stage_run_id,
      supporterId: row.supporter_id,
      channel: row.channel,
      locale: row.locale,
      actionUrl: row.action_url,
    }
  );
}
