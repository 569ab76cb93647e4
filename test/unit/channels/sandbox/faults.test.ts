import { describe, expect, it } from 'vitest';
import { FaultInjector, faultsSchema } from '../../../../channels/sandbox/faults';

const faults = (input: unknown, random?: () => number) => {
  const f = new FaultInjector(random);
  f.set(faultsSchema.parse(input));
  return f;
};

describe('FaultInjector', () => {
  it('admits rateLimitPerSec requests per sliding second and names when a slot frees', () => {
    const f = faults({ rateLimitPerSec: 2 });
    expect(f.admit('sms', 0)).toEqual({ ok: true });
    expect(f.admit('sms', 600)).toEqual({ ok: true });
    expect(f.admit('sms', 700)).toEqual({ ok: false, reason: 'rate_limited', retryAfterSec: 1, limit: 2 });
    expect(f.admit('sms', 1001)).toEqual({ ok: true }); // the request at 0 has left the window
    expect(f.admit('sms', 1200)).toMatchObject({ ok: false, reason: 'rate_limited' });
  });

  it('keeps one window per channel', () => {
    const f = faults({ rateLimitPerSec: 1 });
    expect(f.admit('sms', 0)).toEqual({ ok: true });
    expect(f.admit('email', 1)).toEqual({ ok: true });
    expect(f.admit('email', 2)).toMatchObject({ ok: false, reason: 'rate_limited' });
  });

  it('fails the configured fraction of requests with errorStatus', () => {
    const rolls = [0.1, 0.9, 0.2, 0.8];
    const f = faults({ errorRate: 0.5, errorStatus: 502 }, () => rolls.shift() ?? 1);
    const results = [0, 1, 2, 3].map((t) => f.admit('email', t));
    expect(results).toEqual([
      { ok: false, reason: 'error', status: 502 },
      { ok: true },
      { ok: false, reason: 'error', status: 502 },
      { ok: true },
    ]);
  });

  it('matches failing and bouncing addresses regardless of case and spacing', () => {
    const f = faults({
      failNumbers: ['+1 978 555 0100', 'Sophea@Example.org'],
      bounceNumbers: ['+19785550101'],
    });
    expect(f.fails('+19785550100')).toBe(true);
    expect(f.fails('sophea@example.org')).toBe(true);
    expect(f.fails('+19785550101')).toBe(false);
    expect(f.bounces('+19785550101')).toBe(true);
  });

  it('rejects out-of-range settings and unknown fields', () => {
    const result = faultsSchema.safeParse({ errorRate: -0.1, errorStatus: 200, latencyMs: 'slow', extra: 1 });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.') || i.code);
    expect(paths).toEqual(expect.arrayContaining(['errorRate', 'errorStatus', 'latencyMs']));
  });
});
