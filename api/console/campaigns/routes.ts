import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { campaignStatusSchema } from '../../../domain/campaign-status';
import { fiOfStageKey } from '../../../domain/case-sheet';
import type { CampaignPage } from '../api-client';
import type { ConsoleEnv } from '../env';
import { formValues } from '../env';
import { placeErrors } from '../form';
import { messagePage } from '../render';
import { campaignListPage } from './campaign-list-page';
import { campaignPage, campaignNotFound as notFound } from './campaign-page';
import { registerCaseConsoleRoutes } from './case-routes';
import { caseUpdateBody } from './case-update-body';
import { UPDATE_FIELDS } from './case-update-form';
import { CLOSE_FIELDS } from './close-form';
import { registerStageEditRoutes } from './stage-edit';

const PAGE_SIZE = 20;
const CONTROL_NOTICE: Record<string, string> = {
  pause: 'Pause requested: a due stage waits, a running stage stops at its next page.',
  resume: 'Resume requested.',
  cancel: 'Cancel requested: no further stage will go out.',
  launched: 'Campaign launched.',
  reply: 'Reply logged.',
  edited: 'Stage saved: it goes out with the new time and text.',
};

/**
 * GET /console/campaigns (list) and /console/campaigns/:id; POST pause, resume, cancel,
 * case-update and close, each answered by a redirect or the page with the API's refusal.
 */
export function registerCampaignRoutes(app: Hono<ConsoleEnv>) {
  registerCaseConsoleRoutes(app, campaignPage);
  registerStageEditRoutes(app);
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
    return campaignListPage(c, list.body, { status, next });
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
