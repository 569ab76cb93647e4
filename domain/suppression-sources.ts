import { z } from 'zod';

/**
 * Why a phone number or email address is on the suppression list; shown to organizers as
 * `suppressed.<channel>.source` on a supporter and in import results.
 */
export const SUPPRESSION_SOURCES = [
  // An opt-out keyword texted to the sender: STOP and the organization's own lists (ឈប់ in Khmer).
  'sms_keyword',
  // Twilio Advanced Opt-Out's OptOutType=STOP on an inbound message.
  'twilio_opt_out',
  // Twilio error 21610: the carrier or Twilio holds an opt-out for this number.
  'provider_opt_out',
  // The one-click unsubscribe link (/u/<token>).
  'unsubscribe_link',
  'hard_bounce',
  'complaint',
  // Resend's email.suppressed event: Resend's own list refused the address.
  'resend_suppressed',
  // An opt-out recorded on a supporter row before the suppression list existed.
  'earlier_opt_out',
] as const;

export const suppressionSourceSchema = z.enum(SUPPRESSION_SOURCES);

/**
 * Verdicts of a provider, not wishes of the person: an organizer's recorded re-consent does not
 * clear them (consent does not make an address deliverable, and Twilio keeps its block until the
 * number itself texts START).
 */
export const PROVIDER_VERDICTS = ['provider_opt_out', 'hard_bounce', 'resend_suppressed'] as const;
export type SuppressionSource = z.infer<typeof suppressionSourceSchema>;
