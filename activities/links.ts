import { createHmac } from 'node:crypto';

/**
 * Link tokens are an HMAC of the delivery key: unguessable, reveal no ids, and identical on a
 * resend so the message body does not change between attempts.
 */
export function linkToken(
  secret: string,
  key: { stageRunId: string; supporterId: string; channel: string },
): string {
  return createHmac('sha256', secret)
    .update(`${key.stageRunId}:${key.supporterId}:${key.channel}`)
    .digest('base64url')
    .slice(0, 32);
}

export const actionUrl = (base: string, token: string) => `${base}/a/${token}`;
export const unsubscribeUrl = (base: string, token: string) => `${base}/u/${token}`;
