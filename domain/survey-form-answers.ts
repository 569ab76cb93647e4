import { z } from 'zod';
import type { Locale } from './content-schema';
import { nextQuestionKey } from './survey-flow';
import { latinDigits, MAX_REPORT_CHARS, type SurveyValue } from './survey-reply';
import type { Survey, SurveyQuestion } from './survey-schema';

/**
 * The survey's form page (api/routes/survey-form.tsx) as pure code: which questions a set of posted
 * answers asks (skip logic), and each answer read and checked with zod. Field names are the
 * question keys; values are strings as a browser posts them (choice keys, `yes`/`no`, a number in
 * Latin or Khmer digits, free text). A question the `next` rules skip is not required and its value
 * is ignored; the server decides, whatever a script in the page hid.
 */

export type FormFields = Record<string, string | undefined>;

export type FormReading =
  | { ok: true; answers: Array<{ questionKey: string; value: SurveyValue }>; skipped: string[] }
  | {
      ok: false;
      /** Per question key, the message shown beside its field in the page's language. */
      errors: Record<string, string>;
      answers: Array<{ questionKey: string; value: SurveyValue }>;
      skipped: string[];
    };

// Khmer wording to be reviewed by the organization's native speakers.
const MESSAGES = {
  en: {
    required: 'Please answer this question.',
    choice: 'Choose one of the answers.',
    number: 'Enter a number, e.g. 12 or ១២.',
    atLeast: (n: number) => `Enter a number of at least ${n}.`,
    atMost: (n: number) => `Enter a number of at most ${n}.`,
    text: 'Write a few words (letters or digits).',
    tooLong: `Keep it under ${MAX_REPORT_CHARS} characters.`,
  },
  km: {
    required: 'សូមឆ្លើយសំណួរនេះ។',
    choice: 'សូមជ្រើសរើសចម្លើយមួយ។',
    number: 'សូមបញ្ចូលលេខ ឧ. ១២ ឬ 12។',
    atLeast: (n: number) => `សូមបញ្ចូលលេខយ៉ាងហោចណាស់ ${n}។`,
    atMost: (n: number) => `សូមបញ្ចូលលេខមិនលើសពី ${n}។`,
    text: 'សូមសរសេរពាក្យខ្លះៗ (អក្សរ ឬលេខ)។',
    tooLong: `សូមសរសេរតិចជាង ${MAX_REPORT_CHARS} តួអក្សរ។`,
  },
} as const;

/** `1,200`, `3.5`, `៣,៥`, `-2`: one number and nothing else (a form field, unlike an SMS, is only the number). */
export function parseFormNumber(raw: string): number | undefined {
  const text = latinDigits(raw)
    .trim()
    .replace(/(\d)[,\s](\d{3})(?!\d)/g, '$1$2');
  if (!/^-?\d+(?:[.,]\d+)?$/.test(text)) return undefined;
  const n = Number(text.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

/** The zod schema of one question's field: a posted string in, the answer out; messages in `locale`. */
export function answerSchema(q: SurveyQuestion, locale: Locale): z.ZodType<SurveyValue, string> {
  const m = MESSAGES[locale];
  const given = z.string({ error: m.required }).trim().min(1, m.required);
  switch (q.type) {
    case 'choice': {
      const keys = (q.choices ?? []).map((c) => c.key);
      return given
        .refine((v) => keys.includes(v), m.choice)
        .transform((choice): SurveyValue => ({ type: 'choice', choice }));
    }
    case 'yes_no':
      return given
        .pipe(z.enum(['yes', 'no'], { error: m.choice }))
        .transform((choice): SurveyValue => ({ type: 'yes_no', choice }));
    case 'number': {
      let n = z.number({ error: m.number });
      if (q.min !== undefined) n = n.min(q.min, m.atLeast(q.min));
      if (q.max !== undefined) n = n.max(q.max, m.atMost(q.max));
      return given
        .transform((v) => parseFormNumber(v) ?? Number.NaN)
        .pipe(n)
        .transform((number): SurveyValue => ({ type: 'number', number }));
    }
    case 'text':
      return given
        .transform((v) => v.normalize('NFC').replace(/\r\n?/g, '\n'))
        .refine((v) => /[\p{L}\p{N}]/u.test(v), m.text)
        .refine((v) => [...v].length <= MAX_REPORT_CHARS, m.tooLong)
        .transform((text): SurveyValue => ({ type: 'text', text }));
  }
}

/**
 * Reads a posted form: walks the survey from its first question, following each valid answer's
 * skip rules (an invalid or missing answer is followed by the next question in order, so its
 * errors are shown too); questions off the path are `skipped`. `ok` when every asked question has
 * a valid answer.
 */
export function readSurveyForm(survey: Survey, fields: FormFields, locale: Locale): FormReading {
  const answers: Array<{ questionKey: string; value: SurveyValue }> = [];
  const errors: Record<string, string> = {};
  const asked = new Set<string>();
  let key: string | null = survey.questions[0]!.key;
  while (key !== null && !asked.has(key)) {
    asked.add(key);
    const q: SurveyQuestion = survey.questions.find((x) => x.key === key)!;
    const parsed = answerSchema(q, locale).safeParse(fields[q.key] ?? undefined);
    if (parsed.success) {
      answers.push({ questionKey: q.key, value: parsed.data });
      key = nextQuestionKey(survey, q, parsed.data);
    } else {
      errors[q.key] = parsed.error.issues[0]?.message ?? MESSAGES[locale].required;
      key = survey.questions[survey.questions.indexOf(q) + 1]?.key ?? null;
    }
  }
  const skipped = survey.questions.map((q) => q.key).filter((k) => !asked.has(k));
  return Object.keys(errors).length === 0
    ? { ok: true, answers, skipped }
    : { ok: false, errors, answers, skipped };
}
