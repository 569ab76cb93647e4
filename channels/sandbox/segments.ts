import { createSegmentCounter } from '../../domain/sms-segments';

// Twilio's calculator, memoized by body shape: the sandbox shares this machine's CPU with the service.
const segmentsOf = createSegmentCounter();

/** Segments Twilio would bill: GSM-7 160/153, UCS-2 70/67 (Khmer is always UCS-2). */
export function countSmsSegments(body: string): number {
  return segmentsOf(body).segments;
}
