import { timingSafeEqual } from 'node:crypto';

/** True when an Authorization header is `Bearer <token>`, compared in constant time. */
export function bearerMatchesToken(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
