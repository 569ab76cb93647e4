import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { CAMPAIGN_STATUSES, campaignStatusSchema } from '../../domain/campaign-status';
import { fiOfStageKey } from '../../domain/case-sheet';
import { type ActivityItem, ActivityTable } from './activity';
import type { CampaignDetail, CampaignPage } from './api-client';
import { CampaignView, CLOSE_FIELDS, UPDATE_FIELDS } from './campaign-page';
import { loadCaseView, registerCaseConsoleRoutes } from './case-routes';
import type { ConsoleContext, ConsoleEnv, FormValues } from './env';
import { formValues } from './env';
import { placeErrors } from './form';
import { kindLabel, percent, utc } from './format';
import { Bi } from './layout';
import { messagePage, page } from './render';

const PAGE_SIZE = 20;
const CONTROL_NOTICE: Record<string, string> = {
  pause: 'Pause requested: a due stage waits, a running stage stops at its next page.',
  resume: 'Resume requested.',
  cancel: 'Cancel requested: no further stage will go out.',
  launched: 'Campaign launched.',
  reply: 'Reply logged.',
};

async function loadCampaign(c: ConsoleContext, id: string) {
  const res = await c.get('api').get<CampaignDetail>(`/v1/campaigns/${encodeURIComponent(id)}`);
  return res.ok ? res.body : undefined;
}

const notFound = (c: ConsoleContext) =>
  messagePage(c, 404, 'Campaign not found', 'No campaign with this id exists in your organization.');

async function campaignPage(
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
  if (!campaign) return notFound(c);
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

/** `update.content.km.sms` fields → the case-updates body (empty texts left out). */
function caseUpdateBody(prefix: 'update' | 'close', v: FormValues) {
  const t = (k: string) => (v[`${prefix}.${k}`]?.trim() ? v[`${prefix}.${k}`] : undefined);
  const locale = (l: string) => {
    const m = { sms: t(`content.${l}.sms`), body: t(`content.${l}.body`) };
    return m.sms || m.body ? m : undefined;
  };
  const en = locale('en');
  const km = locale('km');
  return {
    content: en || km ? { ...(en ? { en } : {}), ...(km ? { km } : {}) } : {},
    audience: v[`${prefix}.audience`],
    ...(prefix === 'close' ? { resolution: v['close.resolution'] } : {}),
  };
}

export function registerCampaignRoutes(app: Hono<ConsoleEnv>) {
  registerCaseConsoleRoutes(app, campaignPage);
  app.get('/', (c) => c.redirect('/console/campaigns', 303));

  app.get('/campaigns', async (c) => {
    const status = campaignStatusSchema.safeParse(c.req.query('status')).data;
    const cursor = c.req.query('cursor');
    const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (status) q.set('status', status);
    if (cursor) q.set('cursor', cursor);
    const api = c.get('api');
    const list = await api.get<CampaignPage>(`/v1/campaigns?${q}`);
    if (!list.ok)
      return messagePage(c, 502, 'Campaigns unavailable', list.problem.detail ?? list.problem.title);
    const next = list.body.nextCursor
      ? `/console/campaigns?${new URLSearchParams({ ...(status ? { status } : {}), cursor: list.body.nextCursor })}`
      : undefined;
    return page(
      c,
      { title: 'Campaigns', section: 'campaigns' },
      <>
        <h1>
          <Bi en="Campaigns" km="យុទ្ធនាការ" />
        </h1>
        <form method="get" action="/console/campaigns" class="row" aria-label="Filter campaigns">
          <div class="field">
            <label for="f-status">
              <Bi en="Status" km="ស្ថានភាព" />
            </label>
            <select id="f-status" name="status">
              <option value="">all</option>
              {CAMPAIGN_STATUSES.map((s) => (
                <option value={s} selected={s === status}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">Filter</button>
        </form>
        {list.body.items.length === 0 ? (
          <p>
            No campaigns{status ? ` with status ${status}` : ''} yet.{' '}
            <a href="/console/campaigns/new">Launch one</a>.
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Current stage</th>
                <th scope="col">Next stage at</th>
                <th scope="col">Action rate</th>
              </tr>
            </thead>
            <tbody>
              {list.body.items.map((item) => (
                <tr data-campaign={item.id}>
                  <th scope="row">
                    <a href={`/console/campaigns/${item.id}`}>{item.title}</a>
                  </th>
                  <td>{kindLabel(item.kind)}</td>
                  <td>
                    <span class={`badge s-${item.status}`}>{item.status}</span>
                  </td>
                  <td>{item.currentStage ?? '—'}</td>
                  <td>
                    <time datetime={item.nextStageAt ?? undefined}>{utc(item.nextStageAt)}</time>
                  </td>
                  <td data-action-rate>{percent(item.actionRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {next ? (
          <p>
            <a href={next}>Next page</a>
          </p>
        ) : null}
      </>,
    );
  });

  app.get('/campaigns/:id', (c) => {
    const done = c.req.query('done') ?? (c.req.query('launched') ? 'launched' : undefined);
    const update = c.req.query('update');
    const notice = update
      ? `Case update ${update}${fiOfStageKey(update) ? ` (Further Information FI ${fiOfStageKey(update)})` : ''} accepted: it goes out now.`
      : done
        ? CONTROL_NOTICE[done]
        : undefined;
    return campaignPage(c, c.req.param('id'), { notice });
  });

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.post(`/campaigns/:id/${action}`, async (c) => {
      const id = c.req.param('id');
      const res = await c.get('api').post(`/v1/campaigns/${encodeURIComponent(id)}/${action}`);
      if (res.ok) return c.redirect(`/console/campaigns/${id}?done=${action}`, 303);
      if (res.status === 404 || res.status === 400) return notFound(c);
      return campaignPage(c, id, {
        status: res.status as ContentfulStatusCode,
        notice: `Could not ${action}: ${res.problem.detail ?? res.problem.title}`,
      });
    });
  }

  for (const which of ['update', 'close'] as const) {
    app.post(`/campaigns/:id/${which === 'update' ? 'case-update' : 'close'}`, async (c) => {
      const id = c.req.param('id');
      const values = await formValues(c);
      const res = await c
        .get('api')
        .post<{ key: string }>(
          `/v1/campaigns/${encodeURIComponent(id)}/case-updates`,
          caseUpdateBody(which, values),
        );
      if (res.ok)
        return c.redirect(`/console/campaigns/${id}?update=${encodeURIComponent(res.body.key)}`, 303);
      if (res.status === 404) return notFound(c);
      const errors = placeErrors(res.problem, which === 'update' ? UPDATE_FIELDS : CLOSE_FIELDS, which);
      return campaignPage(c, id, {
        status: res.status as ContentfulStatusCode,
        form: { which, values, errors },
      });
    });
  }
}
