import { TWILIO_RECIPIENT_CODES } from '../domain/provider-codes';
import { scrubContactDetails } from './scrub';

export type ProviderErrorKind = 'transient' | 'rate_limited' | 'permanent';

export interface ProviderErrorInit {
  kind: ProviderErrorKind;
  message: string;
  status?: number;
  code?: string | number;
  retryAfterMs?: number;
  /** True when the error is about the recipient (bad or unsubscribed address), not about our request or account. */
  recipientFault?: boolean;
}

/** Used when a provider answers 429 without a usable Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 1000;

/**
 * One error type for both providers. The message is scrubbed of phone numbers and email
 * addresses because it ends up in logs, Temporal histories and the deliveries table.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly kind: ProviderErrorKind;
  readonly status?: number;
  readonly code?: string | number;
  readonly retryAfterMs?: number;
  readonly recipientFault: boolean;

  constructor(init: ProviderErrorInit) {
    super(scrubContactDetails(init.message));
    this.kind = init.kind;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    this.recipientFault = init.recipientFault ?? false;
  }
}

/** Parses a Retry-After header (delta seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

const NETWORK_CODES = new Set([
  'ECONNABORTED',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function field<T>(value: unknown, key: string, type: 'number' | 'string'): T | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === type ? (v as T) : undefined;
}

/**
 * Classifies what the twilio SDK threw: a RestException (status, code, moreInfo), a
 * TwilioServiceException (RFC 9457), an axios network error, or anything else.
 * A 429's Retry-After reaches us as `retryAfterMs` on the exception, set by our http client
 * (twilio-client.ts), because RestException keeps no response headers.
 */
export function classifyTwilioError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const status = field<number>(err, 'status', 'number');
  const rawCode = field<number>(err, 'code', 'number') ?? field<string>(err, 'code', 'string');
  const text = field<string>(err, 'message', 'string') ?? String(err);
  if (status !== undefined) {
    const code = rawCode;
    const message = `Twilio ${status}${code === undefined ? '' : ` error ${code}`}: ${text}`;
    if (status === 429 || code === 20429) {
      const retryAfterMs = field<number>(err, 'retryAfterMs', 'number') ?? DEFAULT_RETRY_AFTER_MS;
      return new ProviderError({ kind: 'rate_limited', message, status, code, retryAfterMs });
    }
    if (status >= 500 || status === 408)
      return new ProviderError({ kind: 'transient', message, status, code });
    const recipientFault = typeof code === 'number' && TWILIO_RECIPIENT_CODES.has(code);
    return new ProviderError({ kind: 'permanent', message, status, code, recipientFault });
  }
  if (typeof rawCode === 'string' && NETWORK_CODES.has(rawCode)) {
    return new ProviderError({
      kind: 'transient',
      message: `Twilio request failed: ${rawCode}`,
      code: rawCode,
    });
  }
  // Unknown failures retry: a bug must surface through retries, never suppress a supporter.
  return new ProviderError({ kind: 'transient', message: `Twilio request failed: ${text}`, code: rawCode });
}

export interface ResendErrorLike {
  name?: string;
  message?: string;
  statusCode?: number | null;
}

const RESEND_RATE_LIMIT_NAMES = new Set([
  'rate_limit_exceeded',
  'daily_quota_exceeded',
  'monthly_quota_exceeded',
]);

/**
 * Classifies the `error` value the resend SDK returns. `headers` is the `headers` field of the
 * SDK's result, which carries Retry-After on a 429. A null statusCode is the SDK's way of saying
 * the request never got an answer (network error, timeout, abort).
 */
export function classifyResendError(
  error: ResendErrorLike | null | undefined,
  status?: number,
  headers?: Record<string, string> | null,
): ProviderError {
  const name = error?.name ?? 'unknown_error';
  const httpStatus = status ?? error?.statusCode ?? undefined;
  const message = `Resend ${httpStatus ?? 'no response'} ${name}: ${error?.message ?? 'no message'}`;
  const code = name;
  if (httpStatus === 429 || RESEND_RATE_LIMIT_NAMES.has(name)) {
    const retryAfterMs =
      parseRetryAfter(headers?.['retry-after']) ??
      parseRetryAfter(headers?.['ratelimit-reset']) ??
      DEFAULT_RETRY_AFTER_MS;
    return new ProviderError({
      kind: 'rate_limited',
      message,
      status: httpStatus ?? 429,
      code,
      retryAfterMs,
    });
  }
  if (httpStatus === undefined) return new ProviderError({ kind: 'transient', message, code });
  if (httpStatus >= 500 || httpStatus === 408 || name === 'concurrent_idempotent_requests') {
    return new ProviderError({ kind: 'transient', message, status: httpStatus, code });
  }
  const recipientFault =
    name === 'validation_error' && /`to`|\bto\b field|recipient/i.test(error?.message ?? '');
  return new ProviderError({ kind: 'permanent', message, status: httpStatus, code, recipientFault });
}
