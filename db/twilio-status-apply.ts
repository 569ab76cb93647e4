import type { ContactKeys } from '../core/contact-key';
import { metrics } from '../core/metrics';
import type { DeliveryChannel } from '../domain/channels';
import { isTwilioUnsubscribed, TWILIO_PERMANENT_DELIVERY_CODES } from '../domain/provider-codes';
import { TWILIO_STATUSES } from '../domain/provider-events';
import type { Sql } from './client';
import { optOutChannel, suppressChannel } from './consent';
import {
  adoptDeliveryForProviderId,
  advanceDeliveryStatus,
  advanceSmsDelivery,
  findDeliveryByProviderId,
  type ProviderStatus,
} from './delivery-status';
import type { SmsStatusBatcher } from './sms-status-batch';

/** What Twilio says of one message, from a status callback or from its Message resource. */
export interface TwilioStatusReport {
  /** The message SID (`SM…`). */
  sid: string;
  /** Twilio's MessageStatus (`sent`, `delivered`, `undelivered`, …), any case. */
  status: string;
  /** Twilio's ErrorCode as digits, if any. */
  errorCode?: string | undefined;
  /** The recipient, E.164, when Twilio named it: used only to key the suppression list. */
  to?: string | undefined;
}

/** The delivery status a Twilio MessageStatus moves a row to, or undefined when it moves nothing. */
export const trackedTwilioStatus = (messageStatus: string): ProviderStatus | undefined => {
  const action = TWILIO_STATUSES[messageStatus.toLowerCase()];
  return typeof action === 'string' ? action : undefined;
};

const E164 = /^\+[1-9]\d{5,14}$/;

/**
 * Applies a Twilio status to its delivery, forward only (db/delivery-status.ts): the one code path of
 * the status callback and of reconciliation. `deliveryRef` is the delivery id a callback URL carries;
 * `batcher`, when given (the API's callbacks), writes 'sent'/'delivered' together with the callbacks
 * that arrive alongside (db/sms-status-batch.ts), under the same rules. Returns the status the row moved to, or undefined when nothing moved (unknown SID, not a tracked
 * status, or a row already past it).
 */
export async function applyTwilioStatus(
  sql: Sql,
  keys: ContactKeys,
  report: TwilioStatusReport,
  deliveryRef?: string,
  batcher?: SmsStatusBatcher,
): Promise<ProviderStatus | undefined> {
  const moved = await applyStatus(sql, keys, report, deliveryRef, batcher);
  if (moved) metrics.message('sms', moved);
  return moved;
}

async function applyStatus(
  sql: Sql,
  keys: ContactKeys,
  report: TwilioStatusReport,
  deliveryRef: string | undefined,
  batcher: SmsStatusBatcher | undefined,
): Promise<ProviderStatus | undefined> {
  const status = trackedTwilioStatus(report.status);
  if (!status) return undefined;
  // Nothing to do but move the row forward: one statement, no transaction.
  if (status === 'sent' || status === 'delivered') {
    const moved = batcher
      ? await batcher.advance({ deliveryId: deliveryRef, providerId: report.sid, status })
      : await advanceSmsDelivery(sql, deliveryRef, report.sid, status);
    return moved ? status : undefined;
  }
  const channel: DeliveryChannel = 'sms';
  const delivery =
    (await findDeliveryByProviderId(sql, channel, report.sid)) ??
    (deliveryRef === undefined
      ? undefined
      : await adoptDeliveryForProviderId(sql, channel, deliveryRef, report.sid));
  if (!delivery) return undefined;
  const code = report.errorCode;
  return sql.begin(async (tx) => {
    const moved = await advanceDeliveryStatus(tx, delivery, status, code);
    const to = report.to && E164.test(report.to) ? report.to : undefined;
    if (isTwilioUnsubscribed(code))
      await optOutChannel(tx, keys, { ...delivery, channel, source: 'provider_opt_out', contact: to });
    else if (code && TWILIO_PERMANENT_DELIVERY_CODES.has(Number(code)))
      await suppressChannel(tx, delivery, channel, code);
    return moved ? status : undefined;
  });
}
