/**
 * The only values a metric label may take (core/metrics.ts): fixed vocabularies, never contact
 * details, tokens, ids or free text. A value outside its list is recorded as `other`.
 */
export const PROVIDER_ERROR_KINDS = ['transient', 'rate_limited', 'permanent'] as const;

/** Why a recipient was not sent now: deferred to a window (quiet hours) or excluded by design. */
export const DEFERRAL_REASONS = [
  'quiet_hours',
  'no_contact',
  'no_consent',
  'opted_out',
  'no_content',
  'suppressed',
] as const;

/** What an inbound SMS was taken as (domain/reply-keywords.ts, plus survey answers and review). */
export const REPLY_INTENTS = ['opt_out', 'opt_in', 'help', 'done', 'other', 'survey_answer'] as const;

/** Webhook endpoints whose refusals are counted. */
export const WEBHOOK_SOURCES = ['twilio_status', 'twilio_inbound', 'resend', 'partner'] as const;

/** What reconciliation found for one delivery it asked the provider about. */
export const RECONCILE_OUTCOMES = ['changed', 'unchanged', 'not_found', 'error'] as const;

/**
 * Why a shared send slot went unused (activities/shared-rate.ts): reached late, skipped after a slow
 * answer, or given back when another process started sharing the rate (what the last second alone
 * may crowd).
 */
export const DROPPED_SLOT_REASONS = ['late', 'slow_answer', 'became_shared'] as const;

/** What became of a provider event for a message not recorded yet. */
export const PARKED_EVENT_OUTCOMES = ['parked', 'applied', 'expired'] as const;

/** Maps a value to its vocabulary, else `other`: a label can never carry anything outside the list. */
export function labelOf<T extends string>(vocabulary: readonly T[], value: string | undefined): T | 'other' {
  return value !== undefined && (vocabulary as readonly string[]).includes(value) ? (value as T) : 'other';
}
