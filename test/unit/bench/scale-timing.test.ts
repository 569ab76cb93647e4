import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../../bench/options';
import { quantile, summarize } from '../../../bench/scale/timing';

describe('scale bench figures', () => {
  it('takes quantiles by nearest rank', () => {
    const samples = Array.from({ length: 20 }, (_, i) => 20 - i); // 20 … 1, unsorted on purpose
    expect(quantile(samples, 0.5)).toBe(10);
    expect(quantile(samples, 0.95)).toBe(19);
    expect(summarize(samples)).toEqual({ calls: 20, p50Ms: 10, p95Ms: 19, maxMs: 20 });
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });

  it('reads --scale and its knobs, and refuses a scale too small to mean anything', () => {
    const o = parseOptions(['--scale', '1000000', '--import-rows', '20000', '--scale-window', '60']);
    expect(o).toMatchObject({ scale: 1_000_000, importRows: 20_000, scaleWindow: 60, scaleCalls: 40 });
    expect(parseOptions([]).scale).toBeUndefined();
    expect(() => parseOptions(['--scale', '10'])).toThrow(/--scale/);
    expect(parseOptions(['--phase', 'two-workers']).phase).toBe('two-workers');
  });
});
