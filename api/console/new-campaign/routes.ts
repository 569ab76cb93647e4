import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { TemplateOverrides } from '../../../domain/stage-templates';
import type { Preview } from '../api-client';
import type { ConsoleContext, ConsoleEnv, FormValues } from '../env';
import { newCampaignPage } from './new-campaign-page';
import { playbookChoicePage } from './playbook-choice';
import { campaignBody, isPlaybookKind, type PlaybookKind, previewDigest } from './playbook-form';
import { applyBuilderIntent, blankRow, customStageEntries } from './stage-builder-form';
import { type OutlineStage, playbookOutline } from './stage-outline';
import { alignPlaybookRows } from './stage-rows';

type Message = { sms: string; subject: string; body: string };
type TemplateList = {
  items: Array<{
    id: string;
    origin: string;
    revision: number | null;
    content: { en: Message; km: Message };
  }>;
};

/** The organization's own wordings, as the stage list prefills them (none when the list is unavailable). */
async function organizationTemplates(c: ConsoleContext): Promise<TemplateOverrides> {
  const res = await c.get('api').get<TemplateList>('/v1/organization/stage-templates');
  if (!res.ok) return {};
  return Object.fromEntries(
    res.body.items
      .filter((t) => t.origin === 'organization')
      .map((t) => [t.id, { content: t.content, revision: t.revision ?? 1 }]),
  );
}

/** The form as the API will get it: its stages lined up with the playbook's (or the builder's rows). */
async function describe(
  c: ConsoleContext,
  kind: PlaybookKind,
  v: FormValues,
): Promise<{ values: FormValues; body: Record<string, unknown>; outline?: OutlineStage[] }> {
  const base = campaignBody(kind, v);
  if (kind === 'custom') {
    const stages = customStageEntries(v);
    return { values: v, body: stages.length > 0 ? { ...base, stages } : base };
  }
  const outline = playbookOutline(kind, base, await organizationTemplates(c));
  const aligned = alignPlaybookRows(v, outline);
  const edited = aligned.stages.some((s) => Object.keys(s).length > 1);
  return { values: aligned.values, body: edited ? { ...base, stages: aligned.stages } : base, outline };
}

/**
 * GET /console/campaigns/new (playbook choice, then one playbook's form) and POST, which previews
 * the form, or launches it when the form is unchanged since its preview. A custom campaign's
 * stage-builder buttons (add, remove, move) re-render the form without calling the API.
 */
export function registerNewCampaignRoutes(app: Hono<ConsoleEnv>) {
  app.get('/campaigns/new', async (c) => {
    const kind = c.req.query('kind');
    if (!isPlaybookKind(kind)) return playbookChoicePage(c);
    let values: FormValues = { 'options.quietHours': 'on' };
    if (kind === 'custom') values = { ...values, ...prefixRow(blankRow(0, new Set())) };
    const described = await describe(c, kind, values);
    return newCampaignPage(c, kind, {
      values: described.values,
      outline: described.outline,
      idempotencyKey: randomUUID(),
    });
  });

  app.post('/campaigns/new', async (c) => {
    const kind = c.req.query('kind');
    if (!isPlaybookKind(kind)) return c.redirect('/console/campaigns/new', 303);
    const form = await c.req.parseBody();
    let values: FormValues = {};
    for (const [k, val] of Object.entries(form))
      if (typeof val === 'string' && !k.startsWith('_')) values[k] = val;
    // One key per form: a double submit, or a retry after a lost answer, finds the same campaign.
    const idempotencyKey =
      typeof form._idempotencyKey === 'string' && form._idempotencyKey ? form._idempotencyKey : randomUUID();
    const intent = values.intent ?? 'preview';
    if (kind === 'custom') {
      const rebuilt = applyBuilderIntent(values, intent);
      if (rebuilt) return newCampaignPage(c, kind, { values: rebuilt, idempotencyKey });
    }
    const described = await describe(c, kind, values);
    values = described.values;
    const { body, outline } = described;
    const session = c.get('session');
    const digest = previewDigest(session.csrf, body);
    const api = c.get('api');

    if (intent === 'launch' && form._previewed === digest) {
      const launched = await api.post<{ id: string }>('/v1/campaigns', body, {
        'idempotency-key': idempotencyKey,
      });
      if (launched.ok) return c.redirect(`/console/campaigns/${launched.body.id}?launched=1`, 303);
      return newCampaignPage(c, kind, { values, problem: launched.problem, idempotencyKey, outline });
    }
    const preview = await api.post<Preview>('/v1/campaigns/preview', body);
    if (!preview.ok)
      return newCampaignPage(c, kind, { values, problem: preview.problem, idempotencyKey, outline });
    return newCampaignPage(c, kind, {
      values,
      idempotencyKey,
      outline,
      previewed: { digest, preview: preview.body },
      notice:
        intent === 'launch'
          ? 'The form changed after the last preview: check this preview, then launch.'
          : 'Check the preview below (every stage in both languages), then launch.',
    });
  });
}

const prefixRow = (row: Record<string, string>) =>
  Object.fromEntries(Object.entries(row).map(([f, v]) => [`stages.0.${f}`, v]));
