import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import type { Sql } from '../../db/client';
import { resumeSession, type SessionLimits } from '../../db/sessions';
import type { Principal } from '../context';
import { type ApiFetch, apiClient } from './api-client';
import type { ConsoleEnv } from './env';
import { sameToken } from './session';

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
        // The passkey script's JSON calls to this console, and the campaign page's progress.json polling.
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

/** Paths a session opened with a recovery code may use under a passkey-only policy: adding a passkey. */
const RECOVERY_ONLY = /^\/console\/(?:account(?:\/passkeys\/(?:options|verify))?|logout)$/;

/**
 * Loads the person's session from Postgres (idle and absolute limits, membership still held); pages
 * other than sign-in need one, and every POST must carry its form token (`_csrf` field, or the
 * `x-csrf-token` header of the passkey script's JSON calls). A cookie of a removed member or an ended
 * session signs out on the next request.
 */
export function requireSession(opts: {
  sql: Sql;
  limits: SessionLimits;
  cookies: CookieNames;
  fetchApi: ApiFetch;
}): MiddlewareHandler<ConsoleEnv> {
  return async function consoleSession(c, next) {
    const session = await resumeSession(opts.sql, getCookie(c, opts.cookies.session), opts.limits);
    if (!session) {
      endSession(c, opts.cookies);
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect('/console/login?ended=1', 303);
      throw new HTTPException(401, { message: 'Your session has ended; sign in again.' });
    }
    if (c.req.method === 'POST') {
      const header = c.req.header('x-csrf-token');
      let sent = header;
      if (sent === undefined) {
        const body = await c.req.parseBody();
        sent = typeof body._csrf === 'string' ? body._csrf : undefined;
      }
      if (!sameToken(sent, session.csrf))
        throw new HTTPException(403, {
          message: 'This form is out of date or did not come from the console.',
        });
    }
    c.set('session', session);
    if (session.requirePasskey && session.method === 'recovery' && !RECOVERY_ONLY.test(c.req.path))
      return c.redirect('/console/account?passkey=required', 303);
    const principal: Principal = {
      tokenId: null,
      personId: session.personId,
      orgId: session.orgId,
      role: session.role,
      partnerId: null,
    };
    c.set('api', apiClient(opts.fetchApi, principal));
    await next();
  };
}

export function startSession(
  c: Parameters<MiddlewareHandler<ConsoleEnv>>[0],
  cookies: CookieNames,
  secret: string,
  limits: SessionLimits,
) {
  setCookie(c, cookies.session, secret, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: cookies.secure,
    path: cookies.path,
    maxAge: limits.absoluteS,
  });
}

export function endSession(c: Parameters<MiddlewareHandler<ConsoleEnv>>[0], cookies: CookieNames) {
  deleteCookie(c, cookies.session, { path: cookies.path, secure: cookies.secure });
}

// The one change a translator makes (DESIGN.md section 10): a future stage's texts; the API refuses the rest.
const TRANSLATOR_PAGE = /^\/console\/campaigns\/[^/]+\/stages\/[^/]+$/;

/**
 * Viewers and translators change nothing from the console: their POSTs to campaign, supporter,
 * settings and member pages are refused before any API call (the API refuses them too). A
 * translator may post a stage's texts.
 */
export function readOnlyGuard(): MiddlewareHandler<ConsoleEnv> {
  return async function consoleReadOnly(c, next) {
    const role = c.get('session').role;
    if (role === 'translator' && c.req.method === 'POST' && TRANSLATOR_PAGE.test(c.req.path)) return next();
    if (c.req.method === 'POST' && role !== 'owner' && role !== 'organizer')
      throw new HTTPException(403, { message: 'Your role may look but not change anything here.' });
    await next();
  };
}
