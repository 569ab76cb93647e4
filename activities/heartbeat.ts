import { Context, heartbeat } from '@temporalio/activity';

// Each heartbeat converts (and encrypts) a payload and calls into the SDK's core: per message that
// was a tenth of the SMS worker's CPU. The delivery heartbeat timeout is 15 s; a beat a second is ample.
const INTERVAL_MS = 1000;

/** A heartbeat for one activity execution that records at most one beat a second. */
export function throttledHeartbeat(now: () => number = Date.now): () => void {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const t = now();
    if (t - last < INTERVAL_MS) return;
    last = t;
    heartbeat();
  };
}

/**
 * Throws the cancellation (a CancelledFailure) when this activity was cancelled: the worker shutting
 * down past its grace time, or the workflow cancelling it. Outside an activity (unit tests): no-op.
 */
export function throwIfCancelled(): void {
  let signal: AbortSignal;
  try {
    signal = Context.current().cancellationSignal;
  } catch {
    return;
  }
  signal.throwIfAborted();
}
