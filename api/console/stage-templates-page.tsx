import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { LOCALES } from '../../domain/content-schema';
import type { Problem } from './api-client';
import type { ConsoleContext, ConsoleEnv, FormValues } from './env';
import { formValues } from './env';
import { ErrorSummary, placeErrors, TextArea, TextField } from './form';
import { Bi, CsrfField } from './layout';
import { page } from './render';

type Message = { sms: string; subject: string; body: string };
type Template = {
  id: string;
  purpose: string;
  version: number;
  origin: 'repository' | 'organization';
  revision: number | null;
  content: Record<'en' | 'km', Message>;
  repository: Record<'en' | 'km', Message>;
};
type TemplateList = { items: Template[]; placeholders: string[]; launchFields: string[] };

const PARTS = ['sms', 'subject', 'body'] as const;
const norm = (s: string | undefined) => (s ?? '').replace(/\r\n?/g, '\n').trim();
const paths = (id: string) => LOCALES.flatMap((l) => PARTS.map((p) => `${id}.content.${l}.${p}`));

/** The parts that differ from the repository text: what the organization words its own way. */
export function overrideBody(t: Template, v: FormValues) {
  const content: Record<string, Record<string, string>> = {};
  for (const l of LOCALES)
    for (const p of PARTS) {
      const value = norm(v[`${t.id}.content.${l}.${p}`]);
      if (value !== norm(t.repository[l][p])) content[l] = { ...content[l], [p]: value };
    }
  return content;
}

function TemplateForm(props: { t: Template; csrf: string; values?: FormValues; problem?: Problem }) {
  const { t } = props;
  const errors = placeErrors(props.problem, paths(t.id), t.id);
  const v: FormValues =
    props.values ??
    Object.fromEntries(
      LOCALES.flatMap((l) => PARTS.map((p) => [`${t.id}.content.${l}.${p}`, t.content[l][p]])),
    );
  const locale = (l: 'en' | 'km', name: string) => (
    <div lang={l === 'km' ? 'km' : undefined}>
      <h4>{name}</h4>
      {PARTS.map((p) => {
        const path = `${t.id}.content.${l}.${p}`;
        return p === 'subject' ? (
          <TextField path={path} label="Email subject" lang={l} value={v[path]} errors={errors} />
        ) : (
          <TextArea
            path={path}
            label={p === 'sms' ? 'SMS' : 'Email body'}
            lang={l}
            rows={p === 'sms' ? 3 : 6}
            value={v[path]}
            errors={errors}
            sms={p === 'sms'}
          />
        );
      })}
    </div>
  );
  return (
    <details id={`t-${t.id.replace(/\W/g, '-')}`} data-template={t.id} open={props.problem !== undefined}>
      <summary>
        <strong>{t.id}</strong> · {t.purpose}{' '}
        <span class="hint">
          {t.origin === 'organization'
            ? `your wording, revision ${t.revision}`
            : `repository text v${t.version}`}
        </span>
      </summary>
      <ErrorSummary errors={errors} />
      <form method="post" action={`/console/templates/${t.id}`} novalidate>
        <CsrfField csrf={props.csrf} />
        <div class="cols">
          {locale('en', 'English')}
          {locale('km', 'ខ្មែរ Khmer')}
        </div>
        <div class="controls">
          <button type="submit" name="intent" value="save" class="primary">
            Save our wording
          </button>
          {t.origin === 'organization' ? (
            <button type="submit" name="intent" value="reset">
              Back to the repository text
            </button>
          ) : null}
        </div>
      </form>
    </details>
  );
}

async function templatesPage(
  c: ConsoleContext,
  opts: { notice?: string; failed?: { id: string; values: FormValues; problem: Problem } } = {},
) {
  const list = await c.get('api').get<TemplateList>('/v1/organization/stage-templates');
  const items = list.ok ? list.body.items : [];
  const csrf = c.get('session').csrf;
  return page(
    c,
    {
      title: 'Stage texts',
      section: 'settings',
      status: (opts.failed?.problem.status ?? 200) as ContentfulStatusCode,
    },
    <>
      <h1>
        <Bi en="Prewritten stage texts" km="អត្ថបទដែលបានសរសេររួច" />
      </h1>
      {opts.notice ? (
        <p class="notice ok" role="status">
          {opts.notice}
        </p>
      ) : null}
      <p>
        Every playbook stage starts from these texts, in English and Khmer (the Khmer to be checked by your
        native speakers). Word any of them your organization's way: campaigns launched afterwards use it;
        running campaigns keep the text they launched with.
      </p>
      {list.ok ? (
        <p class="hint">
          Filled for each supporter: {list.body.placeholders.map((p) => `{{${p}}}`).join(' ')}. Filled at
          launch from the campaign: {list.body.launchFields.map((p) => `{{${p}}}`).join(' ')}.
        </p>
      ) : null}
      {items.map((t) => (
        <TemplateForm
          t={t}
          csrf={csrf}
          values={opts.failed?.id === t.id ? opts.failed.values : undefined}
          problem={opts.failed?.id === t.id ? opts.failed.problem : undefined}
        />
      ))}
    </>,
  );
}

/** GET /console/templates and POST /console/templates/:kind/:stage (PUT or DELETE of the API's template). */
export function registerStageTemplatePages(app: Hono<ConsoleEnv>) {
  app.get('/templates', (c) => templatesPage(c, { notice: c.req.query('saved') ? 'Saved.' : undefined }));

  app.post('/templates/:kind/:stage', async (c) => {
    const id = `${c.req.param('kind')}/${c.req.param('stage')}`;
    const api = c.get('api');
    const list = await api.get<TemplateList>('/v1/organization/stage-templates');
    const t = list.ok ? list.body.items.find((x) => x.id === id) : undefined;
    if (!t) return c.redirect('/console/templates', 303);
    const values = await formValues(c);
    const content = overrideBody(t, values);
    const path = `/v1/organization/stage-templates/${id}`;
    const res =
      values.intent === 'reset' || Object.keys(content).length === 0
        ? await api.del(path)
        : await api.put(path, { content });
    if (res.ok) return c.redirect(`/console/templates?saved=1#t-${id.replace(/\W/g, '-')}`, 303);
    return templatesPage(c, { failed: { id, values, problem: res.problem } });
  });
}
