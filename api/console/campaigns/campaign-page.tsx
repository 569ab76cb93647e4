import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ActivityItem, ActivityTable } from '../activity';
import type { CampaignDetail } from '../api-client';
import type { ConsoleContext } from '../env';
import { Bi } from '../layout';
import { messagePage, page } from '../render';
import { CampaignView } from './campaign-view';
import { loadCaseView } from './case-routes';

async function loadCampaign(c: ConsoleContext, id: string) {
  const res = await c.get('api').get<CampaignDetail>(`/v1/campaigns/${encodeURIComponent(id)}`);
  return res.ok ? res.body : undefined;
}

/** The 404 page for a campaign id that is malformed or not in the organization. */
export const campaignNotFound = (c: ConsoleContext) =>
  messagePage(c, 404, 'Campaign not found', 'No campaign with this id exists in your organization.');

/** Loads the campaign through the API and renders its page (404 page when it is not found). */
export async function campaignPage(
  c: ConsoleContext,
  id: string,
  opts: {
    notice?: string;
    status?: ContentfulStatusCode;
    form?: Parameters<typeof CampaignView>[0]['form'];
    responseForm?: Parameters<typeof CampaignView>[0]['responseForm'];
  } = {},
) {
  const campaign = await loadCampaign(c, id);
  if (!campaign) return campaignNotFound(c);
  const caseView = campaign.kind === 'case_alert' ? await loadCaseView(c, id) : undefined;
  const activity = await c
    .get('api')
    .get<{ items: ActivityItem[] }>(`/v1/activity?campaignId=${campaign.id}&limit=50`);
  return page(
    c,
    { title: campaign.title, section: 'campaigns', status: opts.status },
    <>
      <CampaignView
        campaign={campaign}
        csrf={c.get('session').csrf}
        notice={opts.notice}
        form={opts.form}
        nonce={c.get('nonce')}
        caseView={caseView}
        responseForm={opts.responseForm}
      />
      <section aria-labelledby="activity-h">
        <h2 id="activity-h">
          <Bi en="Who changed this campaign" km="អ្នកដែលបានផ្លាស់ប្តូរយុទ្ធនាការនេះ" />
        </h2>
        <ActivityTable items={activity.ok ? activity.body.items : []} />
      </section>
    </>,
  );
}
