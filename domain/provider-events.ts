/**
 * Every event and status the providers document, each with what we do about it, so a new or
 * forgotten one is a decision written here rather than a silent default.
 */

/** What a Resend webhook event does to the delivery it names. */
export type ResendAction =
  | 'sent'
  | 'delivered'
  | 'failed'
  | 'bounced'
  | 'complained'
  | 'suppressed'
  | { ignore: string };

// https://resend.com/docs/dashboard/webhooks/event-types
export const RESEND_EVENTS: Record<string, ResendAction> = {
  'email.sent': 'sent',
  'email.delivered': 'delivered',
  'email.failed': 'failed',
  'email.bounced': 'bounced',
  'email.complained': 'complained',
  // Resend refused to send: its own list holds the address; suppress like a hard bounce.
  'email.suppressed': 'suppressed',
  'email.delivery_delayed': {
    ignore: 'the receiving server deferred it; Resend keeps retrying and sends delivered or bounced later',
  },
  'email.scheduled': { ignore: 'we never schedule through Resend: the campaign workflow decides when' },
  'email.opened': {
    ignore: 'opens are unreliable (image proxies) and not a consent signal; actions use our links',
  },
  'email.clicked': { ignore: 'clicks are counted by our own tracked action links' },
  'email.received': {
    ignore:
      "no delivery to update: a reply to a campaign's reply address is logged as a target response (api/case-replies.ts)",
  },
  'contact.created': { ignore: 'Resend audiences are not used: supporters live here' },
  'contact.updated': { ignore: 'Resend audiences are not used: supporters live here' },
  'contact.deleted': { ignore: 'Resend audiences are not used: supporters live here' },
  'domain.created': { ignore: 'sending domains are set up by operators, not by this service' },
  'domain.updated': { ignore: 'sending domains are set up by operators, not by this service' },
  'domain.deleted': { ignore: 'sending domains are set up by operators, not by this service' },
};

/**
 * A bounce by Resend's `bounce.type`: only Permanent means the address cannot receive; Transient
 * (mailbox full, message too large) and Undetermined may deliver later.
 */
export const isPermanentBounce = (type: string | undefined) => type === undefined || type === 'Permanent';

/** What a Twilio MessageStatus does to the delivery, or why it does nothing. */
export type TwilioStatusAction = 'sent' | 'delivered' | 'failed' | 'undelivered' | { ignore: string };

// https://www.twilio.com/docs/messaging/api/message-resource#message-status-values
export const TWILIO_STATUSES: Record<string, TwilioStatusAction> = {
  sent: 'sent',
  delivered: 'delivered',
  // WhatsApp/RCS: read follows delivered.
  read: 'delivered',
  // Some parts of a multi-part message arrived: the supporter got the message, if cut.
  partially_delivered: 'delivered',
  failed: 'failed',
  undelivered: 'undelivered',
  // Only scheduled messages can be canceled, and we never schedule through Twilio; if it happens, it was not sent.
  canceled: 'failed',
  accepted: { ignore: 'in flight: the send call already recorded the message as accepted' },
  scheduled: { ignore: 'we never schedule through Twilio' },
  queued: { ignore: 'in flight: the send call already recorded the message as accepted' },
  sending: { ignore: 'in flight: sent or failed follows' },
  receiving: { ignore: 'an inbound message: handled by the inbound webhook' },
  received: { ignore: 'an inbound message: handled by the inbound webhook' },
};

/** The decision for a Resend event type, or undefined for one Resend did not document when this was written. */
export const resendAction = (type: string): ResendAction | undefined =>
  Object.hasOwn(RESEND_EVENTS, type) ? RESEND_EVENTS[type] : undefined;
