/**
 * Twilio error codes the service decides on, each written once.
 * https://www.twilio.com/docs/api/errors
 */
export const TWILIO_CODES = {
  /** The recipient replied STOP to this sender: Twilio refuses until they text START. An opt-out. */
  unsubscribed: 21610,
  invalidTo: 21211,
  unreachableTo: 21214,
  /** The 'To' number is not reachable via SMS from this sender. */
  notSmsCapable: 21612,
  notMobile: 21614,
  cannotReceive: 21635,
  /** Delivery errors that say the number itself cannot get SMS (unknown destination, landline...). */
  unknownDestination: 30004,
  unknownHandset: 30005,
  landline: 30006,
} as const;

/** Refusals about the recipient at send time: a retry will not help, and the number is suppressed. */
export const TWILIO_RECIPIENT_CODES: ReadonlySet<number> = new Set([
  TWILIO_CODES.invalidTo,
  TWILIO_CODES.unreachableTo,
  TWILIO_CODES.unsubscribed,
  TWILIO_CODES.notSmsCapable,
  TWILIO_CODES.notMobile,
  TWILIO_CODES.cannotReceive,
]);

/**
 * Status-callback error codes that say the number itself cannot get SMS; 30003 (handset off) and
 * carrier filtering are not among them (they may deliver later).
 */
export const TWILIO_PERMANENT_DELIVERY_CODES: ReadonlySet<number> = new Set([
  TWILIO_CODES.invalidTo,
  TWILIO_CODES.notSmsCapable,
  TWILIO_CODES.notMobile,
  TWILIO_CODES.cannotReceive,
  TWILIO_CODES.unknownDestination,
  TWILIO_CODES.unknownHandset,
  TWILIO_CODES.landline,
]);

/** Whether a provider error code (a number, or the string a callback carries) is Twilio's STOP. */
export const isTwilioUnsubscribed = (code: string | number | null | undefined) =>
  code != null && Number(code) === TWILIO_CODES.unsubscribed;
