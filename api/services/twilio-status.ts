import { z } from 'zod';
import { metrics } from '../../core/metrics';
import { suppressionKeys } from '../../core/runtime';
import { SmsStatusBatcher } from '../../db/sms-status-batch';
import { applyTwilioStatus } from '../../db/twilio-status-apply';
import { twilioEventTime } from '../../domain/provider-times';
import type { AppDeps } from '../context';
import { parseForm, type TwilioWebhookRequest, verifyTwilioForm } from './twilio-form';

export const TWILIO_STATUS_PATH = '/v1/webhooks/twilio/status';

const sid = z.string().min(1).max(64);
const StatusForm = z.object({
  MessageSid: sid,
  MessageStatus: z.string().min(1).max(32),
  ErrorCode: z
    .string()
    .regex(/^\d{1,8}$/)
    .optional(),
  To: z.string().max(64).optional(),
  RawDlrDoneDate: z.string().max(64).optional(),
});

// The SMS worker's callback URL names the delivery (?d=<id>); the signature covers it.
const DeliveryRef = z.string().regex(/^\d{1,18}$/);

/** The `d` query parameter of a request target, if any. */
function deliveryRef(pathAndQuery: string): string | undefined {
  const q = pathAndQuery.indexOf('?');
  if (q < 0) return undefined;
  const ref = DeliveryRef.safeParse(new URLSearchParams(pathAndQuery.slice(q + 1)).get('d') ?? undefined);
  return ref.success ? ref.data : undefined;
}

/**
 * The Twilio status callback, whichever server received it (the Hono route, or the Node fast path
 * in api/twilio-status-fast-path.ts): verifies it, then moves its delivery forward
 * (db/twilio-status-apply.ts; 'sent'/'delivered' written in batches, db/sms-status-batch.ts).
 * Resolves once recorded (or found not ours, or not a status we track); answer 204 then.
 * @throws ProblemError 415, 503, 403 (verifyTwilioForm), 400 naming the invalid field.
 */
export function createTwilioStatusHandler(deps: AppDeps): (req: TwilioWebhookRequest) => Promise<void> {
  const keys = suppressionKeys(deps.config);
  const batcher = new SmsStatusBatcher(deps.statusSql ?? deps.sql);
  const verify = { authToken: deps.config.TWILIO_AUTH_TOKEN, publicBaseUrl: deps.publicBaseUrl };
  return async function handleTwilioStatus(req) {
    const form = parseForm(StatusForm, verifyTwilioForm(req, verify));
    const moved = await applyTwilioStatus(
      deps.sql,
      keys,
      { sid: form.MessageSid, status: form.MessageStatus, errorCode: form.ErrorCode, to: form.To },
      deliveryRef(req.pathAndQuery),
      batcher,
    );
    if (moved) metrics.callbackLag('sms', twilioEventTime(form.RawDlrDoneDate));
    deps.log.debug(
      { status: form.MessageStatus, errorCode: form.ErrorCode, applied: moved !== undefined },
      'twilio status callback',
    );
  };
}
