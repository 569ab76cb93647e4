import { createHmac } from 'node:crypto';
import { LINK_TOKEN_CHARS } from '../domain/link-token';

/**
 * Link tokens are an HMAC of the delivery key, truncated to LINK_TOKEN_CHARS base64url characters
 * (96 bits, domain/link-token.ts): unguessable, reveal no ids, and identical on a resend so the
 * message body does not change between attempts. A delivery row written before the truncation keeps
 * its longer token (Recipient.linkToken): messages for it use that one, so its link still resolves.
 */
export function linkToken(
  secret: string,
  key: { stageRunId: string; supporterId: string; channel: string },
): string {
  return createHmac('sha256', secret)
    .update(`${key.stageRunId}:${key.supporterId}:${key.channel}`)
    .digest('base64url')
    .slice(0, LINK_TOKEN_CHARS);
}

export const actionUrl = (base: string, token: string) => `${base}/a/${token}`;
export const unsubscribeUrl = (base: string, token: string) => `${base}/u/${token}`;
