import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Preview, Problem } from './api-client';
import {
  campaignBody,
  campaignFormFields,
  isPlaybookKind,
  PLAYBOOK_KINDS,
  PLAYBOOK_PARAMS,
  type PlaybookKind,
  previewDigest,
} from './campaign-form';
import { CasePreview, CaseSheetFields } from './case-sheet-form';
import type { ConsoleContext, ConsoleEnv, FormValues } from './env';
import {
  Checkbox,
  ErrorSummary,
  type FormErrors,
  placeErrors,
  SelectField,
  TextArea,
  TextField,
} from './form';
import { KIND_LABELS, usd, utc, widenedToLabel } from './format';
import { Bi, CsrfField } from './layout';
import { page } from './render';

function PreviewPanel(props: { preview: Preview }) {
  const { audience, stages } = props.preview;
  const cost = (c: { sms: number; email: number }) => c.sms + c.email;
  const total = stages.reduce((n, s) => n + cost(s.estimatedCost), 0);
  const widenedTotal = stages.reduce((n, s) => n + cost((s.ifWidened ?? s).estimatedCost), 0);
  const seg = (e: { encoding: string; segments: number } | null) =>
    e ? `${e.encoding}, ${e.segments}` : '—';
  return (
    <section aria-labelledby="preview-h" id="preview">
      <h2 id="preview-h">
        <Bi en="Preview" km="មើលជាមុន" />
      </h2>
      <p>
        Audience: <strong data-preview="total">{audience.total}</strong> supporters ·{' '}
        <span data-preview="sms">{audience.sms}</span> by SMS ·{' '}
        <span data-preview="email">{audience.email}</span> by email. Excluded: {audience.excluded.optedOut}{' '}
        opted out, {audience.excluded.noConsent} without consent, {audience.excluded.noContact} without
        contact details.
      </p>
      <table>
        <caption class="visually-hidden">Stages as they would go out</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">When</th>
            <th scope="col">Channel</th>
            <th scope="col">Recipients</th>
            <th scope="col">SMS English (encoding, segments)</th>
            <th scope="col">
              SMS <span lang="km">ខ្មែរ</span> (encoding, segments)
            </th>
            <th scope="col">Estimated cost</th>
          </tr>
        </thead>
        <tbody>
          {stages.flatMap((s) => [
            <tr data-stage={s.key}>
              <th scope="row">{s.key}</th>
              <td>{utc(s.scheduledAt)}</td>
              <td>{s.channel}</td>
              <td>{s.recipients}</td>
              <td data-segments="en">{seg(s.sms.en)}</td>
              <td data-segments="km">{seg(s.sms.km)}</td>
              <td>
                {usd(s.estimatedCost.sms)} SMS + {usd(s.estimatedCost.email)} email
              </td>
            </tr>,
            s.ifWidened ? (
              <tr data-stage-widened={s.key} class="widened">
                <th scope="row">
                  {s.key}, if widened
                  <span class="hint">
                    {s.ifWidened.by.map(
                      (w) =>
                        ` after ${w.stageKey} if under ${Math.round(w.ifActionRateBelow * 100)}% act: + supporters tagged ${widenedToLabel(w.widenTo.tags)}`,
                    )}
                  </span>
                </th>
                <td>{utc(s.scheduledAt)}</td>
                <td>{s.channel}</td>
                <td data-widened-recipients>{s.ifWidened.recipients}</td>
                <td>{seg(s.ifWidened.sms.en)}</td>
                <td>{seg(s.ifWidened.sms.km)}</td>
                <td>
                  {usd(s.ifWidened.estimatedCost.sms)} SMS + {usd(s.ifWidened.estimatedCost.email)} email
                </td>
              </tr>
            ) : null,
          ])}
        </tbody>
      </table>
      <p>
        Estimated total: <strong data-preview="cost">{usd(total)}</strong>
        {widenedTotal !== total ? (
          <>
            {' '}
            as launched; <strong data-preview="widened-cost">{usd(widenedTotal)}</strong> if every widening
            fires
          </>
        ) : null}{' '}
        (USD; placeholders filled with sample values).
      </p>
      <CasePreview preview={props.preview} />
    </section>
  );
}

function CampaignForm(props: {
  kind: PlaybookKind;
  values: FormValues;
  errors: FormErrors;
  csrf: string;
  idempotencyKey: string;
  previewed?: { digest: string; preview: Preview };
}) {
  const { kind, values: v, errors } = props;
  const playbook = PLAYBOOK_PARAMS[kind];
  const message = (l: 'en' | 'km', name: string, km: string) => (
    <fieldset>
      <legend>
        <Bi en={name} km={km} />
      </legend>
      <TextArea
        path={`content.${l}.sms`}
        label="SMS text"
        lang={l}
        value={v[`content.${l}.sms`]}
        errors={errors}
        sms
      />
      <TextField
        path={`content.${l}.subject`}
        label="Email subject"
        lang={l}
        value={v[`content.${l}.subject`]}
        errors={errors}
      />
      <TextArea
        path={`content.${l}.body`}
        label="Email body"
        lang={l}
        rows={5}
        value={v[`content.${l}.body`]}
        errors={errors}
      />
    </fieldset>
  );
  return (
    <form method="post" action={`/console/campaigns/new?kind=${kind}`} novalidate>
      <CsrfField csrf={props.csrf} />
      <input type="hidden" name="_idempotencyKey" value={props.idempotencyKey} />
      {props.previewed ? <input type="hidden" name="_previewed" value={props.previewed.digest} /> : null}
      <TextField
        path="title"
        label={<Bi en="Title" km="ចំណងជើង" />}
        value={v.title}
        errors={errors}
        required
      />
      <fieldset>
        <legend>Playbook parameters</legend>
        <p class="hint">{playbook.summary}</p>
        {playbook.params.map((p) => (
          <TextField
            path={p.path}
            type={p.type === 'tags' ? 'text' : p.type}
            label={p.km ? <Bi en={p.label} km={p.km} /> : p.label}
            hint={p.hint}
            value={v[p.path]}
            errors={errors}
            required={p.required}
          />
        ))}
      </fieldset>
      {kind === 'case_alert' ? <CaseSheetFields values={v} errors={errors} /> : null}
      <p class="hint">
        Placeholders:{' '}
        {'{{firstName}} {{actionUrl}} {{unsubscribeUrl}} {{caseName}} {{caseNumber}} {{targets}}'}
      </p>
      <div class="cols">
        {message('en', 'English', 'អង់គ្លេស')}
        {message('km', 'Khmer', 'ភាសាខ្មែរ')}
      </div>
      <fieldset>
        <legend>
          <Bi en="Action" km="សកម្មភាព" />
          {playbook.actionRequired ? ' (required)' : ''}
        </legend>
        <TextField
          path="action.url"
          type="url"
          label="Action page URL"
          value={v['action.url']}
          errors={errors}
        />
        <TextArea
          path="action.targets"
          label="Targets"
          hint={
            kind === 'case_alert'
              ? 'One per line: Name | Title | email (or fill the case sheet table above, which adds salutation, language and address)'
              : 'One per line: Name | Title | email'
          }
          value={v['action.targets']}
          errors={errors}
        />
      </fieldset>
      <fieldset>
        <legend>Audience and timing</legend>
        <TextField
          path="audience.tags.include"
          label="Only supporters tagged"
          hint="Comma-separated; empty means everyone."
          value={v['audience.tags.include']}
          errors={errors}
        />
        <TextField
          path="audience.tags.exclude"
          label="Leave out supporters tagged"
          value={v['audience.tags.exclude']}
          errors={errors}
        />
        <TextField
          path="launchAt"
          type="datetime-local"
          label="Launch at (UTC)"
          hint="Empty: now."
          value={v.launchAt}
          errors={errors}
        />
        <Checkbox
          path="options.quietHours"
          label="Respect quiet hours (SMS only 09:00–20:00 in each supporter's time zone)"
          checked={v['options.quietHours'] === 'on'}
          errors={errors}
        />
        <SelectField
          path="options.doneThankYou"
          label="Thank supporters who reply DONE (once each; costs a segment)"
          value={v['options.doneThankYou'] ?? ''}
          errors={errors}
          options={[
            { value: '', label: "As the organization's settings say" },
            { value: 'yes', label: 'Yes, for this campaign' },
            { value: 'no', label: 'No, not for this campaign' },
          ]}
        />
      </fieldset>
      {props.previewed ? <PreviewPanel preview={props.previewed.preview} /> : null}
      <div class="controls">
        <button type="submit" name="intent" value="preview">
          <Bi en={props.previewed ? 'Preview again' : 'Preview'} km="មើលជាមុន" />
        </button>
        {props.previewed ? (
          <button type="submit" name="intent" value="launch" class="primary">
            <Bi en="Launch campaign" km="ចាប់ផ្ដើម" />
          </button>
        ) : null}
      </div>
    </form>
  );
}

function newCampaignPage(
  c: ConsoleContext,
  kind: PlaybookKind,
  opts: {
    values: FormValues;
    problem?: Problem;
    idempotencyKey: string;
    previewed?: { digest: string; preview: Preview };
    notice?: string;
  },
) {
  const errors = placeErrors(opts.problem, campaignFormFields(kind));
  return page(
    c,
    {
      title: 'New campaign',
      section: 'new',
      status: (opts.problem?.status ?? 200) as ContentfulStatusCode,
    },
    <>
      <h1>
        New campaign: {KIND_LABELS[kind]?.en}{' '}
        <span class="km" lang="km">
          {KIND_LABELS[kind]?.km}
        </span>
      </h1>
      <p>
        <a href="/console/campaigns/new">Choose another playbook</a>
      </p>
      {opts.notice ? (
        <p class="notice" role="status">
          {opts.notice}
        </p>
      ) : null}
      <ErrorSummary errors={errors} />
      <CampaignForm
        kind={kind}
        values={opts.values}
        errors={errors}
        csrf={c.get('session').csrf}
        idempotencyKey={opts.idempotencyKey}
        previewed={opts.previewed}
      />
    </>,
  );
}

export function registerNewCampaignRoutes(app: Hono<ConsoleEnv>) {
  app.get('/campaigns/new', (c) => {
    const kind = c.req.query('kind');
    if (isPlaybookKind(kind))
      return newCampaignPage(c, kind, {
        values: { 'options.quietHours': 'on' },
        idempotencyKey: randomUUID(),
      });
    return page(
      c,
      { title: 'New campaign', section: 'new' },
      <>
        <h1>
          <Bi en="New campaign" km="យុទ្ធនាការថ្មី" />
        </h1>
        <p>Choose a playbook. Custom stage lists are launched through the API.</p>
        <ul>
          {PLAYBOOK_KINDS.map((k) => (
            <li>
              <a href={`/console/campaigns/new?kind=${k}`}>
                <Bi en={KIND_LABELS[k]?.en ?? k} km={KIND_LABELS[k]?.km ?? ''} />
              </a>
              <p class="hint">{PLAYBOOK_PARAMS[k].summary}</p>
            </li>
          ))}
        </ul>
      </>,
    );
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
