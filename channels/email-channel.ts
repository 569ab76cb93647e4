import { createHash } from 'node:crypto';
import type { Resend } from 'resend';
import { metrics } from '../core/metrics';
import { classifyResendError, ProviderError } from './provider-errors';

export interface OutgoingEmail {
  to: string;
  from: string;
  subject: string;
  html: string;
  text: string;
  /** Where replies go (the organization's Reply-To; letters to targets: the campaign's reply address). */
  replyTo?: string;
  headers: Record<string, string>;
  /** Copies (letters to targets: the case's copies, e.g. an embassy). */
  cc?: string[];
  /** Stable per delivery, e.g. `${stageRunId}:${supporterId}:email`. */
  idempotencyKey: string;
}

export interface EmailChannel {
  /** Throws ProviderError. */
  send(email: OutgoingEmail): Promise<{ providerId: string }>;
  /**
   * Up to MAX_EMAIL_BATCH emails in one request; ids come back in input order. The request carries
   * `idempotencyKey` or, when absent, one derived from the items' keys (batchIdempotencyKey).
   */
  sendBatch(emails: OutgoingEmail[], idempotencyKey?: string): Promise<Array<{ providerId: string }>>;
}

export const MAX_EMAIL_BATCH = 100;

/** Counts a failed send by kind, and a 429 with the delay asked (which withProviderRetries waits). */
function counted(e: ProviderError): ProviderError {
  metrics.providerError('email', e.kind);
  if (e.kind === 'rate_limited') metrics.rateLimited('email', e.retryAfterMs ?? 0);
  return e;
}
const DEFAULT_TIMEOUT_MS = 30_000;

/** One key for a batch: the same members in the same order give the same key. */
export function batchIdempotencyKey(emails: ReadonlyArray<Pick<OutgoingEmail, 'idempotencyKey'>>): string {
  const hash = createHash('sha256');
  for (const e of emails) hash.update(e.idempotencyKey).update('\n');
  return `batch-${hash.digest('hex')}`;
}

function toPayload(e: OutgoingEmail) {
  return {
    to: e.to,
    from: e.from,
    subject: e.subject,
    html: e.html,
    text: e.text,
    headers: e.headers,
    ...(e.replyTo ? { replyTo: e.replyTo } : {}),
    ...(e.cc?.length ? { cc: e.cc } : {}),
  };
}

export function createResendEmailChannel(opts: { client: Resend; timeoutMs?: number }): EmailChannel {
  const { client } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return {
    async send(email) {
      const { data, error, headers } = await client.emails.send(toPayload(email), {
        idempotencyKey: email.idempotencyKey,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (error) throw counted(classifyResendError(error, error.statusCode ?? undefined, headers));
      return { providerId: data.id };
    },

    async sendBatch(emails, idempotencyKey) {
      if (emails.length === 0) return [];
      if (emails.length > MAX_EMAIL_BATCH) {
        throw new RangeError(`a Resend batch holds at most ${MAX_EMAIL_BATCH} emails, got ${emails.length}`);
      }
      const { data, error, headers } = await client.batch.send(emails.map(toPayload), {
        idempotencyKey: idempotencyKey ?? batchIdempotencyKey(emails),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (error) throw counted(classifyResendError(error, error.statusCode ?? undefined, headers));
      const ids = data.data;
      if (ids.length !== emails.length) {
        // Transient, not permanent: a permanent batch error makes callers resend one by one, which
        // would duplicate whatever this batch did accept; a retry with the same key cannot.
        throw new ProviderError({
          kind: 'transient',
          message: `Resend batch answered ${ids.length} ids for ${emails.length} emails`,
        });
      }
      return ids.map((d) => ({ providerId: d.id }));
    },
  };
}
