import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { Preview } from '../api-client';
import type { ConsoleEnv, FormValues } from '../env';
import { newCampaignPage } from './new-campaign-page';
import { playbookChoicePage } from './playbook-choice';
import { campaignBody, isPlaybookKind, previewDigest } from './playbook-form';

/**
 * GET /console/campaigns/new (playbook choice, then one playbook's form) and POST, which previews
 * the form, or launches it when the form is unchanged since its preview.
 */
export function registerNewCampaignRoutes(app: Hono<ConsoleEnv>) {
  app.get('/campaigns/new', (c) => {
    const kind = c.req.query('kind');
    if (isPlaybookKind(kind))
      return newCampaignPage(c, kind, {
        values: { 'options.quietHours': 'on' },
        idempotencyKey: randomUUID(),
      });
    return playbookChoicePage(c);
  });

  app.post('/campaigns/new', async (c) => {
    const kind = c.req.query('kind');
    if (!isPlaybookKind(kind)) return c.redirect('/console/campaigns/new', 303);
    const form = await c.req.parseBody();
    const values: FormValues = {};
    for (const [k, val] of Object.entries(form))
      if (typeof val === 'string' && !k.startsWith('_')) values[k] = val;
    // One key per form: a double submit, or a retry after a lost answer, finds the same campaign.
    const idempotencyKey =
      typeof form._idempotencyKey === 'string' && form._idempotencyKey ? form._idempotencyKey : randomUUID();
    const body = campaignBody(kind, values);
    const session = c.get('session');
    const digest = previewDigest(session.csrf, body);
    const api = c.get('api');

    if (values.intent === 'launch' && form._previewed === digest) {
      const launched = await api.post<{ id: string }>('/v1/campaigns', body, {
        'idempotency-key': idempotencyKey,
      });
      if (launched.ok) return c.redirect(`/console/campaigns/${launched.body.id}?launched=1`, 303);
      return newCampaignPage(c, kind, { values, problem: launched.problem, idempotencyKey });
    }
    const preview = await api.post<Preview>('/v1/campaigns/preview', body);
    if (!preview.ok) return newCampaignPage(c, kind, { values, problem: preview.problem, idempotencyKey });
    return newCampaignPage(c, kind, {
      values,
      idempotencyKey,
      previewed: { digest, preview: preview.body },
      notice:
        values.intent === 'launch'
          ? 'The form changed after the last preview: check this preview, then launch.'
          : 'Check the preview below, then launch.',
    });
  });
}
