import { describe, expect, it } from 'vitest';
import { monthSchema, monthStart } from '../../../db/partitions';

describe('monthly partition months', () => {
  it('counts months in UTC, across year ends', () => {
    // 23:30 on 31 December in UTC-5 is already January in UTC.
    const newYear = new Date('2026-12-31T23:30:00-05:00');
    expect(monthStart(newYear)).toBe('2027-01-01');
    expect(monthStart(newYear, -1)).toBe('2026-12-01');
    expect(monthStart(new Date('2026-11-30T12:00:00Z'), 3)).toBe('2027-02-01');
    expect(monthStart(new Date('2026-01-15T00:00:00Z'), -13)).toBe('2024-12-01');
  });

  it('takes a month as YYYY-MM only', () => {
    expect(monthSchema.safeParse('2026-01').success).toBe(true);
    for (const bad of ['2026-13', '2026-1', '2026-01-01', 'January', '']) {
      expect(monthSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});
