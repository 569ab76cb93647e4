import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import { getCampaign } from '../../db/campaigns';
import {
  answerAggregates,
  answerRows,
  completionByDay,
  listReports,
  type ReportRow,
  reviewReport,
  sessionTotals,
} from '../../db/survey-results';
import { countSegments } from '../../domain/sms-segments';
import { surveyEmailContent } from '../../domain/survey-email';
import { sendText } from '../../domain/survey-flow';
import { SURVEY_CHANNELS, type Survey, surveySchema } from '../../domain/survey-schema';
import type { AppDeps, AppEnv } from '../context';
import { badRequest, notFound } from '../errors/problem';
import { requireRole } from '../middleware/auth';
import { errorResponses, IdParam, json, security } from '../schemas/common';
import { audit } from '../services/audit';
import { csvField, questionResults, recommendationResults } from '../services/survey-results';

const QuestionResult = z
  .object({
    key: z.string(),
    type: z.string(),
    prompt: z.object({ en: z.string(), km: z.string() }),
    answers: z.number().int(),
    counts: z.record(z.string(), z.number().int()),
    stats: z.object({ min: z.number(), max: z.number(), mean: z.number() }).optional(),
    choices: z
      .array(z.object({ key: z.string(), label: z.object({ en: z.string(), km: z.string() }) }))
      .optional(),
    recommendations: z.array(z.string()),
  })
  .openapi('SurveyQuestionResult');

const ResultsSchema = z
  .object({
    respondents: z.number().int(),
    completed: z.number().int(),
    asked: z.number().int(),
    incomplete: z.number().int(),
    stopped: z.number().int(),
    open: z.number().int(),
    completionRate: z.number().nullable(),
    completionByDay: z.array(z.object({ day: z.string(), completed: z.number().int() })),
    questions: z.array(QuestionResult),
    recommendations: z.array(
      z.object({ id: z.string(), text: z.string(), questions: z.array(QuestionResult) }),
    ),
  })
  .openapi('SurveyResults');

const EmailPreview = z.object({ subject: z.string(), body: z.string() });

const RoundQuery = z.object({ round: z.coerce.number().int().min(1).max(52).optional() });

const Report = z
  .object({
    id: z.string(),
    campaignId: z.string(),
    respondent: z.string(),
    round: z.number().int(),
    question: z.string(),
    text: z.string(),
    answeredAt: z.string(),
    status: z.enum(['pending', 'verified', 'rejected']),
    note: z.string().nullable(),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.string().nullable(),
  })
  .openapi('Report');

const toReport = (r: ReportRow): z.infer<typeof Report> => ({
  id: r.id,
  campaignId: r.campaign_id,
  respondent: r.respondent_id,
  round: r.round,
  question: r.question_key,
  text: r.text_value,
  answeredAt: r.answered_at.toISOString(),
  status: r.review_status,
  note: r.review_note,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at?.toISOString() ?? null,
});

const resultsRoute = createRoute({
  method: 'get',
  path: '/v1/campaigns/{id}/results',
  tags: ['surveys'],
  summary:
    'Results of a monitoring survey: counts per choice, number statistics, completion, per recommendation',
  security,
  request: { params: IdParam, query: RoundQuery },
  responses: {
    200: json(ResultsSchema, 'Published results (verified reports only; no contact details)'),
    ...errorResponses,
  },
});

const csvRoute = createRoute({
  method: 'get',
  path: '/v1/campaigns/{id}/results.csv',
  tags: ['surveys'],
  summary:
    'One row per published answer: respondent,question,answer,answeredAt,round (pseudonymous respondent)',
  security,
  request: { params: IdParam },
  responses: {
    200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } },
    ...errorResponses,
  },
});

const ReportsQuery = z.object({
  campaignId: z.uuid().optional(),
  status: z.enum(['pending', 'verified', 'rejected']).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const reportsRoute = createRoute({
  method: 'get',
  path: '/v1/reports',
  tags: ['surveys'],
  summary: 'Free-text reports from monitoring surveys (the review queue), newest first',
  security,
  request: { query: ReportsQuery },
  responses: {
    200: json(z.object({ items: z.array(Report), nextCursor: z.string().nullable() }), 'Reports'),
    ...errorResponses,
  },
});

const ReportParam = z.object({
  id: z
    .string()
    .regex(/^\d{1,18}$/)
    .openapi({ param: { name: 'id', in: 'path' }, example: '42' }),
});

const reviewRoute = createRoute({
  method: 'post',
  path: '/v1/reports/{id}/review',
  tags: ['surveys'],
  summary: 'Verify or reject a report; only verified reports count in published results',
  security,
  request: {
    params: ReportParam,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .strictObject({
              status: z.enum(['verified', 'rejected']),
              note: z.string().trim().max(2000).optional(),
            })
            .openapi({
              example: { status: 'verified', note: 'Confirmed by a second report and a press article' },
            }),
        },
      },
    },
  },
  responses: { 200: json(Report, 'The report as reviewed'), ...errorResponses },
});

const SmsPreview = z.object({
  text: z.string(),
  encoding: z.string(),
  segments: z.number().int(),
  cost: z.number(),
});
const BySend = z.object({ question: SmsPreview, reask: SmsPreview, reminder: SmsPreview });
const previewRoute = createRoute({
  method: 'post',
  path: '/v1/surveys/preview',
  tags: ['surveys'],
  summary:
    "Each question's SMS per language (as asked, re-asked with a hint, reminded): text, segments, cost",
  security,
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ survey: z.unknown(), title: z.string().max(200).optional() }).openapi({
            example: {
              survey: {
                questions: [
                  {
                    key: 'q1',
                    type: 'yes_no',
                    prompt: { en: 'Were defenders released?', km: 'តើអ្នកការពារសិទ្ធិត្រូវបានដោះលែងទេ?' },
                  },
                ],
              },
            },
          }),
        },
      },
    },
  },
  responses: {
    200: json(
      z
        .object({
          currency: z.literal('USD'),
          channel: z.enum(SURVEY_CHANNELS).openapi({ description: 'How each round reaches supporters' }),
          questions: z.array(z.object({ key: z.string(), en: BySend, km: BySend })),
          email: z.object({ en: EmailPreview, km: EmailPreview }).optional().openapi({
            description: 'The round email (channel email or sms_then_email): its link opens the form page',
          }),
        })
        .openapi('SurveyPreview'),
      'Per question and language',
    ),
    ...errorResponses,
  },
});

export function registerSurveyRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { sql } = deps;
  for (const path of ['/v1/reports', '/v1/reports/*', '/v1/surveys/*'])
    app.use(path, requireRole(sql, ['organizer', 'admin']));

  app.openapi(previewRoute, async (c) => {
    const parsed = surveySchema.safeParse(c.req.valid('json').survey);
    if (!parsed.success)
      throw badRequest(
        'Invalid survey',
        parsed.error.issues.map((i) => ({ path: ['survey', ...i.path].join('.'), message: i.message })),
      );
    const survey = parsed.data;
    const channel = survey.channel ?? 'sms';
    const title = c.req.valid('json').title?.trim() || 'Survey';
    const price = deps.config.SMS_PRICE_PER_SEGMENT;
    const sms = (text: string) => {
      const count = countSegments(text);
      return {
        text,
        encoding: count.encoding,
        segments: count.segments,
        cost: Math.round(count.segments * price * 10_000) / 10_000,
      };
    };
    const forLocale = (key: string, locale: 'en' | 'km') => ({
      question: sms(sendText(survey, { questionKey: key, kind: 'question' }, locale)),
      reask: sms(sendText(survey, { questionKey: key, kind: 'reask' }, locale)),
      reminder: sms(sendText(survey, { questionKey: key, kind: 'reminder' }, locale)),
    });
    return c.json(
      {
        currency: 'USD' as const,
        channel,
        questions: survey.questions.map((q) => ({
          key: q.key,
          en: forLocale(q.key, 'en'),
          km: forLocale(q.key, 'km'),
        })),
        ...(channel === 'sms' ? {} : { email: surveyEmailContent(title, survey) }),
      },
      200,
    );
  });

  const surveyOf = async (orgId: string, id: string): Promise<Survey> => {
    const row = await getCampaign(sql, orgId, id);
    const survey =
      row?.kind === 'monitoring'
        ? surveySchema.safeParse((row.definition as { survey?: unknown }).survey)
        : undefined;
    if (!survey?.success) throw notFound('No such monitoring campaign');
    return survey.data;
  };

  app.openapi(resultsRoute, async (c) => {
    const { orgId } = c.get('principal');
    const { id } = c.req.valid('param');
    const { round } = c.req.valid('query');
    const survey = await surveyOf(orgId, id);
    const [rows, totals, byDay] = await Promise.all([
      answerAggregates(sql, orgId, id, round),
      sessionTotals(sql, orgId, id, round),
      completionByDay(sql, orgId, id),
    ]);
    const questions = questionResults(survey, rows);
    return c.json(
      {
        ...totals,
        completionRate:
          totals.asked === 0 ? null : Math.round((totals.completed / totals.asked) * 1000) / 1000,
        completionByDay: [...byDay],
        questions,
        recommendations: recommendationResults(survey, questions),
      },
      200,
    );
  });

  app.openapi(csvRoute, async (c) => {
    const { orgId } = c.get('principal');
    const { id } = c.req.valid('param');
    await surveyOf(orgId, id);
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="survey-${id}.csv"`);
    return stream(c, async (out) => {
      await out.write('respondent,question,answer,answeredAt,round\r\n');
      let after = '0';
      for (;;) {
        const rows = await answerRows(sql, orgId, id, after, 1000);
        if (rows.length === 0) break;
        const lines = rows.map((r) => {
          const answer =
            r.choice ?? (r.number_value !== null ? String(r.number_value) : (r.text_value ?? ''));
          return [r.respondent_id, r.question_key, answer, r.answered_at.toISOString(), String(r.round)]
            .map(csvField)
            .join(',');
        });
        await out.write(`${lines.join('\r\n')}\r\n`);
        after = rows[rows.length - 1]!.id;
      }
    }) as never;
  });

  app.openapi(reportsRoute, async (c) => {
    const { orgId } = c.get('principal');
    const q = c.req.valid('query');
    const rows = await listReports(sql, orgId, {
      limit: q.limit,
      ...(q.campaignId ? { campaignId: q.campaignId } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.cursor ? { beforeId: q.cursor } : {}),
    });
    const page = rows.slice(0, q.limit);
    const nextCursor = rows.length > q.limit ? page[page.length - 1]!.id : null;
    return c.json({ items: page.map(toReport), nextCursor }, 200);
  });

  app.openapi(reviewRoute, async (c) => {
    const principal = c.get('principal');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    // The review and its audit row commit together; the note and the report's text stay out of the audit log.
    const row = await sql.begin(async (tx) => {
      const reviewed = await reviewReport(tx, principal.orgId, id, {
        status: body.status,
        note: body.note ?? null,
        reviewer: principal.personId ? `person:${principal.personId}` : `token:${principal.tokenId}`,
      });
      if (reviewed) await audit(tx, principal, 'report.review', `report:${id}`, { status: body.status });
      return reviewed;
    });
    if (!row) throw notFound('No such report');
    return c.json(toReport(row), 200);
  });
}
