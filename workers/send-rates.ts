import { createHash } from 'node:crypto';
import { createPacer, type Pacer } from '../activities/pacer';
import { createDbSharedRate, withSharedRate } from '../activities/shared-rate';
import type { Config } from '../core/config';
import type { Logger } from '../core/logger';
import { metrics } from '../core/metrics';
import type { Sql } from '../db/client';
import type { DeliveryChannel } from '../domain/channels';
import { PAGE_SIZE } from '../domain/task-queues';

const PLAIN_ID = /^[A-Za-z0-9_-]{1,64}$/;

// An account id that is not a plain id (or a secret, for Resend) goes in as a short fingerprint.
const fingerprint = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** The provider account SMS go out through: `twilio:<account sid>` (a key, not a secret). */
export function smsRateKey(config: Config): string {
  const sid = config.TWILIO_ACCOUNT_SID ?? 'unset';
  return `twilio:${PLAIN_ID.test(sid) ? sid : fingerprint(sid)}`;
}

/** The Resend account email goes out through: `resend:<16 hex of the API key's SHA-256>`, never the key. */
export function emailRateKey(config: Config): string {
  return `resend:${config.RESEND_API_KEY ? fingerprint(config.RESEND_API_KEY) : 'unset'}`;
}

/**
 * A process's pacer at `perSecond` that also keeps to the rate every worker process shares under
 * `key` in PostgreSQL (activities/shared-rate.ts): two processes together never exceed it.
 */
export function sharedPacer(
  sql: Sql,
  key: string,
  opts: { channel: DeliveryChannel; perSecond: number; tick: () => void; log?: Logger },
): Pacer {
  return withSharedRate(
    createPacer(opts.perSecond, { tick: opts.tick }),
    createDbSharedRate(sql, key, {
      perSecond: opts.perSecond,
      tick: opts.tick,
      onDropped: (why) => metrics.droppedSlot(opts.channel, why),
    }),
    {
      onHoldError: (err) =>
        opts.log?.warn(
          { key, err: err instanceof Error ? { name: err.name, message: err.message } : String(err) },
          'provider hold not recorded in PostgreSQL',
        ),
    },
  );
}

/**
 * The page-start limit of a delivery queue whose sends go out at `perSecond` (Temporal's
 * maxTaskQueueActivitiesPerSecond, the same in every worker process, DESIGN §5): pages per second.
 * Campaigns sending side by side take turns on the rate, so together they need a new page about
 * every PAGE_SIZE / perSecond seconds; a limit of exactly that made each page wait for the other
 * campaign's start and lost rate at every boundary. Twice that leaves the slack; the shared rate,
 * not this limit, holds the provider's limit.
 */
export function pageStartsPerSecond(perSecond: number): number {
  return (2 * perSecond) / PAGE_SIZE;
}
