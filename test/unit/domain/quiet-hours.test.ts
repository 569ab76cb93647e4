import { describe, expect, it } from 'vitest';
import { isQuietHours, nextSendableTime } from '../../../domain/quiet-hours';

const at = (iso: string) => new Date(iso);
const next = (iso: string, zone: string, window?: { start: string; end: string }) =>
  nextSendableTime(at(iso), zone, window).toISOString();

describe('nextSendableTime', () => {
  it('sends now inside the 09:00–20:00 window', () => {
    // 10:30 in New York (EST, UTC-5).
    expect(next('2027-01-15T15:30:00.000Z', 'America/New_York')).toBe('2027-01-15T15:30:00.000Z');
    expect(isQuietHours(at('2027-01-15T15:30:00Z'), 'America/New_York')).toBe(false);
  });

  it('defers a 3 a.m. send to 09:00 the same local day', () => {
    // 03:00 in Phnom Penh (UTC+7) → 09:00 local = 02:00Z.
    expect(next('2027-01-14T20:00:00.000Z', 'Asia/Phnom_Penh')).toBe('2027-01-15T02:00:00.000Z');
    expect(isQuietHours(at('2027-01-14T20:00:00Z'), 'Asia/Phnom_Penh')).toBe(true);
  });

  it('defers an evening send to 09:00 the next local day, treating 20:00 as closed', () => {
    expect(next('2027-01-16T01:00:00.000Z', 'America/New_York')).toBe('2027-01-16T14:00:00.000Z');
    expect(next('2027-01-16T01:00:00.000Z', 'America/New_York')).toBe(
      next('2027-01-15T20:00:00-05:00', 'America/New_York'),
    );
    expect(next('2027-01-15T19:59:59-05:00', 'America/New_York')).toBe('2027-01-16T00:59:59.000Z');
  });

  it('finds the next opening across the spring-forward change', () => {
    // New York, 2027-03-14 02:00 EST → 03:00 EDT. At 23:00 EST on the 13th, 09:00 next day is EDT (UTC-4).
    expect(next('2027-03-14T04:00:00.000Z', 'America/New_York')).toBe('2027-03-14T13:00:00.000Z');
  });

  it('finds the next opening across the autumn change', () => {
    // London, 2027-10-31 02:00 BST → 01:00 GMT. At 22:00 BST on the 30th, 09:00 next day is GMT.
    expect(next('2027-10-30T21:00:00.000Z', 'Europe/London')).toBe('2027-10-31T09:00:00.000Z');
  });

  it('moves an opening inside a skipped hour forward by the gap', () => {
    // Window opening 02:30 on the spring-forward night does not exist in New York: 03:30 EDT instead.
    expect(next('2027-03-14T06:00:00.000Z', 'America/New_York', { start: '02:30', end: '20:00' })).toBe(
      '2027-03-14T07:30:00.000Z',
    );
  });

  it('takes the first of a repeated hour', () => {
    // 01:30 happens twice in New York on 2027-11-07; the first is EDT (05:30Z).
    expect(next('2027-11-07T04:00:00.000Z', 'America/New_York', { start: '01:30', end: '20:00' })).toBe(
      '2027-11-07T05:30:00.000Z',
    );
  });

  it('gives different answers for the same instant in different zones', () => {
    const instant = '2027-06-01T13:00:00.000Z';
    expect(next(instant, 'America/Los_Angeles')).toBe('2027-06-01T16:00:00.000Z');
    expect(next(instant, 'Australia/Melbourne')).toBe('2027-06-01T23:00:00.000Z');
    expect(next(instant, 'Europe/Paris')).toBe(instant);
  });

  it('honours a window running across midnight and a custom window', () => {
    const night = { start: '22:00', end: '06:00' };
    expect(next('2027-01-15T23:30:00.000Z', 'UTC', night)).toBe('2027-01-15T23:30:00.000Z');
    expect(next('2027-01-15T12:00:00.000Z', 'UTC', night)).toBe('2027-01-15T22:00:00.000Z');
    expect(next('2027-01-15T07:00:00.000Z', 'UTC', { start: '08:00', end: '21:00' })).toBe(
      '2027-01-15T08:00:00.000Z',
    );
  });

  it('falls back to UTC for an unknown or empty time zone instead of throwing', () => {
    expect(next('2027-01-15T03:00:00.000Z', 'Mars/Olympus_Mons')).toBe('2027-01-15T09:00:00.000Z');
    expect(next('2027-01-15T03:00:00.000Z', '')).toBe('2027-01-15T09:00:00.000Z');
  });

  it('rejects a malformed window', () => {
    expect(() => nextSendableTime(at('2027-01-15T03:00:00Z'), 'UTC', { start: '9am', end: '20:00' })).toThrow(
      RangeError,
    );
    expect(() =>
      nextSendableTime(at('2027-01-15T03:00:00Z'), 'UTC', { start: '09:00', end: '25:00' }),
    ).toThrow(RangeError);
  });
});
