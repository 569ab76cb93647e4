import type { Resend } from 'resend';
import { classifyResendError, classifyTwilioError, ProviderError } from './provider-errors';
import type { TwilioClient } from './twilio-client';

/** What the provider says of one message now; undefined from a lookup: the provider does not know it. */
export interface SmsStatusAnswer {
  /** Twilio's MessageStatus (`queued`, `sent`, `delivered`, `undelivered`, `failed`, …). */
  status: string;
  /** Twilio's error code as digits, when it gives one. */
  errorCode?: string;
  /** Last change at Twilio (`date_updated`). */
  updatedAt?: Date;
}

export interface EmailStatusAnswer {
  /** Resend's `last_event` (`sent`, `delivered`, `bounced`, `complained`, …). */
  lastEvent: string;
}

/** Asks the providers for one message's current status (reconciliation). Throws ProviderError. */
export interface StatusLookup {
  /** Twilio's Message resource by SID: `client.messages(sid).fetch()`. */
  sms(sid: string): Promise<SmsStatusAnswer | undefined>;
  /** Resend's Email resource by id: `resend.emails.get(id)`. */
  email(id: string): Promise<EmailStatusAnswer | undefined>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function createTwilioStatusLookup(client: TwilioClient): StatusLookup['sms'] {
  return async (sid) => {
    try {
      const m = await client.messages(sid).fetch();
      return {
        status: m.status,
        ...(m.errorCode == null ? {} : { errorCode: String(m.errorCode) }),
        ...(m.dateUpdated ? { updatedAt: m.dateUpdated } : {}),
      };
    } catch (err) {
      const e = classifyTwilioError(err);
      if (e.status === 404) return undefined;
      throw e;
    }
  };
}

export function createResendStatusLookup(
  client: Resend,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): StatusLookup['email'] {
  return async (id) => {
    let answer: Awaited<ReturnType<Resend['emails']['get']>>;
    try {
      answer = await client.emails.get(id, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new ProviderError({ kind: 'transient', message: `Resend lookup failed: ${String(err)}` });
    }
    const { data, error, headers } = answer;
    if (error) {
      if (error.statusCode === 404) return undefined;
      throw classifyResendError(error, error.statusCode ?? undefined, headers);
    }
    return { lastEvent: data.last_event };
  };
}
