import { randomBytes } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  type FormSubmission,
  loadSurveyForm,
  recordFormAnswers,
  type SurveyFormLink,
} from '../../db/survey-form';
import { type FormFields, readSurveyForm } from '../../domain/survey-form-answers';
import type { AppDeps, AppEnv } from '../context';
import { ProblemError, problemBody, problemResponse } from '../errors/problem';
import { problem } from '../schemas/common';
import { type FormNotice, SurveyFormNotFound, SurveyFormPage } from '../survey-form/page';
import type { FormLocale } from '../survey-form/text';

/**
 * The email form of a monitoring round (DESIGN.md section 11): the round's email links to
 * `/a/<token>` (the delivery's link token: signed, reveals no supporter), which shows every
 * question of the survey on one page; `POST /a/<token>/survey` records the answers in the same
 * tables as SMS answers (db/survey-form.ts). Works without JavaScript; nothing of the answers is
 * logged.
 */

const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;
const NO_STORE = { 'cache-control': 'no-store', 'x-robots-tag': 'noindex, nofollow' };
const csp = (nonce: string) =>
  `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

/** `POST /a/:token/survey` as JSON: each asked question's answer by key (choice key, yes/no, number, text). */
export const surveyFormJsonSchema = z
  .strictObject({
    answers: z.record(
      z.string().max(40),
      z.union([z.string().max(8000), z.number().finite()]).openapi({ example: '១២' }),
    ),
  })
  .openapi('SurveyFormAnswers', {
    example: { answers: { released: 'yes', count: '១២', report: 'Two defenders were released' } },
  });

const localeOf = (c: Context, fallback: FormLocale): FormLocale => {
  const q = c.req.query('lang');
  return q === 'en' || q === 'km' ? q : fallback;
};

type PageState = { notice?: FormNotice; values?: FormFields; errors?: Record<string, string> };

async function formResponse(
  c: Context,
  token: string,
  form: SurveyFormLink | undefined,
  state: PageState = {},
  status: 200 | 400 | 404 | 409 = 200,
) {
  const nonce = randomBytes(16).toString('base64');
  const body = form ? (
    <SurveyFormPage
      token={token}
      nonce={nonce}
      locale={localeOf(c, form.locale)}
      orgName={form.orgName}
      title={form.campaignTitle}
      round={form.round}
      rounds={form.survey.repeat?.rounds ?? 1}
      survey={form.survey}
      {...state}
    />
  ) : (
    <SurveyFormNotFound nonce={nonce} />
  );
  return c.html(`<!doctype html>${await body.toString()}`, form ? status : 404, {
    ...NO_STORE,
    'content-security-policy': csp(nonce),
  });
}

/** Why a round takes no answer from this respondent now, if it does not. */
function refusal(form: SurveyFormLink): FormNotice | undefined {
  if (form.session === 'over') return 'already';
  if (form.session === 'open_answered') return 'by_sms';
  if (form.closed || form.session === 'over_unanswered') return 'closed';
  return undefined;
}

const NOTICE_PROBLEM = {
  already: ['survey-already-answered', 'This round of the survey is already answered.'],
  by_sms: ['survey-already-answered', 'This round is being answered by SMS.'],
  closed: ['survey-closed', 'This round of the survey takes no more answers.'],
} as const;

/**
 * GET /a/:token of a monitoring round: the form, or why it takes no answers (already answered,
 * answering by SMS, closed). A GET changes nothing (mail scanners fetch links) and records no click:
 * who opened a survey is not kept beside them.
 */
export async function serveSurveyForm(c: Context, token: string, form: SurveyFormLink) {
  const notice = refusal(form);
  return formResponse(c, token, form, notice ? { notice } : {});
}

/** Whether a link token is a monitoring round's (its page is the survey form). */
export async function surveyFormOf(deps: AppDeps, token: string): Promise<SurveyFormLink | undefined> {
  return TOKEN.test(token) ? loadSurveyForm(deps.sql, token) : undefined;
}

async function readInput(c: Context): Promise<{ html: boolean; fields: FormFields }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ProblemError('invalid-input', 'Body is not JSON');
    }
    const parsed = surveyFormJsonSchema.safeParse(body);
    if (!parsed.success)
      throw new ProblemError(
        'invalid-input',
        'Invalid answers',
        parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
      );
    return {
      html: false,
      fields: Object.fromEntries(Object.entries(parsed.data.answers).map(([k, v]) => [k, String(v)])),
    };
  }
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    const body = await c.req.parseBody();
    const fields: FormFields = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') fields[k] = v;
    return { html: true, fields };
  }
  throw new ProblemError(
    'unsupported-media-type',
    'Send application/x-www-form-urlencoded (the page) or application/json',
  );
}

export function registerSurveyFormRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.post('/a/:token/survey', async (c) => {
    const token = c.req.param('token');
    const form = await surveyFormOf(deps, token);
    const { html, fields } = await readInput(c);
    if (!form) {
      if (html) return formResponse(c, token, undefined);
      return problemResponse(c, problemBody('not-found', 'Unknown link'));
    }
    const locale = localeOf(c, form.locale);
    const refuse = (notice: FormNotice) => {
      if (html) return formResponse(c, token, form, { notice }, 409);
      const [code, detail] = NOTICE_PROBLEM[notice as keyof typeof NOTICE_PROBLEM];
      return problemResponse(c, problemBody(code, detail));
    };
    const early = refusal(form);
    if (early) return refuse(early);
    const reading = readSurveyForm(form.survey, fields, locale);
    if (!reading.ok) {
      if (html) return formResponse(c, token, form, { values: fields, errors: reading.errors }, 400);
      const errors = Object.entries(reading.errors).map(([key, message]) => ({
        path: `answers.${key}`,
        message,
      }));
      return problemResponse(
        c,
        problemBody('invalid-input', `Invalid ${errors.map((e) => e.path).join(', ')}`, errors),
      );
    }
    const result: FormSubmission = await deps.sql.begin((tx) =>
      recordFormAnswers(tx, form, reading.answers, new Date()),
    );
    if (result.status === 'already_answered') return refuse('already');
    if (result.status === 'answering_by_sms') return refuse('by_sms');
    if (result.status === 'closed') return refuse('closed');
    // Counts only: nothing of the answers, and no supporter id, in the log.
    deps.log.info(
      { campaignId: form.campaignId, round: form.round, answers: result.answers },
      'survey form answered',
    );
    if (html) return formResponse(c, token, form, { notice: 'thanks' });
    return c.json(
      { status: 'recorded' as const, answers: result.answers, skipped: reading.skipped },
      201,
      NO_STORE,
    );
  });
  registerSurveyFormDocs(app);
}

function registerSurveyFormDocs(app: OpenAPIHono<AppEnv>) {
  const param = [{ name: 'token', in: 'path' as const, required: true, schema: { type: 'string' as const } }];
  app.openAPIRegistry.register('SurveyFormAnswers', surveyFormJsonSchema);
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/a/{token}/survey',
    tags: ['supporter links'],
    summary:
      "Answers a monitoring round's survey form (the page posts application/x-www-form-urlencoded and gets HTML; JSON gets JSON). Once per respondent and round.",
    parameters: param,
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: surveyFormJsonSchema },
          'application/x-www-form-urlencoded': {
            schema: z
              .record(z.string(), z.string())
              .openapi({ example: { released: 'no', report: 'Nobody' } }),
          },
        },
      },
    },
    responses: {
      200: { description: 'HTML: the thank-you page (form posts)' },
      201: {
        description: 'JSON: the answers were recorded',
        content: {
          'application/json': {
            schema: z.object({
              status: z.literal('recorded'),
              answers: z.number().int(),
              skipped: z.array(z.string()).openapi({ description: 'Question keys the skip rules skipped' }),
            }),
          },
        },
      },
      400: problem('An answer is missing or does not fit its question (errors name answers.<key>)', [
        'invalid-input',
      ]),
      404: problem('Unknown link', ['not-found']),
      409: problem('Already answered (by the form or SMS), or the round is closed', [
        'survey-already-answered',
        'survey-closed',
      ]),
      415: problem('Neither a form post nor JSON', ['unsupported-media-type']),
    },
  });
}
