import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { parseRetryAfter } from './provider-errors';

export type TwilioClient = twilio.Twilio;

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** Origin (and optional path prefix) that replaces https://api.twilio.com, e.g. the sandbox URL. */
  baseUrl?: string | undefined;
  /** Per-request timeout in milliseconds (the SDK's default is 30 s). */
  timeoutMs?: number | undefined;
}

/** A 429 from Twilio with the delay it asked for; RestException alone drops the response headers. */
export class TwilioRateLimitError extends twilio.RestException {
  readonly retryAfterMs: number | undefined;
  constructor(response: { statusCode: number; body: unknown }, retryAfterMs: number | undefined) {
    super(response);
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The SDK's own RequestClient with two additions: every request goes to `baseUrl` instead of
 * Twilio's host (when set), and a 429 is thrown with its Retry-After so the caller can wait.
 */
export class TwilioHttpClient extends twilio.RequestClient {
  readonly #base: URL | undefined;

  constructor(opts: { baseUrl?: string | undefined; timeoutMs?: number | undefined }) {
    super(opts.timeoutMs === undefined ? {} : { timeout: opts.timeoutMs });
    this.#base = opts.baseUrl === undefined ? undefined : new URL(opts.baseUrl);
  }

  rewrite(uri: string): string {
    if (!this.#base) return uri;
    const target = new URL(uri);
    const prefix = this.#base.pathname.replace(/\/+$/, '');
    return `${this.#base.origin}${prefix}${target.pathname}${target.search}`;
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const response = await super.request({ ...opts, uri: this.rewrite(opts.uri) });
    if (response.statusCode === 429) {
      const header = (response.headers as Record<string, unknown> | undefined)?.['retry-after'];
      throw new TwilioRateLimitError(
        response,
        parseRetryAfter(typeof header === 'string' ? header : undefined),
      );
    }
    return response;
  }
}

/** The real twilio SDK; with `baseUrl` it talks to that origin (the provider sandbox) instead. */
export function createTwilioClient(opts: TwilioClientOptions): TwilioClient {
  return twilio(opts.accountSid, opts.authToken, {
    httpClient: new TwilioHttpClient({ baseUrl: opts.baseUrl, timeoutMs: opts.timeoutMs }),
  });
}
