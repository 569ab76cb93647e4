import { heartbeat } from '@temporalio/activity';

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
