import type { FormFields } from '../../domain/survey-form-answers';
import type { Survey, SurveyQuestion } from '../../domain/survey-schema';
import { FORM_TEXT, type FormLocale } from './text';

/** What the page shows: the form (again, with errors), or one of the ends. */
export type FormNotice = 'thanks' | 'already' | 'by_sms' | 'closed';

export interface SurveyFormPageProps {
  token: string;
  locale: FormLocale;
  nonce: string;
  orgName: string;
  title: string;
  round: number;
  /** Shown only when the survey repeats. */
  rounds: number;
  survey: Survey;
  notice?: FormNotice;
  values?: FormFields;
  /** Per question key, the message shown beside its field. */
  errors?: Record<string, string>;
}

const CSS = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Khmer","Khmer OS",sans-serif;max-width:42rem;margin:0 auto;padding:1rem;line-height:1.55;color:#1b1b1b;background:#fff}
:lang(km){font-family:"Noto Sans Khmer","Khmer OS","Khmer OS System",system-ui,sans-serif;line-height:1.9}
header{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;border-bottom:3px solid #f5c400;padding-bottom:.5rem}
h1{font-size:1.5rem;margin:.8rem 0}
.notice{padding:.6rem .8rem;border-radius:4px;background:#e7f6e7;border:1px solid #4a9a4a}
.notice.warn{background:#fff4e0;border-color:#c77f00}
fieldset{border:1px solid #ccc;border-radius:6px;padding:.8rem;margin:1rem 0}
legend{font-weight:700;padding:0 .3rem}
.prompt{font-weight:600;margin:.2rem 0 .5rem}
.choice{display:flex;gap:.5rem;align-items:baseline;margin:.25rem 0}
.muted{color:#555;font-size:.92rem;margin:.3rem 0}
input[type=text]{font:inherit;padding:.4rem;width:12rem}
textarea{width:100%;min-height:8rem;font:inherit;padding:.5rem}
button{font:inherit;padding:.55rem 1.1rem;margin-top:.6rem;border:1px solid #222;border-radius:4px;background:#f5c400;cursor:pointer}
.error{color:#a00000;font-weight:600;margin:.2rem 0}
[aria-invalid=true]{border:2px solid #a00000}
footer{margin-top:2rem;font-size:.9rem}
`;

const id = (q: SurveyQuestion, suffix = '') => `q-${q.key}${suffix}`;

/** How a skip rule reads on paper: "If you answer “No”, skip to question 3." */
function ruleNotes(survey: Survey, q: SurveyQuestion, locale: FormLocale): string[] {
  const t = FORM_TEXT[locale];
  return (q.next ?? []).map((rule) => {
    const cond = rule.if;
    const answer =
      'choice' in cond
        ? (q.choices?.find((c) => c.key === cond.choice)?.label[locale] ?? cond.choice)
        : 'answer' in cond
          ? cond.answer === 'yes'
            ? t.yes
            : t.no
          : t.range(cond.min, cond.max);
    if (rule.goto === 'end') return t.endIf(answer);
    const to = survey.questions.findIndex((x) => x.key === rule.goto) + 1;
    return t.skipTo(answer, String(to));
  });
}

function Radios(props: {
  q: SurveyQuestion;
  options: Array<{ value: string; label: string }>;
  value?: string;
  invalid: boolean;
}) {
  return (
    <>
      {props.options.map((o) => (
        <label class="choice" for={id(props.q, `-${o.value}`)}>
          <input
            type="radio"
            id={id(props.q, `-${o.value}`)}
            name={props.q.key}
            value={o.value}
            checked={props.value === o.value}
            aria-invalid={props.invalid ? 'true' : undefined}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </>
  );
}

function Question(props: { survey: Survey; q: SurveyQuestion; n: number } & SurveyFormPageProps) {
  const { q, locale } = props;
  const t = FORM_TEXT[locale];
  const value = props.values?.[q.key];
  const error = props.errors?.[q.key];
  const invalid = error !== undefined;
  const described = [error ? id(q, '-error') : '', id(q, '-hint')].filter(Boolean).join(' ');
  let field: unknown;
  let hint: string | undefined;
  if (q.type === 'choice')
    field = (
      <Radios
        q={q}
        options={(q.choices ?? []).map((c) => ({ value: c.key, label: c.label[locale] }))}
        value={value}
        invalid={invalid}
      />
    );
  else if (q.type === 'yes_no')
    field = (
      <Radios
        q={q}
        options={[
          { value: 'yes', label: t.yes },
          { value: 'no', label: t.no },
        ]}
        value={value}
        invalid={invalid}
      />
    );
  else if (q.type === 'number') {
    hint = t.between(q.min, q.max);
    // type=text: a number field would refuse Khmer digits; the server reads ១២ as 12.
    field = (
      <input
        type="text"
        inputmode="decimal"
        id={id(q, '-input')}
        name={q.key}
        value={value ?? ''}
        aria-describedby={described}
        aria-invalid={invalid ? 'true' : undefined}
      />
    );
  } else {
    hint = t.textHint;
    field = (
      <textarea
        id={id(q, '-input')}
        name={q.key}
        maxlength={1600}
        aria-describedby={described}
        aria-invalid={invalid ? 'true' : undefined}
      >
        {value ?? ''}
      </textarea>
    );
  }
  return (
    <fieldset id={id(q)} data-question={q.key} data-type={q.type}>
      <legend>{t.question(props.n)}</legend>
      <p class="prompt">
        {q.type === 'number' || q.type === 'text' ? (
          <label for={id(q, '-input')}>{q.prompt[locale]}</label>
        ) : (
          q.prompt[locale]
        )}
      </p>
      {error ? (
        <p class="error" id={id(q, '-error')} role="alert">
          {error}
        </p>
      ) : null}
      {field}
      {hint ? (
        <p class="muted" id={id(q, '-hint')}>
          {hint}
        </p>
      ) : null}
      {ruleNotes(props.survey, q, locale).map((note) => (
        <p class="muted" data-skip-note>
          {note}
        </p>
      ))}
    </fieldset>
  );
}

/** The hosted survey form (`/a/<token>`): every question on one page, in the supporter's language. */
export function SurveyFormPage(props: SurveyFormPageProps) {
  const { locale, survey } = props;
  const t = FORM_TEXT[locale];
  const other: FormLocale = locale === 'en' ? 'km' : 'en';
  const errors = Object.keys(props.errors ?? {}).length > 0;
  const notice = props.notice;
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <style nonce={props.nonce}>{CSS}</style>
      </head>
      <body>
        <header>
          <span>{props.orgName}</span>
          <a href={`/a/${props.token}?lang=${other}`} hreflang={other} lang={other}>
            {FORM_TEXT[other].lang}
          </a>
        </header>
        <main>
          <h1>{props.title}</h1>
          {props.rounds > 1 ? <p class="muted">{t.round(props.round)}</p> : null}
          {notice ? (
            <p class={notice === 'thanks' ? 'notice' : 'notice warn'} data-notice={notice} role="status">
              {notice === 'thanks'
                ? t.thanks
                : notice === 'already'
                  ? t.already
                  : notice === 'by_sms'
                    ? t.bySms
                    : t.closed}
            </p>
          ) : (
            <form method="post" action={`/a/${props.token}/survey?lang=${locale}`} novalidate>
              <p>{survey.intro?.[locale] ?? t.intro}</p>
              <p class="muted">{t.required}</p>
              {errors ? (
                <p class="notice warn" role="alert" data-error-summary>
                  {t.fix}
                </p>
              ) : null}
              {survey.questions.map((q, i) => (
                <Question {...props} survey={survey} q={q} n={i + 1} />
              ))}
              <button type="submit">{t.submit}</button>
            </form>
          )}
        </main>
        <footer>
          <a href={`/u/${props.token}`}>{t.unsubscribe}</a>
        </footer>
      </body>
    </html>
  );
}

/** An unknown or expired link: said in both languages (whose language is unknown). */
export function SurveyFormNotFound(props: { nonce: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>Survey</title>
        <style nonce={props.nonce}>{CSS}</style>
      </head>
      <body>
        <p>{FORM_TEXT.en.invalid}</p>
        <p lang="km">{FORM_TEXT.km.invalid}</p>
      </body>
    </html>
  );
}
