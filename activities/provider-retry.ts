import { heartbeat } from '@temporalio/activity';
import { ProviderError } from '../channels/provider-errors';
import { waitTicking } from './pacer';

const TRANSIENT_ATTEMPTS = 4;
const RATE_LIMITED_ATTEMPTS = 20;

export interface ProviderRetryOptions<T> {
  /**
   * Asked before each in-place retry of a transient failure (a 5xx or a timeout may come after the
   * provider took the message): a value means the call did succeed, and it is returned instead.
   * A 429 is a refusal, so it is retried without asking.
   */
  recover?: (err: ProviderError) => Promise<T | undefined>;
  /** Told of every 429, so the caller's pacer can hold all its lanes for the provider's delay. */
  onRateLimited?: (retryAfterMs: number) => void;
}

/**
 * Retries one provider call in place: transient errors with short backoff, 429 after the
 * provider's delay. What still fails is thrown so Temporal retries the page with its own backoff.
 */
export async function withProviderRetries<T>(
  call: () => Promise<T>,
  opts: ProviderRetryOptions<T> = {},
): Promise<T> {
  let transient = 0;
  let limited = 0;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ProviderError) || err.kind === 'permanent') throw err;
      let delay: number;
      if (err.kind === 'rate_limited') {
        limited++;
        delay = err.retryAfterMs ?? 1000;
        opts.onRateLimited?.(delay);
      } else {
        transient++;
        delay = Math.min(2000, 250 * 2 ** (transient - 1));
      }
      if (transient >= TRANSIENT_ATTEMPTS || limited >= RATE_LIMITED_ATTEMPTS) throw err;
      await waitTicking(delay, heartbeat);
      if (err.kind === 'transient' && opts.recover) {
        const recovered = await opts.recover(err);
        if (recovered !== undefined) return recovered;
      }
    }
  }
}
