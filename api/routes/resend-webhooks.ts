import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import type { ContactKeys } from '../../core/contact-key';
import { suppressionKeys } from '../../core/runtime';
import type { Sql } from '../../db/client';
import { listSupporterContact, optOutChannel, suppressChannel } from '../../db/consent';
import { advanceDeliveryStatus, findDeliveryByProviderId } from '../../db/delivery-status';
import { claimReceipt } from '../../db/webhook-receipts';
import { isPermanentBounce, resendAction } from '../../domain/provider-events';
import type { AppDeps, AppEnv } from '../context';
import { badRequest, invalid, ProblemError, unauthorized } from '../errors/problem';
import { bodyText } from '../middleware/body-text';
import { requireMediaType } from '../middleware/content-type';
import { problem } from '../schemas/common';
import { logEmailedReply } from '../services/case-replies';

export const RESEND_PATH = '/v1/webhooks/resend';

const EventSchema = z.object({
  type: z.string().min(1).max(64),
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

type Outcome = 'applied' | 'duplicate' | 'ignored' | 'unknown_event' | 'unknown_email';

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
  if (!acts(event.data.type)) return { type: event.data.type };
  const data = EmailData.safeParse(event.data.data ?? {});
  if (!data.success) throw invalid(data.error, 'data');
  return { type: event.data.type, data: data.data };
}

async function applyEvent(
  sql: Sql,
  keys: ContactKeys,
  svixId: string,
  event: ReturnType<typeof parseEvent>,
): Promise<Outcome> {
  const delivery = event.data && (await findDeliveryByProviderId(sql, 'email', event.data.email_id));
  return sql.begin(async (tx) => {
    const claimed = await claimReceipt(tx, {
      source: 'resend',
      externalId: svixId,
      orgId: delivery?.orgId ?? null,
      status: 200,
      response: { type: event.type },
    });
    if (!claimed) return 'duplicate';
    if (!event.data) return resendAction(event.type) ? 'ignored' : 'unknown_event';
    if (!delivery) return 'unknown_email';
    const to = recipientOf(event.data.to);
    // The address cannot receive: the delivery fails, the record and the suppression list say why.
    const undeliverable = async (reason: 'hard_bounce' | 'resend_suppressed') => {
      await advanceDeliveryStatus(tx, delivery, 'failed', reason);
      await suppressChannel(tx, delivery, 'email', reason);
      await listSupporterContact(tx, keys, { ...delivery, channel: 'email', source: reason, contact: to });
    };
    switch (resendAction(event.type)) {
      case 'sent':
        await advanceDeliveryStatus(tx, delivery, 'sent');
        break;
      case 'delivered':
        await advanceDeliveryStatus(tx, delivery, 'delivered');
        break;
      case 'failed':
        await advanceDeliveryStatus(tx, delivery, 'failed', 'send_failed');
        break;
      case 'bounced':
        // Resend sends email.bounced for rejections too; Transient and Undetermined may deliver later.
        if (isPermanentBounce(event.data.bounce?.type)) await undeliverable('hard_bounce');
        else await advanceDeliveryStatus(tx, delivery, 'undelivered', 'soft_bounce');
        break;
      case 'complained':
        await optOutChannel(tx, keys, { ...delivery, channel: 'email', source: 'complaint', contact: to });
        break;
      case 'suppressed':
        // Resend refused to send: its own list holds the address (an earlier bounce or complaint).
        await undeliverable('resend_suppressed');
        break;
    }
    return 'applied';
  });
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
