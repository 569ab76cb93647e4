import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ConsoleContext, ConsoleEnv, FormValues } from './env';
import { formValues } from './env';
import {
  ErrorSummary,
  type FormErrors,
  noErrors,
  placeErrors,
  SelectField,
  TextArea,
  TextField,
} from './form';
import { Bi, CsrfField } from './layout';
import { page } from './render';
import {
  builderFields,
  COUNT_FIELD,
  editQuestions,
  MAX_QUESTIONS,
  parseEdit,
  questionCount,
  surveyCampaignBody,
} from './survey-form';

interface SmsPreview {
  text: string;
  encoding: string;
  segments: number;
  cost: number;
}
type Preview = {
  currency: string;
  channel: 'sms' | 'email' | 'sms_then_email';
  email?: Record<'en' | 'km', { subject: string; body: string }>;
  questions: Array<
    { key: string } & Record<'en' | 'km', Record<'question' | 'reask' | 'reminder', SmsPreview>>
  >;
};

/** How each round reaches supporters (domain/survey-schema.ts SURVEY_CHANNELS). */
export const CHANNELS = [
  { value: 'sms', label: 'SMS: the questions by text message, one at a time' },
  { value: 'email', label: 'Email: a link to the whole survey as a form page' },
  { value: 'sms_then_email', label: 'Each supporter’s reachable channel: SMS, else email' },
];
const CHANNEL_KM: Record<string, string> = {
  sms: 'SMS',
  email: 'អ៊ីមែល',
  sms_then_email: 'SMS ឬអ៊ីមែល',
};

function EmailPreview(props: { email: NonNullable<Preview['email']> }) {
  return (
    <table data-email-preview>
      <thead>
        <tr>
          <th scope="col">Language</th>
          <th scope="col">Subject</th>
          <th scope="col">Body (then the “Answer the survey” button to the form page)</th>
        </tr>
      </thead>
      <tbody>
        {(['en', 'km'] as const).map((l) => (
          <tr data-email-preview-row={l}>
            <td>{l}</td>
            <td lang={l}>{props.email[l].subject}</td>
            <td>
              <pre lang={l}>{props.email[l].body}</pre>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const TYPES = [
  { value: 'choice', label: 'choice (numbered options)' },
  { value: 'yes_no', label: 'yes / no' },
  { value: 'number', label: 'number (with bounds)' },
  { value: 'text', label: 'text (a report, reviewed)' },
];

function PreviewTable(props: { preview: Preview }) {
  return (
    <section aria-labelledby="preview-h">
      <h2 id="preview-h">
        <Bi en="Preview" km="មើលសារជាមុន" />
      </h2>
      <p data-preview-channel={props.preview.channel}>
        <Bi
          en={`Channel: ${CHANNELS.find((c) => c.value === props.preview.channel)?.label ?? props.preview.channel}`}
          km={`ឆានែល៖ ${CHANNEL_KM[props.preview.channel] ?? props.preview.channel}`}
        />
      </p>
      {props.preview.email ? <EmailPreview email={props.preview.email} /> : null}
      {props.preview.channel === 'email' ? (
        <p>
          <Bi
            en="By email the questions are not sent as SMS: the SMS texts below are what an SMS round would send."
            km="តាមអ៊ីមែល សំណួរមិនត្រូវបានផ្ញើជា SMS ទេ។"
          />
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">Question</th>
            <th scope="col">Language</th>
            <th scope="col">Text</th>
            <th scope="col">Segments (asked / re-asked / reminder)</th>
            <th scope="col">{`Cost per respondent (${props.preview.currency})`}</th>
          </tr>
        </thead>
        <tbody>
          {props.preview.questions.flatMap((q) =>
            (['en', 'km'] as const).map((l) => (
              <tr data-preview={`${q.key}-${l}`}>
                <th scope="row">{q.key}</th>
                <td>{l}</td>
                <td>
                  <pre lang={l}>{q[l].question.text}</pre>
                </td>
                <td>{`${q[l].question.segments} / ${q[l].reask.segments} / ${q[l].reminder.segments} (${q[l].question.encoding})`}</td>
                <td>{q[l].question.cost.toFixed(4)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </section>
  );
}

function Builder(props: { csrf: string; values: FormValues; errors: FormErrors; preview?: Preview }) {
  const { values: v, errors } = props;
  const count = questionCount(v);
  const field = (
    path: string,
    label: string,
    km: string,
    opts: { hint?: string; lang?: 'en' | 'km' } = {},
  ) => <TextField path={path} label={<Bi en={label} km={km} />} value={v[path]} errors={errors} {...opts} />;
  return (
    <form method="post" action="/console/surveys/new" novalidate>
      <CsrfField csrf={props.csrf} />
      <ErrorSummary errors={errors} />
      {field('title', 'Title', 'ចំណងជើង')}
      {field('audience.tags.include', 'Audience tags', 'ស្លាក', {
        hint: 'Comma-separated; empty: every supporter',
      })}
      <TextArea
        path="survey.recommendations"
        label={<Bi en="UN recommendations monitored" km="អនុសាសន៍ដែលត្រូវតាមដាន" />}
        hint="One per line: id | text (e.g. UPR-110.45 | Release detained human rights defenders)"
        value={v['survey.recommendations']}
        errors={errors}
        rows={3}
      />
      <div class="row">
        {field('survey.repeat.rounds', 'Rounds', 'ជុំ', { hint: '1 = ask once' })}
        {field('survey.repeat.every', 'Every', 'រៀងរាល់', { hint: 'ISO 8601, e.g. P14D' })}
      </div>
      <SelectField
        path="survey.channel"
        label={<Bi en="Channel of each round" km="ឆានែលនៃជុំនីមួយៗ" />}
        value={v['survey.channel'] ?? 'sms'}
        errors={errors}
        options={CHANNELS}
      />
      <TextArea
        path="survey.intro.en"
        label="Email intro (English)"
        hint="By email: what the email and the form page say before the questions (optional; a default is used)"
        value={v['survey.intro.en']}
        errors={errors}
        rows={2}
        lang="en"
      />
      <TextArea
        path="survey.intro.km"
        label={<Bi en="Email intro (Khmer)" km="សេចក្តីផ្តើមអ៊ីមែល (ខ្មែរ)" />}
        value={v['survey.intro.km']}
        errors={errors}
        rows={2}
        lang="km"
      />
      <p>
        <label>
          <input
            type="checkbox"
            name="options.quietHours"
            checked={v['options.quietHours'] !== undefined || !v.title}
          />{' '}
          <Bi en="Respect quiet hours (questions due at night wait for the morning)" km="គោរពម៉ោងស្ងាត់" />
        </label>
      </p>
      <input type="hidden" name={COUNT_FIELD} value={String(count)} />
      {Array.from({ length: count }, (_, i) => {
        const p = (k: string) => `survey.questions.${i}.${k}`;
        return (
          <fieldset class="card" data-question={i}>
            <legend>{`Question ${i + 1}${i === 0 ? ' (sent as each round’s first message)' : ''}`}</legend>
            <div class="row">
              <button type="submit" name="action" value={`up:${i}`} disabled={i === 0}>
                <Bi en="Move up" km="ផ្លាស់ទីឡើង" />
              </button>
              <button type="submit" name="action" value={`down:${i}`} disabled={i === count - 1}>
                <Bi en="Move down" km="ផ្លាស់ទីចុះ" />
              </button>
              <button type="submit" name="action" value={`remove:${i}`} disabled={count === 1}>
                <Bi en="Remove" km="លុបចេញ" />
              </button>
            </div>
            <div class="row">
              {field(p('key'), 'Key', 'កូនសោ', { hint: 'e.g. q1' })}
              <SelectField
                path={p('type')}
                label={<Bi en="Type" km="ប្រភេទ" />}
                value={v[p('type')]}
                errors={errors}
                options={TYPES}
              />
              {field(p('timeout'), 'Timeout', 'រយៈពេលរង់ចាំ', { hint: 'ISO 8601, default P2D; one reminder' })}
            </div>
            <TextArea
              path={p('prompt.en')}
              label="Prompt (English)"
              value={v[p('prompt.en')]}
              errors={errors}
              sms
              rows={2}
              lang="en"
            />
            <TextArea
              path={p('prompt.km')}
              label={<Bi en="Prompt (Khmer)" km="សំណួរ (ខ្មែរ)" />}
              value={v[p('prompt.km')]}
              errors={errors}
              sms
              rows={2}
              lang="km"
            />
            <TextArea
              path={p('choices')}
              label={<Bi en="Choices" km="ជម្រើស" />}
              hint="choice questions: one per line, key | English | Khmer"
              value={v[p('choices')]}
              errors={errors}
              rows={3}
            />
            <div class="row">
              {field(p('min'), 'Min', 'អប្បបរមា')}
              {field(p('max'), 'Max', 'អតិបរមា')}
              {field(p('recommendations'), 'Recommendation ids', 'អនុសាសន៍')}
            </div>
            <TextArea
              path={p('next')}
              label={<Bi en="Skip rules" km="ច្បាប់រំលង" />}
              hint="One per line: answer -> question key (or end). Answer: a choice key, yes/no, or a range 0..10"
              value={v[p('next')]}
              errors={errors}
              rows={2}
            />
          </fieldset>
        );
      })}
      {count < MAX_QUESTIONS ? (
        <fieldset>
          <legend>
            <Bi en="Add a question" km="បន្ថែមសំណួរ" />
          </legend>
          <div class="row">
            {TYPES.map((t) => (
              <button type="submit" name="action" value={`add:${t.value}`}>
                {`+ ${t.label}`}
              </button>
            ))}
          </div>
        </fieldset>
      ) : null}
      <div class="row">
        <button type="submit" name="action" value="preview">
          <Bi en="Preview messages and cost" km="មើលជាមុន" />
        </button>
        <button type="submit" name="action" value="launch">
          <Bi en="Launch survey" km="ចាប់ផ្តើម" />
        </button>
      </div>
      {props.preview ? <PreviewTable preview={props.preview} /> : null}
    </form>
  );
}

async function builderPage(
  c: ConsoleContext,
  values: FormValues,
  opts: { errors?: FormErrors; preview?: Preview; status?: ContentfulStatusCode } = {},
) {
  return page(
    c,
    { title: 'New monitoring survey', section: 'new', status: opts.status },
    <>
      <h1>
        <Bi en="New monitoring survey" km="ការស្ទង់មតិតាមដានថ្មី" />
      </h1>
      <p>
        Add, remove and reorder questions; each button re-draws the form, with or without JavaScript. Answers
        are kept against a pseudonymous respondent id only.
      </p>
      <Builder
        csrf={c.get('session').csrf}
        values={values}
        errors={opts.errors ?? noErrors()}
        preview={opts.preview}
      />
    </>,
  );
}

export function registerSurveyBuilder(app: Hono<ConsoleEnv>) {
  app.get('/surveys/new', (c) =>
    builderPage(c, {
      'survey.questions.0.key': 'q1',
      'survey.questions.0.type': 'yes_no',
      [COUNT_FIELD]: '1',
      'survey.repeat.rounds': '1',
      'survey.repeat.every': 'P14D',
    }),
  );
  app.post('/surveys/new', async (c) => {
    const form = await formValues(c);
    const edit = parseEdit(form.action);
    // Add / remove / move: the same form again, re-numbered; nothing is sent to the API.
    if (edit) return builderPage(c, editQuestions(form, edit));
    const v = form;
    const body = surveyCampaignBody(v);
    const fields = builderFields(questionCount(v));
    const api = c.get('api');
    if (v.action === 'preview') {
      const res = await api.post<Preview>('/v1/surveys/preview', {
        survey: body.survey,
        ...(body.title.trim() ? { title: body.title } : {}),
      });
      if (res.ok) return builderPage(c, v, { preview: res.body });
      return builderPage(c, v, { errors: placeErrors(res.problem, fields), status: 400 });
    }
    const res = await api.post<{ id: string }>('/v1/campaigns', body);
    if (res.ok) return c.redirect(`/console/campaigns/${res.body.id}?launched=1`, 303);
    return builderPage(c, v, {
      errors: placeErrors(res.problem, fields),
      status: res.status as ContentfulStatusCode,
    });
  });
}
