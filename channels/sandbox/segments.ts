import { SegmentedMessage } from 'sms-segments-calculator';

/** Segments Twilio would bill: GSM-7 160/153, UCS-2 70/67 (Khmer is always UCS-2). */
export function countSmsSegments(body: string): number {
  return new SegmentedMessage(body).segmentsCount;
}
