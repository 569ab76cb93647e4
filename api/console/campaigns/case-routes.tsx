import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { CaseSheet } from '../../../domain/case-sheet';
import type { KeyedTarget } from '../../../domain/case-targets';
import { ActionPage } from '../../action-page/page';
import type { CampaignDetail } from '../api-client';
import type { ConsoleContext, ConsoleEnv } from '../env';
import { formValues } from '../env';
import { placeErrors } from '../form';
import { messagePage } from '../render';
import type { CaseView } from './case-panel';
import { RESPONSE_FIELDS } from './case-panel';

const TERMINAL = new Set(['completed', 'cancelled', 'closed']);

/** GET /v1/campaigns/:id/case for the console, or undefined (not a case_alert, or an error). */
export async function loadCaseView(c: ConsoleContext, id: string): Promise<CaseView | undefined> {
  const res = await c.get('api').get<CaseView>(`/v1/campaigns/${encodeURIComponent(id)}/case`);
  return res.ok ? res.body : undefined;
}

/** `2027-01-15T09:30` from a datetime-local field, taken as UTC. */
const fromLocalInput = (v: string | undefined) =>
  v && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v) ? `${v.length === 16 ? `${v}:00` : v}Z` : v;

/**
 * Console routes of the case sheet: the action page preview (both languages), logging a reply,
 * and the progress JSON the campaign page polls. `campaignPage` renders a campaign with a form state.
 */
export function registerCaseConsoleRoutes(
  app: Hono<ConsoleEnv>,
  campaignPage: (
    c: ConsoleContext,
    id: string,
    opts: {
      status?: ContentfulStatusCode;
      notice?: string;
      responseForm?: { values: Record<string, string>; errors: ReturnType<typeof placeErrors> };
    },
  ) => Promise<Response>,
) {
  app.get('/campaigns/:id/progress.json', async (c) => {
    const res = await c
      .get('api')
      .get<CampaignDetail>(`/v1/campaigns/${encodeURIComponent(c.req.param('id'))}`);
    if (!res.ok) return c.json({ error: res.problem.title }, res.status as 404);
    const d = res.body;
    return c.json({
      status: d.status,
      ended: TERMINAL.has(d.status),
      stages: d.stages.map((s) => ({
        key: s.key,
        status: s.status,
        sent: s.counts.sent,
        targeted: s.counts.targeted,
      })),
    });
  });

  app.get('/campaigns/:id/action-preview', async (c) => {
    const id = c.req.param('id');
    const view = await loadCaseView(c, id);
    const detail = await c.get('api').get<CampaignDetail>(`/v1/campaigns/${encodeURIComponent(id)}`);
    if (!view || !detail.ok)
      return messagePage(
        c,
        404,
        'Campaign not found',
        'No campaign with this id exists in your organization.',
      );
    const locale = c.req.query('lang') === 'km' ? 'km' : 'en';
    const targets: KeyedTarget[] = view.targets.map((t) => ({
      key: t.key,
      name: t.name,
      ...(t.title ? { title: t.title } : {}),
      ...(t.salutation ? { salutation: t.salutation } : {}),
      ...(t.address ? { address: t.address } : {}),
      language: t.language,
      // The preview shows the letter form; nothing is sent from it.
      ...(t.hasEmail ? { email: 'preview@example.invalid' } : {}),
    }));
    const sheet = (view.case ?? undefined) as CaseSheet | undefined;
    const page = (
      <ActionPage
        preview
        locale={locale}
        nonce={c.get('nonce')}
        ctx={{
          token: '',
          link: {} as never,
          campaign: { id, title: detail.body.title, status: detail.body.status, orgName: '' },
          ...(sheet ? { case: sheet } : {}),
          targets,
          open: true,
          written: new Set(),
          supporter: { name: null, email: null, phone: null },
        }}
      />
    );
    return c.html(`<!doctype html>${await page.toString()}`);
  });

  app.post('/campaigns/:id/target-responses', async (c) => {
    const id = c.req.param('id');
    const values = await formValues(c);
    const res = await c.get('api').post(`/v1/campaigns/${encodeURIComponent(id)}/target-responses`, {
      target: values['response.target'],
      summary: values['response.summary'],
      receivedAt: fromLocalInput(values['response.receivedAt']) || new Date().toISOString(),
    });
    if (res.ok) return c.redirect(`/console/campaigns/${id}?done=reply#case-h`, 303);
    if (res.status === 404)
      return messagePage(
        c,
        404,
        'Campaign not found',
        'No campaign with this id exists in your organization.',
      );
    return campaignPage(c, id, {
      status: res.status as ContentfulStatusCode,
      responseForm: { values, errors: placeErrors(res.problem, RESPONSE_FIELDS, 'response') },
    });
  });
}
