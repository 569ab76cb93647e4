import { timingSafeEqual } from 'node:crypto';
import type { PersonSession } from '../../db/sessions';

/** The signed-in person's console session (Postgres, db/sessions.ts): who, which organization, role, form token. */
export type ConsoleSession = PersonSession;

/** Constant-time comparison of two tokens of any length. */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
