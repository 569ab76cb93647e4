import { SegmentedMessage } from 'sms-segments-calculator';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: SmsEncoding;
  /** Billable parts: GSM-7 160 in one part or 153 per part; UCS-2 70 or 67. */
  segments: number;
  /** Encoded length in the encoding's units: GSM-7 septets (escaped characters count 2) or UTF-16 code units. */
  characters: number;
}

/**
 * Twilio's own calculator (sms-segments-calculator), no Node built-ins, so workflows may call it too.
 * Khmer has no GSM-7 characters, so any Khmer text is UCS-2.
 */
export function countSegments(text: string): SegmentCount {
  if (text === '') return { encoding: 'GSM-7', segments: 0, characters: 0 };
  const message = new SegmentedMessage(text);
  const encoding = message.encodingName;
  const bitsPerUnit = encoding === 'GSM-7' ? 7 : 16;
  return {
    encoding,
    segments: message.segmentsCount,
    characters: Math.round(message.messageSize / bitsPerUnit),
  };
}

// Link tokens and ids: runs of ASCII letters, digits, '-' and '_'. Each such character is one GSM-7
// septet, one UTF-16 unit and its own grapheme, so any same-length run counts the same.
const OPAQUE_RUN = /[A-Za-z0-9_-]{16,}/g;

/**
 * countSegments, memoized by the body's shape. The calculator costs about a millisecond per body
 * (grapheme splitting, segment packing); a campaign's bodies differ mostly in their link token, so
 * a body with its long opaque runs masked is counted once. Holds at most `limit` shapes.
 */
export function createSegmentCounter(limit = 1000): (text: string) => SegmentCount {
  const counted = new Map<string, SegmentCount>();
  return (text) => {
    const shape = text.replace(OPAQUE_RUN, (run) => 'x'.repeat(run.length));
    let count = counted.get(shape);
    if (!count) {
      count = countSegments(shape);
      if (counted.size >= limit) counted.clear();
      counted.set(shape, count);
    }
    return count;
  };
}
