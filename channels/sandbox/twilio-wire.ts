import type { SandboxMessage } from './store';

export const TWILIO_API_VERSION = '2010-04-01';

/** Twilio's date format: "Tue, 02 Jan 2024 03:04:05 +0000". */
export function rfc2822(iso: string): string {
  return new Date(iso).toUTCString().replace('GMT', '+0000');
}

/** The Message resource as Twilio answers it (snake_case; numbers as strings where Twilio does). */
export function messageResource(m: SandboxMessage, accountSid: string) {
  const base = `/${TWILIO_API_VERSION}/Accounts/${accountSid}/Messages/${m.id}`;
  return {
    account_sid: accountSid,
    api_version: TWILIO_API_VERSION,
    body: m.body,
    date_created: rfc2822(m.acceptedAt),
    date_sent: m.dateSent === null ? null : rfc2822(m.dateSent),
    date_updated: rfc2822(m.updatedAt),
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: '0',
    num_segments: String(m.segments ?? 1),
    price: null,
    price_unit: 'USD',
    sid: m.id,
    status: m.status,
    subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
    uri: `${base}.json`,
  };
}

/** Twilio's error body; the SDK turns it into a RestException (status, code, moreInfo). */
export function twilioError(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}
