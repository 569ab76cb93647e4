import { heartbeat } from '@temporalio/activity';
import { ProviderError } from '../channels/provider-errors';
import type { StatusLookup } from '../channels/status-lookup';
import type { ContactKeys } from '../core/contact-key';
import { type Logger, silentLogger } from '../core/logger';
import { metrics } from '../core/metrics';
import type { Sql } from '../db/client';
import { findDeliveryByProviderId } from '../db/delivery-status';
import { ensureMonthPartitions } from '../db/partitions';
import { applyParkedResendEvents, applyResendEvent, purgeParkedEvents } from '../db/resend-events';
import { markAsked, type StaleCursor, type StaleDelivery, staleDeliveries } from '../db/stale-deliveries';
import { applyTwilioStatus } from '../db/twilio-status-apply';
import { createPacer } from './pacer';

export interface ReconcileDeps {
  sql: Sql;
  /** Built on first use: a process that never reconciles needs no provider credentials. */
  lookup: () => StatusLookup;
  keys: ContactKeys;
  /** Provider lookups per second, all channels together (one reconciliation runs at a time). */
  ratePerSec: number;
  /** A delivery quiet this long in accepted/sent is asked about. */
  afterMinutes: number;
  /** Only deliveries created within this window (older ones are left as they are). */
  windowHours: number;
  /** Parked provider events older than this are dropped (their mail never became a delivery). */
  parkedRetentionHours: number;
  clock?: () => Date;
  log?: Logger;
}

export interface ReconcilePageResult {
  checked: number;
  changed: number;
  /** Where the next page starts; absent when this was the last page. */
  cursor?: StaleCursor;
}

// Resend's last_event → the webhook event it stands for; opened/clicked imply delivered.
const EMAIL_EVENT: Record<string, string> = {
  sent: 'email.sent',
  delivered: 'email.delivered',
  opened: 'email.delivered',
  clicked: 'email.delivered',
  bounced: 'email.bounced',
  failed: 'email.failed',
  complained: 'email.complained',
  suppressed: 'email.suppressed',
  canceled: 'email.failed',
};

/**
 * Reconciliation (workflows/reconcile.ts): asks the providers about deliveries whose final status
 * never arrived (a callback lost in an outage) and applies the answer through the callbacks' own
 * code path (db/twilio-status-apply.ts, db/resend-events.ts): forward only, exactly once.
 */
export function createReconcileActivities(deps: ReconcileDeps) {
  const { sql, keys } = deps;
  const log = deps.log ?? silentLogger();
  const clock = deps.clock ?? (() => new Date());
  const pace = createPacer(deps.ratePerSec, { tick: heartbeat });

  async function reconcileOne(d: StaleDelivery): Promise<boolean> {
    const lookup = deps.lookup();
    if (d.channel === 'sms') {
      const answer = await pace.track(() => lookup.sms(d.providerId));
      if (!answer) return false;
      const moved = await applyTwilioStatus(sql, keys, {
        sid: d.providerId,
        status: answer.status,
        errorCode: answer.errorCode,
      });
      return moved !== undefined;
    }
    const answer = await pace.track(() => lookup.email(d.providerId));
    const type = answer && EMAIL_EVENT[answer.lastEvent];
    if (!type) return false;
    const delivery = await findDeliveryByProviderId(sql, 'email', d.providerId);
    if (!delivery) return false;
    // Resend's resource says `bounced` without the bounce type: a bounce that stuck is taken as permanent.
    const effect = await sql.begin((tx) =>
      applyResendEvent(tx, keys, delivery, { type, emailId: d.providerId }),
    );
    return effect !== undefined;
  }

  return {
    /** One page of stale deliveries, each asked about at most `ratePerSec`; returns the next cursor. */
    async reconcilePage(input: { cursor?: StaleCursor; limit: number }): Promise<ReconcilePageResult> {
      const now = clock();
      const page = await staleDeliveries(sql, {
        quietSince: new Date(now.getTime() - deps.afterMinutes * 60_000),
        createdAfter: new Date(now.getTime() - deps.windowHours * 3_600_000),
        cursor: input.cursor,
        limit: input.limit,
      });
      let changed = 0;
      for (const d of page) {
        heartbeat();
        try {
          if (await reconcileOne(d)) {
            changed++;
            metrics.reconciled(d.channel, 'changed');
          } else {
            await markAsked(sql, d);
            metrics.reconciled(d.channel, 'unchanged');
          }
        } catch (err) {
          metrics.reconciled(d.channel, 'error');
          // A 429 holds every lookup for the provider's delay; other errors fail the page (Temporal retries it).
          if (err instanceof ProviderError && err.kind === 'rate_limited')
            pace.holdFor(err.retryAfterMs ?? 1000);
          throw err;
        }
      }
      const last = page.at(-1);
      log.info({ checked: page.length, changed }, 'reconciled statuses');
      return {
        checked: page.length,
        changed,
        ...(last && page.length === input.limit
          ? { cursor: { createdAt: last.createdAt, id: last.id } }
          : {}),
      };
    },

    /**
     * Applies parked events whose delivery is recorded by now; drops those past retention. Also
     * creates the monthly partitions due in the next MONTHS_AHEAD months (db/partitions.ts): the
     * Schedule runs every few minutes, so a month's partitions exist long before it starts even if
     * no worker restarts (a no-op when they exist).
     */
    async sweepParkedEvents(): Promise<{ applied: number; purged: number }> {
      const created = await ensureMonthPartitions(sql, { now: clock() });
      if (created.length > 0) log.info({ created }, 'monthly partitions created');
      const applied = (await applyParkedResendEvents(sql, keys, 'all')).length;
      const purged = await purgeParkedEvents(
        sql,
        new Date(clock().getTime() - deps.parkedRetentionHours * 3_600_000),
      );
      if (applied + purged > 0) log.info({ applied, purged }, 'parked provider events swept');
      return { applied, purged };
    },
  };
}
