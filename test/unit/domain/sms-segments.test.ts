import { describe, expect, it } from 'vitest';
import { countSegments } from '../../../domain/sms-segments';

describe('countSegments', () => {
  it('fits 160 GSM-7 characters in one segment and splits 161 into two', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1, characters: 160 });
    expect(countSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', segments: 2, characters: 161 });
  });

  it('uses 153 characters per part once a GSM-7 message is split', () => {
    expect(countSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts GSM-7 extension characters twice', () => {
    expect(countSegments('[]'.repeat(40))).toEqual({ encoding: 'GSM-7', segments: 1, characters: 160 });
    expect(countSegments(`${'[]'.repeat(40)}a`).segments).toBe(2);
  });

  it('always encodes Khmer as UCS-2: 70 characters in one segment, 71 in two', () => {
    expect(countSegments('ក'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 1, characters: 70 });
    expect(countSegments('ក'.repeat(71))).toEqual({ encoding: 'UCS-2', segments: 2, characters: 71 });
    expect(countSegments('ក'.repeat(134)).segments).toBe(2);
    expect(countSegments('ក'.repeat(135)).segments).toBe(3);
  });

  it('switches a whole message to UCS-2 for one Khmer word', () => {
    const mixed = `${'a'.repeat(66)} ឈប់`;
    expect(countSegments(mixed)).toEqual({ encoding: 'UCS-2', segments: 1, characters: 70 });
    expect(countSegments(`${mixed}!`).segments).toBe(2);
  });

  it('counts an empty body as no segment', () => {
    expect(countSegments('')).toEqual({ encoding: 'GSM-7', segments: 0, characters: 0 });
  });
});
