import { describe, expect, it } from 'vitest';
import { durationProblem, formatDuration, parseDuration } from '../../../domain/duration';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('ISO 8601 durations', () => {
  it.each([
    ['P3D', 3 * DAY],
    ['PT30S', 30_000],
    ['P1W', 7 * DAY],
    ['P1DT2H', DAY + 2 * HOUR],
    ['PT0S', 0],
    ['P0D', 0],
    ['PT1H30M', 1.5 * HOUR],
    ['PT0.5S', 500],
    ['P2W3D', 17 * DAY],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', 'P1DT', '3D', 'P-1D', 'p3d', 'P1.5D', 'PT1H ', 'P3DT'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/not an ISO 8601 duration/);
  });

  it('rejects months and years as ambiguous, suggesting days or weeks', () => {
    expect(durationProblem('P1M')).toMatch(/years and months vary/);
    expect(durationProblem('P1Y')).toMatch(/use weeks or days/);
    expect(durationProblem('PT1M')).toBeUndefined();
  });

  it.each([
    [0, 'PT0S'],
    [3 * DAY, 'P3D'],
    [DAY + 2 * HOUR, 'P1DT2H'],
    [30_000, 'PT30S'],
    [14 * DAY, 'P14D'],
    [90 * 60_000 + 1500, 'PT1H30M1.5S'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });

  it('refuses to format a negative duration', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
  });
});
