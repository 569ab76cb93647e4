import type { ContactKeys } from '../core/contact-key';
import { metrics } from '../core/metrics';
import { isPermanentBounce, resendAction } from '../domain/provider-events';
import type { Sql } from './client';
import { listSupporterContact, optOutChannel, suppressChannel } from './consent';
import { advanceDeliveryStatus, findDeliveryByProviderId, type ProviderDelivery } from './delivery-status';
import type { Queryable } from './queryable';
import { claimReceipt } from './webhook-receipts';

/** One Resend event about one email, from a webhook or from the Email resource (reconciliation). */
export interface ResendEmailEvent {
  /** `email.sent`, `email.delivered`, `email.bounced`, … */
  type: string;
  /** Resend's email id. */
  emailId: string;
  /** `bounce.type` of an `email.bounced` (Permanent, Transient, Undetermined). */
  bounceType?: string | undefined;
  /** The recipient Resend names: used only to key the suppression list, never stored. */
  to?: string | undefined;
  /** When the provider says it happened (the event's `created_at`). */
  at?: Date | undefined;
}

/** What an event did to its delivery: the status it moved to, a complaint, or nothing. */
export type ResendEffect = 'sent' | 'delivered' | 'failed' | 'undelivered' | 'complained' | undefined;

/**
 * Applies an event to its delivery, forward only: the one code path of the webhook, of parked events
 * and of reconciliation. Run it in a transaction (suppression writes go with the status).
 */
export async function applyResendEvent(
  tx: Queryable,
  keys: ContactKeys,
  delivery: ProviderDelivery,
  event: ResendEmailEvent,
): Promise<ResendEffect> {
  const effect = await applyEmailEvent(tx, keys, delivery, event);
  // Counted when the statement ran; a transaction rolled back afterwards over-counts by one (rare).
  if (effect && effect !== 'complained') metrics.message('email', effect);
  return effect;
}

async function applyEmailEvent(
  tx: Queryable,
  keys: ContactKeys,
  delivery: ProviderDelivery,
  event: ResendEmailEvent,
): Promise<ResendEffect> {
  const to = event.to;
  const move = async (status: 'sent' | 'delivered' | 'failed' | 'undelivered', code?: string) =>
    (await advanceDeliveryStatus(tx, delivery, status, code)) ? status : undefined;
  // The address cannot receive: the delivery fails, the record and the suppression list say why.
  const undeliverable = async (reason: 'hard_bounce' | 'resend_suppressed') => {
    const moved = await move('failed', reason);
    await suppressChannel(tx, delivery, 'email', reason);
    await listSupporterContact(tx, keys, { ...delivery, channel: 'email', source: reason, contact: to });
    return moved;
  };
  switch (resendAction(event.type)) {
    case 'sent':
      return move('sent');
    case 'delivered':
      return move('delivered');
    case 'failed':
      return move('failed', 'send_failed');
    case 'bounced':
      // Resend sends email.bounced for rejections too; Transient and Undetermined may deliver later.
      if (isPermanentBounce(event.bounceType)) return undeliverable('hard_bounce');
      return move('undelivered', 'soft_bounce');
    case 'complained':
      await optOutChannel(tx, keys, { ...delivery, channel: 'email', source: 'complaint', contact: to });
      return 'complained';
    case 'suppressed':
      // Resend refused to send: its own list holds the address (an earlier bounce or complaint).
      return undeliverable('resend_suppressed');
    default:
      return undefined;
  }
}

export type WebhookOutcome = 'applied' | 'duplicate' | 'parked';

/**
 * A verified webhook event that acts on a delivery: claimed once per svix id, then applied, or
 * parked when no delivery carries its email id yet (the send is not recorded yet, or the mail is no
 * delivery). A parked event is applied as soon as the id is recorded (applyParkedResendEvents).
 */
export async function receiveResendEvent(
  sql: Sql,
  keys: ContactKeys,
  svixId: string,
  event: ResendEmailEvent,
): Promise<{ outcome: WebhookOutcome; effect: ResendEffect }> {
  const delivery = await findDeliveryByProviderId(sql, 'email', event.emailId);
  const result = await sql.begin(async (tx) => {
    const claimed = await claimReceipt(tx, {
      source: 'resend',
      externalId: svixId,
      orgId: delivery?.orgId ?? null,
      status: 200,
      response: { type: event.type },
    });
    if (!claimed) return { outcome: 'duplicate' as const, effect: undefined };
    if (!delivery) {
      await tx`insert into parked_provider_events (source, provider_id, event_type, bounce_type, event_at)
        values ('resend', ${event.emailId}, ${event.type}, ${event.bounceType ?? null}, ${event.at ?? null})`;
      metrics.parkedEvent('parked');
      return { outcome: 'parked' as const, effect: undefined };
    }
    return { outcome: 'applied' as const, effect: await applyResendEvent(tx, keys, delivery, event) };
  });
  // The worker may have recorded the id between our look-up and the park: whoever looks second applies.
  if (result.outcome === 'parked') await applyParkedResendEvents(sql, keys, [event.emailId]);
  return result;
}

/**
 * Applies, once, the parked events of these email ids whose delivery is now recorded, oldest first.
 * Called after a worker records provider ids, after parking, and by reconciliation. Returns the
 * effects, one per applied event.
 */
export async function applyParkedResendEvents(
  sql: Sql,
  keys: ContactKeys,
  emailIds: ReadonlyArray<string | null> | 'all',
): Promise<ResendEffect[]> {
  const ids = emailIds === 'all' ? null : emailIds.filter((id): id is string => !!id);
  if (ids?.length === 0) return [];
  return sql.begin(async (tx) => {
    // Deleted in the applying transaction: a concurrent applier finds nothing left to apply.
    const rows = await tx<
      { provider_id: string; event_type: string; bounce_type: string | null; id: string }[]
    >`delete from parked_provider_events p
      where p.source = 'resend' and (${ids}::text[] is null or p.provider_id = any(${ids}::text[]))
        and exists (select 1 from deliveries d where d.provider_id = p.provider_id and d.channel = 'email')
      returning p.id::text, p.provider_id, p.event_type, p.bounce_type, p.event_at`;
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    const effects: ResendEffect[] = [];
    for (const row of rows) {
      const delivery = await findDeliveryByProviderId(tx, 'email', row.provider_id);
      if (!delivery) continue;
      effects.push(
        await applyResendEvent(tx, keys, delivery, {
          type: row.event_type,
          emailId: row.provider_id,
          bounceType: row.bounce_type ?? undefined,
        }),
      );
    }
    metrics.parkedEvent('applied', effects.length);
    return effects;
  });
}

/** Drops parked events older than `olderThan` (mail that never became a delivery); returns how many. */
export async function purgeParkedEvents(sql: Sql, olderThan: Date): Promise<number> {
  const rows = await sql`delete from parked_provider_events where received_at < ${olderThan}`;
  metrics.parkedEvent('expired', rows.count);
  return rows.count;
}
