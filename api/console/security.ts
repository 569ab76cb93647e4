import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { type ApiFetch, apiClient } from './api-client';
import type { ConsoleEnv } from './env';
import { SESSION_TTL_MS, type SessionSealer, sameToken } from './session';

/** Cookie names and paths: `__Host-` (Secure, Path=/) when the console is served over https. */
export function cookieNames(publicBaseUrl: string) {
  const secure = publicBaseUrl.startsWith('https://');
  return secure
    ? { secure, session: '__Host-console-session', login: '__Host-console-login', path: '/' }
    : { secure, session: 'console_session', login: 'console_login', path: '/console' };
}
export type CookieNames = ReturnType<typeof cookieNames>;

/** Nonce-based CSP for every console page, and no caching of pages that show supporters' details. */
export function consoleHeaders(): MiddlewareHandler<ConsoleEnv> {
  return async function consoleSecurityHeaders(c, next) {
    const nonce = randomBytes(16).toString('base64');
    c.set('nonce', nonce);
    await next();
    c.header(
      'content-security-policy',
      [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        "img-src 'self' data:",
        // The campaign page polls its own progress.json while a stage sends.
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ].join('; '),
    );
    c.header('cache-control', 'no-store');
    c.header('x-frame-options', 'DENY');
  };
}

/**
 * hono/csrf's Origin / Sec-Fetch-Site check on every POST: the public origin, or the origin the request
 * reached (the same host when no proxy sits in front).
 */
export function sameOriginPosts(publicBaseUrl: string): MiddlewareHandler<ConsoleEnv> {
  const publicOrigin = new URL(publicBaseUrl).origin;
  return csrf({
    origin: (origin, c) => origin === publicOrigin || origin === new URL(c.req.url).origin,
    secFetchSite: 'same-origin',
  });
}

/** Loads the sealed session; pages other than sign-in need one, and every POST must carry its form token. */
export function requireSession(opts: {
  sealer: SessionSealer;
  cookies: CookieNames;
  fetchApi: ApiFetch;
}): MiddlewareHandler<ConsoleEnv> {
  return async function consoleSession(c, next) {
    const session = opts.sealer.open(getCookie(c, opts.cookies.session));
    if (!session) {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect('/console/login', 303);
      throw new HTTPException(401, { message: 'Your session has ended; sign in again.' });
    }
    if (c.req.method === 'POST') {
      const body = await c.req.parseBody();
      const sent = typeof body._csrf === 'string' ? body._csrf : undefined;
      if (!sameToken(sent, session.csrf))
        throw new HTTPException(403, {
          message: 'This form is out of date or did not come from the console.',
        });
    }
    c.set('session', session);
    c.set('api', apiClient(opts.fetchApi, session.token));
    await next();
  };
}

export function startSession(
  c: Parameters<MiddlewareHandler<ConsoleEnv>>[0],
  cookies: CookieNames,
  sealed: string,
) {
  setCookie(c, cookies.session, sealed, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: cookies.secure,
    path: cookies.path,
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export function endSession(c: Parameters<MiddlewareHandler<ConsoleEnv>>[0], cookies: CookieNames) {
  deleteCookie(c, cookies.session, { path: cookies.path, secure: cookies.secure });
}
