import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import type { ContactKeys } from '../../core/contact-key';
import { metrics } from '../../core/metrics';
import { suppressionKeys } from '../../core/runtime';
import type { Sql } from '../../db/client';
import { receiveResendEvent, type WebhookOutcome } from '../../db/resend-events';
import { claimReceipt } from '../../db/webhook-receipts';
import { resendAction } from '../../domain/provider-events';
import type { AppDeps, AppEnv } from '../context';
import { badRequest, invalid, ProblemError, unauthorized } from '../errors/problem';
import { bodyText } from '../middleware/body-text';
import { requireMediaType } from '../middleware/content-type';
import { problem } from '../schemas/common';
import { logEmailedReply } from '../services/case-replies';

export const RESEND_PATH = '/v1/webhooks/resend';

const EventSchema = z.object({
  type: z.string().min(1).max(64),
  created_at: z.string().max(64).optional(),
  data: z.looseObject({}).optional(),
});
// Only the events we act on need an email id.
const EmailData = z.looseObject({
  email_id: z.string().min(1).max(128),
  bounce: z.looseObject({ type: z.string().optional() }).optional(),
  to: z.array(z.string().max(400)).max(50).optional(),
});
// Events that act on a delivery need its email id; the others are decided in domain/provider-events.ts.
const acts = (type: string) => typeof resendAction(type) === 'string';

/** The recipient Resend names (`a@b.org` or `Name <a@b.org>`): the address the event is about. */
function recipientOf(to: string[] | undefined): string | undefined {
  const first = to?.[0];
  const address = first && (/<([^>]+)>/.exec(first)?.[1] ?? first).trim();
  return address?.includes('@') ? address : undefined;
}

type Outcome = WebhookOutcome | 'ignored' | 'unknown_event';

function verifier(deps: AppDeps): Webhook | undefined {
  const secret = deps.config.RESEND_WEBHOOK_SECRET;
  if (!secret) return undefined;
  try {
    return new Webhook(secret);
  } catch {
    deps.log.error('RESEND_WEBHOOK_SECRET is not a valid whsec_ secret: Resend webhooks are refused');
    return undefined;
  }
}

/** 415 unless JSON, 503 without a secret, 401 unless svix-* headers sign this exact body. */
async function verifiedBody(c: Context<AppEnv>, webhook: Webhook | undefined): Promise<string> {
  requireMediaType(c, ['application/json'], 'Expected application/json');
  if (!webhook) throw new ProblemError('webhooks-not-configured', 'Resend webhooks are not configured');
  const raw = await bodyText(c);
  const headers = {
    'webhook-id': c.req.header('svix-id') ?? '',
    'webhook-timestamp': c.req.header('svix-timestamp') ?? '',
    'webhook-signature': c.req.header('svix-signature') ?? '',
  };
  try {
    webhook.verify(raw, headers, { jsonParse: false });
  } catch {
    throw unauthorized('Missing, invalid or stale svix signature');
  }
  return raw;
}

/** The data of an `email.received` event, else undefined (parseEvent judges every other body). */
function receivedData(raw: string): unknown {
  try {
    const json = JSON.parse(raw) as { type?: unknown; data?: unknown };
    return json?.type === 'email.received' ? (json.data ?? {}) : undefined;
  } catch {
    return undefined;
  }
}

function parseEvent(raw: string) {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw badRequest('Body is not JSON');
  }
  const event = EventSchema.safeParse(json);
  if (!event.success) throw invalid(event.error);
  const at = event.data.created_at ? new Date(event.data.created_at) : undefined;
  const createdAt = at && !Number.isNaN(at.getTime()) ? at : undefined;
  if (!acts(event.data.type)) return { type: event.data.type, createdAt };
  const data = EmailData.safeParse(event.data.data ?? {});
  if (!data.success) throw invalid(data.error, 'data');
  return { type: event.data.type, data: data.data, createdAt };
}

/** Applies (or parks) an event that acts on a delivery; the others are answered without a trace. */
async function applyEvent(
  sql: Sql,
  keys: ContactKeys,
  svixId: string,
  event: ReturnType<typeof parseEvent>,
): Promise<Outcome> {
  if (!event.data) {
    const claimed = await claimReceipt(sql, {
      source: 'resend',
      externalId: svixId,
      orgId: null,
      status: 200,
      response: { type: event.type },
    });
    if (!claimed) return 'duplicate';
    return resendAction(event.type) ? 'ignored' : 'unknown_event';
  }
  const { outcome, effect } = await receiveResendEvent(sql, keys, svixId, {
    type: event.type,
    emailId: event.data.email_id,
    bounceType: event.data.bounce?.type,
    to: recipientOf(event.data.to),
    at: event.createdAt,
  });
  if (effect) metrics.callbackLag('email', event.createdAt);
  return outcome;
}

export function registerResendWebhookRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const webhook = verifier(deps);
  const keys = suppressionKeys(deps.config);

  app.post(RESEND_PATH, async (c) => {
    const raw = await verifiedBody(c, webhook);
    // A reply to a campaign's reply address (api/case-replies.ts): logged as the target's response.
    const received = receivedData(raw);
    if (received !== undefined) {
      const outcome = await logEmailedReply(deps.sql, c.req.header('svix-id')!, received);
      deps.log.debug({ type: 'email.received', outcome }, 'resend webhook');
      return c.json({ received: true, duplicate: outcome === 'duplicate' }, 200);
    }
    const event = parseEvent(raw);
    const outcome = await applyEvent(deps.sql, keys, c.req.header('svix-id')!, event);
    // A type Resend added since domain/provider-events.ts was written: answered 200, and said so once per event.
    if (outcome === 'unknown_event')
      deps.log.warn({ type: event.type }, 'resend webhook of an undocumented type');
    else deps.log.debug({ type: event.type, outcome }, 'resend webhook');
    return c.json({ received: true, duplicate: outcome === 'duplicate' }, 200);
  });

  app.openAPIRegistry.registerPath({
    method: 'post',
    path: RESEND_PATH,
    tags: ['webhooks'],
    summary: 'Resend email events (svix-id, svix-timestamp, svix-signature over the raw body)',
    request: {
      body: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
    },
    responses: {
      200: { description: 'Recorded, or already seen (same svix-id), or not an event we act on' },
      400: problem('Signed, but not a Resend event', ['invalid-input']),
      401: problem('Missing, invalid or stale signature', ['unauthorized']),
      413: problem('Body too large', ['payload-too-large']),
      415: problem('Not JSON', ['unsupported-media-type']),
      503: problem('Resend webhooks are not configured on this server', ['webhooks-not-configured']),
    },
  });
}
