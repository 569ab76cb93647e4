import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { linkToken } from '../../../activities/links';
import { countSegments, createSegmentCounter } from '../../../domain/sms-segments';

// Text around the link: GSM-7, extension characters, Khmer with its combining signs, CRLF, emoji.
const PIECES = [
  'Dara',
  'Zoë',
  'ស៊ុន',
  'é',
  '€',
  '{',
  '\n',
  '\r\n',
  '😀',
  '👩‍👩‍👧',
  ' ',
  'ា',
  '្ក',
  '\u0301',
  '`',
];
const text = (max: number) => {
  let s = '';
  const len = randomInt(0, max);
  while (s.length < len) s += PIECES[randomInt(PIECES.length)];
  return s;
};

describe('createSegmentCounter', () => {
  it('counts every body as Twilio’s calculator does, whatever surrounds the link token', () => {
    const segmentsOf = createSegmentCounter();
    for (let i = 0; i < 3000; i++) {
      const token = linkToken(randomBytes(16).toString('hex'), {
        stageRunId: String(i),
        supporterId: 's',
        channel: 'sms',
      });
      const body = `${text(140)} https://ua.example/a/${token}${text(40)}`;
      expect(segmentsOf(body), JSON.stringify(body)).toEqual(countSegments(body));
    }
  });

  it('counts a body shape once: bodies that differ only in a long opaque run share the answer', () => {
    const segmentsOf = createSegmentCounter();
    const a = segmentsOf('act: https://ua.example/a/AAAAAAAAAAAAAAAAAAAA');
    expect(segmentsOf('act: https://ua.example/a/BBBBBBBBBBBBBBBBBBBB')).toBe(a);
    // A different length is a different shape, and counted afresh.
    expect(segmentsOf(`act: https://ua.example/a/${'C'.repeat(200)}`)).not.toBe(a);
    expect(segmentsOf(`act: https://ua.example/a/${'C'.repeat(200)}`).segments).toBe(2);
  });
});
