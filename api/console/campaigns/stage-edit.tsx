import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type Content, LOCALES } from '../../../domain/content-schema';
import type { Problem } from '../api-client';
import type { ConsoleContext, ConsoleEnv, FormValues } from '../env';
import { formValues } from '../env';
import { ErrorSummary, placeErrors, TextArea, TextField } from '../form';
import { Bi, CsrfField } from '../layout';
import { messagePage, page } from '../render';

type StageDetail = {
  key: string;
  scheduledAt: string;
  channel: string;
  audience: { select: string };
  content: Content;
  template?: { id: string; version: number; origin: string };
};

const PARTS = ['sms', 'subject', 'body'] as const;
const TEXT_FIELDS = LOCALES.flatMap((l) => PARTS.map((p) => `content.${l}.${p}`));
const FIELDS = ['at', 'content', ...TEXT_FIELDS];
const norm = (s: string | undefined) => (s ?? '').replace(/\r\n?/g, '\n').trim();
const minute = (iso: string) => iso.slice(0, 16);

function valuesOf(stage: StageDetail): FormValues {
  const v: FormValues = { at: minute(stage.scheduledAt) };
  for (const l of LOCALES) for (const p of PARTS) v[`content.${l}.${p}`] = stage.content[l]?.[p] ?? '';
  return v;
}

/** The PATCH body: only what changed (a text edit sends both languages' texts, blank parts left out). */
export function stageEditBody(stage: StageDetail, v: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const at = norm(v.at);
  if (at && at !== minute(stage.scheduledAt))
    body.at = /^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(at) ? `${at}:00Z` : at;
  const before = valuesOf(stage);
  if (TEXT_FIELDS.some((f) => norm(v[f]) !== norm(before[f]))) {
    const content: Content = {};
    for (const l of LOCALES) {
      const parts = Object.fromEntries(
        PARTS.map((p) => [p, norm(v[`content.${l}.${p}`])]).filter(([, t]) => t !== ''),
      );
      if (Object.keys(parts).length > 0) content[l] = parts;
    }
    body.content = content;
  }
  return body;
}

function stageEditPage(
  c: ConsoleContext,
  id: string,
  stage: StageDetail,
  values: FormValues,
  problem?: Problem,
) {
  const errors = placeErrors(problem, FIELDS);
  const locale = (l: 'en' | 'km', name: string, km: string) => (
    <div lang={l === 'km' ? 'km' : undefined}>
      <h3>
        <Bi en={name} km={km} />
      </h3>
      <TextArea
        path={`content.${l}.sms`}
        label="SMS"
        lang={l}
        value={values[`content.${l}.sms`]}
        errors={errors}
        sms
      />
      <TextField
        path={`content.${l}.subject`}
        label="Email subject"
        lang={l}
        value={values[`content.${l}.subject`]}
        errors={errors}
      />
      <TextArea
        path={`content.${l}.body`}
        label="Email body"
        lang={l}
        rows={6}
        value={values[`content.${l}.body`]}
        errors={errors}
      />
    </div>
  );
  return page(
    c,
    {
      title: `Edit ${stage.key}`,
      section: 'campaigns',
      status: (problem?.status ?? 200) as ContentfulStatusCode,
    },
    <>
      <h1>
        <Bi en={`Edit stage ${stage.key}`} km="កែដំណាក់កាល" />
      </h1>
      <p>
        <a href={`/console/campaigns/${id}`}>Back to the campaign</a> · {stage.channel} · to{' '}
        {stage.audience.select}
        {stage.template ? ` · from template ${stage.template.id} v${stage.template.version}` : ''}
      </p>
      <ErrorSummary errors={errors} />
      <form
        method="post"
        action={`/console/campaigns/${id}/stages/${encodeURIComponent(stage.key)}`}
        novalidate
      >
        <CsrfField csrf={c.get('session').csrf} />
        <TextField
          path="at"
          type="datetime-local"
          label="Goes out at (UTC)"
          hint="Only a stage that has not started can change."
          value={values.at}
          errors={errors}
        />
        <div class="cols">
          {locale('en', 'English', 'អង់គ្លេស')}
          {locale('km', 'Khmer', 'ភាសាខ្មែរ')}
        </div>
        <div class="controls">
          <button type="submit" class="primary">
            <Bi en="Save stage" km="រក្សាទុក" />
          </button>
        </div>
      </form>
    </>,
  );
}

/** GET and POST /console/campaigns/:id/stages/:key: a future stage's time and texts, through PATCH of the API. */
export function registerStageEditRoutes(app: Hono<ConsoleEnv>) {
  const load = async (c: ConsoleContext) => {
    const path = `/v1/campaigns/${encodeURIComponent(c.req.param('id') ?? '')}/stages/${encodeURIComponent(c.req.param('key') ?? '')}`;
    const res = await c.get('api').get<StageDetail>(path);
    return res.ok ? { path, stage: res.body } : undefined;
  };
  const missing = (c: ConsoleContext) =>
    messagePage(c, 404, 'Stage not found', 'No such stage in a campaign of your organization.');

  app.get('/campaigns/:id/stages/:key', async (c) => {
    const found = await load(c);
    if (!found) return missing(c);
    return stageEditPage(c, c.req.param('id'), found.stage, valuesOf(found.stage));
  });

  app.post('/campaigns/:id/stages/:key', async (c) => {
    const found = await load(c);
    if (!found) return missing(c);
    const id = c.req.param('id');
    const values = await formValues(c);
    const body = stageEditBody(found.stage, values);
    if (Object.keys(body).length === 0) return c.redirect(`/console/campaigns/${id}`, 303);
    const res = await c.get('api').patch(found.path, body);
    if (res.ok) return c.redirect(`/console/campaigns/${id}?done=edited`, 303);
    return stageEditPage(c, id, found.stage, values, res.problem);
  });
}
