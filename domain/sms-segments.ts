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
