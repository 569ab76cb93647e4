import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSegmentCounter } from '../../activities/delivery-sms';
import { linkToken } from '../../activities/links';
import { countSegments } from '../../domain/sms-segments';

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
      expect(segmentsOf(body, token), JSON.stringify(body)).toEqual(countSegments(body));
    }
  });

  it('computes a masked body once', () => {
    const segmentsOf = createSegmentCounter();
    const a = segmentsOf('act: https://ua.example/a/AAAA', 'AAAA');
    expect(segmentsOf('act: https://ua.example/a/BBBB', 'BBBB')).toBe(a);
  });
});
