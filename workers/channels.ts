import { createResendEmailChannel, type EmailChannel } from '../channels/email-channel';
import { createResendClient } from '../channels/resend-client';
import { createTwilioSmsChannel, type SmsChannel } from '../channels/sms-channel';
import {
  createResendStatusLookup,
  createTwilioStatusLookup,
  type StatusLookup,
} from '../channels/status-lookup';
import { createTwilioClient } from '../channels/twilio-client';
import type { Config } from '../core/config';
import { required } from '../core/runtime';

/** The real SDKs, pointed at the sandbox when TWILIO_BASE_URL / RESEND_BASE_URL are set. */
export function createSmsFromConfig(config: Config): SmsChannel {
  const client = createTwilioClient({
    accountSid: required(config, 'TWILIO_ACCOUNT_SID'),
    authToken: required(config, 'TWILIO_AUTH_TOKEN'),
    baseUrl: config.TWILIO_BASE_URL,
  });
  return createTwilioSmsChannel({
    client,
    from: config.TWILIO_FROM_NUMBER,
    messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
  });
}

export function createEmailFromConfig(config: Config): EmailChannel {
  const client = createResendClient({
    apiKey: required(config, 'RESEND_API_KEY'),
    baseUrl: config.RESEND_BASE_URL,
  });
  return createResendEmailChannel({ client });
}

/** Reconciliation's provider lookups: Twilio's Message resource and Resend's Email resource. */
export function createStatusLookupFromConfig(config: Config): StatusLookup {
  const twilio = createTwilioClient({
    accountSid: required(config, 'TWILIO_ACCOUNT_SID'),
    authToken: required(config, 'TWILIO_AUTH_TOKEN'),
    baseUrl: config.TWILIO_BASE_URL,
  });
  const resend = createResendClient({
    apiKey: required(config, 'RESEND_API_KEY'),
    baseUrl: config.RESEND_BASE_URL,
  });
  return { sms: createTwilioStatusLookup(twilio), email: createResendStatusLookup(resend) };
}
