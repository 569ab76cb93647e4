import type { Sql } from '../db/client';
import { SURVEY_SENDS_CHANNEL } from '../db/survey-sends';

/** A campaign's subscription: `wait` resolves at its next notification (or one already heard) or after `ms`. */
export interface SendSubscription {
  wait(ms: number, signal?: AbortSignal): Promise<void>;
  close(): void;
}

/**
 * One LISTEN connection per worker process for `survey_sends` notifications (payload: a campaign
 * id, sent by the inbound webhook when it commits a send due now); survey pumps subscribe per campaign.
 * A notification carries no contact detail and no text.
 */
export function createSendNotifier(sql: Pick<Sql, 'listen'>) {
  const waiters = new Map<string, Set<() => void>>();
  let listening: Promise<unknown> | undefined;
  const listen = () => {
    listening ??= sql
      .listen(SURVEY_SENDS_CHANNEL, (campaignId) => {
        for (const heard of waiters.get(campaignId) ?? []) heard();
      })
      .catch((err: unknown) => {
        listening = undefined;
        throw err;
      });
    return listening;
  };
  return {
    /** Listens (once per process) and subscribes to one campaign's notifications. */
    async subscribe(campaignId: string): Promise<SendSubscription> {
      await listen();
      let heard = false;
      let wake: (() => void) | undefined;
      const onNotify = () => {
        heard = true;
        wake?.();
      };
      const set = waiters.get(campaignId) ?? new Set();
      set.add(onNotify);
      waiters.set(campaignId, set);
      return {
        wait(ms, signal) {
          if (heard || signal?.aborted) {
            heard = false;
            return Promise.resolve();
          }
          return new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              signal?.removeEventListener('abort', done);
              wake = undefined;
              heard = false;
              resolve();
            };
            const timer = setTimeout(done, Math.max(0, ms));
            signal?.addEventListener('abort', done);
            wake = done;
          });
        },
        close() {
          set.delete(onNotify);
          if (set.size === 0) waiters.delete(campaignId);
        },
      };
    },
  };
}

export type SendNotifier = ReturnType<typeof createSendNotifier>;
