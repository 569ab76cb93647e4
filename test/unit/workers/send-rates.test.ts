import { describe, expect, it } from 'vitest';
import { metrics, metricsText } from '../../../core/metrics';
import { PAGE_SIZE } from '../../../domain/task-queues';
import { emailRateKey, pageStartsPerSecond, smsRateKey } from '../../../workers/send-rates';

describe('the send rates every worker process shares', () => {
  it('lets pages start twice as fast as full pages go out at the rate', () => {
    expect(pageStartsPerSecond(100)).toBeCloseTo((2 * 100) / PAGE_SIZE);
    // Two campaigns side by side each need a page every 2 × PAGE_SIZE / rate seconds: both fit.
    expect(pageStartsPerSecond(100) * ((2 * PAGE_SIZE) / 100)).toBeGreaterThanOrEqual(2 * 2);
  });

  it('keys the rate by provider account, never by a secret', () => {
    const config = { TWILIO_ACCOUNT_SID: 'AC0123', RESEND_API_KEY: 're_secret_key' } as never;
    expect(smsRateKey(config)).toBe('twilio:AC0123');
    expect(emailRateKey(config)).toMatch(/^resend:[0-9a-f]{16}$/);
    expect(emailRateKey(config)).not.toContain('secret');
  });

  it('counts unused shared slots by channel and a reason from a fixed list', async () => {
    const line = async (reason: string) =>
      (await metricsText())
        .split('\n')
        .find((l) => l.startsWith(`campaign_send_slots_dropped_total{channel="sms",reason="${reason}"}`));
    const before = Number((await line('slow_answer'))?.split(' ')[1] ?? 0);
    metrics.droppedSlot('sms', 'slow_answer');
    metrics.droppedSlot('sms', '+19785550101');
    expect(Number((await line('slow_answer'))?.split(' ')[1])).toBe(before + 1);
    expect(await line('other'), 'a value outside the list is recorded as other').toBeDefined();
    expect(await metricsText()).not.toContain('19785550101');
  });
});
