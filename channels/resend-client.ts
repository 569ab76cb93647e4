import { Resend } from 'resend';

export const RESEND_DEFAULT_BASE_URL = 'https://api.resend.com';

export interface ResendClientOptions {
  apiKey: string;
  /** E.g. the provider sandbox URL; defaults to Resend's API. */
  baseUrl?: string | undefined;
}

/**
 * The real resend SDK. This version takes `baseUrl` as a constructor option, so no environment
 * variable is needed; passing the default explicitly keeps RESEND_BASE_URL from being read behind
 * the config's back.
 */
export function createResendClient(opts: ResendClientOptions): Resend {
  const baseUrl = (opts.baseUrl ?? RESEND_DEFAULT_BASE_URL).replace(/\/+$/, '');
  return new Resend(opts.apiKey, { baseUrl });
}
