import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Sql } from '../../db/client';
import { membershipsOf, noteSignIn } from '../../db/people';
import { endSessionBySecret, openSession, type SessionLimits, type SignInMethod } from '../../db/sessions';
import { type CookieNames, startSession } from './security';

/** A short, contact-free description of the browser for the sessions list. */
export function deviceOf(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Chrome\//.test(ua)
      ? 'Chrome'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Browser';
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Mac OS X/.test(ua)
        ? 'macOS'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'unknown system';
  return `${browser} on ${os}`;
}

/**
 * Opens a new session for a person in the organization they last used (a fresh id: any session the
 * browser carried is ended first) and sets the cookie. Returns false when they belong to none.
 */
export async function signIn(
  c: Context,
  deps: { sql: Sql; cookies: CookieNames; limits: SessionLimits },
  personId: string,
  method: SignInMethod,
): Promise<boolean> {
  const [membership] = await membershipsOf(deps.sql, personId);
  if (!membership) return false;
  const old = getCookie(c, deps.cookies.session);
  if (old && old.length <= 100) await endSessionBySecret(deps.sql, old);
  const secret = await openSession(deps.sql, {
    personId,
    orgId: membership.org_id,
    method,
    device: deviceOf(c.req.header('user-agent')),
    limits: deps.limits,
  });
  await noteSignIn(deps.sql, membership.org_id, personId);
  startSession(c as never, deps.cookies, secret, deps.limits);
  return true;
}
