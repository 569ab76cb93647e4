import { metrics } from '../core/metrics';
import { classifyTwilioError, type ProviderError } from './provider-errors';
import type { TwilioClient } from './twilio-client';

export interface SmsSendInput {
  to: string;
  body: string;
  /** Public URL of our status webhook; Twilio signs its callbacks over exactly this URL. */
  statusCallback: string;
  /** Accepted for symmetry with email; Twilio has no idempotency key (see listSentTo). */
  idempotencyKey?: string;
}

export interface SmsSendResult {
  providerId: string;
  status: string;
  segments?: number;
}

export interface SentSms {
  providerId: string;
  body: string;
  status: string;
  dateCreated: Date;
}

export interface SmsChannel {
  /** Throws ProviderError. */
  send(input: SmsSendInput): Promise<SmsSendResult>;
  /** Messages sent to `to` created at or after `since`, newest first; reconciles rows left "sending". */
  listSentTo(query: { to: string; since: Date }): Promise<SentSms[]>;
}

export interface TwilioSmsChannelOptions {
  client: TwilioClient;
  from?: string | undefined;
  messagingServiceSid?: string | undefined;
  /** How many of the newest messages to a number are searched when reconciling. */
  reconcileLimit?: number;
}

const DEFAULT_RECONCILE_LIMIT = 200;

/** Counts a failed send by kind, and a 429 with the delay asked (which withProviderRetries waits). */
function counted(e: ProviderError): ProviderError {
  metrics.providerError('sms', e.kind);
  if (e.kind === 'rate_limited') metrics.rateLimited('sms', e.retryAfterMs ?? 0);
  return e;
}

export function createTwilioSmsChannel(opts: TwilioSmsChannelOptions): SmsChannel {
  const { client, from, messagingServiceSid } = opts;
  if (!from && !messagingServiceSid)
    throw new Error('Twilio SMS channel needs a from number or a messaging service sid');
  const sender = messagingServiceSid ? { messagingServiceSid } : { from: from as string };
  const reconcileLimit = opts.reconcileLimit ?? DEFAULT_RECONCILE_LIMIT;

  return {
    async send(input) {
      try {
        const message = await client.messages.create({
          to: input.to,
          body: input.body,
          statusCallback: input.statusCallback,
          ...sender,
        });
        const segments = Number.parseInt(message.numSegments, 10);
        return {
          providerId: message.sid,
          status: message.status,
          ...(Number.isFinite(segments) ? { segments } : {}),
        };
      } catch (err) {
        throw counted(classifyTwilioError(err));
      }
    },

    async listSentTo({ to, since }) {
      // Filtering by To only, not DateSent: a message still queued at Twilio has no date_sent yet
      // and would slip through a DateSent filter, which is exactly the case reconciliation is for.
      // Twilio lists newest first, so the newest `reconcileLimit` messages cover any crash window.
      const sinceSecond = Math.floor(since.getTime() / 1000) * 1000; // date_created has 1 s precision
      try {
        const messages = await client.messages.list({ to, limit: reconcileLimit, pageSize: 100 });
        return messages
          .filter((m) => m.dateCreated.getTime() >= sinceSecond)
          .map((m) => ({ providerId: m.sid, body: m.body, status: m.status, dateCreated: m.dateCreated }));
      } catch (err) {
        throw classifyTwilioError(err);
      }
    },
  };
}
