import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import type { ContactKeys } from '../../core/contact-key';
import { metrics } from '../../core/metrics';
import { suppressionKeys } from '../../core/runtime';
import { recordDone } from '../../db/action-events';
import type { Sql } from '../../db/client';
import { optInPhone, phoneContext, recordInbound } from '../../db/inbound';
import { clearSuppression, suppressContact } from '../../db/suppressions';
import {
  classifyReply,
  type KeywordConfig,
  mentionedKeyword,
  type ReplyIntent,
} from '../../domain/reply-keywords';
import type { AppDeps, AppEnv } from '../context';
import { bodyText } from '../middleware/body-text';
import { problem } from '../schemas/common';
import { autoAnswer } from '../services/inbound-answer';
import { applySurveyReply, nudgeSurvey, openSurveyQuestion } from '../services/survey-inbound';
import { parseForm, type TwilioWebhookRequest, verifyTwilioForm } from '../services/twilio-form';
import { TWILIO_STATUS_PATH } from '../services/twilio-status';

export const TWILIO_INBOUND_PATH = '/v1/webhooks/twilio/inbound';

const InboundForm = z.object({
  MessageSid: z.string().min(1).max(64),
  From: z.string().min(1).max(64),
  Body: z.string().max(10_000).default(''),
  // Twilio Advanced Opt-Out: when the body matched a keyword of its console (whatever the word), it decides.
  OptOutType: z.string().max(16).optional(),
});

const OPT_OUT_TYPES: Record<string, ReplyIntent> = { STOP: 'opt_out', START: 'opt_in', HELP: 'help' };

const KeywordsSchema = z
  .object({
    optOut: z.array(z.string()),
    optIn: z.array(z.string()),
    help: z.array(z.string()),
    done: z.array(z.string()),
  })
  .partial();

/** The webhook as the shared handlers take it (api/services/twilio-form.ts). */
async function webhookRequest(c: Context<AppEnv>): Promise<TwilioWebhookRequest> {
  const { pathname, search } = new URL(c.req.url);
  return {
    contentType: c.req.header('content-type'),
    signature: c.req.header('x-twilio-signature'),
    pathAndQuery: `${pathname}${search}`,
    body: await bodyText(c),
  };
}

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

function twiml(c: Context, message?: string) {
  const body = message
    ? `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${xmlEscape(message)}</Message></Response>`
    : '<?xml version="1.0" encoding="UTF-8"?><Response/>';
  return c.body(body, 200, { 'content-type': 'text/xml; charset=utf-8' });
}

/** Records the reply and acts on it, once per MessageSid; returns the TwiML message, if any. */
async function applyInbound(
  sql: Sql,
  keys: ContactKeys,
  form: z.infer<typeof InboundForm>,
): Promise<{
  intent: ReplyIntent | 'survey_answer';
  reply?: string;
  duplicate: boolean;
  matched: number;
  survey?: { campaignId: string; orgId: string; queued: boolean };
}> {
  // Every answer is recorded in this transaction with the inbound message, so a redelivery finds both.
  return sql.begin(async (tx) => {
    const ctx = await phoneContext(tx, form.From);
    const parsedKeywords = KeywordsSchema.safeParse(ctx.org?.keywords ?? {});
    const keywords = parsedKeywords.success ? (parsedKeywords.data as KeywordConfig) : undefined;
    const optOutType = OPT_OUT_TYPES[form.OptOutType?.trim().toUpperCase() ?? ''];
    const intent = optOutType ?? classifyReply(form.Body, keywords);
    // A sentence that contains a keyword is not acted on, but an organizer may want to read it.
    const needsReview = intent === 'other' && mentionedKeyword(form.Body, keywords) !== undefined;
    const owner = ctx.lastSms
      ? { orgId: ctx.lastSms.orgId, supporterId: ctx.lastSms.supporterId }
      : { orgId: ctx.supporters[0]?.orgId ?? null, supporterId: ctx.supporters[0]?.id ?? null };
    // A survey answer is kept only against its pseudonymous respondent: this row names no supporter and keeps no text.
    const question = await openSurveyQuestion(tx, ctx);
    const answering = question !== undefined && intent === 'other';
    const fresh = await recordInbound(
      tx,
      answering
        ? {
            providerId: form.MessageSid,
            orgId: question.org_id,
            supporterId: null,
            keyword: 'survey_answer',
            body: null,
          }
        : {
            providerId: form.MessageSid,
            ...owner,
            keyword: needsReview ? 'needs_review' : intent,
            body: form.Body,
          },
    );
    // A redelivery changes nothing and answers nothing: the first delivery's answer was recorded and sent once.
    const result = { intent, duplicate: !fresh, matched: ctx.supporters.length };
    if (!fresh) return answering ? { ...result, intent: 'survey_answer' as const } : result;
    if (question) {
      const outcome = await applySurveyReply(tx, question, { intent, body: form.Body, now: new Date() });
      if (outcome.handled)
        return {
          ...result,
          intent: 'survey_answer' as const,
          survey: { campaignId: outcome.campaignId, orgId: question.org_id, queued: outcome.queued },
        };
    }
    // The number, not only its supporters: an unknown number that says stop stays stopped when an
    // organization adds it later, and every organization on this sender hears it (db/suppressions.ts).
    if (intent === 'opt_out') {
      await suppressContact(tx, keys, 'sms', form.From, optOutType ? 'twilio_opt_out' : 'sms_keyword');
    }
    if (intent === 'opt_in') {
      await clearSuppression(tx, keys, 'sms', form.From);
      await optInPhone(tx, form.From, ctx.supporters);
    }
    if (intent === 'done' && ctx.lastSms) await recordDone(tx, ctx.lastSms, 'sms');
    const reply = await autoAnswer(tx, keys, ctx, {
      providerId: form.MessageSid,
      from: form.From,
      body: form.Body,
      intent,
      carrierDecided: optOutType !== undefined,
      carrierAnswersHelp: ctx.org?.twilioAdvancedOptOut === true,
    });
    return { ...result, reply };
  });
}

const formBody = (fields: string[]) => ({
  required: true,
  content: {
    'application/x-www-form-urlencoded': {
      schema: {
        type: 'object' as const,
        properties: Object.fromEntries(fields.map((f) => [f, { type: 'string' as const }])),
      },
    },
  },
});
const problemResponses = {
  400: problem('Signed, but a required field is missing or invalid', ['invalid-input']),
  403: problem('Missing or invalid X-Twilio-Signature', ['forbidden']),
  413: problem('Body too large', ['payload-too-large']),
  415: problem('Not form-encoded', ['unsupported-media-type']),
  503: problem('Twilio webhooks are not configured on this server', ['webhooks-not-configured']),
};

/**
 * Twilio's status callbacks and inbound messages. `handleStatus` is the status callback's one
 * implementation, shared with the Node fast path that usually answers it first (api/twilio-status-fast-path.ts).
 */
export function registerTwilioWebhookRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: AppDeps,
  handleStatus: (req: TwilioWebhookRequest) => Promise<void>,
) {
  const { sql, log } = deps;
  const keys = suppressionKeys(deps.config);
  const verify = { authToken: deps.config.TWILIO_AUTH_TOKEN, publicBaseUrl: deps.publicBaseUrl };

  app.post(TWILIO_STATUS_PATH, async (c) => {
    await handleStatus(await webhookRequest(c));
    return c.body(null, 204);
  });

  app.post(TWILIO_INBOUND_PATH, async (c) => {
    const form = parseForm(InboundForm, verifyTwilioForm(await webhookRequest(c), verify));
    const { intent, reply, duplicate, matched, survey } = await applyInbound(sql, keys, form);
    // Never the phone or the text: only what we did with it.
    log.info({ intent, duplicate, matched }, 'inbound sms');
    if (!duplicate) metrics.inboundReply(intent);
    if (survey?.queued)
      await nudgeSurvey(
        deps.temporal,
        survey.campaignId,
        survey.orgId,
        deps.config.SURVEY_SWEEP_SECONDS * 1000,
      ).catch((err: Error) =>
        // The answer is recorded; the survey workflow's next timer sends what is queued.
        log.error({ err: { name: err.name, message: err.message } }, 'survey nudge failed'),
      );
    return twiml(c, reply);
  });

  app.openAPIRegistry.registerPath({
    method: 'post',
    path: TWILIO_STATUS_PATH,
    tags: ['webhooks'],
    summary: 'Twilio message status callback (X-Twilio-Signature over PUBLIC_BASE_URL + path + params)',
    request: { body: formBody(['MessageSid', 'MessageStatus', 'ErrorCode', 'To']) },
    responses: { 204: { description: 'Recorded (or not ours, ignored)' }, ...problemResponses },
  });
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: TWILIO_INBOUND_PATH,
    tags: ['webhooks'],
    summary: 'Inbound SMS: STOP / START / HELP / DONE (English and Khmer); answers TwiML',
    request: { body: formBody(['MessageSid', 'From', 'To', 'Body', 'OptOutType']) },
    responses: {
      200: {
        description: 'TwiML: <Response/>, or a <Message> for HELP',
        content: { 'text/xml': { schema: { type: 'string' } } },
      },
      ...problemResponses,
    },
  });
}
