import { describe, expect, it } from 'vitest';
import { coalesce } from '../../../activities/coalesce';

describe('coalesce', () => {
  it('answers each caller from one query per group of concurrent callers', async () => {
    const queries: number[][] = [];
    const squares = coalesce(async (keys: number[]) => {
      queries.push(keys);
      await new Promise((r) => setTimeout(r, 20));
      return new Map(keys.filter((k) => k !== 3).map((k) => [k, k * k]));
    });
    const first = await Promise.all([1, 2, 3, 2].map((k) => squares(k)));
    expect(first).toEqual([1, 4, undefined, 4]);
    expect(queries).toEqual([[1, 2, 3]]);

    // Callers arriving while a query runs wait for the next one, together.
    const a = squares(5);
    await new Promise((r) => setTimeout(r, 5));
    const later = [squares(6), squares(7)];
    expect(await Promise.all([a, ...later])).toEqual([25, 36, 49]);
    expect(queries.slice(1)).toEqual([[5], [6, 7]]);
  });

  it('rejects every caller of a failed query, and the next group queries afresh', async () => {
    let fail = true;
    const lookup = coalesce(async (keys: string[]) => {
      if (fail) throw new Error('database down');
      return new Map(keys.map((k) => [k, k.length]));
    });
    const results = await Promise.allSettled([lookup('a'), lookup('bb')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await lookup('ccc')).toBe(3);
  });
});
