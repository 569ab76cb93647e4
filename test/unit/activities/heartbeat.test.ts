import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { throttledHeartbeat } from '../../../activities/heartbeat';

describe('throttledHeartbeat', () => {
  it('records at most one beat a second of the given clock', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => beats++);
    let t = 0;
    await env.run(async () => {
      const beat = throttledHeartbeat(() => t);
      for (const at of [0, 10, 500, 999, 1000, 1001, 2500, 2600, 3499, 3500]) {
        t = at;
        beat();
      }
    });
    // 0, 1000, 2500 and 3500.
    expect(beats).toBe(4);
  });
});
