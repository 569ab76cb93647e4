import twilio from 'twilio';
import type { z } from 'zod';
import { forbidden, invalid, ProblemError, unsupportedMediaType } from '../errors/problem';

/** A form-encoded webhook as it arrived, whatever server read it (Hono, or api/twilio-status-fast-path.ts). */
export interface TwilioWebhookRequest {
  /** The Content-Type header, if any. */
  contentType: string | undefined;
  /** The X-Twilio-Signature header, if any. */
  signature: string | undefined;
  /** The request target as received: path and query, e.g. `/v1/webhooks/twilio/status?d=12`. */
  pathAndQuery: string;
  /** The body, UTF-8. */
  body: string;
}

export type FormParams = Record<string, string | string[]>;

const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * The webhook's form fields, once Twilio's signature over them is verified. Twilio signs the URL it
 * was configured with, under `publicBaseUrl` (not the address we listen on).
 * @throws ProblemError 415 unless the body is form-encoded, 503 without an auth token, 403 unless
 * Twilio signed it.
 */
export function verifyTwilioForm(
  req: TwilioWebhookRequest,
  opts: { authToken: string | undefined; publicBaseUrl: string },
): FormParams {
  const type = (req.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== FORM_TYPE) throw unsupportedMediaType(`Expected ${FORM_TYPE}`);
  if (!opts.authToken)
    throw new ProblemError('webhooks-not-configured', 'Twilio webhooks are not configured');
  const params: FormParams = {};
  for (const [key, value] of new URLSearchParams(req.body)) {
    const seen = params[key];
    params[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  let valid = false;
  try {
    valid =
      !!req.signature &&
      twilio.validateRequest(
        opts.authToken,
        req.signature,
        `${opts.publicBaseUrl}${req.pathAndQuery}`,
        params,
      );
  } catch {
    valid = false;
  }
  if (!valid) throw forbidden('Invalid or missing X-Twilio-Signature');
  return params;
}

/** The form's fields by `schema` (the first of a repeated field). @throws ProblemError 400 naming each field. */
export function parseForm<T extends z.ZodType>(schema: T, params: FormParams): z.infer<T> {
  const single: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(params)) single[k] = Array.isArray(v) ? v[0] : v;
  const parsed = schema.safeParse(single);
  if (!parsed.success) throw invalid(parsed.error);
  return parsed.data;
}
