import { z } from 'zod';

/**
 * A delivery's life (one row of `deliveries`, one supporter, one channel, one stage run):
 * `sending` (claimed, the provider call may or may not have happened) or `deferred` (quiet hours)
 * → `accepted` by the provider → `sent` → `delivered`; or `failed` / `undelivered`; or `excluded`
 * (not sent by design: no contact, no consent, opted out). The database admits only these
 * (migration 008).
 */
export const DELIVERY_STATUSES = [
  'sending',
  'deferred',
  'accepted',
  'sent',
  'delivered',
  'failed',
  'undelivered',
  'excluded',
] as const;
export const deliveryStatusSchema = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

/** No send proven yet: a retry may claim these again (after reconciling `sending` with the provider). */
export const UNSENT_STATUSES = ['sending', 'deferred'] as const satisfies readonly DeliveryStatus[];
/** The provider took the message: counted as sent, and the supporter as reached. */
export const REACHED_STATUSES = [
  'accepted',
  'sent',
  'delivered',
] as const satisfies readonly DeliveryStatus[];
/** Tried and lost. */
export const FAILED_STATUSES = ['failed', 'undelivered'] as const satisfies readonly DeliveryStatus[];
/** Nothing more will be tried for the row in this stage run. */
export const SETTLED_STATUSES = [
  ...REACHED_STATUSES,
  ...FAILED_STATUSES,
  'excluded',
] as const satisfies readonly DeliveryStatus[];

/** What a provider's status callback may move a delivery to. */
export const PROVIDER_STATUSES = [
  'sent',
  'delivered',
  'failed',
  'undelivered',
] as const satisfies readonly DeliveryStatus[];
export type ProviderStatus = (typeof PROVIDER_STATUSES)[number];

const has =
  <T extends string>(list: readonly T[]) =>
  (status: string | null | undefined): status is T =>
    status != null && (list as readonly string[]).includes(status);

export const isReached = has<(typeof REACHED_STATUSES)[number]>(REACHED_STATUSES);
export const isUnsent = has<(typeof UNSENT_STATUSES)[number]>(UNSENT_STATUSES);
export const isSettled = has<(typeof SETTLED_STATUSES)[number]>(SETTLED_STATUSES);
